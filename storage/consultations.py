"""Consultations: curators' published time, the consultations booked in it, and what
happened to each.

The booking rules are held here, in the transaction that books, not by the screens that
offered the time: :meth:`ConsultationRepo.book` and :meth:`~ConsultationRepo.move` read
the curator's time and consultations and apply :func:`bot.consultations.offer.check_offer`
(no time in the past, inside the notice, outside the curator's time, or too close to
another consultation) in the same write that inserts or updates the row, and a unique
index over the live consultations (``consultations_one_per_slot``) refuses a second
booking of a start whatever the code did. The messages a change brings (the
confirmation with its .ics, the other side's notice) are queued in the outbox in that
same write: a change and its messages are kept or lost together.

A booking request carries its own key (``uid``, also the .ics UID): the same request
made again (an update Telegram delivers twice after a crash) finds the consultation it
made instead of booking again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.clock import from_db, to_db
from bot.consultations.intervals import Interval
from bot.consultations.offer import Block, Offer, check_offer, nearest_offers
from bot.consultations.publishing import publication_rules, uncovered
from bot.consultations.slots import BookingProblem, BookingRules, Refusal, refusal_for
from storage.db import Database
from storage.outbox import OutboxMessage, OutboxRepo, queue_messages


class Status(StrEnum):
    PROPOSED = "proposed"  # booked by the curator, waiting for the school's answer
    BOOKED = "booked"
    CANCELLED = "cancelled"
    DECLINED = "declined"  # a proposal the school declined
    HELD = "held"
    MISSED = "missed"


UPCOMING = (Status.PROPOSED, Status.BOOKED)  # may still be moved, cancelled, reminded of
LIVE = (*UPCOMING, Status.HELD, Status.MISSED)  # take their time (the unique index)
MARKED = (Status.HELD, Status.MISSED)
# a refusal's nearest free times are looked for this far around the wanted one
_AROUND = timedelta(days=15)


@dataclass(frozen=True, slots=True)
class Publication:
    """Time a curator published, with the settings of its consultations."""

    id: int
    host_id: int
    text: str
    first_day: date
    last_day: date
    length_min: int
    buffer_min: int
    notice_min: int
    format: str
    place: str
    created_at: datetime
    withdrawn_at: datetime | None

    @property
    def rules(self) -> BookingRules:
        return publication_rules(self.length_min, self.buffer_min, self.notice_min)


@dataclass(frozen=True, slots=True)
class Consultation:
    id: int
    uid: str
    host_id: int
    school_id: int
    availability_id: int | None
    starts_at: datetime
    ends_at: datetime
    format: str
    place: str
    notice_min: int
    topic: str
    indicator: str | None
    status: Status
    booked_by: int | None
    created_at: datetime
    scheduled_at: datetime
    sequence: int
    reason: str | None
    outcome: str | None
    updated_at: datetime

    @property
    def upcoming(self) -> bool:
        return self.status in UPCOMING

    @property
    def interval(self) -> Interval:
        return Interval(self.starts_at, self.ends_at)

    def school_may_change(self, now: datetime) -> bool:
        """The school may still cancel or move it: upcoming, and not inside the notice."""
        return self.upcoming and now + timedelta(minutes=self.notice_min) <= self.starts_at


@dataclass(frozen=True, slots=True)
class Change:
    action: str
    changed_by: int | None
    changed_at: datetime
    old_starts_at: datetime | None
    new_starts_at: datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """A booking as asked: ``uid`` is the request's own key (and the .ics UID);
    ``host_action``: the curator books their own time (no notice applies)."""

    uid: str
    host_id: int
    school_id: int
    availability_id: int
    start: datetime
    topic: str
    indicator: str | None
    booked_by: int
    status: Status = Status.BOOKED
    host_action: bool = False


@dataclass(frozen=True, slots=True)
class Done:
    """A change made (``new``), or found made already by the same request (not ``new``)."""

    consultation: Consultation
    new: bool = True


@dataclass(frozen=True, slots=True)
class Refused:
    """The time cannot be had: why, and the nearest free times of the same curator."""

    refusal: Refusal
    alternatives: tuple[Offer, ...]


class Gone(Exception):
    """The consultation is not there, or no longer in a state this change applies to."""


# the messages a change brings, made from the consultation as it is after the change;
# called inside the write, so it must only build messages (no I/O)
Notices = Callable[[Consultation], Sequence[OutboxMessage]]


def _date(text: str) -> date:
    return date.fromisoformat(text)


def _publication(row: sqlite3.Row) -> Publication:
    return Publication(
        id=row["id"],
        host_id=row["host_id"],
        text=row["text"],
        first_day=_date(row["first_day"]),
        last_day=_date(row["last_day"]),
        length_min=row["length_min"],
        buffer_min=row["buffer_min"],
        notice_min=row["notice_min"],
        format=row["format"],
        place=row["place"],
        created_at=from_db(row["created_at"]),
        withdrawn_at=from_db(row["withdrawn_at"]) if row["withdrawn_at"] else None,
    )


def _consultation(row: sqlite3.Row) -> Consultation:
    return Consultation(
        id=row["id"],
        uid=row["uid"],
        host_id=row["host_id"],
        school_id=row["school_id"],
        availability_id=row["availability_id"],
        starts_at=from_db(row["starts_at"]),
        ends_at=from_db(row["ends_at"]),
        format=row["format"],
        place=row["place"],
        notice_min=row["notice_min"],
        topic=row["topic"],
        indicator=row["indicator"],
        status=Status(row["status"]),
        booked_by=row["booked_by"],
        created_at=from_db(row["created_at"]),
        scheduled_at=from_db(row["scheduled_at"]),
        sequence=row["sequence"],
        reason=row["reason"],
        outcome=row["outcome"],
        updated_at=from_db(row["updated_at"]),
    )


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


class ConsultationRepo:
    def __init__(self, db: Database, outbox: OutboxRepo) -> None:
        self.db = db
        self.outbox = outbox

    # ------------------------------------------------------------------ publications

    async def publish(
        self,
        host_id: int,
        text: str,
        first_day: date,
        last_day: date,
        intervals: Sequence[Interval],
        *,
        length_min: int,
        buffer_min: int,
        notice_min: int,
        fmt: str,
        place: str,
    ) -> tuple[Publication, list[Interval]] | None:
        """Save a publication with the part of ``intervals`` the curator has not published
        before (read in the same write); return it with the intervals kept, or None when
        all of it was published already (nothing saved)."""

        now = self.db.now()

        def write(conn: sqlite3.Connection) -> tuple[Publication, list[Interval]] | None:
            if not intervals:
                return None
            low, high = to_db(intervals[0].start), to_db(intervals[-1].end)
            covered = [
                Interval(from_db(row[0]), from_db(row[1]))
                for row in conn.execute(
                    "SELECT i.starts_at, i.ends_at FROM availability_intervals i"
                    " JOIN availability a ON a.id = i.availability_id"
                    " WHERE a.host_id = ? AND a.withdrawn_at IS NULL"
                    " AND i.ends_at > ? AND i.starts_at < ?",
                    (host_id, low, high),
                )
            ]
            kept = uncovered(intervals, covered)
            if not kept:
                return None
            publication_id = conn.execute(
                "INSERT INTO availability (host_id, text, first_day, last_day, length_min,"
                " buffer_min, notice_min, format, place, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    host_id,
                    text,
                    first_day.isoformat(),
                    last_day.isoformat(),
                    length_min,
                    buffer_min,
                    notice_min,
                    fmt,
                    place,
                    now,
                ),
            ).lastrowid
            conn.executemany(
                "INSERT INTO availability_intervals (availability_id, starts_at, ends_at)"
                " VALUES (?, ?, ?)",
                [(publication_id, to_db(i.start), to_db(i.end)) for i in kept],
            )
            row = conn.execute(
                "SELECT * FROM availability WHERE id = ?", (publication_id,)
            ).fetchone()
            return _publication(row), kept

        return await self.db.write(write)

    async def publication(self, publication_id: int) -> Publication | None:
        row = await self.db.fetch_one("SELECT * FROM availability WHERE id = ?", (publication_id,))
        return _publication(row) if row else None

    async def publications(self, host_id: int, *, since: datetime) -> list[Publication]:
        """The host's publications not withdrawn that still have time after ``since``."""
        rows = await self.db.fetch_all(
            "SELECT * FROM availability a WHERE host_id = ? AND withdrawn_at IS NULL"
            " AND EXISTS (SELECT 1 FROM availability_intervals i WHERE i.availability_id = a.id"
            " AND i.ends_at > ?) ORDER BY first_day, id",
            (host_id, to_db(since)),
        )
        return [_publication(row) for row in rows]

    async def latest_publication(self, host_id: int) -> Publication | None:
        """The host's latest publication (its settings are the next one's defaults)."""
        row = await self.db.fetch_one(
            "SELECT * FROM availability WHERE host_id = ? ORDER BY id DESC LIMIT 1", (host_id,)
        )
        return _publication(row) if row else None

    async def intervals(self, publication_id: int, *, since: datetime) -> list[Interval]:
        rows = await self.db.fetch_all(
            "SELECT starts_at, ends_at FROM availability_intervals WHERE availability_id = ?"
            " AND ends_at > ? ORDER BY starts_at",
            (publication_id, to_db(since)),
        )
        return [Interval(from_db(row[0]), from_db(row[1])) for row in rows]

    async def withdraw(self, publication_id: int, host_id: int) -> list[Consultation] | None:
        """Withdraw a publication (its time is no longer offered); return the upcoming
        consultations booked in it, which stay. None if it is not the host's or withdrawn."""
        now = self.db.now()

        def write(conn: sqlite3.Connection) -> list[Consultation] | None:
            changed = conn.execute(
                "UPDATE availability SET withdrawn_at = ? WHERE id = ? AND host_id = ?"
                " AND withdrawn_at IS NULL",
                (now, publication_id, host_id),
            ).rowcount
            if not changed:
                return None
            rows = conn.execute(
                f"SELECT * FROM consultations WHERE availability_id = ?"
                f" AND status IN ({_marks(UPCOMING)}) ORDER BY starts_at",
                (publication_id, *UPCOMING),
            ).fetchall()
            return [_consultation(row) for row in rows]

        return await self.db.write(write)

    async def blocks(self, host_id: int, start: datetime, end: datetime) -> list[Block]:
        """The host's time in ``[start, end)`` by publication, for the slot search."""
        return await self.db.read(lambda conn: _blocks(conn, host_id, start, end))

    async def busy(
        self, host_id: int, start: datetime, end: datetime, *, without: int | None = None
    ) -> list[Interval]:
        """The host's live consultations overlapping ``[start, end)`` (``without``: one
        being moved)."""
        return await self.db.read(lambda conn: _busy(conn, host_id, start, end, without))

    async def hosts_offering(self, since: datetime) -> set[int]:
        """Hosts with published time after ``since``."""
        rows = await self.db.fetch_all(
            "SELECT DISTINCT a.host_id FROM availability a JOIN availability_intervals i"
            " ON i.availability_id = a.id WHERE a.withdrawn_at IS NULL AND i.ends_at > ?",
            (to_db(since),),
        )
        return {row[0] for row in rows}

    # ------------------------------------------------------------------ booking

    async def book(
        self, request: BookingRequest, now: datetime, notices: Notices
    ) -> Done | Refused:
        """Book ``request`` if the rules allow it at ``now``, queuing ``notices`` with it."""
        result = await self.db.write(lambda conn: _book(conn, request, now, notices))
        if isinstance(result, Done) and result.new:
            self.outbox.wake()
        return result

    async def move(
        self,
        consultation_id: int,
        availability_id: int,
        start: datetime,
        *,
        by: int,
        reason: str,
        now: datetime,
        host_action: bool,
        notices: Notices,
    ) -> Done | Refused:
        """Give an upcoming consultation another time (the same rules as booking, its own
        old time left out); raises :class:`Gone` if it is no longer upcoming."""
        result = await self.db.write(
            lambda conn: _move(
                conn, consultation_id, availability_id, start, by, reason, now, host_action, notices
            )
        )
        if isinstance(result, Done):
            self.outbox.wake()
        return result

    async def cancel(
        self,
        consultation_id: int,
        *,
        by: int,
        reason: str | None,
        status: Status,
        now: datetime,
        notices: Notices,
        only: Sequence[Status] = UPCOMING,
    ) -> Consultation:
        """Cancel (``CANCELLED``) or decline (``DECLINED``) a consultation in one of the
        states ``only``; raises :class:`Gone` otherwise."""
        action = "declined" if status is Status.DECLINED else "cancelled"
        result = await self.db.write(
            lambda conn: _change_status(
                conn, consultation_id, only, status, action, by, reason, now, notices
            )
        )
        self.outbox.wake()
        return result

    async def accept(
        self, consultation_id: int, *, by: int, now: datetime, notices: Notices
    ) -> Consultation:
        """The school accepts a consultation the curator booked for it."""
        result = await self.db.write(
            lambda conn: _change_status(
                conn,
                consultation_id,
                (Status.PROPOSED,),
                Status.BOOKED,
                "accepted",
                by,
                None,
                now,
                notices,
            )
        )
        self.outbox.wake()
        return result

    async def mark(
        self, consultation_id: int, status: Status, *, by: int, now: datetime
    ) -> Consultation:
        """Held or missed: for a consultation that has started (a mark may be changed)."""
        if status not in MARKED:
            raise ValueError(f"a consultation is marked held or missed, not {status}")

        def write(conn: sqlite3.Connection) -> Consultation:
            row = conn.execute(
                "SELECT * FROM consultations WHERE id = ?", (consultation_id,)
            ).fetchone()
            if row is None or row["status"] not in (*UPCOMING, *MARKED):
                raise Gone(consultation_id)
            if from_db(row["starts_at"]) > now:
                raise Gone(consultation_id)
            return _change_status(
                conn,
                consultation_id,
                (*UPCOMING, *MARKED),
                status,
                status.value,
                by,
                None,
                now,
                lambda _: (),
            )

        return await self.db.write(write)

    async def set_outcome(self, consultation_id: int, outcome: str, *, by: int) -> Consultation:
        """The host's note on a marked consultation."""
        now = self.db.now()

        def write(conn: sqlite3.Connection) -> Consultation:
            row = conn.execute(
                f"UPDATE consultations SET outcome = ?, updated_at = ?, updated_by = ?"
                f" WHERE id = ? AND status IN ({_marks(MARKED)}) RETURNING *",
                (outcome, now, by, consultation_id, *MARKED),
            ).fetchone()
            if row is None:
                raise Gone(consultation_id)
            _log(conn, consultation_id, "outcome", by, now, reason=outcome)
            return _consultation(row)

        return await self.db.write(write)

    # ------------------------------------------------------------------ reading

    async def get(self, consultation_id: int) -> Consultation | None:
        row = await self.db.fetch_one(
            "SELECT * FROM consultations WHERE id = ?", (consultation_id,)
        )
        return _consultation(row) if row else None

    async def by_uid(self, uid: str) -> Consultation | None:
        row = await self.db.fetch_one("SELECT * FROM consultations WHERE uid = ?", (uid,))
        return _consultation(row) if row else None

    async def between(
        self,
        start: datetime,
        end: datetime,
        *,
        host_id: int | None = None,
        school_ids: Sequence[int] | None = None,
        statuses: Sequence[Status] = LIVE,
    ) -> list[Consultation]:
        """Consultations starting in ``[start, end)``, in time order: a host's, some
        schools', or all of them."""
        sql = (
            f"SELECT * FROM consultations WHERE starts_at >= ? AND starts_at < ?"
            f" AND status IN ({_marks(statuses)})"
        )
        params: list[object] = [to_db(start), to_db(end), *statuses]
        if host_id is not None and school_ids is not None:
            sql += f" AND (host_id = ? OR school_id IN ({_marks(school_ids) or 'NULL'}))"
            params += [host_id, *school_ids]
        elif host_id is not None:
            sql += " AND host_id = ?"
            params.append(host_id)
        elif school_ids is not None:
            sql += f" AND school_id IN ({_marks(school_ids) or 'NULL'})"
            params += list(school_ids)
        rows = await self.db.fetch_all(sql + " ORDER BY starts_at, id", params)
        return [_consultation(row) for row in rows]

    async def unmarked(self, host_id: int, before: datetime) -> list[Consultation]:
        """The host's consultations that have started by ``before`` and are not marked."""
        rows = await self.db.fetch_all(
            f"SELECT * FROM consultations WHERE host_id = ? AND starts_at <= ?"
            f" AND status IN ({_marks(UPCOMING)}) ORDER BY starts_at",
            (host_id, to_db(before), *UPCOMING),
        )
        return [_consultation(row) for row in rows]

    async def history(self, school_id: int, before: datetime, limit: int = 5) -> list[Consultation]:
        """The school's latest consultations that started before ``before``, latest first."""
        rows = await self.db.fetch_all(
            "SELECT * FROM consultations WHERE school_id = ? AND starts_at < ?"
            " AND status IN ('held', 'missed', 'booked', 'proposed')"
            " ORDER BY starts_at DESC LIMIT ?",
            (school_id, to_db(before), limit),
        )
        return [_consultation(row) for row in rows]

    async def changes(self, consultation_id: int) -> list[Change]:
        rows = await self.db.fetch_all(
            "SELECT * FROM consultation_changes WHERE consultation_id = ? ORDER BY id",
            (consultation_id,),
        )
        return [
            Change(
                row["action"],
                row["changed_by"],
                from_db(row["changed_at"]),
                from_db(row["old_starts_at"]) if row["old_starts_at"] else None,
                from_db(row["new_starts_at"]) if row["new_starts_at"] else None,
                row["reason"],
            )
            for row in rows
        ]

    async def all_between(self, start: datetime, end: datetime) -> list[Consultation]:
        """Every consultation starting in ``[start, end)`` whatever its state (reports)."""
        rows = await self.db.fetch_all(
            "SELECT * FROM consultations WHERE starts_at >= ? AND starts_at < ?"
            " ORDER BY starts_at, id",
            (to_db(start), to_db(end)),
        )
        return [_consultation(row) for row in rows]

    async def count(self) -> int:
        row = await self.db.fetch_one("SELECT count(*) FROM consultations")
        return int(row[0]) if row else 0

    async def covered(self, host_id: int, start: datetime, end: datetime) -> list[Interval]:
        """The host's published time (not withdrawn) overlapping ``[start, end)``."""
        rows = await self.db.fetch_all(
            "SELECT i.starts_at, i.ends_at FROM availability_intervals i"
            " JOIN availability a ON a.id = i.availability_id"
            " WHERE a.host_id = ? AND a.withdrawn_at IS NULL AND i.ends_at > ? AND i.starts_at < ?"
            " ORDER BY i.starts_at",
            (host_id, to_db(start), to_db(end)),
        )
        return [Interval(from_db(row[0]), from_db(row[1])) for row in rows]

    async def booked_in(self, publication_id: int, since: datetime) -> int:
        """Upcoming consultations booked in a publication."""
        row = await self.db.fetch_one(
            f"SELECT count(*) FROM consultations WHERE availability_id = ? AND starts_at >= ?"
            f" AND status IN ({_marks(UPCOMING)})",
            (publication_id, to_db(since), *UPCOMING),
        )
        return int(row[0]) if row else 0

    async def curators_of(self, school_id: int) -> set[int]:
        """The people who curate the school (its own curators come first in a choice)."""
        rows = await self.db.fetch_all(
            "SELECT person_id FROM role_grants WHERE role = 'curator' AND school_id = ?",
            (school_id,),
        )
        return {row[0] for row in rows}

    async def last_time(self, host_id: int) -> datetime | None:
        """When the host's published time ends (the last month a booking may reach)."""
        row = await self.db.fetch_one(
            "SELECT max(i.ends_at) FROM availability_intervals i JOIN availability a"
            " ON a.id = i.availability_id WHERE a.host_id = ? AND a.withdrawn_at IS NULL",
            (host_id,),
        )
        return from_db(row[0]) if row and row[0] else None


