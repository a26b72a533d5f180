"""Consultations, the pure part: what a curator's typed availability means, which
slots a principal may book, and what a booking brings with it.

Plain Python with no aiogram, SQL or I/O, so every rule is testable in microseconds
and the storage layer can apply the very same rule inside its booking transaction:
:mod:`.availability` reads availability typed in Russian («вт, чт 15:00–17:00 до 20
декабря») into concrete UTC intervals plus a description to show back;
:mod:`.intervals` holds the interval type; :mod:`.slots` gives the free slots, checks a
booking and finds the nearest free times; :mod:`.reminders` plans the reminders of a
booking; :mod:`.ics` writes the iCalendar file sent with a confirmed consultation.
"""
