"""Invitations: one-time codes, stored only as hashes."""

from __future__ import annotations

import sqlite3

from storage.db import Database
from storage.models import Invitation, Role


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
            role=Role(row["role"]),
            school_ids=tuple(s["school_id"] for s in schools),
            person_id=row["person_id"],
            created_by=row["created_by"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            used_at=row["used_at"],
            used_by=row["used_by"],
            revoked_at=row["revoked_at"],
        )

    async def create(
        self,
        code_hash: str,
        role: Role,
        school_ids: list[int],
        expires_at: str,
        person_id: int | None = None,
        created_by: int | None = None,
    ) -> Invitation:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO invitations (code_hash, role, person_id, created_by, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (code_hash, role.value, person_id, created_by, self.db.now(), expires_at),
            )
            invitation_id = cursor.lastrowid
            await conn.executemany(
                "INSERT INTO invitation_schools (invitation_id, school_id) VALUES (?, ?)",
                [(invitation_id, school_id) for school_id in school_ids],
            )
        invitation = await self.get(invitation_id or 0)
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
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL"
                " AND revoked_at IS NULL AND expires_at > ?",
                (now, person_id, invitation_id, now),
            )
            return cursor.rowcount == 1

    async def revoke_pending_for(self, person_id: int) -> int:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE invitations SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL"
                " AND revoked_at IS NULL",
                (self.db.now(), person_id),
            )
            return cursor.rowcount
