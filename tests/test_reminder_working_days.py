"""No reminder, notice or digest on a day off (Russia's calendar, transferred days
included): reminders move to the working day before, the notice that a deadline passed to
the working day after, a day off has no digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.calendar.workdays import is_working_day
from bot.settings import Settings
from scheduler.jobs import (
    CampaignDue,
    JobSpec,
    OccurrenceDates,
    deadline_reminder_days,
    overdue_notice_day,
    plan_jobs,
)
from scheduler.reminder_texts import deadline_text

HOURS = {"deadline": [10], "overdue": [10], "event": [10]}
# the catalog's deadlines in 2026: «до 1 мая», «до 2 мая», «до 1 октября»
MAY_1 = CampaignDue(1, 2026, "05-01", date(2026, 5, 1))
MAY_2 = CampaignDue(2, 2026, "05-02", date(2026, 5, 2))
OCTOBER = CampaignDue(3, 2026, "10-01", date(2026, 10, 1))


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def local_day(job: JobSpec) -> date:
    return job.run_at.astimezone(settings().zone).date()


def every_job_of_2026(**values: Any) -> list[JobSpec]:
    """The jobs of the year, planned as the bot plans them (45 days ahead), weekly."""
    occurrences = [
        OccurrenceDates(1, date(2026, 5, 4), date(2026, 5, 12)),  # «май»: around the holidays
        OccurrenceDates(2, date(2026, 11, 7), date(2026, 11, 7)),
        OccurrenceDates(3, date(2026, 6, 15), date(2026, 6, 15)),
        OccurrenceDates(4, date(2026, 1, 12), date(2026, 3, 9)),
    ]
    found: dict[str, JobSpec] = {}
    day = datetime(2025, 12, 1, tzinfo=UTC)
    while day.year < 2027:
        for job in plan_jobs([MAY_1, MAY_2, OCTOBER], occurrences, HOURS, settings(**values), day):
            found[job.id] = job
        day += timedelta(days=7)
    return [job for job in found.values() if job.kind != "rebuild"]


def test_nothing_is_sent_on_a_day_off_in_2026() -> None:
    jobs = every_job_of_2026()
    days = {local_day(job) for job in jobs}
    assert {job.kind for job in jobs} == {"deadline", "overdue", "digest", "event"}
    assert all(is_working_day(day) for day in days), sorted(
        d for d in days if not is_working_day(d)
    )
    for holiday in (1, 2, 9, 10, 11):  # 1 May, Saturday 2 May, 9 May and the Monday off
        assert date(2026, 5, holiday) not in days
    assert date(2026, 11, 4) not in days and date(2026, 1, 5) not in days
    # the same with reminders every day before the deadline
    daily = every_job_of_2026(reminder_days="14,13,12,11,10,9,8,7,6,5,4,3,2,1,0")
    assert all(is_working_day(local_day(job)) for job in daily)


def test_the_may_deadlines_of_2026() -> None:
    """1 May is a holiday (Friday), 2 May a Saturday: both last days are days off."""
    assert deadline_reminder_days(date(2026, 5, 2), (14, 7, 3, 1, 0)) == {
        0: date(2026, 4, 30),  # Thursday, the last working day; d1 (1 May) meets it there
        3: date(2026, 4, 29),
        7: date(2026, 4, 24),  # Saturday 25 April → Friday
        14: date(2026, 4, 17),  # Saturday 18 April → Friday
    }
    assert deadline_reminder_days(date(2026, 5, 1), (14, 7, 3, 1, 0)) == {
        0: date(2026, 4, 30),
        3: date(2026, 4, 28),
        7: date(2026, 4, 24),
        14: date(2026, 4, 17),
    }
    # the notice that the deadline passed: the first working day after it, never before
    assert overdue_notice_day(date(2026, 5, 2)) == date(2026, 5, 4)
    assert overdue_notice_day(date(2026, 5, 1)) == date(2026, 5, 4)
    assert overdue_notice_day(date(2026, 5, 8)) == date(2026, 5, 12)  # 9–11 May off


def test_a_reminder_on_a_day_off_comes_the_working_day_before() -> None:
    jobs = plan_jobs([MAY_2], [], HOURS, settings(), datetime(2026, 4, 10, tzinfo=UTC))
    planned = {job.id: local_day(job) for job in jobs if job.kind == "deadline"}
    assert planned == {
        "deadline:2026:05-02:d14@10": date(2026, 4, 17),
        "deadline:2026:05-02:d7@10": date(2026, 4, 24),
        "deadline:2026:05-02:d3@10": date(2026, 4, 29),
        "deadline:2026:05-02:d0@10": date(2026, 4, 30),
    }
    overdue = [job for job in jobs if job.kind == "overdue"]
    assert [local_day(job) for job in overdue] == [date(2026, 5, 4)]
    digests = [local_day(job) for job in jobs if job.kind == "digest"]
    assert digests[:6] == [
        date(2026, 5, 4),
        date(2026, 5, 5),
        date(2026, 5, 6),
        date(2026, 5, 7),
        date(2026, 5, 8),
        date(2026, 5, 12),  # 9, 10 and 11 May are days off
    ]


def test_a_transferred_working_day_counts_as_working() -> None:
    """Saturday 1 November 2025 was a working day (the 2025 decree)."""
    saturday = date(2025, 11, 1)
    assert is_working_day(saturday)
    assert deadline_reminder_days(saturday, (0, 1)) == {0: saturday, 1: date(2025, 10, 31)}
    campaign = CampaignDue(5, 2025, "11-01", saturday)
    jobs = plan_jobs([campaign], [], HOURS, settings(), datetime(2025, 10, 25, tzinfo=UTC))
    d0 = next(job for job in jobs if job.id == "deadline:2025:11-01:d0@10")
    assert local_day(d0) == saturday
    # and a deadline on the day before the holiday of 4 November: the notice on the 5th
    assert overdue_notice_day(date(2025, 11, 3)) == date(2025, 11, 5)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ru", "Последний день срока (суббота, 2 мая) — нерабочий"),
        ("en", "The last day (Saturday, 2 May) is a day off"),
    ],
)
def test_the_reminder_on_the_last_working_day_says_why(locale: str, expected: str) -> None:
    text = deadline_text(locale, "T", date(2026, 5, 2), date(2026, 4, 30))
    assert expected in text
    assert "2" in text.split("\n")[0]  # two days left, by the calendar
    # a reminder a week before, or before a deadline on a working day, says nothing of it
    assert "\n" not in deadline_text(locale, "T", date(2026, 5, 2), date(2026, 4, 24))
    assert "\n" not in deadline_text(locale, "T", date(2026, 10, 1), date(2026, 9, 30))
