"""Schools: the register every role and report hangs on."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import aiosqlite

from storage.db import Database, first
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

    async def count(self) -> int:
        row = await self.db.fetch_one("SELECT count(*) FROM schools")
        return int(row[0]) if row else 0

    async def find(self, data: SchoolData) -> School | None:
        """The school this register row describes: by INN first, then by name."""
        return await self._find(self.db.conn, data)

    @staticmethod
    async def _find(conn: aiosqlite.Connection, data: SchoolData) -> School | None:
        if data.inn:
            row = await first(conn, "SELECT * FROM schools WHERE inn = ?", (data.inn,))
            if row:
                return _school(row)
        key = match_key(data.municipality, data.name)
        row = await first(conn, "SELECT * FROM schools WHERE match_key = ?", (key,))
        return _school(row) if row else None

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
        school at once cannot both insert it.
        """
        now = self.db.now()
        values = (
            data.name,
            data.short_name,
            data.municipality,
            int(data.is_shnor),
            int(data.is_shssu),
            data.inn,
            match_key(data.municipality, data.name),
        )
        async with self.db.transaction() as conn:
            existing = await self._find(conn, data)
            if existing is None:
                cursor = await conn.execute(
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
                await conn.execute(
                    "UPDATE schools SET name = ?, short_name = ?, municipality = ?, is_shnor = ?,"
                    " is_shssu = ?, inn = coalesce(?, inn), match_key = ?, updated_at = ?"
                    " WHERE id = ?",
                    (*values, now, existing.id),
                )
                school_id, action = existing.id, "updated"
        school = await self.get(school_id)
        assert school is not None
        return school, action
