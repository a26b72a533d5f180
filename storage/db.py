"""The database: one aiosqlite connection, its pragmas and migrations, and the one way
to read and write it.

The bot keeps a single connection: aiosqlite runs it on one thread, and SQLite allows one
writer anyway. Handlers share it, so the calls are queued and batched
(:mod:`storage.batching`).

Writing: ``await db.write(fn)``, where ``fn(conn)`` takes the plain ``sqlite3.Connection``
and runs every statement of the change synchronously, then returns what the caller needs
(an id, a row, a count). It runs in aiosqlite's thread, in one trip, in a transaction of
its own (a savepoint inside a batch of writes committed together): if it raises, none of
its statements is kept and the error reaches the caller; otherwise the caller gets the
result once it is committed. No other call runs between its statements, so a read sees a
change entirely or not at all. ``fn`` must not await, begin, commit or roll back, and
should do no slow work other than SQL: it holds the only connection. A change that is one
statement may use ``await db.execute(sql, params)``.

Reading: ``await db.read(fn)`` runs ``fn(conn)`` the same way without a transaction (several
queries for the price of one trip); ``fetch_one`` and ``fetch_all`` are one query each.

Repositories keep the statements of each change in plain functions taking the
connection, so several changes (an import's rows) can share one ``db.write`` and be kept
or dropped together. Migrations are the one exception: each script commits on its own.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.clock import Clock, system_clock, to_db
from bot.i18n import N_, LocalizedError
from storage.batching import Batcher, check_internals

BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


def migration_scripts() -> list[tuple[int, str]]:
    """The numbered ``NNNN_name.sql`` files, in order. Numbers may leave gaps (work on
    parallel branches takes numbers of its own, and a branch may land before a lower
    number does) but never repeat: each number is one migration, applied once."""
    folder = resources.files("storage") / "migrations"
    scripts = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    scripts.sort()
    numbers = [number for number, _ in scripts]
    if len(set(numbers)) != len(numbers) or (numbers and numbers[0] < 1):
        raise RuntimeError(f"migrations must have distinct numbers from 1, found {numbers}")
    return scripts


def latest_version() -> int:
    """The highest migration number this bot knows: a database's ``user_version`` (the
    highest it has applied) above it comes from a newer bot."""
    return max((number for number, _ in migration_scripts()), default=0)


# The migrations a database has applied, by number. A database from before the table (or
# a new one) has none recorded: ``user_version`` N then means 1..N, which the earlier
# runner applied in order without gaps.
APPLIED_TABLE = "schema_migrations"


def applied_migrations(conn: sqlite3.Connection) -> set[int]:
    """The numbers of the migrations applied to this database (any connection)."""
    recorded = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (APPLIED_TABLE,)
    ).fetchone()
    if recorded:
        return {row[0] for row in conn.execute(f"SELECT number FROM {APPLIED_TABLE}")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return set(range(1, version + 1))


class DatabaseUnusable(LocalizedError):
    """The database file cannot be used (a folder, unreadable, read-only, not a database,
    damaged, or from a newer version of the bot); nothing in it was changed."""


# a database this bot never migrated (user_version 0) with tables in it is someone else's
_ANY_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def check_file(path: Path) -> None:
    """Refuse, in one sentence and without changing anything, a database the bot cannot
    use. A path with no file yet is fine: the bot creates it (and its folder)."""
    shown = str(path)
    if path.is_dir():
        raise DatabaseUnusable(
            N_("DATABASE_PATH {path} is a folder: give the path of a file in it"), path=shown
        )
    folder = path.parent
    if not path.exists():
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            raise DatabaseUnusable(
                N_("The database {path} cannot be created: the folder {folder} is not writable"),
                path=shown,
                folder=str(existing),
            )
        return
    if not os.access(path, os.R_OK):
        raise DatabaseUnusable(N_("The database {path} cannot be read (permissions)"), path=shown)
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseUnusable(
            N_(
                "The database {path} is read-only (the file or its folder): the bot must be "
                "able to write both"
            ),
            path=shown,
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error as error:
        raise DatabaseUnusable(
            N_("The database {path} cannot be opened ({error})"), path=shown, error=str(error)
        ) from None
    try:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:
            raise DatabaseUnusable(
                N_(
                    "{path} is not an SQLite database, or is damaged: restore it from a "
                    "backup or point DATABASE_PATH elsewhere"
                ),
                path=shown,
            ) from None
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
            foreign = version == 0 and conn.execute(_ANY_TABLE).fetchone() is not None
        except sqlite3.DatabaseError as error:
            problems, foreign = [str(error)], False
        applied = applied_migrations(conn) if problems == ["ok"] else set()
    finally:
        conn.close()
    if problems != ["ok"]:
        raise DatabaseUnusable(
            N_("The database {path} is damaged ({problem}): restore it from a backup"),
            path=shown,
            problem="; ".join(problems)[:200],
        )
    if foreign:
        raise DatabaseUnusable(
            N_(
                "{path} is the database of another program (it has tables, none of them this "
                "bot's): point DATABASE_PATH at a new file or at the bot's own database"
            ),
            path=shown,
        )
    known = latest_version()
    if version > known:
        raise DatabaseUnusable(
            N_(
                "The database {path} was written by a newer version of the bot (schema "
                "{version}; this one knows up to {known}): update the bot"
            ),
            path=shown,
            version=version,
            known=known,
        )
    unknown = sorted(applied - {number for number, _ in migration_scripts()})
    if unknown:
        raise DatabaseUnusable(
            N_(
                "The database {path} has migrations this version of the bot does not know "
                "({numbers}): it was written by another version; update the bot"
            ),
            path=shown,
            numbers=", ".join(str(number) for number in unknown),
        )


class Database:
    def __init__(self, conn: aiosqlite.Connection, clock: Clock = system_clock) -> None:
        self.conn = conn
        self.clock = clock
        self._calls = Batcher(conn)

    @classmethod
    async def open(cls, path: str | Path, clock: Clock = system_clock) -> Database:
        """The database at ``path``, or :class:`DatabaseUnusable` (nothing changed)."""
        if str(path) != ":memory:":
            check_file(Path(path))
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        try:
            check_internals(conn)
        except BaseException:
            await conn.close()
            raise
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        return cls(conn, clock)

    async def close(self) -> None:
        await self._calls.drain()  # the writes already queued are committed
        await self.conn.close()

    def now(self) -> str:
        return to_db(self.clock())

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[int]:
        """Apply the migrations this database has not seen, lowest first — also one
        numbered below a migration already applied (a gap another branch filled since);
        return their numbers. Each is recorded by number with ``user_version`` kept at the
        highest applied."""
        await self._calls.exclusive(_record_applied)
        done = await self.read(applied_migrations)
        applied = []
        for number, script in migration_scripts():
            if number not in done:
                await self._calls.exclusive(partial(_apply, number=number, script=script))
                applied.append(number)
        return applied

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a transaction of its own in aiosqlite's thread, in one trip (see
        the module's docstring); return its result once committed."""
        return await self._calls.write(work)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one writing statement; return lastrowid once committed."""
        values = tuple(params)
        return await self.write(lambda conn: conn.execute(sql, values).lastrowid or 0)

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in aiosqlite's thread: several queries for the price of one trip,
        shared with the reads other updates queue in the same turn of the event loop."""
        return await self._calls.read(work)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        values = tuple(params)
        return await self.read(lambda conn: conn.execute(sql, values).fetchone())

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        values = tuple(params)
        return await self.read(lambda conn: conn.execute(sql, values).fetchall())


