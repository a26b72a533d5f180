"""Reading a curator's availability typed in Russian (bot/consultations/availability.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.consultations.availability import (
    MAX_DAYS,
    MESSAGES,
    Availability,
    AvailabilityError,
    Repeat,
    TimeRange,
    read_availability,
)
from bot.consultations.reading import MAX_TEXT
from bot.i18n import LocalizedError

MOSCOW = ZoneInfo("Europe/Moscow")
TODAY = date(2026, 11, 30)  # a Monday
ABBR = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
]  # fmt: skip
PLURAL_DATIVE = [
    "понедельникам", "вторникам", "средам", "четвергам", "пятницам", "субботам", "воскресеньям",
]  # fmt: skip


def read(text: str, today: date = TODAY, **options: object) -> Availability:
    return read_availability(text, today=today, zone=MOSCOW, **options)  # type: ignore[arg-type]


def summary(found: Availability) -> str:
    """«weekly вт,чт 15:00–17:00 2026-11-30..2026-12-20 n=6»; rules joined by «; »."""
    rules = "; ".join(
        ",".join(ABBR[d] for d in rule.weekdays) + " " + ",".join(map(str, rule.times))
        for rule in found.rules
    )
    return f"{found.repeat} {rules} {found.first_day}..{found.last_day} n={found.windows}"


def local(found: Availability) -> list[str]:
    """The intervals as local «YYYY-MM-DD HH:MM–HH:MM»."""
    out = []
    for interval in found.intervals:
        start, end = interval.start.astimezone(MOSCOW), interval.end.astimezone(MOSCOW)
        out.append(f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}")
    return out


# --------------------------------------------------------------------------- understood

UNDERSTOOD: list[tuple[str, str]] = [
    # the brief's examples
    ("вт, чт 15:00–17:00 до 20 декабря", "weekly вт,чт 15:00–17:00 2026-11-30..2026-12-20 n=6"),
    ("каждую среду с 10 до 12", "weekly ср 10:00–12:00 2026-11-30..2027-01-24 n=8"),
    ("5 декабря 14:00–16:00", "once сб 14:00–16:00 2026-12-05..2026-12-05 n=1"),
    (
        "пн-пт 9:00-13:00 с 1 по 19 декабря",
        "weekly пн,вт,ср,чт,пт 09:00–13:00 2026-12-01..2026-12-19 n=14",
    ),
    (
        "по вторникам 15.00-17.00 до конца декабря",
        "weekly вт 15:00–17:00 2026-11-30..2026-12-31 n=5",
    ),
    ("5.12 14:00-16:00", "once сб 14:00–16:00 2026-12-05..2026-12-05 n=1"),
    ("завтра 10-12", "once вт 10:00–12:00 2026-12-01..2026-12-01 n=1"),
    ("среда 10:00–12:00", "once ср 10:00–12:00 2026-12-02..2026-12-02 n=1"),
    # days of the week, their forms and lists
    ("Вт, Чт 15:00 — 17:00 до 20.12", "weekly вт,чт 15:00–17:00 2026-11-30..2026-12-20 n=6"),
    ("каждый понедельник 9-11 до 21 декабря", "weekly пн 09:00–11:00 2026-11-30..2026-12-21 n=4"),
    (
        "по понедельникам и пятницам с 14 до 16 до конца месяца",
        "weekly пн,пт 14:00–16:00 2026-11-30..2026-11-30 n=1",
    ),
    (
        "еженедельно по четвергам 16:00-18:00 до 24 декабря",
        "weekly чт 16:00–18:00 2026-11-30..2026-12-24 n=4",
    ),
    (
        "ежедневно 9-10 до конца недели",
        "weekly пн,вт,ср,чт,пт,сб,вс 09:00–10:00 2026-11-30..2026-12-06 n=7",
    ),
    (
        "по будням с 9 до 13 на следующей неделе",
        "weekly пн,вт,ср,чт,пт 09:00–13:00 2026-12-07..2026-12-13 n=5",
    ),
    ("в декабре по пятницам 10-12", "weekly пт 10:00–12:00 2026-12-01..2026-12-31 n=4"),
    ("во вторник с 15 до 17", "once вт 15:00–17:00 2026-12-01..2026-12-01 n=1"),
    ("вторник и четверг 15:00-17:00", "once вт,чт 15:00–17:00 2026-12-01..2026-12-03 n=2"),
    ("вт 15-17, чт 10-12", "once вт 15:00–17:00; чт 10:00–12:00 2026-12-01..2026-12-03 n=2"),
    # today is a Monday: a bare «пн» is the next one
    ("пн 10-12 и 14-16", "once пн 10:00–12:00,14:00–16:00 2026-12-07..2026-12-07 n=2"),
    (
        "пн, ср, пт 8:30-9:30 до 18.12",
        "weekly пн,ср,пт 08:30–09:30 2026-11-30..2026-12-18 n=9",
    ),
    (
        "с понедельника по пятницу 9-13 до 4 декабря",
        "weekly пн,вт,ср,чт,пт 09:00–13:00 2026-11-30..2026-12-04 n=5",
    ),
    (
        "каждый будний день 10:00-11:00 до 4 декабря",
        "weekly пн,вт,ср,чт,пт 10:00–11:00 2026-11-30..2026-12-04 n=5",
    ),
    ("по выходным 11-13 в декабре", "weekly сб,вс 11:00–13:00 2026-12-01..2026-12-31 n=8"),
    ("вт 10-12 до 20-го декабря", "weekly вт 10:00–12:00 2026-11-30..2026-12-20 n=3"),
    (
        "по вт и чт с 15 до 17 до нового года",
        "weekly вт,чт 15:00–17:00 2026-11-30..2026-12-31 n=10",
    ),
    (
        "по четвергам 15-17 в следующем месяце",
        "weekly чт 15:00–17:00 2026-12-01..2026-12-31 n=5",
    ),
    (
        "каждую среду 10-12 до конца следующего месяца",
        "weekly ср 10:00–12:00 2026-11-30..2026-12-31 n=5",
    ),
    (
        "с 10:00 до 12:00 по средам до 16 декабря",
        "weekly ср 10:00–12:00 2026-11-30..2026-12-16 n=3",
    ),
    ("по средам 10-12 не позднее 16 декабря", "weekly ср 10:00–12:00 2026-11-30..2026-12-16 n=3"),
    (
        "по вторникам 15-17 и по четвергам 10-12 до 10 декабря",
        "weekly вт 15:00–17:00; чт 10:00–12:00 2026-11-30..2026-12-10 n=4",
    ),
    ("по средам 18:00-24:00 до 9 декабря", "weekly ср 18:00–24:00 2026-11-30..2026-12-09 n=2"),
    (
        "пн.-пт. 9.00-13.00 с 1.12 по 4.12",
        "weekly пн,вт,ср,чт,пт 09:00–13:00 2026-12-01..2026-12-04 n=4",
    ),
    ("ПО ВТОРНИКАМ 15-17", "weekly вт 15:00–17:00 2026-11-30..2027-01-24 n=8"),
    (
        "Консультации по вторникам с 15 до 17 часов",
        "weekly вт 15:00–17:00 2026-11-30..2027-01-24 n=8",
    ),
    ("по средам 10-12 с 9 декабря", "weekly ср 10:00–12:00 2026-12-09..2027-02-02 n=8"),
    ("по пн с 9 до 11", "weekly пн 09:00–11:00 2026-11-30..2027-01-24 n=8"),
    ("каждый вторник и четверг 15-17", "weekly вт,чт 15:00–17:00 2026-11-30..2027-01-24 n=16"),
    ("в выходные 12-14", "weekly сб,вс 12:00–14:00 2026-11-30..2027-01-24 n=16"),
    ("с 10-ти до 12-ти по средам", "weekly ср 10:00–12:00 2026-11-30..2027-01-24 n=8"),
    (
        "Вт. и Чт. с 15.00 до 17.00 до 25.12.2026",
        "weekly вт,чт 15:00–17:00 2026-11-30..2026-12-25 n=8",
    ),
    (
        "вт 15:00-17:00 чт 10:00-12:00 до 20 декабря",
        "weekly вт 15:00–17:00; чт 10:00–12:00 2026-11-30..2026-12-20 n=6",
    ),
    (
        "каждую среду и пятницу с 10 до 12 до 18 декабря",
        "weekly ср,пт 10:00–12:00 2026-11-30..2026-12-18 n=6",
    ),
    ("3-24 декабря по чт 15-17", "weekly чт 15:00–17:00 2026-12-03..2026-12-24 n=4"),
    (
        "по средам 10–12, по пятницам 14–16 до конца года",
        "weekly ср 10:00–12:00; пт 14:00–16:00 2026-11-30..2026-12-31 n=9",
    ),
    (
        "по будням 9-13 до 25 декабря, по субботам 10-12",
        "weekly пн,вт,ср,чт,пт 09:00–13:00; сб 10:00–12:00 2026-11-30..2026-12-25 n=23",
    ),
    ("по вторникам с 15 до 17 до 29.12.26", "weekly вт 15:00–17:00 2026-11-30..2026-12-29 n=5"),
    (
        "с 20 декабря по 10 января по понедельникам 10-12",
        "weekly пн 10:00–12:00 2026-12-20..2027-01-10 n=3",
    ),
    # dates
    ("5 и 12 декабря 14–16", "once сб 14:00–16:00 2026-12-05..2026-12-12 n=2"),
    ("5, 12, 19 декабря с 14:00 до 16:00", "once сб 14:00–16:00 2026-12-05..2026-12-19 n=3"),
    ("5 декабря, 14-16", "once сб 14:00–16:00 2026-12-05..2026-12-05 n=1"),
    ("5 дек 14-16", "once сб 14:00–16:00 2026-12-05..2026-12-05 n=1"),
    ("12.12.2026 10:00-12:00", "once сб 10:00–12:00 2026-12-12..2026-12-12 n=1"),
    ("12 декабря 2026 г. 10:00-12:00", "once сб 10:00–12:00 2026-12-12..2026-12-12 n=1"),
    ("2 января 10-12", "once сб 10:00–12:00 2027-01-02..2027-01-02 n=1"),
    ("сегодня 16:00-18:00", "once пн 16:00–18:00 2026-11-30..2026-11-30 n=1"),
    ("послезавтра с 9:30 до 11:00", "once ср 09:30–11:00 2026-12-02..2026-12-02 n=1"),
    ("сегодня и завтра 10-12", "once пн,вт 10:00–12:00 2026-11-30..2026-12-01 n=2"),
    ("в среду 2 декабря 10-12", "once ср 10:00–12:00 2026-12-02..2026-12-02 n=1"),
    ("чт 24.12 10-12", "once чт 10:00–12:00 2026-12-24..2026-12-24 n=1"),
    (
        "5 декабря 14:00–16:00, 12 декабря 10-12",
        "once сб 14:00–16:00; сб 10:00–12:00 2026-12-05..2026-12-12 n=2",
    ),
    ("на 5 декабря с 10 до 11 ч", "once сб 10:00–11:00 2026-12-05..2026-12-05 n=1"),
    ("1 декабря 10.30-12.00", "once вт 10:30–12:00 2026-12-01..2026-12-01 n=1"),
    ("10.12 10.00-12.00", "once чт 10:00–12:00 2026-12-10..2026-12-10 n=1"),
    ("12:00-14:00 12.12", "once сб 12:00–14:00 2026-12-12..2026-12-12 n=1"),
    ("07.12 пн 10-12", "once пн 10:00–12:00 2026-12-07..2026-12-07 n=1"),
    ("вт/чт 15-17", "once вт,чт 15:00–17:00 2026-12-01..2026-12-03 n=2"),
    ("15-17 вт, чт", "once вт,чт 15:00–17:00 2026-12-01..2026-12-03 n=2"),
    (
        "понедельник 9-10, вторник 10-11, среда 11-12",
        "once пн 09:00–10:00; вт 10:00–11:00; ср 11:00–12:00 2026-12-01..2026-12-07 n=3",
    ),
    (
        "в среду с 15 до 17 и в пятницу с 10 до 12",
        "once ср 15:00–17:00; пт 10:00–12:00 2026-12-02..2026-12-04 n=2",
    ),
    (
        "завтра с 10 до 12 и с 14 до 16",
        "once вт 10:00–12:00,14:00–16:00 2026-12-01..2026-12-01 n=2",
    ),
    # a period with no days of the week: every day of it
    (
        "1–5 декабря 10-12",
        "weekly пн,вт,ср,чт,пт,сб,вс 10:00–12:00 2026-12-01..2026-12-05 n=5",
    ),
    (
        "с 1 по 3 декабря с 10 до 12",
        "weekly пн,вт,ср,чт,пт,сб,вс 10:00–12:00 2026-12-01..2026-12-03 n=3",
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNDERSTOOD, ids=[t for t, _ in UNDERSTOOD])
def test_a_phrase_is_understood(text: str, expected: str) -> None:
    assert summary(read(text)) == expected


def test_there_are_many_understood_phrases() -> None:
    assert len(UNDERSTOOD) >= 45


def test_the_windows_are_the_local_hours_on_each_day() -> None:
    assert local(read("вт, чт 15:00–17:00 до 10 декабря")) == [
        "2026-12-01 15:00–17:00",
        "2026-12-03 15:00–17:00",
        "2026-12-08 15:00–17:00",
        "2026-12-10 15:00–17:00",
    ]
    first = read("5 декабря 14:00–16:00").intervals[0]
    assert first.start == datetime(2026, 12, 5, 11, tzinfo=UTC)  # Moscow is UTC+3
    assert first.end.tzinfo is UTC
    assert local(read("по средам 18:00-24:00 до 2 декабря")) == ["2026-12-02 18:00–00:00"]


def test_overlapping_hours_are_joined() -> None:
    found = read("завтра 10-12 и 11-13")
    assert local(found) == ["2026-12-01 10:00–13:00"]
    assert found.rules[0].times == (TimeRange(600, 720), TimeRange(660, 780))


def test_a_weekly_pattern_without_an_end_says_so_and_uses_the_horizon() -> None:
    found = read("каждую среду с 10 до 12")
    assert found.default_end and found.horizon_weeks == 8
    shorter = read("каждую среду с 10 до 12", horizon_weeks=2)
    assert (shorter.last_day, shorter.windows) == (date(2026, 12, 13), 2)
    assert not read("вт, чт 15:00–17:00 до 20 декабря").default_end
    assert not read("завтра 10-12").default_end


def test_the_description_counts_windows_and_slots() -> None:
    found = read("вт, чт 15:00–17:00 до 20 декабря")
    assert (found.repeat, found.weekdays, found.windows) == (Repeat.WEEKLY, (1, 3), 6)
    assert found.slot_count() == 24
    assert found.slot_count(timedelta(hours=1)) == 12
    assert str(found.rules[0].times[0]) == "15:00–17:00"
    assert found.zone == "Europe/Moscow"


def test_a_bare_weekday_is_the_next_such_day_after_today() -> None:
    wednesday = date(2026, 12, 2)
    assert read("среда 10-12", today=wednesday).first_day == date(2026, 12, 9)
    assert read("сегодня 10-12", today=wednesday).first_day == wednesday
    assert read("четверг 10-12", today=wednesday).first_day == date(2026, 12, 3)


def test_a_date_without_a_year_is_the_next_such_date() -> None:
    late = date(2026, 12, 10)
    assert read("5 декабря 10-12", today=late).first_day == date(2027, 12, 5)
    assert read("10 декабря 10-12", today=late).first_day == late
    assert read("5 января 10-12", today=late).first_day == date(2027, 1, 5)
    spring = date(2027, 3, 10)
    assert read("29 февраля 10-12", today=spring).first_day == date(2028, 2, 29)
    with pytest.raises(AvailabilityError, match="too far"):
        read("29 февраля 10-12", today=late)  # 2028: more than a year ahead


def test_a_range_begun_before_today_starts_today() -> None:
    found = read("пн-пт 9-13 с 1 по 19 декабря", today=date(2026, 12, 10))
    assert (found.first_day, found.last_day) == (date(2026, 12, 10), date(2026, 12, 19))
    assert read("по средам 10-12 с 01.11.2026", today=TODAY).first_day == TODAY


def test_a_range_across_the_new_year() -> None:
    found = read("по средам 10-12 с 20 декабря по 10 января", today=date(2026, 12, 1))
    assert (found.first_day, found.last_day) == (date(2026, 12, 20), date(2027, 1, 10))
    found = read("в январе по средам 10-12", today=date(2026, 12, 1))
    assert (found.first_day, found.last_day) == (date(2027, 1, 1), date(2027, 1, 31))


def test_month_ends_are_the_real_last_days() -> None:
    assert read("по понедельникам 10-12 до конца ноября").last_day == date(2026, 11, 30)
    assert read("по средам 10-12 в феврале").last_day == date(2027, 2, 28)
    leap = read("по средам 10-12 в феврале 2028", today=date(2027, 6, 1))
    assert leap.last_day == date(2028, 2, 29)


def test_with_now_passed_hours_of_today_are_left_out_of_a_weekly_pattern() -> None:
    now = datetime(2026, 11, 30, 13, tzinfo=MOSCOW)
    found = read("по понедельникам 10-12 до 7 декабря", now=now)
    assert local(found) == ["2026-12-07 10:00–12:00"]
    assert read("по понедельникам 10-14 до 7 декабря", now=now).windows == 2  # still going


def test_a_change_of_offset_keeps_the_local_hours() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # summer time ends on 25 October 2026
    found = read_availability(
        "по воскресеньям 10-12 с 18 по 25 октября", today=date(2026, 10, 1), zone=berlin
    )
    starts = [interval.start for interval in found.intervals]
    assert [start.astimezone(berlin).hour for start in starts] == [10, 10]
    assert [start.hour for start in starts] == [8, 9]  # CEST, then CET


# --------------------------------------------------------------------------- refused

REFUSED: list[tuple[str, str]] = [
    ("", "empty"),
    ("   \n ", "empty"),
    ("...", "empty"),
    ("по вторникам 15-17 " * 20, "too_long"),
    ("по вторникам 15-17 утром", "unknown_word"),
    ("каждые две недели по средам 10-12", "unknown_word"),
    ("по средам 10-12 @", "unknown_word"),
    ("mon 10-12", "unknown_word"),
    ("каждую 10-12", "unexpected"),
    ("до конца", "unexpected"),
    ("10-12", "no_day"),
    ("с 10:00 до 12:00", "no_day"),
    ("вт, чт", "no_time"),
    ("до 20 декабря", "no_time"),
    ("вт 10-12, чт", "no_time"),
    ("завтра в 15:00", "incomplete_time"),
    ("завтра 15", "incomplete_time"),
    ("по средам с 10", "incomplete_time"),
    ("по средам до 17:00", "incomplete_time"),
    ("15:00", "incomplete_time"),
    ("завтра 25:00-26:00", "bad_time"),
    ("завтра 10:75-11:00", "bad_time"),
    ("завтра 23-25", "bad_time"),
    ("завтра 22:00-24:30", "bad_time"),
    ("завтра 1000-1200", "bad_time"),
    ("завтра 10-10", "empty_time_range"),
    ("завтра 10:00-10.00", "empty_time_range"),
    ("завтра 12-10", "reversed_time_range"),
    ("завтра 22-2", "reversed_time_range"),
    ("31.11 10-12", "bad_date"),
    ("30 февраля 10-12", "bad_date"),
    ("32 декабря 10-12", "bad_date"),
    ("5.13.2026 10-12", "bad_date"),
    ("05.12.2025 10-12", "past_date"),
    ("по средам 10-12 до 20.11.2026", "past_date"),
    ("с 20 по 10 декабря 10-12", "reversed_dates"),
    ("с 20 января по 10 января пн 10-12", "reversed_dates"),
    ("по средам 10-12 с 10.12.2026 по 01.12.2026", "reversed_dates"),
    ("по средам 10-12 до 20 декабря 2027", "too_far"),
    ("05.12.2028 10-12", "too_far"),
    ("в среду 3 декабря 10-12", "weekday_mismatch"),
    ("с 10 по 12", "ambiguous_numbers"),
    ("по средам 10-12 до 20", "ambiguous_numbers"),
    ("5 декабря 10-12 до 20 декабря", "dates_with_period"),
    ("завтра 10-12 по средам", "dates_with_period"),
    ("по средам 10-12 с 1 декабря с 5 декабря", "two_periods"),
    ("по вторникам 10-12 до 10 декабря до 20 декабря", "two_periods"),
    ("по субботам 10-12 до 1 декабря", "no_windows"),
    ("1, 2–5 декабря 10-12", "unexpected"),
    ("ежедневно кроме выходных 10-12", "unknown_word"),
    ("по средам в 15:00", "incomplete_time"),
    ("1–5 декабря, 10 декабря 10-12", "dates_with_period"),
    ("с 1 по 5 и с 8 по 12 декабря 10-12", "ambiguous_numbers"),
    ("пт-пн 10-12", "reversed_weekdays"),
    ("с пятницы по понедельник 10-12", "reversed_weekdays"),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED, ids=[t[:40] for t, _ in REFUSED])
def test_a_phrase_is_refused_for_its_reason(text: str, reason: str) -> None:
    with pytest.raises(AvailabilityError) as caught:
        read(text)
    assert caught.value.reason == reason
    assert isinstance(caught.value, LocalizedError)
    assert caught.value.msgid == MESSAGES[reason]


def test_a_one_off_time_already_over_is_refused_when_now_is_known() -> None:
    now = datetime(2026, 11, 30, 13, tzinfo=MOSCOW)
    with pytest.raises(AvailabilityError) as caught:
        read("сегодня 10-12", now=now)
    assert caught.value.reason == "past_time"
    assert caught.value.params == {"date": "30.11.2026", "time": "10:00–12:00"}
    assert read("сегодня 12-14", now=now).windows == 1  # still going


def test_every_reason_is_reachable() -> None:
    assert {reason for _, reason in REFUSED} | {"past_time"} == set(MESSAGES)


def test_refusals_carry_the_details_their_message_needs() -> None:
    cases = {
        "по вторникам 15-17 утром": {"word": "утром"},
        "завтра 25:00-26:00": {"time": "25:00"},
        "завтра 12-10": {"start": "12:00", "end": "10:00"},
        "31.11 10-12": {"date": "31.11"},
        "05.12.2025 10-12": {"date": "05.12.2025"},
        "с 20 по 10 декабря 10-12": {"start": "20.12.2026", "end": "10.12.2026"},
        "по средам 10-12 до 20 декабря 2027": {"date": "20.12.2027", "days": MAX_DAYS},
        "с 10 по 12": {"text": "с 10 по 12"},
        "по субботам 10-12 до 1 декабря": {"start": "30.11.2026", "end": "01.12.2026"},
        "по вторникам 15-17 " * 20: {"length": 380, "limit": MAX_TEXT},
    }
    for text, params in cases.items():
        with pytest.raises(AvailabilityError) as caught:
            read(text)
        assert caught.value.params == params, text


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_refusals_render_with_an_example(locale: str) -> None:
    with pytest.raises(AvailabilityError) as caught:
        read("завтра в 15:00")
    text = caught.value.render(locale)
    assert "«15:00»" in text and "«15:00–17:00»" in text
    if locale == "ru":
        assert "Пожалуйста" in text


# --------------------------------------------------------------------------- properties

DAYS_AHEAD = st.integers(0, 364)


@settings(deadline=None, max_examples=150)
@given(
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    first=st.integers(0, 22),
    length=st.integers(1, 6),
    ahead=st.integers(0, 300),
    form=st.sampled_from(["по {plural}", "каждый {abbr}", "{abbr}"]),
    dash=st.sampled_from(["-", "–", "—", " - ", " до "]),
)
def test_a_weekly_pattern_reads_back(
    weekdays: set[int], first: int, length: int, ahead: int, form: str, dash: str
) -> None:
    last = min(first + length, 24)
    end = TODAY + timedelta(days=ahead)
    days = " и ".join(form.format(plural=PLURAL_DATIVE[d], abbr=ABBR[d]) for d in sorted(weekdays))
    text = f"{days} с {first}:00{dash}{last}:00 до {end.day} {GENITIVE[end.month - 1]}"
    if dash.strip() != "до":
        text = f"{days} {first}:00{dash}{last}:00 до {end.day} {GENITIVE[end.month - 1]}"
    expected = [
        TODAY + timedelta(days=k)
        for k in range(ahead + 1)
        if (TODAY + timedelta(days=k)).weekday() in weekdays
    ]
    if not expected:
        with pytest.raises(AvailabilityError, match="no such days"):
            read(text)
        return
    found = read(text)
    assert found.repeat is Repeat.WEEKLY, text
    assert found.windows == len(expected), text
    for interval, day in zip(found.intervals, expected, strict=True):
        start = interval.start.astimezone(MOSCOW)
        assert (start.date(), start.hour) == (day, first)
        assert interval.length == timedelta(hours=last - first)


@settings(deadline=None, max_examples=150)
@given(ahead=DAYS_AHEAD, template=st.sampled_from(["{d} {g}", "{d:02d}.{m:02d}", "{iso}"]))
def test_any_written_date_reads_back(ahead: int, template: str) -> None:
    day = TODAY + timedelta(days=ahead)
    written = template.format(
        d=day.day, g=GENITIVE[day.month - 1], m=day.month, iso=f"{day:%d.%m.%Y}"
    )
    found = read(f"{written} 10:00-11:30")
    assert (found.repeat, found.first_day, found.last_day) == (Repeat.ONCE, day, day)
    assert local(found) == [f"{day} 10:00–11:30"]


VOCABULARY = [
    *ABBR, *PLURAL_DATIVE, *GENITIVE, "по", "с", "до", "в", "и", ",", "-", "–", "каждую",
    "среду", "завтра", "сегодня", "конца", "месяца", "года", "недели", "следующей", "неделе",
    "10", "12", "15:00", "17.00", "5.12", "05.12.2026", "24:00", "25", "0", "31", "2027",
    "будни", "ежедневно", "еженедельно", "часов", "ч", "не", "позднее", "на", "нового", "го",
]  # fmt: skip


@settings(deadline=None, max_examples=400)
@given(words=st.lists(st.sampled_from(VOCABULARY), max_size=12))
def test_known_words_in_any_order_give_a_result_or_a_reason(words: list[str]) -> None:
    text = " ".join(words)
    try:
        found = read(text, now=datetime(2026, 11, 30, 9, tzinfo=MOSCOW))
    except AvailabilityError as error:
        assert error.reason in MESSAGES
        error.render("ru")
        return
    check_intervals(found)


FRAGMENTS = [
    "вт, чт", "по средам", "каждый понедельник", "пн-пт", "будни", "завтра", "5 декабря",
    "5.12", "сегодня", "во вторник", "15:00–17:00", "с 10 до 12", "10-12", "9.00-13.00",
    "с 10:30 до 12 ч", "до 20 декабря", "с 1 по 19 декабря", "до конца месяца", "в декабре",
    "на следующей неделе", "с 3 декабря", "по 20.12", "и", ",", "до", "с", "по", "12",
    "декабря", "еженедельно", "до 18 декабря", "с 10 до 12 до 18 декабря", "1–5 декабря",
]  # fmt: skip


@settings(deadline=None, max_examples=400)
@given(fragments=st.lists(st.sampled_from(FRAGMENTS), max_size=7))
def test_fragments_in_any_order_give_a_result_or_a_reason(fragments: list[str]) -> None:
    try:
        found = read(" ".join(fragments))
    except AvailabilityError as error:
        assert error.reason in MESSAGES
        return
    check_intervals(found)


@settings(deadline=None, max_examples=200)
@given(text=st.text(max_size=120))
def test_any_text_gives_a_result_or_a_reason(text: str) -> None:
    try:
        found = read(text)
    except AvailabilityError as error:
        assert error.reason in MESSAGES
        return
    check_intervals(found)


def check_intervals(found: Availability) -> None:
    """Sorted, disjoint, aware UTC, inside the days described, not past the reach."""
    assert found.intervals
    for interval in found.intervals:
        assert interval.start.tzinfo is UTC and interval.start < interval.end
        assert found.first_day <= interval.start.astimezone(MOSCOW).date() <= found.last_day
    for before, after in zip(found.intervals, found.intervals[1:], strict=False):
        assert before.end < after.start
    assert found.first_day >= TODAY
    assert found.last_day <= TODAY + timedelta(days=MAX_DAYS)
