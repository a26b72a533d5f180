"""Free slots and the booking rule (bot/consultations/slots.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.consultations.intervals import Interval, merge
from bot.consultations.slots import (
    DEFAULT_RULES,
    BookingProblem,
    BookingRules,
    by_day,
    check_booking,
    day_window,
    free_days,
    free_slots,
    month_window,
    nearest_free,
)

MOSCOW = ZoneInfo("Europe/Moscow")
DAY = datetime(2026, 12, 7, tzinfo=UTC)  # a Monday
EARLY = DAY - timedelta(days=1)  # "now" well before everything
MIN = timedelta(minutes=1)


def at(hour: int, minute: int = 0, day: datetime = DAY) -> datetime:
    return day + timedelta(hours=hour, minutes=minute)


def span(start: tuple[int, int], end: tuple[int, int], day: datetime = DAY) -> Interval:
    return Interval(at(*start, day=day), at(*end, day=day))


def hhmm(slots: list[datetime]) -> list[str]:
    return [f"{slot:%H:%M}" for slot in slots]


def free(
    availability: list[Interval],
    bookings: list[Interval] = [],  # noqa: B006 - never changed
    *,
    now: datetime = EARLY,
    rules: BookingRules = DEFAULT_RULES,
    start: datetime = DAY,
    end: datetime = DAY + timedelta(days=1),
) -> list[str]:
    return hhmm(free_slots(availability, bookings, now=now, start=start, end=end, rules=rules))


MORNING = [span((10, 0), (12, 0))]


def test_back_to_back_slots_fill_the_availability() -> None:
    assert free(MORNING) == ["10:00", "10:30", "11:00", "11:30"]
    assert free(MORNING, rules=BookingRules(length=timedelta(minutes=45))) == ["10:00", "10:45"]


def test_a_booking_takes_its_slot_and_the_buffer_its_neighbours() -> None:
    booked = [span((10, 30), (11, 0))]
    assert free(MORNING, booked) == ["10:00", "11:00", "11:30"]
    ten = BookingRules(buffer=timedelta(minutes=10))
    assert free(MORNING, booked, rules=ten) == ["11:30"]
    fine = BookingRules(buffer=timedelta(minutes=10), step=timedelta(minutes=10))
    assert free(MORNING, booked, rules=fine) == ["11:10", "11:20", "11:30"]


def test_the_notice_and_the_past_are_left_out() -> None:
    two_hours = BookingRules(notice=timedelta(hours=2))
    assert free(MORNING, now=at(8, 30), rules=two_hours) == ["10:30", "11:00", "11:30"]
    assert free(MORNING, now=at(9, 45), rules=two_hours) == []
    assert free(MORNING, now=at(10, 40)) == ["11:00", "11:30"]
    assert free(MORNING, now=at(11, 0)) == ["11:00", "11:30"]  # starting now is bookable


def test_the_window_limits_the_starts() -> None:
    assert free(MORNING, start=at(10, 15), end=at(11, 30)) == ["10:30", "11:00"]


def test_touching_availability_is_one_stretch() -> None:
    halves = [span((11, 0), (12, 0)), span((10, 0), (11, 0))]
    assert free(halves, rules=BookingRules(length=timedelta(minutes=45))) == ["10:00", "10:45"]
    apart = [span((10, 0), (10, 50)), span((11, 0), (12, 0))]
    assert free(apart) == ["10:00", "11:00", "11:30"]


def test_check_booking_says_why_not() -> None:
    booked = [span((10, 30), (11, 0))]
    rules = BookingRules(buffer=timedelta(minutes=10), notice=timedelta(hours=2))

    def check(start: datetime, now: datetime = EARLY) -> BookingProblem | None:
        refusal = check_booking(start, MORNING, booked, now=now, rules=rules)
        return None if refusal is None else refusal.reason

    assert check(at(11, 30)) is None
    assert check(at(11, 30), now=at(11, 31)) is BookingProblem.PAST
    assert check(at(11, 30), now=at(10)) is BookingProblem.INSIDE_NOTICE
    assert check(at(9, 30)) is BookingProblem.OUTSIDE_AVAILABILITY
    assert check(at(11, 45)) is BookingProblem.OUTSIDE_AVAILABILITY  # ends after 12:00
    assert check(at(10, 30)) is BookingProblem.OVERLAP
    assert check(at(11, 0)) is BookingProblem.OVERLAP  # within the buffer
    assert check(at(11, 10)) is None  # off the grid, but the rule allows it


def test_refusals_carry_a_message() -> None:
    def refusal(notice: timedelta) -> tuple[str, dict[str, str]]:
        found = check_booking(
            at(11), MORNING, [], now=at(10, 30), rules=BookingRules(notice=notice)
        )
        assert found is not None and found.reason is BookingProblem.INSIDE_NOTICE
        return found.msgid, found.params

    msgid, params = refusal(timedelta(hours=24))
    assert "{hours}" in msgid and params == {"hours": "24"}
    msgid, params = refusal(timedelta(minutes=90))
    assert "{minutes}" in msgid and params == {"minutes": "90"}
    past = check_booking(at(10), MORNING, [], now=at(11))
    assert past is not None and past.msgid.startswith("This time has already passed")


def test_nearest_free_times_around_a_taken_one() -> None:
    booked = [span((11, 0), (11, 30))]
    nearest = nearest_free(at(11), MORNING, booked, now=EARLY)
    assert hhmm(nearest) == ["10:00", "10:30", "11:30"]
    assert hhmm(nearest_free(at(11), MORNING, booked, now=EARLY, count=1)) == ["10:30"]
    later = [span((10, 0), (12, 0), day=DAY + timedelta(days=3))]
    found = nearest_free(at(11), later, [], now=EARLY, count=2)
    assert found == [at(10, day=DAY + timedelta(days=3)), at(10, 30, day=DAY + timedelta(days=3))]
    assert nearest_free(at(11), later, [], now=EARLY, within=timedelta(days=1)) == []


def test_the_month_view_shows_days_with_a_free_slot() -> None:
    def morning(day: int) -> Interval:
        start = datetime(2026, 12, day, 10, tzinfo=MOSCOW)
        return Interval(start, start + timedelta(hours=1))

    availability = [morning(day) for day in (1, 3, 8, 10, 15, 17)]
    bookings = [morning(8)]  # the 8th is full
    now = datetime(2026, 12, 3, 10, 40, tzinfo=MOSCOW)  # the 3rd: only 10:30 was left, gone
    days = free_days(2026, 12, availability, bookings, now=now, zone=MOSCOW)
    assert days == (date(2026, 12, 10), date(2026, 12, 15), date(2026, 12, 17))
    assert free_days(2027, 1, availability, bookings, now=now, zone=MOSCOW) == ()


def test_local_windows() -> None:
    start, end = day_window(date(2026, 12, 7), MOSCOW)
    assert (start, end) == (
        datetime(2026, 12, 6, 21, tzinfo=UTC),
        datetime(2026, 12, 7, 21, tzinfo=UTC),
    )
    start, end = month_window(2026, 12, MOSCOW)
    assert (start, end) == (
        datetime(2026, 11, 30, 21, tzinfo=UTC),
        datetime(2026, 12, 31, 21, tzinfo=UTC),
    )
    late = datetime(2026, 12, 7, 22, tzinfo=UTC)  # already the 8th in Moscow
    assert list(by_day([DAY, late], MOSCOW)) == [date(2026, 12, 7), date(2026, 12, 8)]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        free_slots(MORNING, [], now=datetime(2026, 12, 7), start=DAY, end=DAY)
    with pytest.raises(ValueError):
        BookingRules(length=timedelta(0))
    with pytest.raises(ValueError):
        BookingRules(buffer=-MIN)
    with pytest.raises(ValueError):
        BookingRules(step=timedelta(0))
    with pytest.raises(ValueError):
        Interval(at(11), at(10))


# --------------------------------------------------------------------------- properties


def plain_free_slots(
    availability: list[Interval],
    bookings: list[Interval],
    now: datetime,
    start: datetime,
    end: datetime,
    rules: BookingRules,
) -> list[datetime]:
    """The rule written the slow, obvious way: every grid point against every booking."""
    found = []
    for stretch in merge(availability):
        slot = stretch.start
        while slot + rules.length <= stretch.end:
            fits = start <= slot < end and slot >= now + rules.notice
            for booking in bookings:
                if (
                    booking.start - rules.buffer < slot + rules.length
                    and slot < booking.end + rules.buffer
                ):
                    fits = False
            if fits:
                found.append(slot)
            slot += rules.grid
    return found


def intervals(max_size: int) -> st.SearchStrategy[list[Interval]]:
    """Intervals within three days of DAY, on a 5-minute grid."""
    one = st.tuples(st.integers(0, 3 * 24 * 12), st.integers(1, 48)).map(
        lambda p: Interval(DAY + p[0] * 5 * MIN, DAY + (p[0] + p[1]) * 5 * MIN)
    )
    return st.lists(one, max_size=max_size)


RULES = st.builds(
    BookingRules,
    length=st.sampled_from([15, 30, 45, 60, 90]).map(lambda m: m * MIN),
    buffer=st.sampled_from([0, 5, 10, 15, 30]).map(lambda m: m * MIN),
    notice=st.sampled_from([0, 30, 60, 120, 24 * 60]).map(lambda m: m * MIN),
    step=st.sampled_from([None, 5, 10, 15, 30]).map(lambda m: None if m is None else m * MIN),
)
MOMENTS = st.integers(-24 * 12, 4 * 24 * 12).map(lambda k: DAY + k * 5 * MIN)


@settings(deadline=None, max_examples=300)
@given(
    availability=intervals(12),
    bookings=intervals(12),
    rules=RULES,
    now=MOMENTS,
    window=st.tuples(MOMENTS, MOMENTS),
)
def test_free_slots_keep_every_rule_and_miss_none(
    availability: list[Interval],
    bookings: list[Interval],
    rules: BookingRules,
    now: datetime,
    window: tuple[datetime, datetime],
) -> None:
    start, end = sorted(window)
    slots = free_slots(availability, bookings, now=now, start=start, end=end, rules=rules)
    assert slots == plain_free_slots(availability, bookings, now, start, end, rules)
    assert slots == sorted(set(slots))
    for slot in slots:
        stop = slot + rules.length
        assert start <= slot < end
        assert slot >= now + rules.notice
        assert any(stretch.contains(slot, stop) for stretch in merge(availability))
        for booking in bookings:
            assert stop <= booking.start - rules.buffer or slot >= booking.end + rules.buffer
        assert check_booking(slot, availability, bookings, now=now, rules=rules) is None


@settings(deadline=None, max_examples=300)
@given(
    availability=intervals(8),
    bookings=intervals(8),
    rules=RULES,
    now=MOMENTS,
    wanted=MOMENTS,
)
def test_check_booking_agrees_with_the_rule(
    availability: list[Interval],
    bookings: list[Interval],
    rules: BookingRules,
    now: datetime,
    wanted: datetime,
) -> None:
    refusal = check_booking(wanted, availability, bookings, now=now, rules=rules)
    stop = wanted + rules.length
    inside = any(stretch.contains(wanted, stop) for stretch in merge(availability))
    clear = all(
        stop <= booking.start - rules.buffer or wanted >= booking.end + rules.buffer
        for booking in bookings
    )
    ok = wanted >= now + rules.notice and inside and clear
    assert (refusal is None) == ok
    if refusal is not None and wanted < now:
        assert refusal.reason is BookingProblem.PAST


@settings(deadline=None, max_examples=200)
@given(
    availability=intervals(8),
    bookings=intervals(8),
    rules=RULES,
    wanted=MOMENTS,
    count=st.integers(1, 5),
)
def test_nearest_free_are_the_closest_free_slots(
    availability: list[Interval],
    bookings: list[Interval],
    rules: BookingRules,
    wanted: datetime,
    count: int,
) -> None:
    within = timedelta(days=2)
    nearest = nearest_free(
        wanted, availability, bookings, now=EARLY, rules=rules, count=count, within=within
    )
    every = free_slots(
        availability, bookings, now=EARLY, start=wanted - within, end=wanted + within, rules=rules
    )
    assert nearest == sorted(nearest) and set(nearest) <= set(every)
    assert len(nearest) == min(count, len(every))
    if nearest:
        farthest = max(abs(slot - wanted) for slot in nearest)
        assert all(abs(slot - wanted) >= farthest for slot in set(every) - set(nearest))
