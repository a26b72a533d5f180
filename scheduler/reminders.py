"""Reminders: the scheduler's job list, derived from the database, and the jobs that
put reminders into the outbox. (Skeleton: filled in by the reminders work.)"""

from __future__ import annotations

from bot.catalog import Catalog
from bot.clock import Clock, system_clock
from bot.settings import Settings
from storage.repo import Repo


def allowed_hours(settings: Settings) -> list[int]:
    """The local hours a person may choose for their reminders (outside quiet hours)."""
    quiet = settings.quiet
    if quiet is None:
        return list(range(24))
    start, end = quiet
    hours = []
    for hour in range(24):
        minute = hour * 60
        begin, finish = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        inside = begin <= minute < finish if begin < finish else minute >= begin or minute < finish
        if not inside:
            hours.append(hour)
    return hours


class ReminderScheduler:
    """Holds the APScheduler job list that mirrors the calendar and the campaigns."""

    def __init__(
        self, repo: Repo, catalog: Catalog, settings: Settings, clock: Clock = system_clock
    ) -> None:
        self.repo = repo
        self.catalog = catalog
        self.settings = settings
        self.clock = clock

    async def start(self) -> None:
        await self.rebuild()

    async def rebuild(self) -> int:
        """Derive the job list from the database again; return the number of jobs."""
        return 0

    async def shutdown(self) -> None:
        return None
