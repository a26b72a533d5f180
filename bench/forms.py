"""Form answers handled per second through the whole stack, against a bare aiogram echo bot
on the same sandbox in the same run.

    python -m bench.forms [--users 60] [--rounds 3] [--json]

Each principal answers the whole 1 October campaign (18 questions) as fast as the
sandbox delivers; the echo bot gets the same messages from the same number of users.
Both count until every reply has arrived. Goal (issue 3): at least half the echo rate.

Every bot under test runs in a process of its own, as it does in production, and this
process only generates the load (the senders, through the sandbox's control API) and
counts the replies; the sandbox has a process of its own too. So:

- the echo bot is ``python -m bench.echo_bot``, which imports aiogram and nothing of ours:
  it is a bare aiogram bot, without the process-wide changes our bot makes (such as
  keeping aiogram's response models built, ``bot/api_models.py``), which are part of our
  stack and would flatter the yardstick if it shared our process;
- our bot is the real ``python -m bot`` (settings in the environment), so it runs
  ``run_polling`` exactly as in production. Its database is prepared from here before it
  starts (schools and invitations); the principals then join with ``/start <code>`` and
  open the form through the sandbox, as people do. It uses the real clock: the 1 October
  campaign is overdue by now but still takes answers (marked late), which is what a
  principal answering today gets.

Timing starts once the bot under test has asked for updates (its first ``getUpdates`` in
the sandbox's request log) and has answered a first message from every user.

Replies are counted from the sandbox's chat list (a number per chat), not from its
request log, which holds every reply in full and is costly to read while the bots work.
Alongside the rates the bench prints the CPU time of the bot's process per message
(utime + stime from ``/proc/<pid>/stat``), which a busy machine disturbs less than the
rates. Figures are medians of the rounds.

Two more runs show where the form's time goes: the echo bot answering with one of the
form's questions (the same HTML text and buttons: the cost of the reply alone), and our
bot answering /help from strangers (its middlewares, routers and person look-up without
the form).

With ``--json`` it prints one line instead, a JSON object: ``ratio`` (form answers per
second over the echo bot's messages per second), ``form_rate`` and ``echo_rate``
(messages per second), ``form_cpu_ms`` and ``echo_cpu_ms`` (CPU ms per message of the
bot's process), ``cpu_ratio`` (echo CPU over form CPU per message), ``reply_ratio`` and
``help_ratio`` (the two runs above over the echo rate), ``users``, ``rounds``,
``messages`` (a round's, per bot) and every round's rates in ``form_rates`` and
``echo_rates``. Figures are medians of the rounds.
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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.people.invitations import create_invitation
from sandbox.client import SandboxClient
from storage.db import Database
from storage.models import Role
from storage.repo import Repo
from storage.schools import SchoolData

ANSWERS = [
    "40", "36", "45", "27", "30%", "20,5", "12 из 40", "2: учитель математики, учитель физики",
    "10 %", "50", "20 из 45", "30 %", "35 %", "50 %", "0 1 3", "нет", "нет", "25 из 27",
]  # fmt: skip
TOKEN = "123456789:AAHsandboxBENCHforFORMSonly_0123456789"
ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Run:
    rate: float  # messages answered per second
    cpu_ms: float  # CPU time of the bot's process per message


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    # the fields after the command name, which is in parentheses and may hold spaces;
    # utime and stime are fields 14 and 15 of the line, 11 and 12 after the name
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


async def wait_for_replies(client: SandboxClient, expected: int, limit: float = 120) -> None:
    """Until the bot's messages in all chats (kept since the last reset) reach ``expected``."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        chats = await client.chats()
        if sum(chat["bot_messages"] for chat in chats) >= expected:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"fewer than {expected} replies within {limit} s")


async def timed(
    client: SandboxClient, pid: int, users: list[int], texts: list[str] = ANSWERS
) -> Run:
    """Every user sends every text, one round of all users at a time, each round once the
    previous one is answered: a person answers the question on screen (the form reads a
    text sent before the next question arrived as a correction of the one before)."""
    await client.reset()
    started, cpu = time.monotonic(), process_cpu(pid)
    for number, text in enumerate(texts, start=1):
        await asyncio.gather(*(client.send_text(user, text) for user in users))
        await wait_for_replies(client, len(users) * number)
    count = len(users) * len(texts)
    elapsed, cpu = time.monotonic() - started, process_cpu(pid) - cpu
    return Run(count / elapsed, cpu / count * 1000)


