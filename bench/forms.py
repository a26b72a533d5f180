"""Form answers handled per second through the whole stack, against a bare aiogram echo bot
on the same sandbox in the same run.

    python -m bench.forms [--users 20]

Each principal answers the whole 1 October campaign (17 questions) as fast as the
sandbox delivers; the echo bot gets the same messages from the same users. Both
count until every reply has arrived. Goal (issue 3): at least half the echo rate.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

from bot.invitations import create_invitation
from sandbox.client import SandboxClient
from storage.models import Role
from storage.schools import SchoolData
from tests.harness import TOKEN, BotEnv, make_settings

ANSWERS = [
    "40", "45", "27", "30%", "20,5", "12 из 40", "2: учитель математики, учитель физики",
    "10", "50", "20 из 45", "30", "35", "50 %", "0 1 3", "нет", "нет", "25 из 27",
]  # fmt: skip
SEPTEMBER = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)


async def wait_for_replies(client: SandboxClient, expected: int, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        sent = await client.requests(method="sendMessage")
        if sum(1 for r in sent if r["status"] == 200) >= expected:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"fewer than {expected} replies within {limit} s")


async def echo_rate(client: SandboxClient, url: str, users: list[int]) -> float:
    session = AiohttpSession(api=TelegramAPIServer.from_base(url))
    bot = Bot(TOKEN, session=session)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    for user in users:  # the chats exist before timing, as in the bot's run
        await client.send_text(user, "hello")
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    await wait_for_replies(client, len(users))
    await client.reset()
    started = time.monotonic()
    for answer in ANSWERS:
        await asyncio.gather(*(client.send_text(user, answer) for user in users))
    await wait_for_replies(client, len(users) * len(ANSWERS))
    elapsed = time.monotonic() - started
    await dp.stop_polling()
    await polling
    await bot.session.close()
    return len(users) * len(ANSWERS) / elapsed


async def form_rate(client: SandboxClient, url: str, users: list[int], folder: Path) -> float:
    settings = make_settings(folder, url, flood_burst=1000, flood_rate=1000, log_level="WARNING")
    env = BotEnv(folder, None, client, settings, clock=lambda: SEPTEMBER)  # type: ignore[arg-type]
    await env.start()
    try:
        for user in users:
            school, _ = await env.repo.schools.upsert(
                SchoolData(f"МБОУ «Школа № {user}»", "Ливенский район")
            )
            code, _ = await create_invitation(env.repo, Role.PRINCIPAL, [school.id])
            await env.say(user, f"/start {code}", expect=2, first_name="Мария", last_name="Иванова")
            listing = await env.say(user, "/submit")
            markup = listing[0]["reply_markup"]["inline_keyboard"]
            title = next(row[0]["text"] for row in markup if "октября" in row[0]["text"])
            await client.press(user, button_text=title)
            await client.wait_for(
                lambda user=user: _asked(client, user), timeout=10, description="first question"
            )
        await client.reset()
        started = time.monotonic()
        for answer in ANSWERS:
            await asyncio.gather(*(client.send_text(user, answer) for user in users))
        await wait_for_replies(client, len(users) * len(ANSWERS))
        elapsed = time.monotonic() - started
        for user in users:
            text = (await client.last_text(user)) or ""
            assert "ваши ответы" in text and "⚠️" not in text, text
        return len(users) * len(ANSWERS) / elapsed
    finally:
        await env.stop()


async def _asked(client: SandboxClient, user: int) -> bool:
    return "вопрос 1 из" in ((await client.last_text(user)) or "")


@asynccontextmanager
async def sandbox_process() -> AsyncIterator[str]:
    """The sandbox in a process of its own, as Telegram is on another machine: the
    bot's process then spends its time on the bot only."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "--port", str(port),
        "--global-rate", "0", "--chat-rate", "0",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with SandboxClient(url) as client:
            await client.wait_for(_answers(client), timeout=20, description="sandbox up")
        yield url
    finally:
        process.terminate()
        await process.wait()


def _answers(client: SandboxClient):
    async def check() -> bool:
        try:
            await client.requests()
        except OSError:
            return False
        return True

    return check


async def main(user_count: int, rounds: int) -> None:
    echo_runs, form_runs = [], []
    async with sandbox_process() as url, SandboxClient(url) as client:
        with tempfile.TemporaryDirectory() as folder:
            for round_ in range(rounds):
                first = 10_000 + round_ * 2 * user_count
                echo_runs.append(
                    await echo_rate(client, url, list(range(first, first + user_count)))
                )
                await client.reset()
                users = list(range(first + user_count, first + 2 * user_count))
                form_runs.append(await form_rate(client, url, users, Path(folder)))
                await client.reset()
    echo, form = statistics.median(echo_runs), statistics.median(form_runs)
    answers = user_count * len(ANSWERS)
    print(f"{rounds} rounds of {answers} messages from {user_count} users; medians:")
    print(f"echo bot:   {echo:7.1f} replies/s  (runs: {', '.join(f'{r:.0f}' for r in echo_runs)})")
    print(f"form:       {form:7.1f} answers/s  (runs: {', '.join(f'{r:.0f}' for r in form_runs)})")
    print(f"ratio:      {form / echo:7.2f} of the echo rate (goal: at least 0.5)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.rounds))