# --- in aiosqlite's thread, inside a read or a write (see storage.db) ---------------------


def _blocks(conn: sqlite3.Connection, host_id: int, start: datetime, end: datetime) -> list[Block]:
    rows = conn.execute(
        "SELECT a.id, a.length_min, a.buffer_min, a.notice_min, i.starts_at, i.ends_at"
        " FROM availability a JOIN availability_intervals i ON i.availability_id = a.id"
        " WHERE a.host_id = ? AND a.withdrawn_at IS NULL AND i.ends_at > ? AND i.starts_at < ?"
        " ORDER BY a.id, i.starts_at",
        (host_id, to_db(start), to_db(end)),
    ).fetchall()
    found: dict[int, tuple[BookingRules, list[Interval]]] = {}
    for row in rows:
        if row[0] not in found:
            rules = publication_rules(row[1], row[2], row[3])
            found[row[0]] = (rules, [])
        found[row[0]][1].append(Interval(from_db(row[4]), from_db(row[5])))
    return [Block(block_id, rules, tuple(pieces)) for block_id, (rules, pieces) in found.items()]


def _busy(
    conn: sqlite3.Connection, host_id: int, start: datetime, end: datetime, without: int | None
) -> list[Interval]:
    rows = conn.execute(
        f"SELECT starts_at, ends_at FROM consultations WHERE host_id = ?"
        f" AND status IN ({_marks(LIVE)}) AND ends_at > ? AND starts_at < ? AND id IS NOT ?"
        f" ORDER BY starts_at",
        (host_id, *LIVE, to_db(start), to_db(end), without),
    ).fetchall()
    return [Interval(from_db(row[0]), from_db(row[1])) for row in rows]


