"""The reminder planner (scheduler/jobs.py) and quiet hours (scheduler/quiet.py): plain
functions of their inputs, so every time is checked exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.calendar.workdays import is_working_day
from bot.settings import Settings
from scheduler.jobs import (
    CampaignDue,
    JobSpec,
    OccurrenceDates,
    digest_day,
    hours_in_use,
    plan_jobs,
)
from scheduler.quiet import quiet_until
from scheduler.reminders import allowed_hours

OCTOBER = CampaignDue(7, 2026, "10-01", date(2026, 10, 1))
HOURS = {"deadline": [10], "overdue": [10], "event": [10]}


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def by_id(jobs: list[JobSpec]) -> dict[str, JobSpec]:
    return {job.id: job for job in jobs}


def deadline_times(zone: str, now: datetime) -> dict[str, datetime]:
    jobs = plan_jobs([OCTOBER], [], HOURS, settings(timezone=zone), now)
    return {job.id: job.run_at for job in jobs if job.kind == "deadline"}


def test_deadline_reminders_at_ten_local_in_moscow_and_yakutsk() -> None:
    now = utc(2026, 9, 1)
    assert deadline_times("Europe/Moscow", now) == {
        "deadline:2026:10-01:d14@10": utc(2026, 9, 17, 7),
        "deadline:2026:10-01:d7@10": utc(2026, 9, 24, 7),
        "deadline:2026:10-01:d3@10": utc(2026, 9, 28, 7),
        "deadline:2026:10-01:d1@10": utc(2026, 9, 30, 7),
        "deadline:2026:10-01:d0@10": utc(2026, 10, 1, 7),
    }
    yakutsk = deadline_times("Asia/Yakutsk", now)
    assert yakutsk["deadline:2026:10-01:d14@10"] == utc(2026, 9, 17, 1)
    assert yakutsk["deadline:2026:10-01:d0@10"] == utc(2026, 10, 1, 1)


def test_a_time_zone_change_moves_every_job_and_keeps_the_ids() -> None:
    now = utc(2026, 9, 1)
    occurrence = OccurrenceDates(1, date(2026, 9, 20), date(2026, 9, 30))
    moscow = by_id(plan_jobs([OCTOBER], [occurrence], HOURS, settings(), now))
    yakutsk = by_id(
        plan_jobs([OCTOBER], [occurrence], HOURS, settings(timezone="Asia/Yakutsk"), now)
    )
    assert moscow.keys() == yakutsk.keys()
    # 27 September (three days before the end) is a Sunday: the Friday before
    assert {"event:2026-09-17@10", "event:2026-09-25@10", "rebuild"} <= moscow.keys()
    for job_id, job in moscow.items():
        assert job.run_at - yakutsk[job_id].run_at == timedelta(hours=6), job_id


def test_local_times_follow_the_offset_of_their_own_date() -> None:
    """Berlin leaves summer time on 25 October 2026: 10:00 is 08:00 UTC before, 09:00 after."""
    campaign = CampaignDue(1, 2026, "11-02", date(2026, 11, 2))
    jobs = plan_jobs([campaign], [], HOURS, settings(timezone="Europe/Berlin"), utc(2026, 10, 1))
    times = by_id(jobs)
    assert times["deadline:2026:11-02:d7@10"].run_at == utc(2026, 10, 26, 9)
    assert times["deadline:2026:11-02:d14@10"].run_at == utc(2026, 10, 19, 8)


def test_offsets_and_the_hour_are_configurable() -> None:
    jobs = plan_jobs(
        [OCTOBER],
        [],
        {"deadline": [8, 15], "overdue": [], "event": []},
        settings(reminder_days="5, 2"),
        utc(2026, 9, 1),
    )
    assert [(job.id, job.run_at) for job in jobs if job.kind != "rebuild"] == [
        # 5 days before is Saturday 26 September: the Friday before
        ("deadline:2026:10-01:d5@8", utc(2026, 9, 25, 5)),
        ("deadline:2026:10-01:d5@15", utc(2026, 9, 25, 12)),
        ("deadline:2026:10-01:d2@8", utc(2026, 9, 29, 5)),
        ("deadline:2026:10-01:d2@15", utc(2026, 9, 29, 12)),
    ]


def test_the_hours_in_use_skip_people_who_muted_a_kind() -> None:
    chosen = [(None, frozenset()), (8, frozenset({"event"})), (14, frozenset()), (8, frozenset())]
    assert hours_in_use(10, chosen) == {
        "deadline": [8, 10, 14],
        "overdue": [8, 10, 14],
        "event": [8, 10, 14],
    }
    assert hours_in_use(10, [(8, frozenset({"event"}))])["event"] == [10]


def test_after_the_deadline_an_overdue_notice_then_a_daily_digest_then_mondays() -> None:
    now = utc(2026, 9, 30, 12)
    jobs = plan_jobs([OCTOBER], [], HOURS, settings(), now)
    overdue = [job for job in jobs if job.kind == "overdue"]
    digests = [job for job in jobs if job.kind == "digest"]
    assert [(job.id, job.run_at) for job in overdue] == [
        ("overdue:2026:10-01@10", utc(2026, 10, 2, 7))
    ]
    assert digests[0].id == "digest:2026:10-01:2026-10-02@10"
    assert digests[0].run_at == utc(2026, 10, 2, 7) and digests[0].day == date(2026, 10, 2)
    days = [job.day for job in digests]
    # every working day for two weeks (weekends have none), then weekly up to the horizon
    two_weeks = [date(2026, 10, 2) + timedelta(days=n) for n in range(14)]
    assert days[:10] == [day for day in two_weeks if is_working_day(day)]
    assert date(2026, 10, 5) in days and date(2026, 10, 3) not in days
    assert days[10:] == [
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
    ]
    assert all(day.weekday() == 0 for day in days[10:])
    # a Monday off: that week's digest on the Tuesday (11 May 2026 is a holiday)
    assert not digest_day(date(2026, 5, 11), date(2026, 4, 1))
    assert digest_day(date(2026, 5, 12), date(2026, 4, 1))
    assert not digest_day(date(2026, 5, 19), date(2026, 4, 1))
    assert all(job.campaign_id == 7 for job in overdue + digests)


def test_closed_campaigns_and_campaigns_without_a_date_plan_nothing() -> None:
    closed = CampaignDue(7, 2026, "10-01", date(2026, 10, 1), closed=True)
    on_schedule = CampaignDue(8, 2026, "on_schedule", None)
    jobs = plan_jobs([closed, on_schedule], [], HOURS, settings(), utc(2026, 9, 20))
    assert [job.id for job in jobs] == ["rebuild"]


def test_only_jobs_between_the_grace_period_and_the_horizon_are_planned() -> None:
    may = CampaignDue(3, 2026, "05-01", date(2026, 5, 1))
    early = plan_jobs([OCTOBER], [], HOURS, settings(), utc(2026, 8, 1))
    assert [job.id for job in early] == ["rebuild"]  # 17 September is beyond 45 days
    # 30 September 10:00 MSK passed 11 hours ago: within the 12-hour grace period
    now = utc(2026, 9, 30, 18)
    ids = [job.id for job in plan_jobs([OCTOBER], [], HOURS, settings(), now)]
    assert ids[:3] == ["deadline:2026:10-01:d1@10", "rebuild", "deadline:2026:10-01:d0@10"]
    later = plan_jobs([OCTOBER], [], HOURS, settings(reminder_grace_hours=2), now)
    assert [job.id for job in later][:2] == ["rebuild", "deadline:2026:10-01:d0@10"]
    for job in plan_jobs([OCTOBER, may], [], HOURS, settings(), now):
        assert now - timedelta(hours=12) <= job.run_at <= now + timedelta(days=45)


def test_ids_are_stable_from_one_plan_to_the_next() -> None:
    inputs: tuple[Any, ...] = (
        [OCTOBER],
        [OccurrenceDates(4, date(2026, 10, 20), date(2026, 10, 20))],
    )
    first = by_id(plan_jobs(*inputs, HOURS, settings(), utc(2026, 9, 20, 3)))
    again = by_id(plan_jobs(*inputs, HOURS, settings(), utc(2026, 9, 20, 3)))
    assert first == again
    tomorrow = by_id(plan_jobs(*inputs, HOURS, settings(), utc(2026, 9, 21, 3)))
    shared = first.keys() & tomorrow.keys()
    assert len(shared) > 10
    assert all(first[job_id] == tomorrow[job_id] for job_id in shared if job_id != "rebuild")
    assert first["rebuild"].run_at == utc(2026, 9, 20, 21, 5)  # 00:05 on 21 September MSK
    assert tomorrow["rebuild"].run_at == utc(2026, 9, 21, 21, 5)


def test_roadmap_actions_before_they_start_and_before_they_end() -> None:
    occurrences = [
        OccurrenceDates(1, date(2026, 10, 10), date(2026, 10, 20)),
        OccurrenceDates(2, date(2026, 10, 13), date(2026, 10, 13)),  # one day: one reminder
        OccurrenceDates(3, date(2026, 10, 20), date(2026, 11, 10)),
    ]
    jobs = plan_jobs([], occurrences, HOURS, settings(), utc(2026, 10, 1))
    events = {
        job.id: (job.run_at, job.occurrence_ids, job.targets) for job in jobs if job.kind == "event"
    }
    # three days before, or the working day before that when it is a day off (a Saturday)
    assert events == {
        "event:2026-10-07@10": (utc(2026, 10, 7, 7), (1,), (date(2026, 10, 10),)),
        "event:2026-10-09@10": (utc(2026, 10, 9, 7), (2,), (date(2026, 10, 13),)),
        "event:2026-10-16@10": (utc(2026, 10, 16, 7), (1, 3), (date(2026, 10, 20),)),
        "event:2026-11-06@10": (utc(2026, 11, 6, 7), (3,), (date(2026, 11, 10),)),
    }
    five = plan_jobs([], occurrences[1:2], HOURS, settings(event_reminder_days=5), utc(2026, 10, 1))
    assert [job.id for job in five if job.kind == "event"] == ["event:2026-10-08@10"]


def test_quiet_hours_end_at_nine_local_the_next_morning() -> None:
    moscow = settings().zone
    window = settings().quiet
    assert window == (time(21), time(9))
    assert quiet_until(utc(2026, 9, 24, 19), window, moscow) == utc(2026, 9, 25, 6)  # 22:00
    assert quiet_until(utc(2026, 9, 24, 2), window, moscow) == utc(2026, 9, 24, 6)  # 05:00
    assert quiet_until(utc(2026, 9, 24, 6), window, moscow) is None  # 09:00 exactly
    assert quiet_until(utc(2026, 9, 24, 17, 59), window, moscow) is None  # 20:59
    assert quiet_until(utc(2026, 9, 24, 18), window, moscow) == utc(2026, 9, 25, 6)
    assert quiet_until(utc(2026, 9, 24, 18), None, moscow) is None
    daytime = (time(13), time(15))
    assert quiet_until(utc(2026, 9, 24, 10, 30), daytime, moscow) == utc(2026, 9, 24, 12)


def test_people_may_choose_hours_outside_the_quiet_hours() -> None:
    assert allowed_hours(settings()) == list(range(9, 21))
    assert allowed_hours(settings(quiet_hours="")) == list(range(24))
    # 22:00 is before 22:30: still allowed
    assert allowed_hours(settings(quiet_hours="22:30-06:00")) == list(range(6, 23))
