"""Which consultation slots can be booked, and the rule a booking must pass.

A slot is ``rules.length`` long and starts on a grid of ``rules.step`` (the length by
default) counted from the start of each availability interval (touching or
overlapping availability intervals are joined first). A slot is free when:

- it starts no earlier than ``now + rules.notice`` (so never in the past);
- it lies wholly inside availability;
- it does not overlap any booking widened by ``rules.buffer`` on both sides.

:func:`free_slots` lists them in a window; :func:`check_booking` is the same rule for
one start (the storage layer calls it inside the booking transaction, with the
bookings it has just read), and says why not; it does not insist on the grid, so a
slot offered before the availability changed is judged on the rule alone.
:func:`nearest_free` answers «this time was just taken; the nearest free times are
…», :func:`free_days` tells a month keyboard which days to show.

Every moment here is an aware datetime; results are in UTC. The work is sorted lists
and bisection: a month view over a year of availability and hundreds of bookings is
one merge of each list plus a walk over that month's candidates (``python -m
bench.slots`` measures it against the plain loop).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.consultations.intervals import Interval, merged_bounds, utc
from bot.i18n import N_

DEFAULT_LENGTH = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class BookingRules:
    """A curator's (or the program's) booking settings.

    ``length``: one consultation; ``buffer``: the least free time kept between two
    consultations; ``notice``: how long before its start a slot may still be booked;
    ``step``: the grid slots start on (None: ``length``, back to back).
    """

    length: timedelta = DEFAULT_LENGTH
    buffer: timedelta = timedelta(0)
    notice: timedelta = timedelta(0)
    step: timedelta | None = None

    def __post_init__(self) -> None:
        if self.length <= timedelta(0):
            raise ValueError(f"a consultation must have a length, not {self.length}")
        if self.buffer < timedelta(0) or self.notice < timedelta(0):
            raise ValueError("the buffer and the notice cannot be negative")
        if self.step is not None and self.step <= timedelta(0):
            raise ValueError(f"the step must be positive, not {self.step}")

    @property
    def grid(self) -> timedelta:
        return self.step if self.step is not None else self.length


DEFAULT_RULES = BookingRules()


class BookingProblem(StrEnum):
    PAST = "past"
    INSIDE_NOTICE = "inside_notice"
    OUTSIDE_AVAILABILITY = "outside_availability"
    OVERLAP = "overlap"  # another consultation, or too close to one (the buffer)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a time cannot be booked: ``reason`` for code, ``msgid`` and ``params`` for
    the person (translate ``msgid`` and format it with ``params``)."""

    reason: BookingProblem
    msgid: str
    params: dict[str, str] = field(default_factory=dict)


_MESSAGES = {
    BookingProblem.PAST: N_("This time has already passed. Please choose another one."),
    BookingProblem.OUTSIDE_AVAILABILITY: N_(
        "The curator does not hold consultations at this time. "
        "Please choose one of the times offered."
    ),
    BookingProblem.OVERLAP: N_(
        "This time is already taken or too close to another consultation. "
        "Please choose another one."
    ),
}
_NOTICE_HOURS = N_(
    "Consultations are booked at least {hours} h in advance. Please choose a later time."
)
_NOTICE_MINUTES = N_(
    "Consultations are booked at least {minutes} min in advance. Please choose a later time."
)


