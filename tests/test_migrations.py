"""Migrations: a new database, an older one, a second run, a failing script, and numbers
with gaps (a lower number landing after a higher one was applied)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import storage.db
from storage.db import BUSY_TIMEOUT_MS, Database
from storage.schools import SchoolRepo

MIGRATIONS = Path(storage.db.__file__).parent / "migrations"
MIGRATION_FILES = sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))
NUMBERS = [int(path.name[:4]) for path in MIGRATION_FILES]
LATEST = max(NUMBERS)
REAL_SCRIPTS = storage.db.migration_scripts()
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


def test_migration_files_have_distinct_numbers_from_one() -> None:
    assert NUMBERS[0] == 1 and len(set(NUMBERS)) == len(NUMBERS) >= 2
    assert [number for number, _ in storage.db.migration_scripts()] == NUMBERS
    assert storage.db.latest_version() == LATEST


async def test_an_empty_database_is_brought_to_the_latest_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new" / "bot.sqlite3")
    try:
        assert await db.schema_version() == 0
        applied = await db.migrate()
        assert applied == NUMBERS
        assert await db.schema_version() == LATEST
        assert EXPECTED_TABLES <= await table_names(db)
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA busy_timeout"))[0] == BUSY_TIMEOUT_MS > 0
    finally:
        await db.close()
    # the version is in the file itself, as another process opening it sees it
    raw = sqlite3.connect(tmp_path / "new" / "bot.sqlite3")
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST
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
        assert applied == NUMBERS[1:]
        assert await db.schema_version() == LATEST
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
        assert await db.schema_version() == LATEST
        row = await db.fetch_one("SELECT value FROM app_meta WHERE key = 'bot_username'")
        assert row is not None and row["value"] == "school_bot"
    finally:
        await db.close()


BROKEN = "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"


def add_broken_migration(monkeypatch: pytest.MonkeyPatch) -> int:
    scripts = storage.db.migration_scripts()
    number = scripts[-1][0] + 1
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
        assert await db.schema_version() == LATEST
    finally:
        await db.close()
    db = await Database.open(path)
    try:
        assert await db.schema_version() == LATEST
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


# --- numbers with gaps --------------------------------------------------------------------

GAP_SCRIPT = "CREATE TABLE from_a_lower_number (x INTEGER);\n"
LATER_SCRIPT = "CREATE TABLE from_a_higher_number (x INTEGER);\n"
# a branch's migration landing after a higher number did: the higher one is LATER, the
# lower one GAP (both above the real ones, so the test never depends on a gap in them)
GAP, LATER = LATEST + 1, LATEST + 2


def scripts_with(*extra: tuple[int, str]) -> list[tuple[int, str]]:
    return sorted([*REAL_SCRIPTS, *extra])


async def test_a_lower_number_landing_later_is_applied_and_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    monkeypatch.setattr(
        storage.db, "migration_scripts", lambda: scripts_with((LATER, LATER_SCRIPT))
    )
    db = await Database.open(path)
    try:
        assert await db.migrate() == [*NUMBERS, LATER]
    finally:
        await db.close()
    monkeypatch.setattr(
        storage.db,
        "migration_scripts",
        lambda: scripts_with((GAP, GAP_SCRIPT), (LATER, LATER_SCRIPT)),
    )
    db = await Database.open(path)  # the start-up check accepts it: nothing unknown applied
    try:
        assert await db.migrate() == [GAP]
        assert "from_a_lower_number" in await table_names(db)
        assert await db.schema_version() == LATER  # the highest applied, unchanged
        assert await db.migrate() == []
        rows = await db.fetch_all("SELECT number FROM schema_migrations ORDER BY number")
        assert [row["number"] for row in rows] == [*NUMBERS, GAP, LATER]
    finally:
        await db.close()


async def test_a_database_from_before_the_record_counts_its_version_as_applied(
    tmp_path: Path,
) -> None:
    """The earlier runner kept only user_version = N (1..N applied in order, no gaps)."""
    path = tmp_path / "bot.sqlite3"
    older = [n for n in NUMBERS if n == len([m for m in NUMBERS if m <= n])]  # 1..7
    raw = sqlite3.connect(path)
    try:
        for file in MIGRATION_FILES[: len(older)]:
            raw.executescript(file.read_text(encoding="utf-8"))
        raw.execute(f"PRAGMA user_version = {older[-1]}")
        raw.commit()
    finally:
        raw.close()
    db = await Database.open(path)
    try:
        assert await db.migrate() == NUMBERS[len(older) :]
        rows = await db.fetch_all("SELECT number FROM schema_migrations ORDER BY number")
        assert [row["number"] for row in rows] == NUMBERS
        assert await db.schema_version() == LATEST
    finally:
        await db.close()


async def test_a_database_with_a_migration_this_bot_does_not_know_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written by a bot that had GAP; this one knows LATER but not GAP: refused, unchanged."""
    path = tmp_path / "bot.sqlite3"
    with monkeypatch.context() as patched:
        patched.setattr(
            storage.db,
            "migration_scripts",
            lambda: scripts_with((GAP, GAP_SCRIPT), (LATER, LATER_SCRIPT)),
        )
        db = await Database.open(path)
        try:
            await db.migrate()
        finally:
            await db.close()
    monkeypatch.setattr(
        storage.db, "migration_scripts", lambda: scripts_with((LATER, LATER_SCRIPT))
    )
    before = path.read_bytes()
    with pytest.raises(storage.db.DatabaseUnusable) as refused:
        await Database.open(path)
    assert f"({GAP})" in refused.value.render("en")
    assert path.read_bytes() == before
