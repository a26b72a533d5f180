"""An announcement to many people while principals keep answering their forms: the rate
the broadcast achieves against the configured one, what it lost or sent twice, and how
long the principals wait for their replies meanwhile.

    python -m bench.broadcast [--recipients 10000] [--principals 60] [--json]

The real ``python -m bot`` runs in a process of its own against the sandbox in another,
with Telegram's limits (30 messages a second overall, 1 a second per chat after a burst
of 3). Every 30 seconds the sandbox is told to refuse the next sendMessage, in turn with a
429 (retry after 1 s: the worker holds every send for that second) and with a 502 (that
copy is tried again a few seconds later). The database is prepared before the bot
starts: ``--recipients`` principals of as many schools (``--principals`` of them join
with an invitation and open their 1 October form, the others have written to the bot
once, their updates already taken), a regional coordinator, and a composed announcement
to everyone. The coordinator sends it through the chat (/announce, the draft, «Send
now», «Yes, send»); from then on every form principal answers the next question about
every 20 s (a person's pace; their first answers are spread over those 20 s) until the
outbox has delivered or given up every copy.

Printed: ``rate_ratio`` — the announcement's accepted sendMessage calls per second, first
to last, over the delivery worker's configured rate (goal ≥ 0.95); ``lost`` (recipients
with no copy) and ``duplicated`` (copies beyond the first, from the sandbox's request
log; goal 0 and 0); the principals' reply latency (from sending an answer to the bot's
first call to their chat after it; p50, p99; goal p99 < 1 s); the 429s and 5xx met. The
exit code is 0 when the goals are met. ``--recipients 1000`` is a quick run (a minute);
the default takes about seven minutes.

With ``--json`` the last line is one JSON object: ``rate_ratio``, ``lost``,
``duplicated``, ``p50_reply_s``, ``p99_reply_s``, and ``recipients``, ``answers``,
``configured_rate``, ``achieved_rate``, ``span_s``, ``refused`` (refused sendMessage calls
by status) and ``outbox`` (the announcement's rows by state).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bench.forms import ANSWERS, _stop, _tail, open_form
from bench.outbox import in_chunks, sandbox_process
from bot.people.invitations import create_invitation
from sandbox.client import SandboxClient
from scheduler.delivery import DeliverySettings
from storage.db import Database
from storage.models import Role
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData

TOKEN = "123456789:AAHsandboxBENCHforBROADCAST_0123456789"
TITLE = "Региональный семинар «Эффективные практики»"
FIRST_SILENT, FIRST_PRINCIPAL, COORDINATOR = 600_000, 900_000, 990_000
PACE = 20.0  # seconds between two answers of one principal
FAULT_EVERY = 30.0  # seconds between two injected faults: a 429, a 502, a 429...
RATE = DeliverySettings().rate  # the delivery worker's configured rate in ``python -m bot``


async def prepare(path: Path, silent: list[int], principals: list[int]) -> dict[int, str]:
    """The database before the bot starts; the form principals' invitation codes."""
    db = await Database.open(path)
    try:
        await db.migrate()
        repo = Repo(db)
        for user in silent:
            school, _ = await repo.schools.upsert(SchoolData(f"МБОУ «Школа № {user}»", "Район"))
            person = await repo.people.create(
                PersonData(f"Петрова Анна {user}", telegram_id=user, locale="ru")
            )
            await repo.people.grant(person.id, Role.PRINCIPAL, [school.id])
        codes = {}
        for user in principals:
            school, _ = await repo.schools.upsert(SchoolData(f"МБОУ «Лицей № {user}»", "Район"))
            codes[user], _ = await create_invitation(repo, Role.PRINCIPAL, [school.id])
        author = await repo.people.create(
            PersonData("Ким Анна", telegram_id=COORDINATOR, locale="ru")
        )
        await repo.people.grant(author.id, Role.COORDINATOR, [])
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
        await repo.announcements.create(
            author.id,
            None,
            TITLE,
            fields={
                "starts_at": starts,
                "format": "online",
                "place": "https://meet.example.ru/seminar",
                "description": "Программа: доклады директоров, <b>обмен опытом</b>.",
            },
        )
        return codes
    finally:
        await db.close()