def _refusal(reason: BookingProblem, rules: BookingRules) -> Refusal:
    if reason is not BookingProblem.INSIDE_NOTICE:
        return Refusal(reason, _MESSAGES[reason])
    minutes = int(rules.notice.total_seconds() // 60)
    if minutes % 60 == 0:
        return Refusal(reason, _NOTICE_HOURS, {"hours": str(minutes // 60)})
    return Refusal(reason, _NOTICE_MINUTES, {"minutes": str(minutes)})


def refusal_for(reason: BookingProblem, rules: BookingRules = DEFAULT_RULES) -> Refusal:
    """The refusal :func:`check_booking` gives for ``reason`` (the storage layer's own
    checks, such as its unique index, answer in the same words)."""
    return _refusal(reason, rules)


def _ceil_to_grid(origin: datetime, moment: datetime, step: timedelta) -> datetime:
    """The first ``origin + k * step`` (k ≥ 0) not before ``moment``."""
    if moment <= origin:
        return origin
    return origin + step * -((origin - moment) // step)


def free_slots(
    availability: Iterable[Interval],
    bookings: Iterable[Interval],
    *,
    now: datetime,
    start: datetime,
    end: datetime,
    rules: BookingRules = DEFAULT_RULES,
) -> list[datetime]:
    """Starts (UTC, ascending) of the free slots that start in ``[start, end)``."""
    earliest = max(utc(start), utc(now) + rules.notice)
    latest = utc(end)
    a_starts, a_ends = merged_bounds(availability)
    b_starts, b_ends = merged_bounds(bookings, rules.buffer)
    length, step = rules.length, rules.grid
    found: list[datetime] = []
    j = bisect_right(b_ends, earliest)  # bookings ending by then are behind us
    count = len(b_starts)
    for k in range(bisect_right(a_ends, earliest), len(a_starts)):
        origin, stop = a_starts[k], a_ends[k]
        if origin >= latest:
            break
        slot = _ceil_to_grid(origin, earliest, step)
        while slot < latest and slot + length <= stop:
            while j < count and b_ends[j] <= slot:
                j += 1
            if j < count and b_starts[j] < slot + length:
                slot = _ceil_to_grid(origin, b_ends[j], step)  # jump past the booking
                continue
            found.append(slot)
            slot += step
    return found


def check_booking(
    start: datetime,
    availability: Iterable[Interval],
    bookings: Iterable[Interval],
    *,
    now: datetime,
    rules: BookingRules = DEFAULT_RULES,
) -> Refusal | None:
    """None if a consultation may start at ``start``; else why not (first reason found
    of: past, inside the notice, outside availability, overlapping a booking).

    To move a consultation, leave its own booking out of ``bookings``.
    """
    start = utc(start)
    now = utc(now)
    stop = start + rules.length
    if start < now:
        return _refusal(BookingProblem.PAST, rules)
    if start < now + rules.notice:
        return _refusal(BookingProblem.INSIDE_NOTICE, rules)
    a_starts, a_ends = merged_bounds(availability)
    k = bisect_right(a_starts, start) - 1
    if k < 0 or a_ends[k] < stop:
        return _refusal(BookingProblem.OUTSIDE_AVAILABILITY, rules)
    b_starts, b_ends = merged_bounds(bookings, rules.buffer)
    j = bisect_right(b_ends, start)
    if j < len(b_starts) and b_starts[j] < stop:
        return _refusal(BookingProblem.OVERLAP, rules)
    return None


def nearest_free(
    wanted: datetime,
    availability: Iterable[Interval],
    bookings: Iterable[Interval],
    *,
    now: datetime,
    rules: BookingRules = DEFAULT_RULES,
    count: int = 3,
    within: timedelta = timedelta(days=14),
) -> list[datetime]:
    """Up to ``count`` free slots closest to ``wanted`` (either side, within ``within``),
    in time order; of two equally close, the earlier."""
    wanted = utc(wanted)
    free = free_slots(
        availability, bookings, now=now, start=wanted - within, end=wanted + within, rules=rules
    )
    right = bisect_left(free, wanted)
    left = right - 1
    chosen: list[datetime] = []
    while len(chosen) < count and (left >= 0 or right < len(free)):
        if right >= len(free) or (left >= 0 and wanted - free[left] <= free[right] - wanted):
            chosen.append(free[left])
            left -= 1
        else:
            chosen.append(free[right])
            right += 1
    return sorted(chosen)


def day_window(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as a UTC [start, end)."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def month_window(year: int, month: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local calendar month as a UTC [start, end)."""
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(following, time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def by_day(slots: Iterable[datetime], zone: ZoneInfo) -> dict[date, list[datetime]]:
    """Slots grouped by their local day, in order."""
    days: dict[date, list[datetime]] = {}
    for slot in slots:
        days.setdefault(slot.astimezone(zone).date(), []).append(slot)
    return days


def free_days(
    year: int,
    month: int,
    availability: Iterable[Interval],
    bookings: Iterable[Interval],
    *,
    now: datetime,
    zone: ZoneInfo,
    rules: BookingRules = DEFAULT_RULES,
) -> tuple[date, ...]:
    """The local days of a month with at least one free slot: a month keyboard shows
    these and hides full and past days."""
    start, end = month_window(year, month, zone)
    slots = free_slots(availability, bookings, now=now, start=start, end=end, rules=rules)
    return tuple(by_day(slots, zone))
