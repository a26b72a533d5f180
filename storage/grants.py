"""Role grants written inside other changes (accepting an invitation, importing people)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def grant_coordinator(
    conn: sqlite3.Connection, person_id: int, municipalities: Sequence[str], now: str
) -> bool:
    """A regional coordinator (no ``municipalities``) or a municipal one for each of them;
    True if anything changed."""
    territory: list[str | None] = list(municipalities) or [None]
    added = 0
    for municipality in territory:
        added += conn.execute(
            "INSERT OR IGNORE INTO role_grants (person_id, role, school_id, municipality,"
            " granted_at) VALUES (?, 'coordinator', NULL, ?, ?)",
            (person_id, municipality, now),
        ).rowcount
    return added > 0
