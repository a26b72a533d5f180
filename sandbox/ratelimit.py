"""Token buckets for Telegram's flood limits."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """``burst`` tokens at most, refilled at ``rate`` tokens a second; rate 0 means unlimited."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._tokens = float(self.burst)
        self._updated = clock()

    def _refill(self) -> None:
        now = self._clock()
        if self.rate > 0:
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def wait_time(self) -> float:
        """Seconds until one token is available (0 if one is available now)."""
        if self.rate <= 0:
            return 0.0
        self._refill()
        if self._tokens >= 1:
            return 0.0
        return (1 - self._tokens) / self.rate

    def take(self) -> None:
        """Use one token; call only after :meth:`wait_time` returned 0."""
        if self.rate > 0:
            self._refill()
            self._tokens -= 1


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
