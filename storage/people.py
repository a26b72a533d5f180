"""People and the roles granted to them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage.db import Database
from storage.errors import DuplicateError, WriteAborted
from storage.grants import grant_coordinator, grant_deputy
from storage.invitations import insert_invitation, revoke_pending
from storage.models import Actor, Person, Role, Roles, match_key


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


# the columns of role_grants that _roles reads (``g`` is role_grants)
GRANT_COLUMNS = "g.role, g.school_id, g.municipality, g.deputy"


def _roles(rows: list[sqlite3.Row]) -> Roles:
    principal = None
    deputy = False
    curated: set[int] = set()
    coordinator = regional = False
    municipalities: set[str] = set()
    for row in rows:
        role = Role(row["role"])
        if role is Role.PRINCIPAL:
            principal = row["school_id"]
            # a query that does not select it (older code) reads the grant as a principal's
            deputy = "deputy" in row.keys() and bool(row["deputy"])
        elif role is Role.CURATOR:
            curated.add(row["school_id"])
        else:
            coordinator = True
            if row["municipality"] is None:
                regional = True
            else:
                municipalities.add(row["municipality"])
    # a regional grant reaches everything: municipal ones beside it add nothing
    territory = frozenset() if regional else frozenset(municipalities)
    return Roles(principal, frozenset(curated), coordinator, territory, deputy)


@dataclass(frozen=True, slots=True)
class PersonData:
    full_name: str
    telegram_id: int | None = None
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    locale: str | None = None


@dataclass(frozen=True, slots=True)
class PersonRow:
    """What one row of a register does to a person (see :meth:`PeopleRepo.import_rows`).

    ``person`` numbers the people of one import: rows with the same number are about the
    same person. ``person_id`` is their stored id, or None for a person the first of their
    rows creates from ``data``; later rows overwrite the details only with ``update``.
    ``drop_curated`` are schools the person no longer curates.
    """

    person: int
    person_id: int | None
    data: PersonData
    update: bool = False
    grant: tuple[Role, tuple[int, ...]] | None = None
    drop_curated: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonalInvitation:
    """An invitation for a person of :meth:`PeopleRepo.import_rows` (by their number)."""

    person: int
    code_hash: str
    role: Role
    school_ids: tuple[int, ...]
    expires_at: str


@dataclass(frozen=True, slots=True)
class ImportedPeople:
    ids: dict[int, int]  # the number of each person in the import -> their stored id
    invited: frozenset[int]  # the numbers of the people an invitation was made for


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
        """A new person; :class:`DuplicateError` if their e-mail or Telegram ID is taken."""
        now = self.db.now()

        def create(conn: sqlite3.Connection) -> Person:
            person_id = _insert(conn, data, now)
            return _person(
                conn.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
            )

        return await self.db.write(create)

    async def update_details(self, person_id: int, data: PersonData) -> None:
        """Overwrite the register fields; keep what the row leaves empty."""
        now = self.db.now()
        await self.db.write(lambda conn: _update(conn, person_id, data, now))

    async def link_telegram(
        self, person_id: int, telegram_id: int, username: str | None, full_name: str | None
    ) -> None:
        """:class:`DuplicateError` if another person has this Telegram account."""
        values = (
            telegram_id,
            username,
            full_name,
            match_key(full_name) if full_name else None,
            self.db.now(),
            person_id,
        )

        def link(conn: sqlite3.Connection) -> None:
            try:
                conn.execute(
                    "UPDATE people SET telegram_id = ?, username = ?,"
                    " full_name = coalesce(?, full_name), name_key = coalesce(?, name_key),"
                    " is_active = 1, updated_at = ? WHERE id = ?",
                    values,
                )
            except sqlite3.IntegrityError as error:
                duplicate = _duplicate(conn, PersonData("", telegram_id=telegram_id), person_id)
                if duplicate is None:
                    raise
                raise duplicate from error

        await self.db.write(link)

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
            f"SELECT p.*, {GRANT_COLUMNS} FROM people p"
            " LEFT JOIN role_grants g ON g.person_id = p.id WHERE p.telegram_id = ?",
            (telegram_id,),
        )
        if not rows:
            return None, Roles()
        return _person(rows[0]), _roles([row for row in rows if row["role"] is not None])

    async def roles(self, person_id: int) -> Roles:
        rows = await self.db.fetch_all(
            f"SELECT {GRANT_COLUMNS} FROM role_grants g WHERE g.person_id = ?", (person_id,)
        )
        return _roles(rows)

    async def grant(
        self,
        person_id: int,
        role: Role,
        school_ids: list[int],
        municipalities: Sequence[str] = (),
    ) -> bool:
        """Give a role; a principal's (or a deputy's) school replaces the one they had; a
        coordinator is regional, or municipal for ``municipalities``. True if anything
        changed."""
        if role in (Role.PRINCIPAL, Role.DEPUTY) and len(school_ids) != 1:
            raise ValueError("a principal or a deputy belongs to exactly one school")
        if role is Role.CURATOR and not school_ids:
            raise ValueError("a curator needs at least one school")
        now = self.db.now()
        return await self.db.write(
            lambda conn: _grant(conn, person_id, role, school_ids, now, municipalities)
        )

    async def coordinators(self) -> list[tuple[Person, Roles]]:
        """Active coordinators who have started the bot, with their territories."""
        rows = await self.db.fetch_all(
            f"SELECT p.*, {GRANT_COLUMNS} FROM people p"
            " JOIN role_grants g ON g.person_id = p.id WHERE g.role = 'coordinator'"
            " AND p.telegram_id IS NOT NULL AND p.is_active = 1 ORDER BY p.id"
        )
        found: dict[int, tuple[Person, list[sqlite3.Row]]] = {}
        for row in rows:
            found.setdefault(row["id"], (_person(row), []))[1].append(row)
        return [(person, _roles(grants)) for person, grants in found.values()]

    async def import_rows(
        self, rows: Sequence[PersonRow], invitations: Sequence[PersonalInvitation] = ()
    ) -> ImportedPeople:
        """Write the rows of a register of people, then their invitations, in one
        transaction: all of it or, should a row fail, nothing (:class:`WriteAborted` names
        the row, with its error).

        An invitation is made only for a person who has not started the bot (no Telegram
        ID); their earlier unused invitations are revoked.
        """
        now = self.db.now()

        def write(conn: sqlite3.Connection) -> ImportedPeople:
            ids: dict[int, int] = {}
            for index, row in enumerate(rows):
                try:
                    _import_row(conn, row, ids, now)
                except (sqlite3.Error, DuplicateError) as error:
                    raise WriteAborted(index, error) from error
            invited: set[int] = set()
            for invitation in invitations:
                person_id = ids[invitation.person]
                found = conn.execute(
                    "SELECT telegram_id FROM people WHERE id = ?", (person_id,)
                ).fetchone()
                if found["telegram_id"] is not None:
                    continue
                revoke_pending(conn, person_id, now)
                insert_invitation(
                    conn,
                    invitation.code_hash,
                    invitation.role,
                    invitation.school_ids,
                    invitation.expires_at,
                    person_id,
                    None,
                    now,
                )
                invited.add(invitation.person)
            return ImportedPeople(ids, frozenset(invited))

        return await self.db.write(write)

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
        """The school's responsible people («ответственные от ОО»: its principal and the
        deputies) who have joined the bot and not blocked it; the principal first."""
        rows = await self.db.fetch_all(
            "SELECT p.* FROM people p JOIN role_grants g ON g.person_id = p.id"
            " WHERE g.role = 'principal' AND g.school_id = ? AND p.telegram_id IS NOT NULL"
            " AND p.is_active = 1 ORDER BY g.deputy, p.id",
            (school_id,),
        )
        return [_person(row) for row in rows]

    async def deputies_of(self, school_id: int) -> list[Person]:
        """The school's deputies, in the order they joined."""
        rows = await self.db.fetch_all(
            "SELECT p.* FROM people p JOIN role_grants g ON g.person_id = p.id"
            " WHERE g.role = 'principal' AND g.deputy = 1 AND g.school_id = ?"
            " ORDER BY g.granted_at, p.id",
            (school_id,),
        )
        return [_person(row) for row in rows]

    async def revoke_deputy(self, school_id: int, person_id: int) -> bool:
        """Take the school away from its deputy at once; False if they were not one."""

        def revoke(conn: sqlite3.Connection) -> bool:
            return (
                conn.execute(
                    "DELETE FROM role_grants WHERE person_id = ? AND school_id = ?"
                    " AND role = 'principal' AND deputy = 1",
                    (person_id, school_id),
                ).rowcount
                > 0
            )

        return await self.db.write(revoke)

    async def actors(self, person_ids: Iterable[int | None]) -> dict[int, Actor]:
        """The people with these ids, each with how they answer for a school now and
        whether they coordinate, in one trip (for history: "who did what")."""
        wanted = sorted({i for i in person_ids if i is not None})
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = await self.db.fetch_all(
            f"SELECT p.*, {GRANT_COLUMNS} FROM people p"
            f" LEFT JOIN role_grants g ON g.person_id = p.id WHERE p.id IN ({marks})",
            wanted,
        )
        grants: dict[int, list[sqlite3.Row]] = {}
        people: dict[int, Person] = {}
        for row in rows:
            people.setdefault(row["id"], _person(row))
            if row["role"] is not None:
                grants.setdefault(row["id"], []).append(row)
        found = {}
        for person_id, person in people.items():
            roles = _roles(grants.get(person_id, []))
            school_role = None
            if roles.principal_school_id is not None:
                school_role = Role.DEPUTY if roles.deputy else Role.PRINCIPAL
            found[person_id] = Actor(person, school_role, roles.coordinator)
        return found


