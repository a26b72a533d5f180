"""Updates already handled, so a redelivered update is not acted on twice."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import to_db
from storage.db import Database

KEEP_FOR = timedelta(days=2)


class HandledUpdates:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def seen(self, update_id: int) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,)
        )
        return row is not None

    async def remember(self, update_id: int) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)",
            (update_id, self.db.now()),
        )

    async def forget_old(self) -> int:
        cutoff = to_db(self.db.clock() - KEEP_FOR)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM handled_updates WHERE handled_at < ?", (cutoff,)
            )
            return cursor.rowcount
