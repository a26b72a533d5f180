"""Everything the execution of a set of roadmaps is judged from, read once: the actions,
their points and parts, the answers, the schools — and the marks computed from them.

:func:`load_ledger` reads it; the rest is plain computation, so screens, the report, the
digest and the scheduler agree on every mark.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

from bot.calendar.audience import sees_roadmap
from bot.calendar.execution.parts import Part, parts_of, sees
from bot.calendar.execution.status import (
    Mark,
    combine,
    due_points,
    latest_by_point,
    part_mark,
    part_marks,
)
from storage.calendar import Event, Roadmap
from storage.execution import Confirmation
from storage.models import Roles, School
from storage.repo import Repo

PartFilter = Callable[[Part], bool]


@dataclass
class Ledger:
    roadmaps: dict[int, Roadmap]
    events: list[Event]  # by roadmap, then row
    points: dict[int, list[date]]  # by action
    schools: dict[int, School]
    answers: dict[int, list[Confirmation]] = field(default_factory=dict)  # by action, oldest first
    checkpoints: dict[int, list[date]] = field(default_factory=dict)  # by action
    _parts: dict[int, list[Part]] = field(default_factory=dict)

    def event(self, event_id: int) -> Event | None:
        return next((event for event in self.events if event.id == event_id), None)

    def is_checkpoint(self, event: Event, point: date | None) -> bool:
        """The point is a reporting point a coordinator set (not a period's end)."""
        return point is not None and point in self.checkpoints.get(event.id, [])

    def roadmap_of(self, event: Event) -> Roadmap:
        return self.roadmaps[event.roadmap_id]

    def parts(self, event: Event) -> list[Part]:
        if event.id not in self._parts:
            municipality = self.roadmaps[event.roadmap_id].municipality
            self._parts[event.id] = parts_of(event.roles, municipality, self.schools)
        return self._parts[event.id]

    def history(self, event: Event, part: Part) -> list[Confirmation]:
        """Every answer for the part, oldest first."""
        return [
            answer
            for answer in self.answers.get(event.id, [])
            if Part(answer.school_id, answer.municipality).same(part)
        ]

    def latest(self, event: Event, part: Part) -> dict[date | None, Confirmation]:
        return latest_by_point(self.history(event, part))

    def last_answer(self, event: Event, part: Part) -> Confirmation | None:
        history = self.history(event, part)
        return history[-1] if history else None

    def part_mark(self, event: Event, part: Part, today: date) -> Mark:
        return part_mark(self.points.get(event.id, []), self.latest(event, part), today)

    def point_marks(self, event: Event, part: Part, today: date) -> dict[date | None, Mark]:
        return part_marks(self.points.get(event.id, []), self.latest(event, part), today)

    def action_mark(self, event: Event, today: date, keep: PartFilter | None = None) -> Mark:
        """The action's mark over its parts (those ``keep`` lets through)."""
        parts = [part for part in self.parts(event) if keep is None or keep(part)]
        return combine(self.part_mark(event, part, today) for part in parts)

    def mark_at(
        self, event: Event, point: date, today: date, keep: PartFilter | None = None
    ) -> Mark:
        """The mark of one point over the parts (``keep``): a calendar line's mark."""
        marks = []
        for part in self.parts(event):
            if keep is None or keep(part):
                marks.append(self.point_marks(event, part, today).get(point, Mark.UPCOMING))
        return combine(marks)

    def counted(self, event: Event, today: date, keep: PartFilter | None = None) -> tuple[int, int]:
        """(parts done, parts) of an action."""
        parts = [part for part in self.parts(event) if keep is None or keep(part)]
        done = sum(self.part_mark(event, part, today) is Mark.DONE for part in parts)
        return done, len(parts)

    def of_roadmap(self, roadmap_id: int) -> list[Event]:
        return [event for event in self.events if event.roadmap_id == roadmap_id]


def viewer_filter(roles: Roles, schools: dict[int, School], roadmap: Roadmap) -> PartFilter:
    """The parts of the roadmap's actions a person's screens count: their territory's (a
    coordinator; the action as a whole only in a roadmap they manage), their own school's
    and their curated schools' (see :func:`bot.calendar.execution.parts.sees`)."""
    return lambda part: sees(roles, part, schools, roadmap.municipality)


def visible_roadmaps(ledger: Ledger, roles: Roles) -> list[Roadmap]:
    return [
        roadmap
        for roadmap in ledger.roadmaps.values()
        if sees_roadmap(roles, roadmap.municipality, ledger.schools)
    ]


async def load_ledger(repo: Repo, roadmap_ids: Collection[int] | None = None) -> Ledger:
    """Read the execution of these roadmaps (None: all)."""
    roadmaps = {
        roadmap.id: roadmap
        for roadmap in await repo.calendar.roadmaps()
        if roadmap_ids is None or roadmap.id in roadmap_ids
    }
    events = [
        event for roadmap_id in sorted(roadmaps) for event in await repo.calendar.events(roadmap_id)
    ]
    ids = [event.id for event in events]
    ends = await repo.execution.period_ends(ids)
    checkpoints = await repo.execution.checkpoints(ids)
    points = {
        event_id: due_points(ends.get(event_id, []), checkpoints.get(event_id, []))
        for event_id in ids
    }
    answers: dict[int, list[Confirmation]] = defaultdict(list)
    for answer in await repo.execution.confirmations(ids):
        answers[answer.event_id].append(answer)
    schools = {school.id: school for school in await repo.schools.list()}
    return Ledger(roadmaps, events, points, schools, dict(answers), checkpoints)
