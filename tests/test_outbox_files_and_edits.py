"""The outbox sends a document or a photo with its caption, and edits a message it
delivered before: against a fake bot (an edit waits for its message, fails without one,
"not modified" counts as done), then through the sandbox Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import EditMessageText
from aiogram.types import Chat, Message

from sandbox.client import SandboxClient
from sandbox.server import start_sandbox
from scheduler.delivery import DeliverySettings, DeliveryWorker, create_delivery_bot
from storage.db import Database
from storage.outbox import OutboxMessage, OutboxRepo
from storage.people import PeopleRepo
from tests.fakes import START, ManualClock
from tests.harness import TOKEN, sandbox_config

FAST = DeliverySettings(rate=1000, burst=10, chat_interval=0, concurrency=4, edit_wait=2)
KEYBOARD = {"inline_keyboard": [[{"text": "✅ Приду", "callback_data": "rsvp:yes:1:0"}]]}


@dataclass
class RecordingBot:
    """Answers every method the outbox uses and records it; ``refuse`` maps a method to
    the error it raises once."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refuse: dict[str, Exception] = field(default_factory=dict)

    def _answer(self, method: str, chat_id: int, **kw: Any) -> Message:
        self.calls.append((method, {"chat_id": chat_id, **kw}))
        if method in self.refuse:
            raise self.refuse.pop(method)
        return Message(
            message_id=100 + len(self.calls), date=START, chat=Chat(id=chat_id, type="private")
        )

    async def send_message(self, chat_id: int, text: str, **kw: Any) -> Message:
        return self._answer("send_message", chat_id, text=text, **kw)

    async def send_document(self, chat_id: int, document: str, **kw: Any) -> Message:
        return self._answer("send_document", chat_id, document=document, **kw)

    async def send_photo(self, chat_id: int, photo: str, **kw: Any) -> Message:
        return self._answer("send_photo", chat_id, photo=photo, **kw)

    async def edit_message_text(self, chat_id: int, message_id: int, text: str, **kw: Any) -> Any:
        return self._answer("edit_message_text", chat_id, message_id=message_id, text=text, **kw)

    async def edit_message_caption(self, chat_id: int, message_id: int, **kw: Any) -> Any:
        return self._answer("edit_message_caption", chat_id, message_id=message_id, **kw)


@asynccontextmanager
async def setup(
    tmp_path: Path, bot: RecordingBot
) -> AsyncIterator[tuple[DeliveryWorker, OutboxRepo, ManualClock]]:
    clock = ManualClock()
    db = await Database.open(tmp_path / "bot.sqlite3", clock)
    await db.migrate()
    outbox = OutboxRepo(db)
    worker = DeliveryWorker(bot, outbox, PeopleRepo(db), settings=FAST)  # type: ignore[arg-type]
    try:
        yield worker, outbox, clock
    finally:
        await db.close()


def row(key: str, chat_id: int, text: str, **kw: Any) -> OutboxMessage:
    return OutboxMessage(key, chat_id, text, "announcement", **kw)


async def test_a_file_goes_with_the_text_as_its_caption_and_its_keyboard(tmp_path: Path) -> None:
    bot = RecordingBot()
    async with setup(tmp_path, bot) as (worker, outbox, _):
        await outbox.enqueue(
            [
                row("doc", 1, "📣 <b>Семинар</b>", method="document", file_id="F1",
                    reply_markup=KEYBOARD, batch="announcement:1"),
                row("pic", 2, "📣 Семинар", method="photo", file_id="P1"),
                row("txt", 3, "📣 Семинар"),
            ]
        )  # fmt: skip
        await worker.drain()
        calls = {kw["chat_id"]: (method, kw) for method, kw in bot.calls}
        method, kw = calls[1]
        assert method == "send_document" and kw["document"] == "F1"
        assert kw["caption"] == "📣 <b>Семинар</b>" and kw["parse_mode"] == "HTML"
        assert kw["reply_markup"].inline_keyboard[0][0].text == "✅ Приду"
        assert calls[2][0] == "send_photo" and calls[2][1]["photo"] == "P1"
        assert calls[3][0] == "send_message"
        sent = await outbox.by_key("doc")
        assert sent is not None and sent.state == "sent" and sent.batch == "announcement:1"
        assert sent.telegram_message_id is not None


async def test_an_edit_changes_the_delivered_message_by_its_id(tmp_path: Path) -> None:
    bot = RecordingBot()
    async with setup(tmp_path, bot) as (worker, outbox, _):
        await outbox.enqueue(
            [row("first", 1, "old"), row("pic", 2, "old", method="photo", file_id="P")]
        )
        await worker.drain()
        first, pic = await outbox.by_key("first"), await outbox.by_key("pic")
        assert first is not None and pic is not None
        await outbox.enqueue(
            [
                row("first:v2", 1, "new", method="edit_text", edit_of=first.id,
                    reply_markup=KEYBOARD),
                row("pic:v2", 2, "new caption", method="edit_caption", edit_of=pic.id),
            ]
        )  # fmt: skip
        await worker.drain()
        edits = {method: kw for method, kw in bot.calls if method.startswith("edit")}
        assert edits["edit_message_text"]["message_id"] == first.telegram_message_id
        assert edits["edit_message_text"]["text"] == "new"
        assert edits["edit_message_text"]["reply_markup"].inline_keyboard[0][0].text == "✅ Приду"
        assert edits["edit_message_caption"]["message_id"] == pic.telegram_message_id
        assert edits["edit_message_caption"]["caption"] == "new caption"
        edited = await outbox.by_key("first:v2")
        assert edited is not None and edited.state == "sent"
        assert edited.telegram_message_id == first.telegram_message_id


