"""Opening a workbook people sent and reading its sheets as grids of values, merged
cells filled in, so that a table can be found in them wherever it is."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.i18n import N_, LocalizedError
from bot.xlsx.cells import cell_text

if TYPE_CHECKING:  # openpyxl is imported when a workbook is opened, not at start-up
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 20000
MAX_COLUMNS = 60


@dataclass(slots=True)
class Sheet:
    title: str
    grid: list[list[Any]]
    spans: dict[tuple[int, int], int]  # (row, col) -> id of a merge spanning several columns


class WorkbookError(LocalizedError):
    """A file that cannot be used as a whole (not a workbook, no table in it); nothing was
    written. The register, roadmap and report imports raise their own kinds of it."""


_OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the .xls (OLE2) signature


def open_workbook(
    source: Path | bytes | str,
    *,
    read_only: bool = False,
    error: type[WorkbookError] = WorkbookError,
) -> Workbook:
    """The workbook in a file or in bytes (values, not formulas), or ``error`` (a kind of
    :class:`WorkbookError`) saying in a sentence why it cannot be opened."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            raise error(N_("There is no file {path}"), path=str(path))
        data = path.read_bytes()
    if data[:8] == _OLD_EXCEL:
        raise error(
            N_("The file is in the old Excel format (.xls): open it in Excel and save as .xlsx")
        )
    from openpyxl import load_workbook

    try:
        return load_workbook(BytesIO(data), read_only=read_only, data_only=True)
    except Exception as problem:  # openpyxl raises many kinds for a file that is not a workbook
        raise error(N_("The file is not an Excel workbook (.xlsx)")) from problem


def load_sheets(
    source: Path | bytes | str, *, error: type[WorkbookError] = WorkbookError
) -> list[Sheet]:
    """Every sheet of the workbook as a grid (merged cells filled in)."""
    workbook = open_workbook(source, error=error)
    try:
        return [_read_sheet(sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _read_sheet(sheet: Worksheet) -> Sheet:
    merged = list(sheet.merged_cells.ranges)
    max_row = min(sheet.max_row, MAX_ROWS)
    max_col = min(sheet.max_column, MAX_COLUMNS)
    grid = [
        list(values)
        for values in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)
    ]
    spans: dict[tuple[int, int], int] = {}
    for number, cells in enumerate(merged):
        if cells.min_row > max_row or cells.min_col > max_col:
            continue
        value = grid[cells.min_row - 1][cells.min_col - 1]
        for row in range(cells.min_row - 1, min(cells.max_row, max_row)):
            for col in range(cells.min_col - 1, min(cells.max_col, max_col)):
                grid[row][col] = value
                if cells.max_col > cells.min_col:
                    spans[(row, col)] = number
    return Sheet(sheet.title, grid, spans)


def is_numbering(cells: list[Any]) -> bool:
    """A row like «1 2 3 4 5» under the header, numbering the columns."""
    numbers = []
    for value in cells:
        text = cell_text(value)
        if not text:
            continue
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 2 and all(b == a + 1 for a, b in pairwise(numbers))