def _record_applied(conn: sqlite3.Connection) -> None:
    """The table of applied migrations; a database from before it gets 1..user_version."""
    if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (APPLIED_TABLE,)
    ).fetchone():
        return
    earlier = sorted(applied_migrations(conn))
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"CREATE TABLE {APPLIED_TABLE} (number INTEGER PRIMARY KEY, applied_at TEXT)")
        conn.executemany(
            f"INSERT INTO {APPLIED_TABLE} (number) VALUES (?)", [(n,) for n in earlier]
        )
        conn.execute("COMMIT")
    except sqlite3.Error:
        conn.execute("ROLLBACK")
        raise


def _apply(conn: sqlite3.Connection, number: int, script: str) -> None:
    """One migration script. executescript commits first, so the whole script runs in our
    own transaction, and it is recorded (and user_version moves) only if every statement
    worked."""
    version = max(conn.execute("PRAGMA user_version").fetchone()[0], number)
    try:
        conn.executescript(
            f"BEGIN IMMEDIATE;\n{script}\n"
            f"INSERT INTO {APPLIED_TABLE} (number, applied_at)"
            f" VALUES ({number}, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));\n"
            f"PRAGMA user_version = {version};\nCOMMIT;"
        )
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def backup(source: str | Path, target: str | Path) -> int:
    """Consistent copy through SQLite's online backup, safe while the bot writes. The copy
    is written next to ``target``, checked (``PRAGMA integrity_check``) and only then put in
    its place; returns its size in bytes. :class:`DatabaseUnusable` if the check fails
    (``target`` is left as it was)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(str(part))
        try:
            src.backup(dst, pages=256)
            problems = [row[0] for row in dst.execute("PRAGMA integrity_check(5)").fetchall()]
        finally:
            dst.close()
    finally:
        src.close()
    if problems != ["ok"]:
        part.unlink(missing_ok=True)
        raise DatabaseUnusable(
            N_("The copy of {path} failed its integrity check ({problem}): nothing was written"),
            path=str(source),
            problem="; ".join(problems)[:200],
        )
    part.replace(target)
    return target.stat().st_size
