"""Registers of schools and people kept in Excel: finding the table in a real file
(``table``, ``columns``), reading each cell (``values``), importing every row with a
report of what was created, updated or refused and why (``schools``, ``people``,
``report``), and the ready-to-fill templates (``template``)."""
