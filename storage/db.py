"""One aiosqlite connection, its pragmas, migrations and transactions.

The bot keeps a single connection: aiosqlite runs it on one thread, and SQLite
allows one writer anyway. Because concurrent handlers share that connection,
writers are serialised with an asyncio lock, so two updates never mix their
statements in one transaction.

Every call to aiosqlite's thread is a trip: a hand-off to the thread and a wake-up of
the event loop on the way back, which costs more than a small query itself. So the
calls most handlers make (:meth:`Database.read`, :meth:`Database.fetch_one`,
:meth:`Database.fetch_all`, :meth:`Database.write`, :meth:`Database.execute`) are
batched: reads queued by concurrent updates in the same turn of the event loop share
one trip, and writes queued while the writers' lock is busy are committed together
(group commit), each in a savepoint of its own, so one failing write rolls back alone
and raises to its own caller. Every caller still gets its result only once its write
is committed.
"""

from __future__ import annotations

import asyncio
import sqlite3
from asyncio import Future
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.clock import Clock, system_clock, to_db

BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]
Queued = list[tuple[Work, "Future[Any]"]]
Outcome = tuple[bool, Any]  # (True, result) or (False, the exception raised)


def migration_scripts() -> list[tuple[int, str]]:
    """The numbered ``NNNN_name.sql`` files, in order."""
    folder = resources.files("storage") / "migrations"
    scripts = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    scripts.sort()
    numbers = [number for number, _ in scripts]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, found {numbers}")
    return scripts


def latest_version() -> int:
    return len(migration_scripts())


class Database:
    def __init__(self, conn: aiosqlite.Connection, clock: Clock = system_clock) -> None:
        self.conn = conn
        self.clock = clock
        self._write_lock = asyncio.Lock()
        self._reads: Queued = []
        self._writes: Queued = []
        self._writer: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: str | Path, clock: Clock = system_clock) -> Database:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        return cls(conn, clock)

    async def close(self) -> None:
        if self._writer is not None:
            await asyncio.wait([self._writer])  # the writes already queued are committed
        await self.conn.close()

    def now(self) -> str:
        return to_db(self.clock())

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[int]:
        """Apply the migrations this database has not seen; return their numbers."""
        applied = []
        current = await self.schema_version()
        for number, script in migration_scripts():
            if number <= current:
                continue
            async with self._write_lock:
                # executescript commits first, so the whole script runs in our own
                # transaction and user_version moves only if every statement worked.
                try:
                    await self.conn.executescript(
                        f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                    )
                except sqlite3.Error:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise
            applied.append(number)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for writes that are each one statement (atomic on their own),
        without the two extra trips of BEGIN and COMMIT."""
        async with self._write_lock:
            yield self.conn

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one writing statement; return lastrowid. It is committed (with the other
        writes queued meanwhile) before this returns."""
        values = tuple(params)
        return await self.write(lambda conn: conn.execute(sql, values).lastrowid or 0)

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on the plain sqlite3 connection in aiosqlite's thread: several
        queries for the price of one trip, shared with the reads other updates queue in
        the same turn of the event loop.

        aiosqlite has no public call for this; its own methods go through ``_execute``
        the same way.
        """
        future: Future[T] = asyncio.get_running_loop().create_future()
        self._reads.append((work, future))
        if len(self._reads) == 1:
            asyncio.get_running_loop().call_soon(self._send_reads)
        return await future

    def _send_reads(self) -> None:
        batch, self._reads = self._reads, []
        self._trip(_run_each, batch).add_done_callback(lambda trip: _deliver(batch, trip))

    def _trip(self, run: Callable[[sqlite3.Connection, Queued], T], batch: Queued) -> Future[T]:
        """``run(connection, batch)`` in aiosqlite's thread, as one trip."""
        return asyncio.ensure_future(self.conn._execute(lambda: run(self.conn._conn, batch)))

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a transaction in aiosqlite's thread (rolled back if it raises),
        holding the writers' lock, so nobody else's statements mix in; return its result
        once committed.

        Writes queued while the lock is busy are committed together in one trip, each
        in a savepoint of its own.
        """
        future: Future[T] = asyncio.get_running_loop().create_future()
        self._writes.append((work, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._flush_writes())
            self._writer.add_done_callback(self._flusher_done)
        return await future

    async def _flush_writes(self) -> None:
        while self._writes:
            async with self._write_lock:
                # a caller cancelled while waiting has given up: its write is not run
                batch = [item for item in self._writes if not item[1].done()]
                self._writes = []
                if not batch:
                    continue
                trip = self._trip(_commit_each, batch)
                trip.add_done_callback(lambda done, batch=batch: _deliver(batch, done))
                # asyncio.wait leaves the trip alone should this task be cancelled: it
                # ends in the thread (aiosqlite cannot stop it) and its callers hear how
                await asyncio.wait([trip])

    def _flusher_done(self, flusher: asyncio.Task[None]) -> None:
        """The flusher stops with writes still queued only if it was cancelled (the event
        loop is being torn down): writes that never ran are refused to their callers."""
        if flusher is self._writer:  # no newer flusher has taken them over
            for _work, future in self._writes:
                future.cancel()
            self._writes = []

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        values = tuple(params)
        return await self.read(lambda conn: conn.execute(sql, values).fetchone())

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        values = tuple(params)
        return await self.read(lambda conn: conn.execute(sql, values).fetchall())


def _run_each(conn: sqlite3.Connection, batch: Queued) -> list[Outcome]:
    """In aiosqlite's thread: every queued read, each result or error kept for its caller."""
    return [_run(work, conn) for work, _future in batch]


