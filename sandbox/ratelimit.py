"""Telegram's flood limits: an overall token bucket plus one per chat."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.token_bucket import TokenBucket


class FloodLimiter:
    """An overall bucket plus one bucket per chat."""

    def __init__(
        self,
        global_rate: float,
        global_burst: int,
        chat_rate: float,
        chat_burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.overall = TokenBucket(global_rate, global_burst, clock)
        self._chats: dict[int, TokenBucket] = {}

    def _chat_bucket(self, chat_id: int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = TokenBucket(
                self.chat_rate, self.chat_burst, self._clock
            )
        return bucket

    def try_acquire(self, chat_id: int) -> float:
        """Take a token from both buckets and return 0, or return the wait and take nothing."""
        chat = self._chat_bucket(chat_id)
        wait = max(self.overall.wait_time(), chat.wait_time())
        if wait > 0:
            return wait
        self.overall.take()
        chat.take()
        return 0.0
