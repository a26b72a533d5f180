"""Invitations: one-time codes, stored only as hashes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from storage.db import Database
from storage.grants import grant_coordinator, grant_deputy
from storage.models import Invitation, Role, match_key


class InvitationRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _load(self, row: sqlite3.Row | None) -> Invitation | None:
        if row is None:
            return None
        schools = await self.db.fetch_all(
            "SELECT school_id FROM invitation_schools WHERE invitation_id = ? ORDER BY school_id",
            (row["id"],),
        )
        return Invitation(
            id=row["id"],
            role=Role.DEPUTY if row["deputy"] else Role(row["role"]),
            school_ids=tuple(s["school_id"] for s in schools),
            person_id=row["person_id"],
            created_by=row["created_by"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            used_at=row["used_at"],
            used_by=row["used_by"],
            revoked_at=row["revoked_at"],
            municipalities=tuple(json.loads(row["municipalities"] or "[]")),
            position=row["position"],
        )

    async def create(
        self,
        code_hash: str,
        role: Role,
        school_ids: list[int],
        expires_at: str,
        person_id: int | None = None,
        created_by: int | None = None,
        municipalities: Sequence[str] = (),
        position: str | None = None,
    ) -> Invitation:
        """``municipalities``: a municipal coordinator's territory (none: regional);
        ``position``: a deputy's."""
        now = self.db.now()
        invitation_id = await self.db.write(
            lambda conn: insert_invitation(
                conn,
                code_hash,
                role,
                school_ids,
                expires_at,
                person_id,
                created_by,
                now,
                municipalities,
                position,
            )
        )
        invitation = await self.get(invitation_id)
        assert invitation is not None
        return invitation

    async def get(self, invitation_id: int) -> Invitation | None:
        row = await self.db.fetch_one("SELECT * FROM invitations WHERE id = ?", (invitation_id,))
        return await self._load(row)

    async def by_hash(self, code_hash: str) -> Invitation | None:
        row = await self.db.fetch_one("SELECT * FROM invitations WHERE code_hash = ?", (code_hash,))
        return await self._load(row)

    async def consume(self, invitation_id: int, person_id: int) -> bool:
        """Mark used unless someone else got there first, it expired or was revoked."""
        now = self.db.now()

        def consume(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL"
                " AND revoked_at IS NULL AND expires_at > ?",
                (now, person_id, invitation_id, now),
            )
            return cursor.rowcount == 1

        return await self.db.write(consume)

    async def pending_deputies(self, school_id: int) -> list[Invitation]:
        """The school's deputy invitations still waiting to be used (not expired)."""
        rows = await self.db.fetch_all(
            "SELECT i.* FROM invitations i"
            " JOIN invitation_schools s ON s.invitation_id = i.id"
            " WHERE i.deputy = 1 AND s.school_id = ? AND i.used_at IS NULL"
            " AND i.revoked_at IS NULL AND i.expires_at > ? ORDER BY i.id",
            (school_id, self.db.now()),
        )
        return [invitation for row in rows if (invitation := await self._load(row))]

    async def revoke(self, invitation_id: int) -> bool:
        """Withdraw an unused invitation; False if it was used or withdrawn already."""
        now = self.db.now()

        def revoke(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "UPDATE invitations SET revoked_at = ? WHERE id = ? AND used_at IS NULL"
                " AND revoked_at IS NULL",
                (now, invitation_id),
            )
            return cursor.rowcount == 1

        return await self.db.write(revoke)

    async def revoke_pending_for(self, person_id: int) -> int:
        now = self.db.now()
        return await self.db.write(lambda conn: revoke_pending(conn, person_id, now))

    async def accept(
        self,
        invitation_id: int,
        telegram_id: int,
        username: str | None,
        full_name: str | None,
        locale: str | None,
    ) -> int | None:
        """Use an invitation in one transaction: the person and their roles, or nothing.

        The person is the one the invitation was made for, or whoever already has
        this Telegram account, or a new one. Returns their id, or None when the
        invitation is no longer usable (used meanwhile, expired or withdrawn).
        """
        now = self.db.now()
        return await self.db.write(
            lambda conn: _accept(conn, invitation_id, telegram_id, username, full_name, locale, now)
        )


# --- in aiosqlite's thread, inside a write (see storage.db) -------------------------------