def _run(work: Work, conn: sqlite3.Connection) -> Outcome:
    try:
        return True, work(conn)
    except StopIteration as error:  # a future cannot carry it: asyncio refuses
        return False, RuntimeError(f"StopIteration in a database call: {error!r}")
    except BaseException as error:
        return False, error


def _commit_each(conn: sqlite3.Connection, batch: Queued) -> list[Outcome]:
    """In aiosqlite's thread: the queued writes in one transaction, each in a savepoint
    (a failing one is rolled back alone and its error kept for its caller).

    Should a failure end the whole transaction (SQLite does so on a full disk or an I/O
    error), what the others wrote is gone with it: then each write runs again in a
    transaction of its own.
    """
    results: list[Outcome] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for work, _future in batch:
            conn.execute("SAVEPOINT queued")
            ok, value = _run(work, conn)
            if not ok:
                if not conn.in_transaction:
                    return [_commit_alone(work, conn) for work, _future in batch]
                conn.execute("ROLLBACK TO queued")
            conn.execute("RELEASE queued")
            results.append((ok, value))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return results


def _commit_alone(work: Work, conn: sqlite3.Connection) -> Outcome:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        return False, error
    ok, value = _run(work, conn)
    try:
        conn.execute("COMMIT" if ok else "ROLLBACK")
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return False, error if ok else value
    return ok, value


def _deliver(batch: Queued, trip: Future[list[Outcome]]) -> None:
    """Hand every caller of a batch its own result or error (the trip's error if the
    whole trip failed: then nothing of it was committed)."""
    if trip.cancelled():
        outcome: list[Outcome] | BaseException = asyncio.CancelledError()
    else:
        outcome = trip.exception() or trip.result()
    for index, (_work, future) in enumerate(batch):
        if future.done():  # its caller was cancelled meanwhile
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        elif outcome[index][0]:
            future.set_result(outcome[index][1])
        else:
            future.set_exception(outcome[index][1])


async def first(conn: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> Any:
    """The first row of a query (or None), in one trip to aiosqlite's thread."""
    rows = await conn.execute_fetchall(sql, tuple(params))
    return next(iter(rows), None)


def backup(source: str | Path, target: str | Path) -> None:
    """Consistent copy through SQLite's online backup, safe while the bot writes."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst, pages=256)
        finally:
            dst.close()
    finally:
        src.close()
