"""Schools: the register every role and report hangs on."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Database
from storage.errors import DuplicateError, WriteAborted
from storage.models import School, match_key


def _school(row: sqlite3.Row) -> School:
    return School(
        id=row["id"],
        name=row["name"],
        short_name=row["short_name"],
        municipality=row["municipality"],
        is_shnor=bool(row["is_shnor"]),
        is_shssu=bool(row["is_shssu"]),
        inn=row["inn"],
    )


@dataclass(frozen=True, slots=True)
class SchoolData:
    name: str
    municipality: str
    short_name: str | None = None
    is_shnor: bool = False
    is_shssu: bool = False
    inn: str | None = None


class SchoolRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, school_id: int) -> School | None:
        row = await self.db.fetch_one("SELECT * FROM schools WHERE id = ?", (school_id,))
        return _school(row) if row else None

    async def list(self, ids: list[int] | None = None) -> list[School]:
        if ids is None:
            rows = await self.db.fetch_all("SELECT * FROM schools ORDER BY municipality, name")
        else:
            marks = ",".join("?" * len(ids))
            rows = await self.db.fetch_all(
                f"SELECT * FROM schools WHERE id IN ({marks}) ORDER BY municipality, name", ids
            )
        return [_school(row) for row in rows]

    async def municipalities(self) -> list[str]:
        """The register's municipalities, as it spells them, in order."""
        rows = await self.db.fetch_all(
            "SELECT DISTINCT municipality FROM schools ORDER BY municipality"
        )
        return [row[0] for row in rows]

    async def count(self) -> int:
        row = await self.db.fetch_one("SELECT count(*) FROM schools")
        return int(row[0]) if row else 0

    async def find(self, data: SchoolData) -> School | None:
        """The school this register row describes: by INN first, then by name."""
        return await self.db.read(lambda conn: _find(conn, data))

    async def find_by_reference(self, text: str, municipality: str | None = None) -> list[School]:
        """Schools a person may mean by an id, INN, full or short name."""
        text = text.strip()
        if text.isdigit():
            row = await self.db.fetch_one(
                "SELECT * FROM schools WHERE id = ? OR inn = ?", (int(text), text)
            )
            if row:
                return [_school(row)]
        wanted = match_key(text)
        found = []
        for school in await self.list():
            names = {match_key(school.name)}
            if school.short_name:
                names.add(match_key(school.short_name))
            if wanted in names and (
                municipality is None or match_key(municipality) == match_key(school.municipality)
            ):
                found.append(school)
        return found

    async def upsert(self, data: SchoolData) -> tuple[School, str]:
        """Insert or update; returns the school and "created", "updated" or "unchanged".

        The look-up and the write share one transaction, so two imports of the same
        school at once cannot both insert it. :class:`DuplicateError` if the row would
        give the school another school's INN, or name and municipality.
        """
        now = self.db.now()
        return await self.db.write(lambda conn: _upsert(conn, data, now))

    async def upsert_many(self, items: Sequence[SchoolData]) -> list[tuple[School, str]]:
        """:meth:`upsert` for every item, in one transaction: all of them or, should one
        fail, none (:class:`WriteAborted` names it, with its error)."""
        now = self.db.now()

        def upsert_all(conn: sqlite3.Connection) -> list[tuple[School, str]]:
            results = []
            for index, data in enumerate(items):
                try:
                    results.append(_upsert(conn, data, now))
                except (sqlite3.Error, DuplicateError) as error:
                    raise WriteAborted(index, error) from error
            return results

        return await self.db.write(upsert_all)


# --- in aiosqlite's thread, inside a write (see storage.db) -------------------------------


def _find(conn: sqlite3.Connection, data: SchoolData) -> School | None:
    if data.inn:
        row = conn.execute("SELECT * FROM schools WHERE inn = ?", (data.inn,)).fetchone()
        if row:
            return _school(row)
    key = match_key(data.municipality, data.name)
    row = conn.execute("SELECT * FROM schools WHERE match_key = ?", (key,)).fetchone()
    return _school(row) if row else None


def _upsert(conn: sqlite3.Connection, data: SchoolData, now: str) -> tuple[School, str]:
    values = (
        data.name,
        data.short_name,
        data.municipality,
        int(data.is_shnor),
        int(data.is_shssu),
        data.inn,
        match_key(data.municipality, data.name),
    )
    existing = _find(conn, data)
    try:
        if existing is None:
            cursor = conn.execute(
                "INSERT INTO schools (name, short_name, municipality, is_shnor, is_shssu,"
                " inn, match_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, now, now),
            )
            school_id, action = cursor.lastrowid or 0, "created"
        elif (
            existing.name == data.name
            and existing.short_name == data.short_name
            and existing.municipality == data.municipality
            and existing.is_shnor == data.is_shnor
            and existing.is_shssu == data.is_shssu
            and existing.inn == (data.inn or existing.inn)
        ):
            return existing, "unchanged"
        else:
            conn.execute(
                "UPDATE schools SET name = ?, short_name = ?, municipality = ?, is_shnor = ?,"
                " is_shssu = ?, inn = coalesce(?, inn), match_key = ?, updated_at = ?"
                " WHERE id = ?",
                (*values, now, existing.id),
            )
            school_id, action = existing.id, "updated"
    except sqlite3.IntegrityError as error:
        duplicate = _duplicate(conn, data, existing)
        if duplicate is None:
            raise
        raise duplicate from error
    row = conn.execute("SELECT * FROM schools WHERE id = ?", (school_id,)).fetchone()
    return _school(row), action


def _duplicate(
    conn: sqlite3.Connection, data: SchoolData, existing: School | None
) -> DuplicateError | None:
    """Which other school has what ``existing`` (or a new school) was to be given, after a
    UNIQUE failure. When the row's INN found one school and its name is another's, the
    INN is what clashes: it is the first school's."""
    school_id = existing.id if existing else None
    key = match_key(data.municipality, data.name)
    named = conn.execute(
        "SELECT id, name FROM schools WHERE match_key = ? AND id IS NOT ?", (key, school_id)
    ).fetchone()
    if data.inn:
        if existing is not None and existing.inn == data.inn and named is not None:
            return DuplicateError("inn", data.inn, existing.id, existing.name)
        row = conn.execute(
            "SELECT id, name FROM schools WHERE inn = ? AND id IS NOT ?", (data.inn, school_id)
        ).fetchone()
        if row:
            return DuplicateError("inn", data.inn, row["id"], row["name"])
    if named:
        return DuplicateError("name", data.name, named["id"], named["name"])
    return None
