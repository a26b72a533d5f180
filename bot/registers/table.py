"""Finding a register's table in a workbook: the best header row on any sheet (also over
two rows), then the data rows under it, with section headings such as a municipality
merged over its schools."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n import N_
from bot.registers.columns import HEADERS, REQUIRED, match_header
from bot.registers.report import Kind, RegisterError
from bot.registers.template import is_example
from bot.xlsx.cells import cell_text, compact, one_line
from bot.xlsx.sheets import Sheet, is_numbering, load_sheets

HEADER_SEARCH_ROWS = 30


@dataclass(slots=True)
class RegisterRow:
    number: int  # the row number Excel shows
    text: dict[str, str]  # column key -> cell text
    raw: dict[str, Any]  # column key -> cell value as stored
    section: str | None  # the last section heading above, e.g. a merged «Ливенский район»


@dataclass(slots=True)
class RegisterTable:
    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[RegisterRow]

    def has(self, key: str) -> bool:
        return key in self.columns


@dataclass(slots=True)
class _Header:
    sheet: int
    first: int
    last: int
    columns: dict[str, int]

    def score(self, kind: Kind) -> tuple[bool, int]:
        return _has_required(self.columns, kind), len(self.columns)


def _has_required(columns: Iterable[str], kind: Kind) -> bool:
    present = set(columns)
    return all(any(option <= present for option in options) for options in REQUIRED[kind])


def _match_cells(cells: list[Any], kind: Kind) -> dict[str, tuple[int, bool]]:
    """Column key -> (column index, exact) for one header row; leftmost exact match wins."""
    found: dict[str, tuple[int, bool]] = {}
    for col, value in enumerate(cells):
        if not isinstance(value, str):
            continue
        match = match_header(value, kind)
        if match is None:
            continue
        key, exact = match
        if key not in found or (exact and not found[key][1]):
            found[key] = (col, exact)
    return found


def _columns_of(found: dict[str, tuple[int, bool]]) -> dict[str, int]:
    """Drop a column claimed twice (a merged header cell) and the ignored number column."""
    columns: dict[str, int] = {}
    taken: set[int] = set()
    for key, (col, _exact) in sorted(found.items(), key=lambda item: not item[1][1]):
        if col not in taken:
            columns[key] = col
            taken.add(col)
    return columns


def _headers_in(sheet: Sheet, index: int, kind: Kind) -> list[_Header]:
    headers = []
    limit = min(len(sheet.grid), HEADER_SEARCH_ROWS)
    singles = [_columns_of(_match_cells(sheet.grid[row], kind)) for row in range(limit)]
    for row in range(limit):
        headers.append(_Header(index, row, row, singles[row]))
        if row + 1 < limit:
            # a two-storey header: «Категория» over «ШНОР» | «ШССУ»; the lower cell is more specific
            upper = _match_cells(sheet.grid[row], kind)
            lower = _match_cells(sheet.grid[row + 1], kind)
            pair = _columns_of({**lower, **{k: v for k, v in upper.items() if k not in lower}})
            if len(pair) > max(len(singles[row]), len(singles[row + 1])):
                headers.append(_Header(index, row, row + 1, pair))
    return headers


def _sheet_headers(sheets: list[Sheet], kind: Kind) -> list[_Header]:
    """The best header row of each sheet that has one, best first (ties keep sheet order)."""
    found = []
    for index, sheet in enumerate(sheets):
        best: _Header | None = None
        for header in _headers_in(sheet, index, kind):
            fields = {key for key in header.columns if key != "number"}
            if len(fields) >= 2 and (best is None or header.score(kind) > best.score(kind)):
                best = header
        if best is not None:
            found.append(best)
    return sorted(found, key=lambda header: header.score(kind), reverse=True)


_TOTALS = ("итого", "всего")
_MUNICIPALITY_WORDS = ("район", "округ", "город", "г.", "муниципал", "поселок", "посёлок", "зато")
_SECTION_NUMBER = re.compile(r"^\s*(?:\d+|[IVXLC]+)[.)]\s*")


def read_table(source: Path | bytes | str, kind: Kind) -> RegisterTable:
    sheets = load_sheets(source, error=RegisterError)
    candidates = _sheet_headers(sheets, kind)
    header = candidates[0] if candidates else None
    # equally good headers on several sheets (a blank copy, an old version): take one with rows
    for candidate in candidates:
        if candidate.score(kind) < candidates[0].score(kind):
            break
        if _data_rows(sheets[candidate.sheet], candidate, kind)[0]:
            header = candidate
            break
    other: Kind = "people" if kind == "schools" else "schools"
    others = _sheet_headers(sheets, other)
    other_header = others[0] if others else None
    if other_header is not None and other_header.score(other)[0]:
        this_score = header.score(kind) if header else (False, 0)
        if not this_score[0] or other_header.score(other)[1] > this_score[1]:
            raise RegisterError(
                N_("This looks like a register of people, not of schools")
                if other == "people"
                else N_("This looks like a register of schools, not of people")
            )
    if header is None:
        expected = ", ".join(
            f"«{HEADERS[kind][key]}»"
            for key in (("name", "municipality") if kind == "schools" else ("full_name", "role"))
        )
        raise RegisterError(
            N_("No table header found: expected columns such as {columns}"), columns=expected
        )
    sheet = sheets[header.sheet]
    missing = _missing_required(header.columns, kind)
    rows, sections = _data_rows(sheet, header, kind)
    if missing and not (missing == "municipality" and sections):
        raise RegisterError(
            N_("Column «{column}» not found (header in row {row} of sheet “{sheet}”)"),
            column=HEADERS[kind][missing],
            row=header.last + 1,
            sheet=sheet.title,
        )
    if not rows:
        raise RegisterError(
            N_("There are no rows under the header (row {row} of sheet “{sheet}”)"),
            row=header.last + 1,
            sheet=sheet.title,
        )
    return RegisterTable(sheet.title, header.last + 1, header.columns, rows)


def _missing_required(columns: dict[str, int], kind: Kind) -> str | None:
    for options in REQUIRED[kind]:
        if not any(option <= set(columns) for option in options):
            return sorted(options[0])[0]
    return None


def _data_rows(sheet: Sheet, header: _Header, kind: Kind) -> tuple[list[RegisterRow], bool]:
    """The rows under the header that carry data, and whether section headings were seen."""
    columns = {key: col for key, col in header.columns.items() if key != "number"}
    rows: list[RegisterRow] = []
    section: str | None = None
    saw_section = False
    start = header.last + 1
    for offset, row in enumerate(range(start, len(sheet.grid))):
        cells = sheet.grid[row]
        if offset < 2 and is_numbering(cells):
            continue
        filled = [col for col, value in enumerate(cells) if cell_text(value)]
        if not filled:
            continue
        if any(compact(cell_text(cells[col])).startswith(_TOTALS) for col in filled[:2]):
            continue
        spans = {sheet.spans.get((row, col)) for col in filled}
        merged_heading = len(spans) == 1 and None not in spans
        # or a lone cell outside the data columns, typically under «№»
        lone_heading = len(filled) == 1 and filled[0] not in columns.values()
        if merged_heading or lone_heading:
            heading = _SECTION_NUMBER.sub("", one_line(cell_text(cells[filled[0]])))
            if any(word in heading.casefold() for word in _MUNICIPALITY_WORDS):
                section, saw_section = heading, True
                continue
            if merged_heading:
                continue  # another kind of heading, such as «ШНОР»
        text = {
            key: cell_text(cells[col]) if col < len(cells) else "" for key, col in columns.items()
        }
        if not any(text.values()):
            continue
        in_columns = [cells[col] for col in columns.values() if col < len(cells)]
        labels = [value for value in in_columns if cell_text(value)]
        if len(labels) >= 2 and all(_is_label(value, kind) for value in labels):
            continue  # the header (or its lower storey) repeated further down a printed table
        raw = {key: cells[col] if col < len(cells) else None for key, col in columns.items()}
        if is_example(kind, text):
            continue
        rows.append(RegisterRow(row + 1, text, raw, section))
    return rows, saw_section


def _is_label(value: Any, kind: Kind) -> bool:
    if not isinstance(value, str):
        return False
    match = match_header(value, kind)
    return match is not None and match[1]
