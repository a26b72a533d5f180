"""The demo region's announcements: a seminar held three weeks ago with the ШНОР schools
marked present (the form's hint reads it), and a webinar in ten days ready to send;
loading the demo again adds nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.announcements.demo import COMING, HELD
from bot.announcements.form_hint import participation_note
from bot.demo import load_demo_data
from bot.indicators.catalog import DEFAULT_CATALOG, load_catalog
from storage.announcements import Status
from storage.db import Database
from storage.repo import Repo

TODAY = date(2026, 9, 20)
ZONE = ZoneInfo("Europe/Moscow")


async def test_the_demo_has_a_seminar_held_and_a_webinar_to_send(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "demo.sqlite3")
    await db.migrate()
    try:
        repo = Repo(db)
        catalog = load_catalog(DEFAULT_CATALOG)
        demo = await load_demo_data(repo, catalog=catalog, today=TODAY)
        found = {a.title: a for a in await repo.announcements.listed()}
        assert set(found) == {HELD, COMING}
        held, coming = found[HELD], found[COMING]
        assert held.status is Status.SENT
        assert held.starts_at is not None and held.starts_at.astimezone(ZONE).date() == date(
            2026, 8, 30
        )
        shnor = {school.id for school in demo.schools if school.is_shnor}
        assert shnor and set(await repo.announcements.attendance(held.id)) == shnor
        assert coming.status is Status.DRAFT
        assert coming.starts_at is not None and coming.starts_at.astimezone(ZONE).hour == 15
        school = next(iter(shnor))
        note = await participation_note(repo, school, 2026, ZONE, "ru")
        assert "участвовала в 1 региональном мероприятии" in note and "30 августа" in note

        await load_demo_data(repo, catalog=catalog, today=TODAY)
        assert len(await repo.announcements.listed()) == 2
    finally:
        await db.close()
