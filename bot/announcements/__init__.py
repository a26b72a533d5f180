"""Seminar announcements, plain Python: who manages one (``access``), whom an audience
reaches (``audience``), how a date and time are read (``when``), how its text is checked
(``formatting``) and put together (``message``), what a draft still needs (``ready``), the
answers and the delivery's progress (``answers``, ``progress``), the workbooks
(``workbook``), the calendar's lines (``in_calendar``), the form's hint (``form_hint``) and
the demo region's announcements (``demo``)."""
