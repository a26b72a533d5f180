"""Announcements in Excel: one event (answers, attendance, delivery) and the year's
attendance per school (the record behind the «regional events» indicator)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.i18n import N_, translate
from storage.announcements import Announcement, AnswerRow, DeliveryRow
from storage.models import School

ANSWER_NAMES = {"yes": N_("coming"), "no": N_("not coming"), None: N_("no answer")}
STATE_NAMES = {
    "sent": N_("delivered"),
    "pending": N_("waiting"),
    "sending": N_("waiting"),
    "failed": N_("not delivered"),
    "blocked": N_("blocked the bot"),
}


@dataclass(frozen=True, slots=True)
class Attended:
    """A school at an event."""

    school_id: int
    announcement: Announcement
    staff: int | None


def _sheet(book: Workbook, title: str, headers: Iterable[str], first: bool = False) -> Worksheet:
    sheet = book.active if first else book.create_sheet()
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _widths(sheet: Worksheet) -> None:
    for column in sheet.columns:
        longest = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, longest + 2))


def _bytes(book: Workbook) -> bytes:
    for sheet in book.worksheets:
        _widths(sheet)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def event_workbook(
    announcement: Announcement,
    answers: Sequence[AnswerRow],
    attendance: Mapping[int, int | None],
    deliveries: Sequence[DeliveryRow],
    schools: Mapping[int, School],
    names: Mapping[int, str],
    locale: str,
    zone: ZoneInfo,
) -> bytes:
    """Three sheets: the answers, the attendance by school, and each message's delivery."""

    book = Workbook()
    sheet = _sheet(
        book,
        translate(locale, "Answers"),
        [
            translate(locale, "Municipality"),
            translate(locale, "School"),
            translate(locale, "Person"),
            translate(locale, "Answer"),
            translate(locale, "Staff"),
            translate(locale, "Answered"),
        ],
        first=True,
    )
    for row in answers:
        school = schools.get(row.school_id) if row.school_id is not None else None
        answered = (
            row.answered_at.astimezone(zone).replace(tzinfo=None) if row.answered_at else None
        )
        sheet.append(
            [
                school.municipality if school else "",
                school.name if school else "",
                row.full_name,
                translate(locale, ANSWER_NAMES[row.answer]),
                row.staff,
                answered,
            ]
        )
    expected = {row.school_id for row in answers if row.answer == "yes" and row.school_id}
    sheet = _sheet(
        book,
        translate(locale, "Attendance"),
        [
            translate(locale, "Municipality"),
            translate(locale, "School"),
            translate(locale, "Attended"),
            translate(locale, "Staff"),
            translate(locale, "Said they would come"),
        ],
    )
    listed = sorted(
        {*attendance, *expected} & set(schools),
        key=lambda school_id: (schools[school_id].municipality, schools[school_id].name),
    )
    for school_id in listed:
        school = schools[school_id]
        sheet.append(
            [
                school.municipality,
                school.name,
                translate(locale, "yes") if school_id in attendance else translate(locale, "no"),
                attendance.get(school_id),
                translate(locale, "yes") if school_id in expected else translate(locale, "no"),
            ]
        )
    sheet = _sheet(
        book,
        translate(locale, "Delivery"),
        [translate(locale, "Person"), translate(locale, "State"), translate(locale, "Reason")],
    )
    for delivery in deliveries:
        name = names.get(delivery.person_id or 0, str(delivery.chat_id))
        reason = delivery.last_error if delivery.state in ("failed", "blocked") else None
        sheet.append(
            [name, translate(locale, STATE_NAMES.get(delivery.state, delivery.state)), reason]
        )
    return _bytes(book)


def schools_workbook(
    year: int,
    schools: Sequence[School],
    attended: Iterable[Attended],
    locale: str,
    zone: ZoneInfo,
) -> bytes:
    """One row per school: the events of ``year`` it attended and the staff who came; and
    every attendance as a row of its own."""

    by_school: dict[int, list[Attended]] = defaultdict(list)
    for item in attended:
        by_school[item.school_id].append(item)
    book = Workbook()
    sheet = _sheet(
        book,
        translate(locale, "Schools {year}", year=year),
        [
            translate(locale, "Municipality"),
            translate(locale, "School"),
            "ШНОР",
            "ШССУ",
            translate(locale, "Events attended"),
            translate(locale, "Staff"),
            translate(locale, "Events"),
        ],
        first=True,
    )
    ordered = sorted(schools, key=lambda school: (school.municipality, school.name))
    for school in ordered:
        items = by_school.get(school.id, [])
        sheet.append(
            [
                school.municipality,
                school.name,
                _flag(school.is_shnor, locale),
                _flag(school.is_shssu, locale),
                len(items),
                sum(item.staff or 0 for item in items) or None,
                "; ".join(_event_name(item.announcement, zone) for item in items),
            ]
        )
    sheet = _sheet(
        book,
        translate(locale, "Attendance"),
        [
            translate(locale, "Municipality"),
            translate(locale, "School"),
            translate(locale, "Event"),
            translate(locale, "Date"),
            translate(locale, "Staff"),
        ],
    )
    for school in ordered:
        for item in by_school.get(school.id, []):
            starts = item.announcement.starts_at
            sheet.append(
                [
                    school.municipality,
                    school.name,
                    item.announcement.title,
                    starts.astimezone(zone).replace(tzinfo=None) if starts else None,
                    item.staff,
                ]
            )
    return _bytes(book)


def _flag(value: bool, locale: str) -> str:
    return translate(locale, "yes") if value else ""


def _event_name(announcement: Announcement, zone: ZoneInfo) -> str:
    if announcement.starts_at is None:
        return announcement.title
    return f"{announcement.title} ({announcement.starts_at.astimezone(zone):%d.%m.%Y})"
