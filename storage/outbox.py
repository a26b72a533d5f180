"""The outbox: messages the bot sends on its own initiative, one row per recipient.

Rows move ``pending`` → ``sending`` (claimed by the delivery worker) → ``sent``, or back to
``pending`` with a later ``next_attempt_at`` after a transient error, or end as ``failed``
or ``blocked``. Every attempt leaves a row in ``outbox_attempts``.

Only one delivery worker may claim rows: :meth:`OutboxRepo.requeue_in_flight` at its start
takes back every row left in ``sending``, which is how a crash is recovered (the messages
that were in flight at the crash may then be sent twice; nothing is lost).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import from_db, to_db
from storage.db import Database

STATES = ("pending", "sending", "sent", "failed", "blocked")
# how a row is sent besides sendMessage (None): a file with a caption, or an edit of the
# message another row delivered
METHODS = frozenset({"document", "photo", "edit_text", "edit_caption"})
ERROR_LENGTH = 300  # error texts are cut to this many characters
# the worker asks for one row per chat; it reads this many candidates per row wanted
_SCAN_FACTOR = 4


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A message to queue. ``dedup_key`` names it for good: queuing the same key again is a
    no-op, so a scheduler may enqueue the same reminder on every run ("reminder:<campaign>:
    <school>:<person>:<date>")."""

    dedup_key: str
    chat_id: int
    text: str
    kind: str
    person_id: int | None = None
    parse_mode: str | None = "HTML"
    # a keyboard as Telegram's JSON (a dict, its JSON text, or an aiogram markup object)
    reply_markup: Any = None
    not_before: datetime | None = None  # not sent before this moment (UTC); None: now
    # how it is sent (see METHODS): None is sendMessage; "document" and "photo" send
    # ``file_id`` with ``text`` as its caption; "edit_text" and "edit_caption" change the
    # message the row ``edit_of`` delivered
    method: str | None = None
    file_id: str | None = None
    edit_of: int | None = None
    batch: str | None = None  # the delivery it belongs to, followed by its sender


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    dedup_key: str
    person_id: int | None
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: str | None  # JSON text
    kind: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    telegram_message_id: int | None
    method: str | None = None
    file_id: str | None = None
    edit_of: int | None = None
    batch: str | None = None

    def markup(self) -> dict[str, Any] | None:
        return json.loads(self.reply_markup) if self.reply_markup else None


@dataclass(frozen=True, slots=True)
class Attempt:
    outbox_id: int
    attempted_at: datetime
    outcome: str
    error_code: int | None
    error: str | None


def _item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        dedup_key=row["dedup_key"],
        person_id=row["person_id"],
        chat_id=row["chat_id"],
        text=row["text"],
        parse_mode=row["parse_mode"],
        reply_markup=row["reply_markup"],
        kind=row["kind"],
        state=row["state"],
        attempts=row["attempts"],
        next_attempt_at=from_db(row["next_attempt_at"]),
        last_error=row["last_error"],
        created_at=from_db(row["created_at"]),
        sent_at=from_db(row["sent_at"]) if row["sent_at"] else None,
        telegram_message_id=row["telegram_message_id"],
        method=row["method"],
        file_id=row["file_id"],
        edit_of=row["edit_of"],
        batch=row["batch"],
    )


def _markup_json(markup: Any) -> str | None:
    if markup is None:
        return None
    if isinstance(markup, str):
        json.loads(markup)  # refuse broken JSON now rather than at sending time
        return markup
    if hasattr(markup, "model_dump"):  # an aiogram keyboard, without importing aiogram here
        markup = markup.model_dump(mode="json", exclude_none=True)
    if not isinstance(markup, Mapping):
        raise TypeError(f"reply_markup must be a keyboard, a dict or JSON, not {markup!r}")
    return json.dumps(markup, ensure_ascii=False, separators=(",", ":"))


def _method(method: str | None) -> str | None:
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown outbox method {method!r}")
    return method


def _not_before(moment: datetime) -> str:
    """Stored times have whole seconds: round up, so "not before" is never earlier."""
    if moment.microsecond:
        moment += timedelta(microseconds=1_000_000 - moment.microsecond)
    return to_db(moment)


