"""The consultations report as an Excel workbook: per school against the target, per
curator, and every consultation of the year (as people read them, in their language)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.consultations.report import Report
from bot.i18n import N_, translate

BELOW = PatternFill("solid", fgColor="FDE9D9")  # a school below the target
HEADER = Font(bold=True)


@dataclass(frozen=True, slots=True)
class Row:
    """One consultation as the list sheet shows it (texts already in the reader's language)."""

    starts_at: datetime
    ends_at: datetime
    host: str
    school: str
    municipality: str
    format: str
    place: str
    topic: str
    status: str
    reason: str
    outcome: str


def _clean(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet(sheet: Worksheet, headers: list[str], rows: Sequence[Sequence[object]]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_clean(value) for value in row])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        longest = max([len(header)] + [len(str(row[index - 1] or "")) for row in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)


def write_workbook(report: Report, rows: Sequence[Row], locale: str, zone: ZoneInfo) -> bytes:
    def t(message: str, **params: object) -> str:
        return translate(locale, message, **params)

    book = Workbook()
    schools = book.active
    assert schools is not None
    schools.title = t(N_("By school"))[:31]
    _sheet(
        schools,
        [
            t(N_("Municipality")),
            t(N_("School")),
            t(N_("Held")),
            t(N_("Target")),
            t(N_("Below the target")),
            t(N_("Booked, to come")),
            t(N_("Did not take place")),
            t(N_("Cancelled")),
        ],
        [
            (
                row.school.municipality,
                row.school.name,
                row.counts.held,
                row.target,
                t(N_("yes")) if row.below else t(N_("no")),
                row.counts.upcoming,
                row.counts.missed,
                row.counts.cancelled,
            )
            for row in report.schools
        ],
    )
    for index, row in enumerate(report.schools, start=2):
        if row.below:
            for cell in schools[index]:
                cell.fill = BELOW
    hosts = book.create_sheet(t(N_("By curator"))[:31])
    _sheet(
        hosts,
        [
            t(N_("Curator")),
            t(N_("Held")),
            t(N_("Did not take place")),
            t(N_("Cancelled")),
            t(N_("Booked, to come")),
        ],
        [
            (
                host.name,
                host.counts.held,
                host.counts.missed,
                host.counts.cancelled,
                host.counts.upcoming,
            )
            for host in report.hosts
        ],
    )
    listing = book.create_sheet(t(N_("Consultations"))[:31])
    _sheet(
        listing,
        [
            t(N_("Date")),
            t(N_("Time")),
            t(N_("Curator")),
            t(N_("School")),
            t(N_("Municipality")),
            t(N_("Format")),
            t(N_("Link or place")),
            t(N_("Topic")),
            t(N_("State")),
            t(N_("Reason of a cancellation or move")),
            t(N_("Outcome")),
        ],
        [
            (
                row.starts_at.astimezone(zone).date(),
                f"{row.starts_at.astimezone(zone):%H:%M}–{row.ends_at.astimezone(zone):%H:%M}",
                row.host,
                row.school,
                row.municipality,
                row.format,
                row.place,
                row.topic,
                row.status,
                row.reason,
                row.outcome,
            )
            for row in rows
        ],
    )
    for cell in listing["A"][1:]:
        cell.number_format = "DD.MM.YYYY"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
