"""The execution report as an Excel workbook: the actions (one row per action, point and
part), the totals per roadmap, and the history of every answer.

Evidence files stay in Telegram: a file's name is a link that opens the bot, which sends
the file to whoever may see it; the note above the table says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.calendar.execution.progress import Progress
from bot.calendar.execution.report import HistoryRow, ReportRow
from bot.calendar.execution.status import Mark
from bot.i18n import N_, translate

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FILLS = {
    Mark.DONE: PatternFill("solid", fgColor="E2EFDA"),
    Mark.OVERDUE: PatternFill("solid", fgColor="FCE4D6"),
    Mark.NOT_DONE: PatternFill("solid", fgColor="F8CBAD"),
    Mark.POSTPONED: PatternFill("solid", fgColor="FFF2CC"),
}
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_CELL = 32_000  # Excel keeps at most 32,767 characters in a cell

ACTION_COLUMNS = (
    (N_("Roadmap"), 30),
    (N_("No."), 7),
    (N_("Action"), 50),
    (N_("Period (as written)"), 20),
    (N_("Due"), 12),
    (N_("Responsible (as written)"), 24),
    (N_("Part"), 28),
    (N_("Municipality"), 20),
    (N_("Status"), 22),
    (N_("Confirmed on"), 17),
    (N_("Confirmed by"), 24),
    (N_("File"), 26),
    (N_("Link"), 30),
    (N_("Evidence (text)"), 36),
    (N_("Comment or reason"), 36),
    (N_("Earlier answers"), 10),
)
HISTORY_COLUMNS = (
    (N_("Answered on"), 17),
    (N_("Roadmap"), 30),
    (N_("No."), 7),
    (N_("Action"), 50),
    (N_("Due"), 12),
    (N_("Part"), 28),
    (N_("Answer"), 26),
    (N_("Answered by"), 24),
    (N_("File"), 26),
    (N_("Link"), 30),
    (N_("Evidence (text)"), 36),
    (N_("Comment or reason"), 36),
)
TOTAL_COLUMNS = (
    (N_("Roadmap"), 50),
    (N_("Actions"), 10),
    (N_("Carried out"), 10),
    (N_("Overdue, not confirmed"), 14),
    (N_("Not done"), 10),
    (N_("Postponed"), 12),
    (N_("Waiting for confirmation"), 14),
    (N_("In progress"), 10),
    (N_("Not due yet"), 10),
    (N_("No dates"), 10),
)


@dataclass(frozen=True, slots=True)
class ReportHeading:
    title: str  # «Исполнение дорожной карты … за 2026 год»
    made_at: datetime  # local time
    zone_name: str
    has_bot_link: bool  # file names link to the bot


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
    return value


def _header(sheet: Worksheet, row: int, columns: Sequence[tuple[str, int]], locale: str) -> None:
    for index, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=translate(locale, title))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.auto_filter.ref = f"A{row}:{get_column_letter(len(columns))}{row}"


def _put(sheet: Worksheet, row: int, values: Sequence[Any]) -> None:
    for index, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=index, value=_clean(value))
        cell.alignment = WRAP
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT


def _linked(sheet: Worksheet, row: int, column: int, url: str | None) -> None:
    if url:
        cell = sheet.cell(row=row, column=column)
        cell.hyperlink = url
        cell.style = "Hyperlink"
        cell.alignment = WRAP


def write_report(
    heading: ReportHeading,
    rows: list[ReportRow],
    history: list[HistoryRow],
    totals: list[tuple[str, Progress]],
    locale: str,
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = translate(locale, "Execution")[:31]
    sheet.cell(row=1, column=1, value=_clean(heading.title)).font = Font(bold=True, size=13)
    made = translate(
        locale,
        "Made on {date} ({zone}). The latest answer of each part counts; earlier ones are on "
        "the History sheet.",
        date=heading.made_at.strftime("%d.%m.%Y %H:%M"),
        zone=heading.zone_name,
    )
    sheet.cell(row=2, column=1, value=made)
    note = (
        N_(
            "Files stay in the bot's chat: click a file's name to open the bot, which sends it "
            "to you; or in the bot: /progress → the roadmap → the action → the file's button."
        )
        if heading.has_bot_link
        else N_(
            "Files stay in the bot's chat: /progress → the roadmap → the action → the file's "
            "button."
        )
    )
    sheet.cell(row=3, column=1, value=translate(locale, note))
    header_row = 5
    _header(sheet, header_row, ACTION_COLUMNS, locale)
    for offset, item in enumerate(rows, start=header_row + 1):
        _put(
            sheet,
            offset,
            [
                item.roadmap,
                item.number,
                item.title,
                item.period,
                item.due,
                item.responsible,
                item.part,
                item.municipality,
                item.status,
                item.answered_at,
                item.answered_by,
                item.file_name,
                item.link,
                item.evidence,
                item.comment,
                item.earlier or None,
            ],
        )
        fill = FILLS.get(item.mark)
        if fill is not None:
            sheet.cell(row=offset, column=9).fill = fill
        _linked(sheet, offset, 12, item.file_url)
        _linked(sheet, offset, 13, item.link)

    summary = book.create_sheet(translate(locale, "Totals")[:31])
    _header(summary, 1, TOTAL_COLUMNS, locale)
    for offset, (title, progress) in enumerate(totals, start=2):
        _put(
            summary,
            offset,
            [
                title,
                progress.total,
                progress.done,
                progress.overdue,
                progress.not_done,
                progress.postponed,
                progress.awaiting,
                progress.in_progress,
                progress.upcoming,
                progress.no_dates,
            ],
        )

    past = book.create_sheet(translate(locale, "History")[:31])
    _header(past, 1, HISTORY_COLUMNS, locale)
    for offset, entry in enumerate(history, start=2):
        _put(
            past,
            offset,
            [
                entry.answered_at,
                entry.roadmap,
                entry.number,
                entry.title,
                entry.due,
                entry.part,
                entry.status,
                entry.answered_by,
                entry.file_name,
                entry.link,
                entry.evidence,
                entry.comment,
            ],
        )
        _linked(past, offset, 9, entry.file_url)
        _linked(past, offset, 10, entry.link)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
