"""The production calendar behind reminder dates (bot.calendar.workdays).

The tables below are the official calendars, written out here so that a release of the
``holidays`` package that drops or moves a day fails this test instead of moving a
reminder onto a day off:

* 2024: Постановление Правительства РФ от 10.08.2023 № 1314 «О переносе выходных дней
  в 2024 году»;
* 2025: Постановление Правительства РФ от 04.10.2024 № 1335 (23 February to 8 May,
  8 March to 13 June, 4 January to 2 May, 5 January to 31 December, Saturday 1 November
  to 3 November);
* 2026: Постановление Правительства РФ от 24.09.2025 № 1466 (3 and 4 January to 9 January
  and 31 December; no working Saturday);
* 2027: as the ``holidays`` package has it from the 2026 decree (КонсультантПлюс
  cons_doc_LAW_544706): not checked against a second source.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.calendar.workdays import (
    LOOKBACK_DAYS,
    Overrides,
    _labour_code_days_off,
    decree_known,
    is_working_day,
    next_working_day,
    previous_working_day,
)

# weekdays (Monday to Friday) that are days off, and weekend days that are working days
OFFICIAL: dict[int, tuple[set[str], set[str]]] = {
    2024: (
        {"01-01", "01-02", "01-03", "01-04", "01-05", "01-08", "02-23", "03-08", "04-29"}
        | {"04-30", "05-01", "05-09", "05-10", "06-12", "11-04", "12-30", "12-31"},
        {"04-27", "11-02", "12-28"},
    ),
    2025: (
        {"01-01", "01-02", "01-03", "01-06", "01-07", "01-08", "05-01", "05-02", "05-08"}
        | {"05-09", "06-12", "06-13", "11-03", "11-04", "12-31"},
        {"11-01"},
    ),
    2026: (
        {"01-01", "01-02", "01-05", "01-06", "01-07", "01-08", "01-09", "02-23", "03-09"}
        | {"05-01", "05-11", "06-12", "11-04", "12-31"},
        set(),
    ),
    2027: (
        {"01-01", "01-04", "01-05", "01-06", "01-07", "01-08", "02-22", "02-23", "03-08"}
        | {"05-03", "05-10", "06-14", "11-04", "11-05", "12-31"},
        {"02-20"},
    ),
}
WORKING_SATURDAYS = [date(2024, 4, 27), date(2024, 11, 2), date(2024, 12, 28), date(2025, 11, 1)]


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def official_working(day: date) -> bool:
    weekdays_off, weekends_worked = OFFICIAL[day.year]
    key = day.strftime("%m-%d")
    return key in weekends_worked if day.weekday() >= 5 else key not in weekdays_off


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_every_day_of_the_year_matches_the_official_calendar(year: int) -> None:
    wrong = [day for day in days_of(year) if is_working_day(day) != official_working(day)]
    assert wrong == []
    assert decree_known(year)


@pytest.mark.parametrize(("year", "count"), [(2024, 248), (2025, 247), (2026, 247), (2027, 247)])
def test_working_days_a_year_as_the_production_calendar_counts_them(year: int, count: int) -> None:
    assert sum(is_working_day(day) for day in days_of(year)) == count


def test_may_2026_holidays_move_reminders_to_the_working_day_before() -> None:
    for number in (1, 2, 3):
        assert not is_working_day(date(2026, 5, number))
        assert previous_working_day(date(2026, 5, number)) == date(2026, 4, 30)
    assert is_working_day(date(2026, 5, 8))  # a Friday: a shortened working day, not off
    for number in (9, 10, 11):
        assert not is_working_day(date(2026, 5, number))
        assert previous_working_day(date(2026, 5, number)) == date(2026, 5, 8)
    assert previous_working_day(date(2026, 5, 12)) == date(2026, 5, 12)


def test_no_reminder_date_of_2026_is_a_day_off() -> None:
    for day in days_of(2026):
        moved = previous_working_day(day)
        assert official_working(moved), (day, moved)
        assert moved.year in OFFICIAL


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2025, 12, 30)),  # 31 December 2025 is off too
        (date(2026, 1, 11), date(2025, 12, 30)),
        (date(2026, 1, 12), date(2026, 1, 12)),
        (date(2025, 11, 4), date(2025, 11, 1)),  # the working Saturday
        (date(2025, 11, 3), date(2025, 11, 1)),
        (date(2025, 5, 4), date(2025, 4, 30)),
        (date(2025, 5, 11), date(2025, 5, 7)),
        (date(2025, 6, 15), date(2025, 6, 11)),
        (date(2026, 6, 14), date(2026, 6, 11)),
        (date(2026, 11, 4), date(2026, 11, 3)),
        (date(2026, 12, 31), date(2026, 12, 30)),
        (date(2027, 1, 10), date(2026, 12, 30)),
        (date(2026, 3, 9), date(2026, 3, 6)),
        (date(2026, 10, 1), date(2026, 10, 1)),  # the 1 October deadline is a Thursday
        (date(2027, 10, 1), date(2027, 10, 1)),
        (date(2027, 5, 1), date(2027, 4, 30)),
    ],
)
def test_previous_working_day_of_known_dates(day: date, expected: date) -> None:
    assert previous_working_day(day) == expected


@pytest.mark.parametrize("saturday", [*WORKING_SATURDAYS, date(2027, 2, 20)])
def test_transferred_working_saturdays_are_working_days(saturday: date) -> None:
    assert saturday.weekday() == 5
    assert is_working_day(saturday)
    assert previous_working_day(saturday) == saturday


def test_previous_working_day_over_2025_to_2027_lands_on_the_last_working_day() -> None:
    for year in (2025, 2026, 2027):
        for day in days_of(year):
            moved = previous_working_day(day)
            assert moved <= day
            assert is_working_day(moved)
            assert official_working(moved)
            between = moved + timedelta(days=1)
            while between <= day:
                assert not is_working_day(between), (day, between)
                between += timedelta(days=1)


def test_a_program_overrides_the_federal_calendar() -> None:
    regional = Overrides(
        days_off=frozenset({date(2026, 10, 1)}), working_days=frozenset({date(2026, 5, 11)})
    )
    assert not is_working_day(date(2026, 10, 1), regional)
    assert previous_working_day(date(2026, 10, 1), regional) == date(2026, 9, 30)
    assert is_working_day(date(2026, 5, 11), regional)
    assert previous_working_day(date(2026, 5, 11), regional) == date(2026, 5, 11)
    assert is_working_day(date(2026, 10, 1))  # the default calendar is untouched


def test_overrides_refuse_a_day_both_off_and_worked() -> None:
    with pytest.raises(ValueError, match="2026-10-01"):
        Overrides(
            days_off=frozenset({date(2026, 10, 1)}), working_days=frozenset({date(2026, 10, 1)})
        )


def test_a_calendar_without_working_days_is_an_error_not_a_loop() -> None:
    end = date(2026, 10, 1)
    closed = Overrides(
        days_off=frozenset(end - timedelta(days=n) for n in range(LOOKBACK_DAYS + 1))
    )
    with pytest.raises(ValueError, match="no working day"):
        previous_working_day(end, closed)


def test_labour_code_carries_a_weekend_holiday_to_the_next_working_day() -> None:
    # 2036: 23 February and 8 March are Saturdays; 2028: 4 November is a Saturday
    assert {date(2036, 2, 25), date(2036, 3, 10)} <= _labour_code_days_off(2036)
    assert date(2028, 11, 6) in _labour_code_days_off(2028)
    # 1–8 January on a weekend moves only by a decree: no Monday 10 January 2028 here
    assert date(2028, 1, 10) not in _labour_code_days_off(2028)


def test_a_year_without_a_decree_follows_the_labour_code() -> None:
    assert not decree_known(2036)
    assert not is_working_day(date(2036, 2, 25))
    assert not is_working_day(date(2036, 3, 10))
    assert is_working_day(date(2036, 3, 11))
    assert previous_working_day(date(2036, 2, 25)) == date(2036, 2, 22)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 5, 1), date(2026, 5, 4)),
        (date(2026, 5, 9), date(2026, 5, 12)),
        (date(2025, 12, 31), date(2026, 1, 12)),
        (date(2025, 11, 1), date(2025, 11, 1)),  # the working Saturday
        (date(2026, 10, 2), date(2026, 10, 2)),
    ],
)
def test_next_working_day_of_known_dates(day: date, expected: date) -> None:
    assert next_working_day(day) == expected


def test_next_working_day_over_2025_to_2027_lands_on_the_first_working_day() -> None:
    for year in (2025, 2026, 2027):
        for day in days_of(year):
            moved = next_working_day(day)
            assert moved >= day
            assert is_working_day(moved)
            between = day
            while between < moved:
                assert not is_working_day(between), (day, between)
                between += timedelta(days=1)