async def known_chats(client: SandboxClient, url: str, users: list[int]) -> None:
    """Each user writes to the bot once, and those updates are taken (as by an earlier
    run of the bot): Telegram then knows their chats, and the bot has nothing to answer."""
    await in_chunks([client.send_text(user, "/start") for user in users])
    async with aiohttp.ClientSession() as session:
        base = f"{url}/bot{TOKEN}/getUpdates"
        async with session.post(base, json={"offset": -1, "timeout": 0}) as response:
            last = (await response.json())["result"]
        if last:
            offset = last[-1]["update_id"] + 1
            async with session.post(base, json={"offset": offset, "timeout": 0}) as response:
                await response.read()


@contextlib.asynccontextmanager
async def bot_process(
    client: SandboxClient, log: Path, env: dict[str, str], cwd: Path, polled: int
) -> AsyncIterator[None]:
    """``python -m bot run`` from its first getUpdates until stopped. Unlike
    :func:`bench.forms.bot_process` the sandbox is not reset first: it keeps the chats."""
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
            stdin=asyncio.subprocess.DEVNULL, stdout=output, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while len(await client.requests(method="getUpdates")) <= polled:
            if process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not start polling:\n{_tail(log)}")
            await asyncio.sleep(0.2)
        yield
    finally:
        await _stop(process)


async def press_when_shown(client: SandboxClient, user: int, text: str) -> None:
    """Press the button ``text`` (or one starting with it) once the bot has shown it."""

    async def shown() -> str | None:
        for message in reversed(await client.messages(user)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"].startswith(text):
                        return str(button["text"])
        return None

    found = await client.wait_for(shown, timeout=60, description=f"the button «{text}»")
    await client.press(user, button_text=found)


async def send_announcement(client: SandboxClient) -> None:
    """The coordinator sends the draft through the chat."""
    await client.send_text(COORDINATOR, "/announce")
    await press_when_shown(client, COORDINATOR, TITLE[:30])
    await press_when_shown(client, COORDINATOR, "📤 Отправить сейчас")
    await press_when_shown(client, COORDINATOR, "📤 Да, отправить")


def outbox_counts(path: Path) -> dict[str, int]:
    """The announcement's rows by state, read beside the bot (WAL: readers do not block)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT state, count(*) FROM outbox WHERE batch = 'announcement:1' GROUP BY state"
        ).fetchall()
    return {state: count for state, count in rows}


async def answering(
    client: SandboxClient, user: int, delay: float, done: asyncio.Event, sent: list
) -> None:
    """A principal answering the form's next question every ``PACE`` seconds."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), delay)
    for answer in ANSWERS[3:]:  # the shares of the indicators (their bases come first)
        if done.is_set():
            return
        sent.append((user, time.time()))
        await client.send_text(user, answer)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), PACE)


async def faults(client: SandboxClient, done: asyncio.Event) -> None:
    """Every ``FAULT_EVERY`` seconds the next sendMessage fails: a 429 (retry after 1 s:
    every send waits), then a 502 (that message is tried again later), and so on."""
    flood = True
    while not done.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), FAULT_EVERY)
        if done.is_set():
            return
        if flood:
            await client.fault("sendMessage", code=429, retry_after=1)
        else:
            await client.fault("sendMessage", code=502)
        flood = not flood


async def measure(recipients: int, principal_count: int, quiet: bool) -> dict[str, Any]:
    principals = list(range(FIRST_PRINCIPAL, FIRST_PRINCIPAL + principal_count))
    silent = list(range(FIRST_SILENT, FIRST_SILENT + recipients - principal_count))
    async with sandbox_process(30.0, 1.0) as url, SandboxClient(url) as client:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            database = folder / "bot.sqlite3"
            codes = await prepare(database, silent, principals)
            await known_chats(client, url, [*silent, COORDINATOR])
            env = {
                **os.environ,
                "BOT_TOKEN": TOKEN,
                "BOT_API_BASE": url,
                "DATABASE_PATH": str(database),
                "TIMEZONE": "Europe/Moscow",
                "QUIET_HOURS": "",
                "LOG_LEVEL": "WARNING",
                "FLOOD_BURST": "1000",
                "FLOOD_RATE": "1000",
            }
            polled = len(await client.requests(method="getUpdates"))  # known_chats' two
            async with bot_process(client, folder / "bot.log", env, folder, polled):
                await asyncio.gather(*(open_form(client, u, codes[u]) for u in principals))
                for base in ANSWERS[:3]:  # teachers, managers and teachers, 4th-graders
                    for user in principals:
                        await client.send_text(user, base)
                    await asyncio.sleep(1.5)
                if not quiet:
                    print(f"{len(principals)} principals in their forms; sending to {recipients}")
                await send_announcement(client)
                done = asyncio.Event()
                answers: list[tuple[int, float]] = []
                step = PACE / max(1, len(principals))
                tasks = [
                    asyncio.create_task(answering(client, user, n * step, done, answers))
                    for n, user in enumerate(principals)
                ]
                tasks.append(asyncio.create_task(faults(client, done)))
                started = time.monotonic()
                limit = 3 * recipients / RATE + 60
                counts: dict[str, int] = {}
                while time.monotonic() - started < limit:
                    await asyncio.sleep(1.0)
                    counts = outbox_counts(database)
                    if sum(counts.values()) >= recipients and not (
                        counts.get("pending") or counts.get("sending")
                    ):
                        break
                    if not quiet:
                        print(f"\r{counts}", end="", flush=True)
                done.set()
                await asyncio.gather(*tasks)
                await asyncio.sleep(2)  # the last replies
                log = await client.requests()
    if not quiet:
        print()
    return figures(log, recipients, [*silent, *principals], answers, counts)


