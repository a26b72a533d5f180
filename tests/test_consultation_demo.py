"""The demo region's consultations: computed from today, loaded twice without doubling."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.demo import load_demo_data
from bot.indicators.catalog import load_catalog
from storage.consultations import Status
from tests.harness import open_repo

TODAY = date(2026, 12, 1)


async def test_the_demo_has_held_missed_and_coming_consultations_once(tmp_path: Path) -> None:
    db, repo = await open_repo(tmp_path / "bot.sqlite3")
    try:
        for _ in range(2):
            await load_demo_data(repo, catalog=load_catalog(), today=TODAY)
            now = datetime(2026, 12, 1, 6, tzinfo=UTC)
            found = await repo.consultations.all_between(
                now - timedelta(days=70), now + timedelta(days=30)
            )
            states = Counter(c.status for c in found)
            assert states == {Status.HELD: 10, Status.MISSED: 4, Status.BOOKED: 6}
        coming = [c for c in found if c.starts_at > now]
        assert all(c.booked_by != c.host_id for c in coming)  # booked by the principals
        assert all(c.outcome for c in found if c.status is Status.HELD)
        hosts = {c.host_id for c in found}
        assert len(hosts) == 2
        for host in hosts:
            assert await repo.consultations.publications(host, since=now)
    finally:
        await db.close()
