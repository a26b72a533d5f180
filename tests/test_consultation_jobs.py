"""The consultation jobs of the scheduler's plan: 24 h and 1 h before (none inside the
window the booking was made in), new ids after a move, when a missed one stops making
sense, and the next morning's request to mark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler.consultation_jobs import CONSULT, CONSULT_MARK, Upcoming, plan_consultation_jobs
from tests.harness import make_settings

START = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # Thursday 15:00 in Moscow
WEEK_BEFORE = START - timedelta(days=7)


def plan(tmp_path: Path, *consultations: Upcoming, since: datetime = WEEK_BEFORE) -> dict:
    settings = make_settings(tmp_path, "http://127.0.0.1:1")
    jobs = plan_consultation_jobs(consultations, settings, since, since + timedelta(days=45))
    return {job.id: job for job in jobs}


def test_a_booking_made_days_ahead_gets_both_reminders_and_a_mark_request(
    tmp_path: Path,
) -> None:
    jobs = plan(tmp_path, Upcoming(42, 0, START, WEEK_BEFORE))
    assert sorted(jobs) == ["consult-mark:2026-12-04@10", "consult:42.0:1h", "consult:42.0:24h"]
    day_before, hour_before = jobs["consult:42.0:24h"], jobs["consult:42.0:1h"]
    assert day_before.kind == hour_before.kind == CONSULT
    assert day_before.run_at == START - timedelta(hours=24)
    # a day-before reminder missed in downtime is worth sending until the hour-before one
    assert day_before.expires_at == hour_before.run_at
    assert hour_before.expires_at == START
    mark = jobs["consult-mark:2026-12-04@10"]
    assert mark.kind == CONSULT_MARK and mark.run_at == datetime(2026, 12, 4, 7, tzinfo=UTC)


def test_a_booking_inside_the_window_skips_that_reminder(tmp_path: Path) -> None:
    three_hours_ahead = START - timedelta(hours=3)
    jobs = plan(tmp_path, Upcoming(7, 0, START, three_hours_ahead), since=three_hours_ahead)
    assert [job for job in jobs if job.startswith("consult:")] == ["consult:7.0:1h"]
    half_an_hour = START - timedelta(minutes=30)
    jobs = plan(tmp_path, Upcoming(7, 0, START, half_an_hour), since=half_an_hour)
    assert [job for job in jobs if job.startswith("consult:")] == []


def test_a_moved_consultation_has_new_jobs_for_its_new_time(tmp_path: Path) -> None:
    moved_on = WEEK_BEFORE + timedelta(days=1)
    later = START + timedelta(days=1)
    jobs = plan(tmp_path, Upcoming(42, 1, later, moved_on))
    assert "consult:42.1:24h" in jobs and "consult:42.0:24h" not in jobs
    assert jobs["consult:42.1:1h"].run_at == later - timedelta(hours=1)
    assert jobs["consult:42.1:1h"].sequence == 1


def test_one_mark_request_per_day_whatever_the_number_of_consultations(tmp_path: Path) -> None:
    jobs = plan(
        tmp_path,
        Upcoming(1, 0, START, WEEK_BEFORE),
        Upcoming(2, 0, START + timedelta(hours=1), WEEK_BEFORE),
    )
    assert [job for job in jobs if job.startswith(CONSULT_MARK)] == ["consult-mark:2026-12-04@10"]
