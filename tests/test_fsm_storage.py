"""The conversation state in SQLite: what aiogram stores, per key, across restarts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from storage.db import Database
from storage.fsm import SQLiteStorage

BOT = 123456789
KEY = StorageKey(bot_id=BOT, chat_id=1001, user_id=1001)


class Registration(StatesGroup):
    full_name = State()
    confirm = State()


@asynccontextmanager
async def storage_at(path: Path) -> AsyncIterator[SQLiteStorage]:
    db = await Database.open(path)
    try:
        await db.migrate()
        yield SQLiteStorage(db)
    finally:
        await db.close()


async def test_state_and_data_are_stored_and_read_back(tmp_path: Path) -> None:
    async with storage_at(tmp_path / "bot.sqlite3") as storage:
        assert await storage.get_state(KEY) is None
        assert await storage.get_data(KEY) == {}
        await storage.set_state(KEY, Registration.full_name)
        assert await storage.get_state(KEY) == "Registration:full_name"
        await storage.set_data(KEY, {"code": "abc", "schools": [1, 2], "name": "Мария"})
        assert await storage.get_data(KEY) == {"code": "abc", "schools": [1, 2], "name": "Мария"}
        # setting the data keeps the state and the other way round
        assert await storage.get_state(KEY) == "Registration:full_name"
        await storage.set_state(KEY, "Registration:confirm")
        assert await storage.get_data(KEY) == {"code": "abc", "schools": [1, 2], "name": "Мария"}
        assert await storage.get_state(KEY) == Registration.confirm.state


async def test_update_data_merges_and_none_clears_the_state(tmp_path: Path) -> None:
    async with storage_at(tmp_path / "bot.sqlite3") as storage:
        await storage.set_data(KEY, {"code": "abc"})
        merged = await storage.update_data(KEY, {"name": "Иванова Мария"})
        assert merged == {"code": "abc", "name": "Иванова Мария"}
        await storage.update_data(KEY, {"code": "xyz"})
        assert await storage.get_data(KEY) == {"code": "xyz", "name": "Иванова Мария"}
        assert await storage.get_value(KEY, "name") == "Иванова Мария"
        await storage.set_state(KEY, Registration.full_name)
        await storage.set_state(KEY, None)
        assert await storage.get_state(KEY) is None
        await storage.set_data(KEY, {})
        assert await storage.get_data(KEY) == {}


async def test_each_user_chat_and_destiny_has_its_own_conversation(tmp_path: Path) -> None:
    keys = [
        KEY,
        StorageKey(bot_id=BOT, chat_id=1001, user_id=2002),  # another person in the chat
        StorageKey(bot_id=BOT, chat_id=3003, user_id=1001),  # the same person elsewhere
        StorageKey(bot_id=BOT, chat_id=1001, user_id=1001, destiny="survey"),
        StorageKey(bot_id=BOT + 1, chat_id=1001, user_id=1001),  # another bot
        StorageKey(bot_id=BOT, chat_id=1001, user_id=1001, thread_id=7),
    ]
    async with storage_at(tmp_path / "bot.sqlite3") as storage:
        for n, key in enumerate(keys):
            await storage.set_state(key, f"S:{n}")
            await storage.set_data(key, {"n": n})
        for n, key in enumerate(keys):
            assert await storage.get_state(key) == f"S:{n}"
            assert await storage.get_data(key) == {"n": n}
        await storage.set_state(keys[1], None)
        assert await storage.get_state(keys[0]) == "S:0"


async def test_a_conversation_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with storage_at(path) as storage:
        context = FSMContext(storage=storage, key=KEY)
        await context.set_state(Registration.full_name)
        await context.update_data(code="invite-code", locale="en")
    async with storage_at(path) as storage:
        context = FSMContext(storage=storage, key=KEY)
        assert await context.get_state() == Registration.full_name.state
        assert await context.get_data() == {"code": "invite-code", "locale": "en"}
        await context.clear()
    async with storage_at(path) as storage:
        assert await storage.get_state(KEY) is None
        assert await storage.get_data(KEY) == {}
