"""aiogram FSM storage in SQLite, so a conversation survives a restart at any step."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey

from storage.db import Database


class SQLiteStorage(BaseStorage):
    """Every write goes to SQLite at once; reads are served from memory once loaded.

    The bot process is the only one that writes conversation state, so the copy in
    memory cannot go stale; after a restart it is loaded again from the database. The
    data is kept as its JSON text, so every read hands out a fresh copy (callers may
    change what they get) for the price of one ``json.loads``.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.keys = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        self._cache: dict[str, tuple[str | None, str]] = {}

    async def _load(self, key: str) -> tuple[str | None, str]:
        if key not in self._cache:
            row = await self.db.fetch_one(
                "SELECT state, data FROM fsm_states WHERE key = ?", (key,)
            )
            self._cache[key] = (row["state"], row["data"]) if row else (None, "{}")
        return self._cache[key]

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        built = self.keys.build(key)
        _old, data = await self._load(built)
        self._cache[built] = (value, data)
        await self.db.execute(
            "INSERT INTO fsm_states (key, state, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at",
            (built, value, self.db.now()),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(self.keys.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        built = self.keys.build(key)
        text = json.dumps(dict(data), ensure_ascii=False)
        current, _old = await self._load(built)
        self._cache[built] = (current, text)
        await self.db.execute(
            "INSERT INTO fsm_states (key, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (built, text, self.db.now()),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return json.loads((await self._load(self.keys.build(key)))[1])

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""
