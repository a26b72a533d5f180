"""The outbox worker's sustained rate, and what it lost or sent twice.

    python -m bench.outbox [--messages 5000 --rate 25 --chats 1000] [--json]

Starts the sandbox in a process of its own with flood limits above the worker's rate
(overall 30/s burst 30, per chat 1/s burst 3, as Telegram), registers ``--chats`` users,
queues ``--messages`` messages round-robin over them (5 a chat by default) in a temporary
database, and runs one DeliveryWorker until the outbox is drained. Then it prints:

* the sustained rate: accepted sendMessage calls per second, first to last, against the
  configured rate (goal: at least 0.95 of it);
* lost (queued, not in the recipient's chat) and duplicated (in a chat more than once)
  messages, from the sandbox's chat logs (goal: 0 and 0);
* the 429s met and the outbox's final counts.

It stops by itself: at 25/s, 5,000 messages take about 200 s; ``--messages 500`` is a quick
run. If the outbox is not drained within twice the expected time, it stops the worker and
reports what it has. The exit code is 0 when the goals are met, 1 when not.

With ``--json`` it prints one line instead, a JSON object: ``rate_ratio`` (the sustained
rate over the configured one), ``sustained_rate``, ``configured_rate``, ``end_to_end_rate``
(messages per second), ``lost``, ``duplicated``, ``unexpected``, ``drained``,
``elapsed_s``, ``span_s`` (first to last accepted send), ``messages``, ``chats``,
``refused`` (refused calls by HTTP status), ``flood_waits`` (429s met by the worker) and
``outbox`` (its final counts by state).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sandbox.client import SandboxClient
from scheduler.delivery import DeliverySettings, DeliveryWorker, create_delivery_bot
from storage.db import Database
from storage.outbox import OutboxMessage, OutboxRepo
from storage.people import PeopleRepo, PersonData

TOKEN = "123456789:AAHbenchTOKENforOUTBOXonly_01234567890"
FIRST_USER = 700_000


@asynccontextmanager
async def sandbox_process(global_rate: float, chat_rate: float) -> AsyncIterator[str]:
    """The sandbox in a process of its own, as Telegram is on another machine."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "--port", str(port),
        "--global-rate", str(global_rate), "--global-burst", str(int(global_rate)),
        "--chat-rate", str(chat_rate), "--chat-burst", "3",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with SandboxClient(url) as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    await client.limits()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


async def in_chunks(calls: list, size: int = 50) -> list:
    results = []
    for start in range(0, len(calls), size):
        results += await asyncio.gather(*calls[start : start + size])
    return results


