"""Execution in /calendar: the mark of each calendar line (an action's period ending on a
day) for the person, and under an action's details the person's own parts with their
latest answers and the buttons to answer (again); a coordinator's way to its progress.
"""

from __future__ import annotations

from datetime import date
from html import escape
from zoneinfo import ZoneInfo

from bot.calendar.execution.evidence import evidence_example
from bot.calendar.execution.ledger import Ledger, load_ledger, viewer_filter
from bot.calendar.execution.parts import Part, answers_for, confirms, municipality_index, sees
from bot.calendar.execution.screens import Button, Screen
from bot.calendar.execution.status import Mark, current_point
from bot.calendar.execution.texts import answer_words, marked, part_label, point_words
from bot.calendar.view import shorten
from bot.i18n import translate, translate_plural
from storage.calendar import Event
from storage.models import Roles
from storage.repo import Repo


async def calendar_block(
    repo: Repo, roles: Roles, event: Event, today: date, locale: str, zone: ZoneInfo
) -> Screen:
    """Under an action's details in /calendar (see :func:`own_block`); empty when the
    action is gone."""
    ledger = await load_ledger(repo, [event.roadmap_id])
    found = ledger.event(event.id)
    if found is None:
        return Screen("")
    return own_block(ledger, roles, found, today, locale, zone)


async def calendar_notes(
    repo: Repo, roles: Roles, actions: list[tuple[int, date]], today: date, locale: str
) -> dict[tuple[int, date], str]:
    """The marks of calendar lines (action, end of its period): ✅ done, ⚠️ overdue, ..."""
    if not actions:
        return {}
    ledger = await load_ledger(repo)
    notes = {}
    for event_id, point in actions:
        event = ledger.event(event_id)
        if event is not None:
            note = calendar_note(ledger, roles, event, point, today, locale)
            if note:
                notes[(event_id, point)] = note
    return notes


def own_parts(ledger: Ledger, roles: Roles, event: Event) -> list[Part]:
    """The parts of the action that are the person's own (not those they may answer for on
    a party's behalf: a regional coordinator is not offered every municipality's)."""
    municipality = ledger.roadmap_of(event).municipality
    return [
        part
        for part in ledger.parts(event)
        if answers_for(roles, part, event.roles, municipality, ledger.schools)
    ]


def own_block(
    ledger: Ledger, roles: Roles, event: Event, today: date, locale: str, zone: ZoneInfo
) -> Screen:
    """Under an action's details: the person's own parts with their latest answers and the
    buttons to answer (again); for a coordinator, the way to the action's progress."""
    lines: list[str] = []
    screen = Screen("")
    parts = ledger.parts(event)
    mine = own_parts(ledger, roles, event)
    for part in mine:
        points = ledger.points.get(event.id, [])
        latest = ledger.latest(event, part)
        point = current_point(points, latest, today)
        mark = ledger.part_mark(event, part, today)
        label = escape(part_label(part, ledger.schools, locale))
        lines.append(
            translate(
                locale, "<b>Your part</b> ({part}): {mark}", part=label, mark=marked(mark, locale)
            )
        )
        answer = ledger.last_answer(event, part)
        if answer is not None:
            lines.append(
                "   " + answer_words(answer, zone, locale, who=False).replace("\n", "\n   ")
            )
        if point is not None:
            lines.append(
                "   "
                + translate(
                    locale,
                    "Your answer now is about: {point}",
                    point=point_words(point, ledger.is_checkpoint(event, point), locale),
                )
            )
        ids = {
            "event_id": event.id,
            "school_id": part.school_id or 0,
            "muni": municipality_index(parts, part),
            "point": point.toordinal() if point else 0,
        }
        # a person with several parts (a coordinator of two districts) sees whose each row is
        prefix = (
            "" if len(mine) == 1 else f"{shorten(part_label(part, ledger.schools, locale), 20)}: "
        )
        screen.rows.append(
            [
                Button(prefix + translate(locale, "✅ Done (the action)"), "done", **ids),
                Button(translate(locale, "📅 Postpone"), "move", **ids),
                Button(translate(locale, "❌ Not done"), "fail", **ids),
            ]
        )
    if lines:
        example = translate(locale, evidence_example(event.result))
        lines.append(
            translate(
                locale,
                "Evidence: a file, a link or a sentence such as «{example}».",
                example=example,
            )
        )
    keep = viewer_filter(roles, ledger.schools, ledger.roadmap_of(event))
    if roles.coordinator and any(keep(part) for part in parts):
        done, total = ledger.counted(event, today, keep)
        lines.append(
            translate(
                locale,
                "Execution: {mark}",
                mark=marked(ledger.action_mark(event, today, keep), locale),
            )
            + " · "
            + translate_plural(
                locale, "{n} of {total} part done", "{n} of {total} parts done", done, total=total
            )
        )
        screen.rows.append(
            [Button(translate(locale, "📊 Execution of this action"), "act", event_id=event.id)]
        )
    screen.text = "\n".join(lines)
    return screen


def calendar_note(
    ledger: Ledger, roles: Roles, event: Event, point: date, today: date, locale: str
) -> str:
    """The mark of a calendar line (an action's period ending on ``point``) for the person:
    their own parts, or the parts of their territory; '' when there is nothing to say."""
    municipality = ledger.roadmap_of(event).municipality

    def keep(part: Part) -> bool:
        return sees(roles, part, ledger.schools, municipality) or confirms(
            roles, part, event.roles, municipality, ledger.schools
        )

    parts = [part for part in ledger.parts(event) if keep(part)]
    if not parts:
        return ""
    mark = ledger.mark_at(event, point, today, keep)
    if mark not in (Mark.DONE, Mark.OVERDUE, Mark.NOT_DONE, Mark.POSTPONED, Mark.AWAITING):
        return ""
    if mark is Mark.OVERDUE and len(parts) > 1:
        late = sum(
            ledger.point_marks(event, part, today).get(point) is Mark.OVERDUE for part in parts
        )
        return "⚠️ " + translate_plural(
            locale,
            "{n} of {total} has not confirmed",
            "{n} of {total} have not confirmed",
            late,
            total=len(parts),
        )
    return marked(mark, locale)
