"""Progress of a roadmap: how many of its actions are done, overdue, not done, moved.

An action counts once, by its mark over the parts the viewer oversees
(:meth:`Ledger.action_mark`); an action with none of their parts is not theirs to count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.calendar.execution.ledger import Ledger, PartFilter
from bot.calendar.execution.status import Mark
from storage.calendar import Event


@dataclass(frozen=True, slots=True)
class Progress:
    total: int = 0
    done: int = 0
    overdue: int = 0
    not_done: int = 0
    postponed: int = 0
    awaiting: int = 0
    in_progress: int = 0
    upcoming: int = 0
    no_dates: int = 0

    def count(self, mark: Mark) -> int:
        return int(getattr(self, mark.value))


def count_progress(marks: Iterable[Mark]) -> Progress:
    counts = Counter(marks)
    return Progress(
        total=sum(counts.values()), **{mark.value: counts.get(mark, 0) for mark in Mark}
    )


@dataclass(frozen=True, slots=True)
class ActionLine:
    """An action as a progress screen lists it."""

    event: Event
    mark: Mark
    done: int  # parts done
    parts: int  # parts counted


def action_lines(
    ledger: Ledger, roadmap_id: int, today: date, keep: PartFilter | None = None
) -> list[ActionLine]:
    """The roadmap's actions with at least one part the viewer counts, in the roadmap's order."""
    lines = []
    for event in ledger.of_roadmap(roadmap_id):
        done, parts = ledger.counted(event, today, keep)
        if parts:
            lines.append(ActionLine(event, ledger.action_mark(event, today, keep), done, parts))
    return lines


def roadmap_progress(
    ledger: Ledger, roadmap_id: int, today: date, keep: PartFilter | None = None
) -> Progress:
    return count_progress(line.mark for line in action_lines(ledger, roadmap_id, today, keep))
