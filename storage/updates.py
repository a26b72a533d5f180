"""Updates already handled, so a redelivered update is not acted on twice.

Handled ids are written to the database as they happen and kept in memory for
the look-up; after a restart the memory is filled again from the database.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import to_db
from storage.db import Database

KEEP_FOR = timedelta(days=2)


class HandledUpdates:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._seen: set[int] | None = None

    async def _ids(self) -> set[int]:
        if self._seen is None:
            rows = await self.db.fetch_all("SELECT update_id FROM handled_updates")
            self._seen = {row["update_id"] for row in rows}
        return self._seen

    async def seen(self, update_id: int) -> bool:
        return update_id in await self._ids()

    async def remember(self, update_id: int) -> None:
        (await self._ids()).add(update_id)
        await self.db.execute(
            "INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)",
            (update_id, self.db.now()),
        )

    async def forget_old(self) -> int:
        cutoff = to_db(self.db.clock() - KEEP_FOR)
        forgotten = await self.db.write(
            lambda conn: (
                conn.execute("DELETE FROM handled_updates WHERE handled_at < ?", (cutoff,)).rowcount
            )
        )
        self._seen = None
        return forgotten
