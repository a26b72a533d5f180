"""The week's first digest brings coordinators the campaign's progress chart, through the
outbox; curators get the digest's text, and other days' digests carry no chart."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

from scheduler.reminders import ReminderScheduler
from storage.models import Role
from tests.harness import BotEnv, ShiftedClock, bot_under_test
from tests.test_e2e_charts import png_size

DIGEST = "Показатели за 2025/26 уч. г. — до 1 октября 2026 включительно"


async def settled(env: BotEnv, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        counts = await env.repo.outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the outbox did not settle: {await env.repo.outbox.counts()}")


async def test_the_weekly_digest_carries_the_progress_chart_to_coordinators(
    tmp_path: Path,
) -> None:
    # Monday 5 October 2026, 09:00 in Moscow: the day's digest is due at 10:00
    clock = ShiftedClock(datetime(2026, 10, 5, 6, 0, tzinfo=UTC))
    async with bot_under_test(tmp_path, clock=clock) as env:
        assert env.app is not None
        reminders: ReminderScheduler = env.app.dp["reminders"]
        late = await env.add_school("МБОУ «Казанская СОШ»")
        other = await env.add_school("МБОУ «Сосновская СОШ»")
        await env.register(Role.PRINCIPAL, [late], first_name="Елена")
        coordinator = await env.register(Role.COORDINATOR, first_name="Анна")
        curator = await env.register(Role.CURATOR, [late, other], first_name="Ольга")

        clock.jump(datetime(2026, 10, 5, 7, 0, 1, tzinfo=UTC))
        assert "digest:2026:10-01:2026-10-05@10" in await reminders.run_due()
        await settled(env)
        got = await env.visible(coordinator)
        [text] = [m for m in got if m.get("text", "").startswith(f"📋 Срок «{DIGEST}»")]
        [chart] = [m for m in got if "photo" in m and DIGEST in m["caption"]]
        assert chart["caption"].startswith(f"Ход сбора: «{DIGEST}».")
        assert "Источник: отчёты школ в боте на 5 октября 2026" in chart["caption"]
        picture = await env.client.file(max(chart["photo"], key=lambda p: p["width"])["file_id"])
        width, height = png_size(picture)
        assert width >= 800 and height >= 400
        assert got.index(text) < got.index(chart), "the chart follows the digest's text"
        assert not any("photo" in m for m in await env.visible(curator))

        # Tuesday's digest: the text again, no second chart
        clock.jump(datetime(2026, 10, 6, 7, 0, 1, tzinfo=UTC))
        assert "digest:2026:10-01:2026-10-06@10" in await reminders.run_due()
        await settled(env)
        got = await env.visible(coordinator)
        assert len([m for m in got if "photo" in m and DIGEST in m["caption"]]) == 1
        assert len([m for m in got if m.get("text", "").startswith(f"📋 Срок «{DIGEST}»")]) == 2

        # a restart the same day sends neither again
        await env.restart()
        assert env.app is not None
        again: ReminderScheduler = env.app.dp["reminders"]
        await again.run_due()
        await settled(env)
        got = await env.visible(coordinator)
        assert len([m for m in got if "photo" in m and DIGEST in m["caption"]]) == 1
        assert len([m for m in got if m.get("text", "").startswith(f"📋 Срок «{DIGEST}»")]) == 2