async def measure(
    messages: int, rate: float, chats: int, sandbox_rate: float, quiet: bool
) -> dict[str, Any]:
    """Run the worker over ``messages`` queued messages; return the figures (``quiet``: no
    progress line)."""
    users = list(range(FIRST_USER, FIRST_USER + chats))
    async with sandbox_process(sandbox_rate, 1.0) as url, SandboxClient(url) as client:
        with tempfile.TemporaryDirectory() as folder:
            db = await Database.open(Path(folder) / "bench.sqlite3")
            try:
                await db.migrate()
                people, outbox = PeopleRepo(db), OutboxRepo(db)
                # the sandbox knows a chat once its user has written to the bot
                await in_chunks([client.send_text(user, "/start") for user in users])
                person_of = {}
                for user in users:
                    person = await people.create(PersonData(f"User {user}", telegram_id=user))
                    person_of[user] = person.id
                items = [
                    OutboxMessage(
                        f"bench:{n}",
                        users[n % chats],
                        f"Напоминание №{n // chats + 1}: сдать показатели до <b>1 октября</b>",
                        "reminder",
                        person_id=person_of[users[n % chats]],
                    )
                    for n in range(messages)
                ]
                queued = await outbox.enqueue(items)
                per_chat = Counter(item.chat_id for item in items)
                if not quiet:
                    print(
                        f"{queued} messages queued for {chats} chats "
                        f"(at most {max(per_chat.values())} a chat); sandbox limits: "
                        f"{sandbox_rate:g}/s overall, 1/s a chat (burst 3); "
                        f"worker rate {rate:g}/s"
                    )

                bot = create_delivery_bot(TOKEN, url)
                worker = DeliveryWorker(bot, outbox, people, settings=DeliverySettings(rate=rate))
                started = time.monotonic()
                task = asyncio.create_task(worker.run())
                limit = 2 * messages / rate + 30
                drained = False
                while time.monotonic() - started < limit and not task.done():
                    counts = await outbox.counts()
                    if counts["pending"] == counts["sending"] == 0:
                        drained = True
                        break
                    await asyncio.sleep(0.5)
                elapsed = time.monotonic() - started
                await worker.stop()
                await task
                await bot.session.close()
                counts = await outbox.counts()

                sends = await client.requests(method="sendMessage")
                accepted = sorted(r["time"] for r in sends if r["status"] == 200)
                refused = Counter(r["status"] for r in sends if r["status"] != 200)
                span = accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0
                sustained = (len(accepted) - 1) / span if span else 0.0

                expected = Counter(
                    (item.chat_id, item.text.replace("<b>", "").replace("</b>", ""))
                    for item in items
                )
                chat_logs = await in_chunks([client.messages(user) for user in users])
                delivered: Counter[tuple[int, str]] = Counter()
                for user, log in zip(users, chat_logs, strict=True):
                    delivered.update((user, m["text"]) for m in log)
                lost = sum((expected - delivered).values())
                duplicated = sum(count - 1 for count in delivered.values() if count > 1)
                unexpected = sum((delivered - expected).values()) - duplicated
            finally:
                await db.close()

    return {
        "rate_ratio": round(sustained / rate, 4),
        "sustained_rate": round(sustained, 3),
        "configured_rate": rate,
        "end_to_end_rate": round(len(accepted) / elapsed, 3),
        "lost": lost,
        "duplicated": duplicated,
        "unexpected": unexpected,
        "drained": drained,
        "elapsed_s": round(elapsed, 2),
        "span_s": round(span, 2),
        "messages": messages,
        "chats": chats,
        "refused": {str(status): n for status, n in sorted(refused.items())},
        "flood_waits": worker.stats.flood_waits,
        "outbox": counts,
    }


def main(messages: int, rate: float, chats: int, sandbox_rate: float, as_json: bool) -> int:
    """Run the bench, print its figures; 0 if the goals are met, else 1."""
    figures = asyncio.run(measure(messages, rate, chats, sandbox_rate, quiet=as_json))
    met = (
        figures["drained"]
        and figures["rate_ratio"] >= 0.95
        and figures["lost"] == figures["duplicated"] == 0
    )
    if as_json:
        print(json.dumps(figures))
        return 0 if met else 1
    print(f"{'drained' if figures['drained'] else 'NOT drained'} in {figures['elapsed_s']:.1f} s")
    print(
        f"sustained rate: {figures['sustained_rate']:.2f} messages/s over "
        f"{figures['span_s']:.1f} s = {figures['rate_ratio']:.3f} of the configured {rate:g}/s "
        "(goal: at least 0.95)"
    )
    print(f"end to end:     {figures['end_to_end_rate']:.2f} messages/s (from start to drained)")
    print(
        f"lost: {figures['lost']}, duplicated: {figures['duplicated']} (goal: 0 and 0); "
        f"unexpected: {figures['unexpected']}"
    )
    print(
        f"refused calls: {figures['refused'] or 'none'}; 429s met by the worker: "
        f"{figures['flood_waits']}; outbox: {figures['outbox']}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=25.0, help="the worker's rate")
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument(
        "--sandbox-rate", type=float, default=30.0, help="the sandbox's overall limit"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sys.exit(main(args.messages, args.rate, args.chats, args.sandbox_rate, args.json))
