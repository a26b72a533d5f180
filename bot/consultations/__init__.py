"""Consultations, the domain part: what a curator's typed availability means, which
slots a principal may book, what a booking brings with it, and how consultations read.

No aiogram and no SQL here. The rules are plain functions, testable in microseconds, and
the storage layer applies the very same rule inside its booking transaction:
:mod:`.availability` (with :mod:`.reading`, :mod:`.words`) reads availability typed in
Russian («вт, чт 15:00–17:00 до 20 декабря») into UTC intervals and a description;
:mod:`.intervals` holds the interval type; :mod:`.slots` and :mod:`.offer` give the free
slots, check a booking and find the nearest free times; :mod:`.publishing` the settings
of a publication and the button-built pattern; :mod:`.reminders` plans a booking's
reminders; :mod:`.ics` writes the iCalendar file; :mod:`.texts` words a consultation in
a reader's language; :mod:`.card` and :mod:`.report` compute the school's card and the
coordinators' report, :mod:`.workbook` writes the report to Excel.

Three modules read through the repositories (still no SQL): :mod:`.desk` (what one
person may do and see), :mod:`.school_card` and :mod:`.report_data`.
"""
