"""People and the roles granted to them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from storage.db import Database
from storage.models import Person, Role, Roles, match_key


def _person(row: sqlite3.Row) -> Person:
    return Person(
        id=row["id"],
        telegram_id=row["telegram_id"],
        full_name=row["full_name"],
        username=row["username"],
        email=row["email"],
        phone=row["phone"],
        position=row["position"],
        locale=row["locale"],
        is_active=bool(row["is_active"]),
    )


def _roles(rows: list[sqlite3.Row]) -> Roles:
    principal = None
    curated: set[int] = set()
    coordinator = False
    for row in rows:
        role = Role(row["role"])
        if role is Role.PRINCIPAL:
            principal = row["school_id"]
        elif role is Role.CURATOR:
            curated.add(row["school_id"])
        else:
            coordinator = True
    return Roles(principal, frozenset(curated), coordinator)


@dataclass(frozen=True, slots=True)
class PersonData:
    full_name: str
    telegram_id: int | None = None
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    locale: str | None = None


class PeopleRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, person_id: int) -> Person | None:
        row = await self.db.fetch_one("SELECT * FROM people WHERE id = ?", (person_id,))
        return _person(row) if row else None

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        row = await self.db.fetch_one("SELECT * FROM people WHERE telegram_id = ?", (telegram_id,))
        return _person(row) if row else None

    async def by_email(self, email: str) -> Person | None:
        row = await self.db.fetch_one(
            "SELECT * FROM people WHERE lower(email) = lower(?)", (email.strip(),)
        )
        return _person(row) if row else None

    async def by_name(self, full_name: str) -> list[Person]:
        rows = await self.db.fetch_all(
            "SELECT * FROM people WHERE name_key = ? ORDER BY id", (match_key(full_name),)
        )
        return [_person(row) for row in rows]

    async def create(self, data: PersonData) -> Person:
        now = self.db.now()
        person_id = await self.db.execute(
            "INSERT INTO people (telegram_id, full_name, name_key, username, email, phone,"
            " position, locale, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                data.telegram_id,
                data.full_name,
                match_key(data.full_name),
                data.username,
                data.email,
                data.phone,
                data.position,
                data.locale,
                now,
                now,
            ),
        )
        person = await self.get(person_id)
        assert person is not None
        return person

    async def update_details(self, person_id: int, data: PersonData) -> None:
        """Overwrite the register fields; keep what the row leaves empty."""
        await self.db.execute(
            "UPDATE people SET full_name = ?, name_key = ?, email = coalesce(?, email),"
            " phone = coalesce(?, phone), position = coalesce(?, position),"
            " telegram_id = coalesce(?, telegram_id), updated_at = ? WHERE id = ?",
            (
                data.full_name,
                match_key(data.full_name),
                data.email,
                data.phone,
                data.position,
                data.telegram_id,
                self.db.now(),
                person_id,
            ),
        )

    async def link_telegram(
        self, person_id: int, telegram_id: int, username: str | None, full_name: str | None
    ) -> None:
        await self.db.execute(
            "UPDATE people SET telegram_id = ?, username = ?, full_name = coalesce(?, full_name),"
            " name_key = coalesce(?, name_key), is_active = 1, updated_at = ? WHERE id = ?",
            (
                telegram_id,
                username,
                full_name,
                match_key(full_name) if full_name else None,
                self.db.now(),
                person_id,
            ),
        )

    async def set_locale(self, person_id: int, locale: str) -> None:
        await self.db.execute(
            "UPDATE people SET locale = ?, updated_at = ? WHERE id = ?",
            (locale, self.db.now(), person_id),
        )

    async def set_active(self, person_id: int, active: bool) -> None:
        await self.db.execute(
            "UPDATE people SET is_active = ?, updated_at = ? WHERE id = ?",
            (int(active), self.db.now(), person_id),
        )

    async def with_roles(self, telegram_id: int) -> tuple[Person | None, Roles]:
        """The person with this Telegram account and their roles, in one query."""
        rows = await self.db.fetch_all(
            "SELECT p.*, g.role, g.school_id FROM people p"
            " LEFT JOIN role_grants g ON g.person_id = p.id WHERE p.telegram_id = ?",
            (telegram_id,),
        )
        if not rows:
            return None, Roles()
        return _person(rows[0]), _roles([row for row in rows if row["role"] is not None])

    async def roles(self, person_id: int) -> Roles:
        rows = await self.db.fetch_all(
            "SELECT role, school_id FROM role_grants WHERE person_id = ?", (person_id,)
        )
        return _roles(rows)

    async def grant(self, person_id: int, role: Role, school_ids: list[int]) -> bool:
        """Give a role; a principal's school replaces the one they had. True if anything changed."""
        changed = False
        now = self.db.now()
        async with self.db.transaction() as conn:
            if role is Role.COORDINATOR:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO role_grants (person_id, role, school_id, granted_at)"
                    " VALUES (?, 'coordinator', NULL, ?)",
                    (person_id, now),
                )
                changed = cursor.rowcount > 0
            elif role is Role.PRINCIPAL:
                if len(school_ids) != 1:
                    raise ValueError("a principal belongs to exactly one school")
                cursor = await conn.execute(
                    "DELETE FROM role_grants WHERE person_id = ? AND role = 'principal'"
                    " AND school_id != ?",
                    (person_id, school_ids[0]),
                )
                changed = cursor.rowcount > 0
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO role_grants (person_id, role, school_id, granted_at)"
                    " VALUES (?, 'principal', ?, ?)",
                    (person_id, school_ids[0], now),
                )
                changed = changed or cursor.rowcount > 0
            else:
                if not school_ids:
                    raise ValueError("a curator needs at least one school")
                for school_id in school_ids:
                    cursor = await conn.execute(
                        "INSERT OR IGNORE INTO role_grants (person_id, role, school_id, granted_at)"
                        " VALUES (?, 'curator', ?, ?)",
                        (person_id, school_id, now),
                    )
                    changed = changed or cursor.rowcount > 0
        return changed

    async def with_telegram(self) -> list[tuple[Person, Roles]]:
        """Active people who have started the bot, with their roles."""
        rows = await self.db.fetch_all(
            "SELECT * FROM people WHERE telegram_id IS NOT NULL AND is_active = 1 ORDER BY id"
        )
        return [(_person(row), await self.roles(row["id"])) for row in rows]

    async def count(self) -> int:
        row = await self.db.fetch_one("SELECT count(*) FROM people")
        return int(row[0]) if row else 0

    async def set_commands_key(self, person_id: int, key: str | None) -> None:
        await self.db.execute("UPDATE people SET commands_key = ? WHERE id = ?", (key, person_id))

    async def commands_key(self, person_id: int) -> str | None:
        row = await self.db.fetch_one("SELECT commands_key FROM people WHERE id = ?", (person_id,))
        return row["commands_key"] if row else None

    async def principals_of(self, school_id: int) -> list[Person]:
        """The school's principals who have joined the bot and not blocked it."""
        rows = await self.db.fetch_all(
            "SELECT p.* FROM people p JOIN role_grants g ON g.person_id = p.id"
            " WHERE g.role = 'principal' AND g.school_id = ? AND p.telegram_id IS NOT NULL"
            " AND p.is_active = 1 ORDER BY p.id",
            (school_id,),
        )
        return [_person(row) for row in rows]