def _log(
    conn: sqlite3.Connection,
    consultation_id: int,
    action: str,
    by: int | None,
    now: str,
    *,
    old: str | None = None,
    new: str | None = None,
    reason: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO consultation_changes (consultation_id, action, changed_by, changed_at,"
        " old_starts_at, new_starts_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (consultation_id, action, by, now, old, new, reason),
    )


def _refused(
    conn: sqlite3.Connection,
    refusal: Refusal,
    host_id: int,
    wanted: datetime,
    now: datetime,
    host_action: bool,
    without: int | None = None,
) -> Refused:
    """A refusal with the host's nearest free times around the wanted one."""
    start, end = wanted - _AROUND, wanted + _AROUND
    blocks = _blocks(conn, host_id, start, end)
    busy = _busy(conn, host_id, start - timedelta(days=1), end + timedelta(days=1), without)
    nearest = nearest_offers(wanted, blocks, busy, now=now, host=host_action)
    return Refused(refusal, tuple(nearest))


def _check(
    conn: sqlite3.Connection,
    host_id: int,
    availability_id: int,
    start: datetime,
    now: datetime,
    host_action: bool,
    without: int | None,
) -> tuple[sqlite3.Row | None, Refusal | None]:
    """The publication and the rule's verdict on a consultation starting at ``start``."""
    publication = conn.execute(
        "SELECT * FROM availability WHERE id = ? AND host_id = ? AND withdrawn_at IS NULL",
        (availability_id, host_id),
    ).fetchone()
    if publication is None:
        return None, refusal_for(BookingProblem.OUTSIDE_AVAILABILITY)
    rules = _publication(publication).rules
    stop = start + rules.length
    pieces = tuple(
        Interval(from_db(row[0]), from_db(row[1]))
        for row in conn.execute(
            "SELECT starts_at, ends_at FROM availability_intervals WHERE availability_id = ?"
            " AND starts_at < ? AND ends_at > ?",
            (availability_id, to_db(stop), to_db(start)),
        )
    )
    block = Block(availability_id, rules, pieces)
    busy = _busy(conn, host_id, start - rules.buffer, stop + rules.buffer, without)
    return publication, check_offer(start, block, busy, now=now, host=host_action)


def _taken() -> Refusal:
    return refusal_for(BookingProblem.OVERLAP)


def _book(
    conn: sqlite3.Connection, request: BookingRequest, now: datetime, notices: Notices
) -> Done | Refused:
    existing = conn.execute("SELECT * FROM consultations WHERE uid = ?", (request.uid,)).fetchone()
    if existing is not None:
        return Done(_consultation(existing), new=False)
    publication, refusal = _check(
        conn,
        request.host_id,
        request.availability_id,
        request.start,
        now,
        request.host_action,
        None,
    )
    if refusal is not None or publication is None:
        assert refusal is not None
        return _refused(conn, refusal, request.host_id, request.start, now, request.host_action)
    stamp = to_db(now)
    start = to_db(request.start)
    end = to_db(request.start + timedelta(minutes=publication["length_min"]))
    try:
        row = conn.execute(
            "INSERT INTO consultations (uid, host_id, school_id, availability_id, starts_at,"
            " ends_at, format, place, notice_min, topic, indicator, status, booked_by,"
            " created_at, scheduled_at, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                request.uid,
                request.host_id,
                request.school_id,
                request.availability_id,
                start,
                end,
                publication["format"],
                publication["place"],
                publication["notice_min"],
                request.topic,
                request.indicator,
                request.status,
                request.booked_by,
                stamp,
                stamp,
                stamp,
                request.booked_by,
            ),
        ).fetchone()
    except sqlite3.IntegrityError:  # the unique index: the start is taken after all
        return _refused(conn, _taken(), request.host_id, request.start, now, request.host_action)
    consultation = _consultation(row)
    _log(conn, consultation.id, request.status.value, request.booked_by, stamp, new=start)
    queue_messages(conn, notices(consultation), now)
    return Done(consultation)


