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


def grant_deputy(conn: sqlite3.Connection, person_id: int, school_id: int, now: str) -> bool:
    """A deputy of the school (a deputy of another school moves here); True if anything
    changed. A principal is never made a deputy: their grant stays (False)."""
    held = conn.execute(
        "SELECT school_id, deputy FROM role_grants WHERE person_id = ? AND role = 'principal'",
        (person_id,),
    ).fetchone()
    if held is not None and (not held["deputy"] or held["school_id"] == school_id):
        return False
    conn.execute("DELETE FROM role_grants WHERE person_id = ? AND role = 'principal'", (person_id,))
    conn.execute(
        "INSERT INTO role_grants (person_id, role, school_id, deputy, granted_at)"
        " VALUES (?, 'principal', ?, 1, ?)",
        (person_id, school_id, now),
    )
    return True
