"""aiogram FSM storage in SQLite, so a conversation survives a restart at any step."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey

from storage.db import Database


class SQLiteStorage(BaseStorage):
    def __init__(self, db: Database) -> None:
        self.db = db
        self.keys = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self.db.execute(
            "INSERT INTO fsm_states (key, state, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at",
            (self.keys.build(key), value, self.db.now()),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self.db.fetch_one(
            "SELECT state FROM fsm_states WHERE key = ?", (self.keys.build(key),)
        )
        return row["state"] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self.db.execute(
            "INSERT INTO fsm_states (key, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (self.keys.build(key), json.dumps(dict(data), ensure_ascii=False), self.db.now()),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self.db.fetch_one(
            "SELECT data FROM fsm_states WHERE key = ?", (self.keys.build(key),)
        )
        return json.loads(row["data"]) if row else {}

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""
