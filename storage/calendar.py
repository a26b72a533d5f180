"""The roadmap calendar: roadmaps, their actions and dated occurrences; reminder
preferences; and the scheduler's record of the jobs it has run."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.clock import from_db, to_db
from storage.db import Database
from storage.execution import carry_over
from storage.models import Audience

REMINDER_KINDS = ("deadline", "overdue", "event")


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An action of a roadmap as imported: the period as written and as read."""

    row_no: int
    title: str
    period_text: str
    kind: str  # range | ranges | recurring | deadline | no_fixed_date | unreadable
    occurrences: list[tuple[date, date]] = field(default_factory=list)
    number: str = ""
    section: str = ""
    reason: str | None = None
    responsible: str = ""
    roles: tuple[Audience, ...] = ()  # whom it reaches; none: the roadmap's coordinators
    result: str = ""


@dataclass(frozen=True, slots=True)
class Roadmap:
    id: int
    title: str
    source: str
    starts_on: date
    ends_on: date
    imported_at: datetime
    imported_by: int | None
    municipality: str | None = None  # None: the region's roadmap


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    roadmap_id: int
    row_no: int
    number: str
    section: str
    title: str
    period_text: str
    kind: str
    reason: str | None
    responsible: str
    roles: tuple[Audience, ...]  # whom it reaches (see bot.calendar.audience)
    result: str
    dates_set_by: int | None


@dataclass(frozen=True, slots=True)
class Occurrence:
    id: int
    event_id: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True)
class ReminderPrefs:
    person_id: int
    hour: int | None = None  # None: the program's default hour
    muted: frozenset[str] = frozenset()

    def hour_or(self, default: int) -> int:
        return default if self.hour is None else self.hour


def _roadmap(row: sqlite3.Row) -> Roadmap:
    return Roadmap(
        id=row["id"],
        title=row["title"],
        source=row["source"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
        imported_at=from_db(row["imported_at"]),
        imported_by=row["imported_by"],
        municipality=row["municipality"],
    )


def _roles(text: str) -> tuple[Audience, ...]:
    return tuple(Audience(part) for part in text.split(",") if part)


def _event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"],
        roadmap_id=row["roadmap_id"],
        row_no=row["row_no"],
        number=row["number"],
        section=row["section"],
        title=row["title"],
        period_text=row["period_text"],
        kind=row["kind"],
        reason=row["reason"],
        responsible=row["responsible"],
        roles=_roles(row["roles"]),
        result=row["result"],
        dates_set_by=row["dates_set_by"],
    )


