"""A token bucket: the one rate limiter of the project (the flood guard for each person,
the delivery worker's overall rate, and the sandbox's imitation of Telegram's limits)."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """``burst`` tokens at most, refilled at ``rate`` tokens a second (monotonic time); a
    rate of 0 means no limit."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._tokens = float(self.burst)
        self.updated = clock()  # when the tokens were last counted

    def _refill(self) -> None:
        now = self._clock()
        if self.rate > 0:
            self._tokens = min(self.burst, self._tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self) -> float:
        """Seconds until a token is there (0: take it now)."""
        if self.rate <= 0:
            return 0.0
        self._refill()
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate

    def take(self) -> None:
        """Use one token; call after :meth:`wait_time` returned 0."""
        if self.rate > 0:
            self._refill()
            self._tokens -= 1

    def try_take(self) -> bool:
        """Take a token if one is there now; False (and nothing taken) if not."""
        if self.wait_time() > 0:
            return False
        self.take()
        return True

    def empty(self) -> None:
        """Start from no tokens (after a flood pause, so it does not end in a burst)."""
        self._refill()
        self._tokens = min(self._tokens, 0.0)

    def full_after(self) -> float:
        """Seconds an unused bucket takes to fill up from empty."""
        return self.burst / self.rate if self.rate > 0 else 0.0
