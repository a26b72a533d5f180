"""A restart in the middle of an announcement's delivery, end to end: the delivery goes on
where it stopped, nobody gets the announcement twice (counted from what the sandbox
accepted), and the coordinator still gets the final report. Also a crash between fixing
the recipients and queueing the messages: the restart queues them."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

from scheduler.delivery import DeliverySettings
from storage.announcements import Status
from storage.models import Role
from storage.people import PersonData
from tests.announcements_region import (
    NOON,
    compose,
    coordinator_says,
    latest_announcement,
    scheduler_of,
    send_now,
    settled,
    until,
)
from tests.harness import BotEnv, bot_under_test

PRINCIPALS = 30
# slow enough for the restart to fall in the middle of the delivery
SLOW = DeliverySettings(rate=20, burst=1, chat_interval=0)
EVERY = 0.4  # seconds between two looks of the progress watcher (3 in production)


async def principals(env: BotEnv, count: int) -> list[int]:
    """``count`` principals of as many schools, set up directly; each has written to the
    bot once (so that Telegram has their chat)."""
    users = []
    for n in range(count):
        school = await env.add_school(f"МБОУ «СОШ № {n + 10}»", short_name=f"СОШ № {n + 10}")
        user = 800_000 + n
        person = await env.repo.people.create(
            PersonData(full_name=f"Петрова Анна {n}", telegram_id=user, locale="ru")
        )
        await env.repo.people.grant(person.id, Role.PRINCIPAL, [school])
        users.append(user)
    await asyncio.gather(*(env.client.send_text(user, "/help") for user in users))
    for user in users:
        await env.client.wait_for_messages(user, 1)
    return users


async def copies(env: BotEnv, fragment: str) -> Counter[int]:
    """How many copies of the announcement each chat was sent (accepted by Telegram)."""
    return Counter(
        int(r["params"]["chat_id"])
        for r in await env.client.requests(method="sendMessage")
        if r["status"] == 200
        and str(r["params"].get("text", "")).startswith("📣")
        and fragment in str(r["params"].get("text", ""))
    )


async def test_a_restart_mid_delivery_sends_the_rest_and_nothing_twice(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON, delivery=SLOW) as env:
        users = await principals(env, PRINCIPALS)
        coordinator = await env.register(Role.COORDINATOR, first_name="Анна", last_name="Ким")
        scheduler_of(env)
        await compose(env, coordinator, title="Семинар «Перезапуск»")
        await send_now(env, coordinator)
        await until(lambda: _sent_at_least(env, 8))
        await env.stop()
        sent_before = sum((await copies(env, "Перезапуск")).values())
        assert sent_before < PRINCIPALS, "the restart came after the delivery"
        await env.start()
        restarted = time.time()
        scheduler_of(env).progress.every = EVERY
        await settled(env, limit=30)
        got = await copies(env, "Перезапуск")
        assert set(got) == set(users) and set(got.values()) == {1}
        report = await coordinator_says(env, coordinator, "рассылка завершена")
        assert f"Доставлено: {PRINCIPALS} из {PRINCIPALS}" in report["text"], report["text"]
        announcement = await latest_announcement(env)
        assert announcement.status is Status.SENT
        # the progress message went on being edited after the restart, never faster than
        # the watcher's pace
        edits = [
            r["time"]
            for r in await env.client.requests(method="editMessageText")
            if r["status"] == 200
            and int(r["params"]["chat_id"]) == coordinator
            and r["time"] >= restarted
        ]
        assert edits and min((b - a for a, b in pairwise(edits)), default=EVERY) >= EVERY * 0.95


async def test_a_crash_before_the_messages_were_queued_is_caught_up_at_start(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        users = await principals(env, 5)
        coordinator = await env.register(Role.COORDINATOR, first_name="Анна", last_name="Ким")
        await compose(env, coordinator, title="Семинар «Сбой»")
        announcement = await latest_announcement(env)
        sender = scheduler_of(env).sender
        found = await sender.reach(announcement)
        recipients = [(person.id, school_id) for person, school_id in found.recipients]
        # the first half of a start: the recipients fixed, then the process died
        assert await env.repo.announcements.start_sending(announcement.id, recipients)
        assert (await env.repo.outbox.counts())["pending"] == 0
        await env.restart()
        scheduler_of(env)
        await until(lambda: _queued(env))
        await settled(env)
        got = await copies(env, "Сбой")
        assert set(got) == set(users) and set(got.values()) == {1}
        await env.restart()  # and once more: nothing again
        await asyncio.sleep(0.3)
        await settled(env)
        assert await copies(env, "Сбой") == got


async def _sent_at_least(env: BotEnv, count: int) -> bool:
    return (await env.repo.outbox.counts())["sent"] >= count


async def _queued(env: BotEnv) -> bool:
    counts = await env.repo.outbox.counts()
    return counts["pending"] + counts["sending"] + counts["sent"] > 0
