"""Working days in Russia: reminders and digests never fall on a day off.

A date is a working day when the Russian production calendar says so: Monday to Friday,
unless it is a public holiday (art. 112 of the Labour Code) or a day off moved there by
the government's yearly decree «О переносе выходных дней в … году»; a Saturday or a
Sunday only when such a decree makes it a working day (1 November 2025).

Where the data comes from, in this order:

1. a program's own :class:`Overrides` (a regional holiday such as a republic's day, a
   day the authority closes), passed by the caller;
2. :data:`CORRECTIONS`, official days the ``holidays`` package gets wrong or lacks: the
   one place to fix a year by hand. It is empty: the package's Russian calendar (0.107
   and later) matches the decrees for 2024–2027, which tests/test_workdays.py pins:
   2024 — Постановление Правительства РФ от 10.08.2023 № 1314; 2025 — от 04.10.2024
   № 1335; 2026 — от 24.09.2025 № 1466; 2027 — the 2026 decree the package cites
   (КонсультантПлюс, cons_doc_LAW_544706);
3. the ``holidays`` package for a year whose decree it knows;
4. for a later year, the Labour Code alone: the fixed holidays, and a holiday other
   than 1–8 January that falls on a weekend gives the next working day off (art. 112,
   part 2). The two January weekend days the next decree will move are unknown until
   it is published (each autumn): a new ``holidays`` release, or rows in
   :data:`CORRECTIONS`, bring it in.

Everything here is a pure function of a date; the year tables are computed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

# how far previous_working_day and next_working_day look before deciding there is no
# working day (the longest real run of days off: 12 days, 31 December to 11 January)
LOOKBACK_DAYS = 60

# art. 112 of the Labour Code: the non-working public holidays, (month, day)
NEW_YEAR_HOLIDAYS = tuple((1, day) for day in range(1, 9))  # 1–6 and 8 January; 7: Christmas
FIXED_HOLIDAYS = (*NEW_YEAR_HOLIDAYS, (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4))


@dataclass(frozen=True, slots=True)
class Overrides:
    """Days that differ from the federal calendar: made days off, or made working days."""

    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        both = self.days_off & self.working_days
        if both:
            listed = ", ".join(sorted(day.isoformat() for day in both))
            raise ValueError(f"a day cannot be both a day off and a working day: {listed}")


NO_OVERRIDES = Overrides()

# official days the holidays package misses (see the module docstring); none for 2024–2027
CORRECTIONS = Overrides()


@dataclass(frozen=True, slots=True)
class _Year:
    """One year's exceptions to "Monday to Friday": weekdays off, and weekend days worked."""

    weekdays_off: frozenset[date]
    weekends_worked: frozenset[date]
    from_decree: bool  # False: the Labour Code alone (no decree known for the year)


def is_working_day(day: date, overrides: Overrides = NO_OVERRIDES) -> bool:
    """Whether ``day`` is a working day in Russia (a program's ``overrides`` first)."""
    for layer in (overrides, CORRECTIONS):
        if day in layer.working_days:
            return True
        if day in layer.days_off:
            return False
    year = _year(day.year)
    if day.weekday() >= 5:
        return day in year.weekends_worked
    return day not in year.weekdays_off


def previous_working_day(day: date, overrides: Overrides = NO_OVERRIDES) -> date:
    """``day`` when it is a working day, else the last working day before it.

    Raises ValueError when no working day is found within :data:`LOOKBACK_DAYS` (only
    ``overrides`` that close a whole season can do that).
    """
    for back in range(LOOKBACK_DAYS + 1):
        candidate = day - timedelta(days=back)
        if is_working_day(candidate, overrides):
            return candidate
    raise ValueError(f"no working day in the {LOOKBACK_DAYS} days up to {day.isoformat()}")


def next_working_day(day: date, overrides: Overrides = NO_OVERRIDES) -> date:
    """``day`` when it is a working day, else the first working day after it.

    For what must not come early: a notice that a deadline has passed cannot move to the
    working day before, which may be the deadline itself.
    """
    for ahead in range(LOOKBACK_DAYS + 1):
        candidate = day + timedelta(days=ahead)
        if is_working_day(candidate, overrides):
            return candidate
    raise ValueError(f"no working day in the {LOOKBACK_DAYS} days from {day.isoformat()}")


def decree_known(year: int) -> bool:
    """Whether the calendar of ``year`` includes its decree on transferred days off.

    False means the Labour Code alone (see the module docstring): the scheduler may warn
    a coordinator that the year's transferred days are not known yet.
    """
    return _year(year).from_decree


@cache
def _year(year: int) -> _Year:
    package = holidays.country_holidays("RU", years=year)
    weekdays_off: set[date] = set()
    weekends_worked: set[date] = set()
    day = date(year, 1, 1)
    while day.year == year:
        working = package.is_working_day(day)
        if day.weekday() < 5 and not working:
            weekdays_off.add(day)
        elif day.weekday() >= 5 and working:
            weekends_worked.add(day)
        day += timedelta(days=1)
    fixed = {date(year, month, number) for month, number in FIXED_HOLIDAYS}
    # every decree moves the January weekend days (1–8 January always hold two) to other
    # weekdays, so a year whose only weekdays off are the fixed holidays has no decree yet
    if weekends_worked or weekdays_off - fixed:
        return _Year(frozenset(weekdays_off), frozenset(weekends_worked), from_decree=True)
    return _Year(_labour_code_days_off(year), frozenset(), from_decree=False)


def _labour_code_days_off(year: int) -> frozenset[date]:
    """The weekdays off of ``year`` by art. 112 alone: the fixed holidays on weekdays, and
    for each holiday outside 1–8 January that falls on a weekend, the next working day."""
    fixed = sorted(date(year, month, number) for month, number in FIXED_HOLIDAYS)
    off = {holiday for holiday in fixed if holiday.weekday() < 5}
    for holiday in fixed:
        if (holiday.month, holiday.day) in NEW_YEAR_HOLIDAYS or holiday.weekday() < 5:
            continue
        carried = holiday + timedelta(days=1)
        while carried.weekday() >= 5 or carried in off:
            carried += timedelta(days=1)
        if carried.year == year:
            off.add(carried)
    return frozenset(off)
