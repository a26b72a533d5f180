"""The outbox table and its repository: queuing once, claiming, retrying, closing rows."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from storage.db import Database
from storage.outbox import OutboxMessage, OutboxRepo
from storage.people import PeopleRepo, PersonData
from tests.fakes import START, ManualClock


@asynccontextmanager
async def outbox_db(path: Path, clock: ManualClock) -> AsyncIterator[tuple[Database, OutboxRepo]]:
    db = await Database.open(path, clock)
    await db.migrate()
    try:
        yield db, OutboxRepo(db)
    finally:
        await db.close()


def message(key: str, chat_id: int = 100, **kw: object) -> OutboxMessage:
    return OutboxMessage(key, chat_id, f"text {key}", "reminder", **kw)  # type: ignore[arg-type]


async def test_the_same_key_is_queued_once(tmp_path: Path) -> None:
    clock = ManualClock()
    async with outbox_db(tmp_path / "bot.sqlite3", clock) as (db, outbox):
        assert await outbox.enqueue([message("r:1"), message("r:2"), message("r:1")]) == 2
        assert await outbox.enqueue([message("r:1"), message("r:3")]) == 1
        assert await outbox.enqueue([]) == 0
        rows = await db.fetch_all("SELECT dedup_key FROM outbox ORDER BY id")
        assert [row[0] for row in rows] == ["r:1", "r:2", "r:3"]
        counts = await outbox.counts()
        assert counts == {"pending": 3, "sending": 0, "sent": 0, "failed": 0, "blocked": 0}


async def test_listeners_hear_of_new_rows_only(tmp_path: Path) -> None:
    calls: list[str] = []
    async with outbox_db(tmp_path / "bot.sqlite3", ManualClock()) as (_, outbox):
        outbox.add_listener(lambda: calls.append("new"))
        await outbox.enqueue([message("a")])
        await outbox.enqueue([message("a")])
        assert calls == ["new"]


async def test_rows_keep_markup_parse_mode_and_person(tmp_path: Path) -> None:
    async with outbox_db(tmp_path / "bot.sqlite3", ManualClock()) as (db, outbox):
        person = await PeopleRepo(db).create(PersonData("Анна", telegram_id=100))
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Открыть", callback_data="open:1")]]
        )
        await outbox.enqueue(
            [
                message("a", person_id=person.id, reply_markup=markup),
                message("b", parse_mode=None, reply_markup={"remove_keyboard": True}),
            ]
        )
        a = await outbox.by_key("a")
        b = await outbox.by_key("b")
        assert a is not None and b is not None
        assert a.person_id == person.id and a.parse_mode == "HTML" and a.kind == "reminder"
        assert a.markup() == {"inline_keyboard": [[{"text": "Открыть", "callback_data": "open:1"}]]}
        assert b.parse_mode is None and json.loads(b.reply_markup or "") == {
            "remove_keyboard": True
        }


async def test_claim_takes_due_rows_oldest_first_and_marks_them_sending(tmp_path: Path) -> None:
    clock = ManualClock()
    async with outbox_db(tmp_path / "bot.sqlite3", clock) as (_, outbox):
        await outbox.enqueue([message(f"m{i}", chat_id=100 + i) for i in range(5)])
        later = START + timedelta(minutes=10, microseconds=1)
        await outbox.enqueue([message("later", not_before=later)])
        first = await outbox.claim(clock(), 3)
        assert [item.dedup_key for item in first] == ["m0", "m1", "m2"]
        assert all(item.state == "sending" for item in first)
        second = await outbox.claim(clock(), 10)
        assert [item.dedup_key for item in second] == ["m3", "m4"]
        assert await outbox.claim(clock(), 10) == []
        # "not before" rounds up to the next whole second, never earlier
        clock.advance(600)
        assert await outbox.claim(clock(), 10) == []
        clock.advance(1)
        assert [item.dedup_key for item in await outbox.claim(clock(), 10)] == ["later"]
        assert (await outbox.counts())["sending"] == 6


async def test_one_per_chat_and_skipped_chats(tmp_path: Path) -> None:
    clock = ManualClock()
    async with outbox_db(tmp_path / "bot.sqlite3", clock) as (_, outbox):
        # a chat with a long backlog queued first does not fill the batch
        await outbox.enqueue([message(f"busy{i}", chat_id=1) for i in range(30)])
        await outbox.enqueue([message(f"other{i}", chat_id=10 + i) for i in range(5)])
        claimed = await outbox.claim(clock(), 4, one_per_chat=True)
        assert [item.chat_id for item in claimed] == [1, 10, 11, 12]
        claimed = await outbox.claim(clock(), 10, skip_chats={1, 13}, one_per_chat=True)
        assert [item.dedup_key for item in claimed] == ["other4"]
        claimed = await outbox.claim(clock(), 10, one_per_chat=True)
        assert [item.dedup_key for item in claimed] == ["busy1", "other3"]


async def test_rows_left_sending_by_a_crash_are_queued_again(tmp_path: Path) -> None:
    clock = ManualClock()
    path = tmp_path / "bot.sqlite3"
    async with outbox_db(path, clock) as (_, outbox):
        await outbox.enqueue([message(f"m{i}", chat_id=100 + i) for i in range(4)])
        claimed = await outbox.claim(clock(), 3)
        await outbox.mark_sent(claimed[0].id, 555)
        # the process dies here: two rows stay "sending"
    async with outbox_db(path, clock) as (_, outbox):
        assert (await outbox.counts())["sending"] == 2
        assert await outbox.requeue_in_flight() == 2
        counts = await outbox.counts()
        assert counts["sending"] == 0 and counts["pending"] == 3 and counts["sent"] == 1
        again = await outbox.claim(clock(), 10)
        assert [item.dedup_key for item in again] == ["m1", "m2", "m3"]
        assert all(item.attempts == 0 for item in again)


async def test_outcomes_and_the_attempt_log(tmp_path: Path) -> None:
    clock = ManualClock()
    async with outbox_db(tmp_path / "bot.sqlite3", clock) as (_, outbox):
        await outbox.enqueue([message("ok", 1), message("flaky", 2), message("bad", 3)])
        ok, flaky, bad = await outbox.claim(clock(), 3)
        clock.advance(1)
        await outbox.mark_sent(ok.id, 42)
        await outbox.record_attempt(flaky.id, "retry_after", 429, "TelegramRetryAfter: wait")
        await outbox.mark_retry(
            flaky.id, clock() + timedelta(seconds=4.2), "TelegramServerError: Bad Gateway", 502
        )
        await outbox.mark_failed(bad.id, "TelegramBadRequest: chat not found", 400)

        sent = await outbox.get(ok.id)
        assert sent is not None
        assert sent.state == "sent" and sent.telegram_message_id == 42 and sent.attempts == 1
        assert sent.sent_at == START + timedelta(seconds=1)
        retry = await outbox.get(flaky.id)
        assert retry is not None
        assert retry.state == "pending" and retry.attempts == 1
        assert retry.next_attempt_at == START + timedelta(seconds=6)  # 5.2 s, rounded up
        assert retry.last_error == "TelegramServerError: Bad Gateway"
        failed = await outbox.get(bad.id)
        assert failed is not None and failed.state == "failed" and failed.attempts == 1

        log = await outbox.attempts(flaky.id)
        assert [(a.outcome, a.error_code) for a in log] == [("retry_after", 429), ("retry", 502)]
        assert [(a.outcome, a.error) for a in await outbox.attempts(ok.id)] == [("sent", None)]
        assert (await outbox.attempts(bad.id))[0].error_code == 400

        clock.advance(4)
        assert await outbox.claim(clock(), 10) == []
        clock.advance(1)
        assert [item.id for item in await outbox.claim(clock(), 10)] == [flaky.id]


async def test_a_blocked_recipient_closes_their_other_rows(tmp_path: Path) -> None:
    clock = ManualClock()
    async with outbox_db(tmp_path / "bot.sqlite3", clock) as (db, outbox):
        people = PeopleRepo(db)
        anna = await people.create(PersonData("Анна", telegram_id=100))
        boris = await people.create(PersonData("Борис", telegram_id=200))
        await outbox.enqueue(
            [
                message("a1", 100, person_id=anna.id),
                message("a2", 100, person_id=anna.id),
                message("a3", 100),  # the same chat, queued without the person
                message("b1", 200, person_id=boris.id),
            ]
        )
        [first] = await outbox.claim(clock(), 1)
        person = await outbox.mark_blocked(first.id, "Forbidden: bot was blocked by the user")
        assert person == anna.id
        states = {
            key: (await outbox.by_key(key)).state  # type: ignore[union-attr]
            for key in ("a1", "a2", "a3", "b1")
        }
        assert states == {"a1": "blocked", "a2": "blocked", "a3": "blocked", "b1": "pending"}
        assert [a.error_code for a in await outbox.attempts(first.id)] == [403]


async def test_release_and_purge(tmp_path: Path) -> None:
    clock = ManualClock()
    async with outbox_db(tmp_path / "bot.sqlite3", clock) as (_, outbox):
        await outbox.enqueue([message("a", 1), message("b", 2)])
        a, b = await outbox.claim(clock(), 2)
        assert await outbox.release([b.id], "interrupted") == 1
        released = await outbox.get(b.id)
        assert released is not None
        assert released.state == "pending" and released.attempts == 0
        assert released.last_error == "interrupted"
        await outbox.mark_sent(a.id, 1)
        assert await outbox.last_sent(START) == {1: START}
        assert await outbox.next_due() == START
        clock.advance(86400)
        assert await outbox.purge(clock()) == 1  # the sent one; the pending one stays
        assert await outbox.attempts(a.id) == []
        assert await outbox.enqueue([message("a", 1)]) == 1  # its key is free again
