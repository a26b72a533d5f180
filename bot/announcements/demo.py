"""The demo region's announcements (``python -m bot demo``, ``demo-data``): a seminar held
three weeks ago whose attendance the coordinator marked (the ШНОР schools: the indicator
form shows it by the «regional events» question, /announce exports it), and a webinar in
ten days, composed and ready to preview and send. Loading twice adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.announcements.audience import Choice, Kind
from storage.models import School
from storage.repo import Repo

HELD = "Региональный семинар «Эффективные практики управления в ШНОР»"
COMING = "Вебинар «Как заполнить показатели до 1 октября»"
ZONE = ZoneInfo("Europe/Moscow")  # the demo region's time zone


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


async def demo_announcements(
    repo: Repo, today: date, author_id: int, schools: Sequence[School]
) -> int:
    """Add the two announcements unless they are there; how many were added."""
    titles = {announcement.title for announcement in await repo.announcements.listed()}
    added = 0
    if HELD not in titles:
        held_on = today - timedelta(days=21)
        held = await repo.announcements.create(
            author_id,
            None,
            HELD,
            fields={
                "starts_at": _at(held_on, 14),
                "ends_at": _at(held_on, 16),
                "format": "in_person",
                "place": "г. Орёл, ул. Гостиная, 10, ИРО, актовый зал",
                "description": "Доклады руководителей школ, обмен опытом, круглый стол.",
                "audience": Choice(kinds=frozenset({Kind.SHNOR})).to_json(),
            },
        )
        await repo.announcements.start_sending(held.id, [])
        await repo.announcements.finish(held.id)
        for school in schools:
            if school.is_shnor:
                await repo.announcements.mark_attendance(held.id, school.id, True, 2, author_id)
        added += 1
    if COMING not in titles:
        on = today + timedelta(days=10)
        await repo.announcements.create(
            author_id,
            None,
            COMING,
            fields={
                "starts_at": _at(on, 15),
                "ends_at": _at(on, 16),
                "format": "online",
                "place": "https://meet.example.ru/pokazateli",
                "description": (
                    "Разберём вопросы формы <b>по шагам</b>: доли, «12 из 40», ссылки и файлы."
                ),
            },
        )
        added += 1
    return added
