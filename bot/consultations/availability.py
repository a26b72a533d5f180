"""A curator's availability typed in Russian: «вт, чт 15:00–17:00 до 20 декабря».

:func:`read_availability` turns such a line into an :class:`Availability`: the concrete
intervals (aware UTC datetimes) plus what was understood (:class:`Rule`: weekdays or
dates, hours; the first and last day), so the bot can say back «вт, чт 15:00–17:00, с 1
по 20 декабря: 12 окон» through its catalogs. What cannot be read raises
:class:`AvailabilityError` with a machine-readable ``reason`` and a message id whose
text gives an example that works. Nothing is guessed.

Understood (case, spaces and the kind of dash do not matter):

- days of the week in any case and the usual abbreviations: «понедельник», «пн»,
  «во вторник», «по средам», «каждый четверг», «пн-пт», «с понедельника по
  пятницу», «вт, чт», «вторник и четверг»; «будни», «по будням», «в рабочие дни»,
  «выходные»; «ежедневно», «каждый день»;
- dates: «5 декабря», «5 дек», «5.12», «05.12.2026», «5 декабря 2026 г.», «5, 12 и
  19 декабря», «сегодня», «завтра», «послезавтра»;
- hours: «15:00–17:00», «15.00-17.00», «15-17», «с 10 до 12», «с 10:30 до 12 ч»;
  several per day: «10-12 и 14-16»;
- the period: «до 20 декабря», «по 20.12», «не позднее 20 декабря», «с 1 по 19
  декабря», «1–19 декабря», «с 1 декабря», «до конца месяца / недели / года /
  декабря», «до нового года», «в декабре», «в этом / следующем месяце», «на этой /
  следующей неделе»;
- several groups: «вт 15-17, чт 10-12», «5 декабря 14-16, 12 декабря 10-12».

Decisions (each a rule a curator can predict):

- One-off or weekly. Weekly when the text says so («каждую среду», «по средам»,
  «еженедельно», «будни», «ежедневно») or gives a period («до 20 декабря», «с 1 по 19
  декабря», «в декабре»). Otherwise one-off: a bare day of the week («среда
  10:00–12:00», «вт, чт 15-17») is the next such day after today, so on a Wednesday
  «среда» is the Wednesday a week later («сегодня» is today). One sign of repetition
  makes the whole line weekly. Dates with a period («5 декабря 10-12 до 20 декабря»)
  are refused.
- A period with no days of the week («1–5 декабря 10-12») means every day of it.
- A weekly pattern without an end runs ``horizon_weeks`` weeks (8 by default) from
  its start; :attr:`Availability.default_end` says so, for the bot to tell the curator.
- Years. A date without a year is the next such date on or after ``today`` (on 10
  December, «5 января» is next January). In a range the end is placed so, and the start
  is the latest such date not after the end: «с 20 декабря по 10 января» crosses the
  new year, «с 20 по 10 декабря» is refused as reversed. A range that began before
  today is cut to start today. «до конца декабря» is 31 December of that rule's year.
- Dates are days in the program's ``zone``; intervals are its local hours turned into
  UTC on each day (a change of offset is followed). An end of «24:00» is midnight.
- Refused, each with its own reason: hours past 24:00, a zero-length or reversed
  time range (ranges do not cross midnight), an impossible date, a date or period
  already over, an end before the start, anything more than ``max_days`` ahead, a
  weekday that does not match the date written with it, a weekly pattern that
  yields no day, and (when ``now`` is given) a one-off time that has already passed.

Reason codes (:attr:`AvailabilityError.reason`) are the keys of :data:`MESSAGES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.consultations import words as w
from bot.consultations.intervals import Interval, merge
from bot.consultations.reading import (
    MINUTES_PER_DAY,
    Bound,
    DateRef,
    Dates,
    Days,
    Hours,
    Part,
    Unreadable,
    Weekly,
    last_day,
    read_parts,
)
from bot.i18n import N_, LocalizedError

DEFAULT_HORIZON_WEEKS = 8
MAX_DAYS = 366  # how far ahead availability may reach

# reason code → message id. Examples stay in Russian in every language: people type them.
MESSAGES: dict[str, str] = {
    "empty": N_(
        "Please write when you can hold consultations, for example: "
        "«вт, чт 15:00–17:00 до 20 декабря»."
    ),
    "too_long": N_(
        "That is too long for a schedule ({length} characters; at most {limit}). "
        "Please write it shorter, for example: «пн-пт 9:00-13:00 с 1 по 19 декабря»."
    ),
    "unknown_word": N_(
        "I did not understand «{word}». Please write the days and the hours, for example: "
        "«по вторникам 15:00–17:00 до конца декабря»."
    ),
    "unexpected": N_(
        "I could not read the schedule near «{text}». Please write the days and then the "
        "hours, for example: «вт, чт 15:00–17:00 до 20 декабря»."
    ),
    "no_time": N_("Please add the hours, for example: «каждую среду с 10 до 12»."),
    "no_day": N_(
        "Please add the days or dates, for example: «5 декабря 14:00–16:00» "
        "or «по средам 10:00–12:00»."
    ),
    "incomplete_time": N_(
        "«{time}» gives only one time. Please write when the consultations start and "
        "end, for example: «15:00–17:00»."
    ),
    "bad_time": N_(
        "There is no such time: «{time}». Times go from 0:00 to 24:00, for example: «9:30–12:00»."
    ),
    "empty_time_range": N_(
        "The hours {start}–{end} leave no time for consultations. Please give a start and "
        "a later end, for example: «15:00–17:00»."
    ),
    "reversed_time_range": N_(
        "The hours {start}–{end} end before they start. Please write the earlier time "
        "first, for example: «15:00–17:00» (hours cannot run past midnight)."
    ),
    "bad_date": N_(
        "There is no such date: «{date}». Please check the day and the month, "
        "for example: «5 декабря» or «5.12»."
    ),
    "past_date": N_(
        "{date} has already passed. Please give a date from today on, for example: «завтра 10-12»."
    ),
    "past_time": N_(
        "The time {date} {time} has already passed. Please give a later time or another day."
    ),
    "reversed_dates": N_(
        "The end date {end} comes before the start {start}. Please check the dates, "
        "for example: «с 1 по 19 декабря»."
    ),
    "too_far": N_(
        "{date} is too far ahead: availability can be given at most {days} days ahead. "
        "Please give an earlier end, for example: «до конца месяца»."
    ),
    "weekday_mismatch": N_(
        "{date} falls on a different day of the week than the one written. "
        "Please check the date or the day."
    ),
    "ambiguous_numbers": N_(
        "«{text}»: are these hours or dates? Please write hours like «с 10:00 до 12:00» "
        "and dates with the month, like «с 10 по 12 декабря»."
    ),
    "dates_with_period": N_(
        "Please give either dates («5 и 12 декабря 14-16») or days of the week with a "
        "period («по средам 10-12 до 20 декабря»), not both."
    ),
    "two_periods": N_(
        "The text gives the period twice. Please give one start and one end, "
        "for example: «с 1 по 19 декабря»."
    ),
    "no_windows": N_(
        "There are no such days between {start} and {end}. Please check the days of "
        "the week and the dates."
    ),
    "reversed_weekdays": N_(
        "«{text}»: the days of the week go backwards. Please write them in order, "
        "for example: «пн-пт»."
    ),
}


class AvailabilityError(LocalizedError):
    """Availability text that cannot be used. ``reason`` is a code from
    :data:`MESSAGES` (``bad_time``, ``past_date``...); ``params`` fill its message."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(MESSAGES[reason], **params)
        self.reason = reason


