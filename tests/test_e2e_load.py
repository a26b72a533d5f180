"""Under load and faults: every person gets an answer, and nobody is told something false
about their data (issue «under load»). These tests run the sandbox with Telegram's limits
(30 messages a second, 1 a second per chat): they are about limits."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

from storage.models import Role
from storage.outbox import OutboxMessage
from storage.people import PersonData
from tests.harness import BotEnv, bot_under_test, callback_answer, sandbox_config

PEOPLE = 300
HELP = "Вот что вы можете сделать"


async def registered(env: BotEnv, count: int) -> list[int]:
    """``count`` coordinators who have joined (set up directly, to keep the test short)."""
    users = []
    for n in range(count):
        user = 700_000 + n
        person = await env.repo.people.create(
            PersonData(full_name=f"Иванова Мария {n}", telegram_id=user, locale="ru")
        )
        await env.repo.people.grant(person.id, Role.COORDINATOR, [])
        users.append(user)
    return users


async def burst(env: BotEnv, users: list[int], limit: float = 90) -> dict[int, int]:
    """Everyone sends /help within about a second; wait until each has a help text; return
    how many help texts each got."""
    await asyncio.gather(*(env.client.send_text(user, "/help") for user in users))
    deadline = time.monotonic() + limit
    while True:
        counts = {}
        for user in users:
            counts[user] = sum(HELP in m["text"] for m in await env.visible(user))
        if all(counts.values()) or time.monotonic() > deadline:
            return counts
        await asyncio.sleep(0.25)


async def test_three_hundred_people_at_once_are_each_answered_exactly_once(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, sandbox_config(paced=True)) as env:
        users = await registered(env, PEOPLE)
        counts = await burst(env, users)
        assert Counter(counts.values()) == {1: PEOPLE}


async def test_replies_come_before_a_reminder_wave_and_both_arrive(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, sandbox_config(paced=True)) as env:
        users = await registered(env, PEOPLE)
        wave = [
            OutboxMessage(f"wave:{user}", user, "⏰ Напоминание о сроке", "reminder")
            for user in users
        ]
        await env.repo.outbox.enqueue(wave)
        counts = await burst(env, users)
        assert Counter(counts.values()) == {1: PEOPLE}
        # the wave yielded to the replies and goes on after them, each reminder once
        deadline = time.monotonic() + 60
        while (await env.repo.outbox.counts())["sent"] < PEOPLE:
            assert time.monotonic() < deadline, await env.repo.outbox.counts()
            await asyncio.sleep(0.25)
        sent = [
            r["params"]["chat_id"]
            for r in await env.client.requests("sendMessage")
            if r["status"] == 200 and "Напоминание" in str(r["params"].get("text"))
        ]
        assert Counter(Counter(sent).values()) == {1: PEOPLE}


async def test_a_forged_button_with_a_huge_number_is_refused_like_any_other(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path) as env:
        user = await env.register(Role.PRINCIPAL, [await env.add_school("СОШ № 1")])
        menu = (await env.visible(user))[-1]
        for data in (
            "form:review:99999999999999999999999:-1:",
            "rev:open:99999999999999999999999:0:0",
            "cal:event:0:0:0:-5",
        ):
            update = await env.client.press(
                user, callback_data=data, message_id=menu["message_id"], force=True
            )
            refused = await env.client.wait_for(
                lambda u=update: callback_answer(env, u["callback_query_id"]), timeout=10
            )
            assert "недоступна" in refused["text"]


async def test_when_the_database_cannot_write_the_person_is_told_the_truth(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path) as env:
        school = await env.add_school("СОШ № 1")
        principal = await env.register(Role.PRINCIPAL, [school])
        coordinator = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        listing = await env.say(principal, "/submit")
        assert listing
        await env.repo.db.write(lambda conn: conn.execute("PRAGMA query_only = ON"))
        try:
            seen = len(await env.visible(coordinator))
            reply = (await env.say(principal, "/submit"))[-1]
            assert "НЕ сохранён" in reply["text"] and "всё сохранено" not in reply["text"]
            warned = await env.client.wait_for_messages(coordinator, seen + 1)
            assert "не может записывать" in warned[-1]["text"]
            again = (await env.say(principal, "/submit"))[-1]
            assert "НЕ сохранён" in again["text"]
            await asyncio.sleep(0.3)
            assert len(await env.visible(coordinator)) == seen + 1  # warned once
        finally:
            await env.repo.db.read(lambda conn: conn.execute("PRAGMA query_only = OFF"))
        works = (await env.say(principal, "/submit"))[-1]
        assert "Показатели" in works["text"]
