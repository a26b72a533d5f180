"""The dates of the assessment procedures' reports (ВПР, ГИА-9...), set by a coordinator
each year.

A procedure's report is a campaign like any other (``campaigns``, deadline key
"assessment:vpr"); its ``due_date`` is empty until a coordinator sets it, and everything
that reads campaigns (the form, /status, reminders, the export) then sees it. Every
setting is kept in ``campaign_due_changes`` (migration 0011).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from storage.db import Database
from storage.submissions import Campaign, _campaign


@dataclass(frozen=True, slots=True)
class DueChange:
    campaign_id: int
    old_due: date | None
    new_due: date
    changed_by: int | None
    changed_at: str


def _change(row: sqlite3.Row) -> DueChange:
    old = date.fromisoformat(row["old_due"]) if row["old_due"] else None
    return DueChange(
        row["campaign_id"],
        old,
        date.fromisoformat(row["new_due"]),
        row["changed_by"],
        row["changed_at"],
    )


class AssessmentRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def set_due(
        self, year: int, deadline_key: str, due: date, person_id: int | None
    ) -> tuple[Campaign, date | None]:
        """Set (or move) the date of the year's campaign ``deadline_key``, created if the
        year has none yet, and record who did it; one transaction. Returns the campaign
        as stored and the date it had before (None: none was set)."""
        now = self.db.now()

        def write(conn: sqlite3.Connection) -> tuple[Campaign, date | None]:
            conn.execute(
                "INSERT OR IGNORE INTO campaigns (year, deadline_key, due_date, created_at)"
                " VALUES (?, ?, NULL, ?)",
                (year, deadline_key, now),
            )
            row = conn.execute(
                "SELECT * FROM campaigns WHERE year = ? AND deadline_key = ?",
                (year, deadline_key),
            ).fetchone()
            before = _campaign(row).due_date
            if before != due:
                conn.execute(
                    "UPDATE campaigns SET due_date = ? WHERE id = ?", (due.isoformat(), row["id"])
                )
                conn.execute(
                    "INSERT INTO campaign_due_changes (campaign_id, old_due, new_due, changed_by,"
                    " changed_at) VALUES (?, ?, ?, ?, ?)",
                    (
                        row["id"],
                        before.isoformat() if before else None,
                        due.isoformat(),
                        person_id,
                        now,
                    ),
                )
            stored = conn.execute("SELECT * FROM campaigns WHERE id = ?", (row["id"],)).fetchone()
            return _campaign(stored), before

        return await self.db.write(write)

    async def changes(self, campaign_id: int) -> list[DueChange]:
        """Every setting of the campaign's date, oldest first."""
        rows = await self.db.fetch_all(
            "SELECT * FROM campaign_due_changes WHERE campaign_id = ? ORDER BY id", (campaign_id,)
        )
        return [_change(row) for row in rows]
