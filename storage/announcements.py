"""Seminar announcements: the drafts and what was sent, who it went to, their answers
(«Приду» / «Не смогу», a principal's number of staff), and the schools that attended.

An announcement moves ``draft`` → (``scheduled`` →) ``sending`` → ``sent``, or ends
``cancelled`` before it starts. Its messages are outbox rows whose ``batch`` names it
(:func:`batch_name`): the first sending, each edit of the text (``:v2``…), each short
correction (``:fix1``…) and each reminder (``:rsvp24``…). The recipients are fixed when
the sending starts, in the same transaction that moves it to ``sending``.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.clock import from_db, to_db
from storage.db import Database
from storage.models import Person, Roles
from storage.people import _person, _roles


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"

    @property
    def open(self) -> bool:
        """Not sent yet: it can still be changed or cancelled."""
        return self in (Status.DRAFT, Status.SCHEDULED)

    @property
    def out(self) -> bool:
        """Sent, or being sent."""
        return self in (Status.SENDING, Status.SENT)


# the fields a coordinator composes (and an edit after sending may change: description)
EDITABLE = frozenset(
    {
        "title",
        "starts_at",
        "ends_at",
        "format",
        "place",
        "description",
        "attachment_kind",
        "attachment_file_id",
        "attachment_name",
        "audience",
        "send_at",
    }
)
_TIMES = frozenset({"starts_at", "ends_at", "send_at"})


def batch_name(announcement_id: int, part: str = "") -> str:
    """The outbox batch of an announcement's first sending, or of a later ``part``."""
    return f"announcement:{announcement_id}" + (f":{part}" if part else "")


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    author_id: int | None
    municipalities: tuple[str, ...] | None  # the author's territory; None: the region
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    format: str | None  # online | in_person
    place: str
    description: str  # Telegram HTML
    attachment_kind: str | None  # document | photo
    attachment_file_id: str | None
    attachment_name: str | None
    audience: str  # JSON of bot.announcements.audience.Choice
    status: Status
    send_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    version: int
    corrections: int
    progress_chat_id: int | None
    progress_message_id: int | None
    roadmap_event_id: int | None

    @property
    def complete(self) -> bool:
        """Everything a recipient needs is there: a title, a start, a format and a place."""
        return bool(self.title and self.starts_at and self.format and self.place)


@dataclass(frozen=True, slots=True)
class Recipient:
    person: Person
    school_id: int | None


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """A recipient with their answer (None: not answered) and their school, if any."""

    person_id: int
    full_name: str
    school_id: int | None
    answer: str | None  # yes | no
    staff: int | None
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """One recipient's message of a batch: where it stands."""

    outbox_id: int
    person_id: int | None
    chat_id: int
    state: str
    last_error: str | None


