"""A span of time with aware UTC bounds, and merging a pile of them into a sorted list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import attrgetter

_BY_TIME = attrgetter("start", "end")


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is refused (it could mean any zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetimes are ambiguous; pass an aware one: {moment}")
    return moment.astimezone(UTC)


@dataclass(frozen=True, order=True, slots=True)
class Interval:
    """From ``start`` (included) to ``end`` (excluded), both aware and in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        start, end = utc(self.start), utc(self.end)
        if end <= start:
            raise ValueError(f"an interval must end after it starts: {start} – {end}")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


def merge(intervals: Iterable[Interval], gap: timedelta = timedelta(0)) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time; touching ones are joined.

    ``gap`` widens each interval by that much on both sides first (a buffer around
    bookings); the result then covers ``[start - gap, end + gap)`` of every input.
    """
    starts, ends = merged_bounds(intervals, gap)
    return [Interval(start, end) for start, end in zip(starts, ends, strict=True)]


def merged_bounds(
    intervals: Iterable[Interval], gap: timedelta = timedelta(0)
) -> tuple[list[datetime], list[datetime]]:
    """:func:`merge` as two parallel sorted lists (starts, ends), for bisecting.

    Works on the bounds rather than building an :class:`Interval` per step: the
    slot search merges a year of availability on every call.
    """
    starts: list[datetime] = []
    ends: list[datetime] = []
    for interval in sorted(intervals, key=_BY_TIME):
        start, end = interval.start, interval.end
        if gap:
            start, end = start - gap, end + gap
        if ends and start <= ends[-1]:
            if end > ends[-1]:
                ends[-1] = end
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends
