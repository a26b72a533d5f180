"""The reminders of one booked consultation: which ones, when, and which are due now.

A consultation gets a reminder ``offset`` before its start (24 h and 1 h by default)
unless it was booked inside that window: booked 3 hours ahead, it gets the 1-hour
reminder only; booked 30 minutes ahead, none. Job ids are stable and name the booking
and the offset (``consult:42:24h``), so the scheduler can rebuild its jobs at any time
and know by the id whether one has run; a moved consultation keeps its booking id,
so its jobs are replaced, not added.

After downtime, :func:`due_reminders` sends only what still makes sense: a reminder
whose time has come, not yet sent, for a consultation that has not started, and not
overtaken by a later (closer) reminder that is due too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.consultations.intervals import utc

DEFAULT_OFFSETS = (timedelta(hours=24), timedelta(hours=1))
JOB_PREFIX = "consult"


def offset_label(offset: timedelta) -> str:
    """«24h», «1h», «90m», «30s»: the offset in the largest whole unit."""
    seconds = int(offset.total_seconds())
    if seconds <= 0 or offset != timedelta(seconds=seconds):
        raise ValueError(f"a reminder offset must be a positive whole number of seconds: {offset}")
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"


def job_id(booking_id: int | str, offset: timedelta) -> str:
    return f"{JOB_PREFIX}:{booking_id}:{offset_label(offset)}"


@dataclass(frozen=True, slots=True, order=True)
class Reminder:
    """One reminder: sent at ``at`` (UTC), ``offset`` before the consultation starts."""

    at: datetime
    offset: timedelta
    job_id: str
    starts: datetime

    @property
    def label(self) -> str:
        return offset_label(self.offset)


def reminder_plan(
    booking_id: int | str,
    start: datetime,
    created_at: datetime,
    offsets: Iterable[timedelta] = DEFAULT_OFFSETS,
) -> tuple[Reminder, ...]:
    """The reminders a booking gets, in time order. An offset whose moment is not after
    ``created_at`` is left out: the person booked knowing the time was that close."""
    start, created_at = utc(start), utc(created_at)
    plan: dict[timedelta, Reminder] = {}
    for offset in offsets:
        at = start - offset
        if at > created_at:
            plan[offset] = Reminder(at, offset, job_id(booking_id, offset), start)
    return tuple(sorted(plan.values()))


def due_reminders(
    plan: Iterable[Reminder], now: datetime, sent: Collection[str] = ()
) -> tuple[Reminder, ...]:
    """What to send now: at most one reminder, the latest one due and not sent, and none
    once the consultation has started. (A 24-hour reminder missed during downtime is
    dropped when the 1-hour one is due too.)"""
    now = utc(now)
    due = [r for r in plan if r.at <= now < r.starts]
    if not due:
        return ()
    latest = max(due)
    return () if latest.job_id in sent else (latest,)
