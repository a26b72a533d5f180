"""The outbox delivery worker: first against a fake bot on a manual clock (outcomes,
back-off, shutdown), then through the sandbox Bot API with its flood limits and faults."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage

from bot.retry import RetryAfterMiddleware
from sandbox.client import SandboxClient
from sandbox.server import RunningSandbox, SandboxConfig, start_sandbox
from scheduler.delivery import DeliverySettings, DeliveryWorker, create_delivery_bot
from storage.db import Database
from storage.outbox import OutboxMessage, OutboxRepo
from storage.people import PeopleRepo, PersonData
from tests.fakes import START, FakeBot, ManualClock
from tests.harness import TOKEN

FAST = DeliverySettings(
    rate=1000, burst=10, chat_interval=0, backoff_base=2, max_attempts=3, concurrency=4
)
METHOD = SendMessage(chat_id=1, text="x")


# ---------------------------------------------------------------- a fake bot, a manual clock


async def eventually(
    condition: Callable[[], object], limit: float = 10, step: float = 0.01
) -> None:
    """Wait (polling) until ``condition()`` is truthy."""
    for _ in range(int(limit / step)):
        if condition():
            return
        await asyncio.sleep(step)
    raise AssertionError(f"not met within {limit} s")


@asynccontextmanager
async def fake_setup(
    tmp_path: Path, bot: FakeBot, settings: DeliverySettings = FAST
) -> AsyncIterator[tuple[DeliveryWorker, OutboxRepo, PeopleRepo, ManualClock]]:
    clock = ManualClock()
    db = await Database.open(tmp_path / "bot.sqlite3", clock)
    await db.migrate()
    outbox, people = OutboxRepo(db), PeopleRepo(db)
    worker = DeliveryWorker(bot, outbox, people, settings=settings)  # type: ignore[arg-type]
    try:
        yield worker, outbox, people, clock
    finally:
        await db.close()


def msg(key: str, chat_id: int, person_id: int | None = None, **kw: Any) -> OutboxMessage:
    return OutboxMessage(key, chat_id, f"text {key}", "reminder", person_id=person_id, **kw)


async def test_transient_errors_back_off_then_fail_after_max_attempts(tmp_path: Path) -> None:
    bot = FakeBot(
        {
            1: [TelegramServerError(METHOD, "Bad Gateway")],
            2: [TelegramNetworkError(METHOD, "Request timeout error")] * 5,
            3: [ClientDecodeError("Failed to decode object", ValueError("html"), "<html>")],
        }
    )
    async with fake_setup(tmp_path, bot) as (worker, outbox, _, clock):
        await outbox.enqueue([msg("a", 1), msg("b", 2), msg("c", 3)])
        await worker.drain()
        assert (await outbox.counts())["pending"] == 3
        retry = await outbox.by_key("b")
        assert retry is not None and retry.attempts == 1
        # back-off 2 s the first time, with jitter between half and all of it
        assert START + timedelta(seconds=1) <= retry.next_attempt_at <= START + timedelta(seconds=2)
        clock.advance(2)
        await worker.drain()
        assert (await outbox.counts())["sent"] == 2  # a and c went through the second time
        clock.advance(4)
        await worker.drain()
        failed = await outbox.by_key("b")
        assert failed is not None and failed.state == "failed" and failed.attempts == 3
        assert failed.last_error == "TelegramNetworkError: Request timeout error (after 3 attempts)"
        log = await outbox.attempts(failed.id)
        assert [a.outcome for a in log] == ["retry", "retry", "failed"]
        assert worker.stats.sent == 2 and worker.stats.failed == 1


def test_back_off_doubles_up_to_the_cap() -> None:
    worker = DeliveryWorker(
        FakeBot(),  # type: ignore[arg-type]
        OutboxRepo(None),  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        clock=ManualClock(),
        settings=DeliverySettings(backoff_base=5, backoff_cap=600),
    )
    for attempt, full in [(1, 5), (2, 10), (3, 20), (7, 320), (8, 600), (20, 600)]:
        delays = [worker.backoff(attempt) for _ in range(50)]
        assert all(full / 2 <= delay <= full for delay in delays)
        assert max(delays) - min(delays) > full / 10  # jittered


async def test_flood_answers_are_not_counted_and_bad_requests_fail_at_once(
    tmp_path: Path,
) -> None:
    bot = FakeBot(
        {
            1: [TelegramRetryAfter(METHOD, "Too Many Requests: retry after 0", 0)] * 2,
            2: [TelegramBadRequest(METHOD, "Bad Request: chat not found")],
            3: [TelegramBadRequest(METHOD, "Bad Request: can't parse entities")],
        }
    )
    async with fake_setup(tmp_path, bot) as (worker, outbox, _, _clock):
        await outbox.enqueue([msg("a", 1), msg("b", 2), msg("c", 3)])
        await worker.drain()
        a, b, c = [await outbox.by_key(key) for key in "abc"]
        assert a is not None and b is not None and c is not None
        assert a.state == "sent" and a.attempts == 1
        log = await outbox.attempts(a.id)
        assert [(x.outcome, x.error_code) for x in log] == [
            ("retry_after", 429),
            ("retry_after", 429),
            ("sent", None),
        ]
        assert b.state == c.state == "failed"
        assert b.last_error == "TelegramBadRequest: Bad Request: chat not found"
        assert worker.stats.flood_waits == 2
        assert len(bot.calls) == 5


async def test_a_blocked_person_is_made_inactive_and_skipped(tmp_path: Path) -> None:
    bot = FakeBot({1: [TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user")]})
    async with fake_setup(tmp_path, bot) as (worker, outbox, people, _clock):
        anna = await people.create(PersonData("Анна", telegram_id=1))
        boris = await people.create(PersonData("Борис", telegram_id=2))
        await outbox.enqueue([msg(f"a{i}", 1, anna.id) for i in range(3)] + [msg("b", 2, boris.id)])
        await worker.drain()
        assert [call[0] for call in bot.calls] == [1, 2]
        assert (await outbox.counts())["blocked"] == 3
        assert not (await people.get(anna.id)).is_active  # type: ignore[union-attr]
        assert (await people.get(boris.id)).is_active  # type: ignore[union-attr]


async def test_markup_and_parse_mode_reach_the_bot(tmp_path: Path) -> None:
    bot = FakeBot()
    async with fake_setup(tmp_path, bot) as (worker, outbox, _, _clock):
        keyboard = {"inline_keyboard": [[{"text": "Да", "callback_data": "yes"}]]}
        await outbox.enqueue(
            [
                msg("a", 1, reply_markup=keyboard),
                msg("b", 2, parse_mode=None),
                msg("c", 3, reply_markup={"no": "keyboard"}),
            ]
        )
        await worker.drain()
        by_chat = {chat: kw for chat, _, kw in bot.calls}
        assert by_chat[1]["parse_mode"] == "HTML"
        assert by_chat[1]["reply_markup"].inline_keyboard[0][0].callback_data == "yes"
        assert by_chat[2]["parse_mode"] is None and by_chat[2]["reply_markup"] is None
        assert 3 not in by_chat  # a broken keyboard fails without a call
        failed = await outbox.by_key("c")
        assert failed is not None and failed.state == "failed"


async def test_enqueue_wakes_the_worker_without_waiting_for_the_poll(tmp_path: Path) -> None:
    bot = FakeBot()
    settings = DeliverySettings(rate=1000, chat_interval=0, poll_interval=30)
    async with fake_setup(tmp_path, bot, settings) as (worker, outbox, _, _clock):
        task = asyncio.create_task(worker.run())
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await outbox.enqueue([msg("a", 1)])
        await eventually(lambda: bot.calls, step=0.005)
        assert time.monotonic() - started < 0.5
        await worker.stop()
        await task


async def test_stop_lets_sends_finish_and_gives_back_the_rest(tmp_path: Path) -> None:
    bot = FakeBot(delay=0.2)
    settings = DeliverySettings(rate=1000, chat_interval=0, concurrency=3)
    async with fake_setup(tmp_path, bot, settings) as (worker, outbox, _, _clock):
        await outbox.enqueue([msg(f"m{i}", 100 + i) for i in range(20)])
        task = asyncio.create_task(worker.run())
        await eventually(lambda: len(bot.calls) >= 3)
        await worker.stop()
        await task
        counts = await outbox.counts()
        assert counts["sending"] == 0
        assert counts["sent"] == len(bot.calls) == 3  # the ones in flight finished
        assert counts["pending"] == 17


async def test_bulk_rows_wait_out_the_quiet_hours_and_review_notices_do_not(
    tmp_path: Path,
) -> None:
    quiet = replace(FAST, quiet=(dt_time(21), dt_time(9)), zone=ZoneInfo("Europe/Moscow"))
    bot = FakeBot()
    async with fake_setup(tmp_path, bot, quiet) as (worker, outbox, _, clock):
        clock.now = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)  # 22:30 in Moscow
        await outbox.enqueue(
            [
                msg("reminder", 1),
                OutboxMessage("announcement", 2, "Семинар", "announcement"),
                OutboxMessage("review", 3, "Принято", "review"),
            ]
        )
        await worker.drain()
        assert [call[0] for call in bot.calls] == [3]
        morning = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
        for key in ("reminder", "announcement"):
            row = await outbox.by_key(key)
            assert row is not None and row.state == "pending" and row.attempts == 0
            assert row.next_attempt_at == morning
            assert await outbox.attempts(row.id) == []
        assert worker.stats.held == 2
        clock.now = morning - timedelta(seconds=1)
        await worker.drain()
        assert len(bot.calls) == 1
        clock.now = morning
        await worker.drain()
        assert sorted(call[0] for call in bot.calls) == [1, 2, 3]
        assert (await outbox.counts())["sent"] == 3


async def test_a_bot_that_retries_429_itself_is_refused(tmp_path: Path) -> None:
    bot = create_delivery_bot(TOKEN, "http://127.0.0.1:9")
    bot.session.middleware(RetryAfterMiddleware())
    try:
        with pytest.raises(ValueError, match="429"):
            DeliveryWorker(bot, OutboxRepo(None), None)  # type: ignore[arg-type]
    finally:
        await bot.session.close()
    assert isinstance(bot.session, AiohttpSession)


# ---------------------------------------------------------------- through the sandbox


@dataclass
class Delivery:
    sandbox: RunningSandbox
    client: SandboxClient
    db: Database
    outbox: OutboxRepo
    people: PeopleRepo
    chats: list[int]
    person_of: dict[int, int]
    path: Path

    def worker(self, settings: DeliverySettings, db: Database | None = None) -> DeliveryWorker:
        bot = create_delivery_bot(TOKEN, self.sandbox.url)
        db = db or self.db
        return DeliveryWorker(bot, OutboxRepo(db), PeopleRepo(db), settings=settings)

    async def queue(self, per_chat: int, prefix: str = "m") -> list[OutboxMessage]:
        """``per_chat`` messages to every chat, queued round by round."""
        items = [
            OutboxMessage(
                f"{prefix}:{chat}:{n}",
                chat,
                f"Напоминание {n} для <b>{chat}</b>",
                "reminder",
                person_id=self.person_of[chat],
            )
            for n in range(per_chat)
            for chat in self.chats
        ]
        assert await self.outbox.enqueue(items) == len(items)
        return items

    async def sends(self) -> list[dict[str, Any]]:
        return await self.client.requests(method="sendMessage")


@asynccontextmanager
async def delivery(
    tmp_path: Path, chats: int, global_rate: float = 1000, global_burst: int = 1000
) -> AsyncIterator[Delivery]:
    config = SandboxConfig(
        global_rate=global_rate, global_burst=global_burst, chat_rate=1, chat_burst=3
    )
    async with start_sandbox(config=config) as sandbox, SandboxClient(sandbox.url) as client:
        db = await Database.open(tmp_path / "bot.sqlite3")
        await db.migrate()
        people = PeopleRepo(db)
        chat_ids = [5000 + n for n in range(chats)]
        person_of = {}
        for chat in chat_ids:
            await client.send_text(chat, "/start", first_name=f"User {chat}")  # the chat exists
            person = await people.create(PersonData(f"User {chat}", telegram_id=chat))
            person_of[chat] = person.id
        try:
            yield Delivery(
                sandbox, client, db, OutboxRepo(db), people, chat_ids, person_of, tmp_path
            )
        finally:
            await db.close()


async def stopped(worker: DeliveryWorker, task: asyncio.Task[None]) -> None:
    """Stop a worker running as ``task`` and close its bot's connections. They are closed
    first by hand: aiogram's own close then skips the 0.25 s it waits for TLS connections
    to wind down, and the sandbox speaks plain HTTP."""
    await worker.stop()
    await task
    await (await worker.bot.session.create_session()).close()
    await worker.bot.session.close()


async def until_done(outbox: OutboxRepo, limit: float = 20) -> dict[str, int]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        counts = await outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return counts
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox not drained within {limit} s: {await outbox.counts()}")


async def assert_exactly_once(env: Delivery, items: list[OutboxMessage]) -> None:
    """Every queued message is in its chat once, and the sandbox accepted it once."""
    expected: dict[int, Counter[str]] = defaultdict(Counter)
    for item in items:
        expected[item.chat_id][item.text.replace("<b>", "").replace("</b>", "")] += 1
    for chat, texts in expected.items():
        got = Counter(m["text"] for m in await env.client.messages(chat))
        assert got == texts, f"chat {chat}: {got - texts} extra, {texts - got} missing"
    accepted = Counter(
        (int(r["params"]["chat_id"]), r["params"]["text"])
        for r in await env.sends()
        if r["status"] == 200
    )
    assert len(accepted) == len(items) and set(accepted.values()) == {1}


def gaps_per_chat(requests: list[dict[str, Any]]) -> list[float]:
    times: dict[int, list[float]] = defaultdict(list)
    for r in requests:
        if r["status"] == 200:
            times[int(r["params"]["chat_id"])].append(r["time"])
    return [b - a for ts in times.values() for a, b in pairwise(ts)]


async def test_200_messages_to_50_chats_arrive_once_despite_faults(tmp_path: Path) -> None:
    settings = DeliverySettings(
        rate=100, burst=5, chat_interval=1.0, backoff_base=0.5, request_timeout=1, concurrency=4
    )
    async with delivery(tmp_path, chats=50) as env:
        await env.client.fault("sendMessage", count=3, code=429, retry_after=1)
        await env.client.fault("sendMessage", count=2, code=500)
        await env.client.fault("sendMessage", count=2, code=502)
        await env.client.fault("sendMessage", count=2, code=502, kind="html")
        await env.client.fault("sendMessage", count=3, kind="drop")
        items = await env.queue(per_chat=4)
        worker = env.worker(settings)
        task = asyncio.create_task(worker.run())
        await eventually(lambda: worker.stats.sent >= 80)
        await env.client.fault("sendMessage", count=2, kind="timeout", delay=3)
        await env.client.fault("sendMessage", count=2, code=429, retry_after=1)
        await env.client.fault("sendMessage", count=2, code=503)
        counts = await until_done(env.outbox)
        await stopped(worker, task)

        assert counts["sent"] == 200 and counts["failed"] == counts["blocked"] == 0
        assert await env.client.faults() == []  # every fault was met
        await assert_exactly_once(env, items)
        assert worker.stats.flood_waits == 5
        assert worker.stats.retried == 13  # 500, 502, html, drop, timeout, 503
        assert min(gaps_per_chat(await env.sends())) > 0.9
        codes = Counter(
            row[0]
            for row in await env.db.fetch_all(
                "SELECT coalesce(error_code, 0) FROM outbox_attempts WHERE outcome != 'sent'"
            )
        )
        assert codes == {429: 5, 500: 2, 502: 4, 503: 2, 0: 5}  # 0: no answer (drop, timeout)


async def test_a_blocked_user_gets_nothing_more_and_others_are_unaffected(
    tmp_path: Path,
) -> None:
    # no pause between two messages to a chat: nothing but the 403 keeps the worker from
    # sending the blocked chat its other two
    settings = DeliverySettings(rate=100, chat_interval=0)
    async with delivery(tmp_path, chats=6) as env:
        blocked = env.chats[2]
        await env.client.block(blocked)
        items = await env.queue(per_chat=3)
        worker = env.worker(settings)
        task = asyncio.create_task(worker.run())
        counts = await until_done(env.outbox)
        await stopped(worker, task)

        assert counts["blocked"] == 3 and counts["sent"] == 15
        to_blocked = [r for r in await env.sends() if int(r["params"]["chat_id"]) == blocked]
        assert [r["status"] for r in to_blocked] == [403]
        person = await env.people.get(env.person_of[blocked])
        assert person is not None and not person.is_active
        others = [p for chat, p in env.person_of.items() if chat != blocked]
        assert all([(await env.people.get(p)).is_active for p in others])  # type: ignore[union-attr]
        await assert_exactly_once(env, [i for i in items if i.chat_id != blocked])


async def test_a_restart_loses_and_repeats_nothing(tmp_path: Path) -> None:
    settings = DeliverySettings(rate=50, burst=2, chat_interval=1.0, concurrency=4)
    async with delivery(tmp_path, chats=20) as env:
        items = await env.queue(per_chat=4)
        first = env.worker(settings)
        task = asyncio.create_task(first.run())
        await eventually(lambda: first.stats.sent >= 30)
        await stopped(first, task)
        counts = await env.outbox.counts()
        assert counts["sending"] == 0 and 30 <= counts["sent"] < 80

        # a crash of another kind: rows claimed, never tried, left "sending"
        await env.outbox.claim(env.db.clock(), 5)
        assert (await env.outbox.counts())["sending"] == 5

        db = await Database.open(tmp_path / "bot.sqlite3")  # a new process, as it were
        try:
            second = env.worker(settings, db)
            task = asyncio.create_task(second.run())
            counts = await until_done(second.outbox)
            await stopped(second, task)
        finally:
            await db.close()
        assert counts["sent"] == 80
        await assert_exactly_once(env, items)
        assert min(gaps_per_chat(await env.sends())) > 0.9  # across the restart too


async def test_the_overall_rate_is_kept(tmp_path: Path) -> None:
    rate = 20
    settings = DeliverySettings(rate=rate, burst=2, chat_interval=1.0, concurrency=4)
    async with delivery(tmp_path, chats=60, global_rate=100, global_burst=100) as env:
        items = await env.queue(per_chat=1)
        worker = env.worker(settings)
        started = time.monotonic()
        task = asyncio.create_task(worker.run())
        await until_done(env.outbox)
        elapsed = time.monotonic() - started
        await stopped(worker, task)

        await assert_exactly_once(env, items)
        times = sorted(r["time"] for r in await env.sends())
        # never more than rate + burst in any second, and not much slower than the rate
        most = max(sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times))
        assert most <= rate + settings.burst
        assert elapsed < len(items) / rate + 1.0
