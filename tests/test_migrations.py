"""Migrations: a new database, an older one, a second run and a failing script."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import storage.db
from storage.db import BUSY_TIMEOUT_MS, Database
from storage.schools import SchoolRepo

MIGRATIONS = Path(storage.db.__file__).parent / "migrations"
MIGRATION_FILES = sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))
EXPECTED_TABLES = {
    "schools",
    "people",
    "role_grants",
    "invitations",
    "invitation_schools",
    "fsm_states",
    "handled_updates",
    "app_meta",
}


async def table_names(db: Database) -> set[str]:
    rows = await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row["name"] for row in rows}


def test_migration_files_are_numbered_from_one_without_gaps() -> None:
    numbers = [int(path.name[:4]) for path in MIGRATION_FILES]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 2


async def test_an_empty_database_is_brought_to_the_latest_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new" / "bot.sqlite3")
    try:
        assert await db.schema_version() == 0
        applied = await db.migrate()
        assert applied == list(range(1, len(MIGRATION_FILES) + 1))
        assert await db.schema_version() == len(MIGRATION_FILES)
        assert EXPECTED_TABLES <= await table_names(db)
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA busy_timeout"))[0] == BUSY_TIMEOUT_MS > 0
    finally:
        await db.close()
    # the version is in the file itself, as another process opening it sees it
    raw = sqlite3.connect(tmp_path / "new" / "bot.sqlite3")
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATION_FILES)
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


async def test_an_older_database_gets_the_new_migrations_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    raw = sqlite3.connect(path)
    try:
        raw.executescript(MIGRATION_FILES[0].read_text(encoding="utf-8"))
        raw.execute("PRAGMA user_version = 1")
        raw.execute(
            "INSERT INTO schools (name, municipality, match_key, created_at, updated_at)"
            " VALUES ('МБОУ «Казанская СОШ»', 'Ливенский район', 'k', '2025-01-01T00:00:00Z',"
            " '2025-01-01T00:00:00Z')"
        )
        raw.execute(
            "INSERT INTO people (telegram_id, full_name, name_key, created_at, updated_at)"
            " VALUES (42, 'Иванова Мария Петровна', 'n', '2025-01-01T00:00:00Z',"
            " '2025-01-01T00:00:00Z')"
        )
        raw.commit()
    finally:
        raw.close()

    db = await Database.open(path)
    try:
        assert await db.schema_version() == 1
        applied = await db.migrate()
        assert applied == list(range(2, len(MIGRATION_FILES) + 1))
        assert await db.schema_version() == len(MIGRATION_FILES)
        assert EXPECTED_TABLES <= await table_names(db)
        school = await SchoolRepo(db).get(1)
        assert school is not None and school.name == "МБОУ «Казанская СОШ»"
        person = await db.fetch_one("SELECT full_name FROM people WHERE telegram_id = 42")
        assert person is not None and person["full_name"] == "Иванова Мария Петровна"
    finally:
        await db.close()


async def test_migrating_twice_applies_nothing_the_second_time(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    try:
        assert await db.migrate()
        await db.execute("INSERT INTO app_meta (key, value) VALUES ('bot_username', 'school_bot')")
        assert await db.migrate() == []
    finally:
        await db.close()
    db = await Database.open(path)
    try:
        assert await db.migrate() == []
        assert await db.schema_version() == len(MIGRATION_FILES)
        row = await db.fetch_one("SELECT value FROM app_meta WHERE key = 'bot_username'")
        assert row is not None and row["value"] == "school_bot"
    finally:
        await db.close()


BROKEN = "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"


def add_broken_migration(monkeypatch: pytest.MonkeyPatch) -> int:
    scripts = storage.db.migration_scripts()
    number = len(scripts) + 1
    monkeypatch.setattr(storage.db, "migration_scripts", lambda: [*scripts, (number, BROKEN)])
    return number


async def test_a_failing_migration_leaves_the_version_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    try:
        await db.migrate()
    finally:
        await db.close()
    add_broken_migration(monkeypatch)
    db = await Database.open(path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
            await db.migrate()
        assert await db.schema_version() == len(MIGRATION_FILES)
    finally:
        await db.close()
    db = await Database.open(path)
    try:
        assert await db.schema_version() == len(MIGRATION_FILES)
        assert "half_done" not in await table_names(db)
    finally:
        await db.close()


async def test_after_a_failing_migration_the_connection_is_rolled_back_and_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_broken_migration(monkeypatch)
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        with pytest.raises(sqlite3.OperationalError):
            await db.migrate()
        assert "half_done" not in await table_names(db)
        await db.execute("INSERT INTO app_meta (key, value) VALUES ('k', 'v')")
    finally:
        await db.close()