def insert_invitation(
    conn: sqlite3.Connection,
    code_hash: str,
    role: Role,
    school_ids: Sequence[int],
    expires_at: str,
    person_id: int | None,
    created_by: int | None,
    now: str,
    municipalities: Sequence[str] = (),
    position: str | None = None,
) -> int:
    """A new invitation with its schools (or a coordinator's municipalities); its id. A
    deputy's is stored as a principal's marked ``deputy``, with the ``position``."""
    territory = json.dumps(list(municipalities), ensure_ascii=False) if municipalities else None
    deputy = role is Role.DEPUTY
    stored = Role.PRINCIPAL if deputy else role
    cursor = conn.execute(
        "INSERT INTO invitations (code_hash, role, person_id, created_by, created_at,"
        " expires_at, municipalities, deputy, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            code_hash,
            stored.value,
            person_id,
            created_by,
            now,
            expires_at,
            territory,
            int(deputy),
            position if deputy else None,
        ),
    )
    invitation_id = cursor.lastrowid or 0
    conn.executemany(
        "INSERT INTO invitation_schools (invitation_id, school_id) VALUES (?, ?)",
        [(invitation_id, school_id) for school_id in school_ids],
    )
    return invitation_id


def revoke_pending(conn: sqlite3.Connection, person_id: int, now: str) -> int:
    """Withdraw the person's unused invitations; returns how many."""
    cursor = conn.execute(
        "UPDATE invitations SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL",
        (now, person_id),
    )
    return cursor.rowcount


def _accept(
    conn: sqlite3.Connection,
    invitation_id: int,
    telegram_id: int,
    username: str | None,
    full_name: str | None,
    locale: str | None,
    now: str,
) -> int | None:
    cursor = conn.execute(
        "UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL AND expires_at > ?",
        (now, invitation_id, now),
    )
    if cursor.rowcount != 1:
        return None
    invitation = conn.execute(
        "SELECT role, person_id, municipalities, deputy, position FROM invitations WHERE id = ?",
        (invitation_id,),
    ).fetchone()
    existing = conn.execute(
        "SELECT id FROM people WHERE telegram_id = ?", (telegram_id,)
    ).fetchone()
    person_id = existing["id"] if existing else invitation["person_id"]
    if person_id is None:
        if not full_name:
            raise ValueError("a new person needs a name")
        cursor = conn.execute(
            "INSERT INTO people (telegram_id, full_name, name_key, username, locale,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (telegram_id, full_name, match_key(full_name), username, locale, now, now),
        )
        person_id = cursor.lastrowid
    else:
        conn.execute(
            "UPDATE people SET telegram_id = ?, username = ?, is_active = 1,"
            " locale = coalesce(locale, ?), full_name = coalesce(?, full_name),"
            " name_key = coalesce(?, name_key), updated_at = ? WHERE id = ?",
            (
                telegram_id,
                username,
                locale,
                full_name,
                match_key(full_name) if full_name else None,
                now,
                person_id,
            ),
        )
    role = invitation["role"]
    rows = conn.execute(
        "SELECT school_id FROM invitation_schools WHERE invitation_id = ?", (invitation_id,)
    ).fetchall()
    school_ids: list[int | None] = [row["school_id"] for row in rows]
    if invitation["deputy"]:
        # a principal stays principal (the chat refuses them such a link beforehand)
        grant_deputy(conn, person_id, rows[0]["school_id"], now)
        is_deputy = conn.execute(
            "SELECT 1 FROM role_grants WHERE person_id = ? AND school_id = ? AND deputy = 1",
            (person_id, rows[0]["school_id"]),
        ).fetchone()
        if is_deputy and invitation["position"]:
            conn.execute(
                "UPDATE people SET position = ? WHERE id = ?", (invitation["position"], person_id)
            )
        school_ids = []
    elif role == Role.PRINCIPAL:
        conn.execute(
            "DELETE FROM role_grants WHERE person_id = ? AND role = 'principal'", (person_id,)
        )
    if role == Role.COORDINATOR:
        territory = json.loads(invitation["municipalities"] or "[]")
        grant_coordinator(conn, person_id, territory, now)
        school_ids = []
    conn.executemany(
        "INSERT OR IGNORE INTO role_grants (person_id, role, school_id, granted_at)"
        " VALUES (?, ?, ?, ?)",
        [(person_id, role, school_id, now) for school_id in school_ids],
    )
    conn.execute("UPDATE invitations SET used_by = ? WHERE id = ?", (person_id, invitation_id))
    return person_id
