"""One aiosqlite connection, its pragmas, migrations and transactions.

The bot keeps a single connection: aiosqlite runs it on one thread, and SQLite
allows one writer anyway. Because concurrent handlers share that connection,
every write goes through :meth:`Database.transaction`, which serialises writers
with an asyncio lock so two updates never mix their statements in one
transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.clock import Clock, system_clock, to_db

BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


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
        """Run one writing statement on its own; return lastrowid.

        A single statement is atomic in SQLite's autocommit mode, so it needs no
        BEGIN/COMMIT of ours: only the writers' lock, so it never lands inside
        another task's open transaction.
        """
        async with self._write_lock:
            cursor = await self.conn.execute(sql, tuple(params))
            return cursor.lastrowid or 0

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on the plain sqlite3 connection in aiosqlite's thread: several
        queries for the price of one trip (each trip is a thread hand-off and a future).

        aiosqlite has no public call for this; its own methods go through ``_execute``
        the same way.
        """
        return await self.conn._execute(lambda: work(self.conn._conn))

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Like :meth:`read`, for several writes in one transaction and one trip.

        ``work`` runs between BEGIN IMMEDIATE and COMMIT (ROLLBACK if it raises) and
        holds the writers' lock, so nobody else's statements mix in.
        """

        def in_transaction(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

        async with self._write_lock:
            return await self.read(in_transaction)

    # execute_fetchall runs the query and fetches in one trip to aiosqlite's thread,
    # where a cursor would take three (execute, fetch, close)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        return await first(self.conn, sql, params)

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return list(await self.conn.execute_fetchall(sql, tuple(params)))


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
