"""The reminders of a booked consultation (bot/consultations/reminders.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.consultations.reminders import (
    DEFAULT_OFFSETS,
    due_reminders,
    job_id,
    offset_label,
    reminder_plan,
)

START = datetime(2026, 12, 5, 11, tzinfo=UTC)
HOUR = timedelta(hours=1)


def planned(created_at: datetime) -> list[tuple[str, datetime]]:
    return [(r.job_id, r.at) for r in reminder_plan(42, START, created_at)]


def test_a_consultation_booked_days_ahead_gets_both_reminders() -> None:
    assert planned(START - timedelta(days=5)) == [
        ("consult:42:24h", START - 24 * HOUR),
        ("consult:42:1h", START - HOUR),
    ]


def test_a_consultation_booked_inside_a_window_skips_that_reminder() -> None:
    assert planned(START - 3 * HOUR) == [("consult:42:1h", START - HOUR)]
    assert planned(START - 30 * timedelta(minutes=1)) == []
    assert planned(START - 24 * HOUR) == [("consult:42:1h", START - HOUR)]  # booked right then


def test_job_ids_are_stable_and_name_the_offset() -> None:
    assert job_id(7, timedelta(hours=24)) == "consult:7:24h"
    assert job_id("7", timedelta(minutes=90)) == "consult:7:90m"
    assert offset_label(timedelta(days=2)) == "48h"
    assert offset_label(timedelta(seconds=45)) == "45s"
    first = reminder_plan(7, START, START - 48 * HOUR)
    again = reminder_plan(7, START, START - 30 * HOUR)
    assert [r.job_id for r in first] == [r.job_id for r in again]
    assert first[0].label == "24h" and first[0].starts == START
    with pytest.raises(ValueError):
        offset_label(timedelta(0))
    with pytest.raises(ValueError):
        offset_label(timedelta(milliseconds=1500))


def test_custom_offsets_and_duplicates() -> None:
    plan = reminder_plan(1, START, START - 10 * HOUR, offsets=[2 * HOUR, 2 * HOUR, 15 * HOUR])
    assert [r.label for r in plan] == ["2h"]


def test_due_reminders_send_only_the_latest_after_downtime() -> None:
    plan = reminder_plan(42, START, START - timedelta(days=5))
    assert due_reminders(plan, START - 30 * HOUR) == ()
    (day_before,) = due_reminders(plan, START - 20 * HOUR)
    assert day_before.label == "24h"
    assert due_reminders(plan, START - 20 * HOUR, sent={"consult:42:24h"}) == ()
    (hour_before,) = due_reminders(plan, START - timedelta(minutes=30))  # the 24h one missed
    assert hour_before.label == "1h"
    assert due_reminders(plan, START - timedelta(minutes=30), sent={"consult:42:1h"}) == ()
    assert due_reminders(plan, START) == ()  # started: too late for any


@settings(deadline=None, max_examples=200)
@given(
    booked_ahead=st.integers(0, 10 * 24 * 60),
    offsets=st.lists(st.integers(1, 72 * 60), max_size=4),
)
def test_a_plan_never_reminds_before_the_booking_or_after_the_start(
    booked_ahead: int, offsets: list[int]
) -> None:
    created = START - timedelta(minutes=booked_ahead)
    deltas = [timedelta(minutes=m) for m in offsets] if offsets else list(DEFAULT_OFFSETS)
    plan = reminder_plan(9, START, created, deltas)
    assert list(plan) == sorted(plan)
    assert len({r.job_id for r in plan}) == len(plan)
    for reminder in plan:
        assert created < reminder.at < START
    assert {r.offset for r in plan} == {d for d in deltas if START - d > created}
