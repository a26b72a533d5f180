"""Announcements in time: the job list derived from the table (a scheduled announcement's
sending, the reminders before each event to those coming), the start of a sending, and the
progress of every delivery.

The jobs have stable ids — ``announce:send:5``, ``announce:rsvp:5:24`` — and live in an
APScheduler of their own (the reminder scheduler rebuilds its list from its own plan and
would drop them). Nothing lives only there: :meth:`AnnouncementScheduler.rebuild` derives
the list from the announcements again after every change, and at start-up it catches up —
a scheduled sending whose time has passed starts at once (unless the event has begun), a
reminder is sent if the event has not started, a sending cut short by a restart is queued
again (nothing new: the keys) and its progress message followed again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.announcements.progress import Progress, progress_text
from bot.clock import Clock
from bot.i18n import translate
from bot.settings import Settings
from scheduler.announcement_delivery import AnnouncementSender
from scheduler.announcement_progress import Follow, ProgressWatcher
from storage.announcements import Announcement, Status, batch_name
from storage.repo import Repo

log = logging.getLogger(__name__)

SEND, RSVP = "send", "rsvp"
EARLY_TOLERANCE = timedelta(minutes=1)  # see scheduler.reminders: an injected clock


@dataclass(frozen=True, slots=True)
class AnnouncementJob:
    id: str
    run_at: datetime  # UTC
    announcement_id: int
    kind: str  # send | rsvp
    hours: int = 0  # rsvp: hours before the event


def plan(
    announcements: Iterable[Announcement], reminder_hours: Iterable[int], now: datetime
) -> list[AnnouncementJob]:
    """The jobs of these announcements: a scheduled one's sending; for one sent (or going)
    whose event is still to come, a reminder ``hours`` before it — unless the announcement
    itself went out after that moment."""
    jobs = []
    hours_list = sorted(set(reminder_hours), reverse=True)
    for announcement in announcements:
        if announcement.status is Status.SCHEDULED and announcement.send_at is not None:
            jobs.append(
                AnnouncementJob(
                    f"announce:send:{announcement.id}", announcement.send_at, announcement.id, SEND
                )
            )
        starts = announcement.starts_at
        if not announcement.status.out or starts is None or starts <= now:
            continue
        for hours in hours_list:
            run_at = starts - timedelta(hours=hours)
            if announcement.started_at is not None and run_at < announcement.started_at:
                continue
            jobs.append(
                AnnouncementJob(
                    f"announce:rsvp:{announcement.id}:{hours}",
                    run_at,
                    announcement.id,
                    RSVP,
                    hours,
                )
            )
    jobs.sort(key=lambda job: (job.run_at, job.id))
    return jobs


class AnnouncementScheduler:
    def __init__(
        self, repo: Repo, settings: Settings, clock: Clock, bot: Bot, *, rate: float
    ) -> None:
        self.repo = repo
        self.settings = settings
        self.clock = clock
        self.sender = AnnouncementSender(repo, settings, clock)
        self.progress = ProgressWatcher(self.sender, bot, rate)
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.plan: dict[str, AnnouncementJob] = {}
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ the job list

    async def start(self, *, paused: bool = False) -> None:
        """Resume the sendings a restart interrupted, plan, catch up, start firing."""
        for announcement in await self.repo.announcements.with_status(Status.SENDING):
            await self.sender.queue(announcement.id)
            await self._follow_sending(announcement)
        async with self._lock:
            await self._refresh()
            if not self.scheduler.running:
                self.scheduler.start(paused=paused)

    async def rebuild(self) -> int:
        async with self._lock:
            await self._refresh()
            return len(self.scheduler.get_jobs())

    async def run_due(self) -> list[str]:
        """Plan again and run what is due by the clock; the ids run (tests use it)."""
        async with self._lock:
            return await self._refresh()

    async def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.progress.stop()

    async def _refresh(self) -> list[str]:
        now = self.clock()
        announcements = await self.repo.announcements.with_status(
            Status.SCHEDULED, Status.SENDING, Status.SENT
        )
        jobs = plan(announcements, self.settings.announcement_reminders, now)
        self.plan = {job.id: job for job in jobs}
        runs = await self.repo.calendar.runs([job.id for job in jobs if job.kind == RSVP])
        ran, future = [], []
        for job in jobs:
            if job.id in runs:
                continue
            if job.run_at > now:
                future.append(job)
                continue
            await self._run(job)
            ran.append(job.id)
        if any(self.plan[job_id].kind == SEND for job_id in ran):
            return ran + await self._refresh()  # the reminders of what has just started
        wanted = {job.id for job in future}
        for scheduled in self.scheduler.get_jobs():
            if scheduled.id not in wanted:
                scheduled.remove()
        for job in future:
            self.scheduler.add_job(
                self._fire,
                DateTrigger(run_date=job.run_at),
                args=[job.id],
                id=job.id,
                name=job.id,
                replace_existing=True,
                misfire_grace_time=None,
                coalesce=True,
            )
        return ran

    async def _fire(self, job_id: str) -> None:
        async with self._lock:
            job = self.plan.get(job_id)
            if job is None or job.run_at > self.clock() + EARLY_TOLERANCE:
                return
            if job.kind == RSVP and job_id in await self.repo.calendar.runs([job_id]):
                return
            await self._run(job)
            if job.kind == SEND:
                await self._refresh()  # its reminders

    async def _run(self, job: AnnouncementJob) -> None:
        try:
            if job.kind == SEND:
                await self._scheduled_start(job.announcement_id)
            else:
                queued = await self.sender.remind(job.announcement_id, job.hours)
                await self.repo.calendar.record_run(job.id, job.run_at, "done", queued)
                log.info("announcements: %s queued %d reminder(s)", job.id, queued)
        except Exception:
            log.exception("announcements: job %s failed", job.id)

    # ------------------------------------------------------------------ sending

    async def send_now(self, announcement_id: int, chat_id: int, locale: str) -> int | None:
        """Start sending now, with a progress message in ``chat_id``; the number of people
        it is queued to, or None when it had already started or was cancelled."""
        queued = await self.sender.start(announcement_id)
        if queued is None:
            return None
        announcement = await self.repo.announcements.get(announcement_id)
        if announcement is not None:
            await self._follow_sending(announcement, chat_id, locale)
        await self.rebuild()  # its reminders
        return queued

    async def _scheduled_start(self, announcement_id: int) -> None:
        announcement = await self.repo.announcements.get(announcement_id)
        if announcement is None or announcement.status is not Status.SCHEDULED:
            return
        author = await self.repo.people.get(announcement.author_id or 0)
        locale = (author.locale if author else None) or self.settings.default_locale
        if announcement.starts_at is not None and announcement.starts_at <= self.clock():
            # the bot was not running at the time, and the event has begun since
            await self.repo.announcements.unschedule(announcement_id)
            if author is not None and author.telegram_id is not None:
                await self.progress.start_message(
                    author.telegram_id,
                    translate(
                        locale,
                        "«{title}» was to be sent on schedule, but the bot was not running "
                        "then and the event has begun since: it has not been sent. It is "
                        "kept as a draft in /announce.",
                        title=escape(announcement.title),
                    ),
                )
            return
        queued = await self.sender.start(announcement_id)
        if queued is None:
            return
        log.info("announcements: %s started on schedule, %d queued", announcement_id, queued)
        fresh = await self.repo.announcements.get(announcement_id)
        if fresh is not None and author is not None and author.telegram_id is not None:
            await self._follow_sending(fresh, author.telegram_id, locale)

    async def _follow_sending(
        self, announcement: Announcement, chat_id: int | None = None, locale: str | None = None
    ) -> None:
        """Follow the first sending with its progress message (a new one if it has none)."""
        if locale is None or chat_id is None:
            author = await self.repo.people.get(announcement.author_id or 0)
            locale = locale or (author.locale if author else None) or self.settings.default_locale
            chat_id = (
                chat_id or announcement.progress_chat_id or (author.telegram_id if author else None)
            )
        if chat_id is None:
            return
        batch = batch_name(announcement.id)
        message_id = announcement.progress_message_id
        if message_id is None or announcement.progress_chat_id != chat_id:
            counts = await self.repo.announcements.delivery_counts(batch)
            text = progress_text("sending", announcement.title, Progress.of(counts), locale)
            message_id = await self.progress.start_message(chat_id, text)
            if message_id is None:
                return
            await self.repo.announcements.set_progress_message(announcement.id, chat_id, message_id)
        self.progress.follow(Follow(announcement.id, batch, "sending", chat_id, message_id, locale))

    async def edit(
        self, announcement_id: int, description: str, chat_id: int, locale: str
    ) -> int | None:
        """A new text after sending; the number of delivered copies to edit (None: not out)."""
        result = await self.sender.edit(announcement_id, description)
        if result is None:
            return None
        version, queued = result
        await self._follow_part(announcement_id, f"v{version}", "editing", chat_id, locale)
        return queued

    async def correct(
        self, announcement_id: int, correction: str, chat_id: int, locale: str
    ) -> int:
        batch, queued = await self.sender.correct(announcement_id, correction)
        if batch:
            await self._follow_part(
                announcement_id, batch.rsplit(":", 1)[1], "correcting", chat_id, locale
            )
        return queued

    async def _follow_part(
        self, announcement_id: int, part: str, kind: str, chat_id: int, locale: str
    ) -> None:
        announcement = await self.repo.announcements.get(announcement_id)
        if announcement is None:
            return
        batch = batch_name(announcement_id, part)
        counts = await self.repo.announcements.delivery_counts(batch)
        text = progress_text(kind, announcement.title, Progress.of(counts), locale)
        message_id = await self.progress.start_message(chat_id, text)
        if message_id is not None:
            self.progress.follow(Follow(announcement_id, batch, kind, chat_id, message_id, locale))


async def start_announcements(announcements: AnnouncementScheduler) -> None:
    """The dispatcher's start-up hook (after the delivery worker has started)."""
    await announcements.start()


async def stop_announcements(announcements: AnnouncementScheduler) -> None:
    await announcements.shutdown()
