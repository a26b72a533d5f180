"""Finding a roadmap's header row: variant column names, any order, over one or two rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.calendar.roadmap.sheet import HEADER_SEARCH_ROWS
from bot.xlsx.cells import cell_text, compact
from bot.xlsx.sheets import Sheet

# --------------------------------------------------------------------------- header

_PARENS = re.compile(r"\([^)]*\)")

# column key -> prefixes of the compacted header (letters and digits, lower case)
_PREFIXES: dict[str, tuple[str, ...]] = {
    "number": ("№", "№пп", "пп", "n", "no", "номер"),
    "year": ("годвыполнения", "годреализации", "годисполнения", "год", "годы"),
    "title": (
        "мероприят",
        "наименованиемероприят",
        "наименованиедейств",
        "наименованиеработ",
        # seed 001's district plan heads its actions «Наименование показателей»
        "наименованиепоказател",
        "переченьмероприят",
        "переченьдейств",
        "содержаниемероприят",
        "содержаниедейств",
        "содержаниеработ",
        "названиемероприят",
        "действие",
        "действия",
    ),
    "period": ("срок", "период", "датапроведения", "датаисполнения", "времяпроведения", "дата"),
    "responsible": ("ответствен", "исполнител", "ответсв"),
    "result": (
        "результат",
        "ожидаемыйрезультат",
        "ожидаемыерезультат",
        "планируемыйрезультат",
        "планируемыерезультат",
        "итоговыйдокумент",
        "формаотчет",
    ),
}
_EXACT = {"number", "year"}  # these must match a whole header, not a prefix
LABELS = {
    "number": "«№ п/п»",
    "title": "«Мероприятие», «Наименование мероприятия», «Перечень мероприятий»",
    "period": "«Сроки», «Срок (период)», «Сроки исполнения», «Срок исполнения»",
    "responsible": "«Ответственные», «Ответственный исполнитель»",
    "result": "«Ожидаемый результат», «Результат»",
}


def header_of(text: str) -> str | None:
    """The column a header cell names, or None."""
    if not isinstance(text, str):
        return None
    key = compact(_PARENS.sub(" ", text)) or compact(text)
    if not key or len(text) > 200:
        return None
    for column in ("number", "year"):
        if key in _PREFIXES[column]:
            return column
    for column in ("period", "responsible", "result", "title"):
        if any(key.startswith(prefix) for prefix in _PREFIXES[column]):
            return column
    return None


@dataclass(frozen=True, slots=True)
class Header:
    sheet: int
    first: int  # 0-based rows of the header
    last: int
    columns: dict[str, int]

    @property
    def complete(self) -> bool:
        return "title" in self.columns and "period" in self.columns

    def score(self) -> tuple[bool, int]:
        return self.complete, len(self.columns)


def _match_row(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(cells):
        column = header_of(value) if isinstance(value, str) else None
        if column is not None and column not in found and col not in found.values():
            found[column] = col
    return found


def _match_pair(upper: list[Any], lower: list[Any]) -> dict[str, int]:
    """A header over two rows: the lower cell where it names a column, else the upper one,
    else both read together («Срок (период)» over «выполнения»)."""
    found: dict[str, int] = {}
    for col in range(max(len(upper), len(lower))):
        top = upper[col] if col < len(upper) else None
        bottom = lower[col] if col < len(lower) else None
        candidates = [bottom, top]
        if isinstance(top, str) and isinstance(bottom, str) and top != bottom:
            candidates.append(top + "\n" + bottom)
        for value in candidates:
            column = header_of(value) if isinstance(value, str) else None
            if column is not None:
                if column not in found:
                    found[column] = col
                break
    return found


def _continues(upper: list[Any], lower: list[Any], columns: dict[str, int]) -> bool:
    """Whether ``lower`` finishes the header cells of ``upper`` («Год» over «выполнения»):
    nothing under the action column, and every filled cell read with the one above it
    still names the same column."""
    title = columns.get("title")
    filled = [col for col, value in enumerate(lower) if cell_text(value)]
    if not filled or (title is not None and title in filled):
        return False
    owners = {col: key for key, col in columns.items()}
    for col in filled:
        top = upper[col] if col < len(upper) else None
        if col not in owners or not isinstance(top, str) or not isinstance(lower[col], str):
            return False
        if header_of(top + "\n" + lower[col]) != owners[col]:
            return False
    return True


def find_headers(sheets: list[Sheet]) -> list[Header]:
    """Header candidates: single rows, and two-storey headers (merged cells over two rows,
    or header words finished in the row below)."""
    found: list[Header] = []
    for index, sheet in enumerate(sheets):
        limit = min(len(sheet.grid), HEADER_SEARCH_ROWS)
        singles = [_match_row(sheet.grid[row]) for row in range(min(limit + 1, len(sheet.grid)))]
        lower_storey = False
        for row in range(limit):
            single = singles[row]
            if row + 1 < len(singles):
                upper, lower = sheet.grid[row], sheet.grid[row + 1]
                pair = _match_pair(upper, lower)
                below = singles[row + 1]
                storeys = len(single) >= 2 and len(pair) >= len(below) and len(pair) > len(single)
                if storeys or (len(single) >= 2 and _continues(upper, lower, single)):
                    found.append(Header(index, row, row + 1, pair if storeys else single))
                    lower_storey = True
                    continue
            if len(single) >= 2 and not lower_storey:
                found.append(Header(index, row, row, single))
            lower_storey = False
    return found
