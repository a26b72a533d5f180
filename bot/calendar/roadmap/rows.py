"""The rows under a roadmap's header: actions, section headings, rows to skip."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.calendar.period import MAX_YEAR, MIN_YEAR
from bot.calendar.roadmap.header import Header, header_of
from bot.calendar.roadmap.sheet import TITLE_MAX
from bot.calendar.roadmap.text import unwrap
from bot.xlsx.cells import cell_text, compact
from bot.xlsx.sheets import Sheet, is_numbering

# --------------------------------------------------------------------------- rows

_SECTION_TEXT = re.compile(
    r"^(?:(?:раздел|блок|направление|этап|часть|глава)\s*\S"
    r"|[IVXLC]+\s*[.)]?\s+\S"
    r"|\d+(?:\.\d+)*\.?\s+\S)",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?:\s*[-–—/]\s*((?:19|20)\d{2}))?(?![\d.,])")
_STAMPS = ("утвержд", "согласован", "приложени", "кприказу", "кпостановлени", "краспоряжени")


@dataclass(slots=True)
class Raw:
    row: int
    number: str
    title: str
    period: str
    responsible: str
    result: str
    years: tuple[int, int] | None
    section: bool = False


def years_in(text: str) -> list[int]:
    years: list[int] = []
    for match in _YEAR.finditer(text):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if MIN_YEAR <= first <= last <= MAX_YEAR:
            years += [first, last]
    return years


def _text(cells: list[Any], col: int | None) -> str:
    if col is None or col >= len(cells):
        return ""
    return unwrap(cell_text(cells[col]))


def _is_parent(number: str, following: str) -> bool:
    stem = number.rstrip(".")
    return bool(stem) and following.startswith(stem + ".") and len(following) > len(stem) + 1


def raw_rows(sheet: Sheet, header: Header) -> list[Raw]:
    columns = header.columns
    data_cols = {col for key, col in columns.items() if key not in ("number", "year")}
    number_col = columns.get("number")
    rows: list[Raw] = []
    year: tuple[int, int] | None = None
    for offset, index in enumerate(range(header.last + 1, len(sheet.grid))):
        cells = sheet.grid[index]
        if offset < 2 and is_numbering(cells):
            continue
        filled = [col for col, value in enumerate(cells) if cell_text(value)]
        if not filled:
            continue
        labels = [col for col in filled if header_of(cell_text(cells[col])) is not None]
        if len(labels) >= 2 and len(labels) == len(filled):
            continue  # the header repeated on a new printed page
        if "year" in columns:
            found = years_in(_text(cells, columns["year"]))
            if found:
                year = (min(found), max(found))
        spans = {sheet.spans.get((index, col)) for col in filled}
        first_text = unwrap(cell_text(cells[filled[0]]))
        lone = len(filled) == 1
        if (
            (len(spans) == 1 and None not in spans)
            or (lone and _SECTION_TEXT.match(first_text) and filled[0] != columns.get("period"))
            or (lone and filled[0] == number_col and not re.fullmatch(r"[\d.]+", first_text))
            or (lone and filled[0] not in data_cols | {number_col, columns.get("year")})
        ):
            rows.append(Raw(index + 1, "", first_text, "", "", "", year, section=True))
            continue
        raw = Raw(
            index + 1,
            _text(cells, number_col),
            _text(cells, columns.get("title")),
            _text(cells, columns.get("period")),
            _text(cells, columns.get("responsible")),
            _text(cells, columns.get("result")),
            year,
        )
        if not (raw.title or raw.period) or is_example(raw):
            continue
        rows.append(raw)
    # «1.» or «I» with no period, responsible or result, heading «1.1», «1.2» ...: a section
    for k, raw in enumerate(rows):
        if raw.section or raw.period or raw.responsible or raw.result or not raw.number:
            continue
        following = next((r.number for r in rows[k + 1 :] if not r.section), "")
        if _ROMAN.match(raw.number) or _is_parent(raw.number, following):
            raw.section = True
            raw.title = f"{raw.number} {raw.title}".strip()
    return rows


def title_above(sheet: Sheet, header: Header) -> str:
    lines: list[str] = []
    for cells in sheet.grid[: header.first]:
        seen: list[str] = []
        for value in cells:
            text = unwrap(cell_text(value))
            if text and text not in seen:
                seen.append(text)
        line = " ".join(seen)
        if line and not any(compact(line).startswith(stamp) for stamp in _STAMPS):
            lines.append(line)
    return " ".join(lines)[:TITLE_MAX]


# the template's example row (see ``workbook.write_template``): skipped when read back
TEMPLATE_EXAMPLE = {
    "number": "1",
    "title": "Семинар для руководителей ОО (пример: замените или удалите эту строку)",
    "period": "март - апрель",
    "responsible": "Координатор, кураторы",
    "result": "Проведён семинар",
}


def is_example(raw: Raw) -> bool:
    return raw.title == TEMPLATE_EXAMPLE["title"]
