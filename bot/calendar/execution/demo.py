"""The demo region's roadmap as if it had been carried out so far: for each action whose
point has passed, most schools confirmed (a sentence naming the document, some with a
link), a few moved it or did not do it and said why, a few have not answered; the
districts and the region confirmed theirs. Computed from today, the same on every load;
nothing is added when the roadmap already has answers (a second ``demo-data``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from bot.calendar.execution.ledger import load_ledger
from bot.calendar.workdays import previous_working_day
from storage.execution import NewConfirmation
from storage.models import Role, School, match_key
from storage.repo import Repo

# of every ten school parts: done, done with a link, moved, not done, no answer
_PATTERN = ("done", "link", "done", "moved", "done", "none", "done", "link", "not_done", "done")
_REASONS = (
    "не успели согласовать с учредителем, перенесли на следующий месяц",
    "нет специалиста: педагог-психолог на больничном",
)


class _DemoPerson(Protocol):
    person_id: int
    role: Role
    schools: tuple[str, ...]  # short names
    municipalities: tuple[str, ...]  # a municipal coordinator's


async def demo_confirmations(
    repo: Repo,
    roadmap_id: int,
    today: date,
    people: Iterable[_DemoPerson],
    schools: Iterable[School],
) -> int:
    """Answer the demo roadmap's passed points, each school's by its demo principal.
    the rest by the coordinators. Returns how many answers were stored."""
    by_short = {school.short_name: school.id for school in schools}
    principals = {
        by_short[name]: person.person_id
        for person in people
        if person.role == Role.PRINCIPAL
        for name in person.schools
        if name in by_short
    }
    coordinators = {
        match_key(name): person.person_id
        for person in people
        if person.role == Role.COORDINATOR
        for name in person.municipalities or ("",)
    }
    ledger = await load_ledger(repo, [roadmap_id])
    if any(ledger.answers.values()):
        return 0
    stored = 0
    turn = 0
    for event in ledger.events:
        for point in ledger.points.get(event.id, []):
            if point >= today:
                continue
            answered_on = previous_working_day(min(point + timedelta(days=2), today))
            at = datetime.combine(answered_on, time(9, 30), tzinfo=UTC)
            for part in ledger.parts(event):
                kind = "done"
                if part.school_id is not None:
                    kind = _PATTERN[turn % len(_PATTERN)]
                    turn += 1
                if kind == "none":
                    continue
                number = 10 + stored
                fields: dict[str, object] = {}
                status = "done"
                if kind in ("done", "link"):
                    fields["evidence"] = f"приказ № {number} от {point:%d.%m.%Y}"
                    if kind == "link":
                        fields["link"] = f"https://school{part.school_id}.example.ru/docs/{number}"
                elif kind == "moved":
                    status = "postponed"
                    end = today + timedelta(days=14)
                    fields.update(
                        new_starts_on=end, new_ends_on=end, new_period=f"до {end:%d.%m.%Y}"
                    )
                    fields["comment"] = _REASONS[0]
                else:
                    status = "not_done"
                    fields["comment"] = _REASONS[1]
                if part.school_id is not None:
                    person = principals.get(part.school_id)
                else:  # a district's coordinator, or the region's
                    person = coordinators.get(match_key(part.municipality or ""))
                await repo.execution.confirm(
                    NewConfirmation(
                        event_id=event.id,
                        due_on=point,
                        status=status,
                        person_id=person,
                        school_id=part.school_id,
                        municipality=part.municipality,
                        **fields,  # type: ignore[arg-type]
                    ),
                    at=at,
                )
                stored += 1
    return stored
