"""Calls to aiosqlite's thread, batched: reads share a trip, writes commit together.

Every call to aiosqlite's thread is a trip: a hand-off to the thread and a wake-up of the
event loop on the way back, which costs more than a small query itself. So reads queued
by concurrent updates in the same turn of the event loop share one trip, and writes
queued while the writers' lock is busy are committed together (group commit), each in a
savepoint of its own, so one failing write rolls back alone and raises to its own caller.
Every caller still gets its result only once its write is committed.

aiosqlite has no public call for running a function on its connection in its thread; its
own methods go through the private ``Connection._execute`` with the ``sqlite3.Connection``
it keeps as ``Connection._conn``, and so does this module. :func:`check_internals` says
loudly when an aiosqlite release changes them (``pyproject.toml`` pins the releases this
was tested with).
"""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
from asyncio import Future
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]
Queued = list[tuple[Work, "Future[Any]"]]
Outcome = tuple[bool, Any]  # (True, result) or (False, the exception raised)


class AiosqliteChanged(RuntimeError):
    """The aiosqlite internals this module relies on are not what it was written for."""


def check_internals(conn: aiosqlite.Connection) -> None:
    """Raise :class:`AiosqliteChanged`, naming what changed, unless ``conn`` (connected)
    has the private ``_execute`` coroutine and ``_conn`` sqlite3 connection we use."""
    version = getattr(aiosqlite, "__version__", "?")
    execute = getattr(type(conn), "_execute", None)
    if execute is None:
        raise AiosqliteChanged(
            f"aiosqlite {version}: Connection._execute is gone; storage/batching.py runs its"
            " calls through it"
        )
    if not inspect.iscoroutinefunction(execute):
        raise AiosqliteChanged(
            f"aiosqlite {version}: Connection._execute is no longer a coroutine function;"
            " storage/batching.py awaits it"
        )
    try:
        raw = conn._conn
    except (AttributeError, ValueError) as error:
        raise AiosqliteChanged(
            f"aiosqlite {version}: Connection._conn is not available after connecting"
            f" ({error!r}); storage/batching.py hands it to the batched calls"
        ) from error
    if not isinstance(raw, sqlite3.Connection):
        raise AiosqliteChanged(
            f"aiosqlite {version}: Connection._conn is a {type(raw).__name__}, not a"
            " sqlite3.Connection; storage/batching.py hands it to the batched calls"
        )


class Batcher:
    """Queues calls to one aiosqlite connection and sends them to its thread in batches."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._write_lock = asyncio.Lock()
        self._reads: Queued = []
        self._writes: Queued = []
        self._writer: asyncio.Task[None] | None = None

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in aiosqlite's thread, in the trip of the other reads queued in this
        turn of the event loop."""
        future: Future[T] = asyncio.get_running_loop().create_future()
        self._reads.append((work, future))
        if len(self._reads) == 1:
            asyncio.get_running_loop().call_soon(self._send_reads)
        return await future

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a transaction in aiosqlite's thread (rolled back if it raises);
        return its result once committed. Writes queued while another batch is being
        committed go together in the next trip, each in a savepoint of its own."""
        future: Future[T] = asyncio.get_running_loop().create_future()
        self._writes.append((work, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._flush_writes())
            self._writer.add_done_callback(self._flusher_done)
        return await future

    async def exclusive(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` alone, holding the writers' lock, with no transaction of ours around
        it: for a script that begins and commits its own (the migrations)."""
        async with self._write_lock:
            return await self._trip(lambda conn, _batch: work(conn), [])

    async def drain(self) -> None:
        """Wait until the writes already queued are committed (before closing)."""
        if self._writer is not None:
            await asyncio.wait([self._writer])

    def _send_reads(self) -> None:
        batch, self._reads = self._reads, []
        self._trip(_run_each, batch).add_done_callback(lambda trip: _deliver(batch, trip))

    def _trip(self, run: Callable[[sqlite3.Connection, Queued], T], batch: Queued) -> Future[T]:
        """``run(connection, batch)`` in aiosqlite's thread, as one trip."""
        return asyncio.ensure_future(self.conn._execute(lambda: run(self.conn._conn, batch)))

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


# --- in aiosqlite's thread ----------------------------------------------------------------


def _run_each(conn: sqlite3.Connection, batch: Queued) -> list[Outcome]:
    """Every queued read, each result or error kept for its caller."""
    return [_run(work, conn) for work, _future in batch]


def _run(work: Work, conn: sqlite3.Connection) -> Outcome:
    try:
        return True, work(conn)
    except StopIteration as error:  # a future cannot carry it: asyncio refuses
        return False, RuntimeError(f"StopIteration in a database call: {error!r}")
    except BaseException as error:
        return False, error


def _commit_each(conn: sqlite3.Connection, batch: Queued) -> list[Outcome]:
    """The queued writes in one transaction, each in a savepoint (a failing one is rolled
    back alone and its error kept for its caller).

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


# --- back in the event loop ---------------------------------------------------------------


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
