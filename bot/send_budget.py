"""Telegram's overall limit on messages (about 30 a second per bot), shared by the replies
people are waiting for and the bulk sending the bot does on its own (reminders,
announcements), with the replies first.

A reply takes a token as soon as there is one; bulk sending takes one only when no reply
is waiting, so while people are being answered the outbox yields its share of the budget
and takes it back when they are served (its own rate stays a ceiling, not a promise). A
429 from Telegram pauses both: its limit is per bot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.token_bucket import TokenBucket

# the Bot API methods that put a message into a chat (those Telegram's flood limit counts)
SENDING_METHODS = frozenset(
    {
        "SendMessage",
        "SendDocument",
        "SendPhoto",
        "SendMediaGroup",
        "CopyMessage",
        "ForwardMessage",
        "SendAnimation",
        "SendVideo",
        "SendAudio",
        "SendVoice",
    }
)


class SendBudget:
    def __init__(
        self, rate: float = 30.0, burst: int = 30, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._bucket = TokenBucket(rate, burst, clock)
        self._clock = clock
        self._waiting = 0  # replies waiting for a token
        self._paused_until = 0.0

    @property
    def replies_waiting(self) -> int:
        return self._waiting

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after ``seconds``": nobody sends until then."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._bucket.empty()

    async def for_reply(self) -> None:
        """Wait for a token for a reply (first in line)."""
        self._waiting += 1
        try:
            while True:
                pause = self._paused_until - self._clock()
                if pause > 0:
                    await asyncio.sleep(pause)
                    continue
                wait = self._bucket.wait_time()
                if wait <= 0:
                    self._bucket.take()
                    return
                await asyncio.sleep(wait)
        finally:
            self._waiting -= 1

    def bulk_wait(self) -> float:
        """Seconds bulk sending should wait before its next message; 0: a token is taken,
        send now."""
        pause = self._paused_until - self._clock()
        if pause > 0:
            return pause
        if self._waiting:
            return 0.05  # people are waiting for replies: they go first
        wait = self._bucket.wait_time()
        if wait > 0:
            return wait
        self._bucket.take()
        return 0.0
