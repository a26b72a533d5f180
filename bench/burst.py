"""Replies under a burst: 300 people write at once on deadline day, with Telegram's limits
enforced by the sandbox, without and then with a 300-message reminder wave going out.

    python -m bench.burst [--people 300] [--json]

The real ``python -m bot`` runs in a process of its own against a sandbox in another
process (30 messages a second overall, 1 a second per chat, as Telegram). Every person
is a registered coordinator who sends /help within about a second; the bench waits until
every one has exactly one answer. Printed: how many were answered (goal: all, once each),
the reply latency from sending to the answer's arrival (p50, p99), against the least time
Telegram's overall limit allows for that many replies (the baseline: people / 30 s); and
with the wave, the reminders' achieved rate while the replies were going out (they yield
to the replies) and after.

With ``--json`` the last line is one JSON object: ``answered``, ``sent``, ``p50_s``,
``p99_s``, ``floor_s`` (the baseline), and for the run with the wave ``wave_answered``,
``wave_p50_s``, ``wave_p99_s``, ``wave_rate`` (reminders a second during the burst) and
``wave_rate_after`` (after it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.forms import bot_process
from sandbox.client import SandboxClient
from storage.db import Database
from storage.models import Role
from storage.outbox import OutboxMessage
from storage.people import PersonData
from storage.repo import Repo

TOKEN = "123456789:AAHsandboxBENCHforBURSTonly_0123456789"
GLOBAL_RATE = 30.0
HELP = "Вот что вы можете сделать"


async def prepare(path: Path, people: int, wave: bool) -> list[int]:
    db = await Database.open(path)
    try:
        await db.migrate()
        repo = Repo(db)
        users = []
        for n in range(people):
            user = 500_000 + n
            person = await repo.people.create(
                PersonData(full_name=f"Иванова Мария {n}", telegram_id=user, locale="ru")
            )
            await repo.people.grant(person.id, Role.COORDINATOR, [])
            users.append(user)
        if wave:
            await repo.outbox.enqueue(
                OutboxMessage(f"wave:{user}", user, "⏰ Напоминание о сроке", "reminder")
                for user in users
            )
        return users
    finally:
        await db.close()


async def answered_at(client: SandboxClient, users: list[int], limit: float) -> dict[int, float]:
    """When each user's help text arrived (monotonic), polling the chats."""
    found: dict[int, float] = {}
    deadline = time.monotonic() + limit
    while len(found) < len(users) and time.monotonic() < deadline:
        chats = {chat["chat_id"]: chat["bot_messages"] for chat in await client.chats()}
        now = time.monotonic()
        for user in users:
            if user not in found and chats.get(user, 0) > 0:
                texts = [m["text"] for m in await client.messages(user)]
                if any(HELP in text for text in texts):
                    found[user] = now
        await asyncio.sleep(0.05)
    return found


async def one_run(url: str, folder: Path, people: int, wave: bool) -> dict[str, Any]:
    os.mkdir(folder)
    database = folder / "bot.sqlite3"
    users = await prepare(database, people, wave)
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE": url,
        "DATABASE_PATH": str(database),
        "LOG_LEVEL": "WARNING",
        "QUIET_HOURS": "",
        "FLOOD_BURST": "1000",
        "FLOOD_RATE": "1000",
    }
    command = [sys.executable, "-m", "bot", "run"]
    async with SandboxClient(url) as client:
        async with bot_process(client, folder / "bot.log", *command, env=env, cwd=folder):
            started = time.monotonic()
            await asyncio.gather(*(client.send_text(user, "/help") for user in users))
            arrived = await answered_at(client, users, limit=120)
            burst_end = max(arrived.values(), default=time.monotonic())
            counts = [sum(HELP in m["text"] for m in await client.messages(user)) for user in users]
            result: dict[str, Any] = {
                "answered": sum(1 for c in counts if c >= 1),
                "sent": len(users),
                "answered_twice": sum(1 for c in counts if c > 1),
            }
            latencies = sorted(t - started for t in arrived.values())
            result["p50_s"] = round(statistics.median(latencies), 2) if latencies else None
            result["p99_s"] = (
                round(latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 2)
                if latencies
                else None
            )
            if wave:
                during = await _reminders(client)
                await asyncio.sleep(5)
                after = await _reminders(client)
                result["wave_rate"] = round(during / max(burst_end - started, 0.001), 1)
                result["wave_rate_after"] = round((after - during) / 5, 1)
    return result


async def _reminders(client: SandboxClient) -> int:
    return sum(
        1
        for r in await client.requests(method="sendMessage")
        if r["status"] == 200 and "Напоминание" in str(r["params"].get("text"))
    )


async def sandbox_process() -> tuple[asyncio.subprocess.Process, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "--port", str(port),
        "--global-rate", str(GLOBAL_RATE), "--chat-rate", "1",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    async with SandboxClient(url) as client:
        deadline = time.monotonic() + 20
        while True:
            try:
                await client.chats()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
    return process, url


async def main(people: int) -> dict[str, Any]:
    process, url = await sandbox_process()
    try:
        with tempfile.TemporaryDirectory() as folder:
            plain = await one_run(url, Path(folder) / "plain", people, wave=False)
            waved = await one_run(url, Path(folder) / "wave", people, wave=True)
    finally:
        process.terminate()
        await process.wait()
    return {
        **plain,
        "floor_s": round(people / GLOBAL_RATE, 2),
        "wave_answered": waved["answered"],
        "wave_answered_twice": waved["answered_twice"],
        "wave_p50_s": waved["p50_s"],
        "wave_p99_s": waved["p99_s"],
        "wave_rate": waved["wave_rate"],
        "wave_rate_after": waved["wave_rate_after"],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = asyncio.run(main(args.people))
    if not args.json:
        print(f"people writing at once: {figures['sent']}")
        print(
            f"answered: {figures['answered']} (twice: {figures['answered_twice']}); "
            f"latency p50 {figures['p50_s']} s, p99 {figures['p99_s']} s; "
            f"Telegram's limit allows it in {figures['floor_s']} s at best"
        )
        print(
            f"with a {figures['sent']}-reminder wave: answered {figures['wave_answered']} "
            f"(twice: {figures['wave_answered_twice']}); p50 {figures['wave_p50_s']} s, "
            f"p99 {figures['wave_p99_s']} s; reminders {figures['wave_rate']}/s during the "
            f"burst, {figures['wave_rate_after']}/s after it"
        )
        print("goal: every person answered exactly once")
    print(json.dumps(figures) if args.json else "")