def _short(error: str | None) -> str | None:
    return error[:ERROR_LENGTH] if error else error


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class OutboxRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._listeners: list[Callable[[], None]] = []

    def add_listener(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every enqueue that added rows (the worker's ``notify``)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    async def enqueue(self, items: Iterable[OutboxMessage]) -> int:
        """Queue messages in one transaction; return how many were new.

        ``ON CONFLICT (dedup_key) DO NOTHING`` rather than ``INSERT OR IGNORE``: the latter
        would also drop rows breaking NOT NULL or CHECK constraints without a word.
        """
        now = self.db.clock()
        created = to_db(now)
        rows = [
            (
                item.dedup_key,
                item.person_id,
                item.chat_id,
                item.text,
                item.parse_mode,
                _markup_json(item.reply_markup),
                item.kind,
                _not_before(max(now, item.not_before)) if item.not_before else created,
                created,
                _method(item.method),
                item.file_id,
                item.edit_of,
                item.batch,
            )
            for item in items
        ]
        if not rows:
            return 0
        added = await self.db.write(
            lambda conn: max(
                conn.executemany(
                    "INSERT INTO outbox (dedup_key, person_id, chat_id, text, parse_mode,"
                    " reply_markup, kind, next_attempt_at, created_at, method, file_id,"
                    " edit_of, batch)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (dedup_key) DO NOTHING",
                    rows,
                ).rowcount,
                0,
            )
        )
        if added:
            for listener in list(self._listeners):
                listener()
        return added

    async def claim(
        self,
        now: datetime,
        limit: int,
        *,
        skip_chats: Collection[int] = (),
        one_per_chat: bool = False,
    ) -> list[OutboxItem]:
        """Pending rows due at ``now``, oldest first, marked ``sending`` in one transaction.

        The worker passes the chats it already holds a row for as ``skip_chats`` and asks for
        ``one_per_chat``: then a chat's messages leave in the order they were queued, and a
        chat with a long backlog does not fill the batch while other chats wait.
        """
        if limit <= 0:
            return []
        due = to_db(now)
        scan = limit * _SCAN_FACTOR if one_per_chat else limit
        chosen, claimed = await self.db.write(
            lambda conn: _claim(conn, due, limit, set(skip_chats), one_per_chat, scan)
        )
        order = {item_id: index for index, item_id in enumerate(chosen)}
        return sorted((_item(row) for row in claimed), key=lambda item: order[item.id])

    async def _finish(
        self,
        item_id: int,
        assignments: str,
        params: tuple[Any, ...],
        outcome: str,
        error_code: int | None,
        error: str | None,
    ) -> sqlite3.Row | None:
        """Update one row and log the attempt, in one transaction."""
        now = self.db.now()

        def finish(conn: sqlite3.Connection) -> sqlite3.Row | None:
            row = conn.execute(
                f"UPDATE outbox SET {assignments} WHERE id = ? RETURNING chat_id, person_id",
                (*params, item_id),
            ).fetchone()
            conn.execute(
                "INSERT INTO outbox_attempts (outbox_id, attempted_at, outcome, error_code, error)"
                " VALUES (?, ?, ?, ?, ?)",
                (item_id, now, outcome, error_code, _short(error)),
            )
            if outcome == "blocked" and row is not None:
                conn.execute(
                    "UPDATE outbox SET state = 'blocked', last_error = ?"
                    " WHERE state = 'pending' AND (chat_id = ? OR person_id = ?)",
                    ("recipient blocked the bot", row["chat_id"], row["person_id"]),
                )
            return row

        return await self.db.write(finish)

    async def mark_sent(self, item_id: int, telegram_message_id: int | None) -> None:
        await self._finish(
            item_id,
            "state = 'sent', attempts = attempts + 1, sent_at = ?, telegram_message_id = ?,"
            " last_error = NULL",
            (self.db.now(), telegram_message_id),
            "sent",
            None,
            None,
        )

    async def mark_retry(
        self, item_id: int, next_at: datetime, error: str, error_code: int | None = None
    ) -> None:
        """A transient error: pending again from ``next_at``; the attempt counts."""
        await self._finish(
            item_id,
            "state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?",
            (_not_before(next_at), _short(error)),
            "retry",
            error_code,
            error,
        )

    async def mark_failed(self, item_id: int, error: str, error_code: int | None = None) -> None:
        await self._finish(
            item_id,
            "state = 'failed', attempts = attempts + 1, last_error = ?",
            (_short(error),),
            "failed",
            error_code,
            error,
        )

    async def mark_blocked(
        self, item_id: int, error: str, error_code: int | None = 403
    ) -> int | None:
        """The recipient blocked the bot: this row and their other pending rows are closed.

        Returns the row's person (to be marked inactive), or None."""
        row = await self._finish(
            item_id,
            "state = 'blocked', attempts = attempts + 1, last_error = ?",
            (_short(error),),
            "blocked",
            error_code,
            error,
        )
        return row["person_id"] if row is not None else None

    async def record_attempt(
        self,
        item_id: int,
        outcome: str,
        error_code: int | None = None,
        error: str | None = None,
    ) -> None:
        """Log an attempt that does not change the row (a 429: the row is simply tried again)."""
        await self.db.execute(
            "INSERT INTO outbox_attempts (outbox_id, attempted_at, outcome, error_code, error)"
            " VALUES (?, ?, ?, ?, ?)",
            (item_id, self.db.now(), outcome, error_code, _short(error)),
        )

    async def release(self, item_ids: Collection[int], error: str | None = None) -> int:
        """Claimed rows the worker gives back unsent (at shutdown): pending again, due now,
        no attempt counted. ``error`` (when given) is kept as the row's last error."""
        if not item_ids:
            return 0
        sql = (
            "UPDATE outbox SET state = 'pending', last_error = coalesce(?, last_error)"
            f" WHERE state = 'sending' AND id IN ({_marks(len(item_ids))})"
        )
        values = (error, *item_ids)
        return await self.db.write(lambda conn: conn.execute(sql, values).rowcount)

    async def hold(self, item_ids: Collection[int], until: datetime) -> int:
        """Claimed rows the worker may not send now (quiet hours): pending again, due at
        ``until``, no attempt counted."""
        if not item_ids:
            return 0
        sql = (
            "UPDATE outbox SET state = 'pending', next_attempt_at = ?"
            f" WHERE state = 'sending' AND id IN ({_marks(len(item_ids))})"
        )
        values = (_not_before(until), *item_ids)
        return await self.db.write(lambda conn: conn.execute(sql, values).rowcount)

    async def requeue_in_flight(self) -> int:
        """At start-up: rows a crashed worker left in ``sending`` become pending again."""
        return await self.db.write(
            lambda conn: (
                conn.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'").rowcount
            )
        )

    async def counts(self) -> dict[str, int]:
        """Rows in each state (every state present, 0 when none)."""
        rows = await self.db.fetch_all("SELECT state, count(*) FROM outbox GROUP BY state")
        counts = dict.fromkeys(STATES, 0)
        counts.update({row[0]: row[1] for row in rows})
        return counts

    async def get(self, item_id: int) -> OutboxItem | None:
        row = await self.db.fetch_one("SELECT * FROM outbox WHERE id = ?", (item_id,))
        return _item(row) if row else None

    async def by_key(self, dedup_key: str) -> OutboxItem | None:
        row = await self.db.fetch_one("SELECT * FROM outbox WHERE dedup_key = ?", (dedup_key,))
        return _item(row) if row else None

    async def attempts(self, item_id: int) -> list[Attempt]:
        rows = await self.db.fetch_all(
            "SELECT * FROM outbox_attempts WHERE outbox_id = ? ORDER BY id", (item_id,)
        )
        return [
            Attempt(
                outbox_id=row["outbox_id"],
                attempted_at=from_db(row["attempted_at"]),
                outcome=row["outcome"],
                error_code=row["error_code"],
                error=row["error"],
            )
            for row in rows
        ]

    async def last_sent(self, since: datetime) -> dict[int, datetime]:
        """When each chat last got a message, for chats served since ``since`` (a restarted
        worker keeps the per-chat pacing of the one before it)."""
        rows = await self.db.fetch_all(
            "SELECT chat_id, max(sent_at) FROM outbox WHERE state = 'sent' AND sent_at >= ?"
            " GROUP BY chat_id",
            (to_db(since),),
        )
        return {row[0]: from_db(row[1]) for row in rows}

    async def next_due(self) -> datetime | None:
        """When the earliest pending row is due (None when nothing is pending)."""
        row = await self.db.fetch_one(
            "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'"
        )
        return from_db(row[0]) if row and row[0] else None

    async def purge(self, before: datetime) -> int:
        """Forget finished rows (sent, failed, blocked) queued before ``before``, with their
        attempts. Their dedup keys may then be queued again, so keep rows longer than any
        scheduler could re-create them."""
        cutoff = to_db(before)
        return await self.db.write(
            lambda conn: (
                conn.execute(
                    "DELETE FROM outbox WHERE state IN ('sent', 'failed', 'blocked')"
                    " AND created_at < ?",
                    (cutoff,),
                ).rowcount
            )
        )


# --- in aiosqlite's thread, inside a write (see storage.db) -------------------------------


def _claim(
    conn: sqlite3.Connection, due: str, limit: int, skip: set[int], one_per_chat: bool, scan: int
) -> tuple[list[int], list[sqlite3.Row]]:
    """See :meth:`OutboxRepo.claim`: the ids chosen, in order, and their rows."""
    chosen: list[int] = []
    for _ in range(4):  # a few rounds when one busy chat fills the scanned rows
        rows = conn.execute(
            "SELECT id, chat_id FROM outbox WHERE state = 'pending'"
            " AND next_attempt_at <= ? AND chat_id NOT IN (SELECT value FROM json_each(?))"
            " ORDER BY next_attempt_at, id LIMIT ?",
            (due, json.dumps(sorted(skip)), scan),
        ).fetchall()
        for row in rows:
            if len(chosen) == limit:
                break
            if one_per_chat:
                if row["chat_id"] in skip:
                    continue
                skip.add(row["chat_id"])
            chosen.append(row["id"])
        if not one_per_chat or len(rows) < scan or len(chosen) == limit:
            break
    if not chosen:
        return [], []
    claimed = conn.execute(
        f"UPDATE outbox SET state = 'sending' WHERE id IN ({_marks(len(chosen))}) RETURNING *",
        chosen,
    ).fetchall()
    return chosen, claimed
