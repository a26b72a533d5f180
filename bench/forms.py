"""Form answers handled per second through the whole stack, against a bare aiogram echo bot
on the same sandbox in the same run.

    python -m bench.forms [--users 60] [--rounds 3]

Each principal answers the whole 1 October campaign (17 questions) as fast as the
sandbox delivers; the echo bot gets the same messages from the same users. Both
count until every reply has arrived. Goal (issue 3): at least half the echo rate.

Replies are counted from the sandbox's chat list (a number per chat), not from its
request log: the log holds every reply in full, so reading it ten times a second cost
the bot's process time that grew with the length of the replies and of the run, more
for the form's long questions than for the echo's short ones. Alongside the rates the
bench prints the CPU time of the bot's process per message (the bot, the senders and
the counting share that process; the sandbox has its own), which a busy machine
disturbs less than the rates.

Two more runs show where the form's time goes: the echo bot answering with one of the
form's questions (the same HTML text and buttons: the cost of the reply alone), and the
bot answering /help from strangers (the bot's middlewares, routers and person look-up
without the form).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import InlineKeyboardMarkup, Message

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


@dataclass(frozen=True)
class Run:
    rate: float  # messages answered per second
    cpu_ms: float  # CPU time of this process per message


async def wait_for_replies(client: SandboxClient, expected: int, limit: float = 300) -> None:
    """Until the bot's messages in all chats (kept since the last reset) reach ``expected``."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        chats = await client.chats()
        if sum(chat["bot_messages"] for chat in chats) >= expected:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"fewer than {expected} replies within {limit} s")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def timed(client: SandboxClient, users: list[int], texts: list[str] = ANSWERS) -> Run:
    """Every user sends every text (one round of all users at a time); wait for the replies."""
    await client.reset()
    started, cpu = time.monotonic(), cpu_seconds()
    for text in texts:
        await asyncio.gather(*(client.send_text(user, text) for user in users))
    count = len(users) * len(texts)
    await wait_for_replies(client, count)
    elapsed, cpu = time.monotonic() - started, cpu_seconds() - cpu
    return Run(count / elapsed, cpu / count * 1000)


async def echo_rate(
    client: SandboxClient, url: str, users: list[int], reply: dict[str, Any] | None = None
) -> Run:
    """The bare aiogram echo bot; with ``reply`` (the parameters of one of the form's
    questions), it answers every message with that question instead: the same HTML text
    and buttons the form sends, without database, state or form logic."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(url))
    bot = Bot(TOKEN, session=session)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        if reply is None:
            await message.answer(message.text or "")
        else:
            markup = InlineKeyboardMarkup.model_validate_json(reply["reply_markup"])
            await message.answer(reply["text"], parse_mode=reply["parse_mode"], reply_markup=markup)

    for user in users:  # the chats exist before timing, as in the bot's run
        await client.send_text(user, "hello")
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    await wait_for_replies(client, len(users))
    run = await timed(client, users)
    await dp.stop_polling()
    await polling
    await bot.session.close()
    return run


async def form_rate(
    client: SandboxClient, url: str, users: list[int], strangers: list[int], folder: Path
) -> tuple[Run, Run, dict[str, Any]]:
    """The bot's rate for form answers; for /help from strangers (the same middlewares,
    routers and person look-up, without the form); and the parameters of one question it
    sent (for the echo bot)."""
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
        run = await timed(client, users)
        for user in users:
            text = (await client.last_text(user)) or ""
            assert "ваши ответы" in text and "⚠️" not in text, text
        sent = await client.requests(method="sendMessage")
        question = next(r["params"] for r in sent if "вопрос 9 из" in r["params"]["text"])
        help_run = await timed(client, strangers, ["/help"] * len(ANSWERS))
        return run, help_run, question
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
    echo_runs: list[Run] = []
    form_runs: list[Run] = []
    reply_runs: list[Run] = []  # the echo bot sending the form's question instead
    help_runs: list[Run] = []  # the bot answering /help from strangers
    async with sandbox_process() as url, SandboxClient(url) as client:
        with tempfile.TemporaryDirectory() as folder:
            for round_ in range(rounds):
                first = 10_000 + round_ * 4 * user_count
                echo_users = list(range(first, first + user_count))
                form_users = [user + user_count for user in echo_users]
                reply_users = [user + 2 * user_count for user in echo_users]
                strangers = [user + 3 * user_count for user in echo_users]
                echo_runs.append(await echo_rate(client, url, echo_users))
                await client.reset()
                run, help_run, question = await form_rate(
                    client, url, form_users, strangers, Path(folder)
                )
                form_runs.append(run)
                help_runs.append(help_run)
                await client.reset()
                reply_runs.append(await echo_rate(client, url, reply_users, question))
                await client.reset()
    echo, form, reply, help_ = (
        _median(runs) for runs in (echo_runs, form_runs, reply_runs, help_runs)
    )
    print(
        f"{rounds} rounds of {user_count * len(ANSWERS)} messages from {user_count} users; medians:"
    )
    print(f"echo bot:        {_line(echo, echo_runs)}")
    print(f"form:            {_line(form, form_runs)}")
    print(
        f"ratio:           {form.rate / echo.rate:6.2f} of the echo rate (goal: at least 0.5);"
        f" {echo.cpu_ms / form.cpu_ms:.2f} by CPU time per message"
    )
    print("where the time goes:")
    print(f"  echo bot sending the form's question (the reply alone): {reply.rate / echo.rate:.2f}")
    print(f"    {_line(reply, reply_runs)}")
    print(f"  the bot answering /help from strangers (no form): {help_.rate / echo.rate:.2f}")
    print(f"    {_line(help_, help_runs)}")


def _median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.rate for r in runs), statistics.median(r.cpu_ms for r in runs))


def _line(median: Run, runs: list[Run]) -> str:
    rates = ", ".join(f"{r.rate:.0f}" for r in runs)
    return f"{median.rate:6.1f} messages/s, {median.cpu_ms:4.2f} ms CPU each (runs: {rates})"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.rounds))
