"""The coordinator's progress message while an announcement (or its edit, or a correction)
goes out: the counts read from the outbox every few seconds, the message edited when they
change — never more often than ``every`` seconds, well under Telegram's tolerance of about
one edit a second in a chat — and at the end a report of who did not get it.

The first sending's progress message is kept with the announcement, so after a restart the
same message goes on being updated; the watcher of an edit or a correction lives as long as
the process (their counts stay on the announcement's card).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.announcements.progress import Missed, Progress, progress_text, report_text, seconds_left
from bot.callbacks import AnnounceCallback
from bot.i18n import translate
from scheduler.announcement_delivery import AnnouncementSender
from storage.announcements import batch_name

log = logging.getLogger(__name__)

PROGRESS_EVERY = 3.0  # seconds between two looks at the outbox (and two edits at most)
RATE_WINDOW = 60.0  # seconds of history the time left is estimated from
HELD = timedelta(minutes=1)  # rows due later than this are held (quiet hours)


@dataclass(frozen=True, slots=True)
class Follow:
    """A delivery to follow: the announcement, its batch and what kind of delivery it is
    (sending, editing, correcting), and the progress message in the author's chat."""

    announcement_id: int
    batch: str
    kind: str
    chat_id: int
    message_id: int
    locale: str


class ProgressWatcher:
    def __init__(self, sender: AnnouncementSender, bot: Bot, rate: float) -> None:
        self.sender = sender
        self.repo = sender.repo
        self.bot = bot
        self.settings = sender.settings
        self.clock = sender.clock
        self.rate = rate  # the outbox's configured rate: the estimate before any is measured
        self.every = PROGRESS_EVERY
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def follow(self, follow: Follow) -> None:
        """Update ``follow``'s message until its delivery is done (once per batch)."""
        running = self._tasks.get(follow.batch)
        if running is not None and not running.done():
            return
        self._tasks[follow.batch] = asyncio.create_task(self._run(follow))

    def following(self, batch: str) -> bool:
        task = self._tasks.get(batch)
        return task is not None and not task.done()

    async def wait(self, batch: str) -> None:
        """Until the batch's watcher has finished (tests)."""
        task = self._tasks.get(batch)
        if task is not None:
            await asyncio.shield(task)

    async def stop(self) -> None:
        tasks = [task for task in self._tasks.values() if not task.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    async def start_message(self, chat_id: int, text: str) -> int | None:
        """Send a new progress message (after a scheduled start or a lost one); its id."""
        try:
            message = await self.bot.send_message(chat_id, text)
        except TelegramAPIError as error:
            log.warning("announcements: progress message to %s not sent: %s", chat_id, error)
            return None
        return message.message_id

    async def _run(self, follow: Follow) -> None:
        samples: deque[tuple[float, int]] = deque()
        shown = None
        message_id = follow.message_id
        while True:
            try:
                text, done = await self._text(follow, samples)
                if text != shown:
                    message_id = await self._show(follow, message_id, text)
                    shown = text
                if done:
                    await self._finish(follow)
                    return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("announcements: progress of %s", follow.batch)
            await asyncio.sleep(self.every)

    async def _text(self, follow: Follow, samples: deque[tuple[float, int]]) -> tuple[str, bool]:
        repo = self.repo.announcements
        announcement = await repo.get(follow.announcement_id)
        title = announcement.title if announcement else ""
        progress = Progress.of(await repo.delivery_counts(follow.batch))
        now = time.monotonic()
        samples.append((now, progress.sent))
        while samples and now - samples[0][0] > RATE_WINDOW:
            samples.popleft()
        first_at, first_sent = samples[0]
        rate = self.rate
        if now - first_at >= 2 * self.every and progress.sent > first_sent:
            rate = (progress.sent - first_sent) / (now - first_at)
        held = None
        if progress.waiting:
            due = await repo.next_due(follow.batch)
            if due is not None and due > self.clock() + HELD:
                held = due.astimezone(self.settings.zone).strftime("%H:%M")
        left = seconds_left(progress.waiting, rate)
        text = progress_text(
            follow.kind, title, progress, follow.locale, left=left, held_until=held
        )
        return text, progress.done

    async def _show(self, follow: Follow, message_id: int, text: str) -> int:
        try:
            await self.bot.edit_message_text(
                text=text, chat_id=follow.chat_id, message_id=message_id
            )
        except TelegramBadRequest as error:
            if "not modified" in str(error):
                return message_id
            if "not found" not in str(error):
                raise
            # the coordinator deleted it: a new one, kept for the next restart
            new_id = await self.start_message(follow.chat_id, text)
            if new_id is None:
                return message_id
            if follow.kind == "sending":
                await self.repo.announcements.set_progress_message(
                    follow.announcement_id, follow.chat_id, new_id
                )
            return new_id
        return message_id

    async def _finish(self, follow: Follow) -> None:
        if follow.kind != "sending":
            return
        if not await self.repo.announcements.finish(follow.announcement_id):
            return  # finished before (by another watcher, or before a restart)
        await self.send_report(follow.announcement_id, follow.chat_id, follow.locale)

    async def send_report(self, announcement_id: int, chat_id: int, locale: str) -> None:
        """Who did not get the announcement, with the button for the whole list in Excel."""
        repo = self.repo.announcements
        announcement = await repo.get(announcement_id)
        if announcement is None:
            return
        recipients = {r.person.id: r for r in await repo.recipients(announcement_id)}
        schools = {school.id: school for school in await self.repo.schools.list()}
        blocked, failed = [], []
        for row in await repo.deliveries(batch_name(announcement_id)):
            if row.state not in ("blocked", "failed"):
                continue
            recipient = recipients.get(row.person_id or 0)
            name = recipient.person.full_name if recipient else str(row.chat_id)
            school = schools.get(recipient.school_id or 0) if recipient else None
            school_name = school.display_name if school else ""
            if row.state == "blocked":
                blocked.append(Missed(name, school_name))
            else:
                failed.append(Missed(name, school_name, row.last_error or ""))
        # the audience's people it was never sent to (those who blocked the bot during the
        # sending are recipients, counted above)
        reach = await self.sender.reach(announcement)
        blocked_before = [p for p in reach.blocked if p.id not in recipients]
        text = report_text(
            announcement.title,
            blocked,
            failed,
            locale,
            blocked_before=len(blocked_before),
            not_started=len(reach.not_started),
        )
        button = InlineKeyboardButton(
            text=translate(locale, "📥 The list in Excel"),
            callback_data=AnnounceCallback(action="xev", announcement_id=announcement_id).pack(),
        )
        try:
            await self.bot.send_message(
                chat_id, text, reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]])
            )
        except TelegramAPIError as error:
            log.warning("announcements: report to %s not sent: %s", chat_id, error)