@asynccontextmanager
async def bot_process(
    client: SandboxClient, log: Path, *command: str, env: dict[str, str] | None = None, cwd: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A bot under test in a process of its own, from its first ``getUpdates`` until
    SIGTERM (killed if it has not stopped 15 s later). Its output goes to ``log``."""
    await client.reset()  # the request log then holds this process's calls only
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            *command, env=env, cwd=cwd, stdin=asyncio.subprocess.DEVNULL,
            stdout=output, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not await client.requests(method="getUpdates"):
            if process.returncode is not None or time.monotonic() > deadline:
                tail = _tail(log)
                raise RuntimeError(f"{' '.join(command)} did not start polling:\n{tail}")
            await asyncio.sleep(0.1)
        yield process
    finally:
        await _stop(process)


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM, then SIGKILL if it has not stopped 15 s later."""
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        process.kill()
        await process.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


async def echo_run(
    client: SandboxClient, url: str, folder: Path, users: list[int], reply: dict[str, Any] | None
) -> Run:
    """The bare aiogram echo bot; with ``reply`` (the parameters of one of the form's
    questions), it answers every message with that question instead."""
    command = [sys.executable, "-m", "bench.echo_bot", "--api", url, "--token", TOKEN]
    if reply is not None:
        command += ["--reply", json.dumps(reply)]
    async with bot_process(client, folder / "echo.log", *command, cwd=ROOT) as process:
        for user in users:  # a first answer to every user before timing, as our bot gives
            await client.send_text(user, "hello")
        await wait_for_replies(client, len(users))
        return await timed(client, process.pid, users)


async def prepare_database(path: Path, users: list[int]) -> dict[int, str]:
    """Migrate, add a school per principal and invite them; returns the codes by user."""
    db = await Database.open(path)
    try:
        await db.migrate()
        repo = Repo(db)
        codes: dict[int, str] = {}
        for user in users:
            school, _ = await repo.schools.upsert(
                SchoolData(f"МБОУ «Школа № {user}»", "Ливенский район")
            )
            codes[user], _ = await create_invitation(repo, Role.PRINCIPAL, [school.id])
        return codes
    finally:
        await db.close()


async def open_form(client: SandboxClient, user: int, code: str) -> None:
    """The principal joins with the invitation and opens the 1 October campaign's form."""
    await client.send_text(user, f"/start {code}", first_name="Мария", last_name="Иванова")
    await client.wait_for_messages(user, 2, timeout=60)
    await client.send_text(user, "/submit")
    listing = await client.wait_for_messages(user, 3, timeout=60)
    markup = listing[-1]["reply_markup"]["inline_keyboard"]
    title = next(row[0]["text"] for row in markup if "октября" in row[0]["text"])
    await client.press(user, button_text=title)
    await client.wait_for(
        lambda: _asked(client, user), timeout=60, description=f"first question for {user}"
    )


async def _asked(client: SandboxClient, user: int) -> bool:
    return "вопрос 1 из" in ((await client.last_text(user)) or "")


async def form_runs(
    client: SandboxClient, url: str, folder: Path, users: list[int], strangers: list[int]
) -> tuple[Run, Run, dict[str, Any]]:
    """Our bot's rate for form answers; for /help from strangers; and the parameters of
    one question it sent (for the echo bot)."""
    os.mkdir(folder)
    database = folder / "bot.sqlite3"
    codes = await prepare_database(database, users)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE": url,
        "DATABASE_PATH": str(database),
        "TIMEZONE": "Europe/Moscow",
        "DEFAULT_LOCALE": "ru",
        "LOG_LEVEL": "WARNING",
        "FLOOD_BURST": "1000",
        "FLOOD_RATE": "1000",
    }
    command = [sys.executable, "-m", "bot", "run"]
    # the working directory is the bench's own folder: no stray .env is read
    async with bot_process(client, folder / "bot.log", *command, env=env, cwd=folder) as process:
        await asyncio.gather(*(open_form(client, user, codes[user]) for user in users))
        run = await timed(client, process.pid, users)
        for user in users:
            text = (await client.last_text(user)) or ""
            assert "ваши ответы" in text, text
        sent = await client.requests(method="sendMessage")
        params = next(r["params"] for r in sent if "вопрос 9 из" in r["params"]["text"])
        question = {key: params.get(key) for key in ("text", "parse_mode", "reply_markup")}
        help_run = await timed(client, process.pid, strangers, ["/help"] * len(ANSWERS))
    return run, help_run, question


