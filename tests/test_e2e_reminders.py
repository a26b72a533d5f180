"""Reminders end to end: the real bot, its reminder scheduler and outbox worker, against
the sandbox Bot API with faults injected and one principal who blocked the bot."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from scheduler.delivery import DeliverySettings
from scheduler.reminders import ReminderScheduler
from storage.models import Role
from tests.harness import BotEnv, ShiftedClock, bot_under_test

REMINDER = (
    "⏰ Напоминание: «Показатели за 2025/26 уч. г. — до 1 октября 2026 включительно»"
    " — осталось 7 дней"
)
FAST_RETRIES = DeliverySettings(backoff_base=0.3, request_timeout=3, chat_interval=1.0)


async def settled(env: BotEnv, limit: float = 20) -> dict[str, int]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        counts = await env.repo.outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return counts
        await asyncio.sleep(0.05)
    raise AssertionError(f"the outbox did not settle: {await env.repo.outbox.counts()}")


async def test_deadline_reminders_reach_each_principal_once_through_faults(
    tmp_path: Path,
) -> None:
    # 09:00 in Moscow on 24 September 2026: the 7-day reminder is due at 10:00
    clock = ShiftedClock(datetime(2026, 9, 24, 6, 0, tzinfo=UTC))
    async with bot_under_test(tmp_path, clock=clock, delivery=FAST_RETRIES) as env:
        assert env.app is not None
        reminders: ReminderScheduler = env.app.dp["reminders"]
        users = []
        for n in range(6):
            school = await env.add_school(f"СОШ №{n + 1}")
            users.append(
                await env.register(
                    Role.PRINCIPAL,
                    [school],
                    first_name=["Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор"][n],
                )
            )
        blocked = users[2]
        await env.client.block(blocked)
        await env.client.fault("sendMessage", count=2, code=429, retry_after=1)
        await env.client.fault("sendMessage", count=1, code=500)
        await env.client.fault("sendMessage", count=1, code=502, kind="html")
        await env.client.fault("sendMessage", count=1, kind="drop")

        assert await reminders.run_due() == []  # nothing is due at 09:00
        clock.jump(datetime(2026, 9, 24, 7, 0, 1, tzinfo=UTC))
        assert "deadline:2026:10-01:d7@10" in await reminders.run_due()
        counts = await settled(env)
        assert counts["sent"] == 5 and counts["blocked"] == 1 and counts["failed"] == 0
        assert await env.client.faults() == []

        for user in users:
            got = [m for m in await env.visible(user) if m["text"].startswith(REMINDER)]
            assert len(got) == (0 if user == blocked else 1), user
        accepted = Counter(
            int(r["params"]["chat_id"])
            for r in await env.client.requests(method="sendMessage")
            if r["status"] == 200 and r["params"]["text"].startswith(REMINDER)
        )
        assert accepted == Counter({user: 1 for user in users if user != blocked})
        person = await env.repo.people.by_telegram_id(blocked)
        assert person is not None and not person.is_active

        # the bot restarts: nothing is queued or sent again
        await env.restart()
        await asyncio.sleep(0.3)
        assert (await env.repo.outbox.counts())["sent"] == 5
        again = [
            r
            for r in await env.client.requests(method="sendMessage")
            if r["status"] == 200 and r["params"]["text"].startswith(REMINDER)
        ]
        assert len(again) == 5
