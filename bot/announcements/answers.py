"""Who is coming: the answers to an announcement counted and listed by municipality and
school, the attendance list the coordinator marks after the event, and the record of a
school's participation the indicator form shows as a hint."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.i18n import translate, translate_plural
from storage.announcements import AnswerRow
from storage.models import School

HINT_EVENTS = 5  # events named in the form's hint


@dataclass(frozen=True, slots=True)
class Counts:
    coming: int  # people who said they will come
    schools: int  # schools with someone coming
    staff: int  # the staff principals said will come (a principal alone counts as one)
    not_coming: int
    silent: int


def count(rows: Sequence[AnswerRow]) -> Counts:
    coming = [row for row in rows if row.answer == "yes"]
    return Counts(
        coming=len(coming),
        schools=len({row.school_id for row in coming if row.school_id is not None}),
        staff=sum(row.staff or 1 for row in coming if row.school_id is not None),
        not_coming=sum(1 for row in rows if row.answer == "no"),
        silent=sum(1 for row in rows if row.answer is None),
    )


def counts_line(counts: Counts, locale: str) -> str:
    """ "Coming: 5 (from 4 schools, 9 of their staff) · not coming: 2 · no answer: 10"."""
    coming = translate(locale, "Coming: {n}", n=counts.coming)
    if counts.schools:
        coming += " " + translate_plural(
            locale,
            "(from {n} school, staff: {staff})",
            "(from {n} schools, staff: {staff})",
            counts.schools,
            staff=counts.staff,
        )
    return " · ".join(
        [
            coming,
            translate(locale, "not coming: {n}", n=counts.not_coming),
            translate(locale, "no answer: {n}", n=counts.silent),
        ]
    )


def answers_text(
    title: str, rows: Sequence[AnswerRow], schools: Mapping[int, School], locale: str
) -> str:
    """The answers by municipality and school; people without a school (curators,
    coordinators) last. Those who have not answered are counted, not named."""
    lines = [
        translate(locale, "<b>Answers to «{title}»</b>", title=escape(title)),
        counts_line(count(rows), locale),
    ]
    answered = [row for row in rows if row.answer is not None]
    by_place: dict[str, dict[str, list[AnswerRow]]] = defaultdict(lambda: defaultdict(list))
    others = []
    for row in answered:
        school = schools.get(row.school_id) if row.school_id is not None else None
        if school is None:
            others.append(row)
        else:
            by_place[school.municipality][school.display_name].append(row)
    for municipality in sorted(by_place):
        lines += ["", f"<b>{escape(municipality)}</b>"]
        for name in sorted(by_place[municipality]):
            people = "; ".join(_person_answer(row, locale) for row in by_place[municipality][name])
            lines.append(f"• {escape(name)}: {people}")
    if others:
        lines += ["", translate(locale, "<b>Curators and coordinators</b>")]
        lines += [f"• {_person_answer(row, locale)}" for row in others]
    return "\n".join(lines)


def _person_answer(row: AnswerRow, locale: str) -> str:
    name = escape(row.full_name)
    if row.answer == "no":
        return translate(locale, "{name} — not coming", name=name)
    if row.staff and row.school_id is not None:
        return translate_plural(
            locale,
            "{name} — coming, {n} of the staff",
            "{name} — coming, {n} of the staff",
            row.staff,
            name=name,
        )
    return translate(locale, "{name} — coming", name=name)


def expected_staff(rows: Sequence[AnswerRow]) -> dict[int, int]:
    """Per school whose people said they will come: how many of its staff (at least one)."""
    found: dict[int, int] = {}
    for row in rows:
        if row.answer == "yes" and row.school_id is not None:
            found[row.school_id] = max(found.get(row.school_id, 0), row.staff or 1)
    return found


def participation_hint(
    attended: Sequence[tuple[str, datetime]], year: int, zone: ZoneInfo, locale: str
) -> str:
    """For the form's «regional events» question: the events of ``year`` the program
    recorded the school at (title, start)."""
    if not attended:
        return translate(
            locale,
            "The program has no record of your school at its events in {year}.",
            year=year,
        )
    named = [
        f"«{escape(title)}» ({format_date(start.astimezone(zone).date(), 'd MMMM', locale=locale)})"
        for title, start in attended[:HINT_EVENTS]
    ]
    if len(attended) > HINT_EVENTS:
        named.append(
            translate_plural(locale, "and {n} more", "and {n} more", len(attended) - HINT_EVENTS)
        )
    return translate_plural(
        locale,
        "By the program's record, your school attended {n} regional event in {year}: {events}.",
        "By the program's record, your school attended {n} regional events in {year}: {events}.",
        len(attended),
        year=year,
        events=", ".join(named),
    )
