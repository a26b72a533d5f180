"""A consultation booked just before the bot is killed (kill -9) while its confirmation
is on its way: after the restart the booking exists once, the confirmation arrives
once, and the school still sees its booking. ``python -m bot`` as a real process."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.consultations.availability import read_availability
from bot.indicators.form import local_today
from sandbox.client import SandboxClient
from sandbox.server import start_sandbox
from storage.models import Role
from storage.people import PersonData
from storage.schools import SchoolData
from tests.harness import TOKEN, buttons, open_repo, sandbox_config

MOSCOW = ZoneInfo("Europe/Moscow")
CURATOR, PRINCIPAL = 5101, 5102


async def region(path: Path) -> None:
    """A school, its curator with every day's 10:00–18:00 published, and its principal."""
    db, repo = await open_repo(path)
    try:
        school, _ = await repo.schools.upsert(SchoolData("МБОУ «Казанская СОШ»", "Ливенский район"))
        curator = await repo.people.create(PersonData("Селиванова Ольга", telegram_id=CURATOR))
        await repo.people.grant(curator.id, Role.CURATOR, [school.id])
        principal = await repo.people.create(PersonData("Бурцева Елена", telegram_id=PRINCIPAL))
        await repo.people.grant(principal.id, Role.PRINCIPAL, [school.id])
        today = local_today(MOSCOW, datetime.now(UTC))
        availability = read_availability("каждый день 10:00–18:00", today=today, zone=MOSCOW)
        published = await repo.consultations.publish(
            curator.id,
            availability.text,
            availability.first_day,
            availability.last_day,
            availability.intervals,
            length_min=30,
            buffer_min=0,
            notice_min=120,
            fmt="online",
            place="https://telemost.yandex.ru/j/1",
        )
        assert published is not None
    finally:
        await db.close()


async def start_bot(url: str, path: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE": url,
        "DATABASE_PATH": str(path),
        "TIMEZONE": "Europe/Moscow",
        "QUIET_HOURS": "",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=path.parent,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def step(client: SandboxClient, user: int, **press: Any) -> dict:
    """Press a button (by ``button_text`` or ``callback_data``) or send ``text``; the
    message that appeared or changed."""

    def look(message: dict) -> tuple:
        return message.get("text"), str(message.get("reply_markup"))

    before = {m["message_id"]: look(m) for m in await client.messages(user)}
    if "text" in press:
        await client.send_text(user, press["text"])
    else:
        await client.press(user, **press)

    async def changed() -> dict | None:
        fresh = [
            m
            for m in await client.messages(user)
            if m["message_id"] not in before or before[m["message_id"]] != look(m)
        ]
        return fresh[-1] if fresh else None

    return await client.wait_for(changed, timeout=15)


def first(message: dict, prefix: str) -> str:
    return next(d for d in buttons(message).values() if d.startswith(prefix))


async def documents(client: SandboxClient, user: int) -> list[dict]:
    return [m for m in await client.messages(user) if m.get("document")]


async def test_a_kill_between_booking_and_confirmation_books_once_and_confirms_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    await region(path)
    async with start_sandbox(config=sandbox_config()) as sandbox:
        async with SandboxClient(sandbox.url) as client:
            process = await start_bot(sandbox.url, path)
            try:
                await client.wait_for(lambda: client.requests(method="getUpdates"), timeout=20)
                await step(client, CURATOR, text="/menu")  # the sandbox knows the chat now
                await step(client, PRINCIPAL, text="/consultations")
                hosts = await step(client, PRINCIPAL, button_text="➕ Записаться на консультацию")
                month = await step(client, PRINCIPAL, callback_data=first(hosts, "csl:month"))
                day = await step(client, PRINCIPAL, callback_data=first(month, "csl:day"))
                await step(client, PRINCIPAL, callback_data=first(day, "csl:slot"))
                # the confirmation and the curator's notice hang on their way to Telegram;
                # the bot is killed then
                await client.fault("sendDocument", count=2, kind="timeout", delay=10)
                await client.send_text(PRINCIPAL, "Программа развития")
                await client.wait_for(lambda: client.requests(method="sendDocument"), timeout=15)
                process.kill()
                await process.wait()
                await client.clear_faults()
                assert await documents(client, PRINCIPAL) == []
                assert await documents(client, CURATOR) == []
                process = await start_bot(sandbox.url, path)
                await client.wait_for(lambda: documents(client, PRINCIPAL), timeout=20)
                # the school still sees its booking after the restart
                home = await step(client, PRINCIPAL, text="/consultations")
                assert "Программа развития" in home["text"]
                await client.wait_for(lambda: documents(client, CURATOR), timeout=20)
                await asyncio.sleep(0.5)  # time for a second confirmation, were there one
                (confirmation,) = await documents(client, PRINCIPAL)
                assert confirmation["caption"].startswith("✅ Вы записаны на консультацию.")
                assert len(await documents(client, CURATOR)) == 1
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(process.communicate(), 20)
    db, repo = await open_repo(path)
    try:
        now = datetime.now(UTC)
        (booked,) = await repo.consultations.all_between(now, now + timedelta(days=60))
        assert booked.topic == "Программа развития"
    finally:
        await db.close()