class Repeat(StrEnum):
    ONCE = "once"  # the given days only
    WEEKLY = "weekly"  # every week between first_day and last_day


@dataclass(frozen=True, slots=True, order=True)
class TimeRange:
    """Hours of a day in minutes from midnight; ``end`` may be 1440 (24:00)."""

    start: int
    end: int

    @property
    def start_text(self) -> str:
        return _hhmm(self.start)

    @property
    def end_text(self) -> str:
        return _hhmm(self.end)

    def __str__(self) -> str:
        return f"{self.start_text}–{self.end_text}"


@dataclass(frozen=True, slots=True)
class Rule:
    """One group of the text: «вт, чт 15:00–17:00» or «5 декабря 14:00–16:00».

    ``weekdays`` (0 = Monday) sorted; ``dates`` the days of a one-off rule (empty
    for a weekly one); ``times`` sorted.
    """

    weekdays: tuple[int, ...]
    dates: tuple[date, ...]
    times: tuple[TimeRange, ...]


@dataclass(frozen=True, slots=True)
class Availability:
    """What a curator's line means.

    ``intervals``: sorted, non-overlapping, in UTC (overlapping hours are joined).
    ``first_day`` / ``last_day``: the local days the pattern covers. ``default_end``:
    no end was written, so a weekly pattern runs ``horizon_weeks`` weeks.
    """

    text: str
    repeat: Repeat
    rules: tuple[Rule, ...]
    first_day: date
    last_day: date
    default_end: bool
    horizon_weeks: int
    zone: str
    intervals: tuple[Interval, ...] = field(repr=False)

    @property
    def windows(self) -> int:
        """How many separate intervals: «12 окон»."""
        return len(self.intervals)

    @property
    def weekdays(self) -> tuple[int, ...]:
        return tuple(sorted({day for rule in self.rules for day in rule.weekdays}))

    def slot_count(self, length: timedelta = timedelta(minutes=30)) -> int:
        """How many back-to-back consultations of ``length`` fit, with no bookings."""
        return sum(interval.length // length for interval in self.intervals)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _ddmmyyyy(day: date) -> str:
    return f"{day:%d.%m.%Y}"


# --------------------------------------------------------------------------- reading


def read_availability(
    text: str,
    *,
    today: date,
    zone: ZoneInfo,
    now: datetime | None = None,
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    max_days: int = MAX_DAYS,
) -> Availability:
    """Read availability typed in Russian; raises :class:`AvailabilityError`.

    ``today`` is the local date in ``zone``; with ``now`` a one-off time already over
    is refused and today's passed hours of a weekly pattern are left out.
    """
    if horizon_weeks < 1:
        raise ValueError(f"horizon_weeks must be at least 1, not {horizon_weeks}")
    try:
        parts = read_parts(text, today)
        return _Assembly(text, today, zone, now, horizon_weeks, max_days).build(parts)
    except Unreadable as problem:
        raise AvailabilityError(problem.reason, **problem.details) from None


@dataclass
class _Group:
    weekdays: set[int] = field(default_factory=set)
    dates: list[DateRef] = field(default_factory=list)
    hours: list[Hours] = field(default_factory=list)
    last: str = ""  # "days" or "hours": what was added last

    @property
    def has_days(self) -> bool:
        return bool(self.weekdays or self.dates)


def _groups(parts: Iterable[Part]) -> list[_Group]:
    """Days and hours paired in the order written: «вт 15-17, чт 10-12» is two groups,
    «10-12 и 14-16 по средам» one. A group with both closes when the other kind comes."""
    groups: list[_Group] = []
    for part in parts:
        kind = "hours" if isinstance(part, Hours) else "days"
        if isinstance(part, Bound | Weekly):
            continue
        group = groups[-1] if groups else None
        if group is None or (group.has_days and group.hours and group.last != kind):
            group = _Group()
            groups.append(group)
        if isinstance(part, Hours):
            group.hours.append(part)
        elif isinstance(part, Days):
            group.weekdays |= part.weekdays
        elif isinstance(part, Dates):
            group.dates.extend(part.dates)
        group.last = kind
    return groups


class _Assembly:
    def __init__(
        self,
        text: str,
        today: date,
        zone: ZoneInfo,
        now: datetime | None,
        horizon_weeks: int,
        max_days: int,
    ) -> None:
        self.text = text
        self.today = today
        self.zone = zone
        self.now = now
        self.horizon_weeks = horizon_weeks
        self.max_days = max_days

    def build(self, parts: list[Part]) -> Availability:
        groups = _groups(parts)
        bounds = [part for part in parts if isinstance(part, Bound)]
        weekly = (
            bool(bounds)
            or any(isinstance(part, Weekly) for part in parts)
            or any(isinstance(part, Days) and part.weekly for part in parts)
        )
        if weekly and any(group.dates for group in groups):
            raise Unreadable("dates_with_period")
        if not groups or any(not group.hours for group in groups):
            raise Unreadable("no_time")
        if not bounds and any(not group.has_days for group in groups):
            raise Unreadable("no_day")
        if weekly:
            return self.weekly(groups, bounds)
        return self.once(groups)

    # -- dates
    def place(self, ref: DateRef, year: int) -> date:
        day = last_day(year, ref.month) if ref.month_end else ref.day
        try:
            return date(year, ref.month, day)
        except ValueError:
            raise Unreadable("bad_date", date=ref.text) from None

    def check_written(self, ref: DateRef) -> None:
        """An impossible day or month («31.11», «30 февраля») in any year."""
        longest = 31 if ref.month_end or ref.month != 2 else 29
        if not 1 <= ref.month <= 12 or not 1 <= ref.day <= longest:
            raise Unreadable("bad_date", date=ref.text)
        if ref.year is not None and not 2000 <= ref.year <= 2999:
            raise Unreadable("bad_date", date=ref.text)
        if ref.year is not None:
            self.place(ref, ref.year)

    def next_on_or_after(self, ref: DateRef, earliest: date) -> date:
        if ref.fixed is not None:
            return ref.fixed
        self.check_written(ref)
        if ref.year is not None:
            return self.place(ref, ref.year)
        for year in range(earliest.year, earliest.year + 9):  # 29 February comes back
            if ref.month == 2 and ref.day == 29 and last_day(year, 2) < 29:
                continue
            found = self.place(ref, year)
            if found >= earliest:
                return found
        raise Unreadable("bad_date", date=ref.text)

    def start_before(self, ref: DateRef, end: date, shared_month: bool) -> date:
        """The latest such date not after ``end`` (a yearless range start)."""
        if ref.fixed is not None:
            return ref.fixed
        self.check_written(ref)
        if ref.year is not None:
            return self.place(ref, ref.year)
        if (shared_month or ref.month == end.month) and ref.day > end.day:
            start = f"{ref.day:02d}.{end.month:02d}.{end.year}"
            raise Unreadable("reversed_dates", start=start, end=_ddmmyyyy(end))
        for year in range(end.year, end.year - 9, -1):
            if ref.month == 2 and ref.day == 29 and last_day(year, 2) < 29:
                continue
            found = self.place(ref, year)
            if found <= end:
                return found
        raise Unreadable("bad_date", date=ref.text)

    def check_reach(self, day: date) -> None:
        if day > self.today + timedelta(days=self.max_days):
            raise Unreadable("too_far", date=_ddmmyyyy(day), days=self.max_days)

    def period(self, bounds: list[Bound]) -> tuple[date, date, bool]:
        """First and last day of a weekly pattern, and whether the end is the default."""
        starts = [bound for bound in bounds if bound.start is not None]
        ends = [bound for bound in bounds if bound.end is not None]
        if len(starts) > 1 or len(ends) > 1:
            raise Unreadable("two_periods")
        end: date | None = None
        if ends:
            end_ref = ends[0].end
            assert end_ref is not None
            end = self.next_on_or_after(end_ref, self.today)
        if starts:
            bound = starts[0]
            assert bound.start is not None
            if end is None:
                start = self.next_on_or_after(bound.start, self.today)
            else:
                shared = bound.shared_month and bound.end is not None
                start = self.start_before(bound.start, end, shared)
        else:
            start = self.today
        default_end = end is None
        if end is None:
            end = start + timedelta(weeks=self.horizon_weeks) - timedelta(days=1)
        if end < self.today:
            raise Unreadable("past_date", date=_ddmmyyyy(end))
        if end < start:
            raise Unreadable("reversed_dates", start=_ddmmyyyy(start), end=_ddmmyyyy(end))
        self.check_reach(end)
        return max(start, self.today), end, default_end

    # -- the two kinds
    def weekly(self, groups: list[_Group], bounds: list[Bound]) -> Availability:
        first, last, default_end = self.period(bounds)
        rules = tuple(
            Rule(
                tuple(sorted(group.weekdays or w.EVERY_DAY)),
                (),
                tuple(sorted({TimeRange(h.start, h.end) for h in group.hours})),
            )
            for group in groups
        )
        pieces: list[Interval] = []
        day = first
        while day <= last:
            for rule in rules:
                if day.weekday() in rule.weekdays:
                    pieces.extend(self.interval(day, times) for times in rule.times)
            day += timedelta(days=1)
        if self.now is not None:
            pieces = [piece for piece in pieces if piece.end > self.now]
        if not pieces:
            raise Unreadable("no_windows", start=_ddmmyyyy(first), end=_ddmmyyyy(last))
        return self.result(Repeat.WEEKLY, rules, first, last, default_end, pieces)

    def once(self, groups: list[_Group]) -> Availability:
        rules: list[Rule] = []
        pieces: list[Interval] = []
        for group in groups:
            if group.dates:
                days = [self.next_on_or_after(ref, self.today) for ref in group.dates]
                for day in days:
                    if day < self.today:
                        raise Unreadable("past_date", date=_ddmmyyyy(day))
                    if group.weekdays and day.weekday() not in group.weekdays:
                        raise Unreadable("weekday_mismatch", date=_ddmmyyyy(day))
            else:  # the next such day after today
                days = [self.today + timedelta(days=(d - self.today.weekday() - 1) % 7 + 1)
                        for d in group.weekdays]  # fmt: skip
            for day in days:
                self.check_reach(day)
            times = tuple(sorted({TimeRange(h.start, h.end) for h in group.hours}))
            unique_days = tuple(sorted(set(days)))
            rules.append(Rule(tuple(sorted({d.weekday() for d in days})), unique_days, times))
            for day in unique_days:
                for span in times:
                    piece = self.interval(day, span)
                    if self.now is not None and piece.end <= self.now:
                        raise Unreadable("past_time", date=_ddmmyyyy(day), time=str(span))
                    pieces.append(piece)
        every_day = [day for rule in rules for day in rule.dates]
        first, last = min(every_day), max(every_day)
        return self.result(Repeat.ONCE, tuple(rules), first, last, False, pieces)

    def interval(self, day: date, span: TimeRange) -> Interval:
        start = datetime.combine(day, time(span.start // 60, span.start % 60), tzinfo=self.zone)
        if span.end == MINUTES_PER_DAY:
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
        else:
            end = datetime.combine(day, time(span.end // 60, span.end % 60), tzinfo=self.zone)
        return Interval(start.astimezone(UTC), end.astimezone(UTC))

    def result(
        self,
        repeat: Repeat,
        rules: tuple[Rule, ...],
        first: date,
        last: date,
        default_end: bool,
        pieces: list[Interval],
    ) -> Availability:
        return Availability(
            text=self.text,
            repeat=repeat,
            rules=rules,
            first_day=first,
            last_day=last,
            default_end=default_end,
            horizon_weeks=self.horizon_weeks,
            zone=self.zone.key,
            intervals=tuple(merge(pieces)),
        )
