"""The consultation jobs of the scheduler's plan, as plain data.

* ``consult:42.1:24h`` — 24 hours before consultation 42 (moved once: ``.1``) starts, a
  reminder to the curator and the school; ``consult:42.1:1h`` an hour before
  (:func:`bot.consultations.reminders.reminder_plan`: a consultation booked inside a
  reminder's window does not get that reminder). The number of moves is part of the id:
  a moved consultation's reminders are new jobs, so a reminder sent for the old time
  does not stand for the new one, and the old time's jobs leave the plan. A reminder
  missed during downtime is still sent while it makes sense: until the next reminder of
  the same consultation is due, and never after the start (``expires_at``).
* ``consult-mark:2026-12-08@10`` — the morning after the consultations of 7 December, at
  the program's reminder hour: each curator whose consultations of that day are not
  marked held or missed is asked to mark them.

Only upcoming consultations (booked, or proposed and not yet answered) have jobs;
cancelled and declined ones drop out of the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.consultations.reminders import reminder_plan
from bot.settings import Settings
from scheduler.jobs import JobSpec, local_moment

CONSULT, CONSULT_MARK = "consult", "consult-mark"
KINDS = frozenset({CONSULT, CONSULT_MARK})


@dataclass(frozen=True, slots=True)
class Upcoming:
    """What the planner needs of an upcoming consultation."""

    id: int
    sequence: int
    starts_at: datetime
    scheduled_at: datetime  # when it got this time


def plan_consultation_jobs(
    consultations: Iterable[Upcoming],
    settings: Settings,
    since: datetime,
    until: datetime,
) -> list[JobSpec]:
    """The reminders and the next-morning marking jobs due in ``[since, until]`` (a
    reminder due before ``since`` stays in the plan while it still makes sense)."""
    zone = settings.zone
    jobs: list[JobSpec] = []
    days: set[date] = set()
    for consultation in consultations:
        days.add(consultation.starts_at.astimezone(zone).date())
        plan = reminder_plan(
            f"{consultation.id}.{consultation.sequence}",
            consultation.starts_at,
            consultation.scheduled_at,
        )
        for index, reminder in enumerate(plan):
            following = plan[index + 1].at if index + 1 < len(plan) else consultation.starts_at
            expires = min(following, consultation.starts_at)
            if reminder.at > until or expires <= since:
                continue
            jobs.append(
                JobSpec(
                    id=reminder.job_id,
                    run_at=reminder.at,
                    kind=CONSULT,
                    consultation_id=consultation.id,
                    sequence=consultation.sequence,
                    before=reminder.offset,
                    expires_at=expires,
                )
            )
    hour = settings.reminder_hour
    for day in sorted(days):
        morning = day + timedelta(days=1)
        run_at = local_moment(morning, time(hour), zone)
        if since <= run_at <= until:
            jobs.append(
                JobSpec(
                    id=f"{CONSULT_MARK}:{morning.isoformat()}@{hour}",
                    run_at=run_at,
                    kind=CONSULT_MARK,
                    hour=hour,
                    day=day,
                )
            )
    return jobs