# --- in aiosqlite's thread, inside a write (see storage.db) -------------------------------


def _insert(conn: sqlite3.Connection, data: PersonData, now: str) -> int:
    try:
        cursor = conn.execute(
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
    except sqlite3.IntegrityError as error:
        duplicate = _duplicate(conn, data, None)
        if duplicate is None:
            raise
        raise duplicate from error
    return cursor.lastrowid or 0


def _update(conn: sqlite3.Connection, person_id: int, data: PersonData, now: str) -> None:
    try:
        conn.execute(
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
                now,
                person_id,
            ),
        )
    except sqlite3.IntegrityError as error:
        duplicate = _duplicate(conn, data, person_id)
        if duplicate is None:
            raise
        raise duplicate from error


def _duplicate(
    conn: sqlite3.Connection, data: PersonData, person_id: int | None
) -> DuplicateError | None:
    """Which other person has the e-mail or Telegram ID this one was to be given."""
    if data.email:
        row = conn.execute(
            "SELECT id, full_name FROM people WHERE lower(email) = lower(?) AND id IS NOT ?",
            (data.email, person_id),
        ).fetchone()
        if row:
            return DuplicateError("email", data.email, row["id"], row["full_name"])
    if data.telegram_id is not None:
        row = conn.execute(
            "SELECT id, full_name FROM people WHERE telegram_id = ? AND id IS NOT ?",
            (data.telegram_id, person_id),
        ).fetchone()
        if row:
            return DuplicateError("telegram_id", str(data.telegram_id), row["id"], row["full_name"])
    return None


