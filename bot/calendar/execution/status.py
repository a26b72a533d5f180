"""Where an action stands: a mark for each point of each part, for a part, for an action.

A **point** is a day on which an action is due to be confirmed: the end of each of its
dated periods and each reporting point a coordinator set (:func:`due_points`). The people
of a part are asked on the point's day — on the working day before when it is not a
working day (:func:`request_day`) — and the point is overdue from the next day until
they answer.

The latest answer for a part at a point counts (earlier ones are history):

- «выполнено» → :attr:`Mark.DONE`; «не выполнено» → :attr:`Mark.NOT_DONE`;
- «перенести» → :attr:`Mark.POSTPONED` until the new period ends, then
  :attr:`Mark.OVERDUE` again (and the people are asked again on its last day);
- no answer → :attr:`Mark.UPCOMING` before the request day, :attr:`Mark.AWAITING` from
  it to the point, :attr:`Mark.OVERDUE` after;
- an action without dates and without an answer → :attr:`Mark.NO_DATES`.

Several marks (the points of a part, the parts of an action) combine by what needs
attention first: overdue, not done, postponed, awaiting; all done is done, some done and
the rest still to come is :attr:`Mark.IN_PROGRESS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum

from bot.calendar.workdays import previous_working_day
from storage.execution import Confirmation


class Mark(StrEnum):
    DONE = "done"
    NOT_DONE = "not_done"
    POSTPONED = "postponed"
    OVERDUE = "overdue"
    AWAITING = "awaiting"
    IN_PROGRESS = "in_progress"
    UPCOMING = "upcoming"
    NO_DATES = "no_dates"


# what needs attention first, when marks are combined
_URGENCY = (Mark.OVERDUE, Mark.NOT_DONE, Mark.POSTPONED, Mark.AWAITING)
SETTLED = (Mark.DONE, Mark.NOT_DONE)  # answered for good (a request is not sent again)


def due_points(period_ends: Iterable[date], checkpoints: Iterable[date]) -> list[date]:
    """The days an action is due to be confirmed, in order."""
    return sorted(set(period_ends) | set(checkpoints))


def request_day(point: date) -> date:
    """The day the people of a part are asked about a point: the point itself, or the
    working day before when it is a weekend or a public holiday."""
    return previous_working_day(point)


def point_mark(point: date | None, latest: Confirmation | None, today: date) -> Mark:
    """The mark of one point of a part, given its latest answer."""
    if latest is not None:
        if latest.status == "done":
            return Mark.DONE
        if latest.status == "not_done":
            return Mark.NOT_DONE
        if latest.new_ends_on is not None and latest.new_ends_on < today:
            return Mark.OVERDUE
        return Mark.POSTPONED
    if point is None:
        return Mark.NO_DATES
    if today > point:
        return Mark.OVERDUE
    if today >= request_day(point):
        return Mark.AWAITING
    return Mark.UPCOMING


def combine(marks: Iterable[Mark]) -> Mark:
    """Several marks as one (see the module docstring); none: no dates."""
    found = set(marks)
    if not found:
        return Mark.NO_DATES
    for mark in _URGENCY:
        if mark in found:
            return mark
    if found == {Mark.DONE}:
        return Mark.DONE
    if Mark.DONE in found or Mark.IN_PROGRESS in found:
        return Mark.IN_PROGRESS
    if Mark.UPCOMING in found:
        return Mark.UPCOMING
    return Mark.NO_DATES


def latest_by_point(answers: Iterable[Confirmation]) -> dict[date | None, Confirmation]:
    """The latest answer at each point among one part's answers."""
    found: dict[date | None, Confirmation] = {}
    for answer in sorted(answers, key=lambda a: a.id):
        found[answer.due_on] = answer
    return found


def part_marks(
    points: list[date], latest: Mapping[date | None, Confirmation], today: date
) -> dict[date | None, Mark]:
    """The mark of each point of a part (the one undated point of an action without dates;
    an answer given for a point that is no longer one is left out)."""
    if not points:
        return {None: point_mark(None, latest.get(None), today)}
    return {point: point_mark(point, latest.get(point), today) for point in points}


def part_mark(points: list[date], latest: Mapping[date | None, Confirmation], today: date) -> Mark:
    return combine(part_marks(points, latest, today).values())


def current_point(
    points: list[date], latest: Mapping[date | None, Confirmation], today: date
) -> date | None:
    """The point an answer given now (not to a request) is about: the first that needs one
    (overdue, postponed, awaiting), else the first still to come, else the last."""
    if not points:
        return None
    marks = part_marks(points, latest, today)
    for point in points:
        if marks[point] in (Mark.OVERDUE, Mark.POSTPONED, Mark.AWAITING):
            return point
    for point in points:
        if marks[point] is Mark.UPCOMING:
            return point
    return points[-1]


def needs_request(latest: Confirmation | None) -> bool:
    """A request about a point is still wanted: no answer yet (a postponement is asked
    about again when its new period ends, see :func:`moved_due`)."""
    return latest is None


def moved_due(latest: Confirmation | None) -> date | None:
    """The end of the new period when the latest answer is a postponement."""
    if latest is None or latest.status != "postponed":
        return None
    return latest.new_ends_on