def _move(
    conn: sqlite3.Connection,
    consultation_id: int,
    availability_id: int,
    start: datetime,
    by: int,
    reason: str,
    now: datetime,
    host_action: bool,
    notices: Notices,
) -> Done | Refused:
    row = conn.execute("SELECT * FROM consultations WHERE id = ?", (consultation_id,)).fetchone()
    if row is None or row["status"] not in UPCOMING:
        raise Gone(consultation_id)
    old = _consultation(row)
    publication, refusal = _check(
        conn, old.host_id, availability_id, start, now, host_action, old.id
    )
    if refusal is not None or publication is None:
        assert refusal is not None
        return _refused(conn, refusal, old.host_id, start, now, host_action, old.id)
    stamp = to_db(now)
    try:
        updated = conn.execute(
            "UPDATE consultations SET availability_id = ?, starts_at = ?, ends_at = ?,"
            " format = ?, place = ?, notice_min = ?, sequence = sequence + 1,"
            " scheduled_at = ?, reason = ?, updated_at = ?, updated_by = ?"
            " WHERE id = ? RETURNING *",
            (
                availability_id,
                to_db(start),
                to_db(start + timedelta(minutes=publication["length_min"])),
                publication["format"],
                publication["place"],
                publication["notice_min"],
                stamp,
                reason,
                stamp,
                by,
                consultation_id,
            ),
        ).fetchone()
    except sqlite3.IntegrityError:
        return _refused(conn, _taken(), old.host_id, start, now, host_action, old.id)
    consultation = _consultation(updated)
    _log(
        conn,
        consultation_id,
        "moved",
        by,
        stamp,
        old=to_db(old.starts_at),
        new=to_db(start),
        reason=reason,
    )
    queue_messages(conn, notices(consultation), now)
    return Done(consultation)


def _change_status(
    conn: sqlite3.Connection,
    consultation_id: int,
    only: Sequence[Status],
    status: Status,
    action: str,
    by: int,
    reason: str | None,
    now: datetime,
    notices: Notices,
) -> Consultation:
    stamp = to_db(now)
    keep_reason = status in MARKED or status is Status.BOOKED
    row = conn.execute(
        f"UPDATE consultations SET status = ?, reason = CASE WHEN ? THEN reason ELSE ? END,"
        f" updated_at = ?, updated_by = ? WHERE id = ? AND status IN ({_marks(only)})"
        f" RETURNING *",
        (status, keep_reason, reason, stamp, by, consultation_id, *only),
    ).fetchone()
    if row is None:
        raise Gone(consultation_id)
    consultation = _consultation(row)
    _log(conn, consultation_id, action, by, stamp, reason=reason)
    queue_messages(conn, notices(consultation), now)
    return consultation
