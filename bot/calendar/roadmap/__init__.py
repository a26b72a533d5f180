"""Roadmaps («дорожная карта», «план-график») from Excel into the calendar.

A roadmap is a table of actions, each with a period written as free Russian text
(«март - апрель», «в течение года»), the people responsible and the expected
result. ``reading.read_roadmap`` finds that table in a workbook the way
:mod:`bot.registers.table` finds a register (header anywhere near the top of any sheet,
columns in any order, variant names, merged and two-storey header cells, line
breaks and hyphenation left by PDF extraction), reads every period with
:func:`bot.periods.read_period` and expands it over the program's years.
``reading.import_roadmap`` stores the result; ``reading.dry_run_rows`` is the JSON a
``--dry-run --json`` prints.

Rules a coordinator can predict:

- Columns: the action («Мероприятие», «Наименование мероприятия», «Перечень
  мероприятий…») and the period («Сроки», «Срок (период)», «Сроки исполнения»…)
  are required; «№ п/п», «Ответственные», «Результат» and «Год выполнения» are
  optional. The sheet and header row with the most of these columns wins; among
  equal ones the one with more rows under it.
- Sections: a row whose filled cells form one merged cell across the table, a
  lone cell whose text starts like «1.1. …», «I. …», «Раздел 2. …», a lone text
  in the «№» column, or a row with no period, responsible or result whose number
  is a Roman numeral or the parent of the next row's number («1.» before «1.1»).
  Its text becomes the ``section`` of the rows after it. Empty rows, a numbering
  row under the header («1 2 3 4») and repeated header rows are skipped.
- Program years: ``start``/``end`` when given; else from the first to the last
  year the document names: in the title rows above the table («… в 2018 году»,
  «на 2019-2021 годы»), in a «Год выполнения» column, or in the periods
  themselves («февраль - апрель 2023»); else the year of ``today``. A «Год
  выполнения» cell places the rows from it down to the next such cell in that year.
- Text: lines are joined with spaces; a word hyphenated at a line end is joined
  again («выпол-» + «нения»), except after a compound's first part ending in
  «-но», «-ло», «-ко», «-го» of five letters or more («регионально-муниципальной»);
  a line starting with a dash or bullet stays a line of a list.
"""
