"""Indicator reports in Excel: export a year's submissions, import them back.

The workbook :func:`~bot.indicators.workbook.export.export_submissions` writes has three sheets:

«Показатели {year}» / "Indicators {year}"
    Row 1 is hidden and holds a *code* per column (``@inn``, ``base:teachers``,
    ``first_category``, ``contest_winners:federal``, ``status:10-01``, ...): this is
    what :func:`import_submissions` finds columns by, so a person may reorder,
    rename or add columns. Row 2 is the header people read (the indicator's short
    title, and the part for multi-part indicators); schools start in row 3, one row
    per school of the register, sorted by municipality and name. The year is in
    the sheet's title and in the workbook property ``indicators_year``.

    Cells by kind of answer:

    - share: the percent as a number (30.5 % is stored as 0.305, format ``0.0%``;
      read back, a number in a cell of another format counts as a fraction below 1
      and as the percent itself from 1 up),
      and next to it a text column "N из M" filled when the school gave the share
      as a count ("12 из 40"); a text is self-contained (it keeps the base the
      count was of, even if the school's base changed later) and the importer
      reads it exactly as the chat form does;
    - count: an integer; count_list: the number (integer) and the list ("; ");
    - level_counts: one integer column per level;
    - yes_no: «да»/«нет» (text: reads well, filters well and is read back);
    - choice: the option titles joined with "; ", then the "other" text;
    - link: the address as a real hyperlink (the "Hyperlink" style);
    - document: the file name, plus a hidden column with the Telegram file id,
      size and type (JSON) so a re-import into the same bot keeps the file.

    Then per campaign (one per deadline): status, submitted at (local time, a
    date cell) and late («да»/«нет»). The header is bold, wrapped and frozen with
    the school's name; each indicator's header cell has a comment with its full
    title and code; columns are as wide as their content (up to 50).

«Не сдали» / "Not submitted"
    For every campaign of the year (also those not yet due: "days overdue" is
    empty for them), the schools that have not submitted (not started, draft,
    returned), grouped by campaign, then municipality, then school.

«История изменений» / "Change history"
    Every recorded change of the year: time (program zone), school, campaign,
    field, old and new value (answers as the chat shows them), who, comment.

:func:`import_submissions` reads the indicators sheet back (found by its code row,
or, if that row was deleted, by the header texts in Russian or English). Schools
are found in the register by INN, else by name and municipality; the register
itself is not changed. Each cell is checked the way the chat form checks a typed
answer (``bot.indicators.answers``, also the checks across answers); a refused cell or row is
reported with its reason while the good ones are written. Empty cells remove
nothing, values equal to the stored ones are left alone (a second import of the
same file changes nothing), and a past year's campaigns that get values are marked
submitted, late as the file says. A file that cannot be used at all raises
:class:`SubmissionImportError` and writes nothing.
"""
