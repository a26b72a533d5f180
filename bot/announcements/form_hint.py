"""The program's record of a school's participation, shown by the indicator form next to
the «regional events» question (the share of staff taking part in regional events)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.announcements.answers import participation_hint
from storage.repo import Repo

REGIONAL_EVENTS = "regional_events"  # the indicator's code in bot/data/indicators.toml


async def participation_note(
    repo: Repo, school_id: int, year: int, zone: ZoneInfo, locale: str
) -> str:
    """ "ℹ️ By the program's record, your school attended 2 regional events in 2026: …"."""
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    attended = await repo.announcements.attended_by([school_id], start, end)
    events = [
        (announcement.title, announcement.starts_at)
        for _school, announcement, _staff in attended
        if announcement.starts_at is not None
    ]
    return "ℹ️ " + participation_hint(events, year, zone, locale)
