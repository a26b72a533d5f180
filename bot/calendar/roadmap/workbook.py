"""Writing a roadmap as a workbook: the empty template and the demo roadmap (seed 000)."""

from __future__ import annotations

import tomllib
from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.calendar.roadmap.reading import build
from bot.calendar.roadmap.rows import TEMPLATE_EXAMPLE, Raw
from bot.calendar.roadmap.sheet import DEMO_ROADMAP, RoadmapSheet
from bot.i18n import N_, translate

# --------------------------------------------------------------------------- writing

SHEET_NAME = "Дорожная карта"
FIRST_ROW = 4  # title in row 1, header in row 3, actions from row 4
_WRITE_COLUMNS = (
    # header, width, RoadmapRow attribute
    ("№ п/п", 7, "number"),
    ("Мероприятие", 70, "title"),
    ("Сроки", 24, "period"),
    ("Ответственные", 30, "responsible"),
    ("Ожидаемый результат", 40, "result"),
)


def _layout(entries: list[dict[str, str]]) -> list[Raw]:
    """Rows as :func:`write_roadmap_xlsx` places them: a section row before each new section."""
    raws: list[Raw] = []
    row, section = FIRST_ROW, ""
    for entry in entries:
        if entry.get("section", "") and entry["section"] != section:
            section = entry["section"]
            raws.append(Raw(row, "", section, "", "", "", None, section=True))
            row += 1
        raws.append(
            Raw(
                row,
                entry.get("number", ""),
                entry["title"],
                entry.get("period", ""),
                entry.get("responsible", ""),
                entry.get("result", ""),
                None,
            )
        )
        row += 1
    return raws


def write_roadmap_xlsx(sheet: RoadmapSheet, path: Path | None = None) -> bytes:
    """The roadmap as a workbook that :func:`read_roadmap` reads back row for row."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet.sheet[:31] or SHEET_NAME
    width = len(_WRITE_COLUMNS)
    ws.cell(1, 1, sheet.title).font = Font(bold=True, size=13)
    ws.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 15 * (1 + len(sheet.title) // 120)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (header, col_width, _attr) in enumerate(_WRITE_COLUMNS, start=1):
        cell = ws.cell(3, col, header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = col_width
    row, section = FIRST_ROW, ""
    for entry in sheet.rows:
        if entry.section and entry.section != section:
            section = entry.section
            ws.cell(row, 1, section).font = Font(bold=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
        for col, (_header, _width, attr) in enumerate(_WRITE_COLUMNS, start=1):
            cell = ws.cell(row, col, getattr(entry, attr) or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"
        row += 1
    ws.freeze_panes = "A4"
    buffer = BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return content


def write_template(path: Path, *, today: date, locale: str = "ru") -> None:
    """An empty roadmap with the expected headers and one example row (skipped on import)."""
    title = translate(locale, N_("Roadmap for {year}"), year=today.year)
    sheet = build(title, SHEET_NAME, _layout([TEMPLATE_EXAMPLE]), today=today)
    write_roadmap_xlsx(sheet, path)


def load_roadmap_toml(
    path: Path = DEMO_ROADMAP, window: tuple[date, date] | None = None, title: str | None = None
) -> RoadmapSheet:
    """A roadmap kept as data (``title``, ``years = [first, last]``, ``[[rows]]`` with
    ``title``, ``period`` and optional ``number``, ``section``, ``responsible``,
    ``result``): the same :class:`RoadmapSheet` the workbook written from it reads as."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    first, last = data["years"]
    start, end = window or (date(first, 1, 1), date(last, 12, 31))
    entries = [{key: str(value) for key, value in row.items()} for row in data["rows"]]
    return build(
        title or data["title"],
        data.get("sheet", SHEET_NAME),
        _layout(entries),
        start=start,
        end=end,
    )


def demo_roadmap(today: date | None = None) -> RoadmapSheet:
    """Seed 000: the Lipetsk region's 2018 plan-schedule for schools with low results; with
    ``today``, the same actions placed in the school year that ``today`` belongs to (from
    1 September to 31 August), so the demo's calendar always has something coming."""
    if today is None:
        return load_roadmap_toml(DEMO_ROADMAP)
    first = today.year if today.month >= 9 else today.year - 1
    title = (
        "План-график реализации мероприятий по поддержке школ с низкими результатами обучения"
        f" и школ, функционирующих в неблагоприятных социальных условиях, на {first}/"
        f"{(first + 1) % 100:02d} учебный год (демонстрационный, по плану-графику 2018 года)"
    )
    return load_roadmap_toml(DEMO_ROADMAP, (date(first, 9, 1), date(first + 1, 8, 31)), title)