def _grant(
    conn: sqlite3.Connection,
    person_id: int,
    role: Role,
    school_ids: Sequence[int],
    now: str,
    municipalities: Sequence[str] = (),
) -> bool:
    """Give a role (see :meth:`PeopleRepo.grant`); True if anything changed."""
    grant = (
        "INSERT OR IGNORE INTO role_grants (person_id, role, school_id, granted_at)"
        " VALUES (?, ?, ?, ?)"
    )
    if role is Role.COORDINATOR:
        return grant_coordinator(conn, person_id, municipalities, now)
    if role is Role.DEPUTY:
        return grant_deputy(conn, person_id, school_ids[0], now)
    if role is Role.PRINCIPAL:
        removed = conn.execute(
            "DELETE FROM role_grants WHERE person_id = ? AND role = 'principal'"
            " AND (school_id != ? OR deputy = 1)",  # a deputy made principal is no longer one
            (person_id, school_ids[0]),
        ).rowcount
        added = conn.execute(grant, (person_id, role.value, school_ids[0], now)).rowcount
        return removed + added > 0
    changed = False
    for school_id in school_ids:
        changed = (
            conn.execute(grant, (person_id, role.value, school_id, now)).rowcount > 0 or changed
        )
    return changed


def _import_row(conn: sqlite3.Connection, row: PersonRow, ids: dict[int, int], now: str) -> None:
    """One row of :meth:`PeopleRepo.import_rows`; ``ids`` gathers the people's ids."""
    person_id = row.person_id if row.person_id is not None else ids.get(row.person)
    if person_id is None:
        person_id = _insert(conn, row.data, now)
    elif row.update:
        _update(conn, person_id, row.data, now)
    ids[row.person] = person_id
    if row.grant is not None:
        role, school_ids = row.grant
        _grant(conn, person_id, role, school_ids, now)
    if row.drop_curated:
        marks = ",".join("?" * len(row.drop_curated))
        conn.execute(
            "DELETE FROM role_grants WHERE person_id = ? AND role = 'curator'"
            f" AND school_id IN ({marks})",
            (person_id, *row.drop_curated),
        )