def _moment(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def _announcement(row: sqlite3.Row) -> Announcement:
    municipalities = row["municipalities"]
    return Announcement(
        id=row["id"],
        author_id=row["author_id"],
        municipalities=tuple(json.loads(municipalities)) if municipalities else None,
        title=row["title"],
        starts_at=_moment(row["starts_at"]),
        ends_at=_moment(row["ends_at"]),
        format=row["format"],
        place=row["place"],
        description=row["description"],
        attachment_kind=row["attachment_kind"],
        attachment_file_id=row["attachment_file_id"],
        attachment_name=row["attachment_name"],
        audience=row["audience"],
        status=Status(row["status"]),
        send_at=_moment(row["send_at"]),
        started_at=_moment(row["started_at"]),
        finished_at=_moment(row["finished_at"]),
        version=row["version"],
        corrections=row["corrections"],
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"],
        roadmap_event_id=row["roadmap_event_id"],
    )


def _value(name: str, value: Any) -> Any:
    if name in _TIMES and isinstance(value, datetime):
        return to_db(value)
    return value


class AnnouncementRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ composing

    async def create(
        self,
        author_id: int,
        municipalities: Iterable[str] | None,
        title: str,
        *,
        fields: Mapping[str, Any] | None = None,
        roadmap_event_id: int | None = None,
    ) -> Announcement:
        """A new draft with a title (and any other composed ``fields``)."""
        now = self.db.now()
        territory = (
            json.dumps(sorted(municipalities), ensure_ascii=False) if municipalities else None
        )
        extra = {name: _value(name, value) for name, value in (fields or {}).items()}
        unknown = set(extra) - EDITABLE
        if unknown:
            raise ValueError(f"not composed fields: {sorted(unknown)}")
        names = ["author_id", "municipalities", "title", "roadmap_event_id", *extra]
        values = [author_id, territory, title, roadmap_event_id, *extra.values()]

        def create(conn: sqlite3.Connection) -> Announcement:
            columns = ", ".join([*names, "created_at", "updated_at"])
            marks = ", ".join("?" * (len(names) + 2))
            new_id = conn.execute(
                f"INSERT INTO announcements ({columns}) VALUES ({marks})", (*values, now, now)
            ).lastrowid
            return _announcement(
                conn.execute("SELECT * FROM announcements WHERE id = ?", (new_id,)).fetchone()
            )

        return await self.db.write(create)

    async def get(self, announcement_id: int) -> Announcement | None:
        row = await self.db.fetch_one(
            "SELECT * FROM announcements WHERE id = ?", (announcement_id,)
        )
        return _announcement(row) if row else None

    async def update(self, announcement_id: int, **changes: Any) -> bool:
        """Change composed fields of an announcement not sent yet; False if it is out (or
        gone): the caller says so."""
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"not composed fields: {sorted(unknown)}")
        if not changes:
            return True
        assignments = ", ".join(f"{name} = ?" for name in changes)
        values = [_value(name, value) for name, value in changes.items()]
        sql = (
            f"UPDATE announcements SET {assignments}, updated_at = ?"
            " WHERE id = ? AND status IN ('draft', 'scheduled')"
        )
        params = (*values, self.db.now(), announcement_id)
        return await self.db.write(lambda conn: conn.execute(sql, params).rowcount == 1)

    async def listed(self, limit: int = 200) -> list[Announcement]:
        """The latest announcements, newest event first (drafts without a date on top)."""
        rows = await self.db.fetch_all(
            "SELECT * FROM announcements WHERE status != 'cancelled'"
            " ORDER BY starts_at IS NOT NULL, starts_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [_announcement(row) for row in rows]

    async def schedule(self, announcement_id: int, send_at: datetime) -> bool:
        """Draft (or scheduled) → scheduled at ``send_at``."""
        return await self._move(
            announcement_id, ("draft", "scheduled"), "scheduled", send_at=to_db(send_at)
        )

    async def unschedule(self, announcement_id: int) -> bool:
        """Scheduled → draft again (it will not go unless sent or scheduled anew)."""
        return await self._move(announcement_id, ("scheduled",), "draft", send_at=None)

    async def cancel(self, announcement_id: int) -> bool:
        return await self._move(announcement_id, ("draft", "scheduled"), "cancelled")

    async def _move(
        self, announcement_id: int, before: tuple[str, ...], after: str, **changes: Any
    ) -> bool:
        assignments = "".join(f", {name} = ?" for name in changes)
        sql = (
            f"UPDATE announcements SET status = ?{assignments}, updated_at = ?"
            f" WHERE id = ? AND status IN ({', '.join('?' * len(before))})"
        )
        params = (after, *changes.values(), self.db.now(), announcement_id, *before)
        return await self.db.write(lambda conn: conn.execute(sql, params).rowcount == 1)

    # ------------------------------------------------------------------ sending

    async def start_sending(
        self, announcement_id: int, recipients: Iterable[tuple[int, int | None]]
    ) -> bool:
        """Draft or scheduled → sending, with its recipients (person, school), in one
        transaction; False when it has already started or was cancelled."""
        now = self.db.now()
        rows = [(announcement_id, person_id, school_id) for person_id, school_id in recipients]

        def start(conn: sqlite3.Connection) -> bool:
            moved = conn.execute(
                "UPDATE announcements SET status = 'sending', started_at = ?, updated_at = ?"
                " WHERE id = ? AND status IN ('draft', 'scheduled')",
                (now, now, announcement_id),
            ).rowcount
            if not moved:
                return False
            conn.executemany(
                "INSERT INTO announcement_recipients (announcement_id, person_id, school_id)"
                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )
            return True

        return await self.db.write(start)

    async def finish(self, announcement_id: int) -> bool:
        """Sending → sent (every message delivered or given up)."""
        now = self.db.now()
        return await self.db.write(
            lambda conn: (
                conn.execute(
                    "UPDATE announcements SET status = 'sent', finished_at = ?, updated_at = ?"
                    " WHERE id = ? AND status = 'sending'",
                    (now, now, announcement_id),
                ).rowcount
                == 1
            )
        )

    async def set_progress_message(
        self, announcement_id: int, chat_id: int, message_id: int
    ) -> None:
        await self.db.execute(
            "UPDATE announcements SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
            (chat_id, message_id, announcement_id),
        )

    async def revise(self, announcement_id: int, description: str) -> int | None:
        """A new text of an announcement already out; its new version (None if it is not
        out)."""
        now = self.db.now()

        def revise(conn: sqlite3.Connection) -> int | None:
            row = conn.execute(
                "UPDATE announcements SET description = ?, version = version + 1,"
                " updated_at = ? WHERE id = ? AND status IN ('sending', 'sent')"
                " RETURNING version",
                (description, now, announcement_id),
            ).fetchone()
            return int(row[0]) if row else None

        return await self.db.write(revise)

    async def count_correction(self, announcement_id: int) -> int:
        """The number of the next short correction."""
        row = await self.db.write(
            lambda conn: conn.execute(
                "UPDATE announcements SET corrections = corrections + 1 WHERE id = ?"
                " RETURNING corrections",
                (announcement_id,),
            ).fetchone()
        )
        return int(row[0]) if row else 0

    async def with_status(self, *statuses: Status) -> list[Announcement]:
        marks = ", ".join("?" * len(statuses))
        rows = await self.db.fetch_all(
            f"SELECT * FROM announcements WHERE status IN ({marks}) ORDER BY id", statuses
        )
        return [_announcement(row) for row in rows]

    async def between(self, start: datetime, end: datetime) -> list[Announcement]:
        """Announcements scheduled, going or sent whose event starts in [start, end)."""
        rows = await self.db.fetch_all(
            "SELECT * FROM announcements WHERE status IN ('scheduled', 'sending', 'sent')"
            " AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id",
            (to_db(start), to_db(end)),
        )
        return [_announcement(row) for row in rows]

    # ------------------------------------------------------------------ people

    async def people_with_roles(self) -> list[tuple[Person, Roles]]:
        """Everyone holding a role, started the bot or not, active or not."""
        rows = await self.db.fetch_all(
            "SELECT p.*, g.role, g.school_id, g.municipality FROM people p"
            " JOIN role_grants g ON g.person_id = p.id ORDER BY p.id"
        )
        grants: dict[int, list[sqlite3.Row]] = defaultdict(list)
        people: dict[int, Person] = {}
        for row in rows:
            people.setdefault(row["id"], _person(row))
            grants[row["id"]].append(row)
        return [(person, _roles(grants[person_id])) for person_id, person in people.items()]

    async def recipients(self, announcement_id: int) -> list[Recipient]:
        rows = await self.db.fetch_all(
            "SELECT p.*, r.school_id AS recipient_school FROM announcement_recipients r"
            " JOIN people p ON p.id = r.person_id WHERE r.announcement_id = ? ORDER BY p.id",
            (announcement_id,),
        )
        return [Recipient(_person(row), row["recipient_school"]) for row in rows]

    async def recipient(self, announcement_id: int, person_id: int) -> Recipient | None:
        row = await self.db.fetch_one(
            "SELECT p.*, r.school_id AS recipient_school FROM announcement_recipients r"
            " JOIN people p ON p.id = r.person_id"
            " WHERE r.announcement_id = ? AND r.person_id = ?",
            (announcement_id, person_id),
        )
        return Recipient(_person(row), row["recipient_school"]) if row else None

    async def received(self, person_id: int) -> set[int]:
        """The announcements sent to this person."""
        rows = await self.db.fetch_all(
            "SELECT announcement_id FROM announcement_recipients WHERE person_id = ?",
            (person_id,),
        )
        return {row[0] for row in rows}

    # ------------------------------------------------------------------ answers

    async def answer(
        self, announcement_id: int, person_id: int, answer: str, staff: int | None = None
    ) -> None:
        """«Приду» (yes) or «Не смогу» (no); a «no» forgets the number of staff, a «yes»
        keeps the one given before unless ``staff`` is given."""
        now = self.db.now()
        await self.db.execute(
            "INSERT INTO announcement_answers (announcement_id, person_id, answer, staff,"
            " answered_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (announcement_id, person_id) DO UPDATE SET answer = excluded.answer,"
            " staff = CASE WHEN excluded.answer = 'no' THEN NULL"
            " ELSE coalesce(excluded.staff, staff) END, answered_at = excluded.answered_at",
            (announcement_id, person_id, answer, staff if answer == "yes" else None, now),
        )

    async def answer_of(
        self, announcement_id: int, person_id: int
    ) -> tuple[str, int | None] | None:
        row = await self.db.fetch_one(
            "SELECT answer, staff FROM announcement_answers"
            " WHERE announcement_id = ? AND person_id = ?",
            (announcement_id, person_id),
        )
        return (row["answer"], row["staff"]) if row else None

    async def answers(self, announcement_id: int) -> list[AnswerRow]:
        """Every recipient with their answer, if any."""
        rows = await self.db.fetch_all(
            "SELECT p.id, p.full_name, r.school_id, a.answer, a.staff, a.answered_at"
            " FROM announcement_recipients r JOIN people p ON p.id = r.person_id"
            " LEFT JOIN announcement_answers a"
            "  ON a.announcement_id = r.announcement_id AND a.person_id = r.person_id"
            " WHERE r.announcement_id = ? ORDER BY p.full_name, p.id",
            (announcement_id,),
        )
        return [
            AnswerRow(
                row["id"],
                row["full_name"],
                row["school_id"],
                row["answer"],
                row["staff"],
                _moment(row["answered_at"]),
            )
            for row in rows
        ]

    async def coming(self, announcement_id: int) -> list[Person]:
        """Recipients who said they will come, able to get a message now."""
        rows = await self.db.fetch_all(
            "SELECT p.* FROM announcement_answers a JOIN people p ON p.id = a.person_id"
            " JOIN announcement_recipients r"
            "  ON r.announcement_id = a.announcement_id AND r.person_id = a.person_id"
            " WHERE a.announcement_id = ? AND a.answer = 'yes'"
            " AND p.telegram_id IS NOT NULL AND p.is_active = 1 ORDER BY p.id",
            (announcement_id,),
        )
        return [_person(row) for row in rows]

    # ------------------------------------------------------------------ attendance

    async def attendance(self, announcement_id: int) -> dict[int, int | None]:
        """The schools marked present, with how many of their staff came (if known)."""
        rows = await self.db.fetch_all(
            "SELECT school_id, staff FROM announcement_attendance WHERE announcement_id = ?",
            (announcement_id,),
        )
        return {row["school_id"]: row["staff"] for row in rows}

    async def with_attendance(self) -> list[Announcement]:
        """The events someone has marked attendance for, the latest first."""
        rows = await self.db.fetch_all(
            "SELECT * FROM announcements WHERE id IN"
            " (SELECT announcement_id FROM announcement_attendance)"
            " ORDER BY starts_at DESC, id DESC"
        )
        return [_announcement(row) for row in rows]

    async def mark_attendance(
        self, announcement_id: int, school_id: int, present: bool, staff: int | None, by: int
    ) -> None:
        if not present:
            await self.db.execute(
                "DELETE FROM announcement_attendance WHERE announcement_id = ? AND school_id = ?",
                (announcement_id, school_id),
            )
            return
        await self.db.execute(
            "INSERT INTO announcement_attendance (announcement_id, school_id, staff, marked_by,"
            " marked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (announcement_id, school_id)"
            " DO UPDATE SET staff = excluded.staff, marked_by = excluded.marked_by,"
            " marked_at = excluded.marked_at",
            (announcement_id, school_id, staff, by, self.db.now()),
        )

    async def attended_by(
        self, school_ids: Iterable[int], start: datetime, end: datetime
    ) -> list[tuple[int, Announcement, int | None]]:
        """(school, announcement, staff) for the events in [start, end) the schools attended."""
        ids = sorted(set(school_ids))
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = await self.db.fetch_all(
            "SELECT a.*, t.school_id AS attended_school, t.staff AS attended_staff"
            " FROM announcement_attendance t JOIN announcements a ON a.id = t.announcement_id"
            f" WHERE t.school_id IN ({marks}) AND a.starts_at >= ? AND a.starts_at < ?"
            " ORDER BY a.starts_at, a.id",
            (*ids, to_db(start), to_db(end)),
        )
        return [(row["attended_school"], _announcement(row), row["attended_staff"]) for row in rows]

    # ------------------------------------------------------------------ delivery

    async def delivery_counts(self, batch: str) -> dict[str, int]:
        """The batch's outbox rows in each state."""
        rows = await self.db.fetch_all(
            "SELECT state, count(*) FROM outbox WHERE batch = ? GROUP BY state", (batch,)
        )
        counts = dict.fromkeys(("pending", "sending", "sent", "failed", "blocked"), 0)
        counts.update({row[0]: row[1] for row in rows})
        return counts

    async def next_due(self, batch: str) -> datetime | None:
        """When the batch's first waiting row is due (after quiet hours, a retry)."""
        row = await self.db.fetch_one(
            "SELECT min(next_attempt_at) FROM outbox WHERE batch = ? AND state = 'pending'",
            (batch,),
        )
        return _moment(row[0]) if row else None

    async def sent_since(self, batch: str, since: datetime) -> int:
        row = await self.db.fetch_one(
            "SELECT count(*) FROM outbox WHERE batch = ? AND state = 'sent' AND sent_at >= ?",
            (batch, to_db(since)),
        )
        return int(row[0]) if row else 0

    async def deliveries(self, batch: str) -> list[DeliveryRow]:
        rows = await self.db.fetch_all(
            "SELECT id, person_id, chat_id, state, last_error FROM outbox WHERE batch = ?"
            " ORDER BY id",
            (batch,),
        )
        return [
            DeliveryRow(
                row["id"], row["person_id"], row["chat_id"], row["state"], row["last_error"]
            )
            for row in rows
        ]

    async def revise_pending(self, batch: str, texts: Mapping[int, tuple[str, str]]) -> set[int]:
        """Give the announcement's messages still waiting to go (its first sending or an
        edit) each person's new (text, keyboard JSON); return the people whose message was
        changed this way: they need no edit."""

        def revise(conn: sqlite3.Connection) -> set[int]:
            rows = conn.execute(
                "SELECT id, person_id FROM outbox WHERE state = 'pending'"
                " AND (batch = ? OR batch LIKE ?)",
                (batch, f"{batch}:v%"),
            ).fetchall()
            changed = set()
            for row in rows:
                if row["person_id"] not in texts:
                    continue
                text, markup = texts[row["person_id"]]
                conn.execute(
                    "UPDATE outbox SET text = ?, reply_markup = ?"
                    " WHERE id = ? AND state = 'pending'",
                    (text, markup, row["id"]),
                )
                changed.add(row["person_id"])
            return changed

        return await self.db.write(revise)
