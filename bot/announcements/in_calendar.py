"""Announced events in /calendar: for the people an announcement reaches once it is out,
and for the coordinators who manage it from when it is scheduled."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.announcements.access import author_roles, manages
from bot.announcements.audience import Choice, chosen_schools, reaches
from bot.calendar.view import Entry
from storage.models import Roles
from storage.repo import Repo


async def announcement_entries(
    repo: Repo, roles: Roles, start: date, end: date, zone: ZoneInfo
) -> list[Entry]:
    """The calendar's lines for the announced events of [start, end] (local dates)."""
    first = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    last = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    found = await repo.announcements.between(first, last)
    if not found:
        return []
    schools = {school.id: school for school in await repo.schools.list()}
    entries = []
    for announcement in found:
        visible = manages(roles, announcement)
        if not visible and announcement.status.out:
            author = author_roles(announcement)
            choice = Choice.from_json(announcement.audience)
            chosen = chosen_schools(choice, author, schools.values())
            visible = reaches(choice, author, roles, chosen, schools)[0]
        if not visible or announcement.starts_at is None:
            continue
        local = announcement.starts_at.astimezone(zone)
        entries.append(
            Entry(
                local.date(),
                local.date(),
                f"{local:%H:%M} {announcement.title}",
                announcement_id=announcement.id,
            )
        )
    return entries