def figures(
    log: list[dict[str, Any]],
    recipients: int,
    users: list[int],
    answers: list[tuple[int, float]],
    counts: dict[str, int],
) -> dict[str, Any]:
    def text(r: dict[str, Any]) -> str:
        return str(r["params"].get("text", ""))

    announced = [r for r in log if r["method"] == "sendMessage" and text(r).startswith("📣")]
    accepted = [r for r in announced if r["status"] == 200]
    times = sorted(r["time"] for r in accepted)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    achieved = (len(times) - 1) / span if span else 0.0
    copies = Counter(int(r["params"]["chat_id"]) for r in accepted)
    refused = Counter(
        r["status"] for r in log if r["method"] == "sendMessage" and r["status"] != 200
    )
    # a principal's reply: the bot's first call to their chat after their answer
    calls: dict[int, list[float]] = {}
    for r in log:
        chat = r["params"].get("chat_id")
        if r["status"] == 200 and chat is not None and not text(r).startswith("📣"):
            calls.setdefault(int(chat), []).append(r["time"])
    latencies = []
    for user, sent_at in answers:
        after = [t for t in calls.get(user, []) if t >= sent_at]
        if after:
            latencies.append(min(after) - sent_at)
    latencies.sort()
    return {
        "rate_ratio": round(achieved / RATE, 4),
        "lost": sum(1 for user in users if copies[user] == 0),
        "duplicated": sum(n - 1 for n in copies.values() if n > 1),
        "p50_reply_s": round(statistics.median(latencies), 3) if latencies else None,
        "p99_reply_s": (
            round(latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 3)
            if latencies
            else None
        ),
        "recipients": recipients,
        "answers": len(answers),
        "unanswered": len(answers) - len(latencies),
        "configured_rate": RATE,
        "achieved_rate": round(achieved, 3),
        "span_s": round(span, 1),
        "refused": {str(status): n for status, n in sorted(refused.items())},
        "outbox": counts,
    }


def main(recipients: int, principals: int, as_json: bool) -> int:
    result = asyncio.run(measure(recipients, principals, quiet=as_json))
    met = (
        result["rate_ratio"] >= 0.95
        and result["lost"] == result["duplicated"] == 0
        and result["p99_reply_s"] is not None
        and result["p99_reply_s"] < 1.0
    )
    if as_json:
        print(json.dumps(result))
        return 0 if met else 1
    print(
        f"broadcast to {recipients}: {result['achieved_rate']:.2f} messages/s over "
        f"{result['span_s']:.0f} s = {result['rate_ratio']:.3f} of the configured "
        f"{RATE:g}/s (goal: at least 0.95)"
    )
    print(f"lost: {result['lost']}, duplicated: {result['duplicated']} (goal: 0 and 0)")
    print(
        f"principals' replies during it: {result['answers']} answers, p50 "
        f"{result['p50_reply_s']} s, p99 {result['p99_reply_s']} s (goal: p99 under 1 s); "
        f"unanswered: {result['unanswered']}"
    )
    print(f"refused sendMessage calls: {result['refused'] or 'none'}; outbox: {result['outbox']}")
    return 0 if met else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--principals", type=int, default=60)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sys.exit(main(args.recipients, args.principals, args.json))
