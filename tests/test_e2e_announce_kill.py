"""``kill -9`` of the bot process in the middle of an announcement's delivery, then a new
process: every recipient gets the announcement (counted from the sandbox's request log),
and a copy is sent twice only if its request was on its way when the process died —
Telegram has no way to ask whether a message arrived, so at most the sends in flight
(``DeliverySettings.concurrency``) can be repeated; nothing else is."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from sandbox.client import SandboxClient
from sandbox.server import start_sandbox
from scheduler.delivery import DeliverySettings
from storage.db import Database
from storage.models import Role
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData
from tests.harness import TOKEN, sandbox_config

RECIPIENTS = 40
FIRST, COORDINATOR = 810_000, 819_999
TITLE = "Семинар «Сбой процесса»"


async def prepare(path: Path) -> list[int]:
    """Principals who have written to the bot once, a regional coordinator, a draft."""
    db = await Database.open(path)
    try:
        await db.migrate()
        repo = Repo(db)
        users = []
        for n in range(RECIPIENTS):
            school, _ = await repo.schools.upsert(SchoolData(f"МБОУ «СОШ № {n}»", "Район"))
            person = await repo.people.create(
                PersonData(f"Петрова Анна {n}", telegram_id=FIRST + n, locale="ru")
            )
            await repo.people.grant(person.id, Role.PRINCIPAL, [school.id])
            users.append(FIRST + n)
        author = await repo.people.create(PersonData("Ким Анна", telegram_id=COORDINATOR))
        await repo.people.grant(author.id, Role.COORDINATOR, [])
        await repo.announcements.create(
            author.id,
            None,
            TITLE,
            fields={
                "starts_at": datetime.now(UTC).replace(microsecond=0) + timedelta(days=7),
                "format": "online",
                "place": "https://meet.example.ru/x",
            },
        )
        return users
    finally:
        await db.close()


async def take_updates(url: str) -> None:
    """The updates of those first messages are taken, as by an earlier run of the bot."""
    async with aiohttp.ClientSession() as session:
        address = f"{url}/bot{TOKEN}/getUpdates"
        async with session.post(address, json={"offset": -1, "timeout": 0}) as response:
            last = (await response.json())["result"]
        async with session.post(
            address, json={"offset": last[-1]["update_id"] + 1, "timeout": 0}
        ) as response:
            await response.read()


async def bot(client: SandboxClient, env: dict[str, str], cwd: Path) -> Any:
    """``python -m bot`` once it polls."""
    before = len(await client.requests(method="getUpdates"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=cwd, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip

    async def polling() -> bool:
        return len(await client.requests(method="getUpdates")) > before

    await client.wait_for(polling, timeout=60, description="the bot polling")
    return process


async def press(client: SandboxClient, user: int, text: str) -> None:
    async def shown() -> str | None:
        for message in reversed(await client.messages(user)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"].startswith(text):
                        return str(button["text"])
        return None

    await client.press(user, button_text=await client.wait_for(shown, timeout=20))


async def copies(client: SandboxClient) -> Counter[int]:
    return Counter(
        int(r["params"]["chat_id"])
        for r in await client.requests(method="sendMessage")
        if r["status"] == 200 and str(r["params"].get("text", "")).startswith("📣")
    )


async def test_a_kill_in_the_middle_loses_nothing_and_repeats_at_most_the_sends_in_flight(
    tmp_path: Path,
) -> None:
    async with (
        start_sandbox(config=sandbox_config()) as sandbox,
        SandboxClient(sandbox.url) as client,
    ):
        users = await prepare(tmp_path / "bot.sqlite3")
        await asyncio.gather(*(client.send_text(user, "/start") for user in users))
        await client.send_text(COORDINATOR, "/start")
        await take_updates(sandbox.url)
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE": sandbox.url,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
            "QUIET_HOURS": "",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("PYTHONASYNCIODEBUG", None)
        first = await bot(client, env, tmp_path)
        try:
            await client.send_text(COORDINATOR, "/announce")
            await press(client, COORDINATOR, TITLE[:20])
            await press(client, COORDINATOR, "📤 Отправить сейчас")
            await press(client, COORDINATOR, "📤 Да, отправить")

            async def some_sent() -> bool:
                return sum((await copies(client)).values()) >= RECIPIENTS // 4

            await client.wait_for(some_sent, timeout=30)
        finally:
            first.kill()  # SIGKILL: nothing is flushed, nothing is stopped
            await first.wait()
        before = await copies(client)
        assert sum(before.values()) < RECIPIENTS, "the kill came after the delivery"

        second = await bot(client, env, tmp_path)
        try:

            async def everyone() -> bool:
                return set(await copies(client)) == set(users)

            await client.wait_for(everyone, timeout=60, description="every copy")
            await asyncio.sleep(0.5)  # nothing more comes
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 20)
        got = await copies(client)
        assert set(got) == set(users)
        repeated = sum(n - 1 for n in got.values())
        assert repeated <= DeliverySettings().concurrency, got
