"""Reading spreadsheets people send: opening a workbook with a clear error when it
cannot be used, sheets as grids with merged cells filled in, and cells as tidy text
(``sheets``, ``cells``). Registers, roadmaps and the indicators workbook all use it."""