async def test_an_edit_waits_for_its_message_and_fails_without_one(tmp_path: Path) -> None:
    bot = RecordingBot()
    async with setup(tmp_path, bot) as (worker, outbox, clock):
        # the original is still waiting (a retry a minute later) when its edit comes up
        later = clock() + timedelta(seconds=60)
        await outbox.enqueue([row("first", 1, "old", not_before=later), row("lost", 2, "old")])
        first, lost = await outbox.by_key("first"), await outbox.by_key("lost")
        assert first is not None and lost is not None
        await outbox.mark_failed(lost.id, "chat not found", 400)
        await outbox.enqueue(
            [
                row("first:v2", 1, "new", method="edit_text", edit_of=first.id),
                row("lost:v2", 2, "new", method="edit_text", edit_of=lost.id),
            ]
        )
        await worker.drain()
        assert bot.calls == []  # nothing is called for either
        waiting, failed = await outbox.by_key("first:v2"), await outbox.by_key("lost:v2")
        assert waiting is not None and waiting.state == "pending" and waiting.attempts == 0
        assert failed is not None and failed.state == "failed"
        assert failed.last_error == "the message to edit was not delivered"
        # the original goes; the edit follows it, on the original's message
        clock.advance(60)
        await worker.drain()
        clock.advance(FAST.edit_wait)
        await worker.drain()
        edited, original = await outbox.by_key("first:v2"), await outbox.by_key("first")
        assert edited is not None and original is not None and edited.state == "sent"
        assert [(method, kw.get("message_id")) for method, kw in bot.calls] == [
            ("send_message", None),
            ("edit_message_text", original.telegram_message_id),
        ]


async def test_an_edit_telegram_finds_already_made_counts_as_done(tmp_path: Path) -> None:
    method = EditMessageText(text="x", message_id=1)
    bot = RecordingBot(
        refuse={
            "edit_message_text": TelegramBadRequest(
                method, "Bad Request: message is not modified: specified new message content"
            )
        }
    )
    async with setup(tmp_path, bot) as (worker, outbox, _):
        await outbox.enqueue([row("first", 1, "same")])
        await worker.drain()
        first = await outbox.by_key("first")
        assert first is not None
        await outbox.enqueue([row("first:v2", 1, "same", method="edit_text", edit_of=first.id)])
        await worker.drain()
        edit = await outbox.by_key("first:v2")
        assert edit is not None and edit.state == "sent" and edit.last_error is None


async def test_an_unknown_method_is_refused_when_queued(tmp_path: Path) -> None:
    async with setup(tmp_path, RecordingBot()) as (_, outbox, _clock):
        with pytest.raises(ValueError, match="unknown outbox method"):
            await outbox.enqueue([row("x", 1, "x", method="sendSticker")])


async def test_files_and_edits_through_the_sandbox(tmp_path: Path) -> None:
    """The real Bot API calls: a document sent by its file_id, then its caption edited."""
    async with start_sandbox(config=sandbox_config()) as sandbox:
        async with SandboxClient(sandbox.url) as client:
            upload = await client.upload_document(42, "Программа.pdf", b"%PDF-1.4\n%%EOF\n")
            file_id = (
                sandbox.state.chats[42].messages[upload["message_id"]].data["document"]["file_id"]
            )
            db = await Database.open(tmp_path / "bot.sqlite3")
            await db.migrate()
            outbox = OutboxRepo(db)
            bot = create_delivery_bot(TOKEN, sandbox.url)
            worker = DeliveryWorker(bot, outbox, PeopleRepo(db), settings=FAST)
            try:
                await outbox.enqueue(
                    [row("doc", 42, "📣 <b>Семинар</b> 15 октября", method="document",
                         file_id=file_id, reply_markup=KEYBOARD)]
                )  # fmt: skip
                await worker.drain()
                original = await outbox.by_key("doc")
                assert original is not None and original.state == "sent"
                await outbox.enqueue(
                    [row("doc:v2", 42, "📣 <b>Семинар</b> 16 октября", method="edit_caption",
                         edit_of=original.id, reply_markup=KEYBOARD)]
                )  # fmt: skip
                await worker.drain()
                await asyncio.sleep(0)
                messages = [m for m in await client.messages(42) if m.get("document")]
                assert len(messages) == 1
                assert messages[0]["document"]["file_name"] == "Программа.pdf"
                assert messages[0]["caption"] == "📣 Семинар 16 октября"
                assert messages[0]["edit_date"]
                assert messages[0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "✅ Приду"
            finally:
                await bot.session.close()
                await db.close()
