"""The execution of roadmap actions: confirmations with their evidence, and the reporting
points coordinators set on long actions.

A confirmation is never changed (but for the reason of a postponement, given right after
it) nor deleted (a school's part is deleted with the school):
the latest one for an action, a part and a point is the one that counts, the earlier
ones are its history. When a roadmap is imported again, its actions are new rows;
:func:`carry_over` moves the confirmations and reporting points of the old actions to the
new ones with the same title (see :meth:`storage.calendar.CalendarRepo.save_roadmap`).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.clock import from_db, to_db
from storage.db import Database

STATUSES = ("done", "postponed", "not_done")


@dataclass(frozen=True, slots=True)
class NewConfirmation:
    """What a person answered for their part of an action at a point."""

    event_id: int
    due_on: date | None  # the point answered; None: an action without dates
    status: str  # done | postponed | not_done
    person_id: int | None
    school_id: int | None = None  # a school's part
    municipality: str | None = None  # a municipality's part (both None: the whole action)
    file_id: str | None = None
    file_name: str | None = None
    file_kind: str | None = None  # document | photo
    link: str | None = None
    evidence: str | None = None  # a sentence naming the document
    comment: str | None = None
    new_starts_on: date | None = None  # postponed: the new period
    new_ends_on: date | None = None
    new_period: str | None = None  # as typed


@dataclass(frozen=True, slots=True)
class Confirmation:
    id: int
    event_id: int
    due_on: date | None
    status: str
    school_id: int | None
    municipality: str | None
    file_id: str | None
    file_name: str | None
    file_kind: str | None
    link: str | None
    evidence: str | None
    comment: str | None
    new_starts_on: date | None
    new_ends_on: date | None
    new_period: str | None
    person_id: int | None
    person_name: str  # '' when the person is gone
    created_at: datetime

    @property
    def has_evidence(self) -> bool:
        return bool(self.file_id or self.link or self.evidence)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _confirmation(row: sqlite3.Row) -> Confirmation:
    return Confirmation(
        id=row["id"],
        event_id=row["event_id"],
        due_on=_day(row["due_on"]),
        status=row["status"],
        school_id=row["school_id"],
        municipality=row["municipality"],
        file_id=row["file_id"],
        file_name=row["file_name"],
        file_kind=row["file_kind"],
        link=row["link"],
        evidence=row["evidence"],
        comment=row["comment"],
        new_starts_on=_day(row["new_starts_on"]),
        new_ends_on=_day(row["new_ends_on"]),
        new_period=row["new_period"],
        person_id=row["person_id"],
        person_name=row["person_name"] or "",
        created_at=from_db(row["created_at"]),
    )


_SELECT = (
    "SELECT c.*, p.full_name AS person_name FROM action_confirmations c"
    " LEFT JOIN people p ON p.id = c.person_id"
)


def _in(ids: Collection[int]) -> str:
    return ",".join("?" * len(ids))


class ExecutionRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- confirmations ----------------------------------------------------------------
    async def confirm(self, new: NewConfirmation, at: datetime | None = None) -> Confirmation:
        """Store an answer (it supersedes the earlier ones for the same part and point);
        ``at``: when it was given, if not now (demo data)."""
        if new.status not in STATUSES:
            raise ValueError(f"unknown status {new.status!r}")
        if new.school_id is not None and new.municipality is not None:
            raise ValueError("a part is a school's or a municipality's, not both")
        values = (
            new.event_id,
            _iso(new.due_on),
            new.school_id,
            new.municipality,
            new.status,
            new.file_id,
            new.file_name,
            new.file_kind,
            new.link,
            new.evidence,
            new.comment,
            _iso(new.new_starts_on),
            _iso(new.new_ends_on),
            new.new_period,
            new.person_id,
            to_db(at) if at is not None else self.db.now(),
        )
        new_id = await self.db.write(
            lambda conn: (
                conn.execute(
                    "INSERT INTO action_confirmations (event_id, due_on, school_id,"
                    " municipality, status, file_id, file_name, file_kind, link, evidence,"
                    " comment, new_starts_on, new_ends_on, new_period, person_id, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                ).lastrowid
            )
        )
        stored = await self.confirmation(int(new_id or 0))
        assert stored is not None
        return stored

    async def add_comment(self, confirmation_id: int, comment: str) -> bool:
        """The reason given right after a postponement, on that answer (once: an answer
        that has a comment is not changed); True if it was added."""
        return await self.db.write(
            lambda conn: (
                conn.execute(
                    "UPDATE action_confirmations SET comment = ? WHERE id = ? AND comment IS NULL",
                    (comment, confirmation_id),
                ).rowcount
                == 1
            )
        )

    async def confirmation(self, confirmation_id: int) -> Confirmation | None:
        row = await self.db.fetch_one(_SELECT + " WHERE c.id = ?", (confirmation_id,))
        return _confirmation(row) if row else None

    async def confirmations(self, event_ids: Collection[int] | None = None) -> list[Confirmation]:
        """Every confirmation (of these actions), oldest first: the history."""
        if event_ids is None:
            rows = await self.db.fetch_all(_SELECT + " ORDER BY c.id")
        elif not event_ids:
            return []
        else:
            ids = tuple(event_ids)
            rows = await self.db.fetch_all(
                _SELECT + f" WHERE c.event_id IN ({_in(ids)}) ORDER BY c.id", ids
            )
        return [_confirmation(row) for row in rows]

    async def moved_ends(self, first: date, last: date) -> set[date]:
        """The ends of new periods (postponements) within [first, last]."""
        rows = await self.db.fetch_all(
            "SELECT DISTINCT new_ends_on FROM action_confirmations"
            " WHERE status = 'postponed' AND new_ends_on BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
        return {date.fromisoformat(row[0]) for row in rows}

    async def renumbered(self, event_id: int) -> int | None:
        """The id an action has now, if ``event_id`` is one it had before a roadmap was
        imported again."""
        row = await self.db.fetch_one(
            "SELECT new_event_id FROM action_renumbered WHERE old_event_id = ?", (event_id,)
        )
        return int(row[0]) if row else None

    # --- points -----------------------------------------------------------------------
    async def checkpoints(self, event_ids: Collection[int] | None = None) -> dict[int, list[date]]:
        """The reporting points set on actions, by action, in order."""
        sql = "SELECT event_id, due_on FROM action_checkpoints"
        params: tuple[int, ...] = ()
        if event_ids is not None:
            if not event_ids:
                return {}
            params = tuple(event_ids)
            sql += f" WHERE event_id IN ({_in(params)})"
        found: dict[int, list[date]] = defaultdict(list)
        for row in await self.db.fetch_all(sql + " ORDER BY event_id, due_on", params):
            found[row[0]].append(date.fromisoformat(row[1]))
        return dict(found)

    async def set_checkpoints(
        self, event_id: int, days: Iterable[date], person_id: int | None
    ) -> list[date]:
        """Replace the action's reporting points; return them in order."""
        chosen = sorted(set(days))
        now = self.db.now()

        def replace(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM action_checkpoints WHERE event_id = ?", (event_id,))
            conn.executemany(
                "INSERT INTO action_checkpoints (event_id, due_on, set_by, set_at)"
                " VALUES (?, ?, ?, ?)",
                [(event_id, day.isoformat(), person_id, now) for day in chosen],
            )

        await self.db.write(replace)
        return chosen

    async def point_days(self, first: date, last: date) -> set[date]:
        """The days in [first, last] on which a period of an action ends or a reporting
        point falls: the days requests may be about."""
        bounds = (first.isoformat(), last.isoformat())
        rows = await self.db.fetch_all(
            "SELECT ends_on FROM event_occurrences WHERE ends_on BETWEEN ? AND ?"
            " UNION SELECT due_on FROM action_checkpoints WHERE due_on BETWEEN ? AND ?",
            bounds + bounds,
        )
        return {date.fromisoformat(row[0]) for row in rows}

    async def period_ends(self, event_ids: Collection[int] | None = None) -> dict[int, list[date]]:
        """The ends of each action's dated periods (its occurrences), in order."""
        sql = "SELECT event_id, ends_on FROM event_occurrences"
        params: tuple[int, ...] = ()
        if event_ids is not None:
            if not event_ids:
                return {}
            params = tuple(event_ids)
            sql += f" WHERE event_id IN ({_in(params)})"
        found: dict[int, list[date]] = defaultdict(list)
        for row in await self.db.fetch_all(sql + " ORDER BY event_id, ends_on", params):
            found[row[0]].append(date.fromisoformat(row[1]))
        return dict(found)


# --- in aiosqlite's thread, inside a write (see storage.db) -------------------------------


def carry_over(conn: sqlite3.Connection, moves: dict[int, int]) -> None:
    """Move confirmations and reporting points from old actions to new ones
    (``moves``: old action id → new action id), before the old ones are deleted, and
    remember the move (:meth:`ExecutionRepo.renumbered`)."""
    for old, new in moves.items():
        conn.execute("UPDATE action_confirmations SET event_id = ? WHERE event_id = ?", (new, old))
        conn.execute(
            "UPDATE action_renumbered SET new_event_id = ? WHERE new_event_id = ?", (new, old)
        )
        conn.execute(
            "INSERT OR REPLACE INTO action_renumbered (old_event_id, new_event_id) VALUES (?, ?)",
            (old, new),
        )
        conn.execute(
            "INSERT OR IGNORE INTO action_checkpoints (event_id, due_on, set_by, set_at)"
            " SELECT ?, due_on, set_by, set_at FROM action_checkpoints WHERE event_id = ?",
            (new, old),
        )
