"""What an announcement puts into the outbox: the announcement itself to each recipient,
an edit of every delivered copy, a short correction, a reminder to those coming.

Every row has a de-duplication key naming the announcement, the person and the part
(``announce:5:17``, ``announce:5:v2:17``, ``announce:5:fix1:17``, ``announce:5:rsvp24:17``),
so queuing again — after a crash between starting and queuing, or a job run twice —
adds nothing: nobody gets a part twice. Rows are of the bulk kind "announcement": quiet
hours hold them (they are queued due when the quiet hours end).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.announcements.access import author_roles
from bot.announcements.audience import Choice, Reach, reach
from bot.announcements.message import announcement_text, correction_text, reminder_text
from bot.clock import Clock
from bot.rsvp_buttons import rsvp_markup
from bot.settings import Settings
from scheduler.quiet import quiet_until
from storage.announcements import Announcement, Recipient, batch_name
from storage.models import Person
from storage.outbox import OutboxMessage
from storage.repo import Repo

log = logging.getLogger(__name__)

KIND = "announcement"  # bulk: held in quiet hours


@dataclass
class AnnouncementSender:
    repo: Repo
    settings: Settings
    clock: Clock

    async def reach(self, announcement: Announcement) -> Reach:
        """Whom the announcement's audience reaches now."""
        return reach(
            Choice.from_json(announcement.audience),
            author_roles(announcement),
            announcement.author_id,
            await self.repo.announcements.people_with_roles(),
            await self.repo.schools.list(),
        )

    async def start(self, announcement_id: int) -> int | None:
        """Fix the recipients and queue the announcement to each; the number queued, or
        None when it was not waiting to be sent (already started, cancelled, gone)."""
        announcement = await self.repo.announcements.get(announcement_id)
        if announcement is None or not announcement.status.open:
            return None
        found = await self.reach(announcement)
        recipients = [(person.id, school_id) for person, school_id in found.recipients]
        if not await self.repo.announcements.start_sending(announcement_id, recipients):
            return None
        log.info("announcement %s: sending to %d people", announcement_id, len(recipients))
        return await self.queue(announcement_id)

    async def queue(self, announcement_id: int) -> int:
        """Queue the announcement to every recipient (again: nothing new is added)."""
        announcement = await self.repo.announcements.get(announcement_id)
        if announcement is None or not announcement.status.out:
            return 0
        recipients = await self.repo.announcements.recipients(announcement_id)
        not_before = self._not_before()
        rendered: dict[str, str] = {}
        messages = []
        for recipient in recipients:
            person = recipient.person
            if person.telegram_id is None:
                continue
            locale = self._locale(person)
            if locale not in rendered:
                rendered[locale] = announcement_text(announcement, self.settings.timezone, locale)
            messages.append(
                OutboxMessage(
                    dedup_key=f"announce:{announcement_id}:{person.id}",
                    chat_id=person.telegram_id,
                    text=rendered[locale],
                    kind=KIND,
                    person_id=person.id,
                    reply_markup=self._markup(announcement, recipient, locale),
                    not_before=not_before,
                    method=announcement.attachment_kind,
                    file_id=announcement.attachment_file_id,
                    batch=batch_name(announcement_id),
                )
            )
        return await self.repo.outbox.enqueue(messages)

    async def edit(self, announcement_id: int, description: str) -> tuple[int, int] | None:
        """A new text for an announcement already out: copies still waiting get it at once,
        each delivered (or departing) copy gets an edit. (version, edits queued), or None
        when the announcement is not out."""
        repo = self.repo.announcements
        version = await repo.revise(announcement_id, description)
        announcement = await repo.get(announcement_id)
        if version is None or announcement is None:
            return None
        texts: dict[int, str] = {}
        markups: dict[int, dict[str, Any]] = {}
        recipients = {r.person.id: r for r in await repo.recipients(announcement_id)}
        answers = {row.person_id: row for row in await repo.answers(announcement_id)}
        for person_id, recipient in recipients.items():
            locale = self._locale(recipient.person)
            texts[person_id] = announcement_text(announcement, self.settings.timezone, locale)
            answered = answers.get(person_id)
            markups[person_id] = self._markup(
                announcement,
                recipient,
                locale,
                answer=answered.answer if answered else None,
                staff=answered.staff if answered else None,
            )
        changed = await repo.revise_pending(
            batch_name(announcement_id),
            {pid: (texts[pid], json.dumps(markups[pid], ensure_ascii=False)) for pid in texts},
        )
        method = "edit_caption" if announcement.attachment_file_id else "edit_text"
        messages = []
        for row in await repo.deliveries(batch_name(announcement_id)):
            person_id = row.person_id
            if row.state not in ("sent", "sending") or person_id in changed:
                continue
            if person_id is None or person_id not in texts:
                continue
            messages.append(
                OutboxMessage(
                    dedup_key=f"announce:{announcement_id}:v{version}:{person_id}",
                    chat_id=row.chat_id,
                    text=texts[person_id],
                    kind=KIND,
                    person_id=person_id,
                    reply_markup=markups[person_id],
                    not_before=self._not_before(),
                    method=method,
                    edit_of=row.outbox_id,
                    batch=batch_name(announcement_id, f"v{version}"),
                )
            )
        queued = await self.repo.outbox.enqueue(messages)
        log.info("announcement %s: version %d, %d edit(s) queued", announcement_id, version, queued)
        return version, queued

    async def correct(self, announcement_id: int, correction: str) -> tuple[str, int]:
        """A short correction (checked HTML) to everyone it was sent to; (its batch, the
        number queued)."""
        repo = self.repo.announcements
        announcement = await repo.get(announcement_id)
        if announcement is None or not announcement.status.out:
            return "", 0
        number = await repo.count_correction(announcement_id)
        batch = batch_name(announcement_id, f"fix{number}")
        rendered: dict[str, str] = {}
        messages = []
        for recipient in await repo.recipients(announcement_id):
            person = recipient.person
            if person.telegram_id is None or not person.is_active:
                continue
            locale = self._locale(person)
            if locale not in rendered:
                rendered[locale] = correction_text(
                    announcement, correction, self.settings.timezone, locale
                )
            messages.append(
                OutboxMessage(
                    dedup_key=f"announce:{announcement_id}:fix{number}:{person.id}",
                    chat_id=person.telegram_id,
                    text=rendered[locale],
                    kind=KIND,
                    person_id=person.id,
                    not_before=self._not_before(),
                    batch=batch,
                )
            )
        return batch, await self.repo.outbox.enqueue(messages)

    async def remind(self, announcement_id: int, hours: int) -> int:
        """The reminder ``hours`` before the event to those who said they will come; none
        when it would arrive after the start (quiet hours)."""
        announcement = await self.repo.announcements.get(announcement_id)
        if announcement is None or not announcement.status.out or announcement.starts_at is None:
            return 0
        not_before = self._not_before()
        if (not_before or self.clock()) >= announcement.starts_at:
            log.info(
                "announcement %s: the %dh reminder would come too late", announcement_id, hours
            )
            return 0
        rendered: dict[str, str] = {}
        messages = []
        for person in await self.repo.announcements.coming(announcement_id):
            assert person.telegram_id is not None
            locale = self._locale(person)
            if locale not in rendered:
                rendered[locale] = reminder_text(
                    announcement, hours, self.settings.timezone, locale
                )
            messages.append(
                OutboxMessage(
                    dedup_key=f"announce:{announcement_id}:rsvp{hours}:{person.id}",
                    chat_id=person.telegram_id,
                    text=rendered[locale],
                    kind=KIND,
                    person_id=person.id,
                    not_before=not_before,
                    batch=batch_name(announcement_id, f"rsvp{hours}"),
                )
            )
        return await self.repo.outbox.enqueue(messages)

    def _not_before(self) -> datetime | None:
        return quiet_until(self.clock(), self.settings.quiet, self.settings.zone)

    def _locale(self, person: Person) -> str:
        return person.locale or self.settings.default_locale

    @staticmethod
    def _markup(
        announcement: Announcement,
        recipient: Recipient,
        locale: str,
        *,
        answer: str | None = None,
        staff: int | None = None,
    ) -> dict[str, Any]:
        return rsvp_markup(
            announcement.id,
            locale,
            answer=answer,
            staff=staff,
            principal=recipient.school_id is not None,
        )
