"""What a «Выполнено» / «Перенести» / «Не выполнено» button (or the conversation it opens)
is about: an action's part at a point — checked again against the database every time.

A button carries ids only (the action, a school or a municipality's number, a point's
ordinal); :func:`resolve` turns them into a :class:`Target` if the person may answer for
that part now, else None. A conversation keeps the same ids (:meth:`Target.ids`), so a
step survives a restart and is checked again when the answer comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.calendar.execution.ledger import Ledger, load_ledger
from bot.calendar.execution.parts import Part, confirms, municipality_index, part_at
from bot.calendar.execution.status import current_point
from bot.calendar.execution.texts import part_label
from storage.calendar import Event, Roadmap
from storage.execution import Confirmation, NewConfirmation
from storage.models import Roles
from storage.repo import Repo


@dataclass(frozen=True, slots=True)
class Target:
    """An action's part at a point that the person may answer for."""

    ledger: Ledger
    event: Event
    roadmap: Roadmap
    part: Part
    point: date | None

    def label(self, locale: str) -> str:
        return part_label(self.part, self.ledger.schools, locale)

    @property
    def is_checkpoint(self) -> bool:
        return self.ledger.is_checkpoint(self.event, self.point)

    def ids(self) -> dict[str, int]:
        """The ids that name it again (in a button or a conversation's data)."""
        return {
            "event": self.event.id,
            "school": self.part.school_id or 0,
            "muni": municipality_index(self.ledger.parts(self.event), self.part),
            "point": self.point.toordinal() if self.point else 0,
        }

    def answer(self, person_id: int, status: str, **fields: object) -> NewConfirmation:
        """The answer to store for it."""
        return NewConfirmation(
            event_id=self.event.id,
            due_on=self.point,
            status=status,
            person_id=person_id,
            school_id=self.part.school_id,
            municipality=self.part.municipality,
            **fields,  # type: ignore[arg-type]
        )


async def resolve(
    repo: Repo, roles: Roles, today: date, event_id: int, school_id: int, muni: int, point: int
) -> Target | None:
    """The part a button (or a conversation) names, if the person may answer for it now;
    ``point`` 0: the point an answer given now is about."""
    event = await repo.calendar.event(event_id)
    if event is None:  # the roadmap imported again since the button was sent
        now = await repo.execution.renumbered(event_id)
        event = await repo.calendar.event(now) if now else None
    if event is None:
        return None
    event_id = event.id
    ledger = await load_ledger(repo, [event.roadmap_id])
    event = ledger.event(event_id)
    if event is None:
        return None
    roadmap = ledger.roadmap_of(event)
    part = part_at(ledger.parts(event), school_id, muni)
    if part is None or not confirms(roles, part, event.roles, roadmap.municipality, ledger.schools):
        return None
    points = ledger.points.get(event.id, [])
    if point:
        try:
            day: date | None = date.fromordinal(point)
        except (ValueError, OverflowError):
            return None
        if day not in points:
            return None
    else:
        day = current_point(points, ledger.latest(event, part), today)
    return Target(ledger, event, roadmap, part, day)


async def resolve_ids(repo: Repo, roles: Roles, today: date, ids: dict) -> Target | None:
    """:func:`resolve` from :meth:`Target.ids` kept in a conversation (None when none)."""
    if not ids:
        return None
    return await resolve(
        repo,
        roles,
        today,
        int(ids.get("event", 0)),
        int(ids.get("school", 0)),
        int(ids.get("muni", 0)),
        int(ids.get("point", 0)),
    )


async def save_answer(
    repo: Repo, target: Target, person_id: int, status: str, **fields: object
) -> Confirmation:
    """Store the person's answer for the target; return it as stored."""
    return await repo.execution.confirm(target.answer(person_id, status, **fields))
