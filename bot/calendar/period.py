"""What a roadmap period is once read: a kind, date ranges, a recurrence, and the concrete
occurrences inside a window (see ``period_reader`` for how a phrase becomes one)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

MAX_TEXT = 500  # a roadmap cell; longer text is not a period
MIN_YEAR = 1990
MAX_YEAR = 2100
SCHOOL_YEAR_START = (9, 1)  # (month, day)
SCHOOL_YEAR_END = (8, 31)
LAST_DAY = 31  # a day number meaning "the last day of the month" (clamped to the month)
_FIRST_DATE_YEAR = 1
_LAST_DATE_YEAR = 9998  # date.max is in 9999; a span may end a year after it starts


class PeriodKind(StrEnum):
    RANGE = "range"
    RANGES = "ranges"
    RECURRING = "recurring"
    DEADLINE = "deadline"
    NO_FIXED_DATE = "no_fixed_date"
    UNREADABLE = "unreadable"


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    TERM = "term"  # a school term (четверть, триместр): dates vary, so no occurrences


def month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, order=True)
class DateRange:
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a range ends before it starts: {self.start} – {self.end}")

    def clip(self, start: date, end: date) -> DateRange | None:
        """The part of this range within [start, end], or None if they do not meet."""
        if self.end < start or self.start > end:
            return None
        return DateRange(max(self.start, start), min(self.end, end))

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class AnnualSpan:
    """A span inside a year with the year left open: «март», «до 1 октября», «1–15 мая».

    ``end_day`` 31 means the month's last day; ``end_year_offset`` is 1 for a span
    that ends in the next year («декабрь – январь»); ``deadline`` marks a due day.
    """

    start_month: int
    start_day: int
    end_month: int
    end_day: int
    end_year_offset: int = 0
    deadline: bool = False

    def in_year(self, year: int) -> DateRange:
        """The span starting in ``year``."""
        start_day = min(self.start_day, month_days(year, self.start_month))
        end_year = year + self.end_year_offset
        end_day = min(self.end_day, month_days(end_year, self.end_month))
        return DateRange(
            date(year, self.start_month, start_day), date(end_year, self.end_month, end_day)
        )


@dataclass(frozen=True)
class Recurrence:
    """What repeats, and in which years.

    ``times`` is (at least, at most) times per period when stated («2-3 раза в
    год» → (2, 3)); ``spans`` the parts of each year given («Сентябрь,
    ежегодно», «(май, декабрь)»); ``day_of_month`` the due day of a monthly action
    («ежемесячно, до 5 числа»); ``since`` / ``until`` the years stated in the text.
    """

    frequency: Frequency
    times: tuple[int, int] | None = None
    spans: tuple[AnnualSpan, ...] = ()
    day_of_month: int | None = None
    since: int | None = None
    until: int | None = None

    @property
    def dated(self) -> bool:
        """Whether the text fixes when in the period it happens (months, days)."""
        return bool(self.spans) or self.day_of_month is not None

    def windows(
        self, start: date, end: date, years: tuple[int, int] | None = None
    ) -> list[DateRange]:
        """Occurrences meeting [start, end] (not clipped), within ``years`` if given."""
        lo, hi = start.year - 1, end.year
        if self.since is not None:
            lo = max(lo, self.since)
        if self.until is not None:
            hi = min(hi, self.until)
        if years is not None:
            lo, hi = max(lo, years[0]), min(hi, years[1])
        lo, hi = max(lo, _FIRST_DATE_YEAR), min(hi, _LAST_DATE_YEAR)
        if lo > hi or (self.frequency is Frequency.TERM and not self.spans):
            return []
        if self.spans:
            seasons = [span.in_year(y) for y in range(lo, hi + 1) for span in self.spans]
            if self.frequency in _SEASONAL:
                return seasons
        else:
            seasons = [DateRange(date(lo, 1, 1), date(hi, 12, 31))]
        found: list[DateRange] = []
        for season in seasons:
            part = season.clip(start, end)
            if part is not None:
                found.extend(_cut(part, self.frequency, self.day_of_month))
        return found


_SEASONAL = (Frequency.YEARLY, Frequency.HALF_YEARLY, Frequency.QUARTERLY, Frequency.TERM)


def _block(day: date, frequency: Frequency) -> DateRange:
    """The whole period of ``frequency`` that contains ``day``."""
    y, m = day.year, day.month
    match frequency:
        case Frequency.DAILY:
            return DateRange(day, day)
        case Frequency.WEEKLY:
            monday = day - timedelta(days=day.weekday())
            return DateRange(monday, min(monday + timedelta(days=6), date.max))
        case Frequency.MONTHLY:
            first, last = m, m
        case Frequency.QUARTERLY:
            first = (m - 1) // 3 * 3 + 1
            last = first + 2
        case Frequency.HALF_YEARLY:
            first = 1 if m <= 6 else 7
            last = first + 5
        case _:
            first, last = 1, 12
    return DateRange(date(y, first, 1), date(y, last, month_days(y, last)))


def _cut(part: DateRange, frequency: Frequency, day_of_month: int | None) -> Iterator[DateRange]:
    """``part`` cut into the periods of ``frequency`` (or their due days)."""
    day = part.start
    while day <= part.end:
        block = _block(day, frequency)
        if day_of_month is not None:
            first = block.start
            due = first.replace(day=min(day_of_month, month_days(first.year, first.month)))
            if part.start <= due <= part.end:
                yield DateRange(due, due)
        else:
            yield DateRange(max(block.start, part.start), min(block.end, part.end))
        if block.end >= part.end:
            return
        day = block.end + timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A period phrase, read.

    ``ranges``: the dated spans (range, ranges, deadline) given the context: an
    explicit «февраль - апрель 2023», or a yearless «март» placed in the years of
    the program (or ``default_year``). ``annual``: the yearless spans themselves,
    ``years``: the years they and a recurrence are bounded by (None: unbounded).
    """

    kind: PeriodKind
    text: str
    ranges: tuple[DateRange, ...] = ()
    recurrence: Recurrence | None = None
    reason: str | None = None
    annual: tuple[AnnualSpan, ...] = ()
    years: tuple[int, int] | None = None

    @property
    def reason_code(self) -> str | None:
        """The reason without its detail: ``unknown_word``, ``ambiguous``, ..."""
        return None if self.reason is None else self.reason.split(":", 1)[0]

    def occurrences(self, start: date, end: date) -> list[DateRange]:
        """Concrete date ranges within [start, end] (clipped to it), in order."""
        if end < start:
            raise ValueError(f"the window ends before it starts: {start} – {end}")
        found: list[DateRange]
        if self.kind in (PeriodKind.RANGE, PeriodKind.RANGES, PeriodKind.DEADLINE):
            found = list(self.ranges)
            if self.annual and self.years is None:
                first = max(start.year - 1, _FIRST_DATE_YEAR)
                last = min(end.year, _LAST_DATE_YEAR)
                found += [span.in_year(y) for y in range(first, last + 1) for span in self.annual]
        elif self.kind is PeriodKind.RECURRING and self.recurrence is not None:
            found = self.recurrence.windows(start, end, self.years)
        else:
            return []
        clipped = {r.clip(start, end) for r in found}
        return sorted(r for r in clipped if r is not None)

    def to_json(self, start: date, end: date) -> dict[str, Any]:
        """``{"kind": ..., "occurrences": [{"start": "YYYY-MM-DD", "end": ...}]}``."""
        return {
            "kind": self.kind.value,
            "occurrences": [r.to_json() for r in self.occurrences(start, end)],
        }