def _occurrence(row: sqlite3.Row) -> Occurrence:
    return Occurrence(
        id=row["id"],
        event_id=row["event_id"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
    )


class CalendarRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- roadmaps ----------------------------------------------------------------
    async def save_roadmap(
        self,
        title: str,
        starts_on: date,
        ends_on: date,
        events: list[NewEvent],
        *,
        source: str = "",
        imported_by: int | None = None,
        municipality: str | None = None,
    ) -> int:
        """Store a roadmap with its actions and occurrences, in one transaction; it belongs
        to ``municipality`` (None: the region).

        A roadmap with the same title, years and territory replaces the earlier import of
        it; the dates a person set by hand for a row whose title and period are unchanged
        are kept, and so are the confirmations and reporting points of the actions that
        are still there (see :func:`storage.execution.carry_over`).
        """
        now = self.db.now()
        span = (starts_on.isoformat(), ends_on.isoformat())
        return await self.db.write(
            lambda conn: _save_roadmap(
                conn, title, span, events, source, imported_by, now, municipality
            )
        )

    async def roadmaps(self) -> list[Roadmap]:
        rows = await self.db.fetch_all("SELECT * FROM roadmaps ORDER BY starts_on, id")
        return [_roadmap(row) for row in rows]

    async def roadmap(self, roadmap_id: int) -> Roadmap | None:
        row = await self.db.fetch_one("SELECT * FROM roadmaps WHERE id = ?", (roadmap_id,))
        return _roadmap(row) if row else None

    async def delete_roadmap(self, roadmap_id: int) -> None:
        await self.db.execute("DELETE FROM roadmaps WHERE id = ?", (roadmap_id,))

    # --- events ------------------------------------------------------------------
    async def events(self, roadmap_id: int | None = None) -> list[Event]:
        if roadmap_id is None:
            rows = await self.db.fetch_all(
                "SELECT * FROM roadmap_events ORDER BY roadmap_id, row_no"
            )
        else:
            rows = await self.db.fetch_all(
                "SELECT * FROM roadmap_events WHERE roadmap_id = ? ORDER BY row_no", (roadmap_id,)
            )
        return [_event(row) for row in rows]

    async def event(self, event_id: int) -> Event | None:
        row = await self.db.fetch_one("SELECT * FROM roadmap_events WHERE id = ?", (event_id,))
        return _event(row) if row else None

    async def unreadable(self, roadmap_id: int | None = None) -> list[Event]:
        """Actions whose period could not be read and whose dates nobody has set yet."""
        sql = "SELECT * FROM roadmap_events WHERE kind = 'unreadable' AND dates_set_at IS NULL"
        params: tuple[int, ...] = ()
        if roadmap_id is not None:
            sql += " AND roadmap_id = ?"
            params = (roadmap_id,)
        rows = await self.db.fetch_all(sql + " ORDER BY roadmap_id, row_no", params)
        return [_event(row) for row in rows]

    async def set_dates(
        self, event_id: int, spans: list[tuple[date, date]], person_id: int | None
    ) -> None:
        """Dates a person set by hand for an action (replacing what was read)."""
        now = self.db.now()

        def set_dates(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE roadmap_events SET dates_set_by = ?, dates_set_at = ? WHERE id = ?",
                (person_id, now, event_id),
            )
            conn.execute("DELETE FROM event_occurrences WHERE event_id = ?", (event_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO event_occurrences (event_id, starts_on, ends_on)"
                " VALUES (?, ?, ?)",
                [(event_id, start.isoformat(), end.isoformat()) for start, end in spans],
            )

        await self.db.write(set_dates)

    async def occurrences(self, event_id: int) -> list[Occurrence]:
        rows = await self.db.fetch_all(
            "SELECT * FROM event_occurrences WHERE event_id = ? ORDER BY starts_on", (event_id,)
        )
        return [_occurrence(row) for row in rows]

    async def between(self, start: date, end: date) -> list[tuple[Occurrence, Event]]:
        """Occurrences that overlap [start, end] (inclusive), with their actions, by date."""
        rows = await self.db.fetch_all(
            "SELECT o.id AS o_id, o.event_id AS o_event_id, o.starts_on AS o_starts_on,"
            " o.ends_on AS o_ends_on, e.* FROM event_occurrences o"
            " JOIN roadmap_events e ON e.id = o.event_id"
            " WHERE o.starts_on <= ? AND o.ends_on >= ?"
            " ORDER BY o.starts_on, o.ends_on, e.roadmap_id, e.row_no",
            (end.isoformat(), start.isoformat()),
        )
        return [
            (
                Occurrence(
                    id=row["o_id"],
                    event_id=row["o_event_id"],
                    starts_on=date.fromisoformat(row["o_starts_on"]),
                    ends_on=date.fromisoformat(row["o_ends_on"]),
                ),
                _event(row),
            )
            for row in rows
        ]

    async def occurrence_count(self) -> int:
        row = await self.db.fetch_one("SELECT count(*) FROM event_occurrences")
        return int(row[0]) if row else 0

    # --- reminder preferences ------------------------------------------------------
    async def prefs(self, person_id: int) -> ReminderPrefs:
        row = await self.db.fetch_one(
            "SELECT * FROM reminder_prefs WHERE person_id = ?", (person_id,)
        )
        if row is None:
            return ReminderPrefs(person_id)
        return ReminderPrefs(
            person_id, row["hour"], frozenset(kind for kind in row["muted"].split(",") if kind)
        )

    async def all_prefs(self) -> dict[int, ReminderPrefs]:
        rows = await self.db.fetch_all("SELECT * FROM reminder_prefs")
        return {
            row["person_id"]: ReminderPrefs(
                row["person_id"],
                row["hour"],
                frozenset(kind for kind in row["muted"].split(",") if kind),
            )
            for row in rows
        }

    async def set_hour(self, person_id: int, hour: int | None) -> None:
        await self.db.execute(
            "INSERT INTO reminder_prefs (person_id, hour) VALUES (?, ?)"
            " ON CONFLICT (person_id) DO UPDATE SET hour = excluded.hour",
            (person_id, hour),
        )

    async def set_muted(self, person_id: int, kind: str, muted: bool) -> None:
        if kind not in REMINDER_KINDS:
            raise ValueError(f"unknown reminder kind {kind!r}")
        current = await self.prefs(person_id)
        kinds = set(current.muted)
        if muted:
            kinds.add(kind)
        else:
            kinds.discard(kind)
        text = ",".join(sorted(kinds))
        await self.db.execute(
            "INSERT INTO reminder_prefs (person_id, muted) VALUES (?, ?)"
            " ON CONFLICT (person_id) DO UPDATE SET muted = excluded.muted",
            (person_id, text),
        )

    # --- the scheduler's runs -----------------------------------------------------
    async def runs(self, job_ids: list[str] | None = None) -> dict[str, str]:
        """The outcome (done / missed) of the jobs that have run, by job id."""
        rows = await self.db.fetch_all("SELECT job_id, outcome FROM scheduler_runs")
        wanted = set(job_ids) if job_ids is not None else None
        return {row[0]: row[1] for row in rows if wanted is None or row[0] in wanted}

    async def record_run(self, job_id: str, due_at: datetime, outcome: str, queued: int) -> bool:
        """Note that a job ran (or was dropped); False if it was already noted."""
        values = (job_id, to_db(due_at), self.db.now(), outcome, queued)
        return await self.db.write(
            lambda conn: (
                conn.execute(
                    "INSERT OR IGNORE INTO scheduler_runs (job_id, due_at, ran_at, outcome, queued)"
                    " VALUES (?, ?, ?, ?, ?)",
                    values,
                ).rowcount
                == 1
            )
        )


# --- in aiosqlite's thread, inside a write (see storage.db) -------------------------------


def _save_roadmap(
    conn: sqlite3.Connection,
    title: str,
    span: tuple[str, str],
    events: list[NewEvent],
    source: str,
    imported_by: int | None,
    now: str,
    municipality: str | None = None,
) -> int:
    """See :meth:`CalendarRepo.save_roadmap`."""
    kept: dict[tuple[str, str], tuple[int | None, str | None, list[tuple[str, str]]]] = {}
    old = conn.execute(
        "SELECT id FROM roadmaps WHERE title = ? AND starts_on = ? AND ends_on = ?"
        " AND municipality IS ?",
        (title, *span, municipality),
    ).fetchall()
    for (old_id,) in old:
        manual = conn.execute(
            "SELECT e.title, e.period_text, e.dates_set_by, e.dates_set_at,"
            " o.starts_on, o.ends_on FROM roadmap_events e"
            " JOIN event_occurrences o ON o.event_id = e.id"
            " WHERE e.roadmap_id = ? AND e.dates_set_at IS NOT NULL",
            (old_id,),
        ).fetchall()
        for row in manual:
            entry = kept.setdefault((row[0], row[1]), (row[2], row[3], []))
            entry[2].append((row[4], row[5]))
    cursor = conn.execute(
        "INSERT INTO roadmaps (title, source, starts_on, ends_on, imported_at, imported_by,"
        " municipality) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (title, source, *span, now, imported_by, municipality),
    )
    roadmap_id = cursor.lastrowid or 0
    for event in events:
        manual_entry = kept.get((event.title, event.period_text))
        cursor = conn.execute(
            "INSERT INTO roadmap_events (roadmap_id, row_no, number, section, title,"
            " period_text, kind, reason, responsible, roles, result, dates_set_by,"
            " dates_set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                roadmap_id,
                event.row_no,
                event.number,
                event.section,
                event.title,
                event.period_text,
                event.kind,
                event.reason,
                event.responsible,
                ",".join(event.roles),
                event.result,
                manual_entry[0] if manual_entry else None,
                manual_entry[1] if manual_entry else None,
            ),
        )
        spans = (
            manual_entry[2]
            if manual_entry
            else [(start.isoformat(), end.isoformat()) for start, end in event.occurrences]
        )
        conn.executemany(
            "INSERT OR IGNORE INTO event_occurrences (event_id, starts_on, ends_on)"
            " VALUES (?, ?, ?)",
            [(cursor.lastrowid, start, end) for start, end in spans],
        )
    old_ids = [old_id for (old_id,) in old]
    if old_ids:
        # what people confirmed about the old actions stays with the same actions
        carry_over(conn, _same_actions(conn, old_ids, roadmap_id))
        conn.executemany("DELETE FROM roadmaps WHERE id = ?", [(i,) for i in old_ids])
    return roadmap_id


def _same_actions(conn: sqlite3.Connection, old_ids: list[int], new_id: int) -> dict[int, int]:
    """Old action id → new action id for the actions of a roadmap imported again: the same
    title and period as written, else the same title when only one action has it."""

    def actions(where: str, params: list[int]) -> list[tuple[int, str, str]]:
        rows = conn.execute(
            f"SELECT id, title, period_text FROM roadmap_events WHERE {where}", params
        ).fetchall()
        return [(row[0], " ".join(row[1].split()), " ".join(row[2].split())) for row in rows]

    old = actions(f"roadmap_id IN ({','.join('?' * len(old_ids))})", old_ids)
    new = actions("roadmap_id = ?", [new_id])
    exact = {(title, period): event_id for event_id, title, period in new}
    titles = Counter(title for _, title, _ in new)
    old_titles = Counter(title for _, title, _ in old)
    by_title = {title: event_id for event_id, title, _ in new if titles[title] == 1}
    moves = {}
    for event_id, title, period in old:
        target = exact.get((title, period))
        if target is None and old_titles[title] == 1:
            target = by_title.get(title)
        if target is not None:
            moves[event_id] = target
    return moves
