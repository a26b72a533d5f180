"""Queries the reminder jobs need in bulk (one query where the general repositories ask
once per person)."""

from __future__ import annotations

from collections import defaultdict

from storage.db import Database
from storage.models import Person, Roles, Status
from storage.people import GRANT_COLUMNS, _person, _roles


class ReminderRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def recipients(self) -> list[tuple[Person, Roles]]:
        """Active people who have started the bot and hold a role, with their roles, in
        one query (``PeopleRepo.with_telegram`` asks once per person)."""
        rows = await self.db.fetch_all(
            f"SELECT p.*, {GRANT_COLUMNS} FROM people p"
            " JOIN role_grants g ON g.person_id = p.id"
            " WHERE p.telegram_id IS NOT NULL AND p.is_active = 1 ORDER BY p.id"
        )
        grants = defaultdict(list)
        people: dict[int, Person] = {}
        for row in rows:
            people.setdefault(row["id"], _person(row))
            grants[row["id"]].append(row)
        return [(person, _roles(grants[person_id])) for person_id, person in people.items()]

    async def reported_schools(self, campaign_id: int) -> set[int]:
        """Schools whose submission for the campaign is submitted or accepted."""
        rows = await self.db.fetch_all(
            "SELECT school_id FROM submissions WHERE campaign_id = ? AND status IN (?, ?)",
            (campaign_id, Status.SUBMITTED, Status.ACCEPTED),
        )
        return {row[0] for row in rows}

    async def fingerprint(self) -> str:
        """A digest of everything the reminder plan is made from: a change made by another
        process (the command line: a roadmap import, a closed campaign) changes it."""
        row = await self.db.fetch_one(
            "SELECT"
            " (SELECT group_concat(id || ':' || coalesce(closed_at, '') || ':'"
            "  || coalesce(due_date, ''), ',') FROM campaigns),"
            " (SELECT group_concat(id || ':' || imported_at, ',') FROM roadmaps),"
            " (SELECT count(*) || ':' || coalesce(max(dates_set_at), '') FROM roadmap_events),"
            " (SELECT group_concat(person_id || ':' || coalesce(hour, '') || ':' || muted, ',')"
            "  FROM reminder_prefs)"
        )
        return "|".join(str(value) for value in row) if row else ""
