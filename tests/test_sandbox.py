"""The sandbox behaves like api.telegram.org for the real aiogram client.

Bot API behaviour is driven through aiogram's own ``Bot`` and ``AiohttpSession``; users and
inspection go through :class:`sandbox.client.SandboxClient`. Every test runs its own sandbox on
a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
import sys
import time
import zlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyParameters,
)

from sandbox import SandboxClient, SandboxConfig, start_sandbox
from sandbox.client import SandboxRequestError, SandboxTimeout

TOKEN = "1234567890:AAH" + "x" * 32
BOT_ID = 1234567890
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
# Generous limits so that only the flood tests meet them.
RELAXED = {"global_rate": 1000.0, "global_burst": 1000, "chat_rate": 1000.0, "chat_burst": 1000}


@contextlib.asynccontextmanager
async def sandbox_bot(**config: Any) -> AsyncIterator[tuple[Bot, SandboxClient]]:
    """A running sandbox, a real aiogram Bot pointed at it, and a control client."""
    settings = {**RELAXED, **config}
    sandbox = await start_sandbox(config=SandboxConfig(**settings))
    bot = Bot(
        TOKEN,
        session=AiohttpSession(api=TelegramAPIServer.from_base(sandbox.url)),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    client = SandboxClient(sandbox.url)
    try:
        yield bot, client
    finally:
        await client.close()
        # AiohttpSession.close() sleeps 250 ms for TLS; there is no TLS here.
        await (await bot.session.create_session()).close()
        await sandbox.close()


def inline(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in buttons]
    )


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def start_chat(bot: Bot, client: SandboxClient, user_id: int) -> int:
    """The user writes /start and the bot confirms it; returns the next offset."""
    await client.send_text(user_id, "/start")
    updates = await bot.get_updates(timeout=0)
    return updates[-1].update_id + 1


# ----------------------------------------------------------------------------- bot identity


async def test_get_me_describes_the_bot_from_its_token() -> None:
    async with sandbox_bot(bot_username="school_support_bot") as (bot, _):
        me = await bot.get_me()
    assert me.id == BOT_ID
    assert me.is_bot is True
    assert me.username == "school_support_bot"
    assert me.first_name == "Sandbox Bot"


async def test_bad_token_unknown_method_and_case_insensitive_names() -> None:
    sandbox = await start_sandbox()
    try:
        async with aiohttp.ClientSession() as http:

            async def call(path: str) -> tuple[int, dict[str, Any]]:
                async with http.post(f"{sandbox.url}{path}") as response:
                    return response.status, await response.json()

            status, body = await call(f"/bot{TOKEN}/noSuchMethod")
            assert (status, body) == (
                404,
                {"ok": False, "error_code": 404, "description": "Not Found"},
            )
            status, body = await call("/bot123:short/getMe")
            assert status == 401
            assert body["ok"] is False and body["error_code"] == 401
            assert body["description"].startswith("Unauthorized")
            status, body = await call("/botnotatoken/getMe")
            assert (status, body["description"]) == (404, "Not Found")
            status, body = await call(f"/bot{TOKEN}/GETME")
            assert status == 200 and body["result"]["id"] == BOT_ID
    finally:
        await sandbox.close()


async def test_parameters_in_query_json_and_urlencoded_forms() -> None:
    async with sandbox_bot() as (_, client):
        await client.send_text(5, "hi")
        url = client.base_url + f"/bot{TOKEN}/sendMessage"
        markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json={"chat_id": 5, "text": "json", "reply_markup": markup}):
                pass
            async with http.post(
                url, data={"chat_id": "5", "text": "<i>form</i>", "parse_mode": "html"}
            ):
                pass
            async with http.get(url, params={"chat_id": "5", "text": "query"}) as response:
                assert (await response.json())["result"]["text"] == "query"
        messages = await client.messages(5)
    assert [m["text"] for m in messages] == ["json", "form", "query"]
    assert messages[0]["reply_markup"] == markup
    assert messages[1]["entities"] == [{"type": "italic", "offset": 0, "length": 4}]


# ----------------------------------------------------------------------------- getUpdates


async def test_long_poll_returns_early_and_offset_confirms_updates() -> None:
    async with sandbox_bot() as (bot, client):
        started = time.monotonic()
        poll = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.2)
        sent = await client.send_text(7, "/start abc", first_name="Anna", username="anna")
        updates = await poll
        assert time.monotonic() - started < 3
        [update] = updates
        assert update.update_id == sent["update_id"]
        message = update.message
        assert message is not None
        assert message.message_id == sent["message_id"]
        assert message.text == "/start abc"
        assert message.chat.id == 7 and message.chat.type == "private"
        assert message.from_user is not None and message.from_user.username == "anna"
        assert message.from_user.language_code == "ru"
        assert [(e.type, e.offset, e.length) for e in message.entities or []] == [
            ("bot_command", 0, 6)
        ]

        # Unconfirmed updates come again; an offset past them confirms them.
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [update.update_id]
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == []
        assert await bot.get_updates(timeout=0) == []

        # The profile is remembered for the user's next messages.
        await client.send_text(7, "again")
        [later] = await bot.get_updates(timeout=0)
        assert later.message is not None and later.message.from_user is not None
        assert later.message.from_user.first_name == "Anna"
        assert later.message.message_id == sent["message_id"] + 1


async def test_long_poll_times_out_with_an_empty_list() -> None:
    async with sandbox_bot() as (bot, _):
        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == []
        elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3


async def test_limit_and_negative_offset() -> None:
    async with sandbox_bot() as (bot, client):
        for i in range(5):
            await client.send_text(8, f"m{i}")
        assert [u.message.text for u in await bot.get_updates(limit=2)] == ["m0", "m1"]
        last_two = await bot.get_updates(offset=-2)
        assert [u.message.text for u in last_two] == ["m3", "m4"]
        assert len(await bot.get_updates()) == 2


async def test_allowed_updates_filter_is_remembered_and_reset_by_empty_list() -> None:
    async with sandbox_bot() as (bot, client):
        offset = await start_chat(bot, client, 9)
        sent = await bot.send_message(9, "pick", reply_markup=inline(("One", "1")))
        assert await bot.get_updates(offset=offset, allowed_updates=["message"], timeout=0) == []

        press = await client.press(9, callback_data="1")
        assert press["dropped"] is True
        await client.send_text(9, "text")
        updates = await bot.get_updates(timeout=0)  # the filter is remembered
        assert [u.event_type for u in updates] == ["message"]
        offset = updates[-1].update_id + 1

        await bot.get_updates(offset=offset, allowed_updates=[], timeout=0)
        await client.press(9, callback_data="1")
        [update] = await bot.get_updates(offset=offset, timeout=0)
        query = update.callback_query
        assert query is not None and query.data == "1"
        assert query.message is not None and query.message.message_id == sent.message_id


async def test_second_get_updates_ends_the_first_with_conflict() -> None:
    async with sandbox_bot() as (bot, _):
        first = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(bot.get_updates(timeout=1))
        with pytest.raises(TelegramConflictError) as caught:
            await asyncio.wait_for(first, 3)
        assert await second == []
    assert caught.value.message == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
        "is running"
    )


async def test_reset_clears_everything_but_update_ids_keep_growing() -> None:
    async with sandbox_bot() as (bot, client):
        first = await client.send_text(10, "one")
        await bot.send_message(10, "reply")
        await client.reset()
        assert await client.messages(10) == []
        assert await bot.get_updates(timeout=0) == []
        with pytest.raises(TelegramBadRequest, match="chat not found"):
            await bot.send_message(10, "gone")
        second = await client.send_text(10, "two")
        assert second["update_id"] > first["update_id"]
        assert second["message_id"] == 1
    # A new sandbox goes on from there too, so a bot that remembers handled update ids (or
    # polls with an old offset) is not fooled by a restart.
    async with sandbox_bot() as (_, client):
        third = await client.send_text(10, "three")
    assert third["update_id"] > second["update_id"]


async def test_delete_webhook_can_drop_pending_updates() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(11, "old")
        assert await bot.delete_webhook(drop_pending_updates=True) is True
        assert await bot.get_updates(timeout=0) == []
        info = await bot.get_webhook_info()
        assert info.url == "" and info.pending_update_count == 0


# ----------------------------------------------------------------------------- messages


async def test_sent_message_is_stored_and_reply_keyboard_is_not_echoed() -> None:
    async with sandbox_bot() as (bot, client):
        await start_chat(bot, client, 20)
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Help")]], resize_keyboard=True
        )
        sent = await bot.send_message(20, "<b>Hello</b>, world", reply_markup=keyboard)
        assert sent.text == "Hello, world"
        assert sent.reply_markup is None
        assert sent.from_user is not None and sent.from_user.id == BOT_ID
        assert sent.message_id == 2 and sent.chat.id == 20  # the user's /start was message 1
        [stored] = await client.messages(20)
        assert stored["text"] == "Hello, world"
        assert stored["entities"] == [{"type": "bold", "offset": 0, "length": 5}]
        assert stored["sandbox_reply_keyboard"]["keyboard"] == [[{"text": "Help"}]]
        assert stored["deleted"] is False
        assert await client.last_text(20) == "Hello, world"


async def test_reply_to_message() -> None:
    async with sandbox_bot() as (bot, client):
        sent = await client.send_text(21, "question")
        reply = await bot.send_message(
            21, "answer", reply_parameters=ReplyParameters(message_id=sent["message_id"])
        )
        assert reply.reply_to_message is not None
        assert reply.reply_to_message.text == "question"
        with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
            await bot.send_message(21, "x", reply_parameters=ReplyParameters(message_id=999))


async def test_edit_applies_and_an_identical_edit_is_refused() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(22, "hi")
        sent = await bot.send_message(22, "draft", reply_markup=inline(("Go", "go")))
        edited = await bot.edit_message_text(
            "<i>final</i>",
            chat_id=22,
            message_id=sent.message_id,
            reply_markup=inline(("Go", "go")),
        )
        assert isinstance(edited, Message)
        assert edited.text == "final" and edited.edit_date is not None
        with pytest.raises(TelegramBadRequest) as caught:
            await bot.edit_message_text(
                "<i>final</i>",
                chat_id=22,
                message_id=sent.message_id,
                reply_markup=inline(("Go", "go")),
            )
        assert caught.value.message == NOT_MODIFIED

        # Editing text without reply_markup removes the keyboard, so that is a change.
        await bot.edit_message_text("<i>final</i>", chat_id=22, message_id=sent.message_id)
        await bot.edit_message_reply_markup(
            chat_id=22, message_id=sent.message_id, reply_markup=inline(("New", "n"))
        )
        with pytest.raises(TelegramBadRequest, match="message to edit not found"):
            await bot.edit_message_text("x", chat_id=22, message_id=999)
        with pytest.raises(TelegramBadRequest, match="message can't be edited"):
            await bot.edit_message_text("x", chat_id=22, message_id=1)
        [stored] = await client.messages(22)
    assert stored["text"] == "final"
    assert stored["reply_markup"] == {"inline_keyboard": [[{"text": "New", "callback_data": "n"}]]}
    assert "edit_date" in stored


async def test_delete_marks_the_message_deleted() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(23, "hi")
        keep = await bot.send_message(23, "keep")
        gone = await bot.send_message(23, "gone")
        assert await bot.delete_message(23, gone.message_id) is True
        with pytest.raises(TelegramBadRequest, match="message to delete not found"):
            await bot.delete_message(23, gone.message_id)
        with pytest.raises(TelegramBadRequest, match="message to edit not found"):
            await bot.edit_message_text("x", chat_id=23, message_id=gone.message_id)
        messages = await client.messages(23)
        live = await client.live_messages(23)
    assert [(m["text"], m["deleted"]) for m in messages] == [("keep", False), ("gone", True)]
    assert [m["message_id"] for m in live] == [keep.message_id]


async def test_text_emptiness_and_length_limits() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(24, "hi")
        with pytest.raises(TelegramBadRequest) as caught:
            await bot.send_message(24, "")
        assert caught.value.message == "Bad Request: message text is empty"
        with pytest.raises(TelegramBadRequest) as caught:
            await bot.send_message(24, "   \n ")
        assert caught.value.message == "Bad Request: text must be non-empty"
        with pytest.raises(TelegramBadRequest) as caught:
            await bot.send_message(24, "x" * 4097)
        assert caught.value.message == "Bad Request: message is too long"
        assert (await bot.send_message(24, "x" * 4096)).text == "x" * 4096
        # The limit counts the text after the markup is taken out.
        marked = "<b>" + "y" * 4096 + "</b>"
        assert len((await bot.send_message(24, marked)).text or "") == 4096
        with pytest.raises(TelegramBadRequest, match="message caption is too long"):
            await bot.send_document(
                24, BufferedInputFile(b"data", filename="a.txt"), caption="c" * 1025
            )
        assert len(await client.messages(24)) == 2


async def test_unknown_chat_and_unsupported_parse_mode() -> None:
    async with sandbox_bot() as (bot, client):
        with pytest.raises(TelegramBadRequest) as caught:
            await bot.send_message(999, "hello")
        assert caught.value.message == "Bad Request: chat not found"
        await client.send_text(25, "hi")
        with pytest.raises(TelegramBadRequest, match="unsupported parse_mode"):
            await bot.send_message(25, "x", parse_mode="BBCode")


async def test_invalid_html_is_refused_with_telegrams_reasons() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(26, "hi")
        cases = {
            "Hello <Anna>": 'Unsupported start tag "anna" at byte offset 6',
            "1 < 2": 'Unsupported start tag "" at byte offset 2',
            "<b>bold": 'Can\'t find end tag corresponding to start tag "b"',
            "<b><i>x</b></i>": (
                'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'
            ),
        }
        for text, reason in cases.items():
            with pytest.raises(TelegramBadRequest) as caught:
                await bot.send_message(26, text)
            assert caught.value.message == f"Bad Request: can't parse entities: {reason}"
        ok = await bot.send_message(
            26, '<b>Школа №5</b> &lt;ok&gt; Tom & Jerry <a href="https://example.com">link</a>'
        )
        assert ok.text == "Школа №5 <ok> Tom & Jerry link"
        # Without a parse mode the same characters are just text.
        plain = await bot.send_message(26, "1 < 2 <b>", parse_mode=None)
        assert plain.text == "1 < 2 <b>"
        assert len(await client.messages(26)) == 2


async def test_inline_keyboard_checks() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(27, "hi")
        with pytest.raises(TelegramBadRequest) as caught:
            await bot.send_message(27, "x", reply_markup=inline(("b", "d" * 65)))
        assert caught.value.message == "Bad Request: BUTTON_DATA_INVALID"
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await bot.send_message(27, "x", reply_markup=inline(("b", "ж" * 33)))  # 66 bytes
        await bot.send_message(27, "x", reply_markup=inline(("b", "d" * 64)))
        with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
            await bot.send_message(27, "x", reply_markup=inline(("b", "")))
        bad_url = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="site", url="not-a-url")]]
        )
        with pytest.raises(TelegramBadRequest, match="Wrong HTTP URL"):
            await bot.send_message(27, "x", reply_markup=bad_url)
        assert len(await client.messages(27)) == 1


async def test_blocked_user_gives_forbidden_and_a_member_update() -> None:
    async with sandbox_bot() as (bot, client):
        offset = await start_chat(bot, client, 28)
        await client.block(28)
        with pytest.raises(TelegramForbiddenError) as caught:
            await bot.send_message(28, "are you there?")
        assert caught.value.message == "Forbidden: bot was blocked by the user"
        [update] = await bot.get_updates(offset=offset, timeout=0)
        member = update.my_chat_member
        assert member is not None
        assert member.new_chat_member.status == "kicked"
        assert member.new_chat_member.user.id == BOT_ID
        with pytest.raises(SandboxRequestError):
            await client.send_text(28, "I blocked you")
        await client.unblock(28)
        await bot.send_message(28, "welcome back")
        assert [m["text"] for m in await client.messages(28)] == ["welcome back"]


# ----------------------------------------------------------------------------- flood limits


async def test_per_chat_flood_limit_leaves_other_chats_alone() -> None:
    async with sandbox_bot(chat_rate=1.0, chat_burst=3) as (bot, client):
        await client.send_text(30, "a")
        await client.send_text(31, "b")
        for i in range(3):
            await bot.send_message(30, f"burst {i}")
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(30, "one too many")
        assert caught.value.retry_after >= 1
        # aiogram rewrites the message but keeps Telegram's description at its end.
        assert "Original description: Too Many Requests: retry after " in caught.value.message
        await bot.send_message(31, "other chat is fine")
        assert len(await client.messages(30)) == 3  # the refused one was not sent
        statuses = [r["status"] for r in await client.requests("sendMessage")]
    assert statuses == [200, 200, 200, 429, 200]


async def test_chat_tokens_come_back_with_time() -> None:
    async with sandbox_bot(chat_rate=10.0, chat_burst=1) as (bot, client):
        await client.send_text(32, "a")
        await bot.send_message(32, "first")
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(32, "second")
        assert caught.value.retry_after == 1  # whole seconds, never zero
        await asyncio.sleep(0.15)
        await bot.send_message(32, "third")


async def test_global_flood_limit() -> None:
    async with sandbox_bot(global_rate=2.0, global_burst=2) as (bot, client):
        for user in (33, 34, 35):
            await client.send_text(user, "hi")
        await bot.send_message(33, "1")
        await bot.send_message(34, "2")
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(35, "3")
        assert await client.messages(35) == []
        await client.set_limits(global_rate=0)  # 0 turns the limit off
        for _ in range(5):
            await bot.send_message(35, "unlimited")


# ----------------------------------------------------------------------------- faults


async def test_injected_faults_fail_before_anything_is_sent() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(40, "hi")
        await client.fault("sendMessage", count=1, code=429, retry_after=2)
        await client.fault("sendMessage", count=1, code=500)
        await client.fault("sendMessage", count=1, code=502)
        await client.fault("sendMessage", count=1, kind="drop")
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(40, "1")
        assert caught.value.retry_after == 2
        with pytest.raises(TelegramServerError, match="Internal Server Error"):
            await bot.send_message(40, "2")
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(40, "3")
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(40, "4")
        assert await client.messages(40) == []
        await bot.send_message(40, "5")
        assert [m["text"] for m in await client.messages(40)] == ["5"]
        # Other methods were never affected.
        assert (await bot.get_me()).id == BOT_ID


async def test_timeout_fault_hangs_until_the_client_gives_up() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(41, "hi")
        await client.fault("sendMessage", kind="timeout", delay=30)
        started = time.monotonic()
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(41, "slow", request_timeout=1)
        assert time.monotonic() - started < 5
        # An nginx error page instead of JSON, as Telegram's front end sometimes sends.
        await client.fault("*", kind="html", code=502)
        with pytest.raises(ClientDecodeError):
            await bot.get_me()
        await client.fault("getMe", count=2, code=500)
        await client.clear_faults()
        assert (await bot.get_me()).id == BOT_ID


# ----------------------------------------------------------------------------- callbacks


async def test_press_by_text_and_answer_callback_query() -> None:
    async with sandbox_bot() as (bot, client):
        offset = await start_chat(bot, client, 50)
        older = await bot.send_message(50, "language?", reply_markup=inline(("English", "en")))
        newer = await bot.send_message(50, "again?", reply_markup=inline(("English", "en2")))
        pressed = await client.press(50, button_text="English")
        assert pressed["message_id"] == newer.message_id
        assert pressed["callback_data"] == "en2"
        pressed_old = await client.press(50, callback_data="en", message_id=older.message_id)
        updates = await bot.get_updates(offset=offset, timeout=0)
        queries = [u.callback_query for u in updates]
        assert all(isinstance(q, CallbackQuery) for q in queries)
        first = queries[0]
        assert first is not None and first.id == pressed["callback_query_id"]
        assert first.from_user.id == 50 and first.data == "en2"
        assert first.message is not None and first.message.message_id == newer.message_id

        assert await bot.answer_callback_query(first.id, text="Saved", show_alert=True)
        with pytest.raises(TelegramBadRequest, match="query is too old"):
            await bot.answer_callback_query(first.id)
        with pytest.raises(TelegramBadRequest, match="query is too old"):
            await bot.answer_callback_query("12345")
        answers = await client.callback_answers()
        assert [(a["callback_query_id"], a["text"], a["show_alert"]) for a in answers] == [
            (first.id, "Saved", True)
        ]
        assert pressed_old["callback_data"] == "en"

        with pytest.raises(SandboxRequestError) as refused:
            await client.press(50, button_text="Deutsch")
        assert refused.value.status == 400 and "English" in refused.value.error
        await bot.delete_message(50, newer.message_id)
        again = await client.press(50, button_text="English")
        assert again["message_id"] == older.message_id
        with pytest.raises(SandboxRequestError):
            await client.press(50, callback_data="en2", message_id=newer.message_id)


# ----------------------------------------------------------------------------- files


async def test_user_document_can_be_fetched_with_get_file_and_downloaded() -> None:
    content = bytes(range(256)) * 10
    async with sandbox_bot() as (bot, client):
        sent = await client.upload_document(60, "register.xlsx", content, caption="Реестр")
        [update] = await bot.get_updates(timeout=0)
        message = update.message
        assert message is not None and message.message_id == sent["message_id"]
        document = message.document
        assert document is not None
        assert document.file_name == "register.xlsx"
        assert document.mime_type == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert document.file_size == len(content)
        assert message.caption == "Реестр"
        file = await bot.get_file(document.file_id)
        assert file.file_path and file.file_size == len(content)
        downloaded = await bot.download_file(file.file_path)
        assert downloaded is not None and downloaded.read() == content
        with pytest.raises(TelegramBadRequest, match="invalid file_id"):
            await bot.get_file("nope")


async def test_bot_documents_and_photos_are_kept_byte_for_byte() -> None:
    report = b"%PDF-1.4 fake report"
    picture = png(640, 480)
    async with sandbox_bot() as (bot, client):
        await client.send_text(61, "hi")
        doc = await bot.send_document(
            61, BufferedInputFile(report, filename="report.pdf"), caption="<b>Report</b>"
        )
        assert doc.document is not None
        assert doc.document.file_name == "report.pdf"
        assert doc.document.mime_type == "application/pdf"
        assert doc.caption == "Report"
        assert await client.file(doc.document.file_id) == report

        resent = await bot.send_document(61, doc.document.file_id)
        assert resent.document is not None and resent.document.file_id == doc.document.file_id

        photo = await bot.send_photo(61, BufferedInputFile(picture, filename="chart.png"))
        assert photo.photo is not None
        biggest = photo.photo[-1]
        assert (biggest.width, biggest.height) == (640, 480)
        assert photo.photo[0].width <= 90
        assert await client.file(biggest.file_id) == picture

        with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
            await bot.send_photo(61, BufferedInputFile(b"not an image", filename="x.png"))
        with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
            await bot.send_document(61, "no-such-file-id")
        with pytest.raises(SandboxRequestError) as missing:
            await client.file("no-such-file-id")
        assert missing.value.status == 404
        logged = await client.requests("sendDocument")
        assert logged[0]["params"]["document"] == {"file_name": "report.pdf", "size": len(report)}
        assert logged[0]["content_type"] == "multipart/form-data"

        captioned = await bot.edit_message_caption(
            chat_id=61, message_id=doc.message_id, caption="<i>Final</i> report"
        )
        assert isinstance(captioned, Message) and captioned.caption == "Final report"
        with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
            await bot.edit_message_text("x", chat_id=61, message_id=doc.message_id)
        assert await bot.send_chat_action(61, "upload_document") is True
        with pytest.raises(TelegramBadRequest, match="wrong parameter action in request"):
            await bot.send_chat_action(61, "dancing")


async def test_other_user_messages_parse_in_aiogram() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_photo(62, png(1280, 960), caption="photo")
        await client.send_sticker(62)
        await client.send_voice(62, duration=3)
        await client.send_contact(62, phone_number="+79001234567")
        await client.send_location(62, 55.75, 37.62)
        messages = [u.message for u in await bot.get_updates(timeout=0)]
    assert all(m is not None for m in messages)
    photo, sticker, voice, contact, location = messages
    assert photo is not None and photo.photo is not None
    assert (photo.photo[-1].width, photo.photo[-1].height) == (1280, 960)
    assert sticker is not None and sticker.sticker is not None
    assert sticker.sticker.type == "regular" and sticker.sticker.is_animated is False
    assert voice is not None and voice.voice is not None and voice.voice.duration == 3
    assert contact is not None and contact.contact is not None
    assert contact.contact.phone_number == "+79001234567" and contact.contact.user_id == 62
    assert location is not None and location.location is not None
    assert location.location.latitude == pytest.approx(55.75)


# ----------------------------------------------------------------------------- commands and log


async def test_commands_are_stored_per_scope_and_language() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(70, "hi")
        commands = [BotCommand(command="start", description="Начать")]
        assert await bot.set_my_commands(commands, language_code="ru")
        admin = [BotCommand(command="admin", description="Admin tools")]
        assert await bot.set_my_commands(admin, scope=BotCommandScopeChat(chat_id=70))
        assert [c.command for c in await bot.get_my_commands(language_code="ru")] == ["start"]
        assert await bot.get_my_commands() == []
        scoped = await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=70))
        assert [c.command for c in scoped] == ["admin"]
        with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
            await bot.set_my_commands([BotCommand(command="Start", description="x")])
        with pytest.raises(TelegramBadRequest, match="description must be non-empty"):
            await bot.set_my_commands([BotCommand(command="start", description="")])
        with pytest.raises(TelegramBadRequest, match="chat not found"):
            await bot.set_my_commands(admin, scope=BotCommandScopeChat(chat_id=71))
        stored = await client.commands()
    assert {(c["language_code"], c["scope"]["type"]) for c in stored} == {
        ("ru", "default"),
        ("", "chat"),
    }


async def test_request_log_records_every_call() -> None:
    async with sandbox_bot() as (bot, client):
        await client.send_text(80, "hi")  # the long poll below returns it at once
        await bot.get_updates(timeout=1)
        await bot.send_message(80, "hello", reply_markup=inline(("A", "a")))
        with pytest.raises(TelegramBadRequest):
            await bot.send_message(81, "nobody")
        everything = await client.requests()
        sends = await client.requests(method="sendmessage")
    assert [r["method"] for r in everything] == ["getUpdates", "sendMessage", "sendMessage"]
    poll = everything[0]
    assert poll["params"]["timeout"] == "1" and poll["status"] == 200
    assert [r["status"] for r in sends] == [200, 400]
    assert sends[0]["params"]["text"] == "hello"
    assert isinstance(sends[0]["time"], float)
    assert "inline_keyboard" in sends[0]["params"]["reply_markup"]


async def test_control_api_refusals_are_json() -> None:
    async with sandbox_bot() as (_, client):
        base = client.base_url
        async with aiohttp.ClientSession() as http:
            for body in ({"text": "no user"}, {"user_id": "x", "text": "hi"}, {"user_id": 1}):
                async with http.post(f"{base}/sandbox/updates", json=body) as response:
                    assert response.status == 400
                    answer = await response.json()
                    assert answer["ok"] is False and answer["error"]
            async with http.post(f"{base}/sandbox/updates", data=b"not json") as response:
                assert response.status == 400
        with pytest.raises(SandboxRequestError, match="has no chat"):
            await client.press(1, button_text="Anything")
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{base}/sandbox/config", json={"chat_rat": 1}) as response:
                assert response.status == 400
                assert "unknown settings" in (await response.json())["error"]
        await client.send_text(1, "hi")
        await client.fault("sendMessage", count=2, code=500)
        faults = await client.faults()
        assert faults == [
            {
                "method": "sendmessage",
                "count": 2,
                "code": 500,
                "kind": None,
                "retry_after": None,
                "delay": 0.0,
            }
        ]
        chats = await client.chats()
        assert [(c["chat_id"], c["user"]["first_name"]) for c in chats] == [(1, "User1")]
        settings = await client.set_limits(chat_rate=2, chat_burst=5)
        assert (settings["chat_rate"], settings["chat_burst"]) == (2.0, 5)
        assert await client.limits() == settings


# ----------------------------------------------------------------------------- whole bot


async def test_an_unchanged_aiogram_dispatcher_runs_against_the_sandbox() -> None:
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(
            f"Привет, <b>{message.from_user.first_name if message.from_user else ''}</b>!",
            reply_markup=inline(("Русский", "lang:ru"), ("English", "lang:en")),
        )

    @dispatcher.callback_query(F.data.startswith("lang:"))
    async def choose(query: CallbackQuery) -> None:
        await query.answer("OK")
        if isinstance(query.message, Message):
            await query.message.edit_text(f"Language: {query.data}")

    async with sandbox_bot() as (bot, client):
        polling = asyncio.create_task(
            dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
        )
        try:
            await client.send_text(90, "/start", first_name="Ольга")
            [greeting] = await client.wait_for_messages(90, 1, timeout=5)
            assert greeting["text"] == "Привет, Ольга!"
            await client.press(90, button_text="English")
            await client.wait_for(lambda: _last_text_is(client, 90, "Language: lang:en"), timeout=5)
            answers = await client.callback_answers()
            assert [a["text"] for a in answers] == ["OK"]
            with pytest.raises(SandboxTimeout, match="Language: lang:en"):
                await client.wait_for_messages(90, 2, timeout=0.2)
        finally:
            await dispatcher.stop_polling()
            await asyncio.wait_for(polling, 5)


async def _last_text_is(client: SandboxClient, chat_id: int, text: str) -> bool:
    return await client.last_text(chat_id) == text


async def test_command_line_entry_point_serves_until_terminated() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--port",
        "0",
        "--bot-username",
        "cli_bot",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        url = line.strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/bot{TOKEN}/getMe") as response:
                assert (await response.json())["result"]["username"] == "cli_bot"
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