@asynccontextmanager
async def sandbox_process() -> AsyncIterator[str]:
    """The sandbox in a process of its own, as Telegram is on another machine."""
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
        await _stop(process)


def _answers(client: SandboxClient):
    async def check() -> bool:
        try:
            await client.requests()
        except OSError:
            return False
        return True

    return check


async def measure(
    user_count: int, rounds: int
) -> tuple[list[Run], list[Run], list[Run], list[Run]]:
    """Every round's runs of the echo bot, of the form, of the echo bot sending one of the
    form's questions and of our bot answering /help."""
    echo_runs: list[Run] = []
    form_runs_: list[Run] = []
    reply_runs: list[Run] = []  # the echo bot sending the form's question instead
    help_runs: list[Run] = []  # our bot answering /help from strangers
    async with sandbox_process() as url, SandboxClient(url) as client:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            for round_ in range(rounds):
                first = 10_000 + round_ * 4 * user_count
                echo_users = list(range(first, first + user_count))
                form_users = [user + user_count for user in echo_users]
                reply_users = [user + 2 * user_count for user in echo_users]
                strangers = [user + 3 * user_count for user in echo_users]
                echo_runs.append(await echo_run(client, url, folder, echo_users, None))
                run, help_run, question = await form_runs(
                    client, url, folder / f"round{round_}", form_users, strangers
                )
                form_runs_.append(run)
                help_runs.append(help_run)
                reply_runs.append(await echo_run(client, url, folder, reply_users, question))
    return echo_runs, form_runs_, reply_runs, help_runs


def main(user_count: int, rounds: int, as_json: bool) -> None:
    echo_runs, form_runs_, reply_runs, help_runs = asyncio.run(measure(user_count, rounds))
    echo, form, reply, help_ = (
        _median(runs) for runs in (echo_runs, form_runs_, reply_runs, help_runs)
    )
    if as_json:
        figures = {
            "ratio": round(form.rate / echo.rate, 3),
            "form_rate": round(form.rate, 1),
            "echo_rate": round(echo.rate, 1),
            "form_cpu_ms": round(form.cpu_ms, 3),
            "echo_cpu_ms": round(echo.cpu_ms, 3),
            "cpu_ratio": round(echo.cpu_ms / form.cpu_ms, 3),
            "reply_ratio": round(reply.rate / echo.rate, 3),
            "help_ratio": round(help_.rate / echo.rate, 3),
            "users": user_count,
            "rounds": rounds,
            "messages": user_count * len(ANSWERS),
            "form_rates": [round(r.rate, 1) for r in form_runs_],
            "echo_rates": [round(r.rate, 1) for r in echo_runs],
        }
        print(json.dumps(figures))
        return
    print(
        f"{rounds} rounds of {user_count * len(ANSWERS)} messages from {user_count} users, "
        "each bot in its own process; medians:"
    )
    print(f"echo bot:        {_line(echo, echo_runs)}")
    print(f"form:            {_line(form, form_runs_)}")
    print(
        f"ratio:           {form.rate / echo.rate:6.2f} of the echo rate (goal: at least 0.5);"
        f" {echo.cpu_ms / form.cpu_ms:.2f} by CPU time per message"
    )
    print("where the time goes:")
    print(f"  echo bot sending the form's question (the reply alone): {reply.rate / echo.rate:.2f}")
    print(f"    {_line(reply, reply_runs)}")
    print(f"  our bot answering /help from strangers (no form): {help_.rate / echo.rate:.2f}")
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
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    main(args.users, args.rounds, args.json)
