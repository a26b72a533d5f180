"""Changes in the sandbox as events, for the web chat's live stream (``/sandbox/events``).

The state publishes an :class:`Event` whenever something a Telegram client would show changes;
every open stream has its own bounded queue. A stream that falls too far behind is ended (its
page reconnects and starts again from a snapshot) rather than letting memory grow.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

#: Events one stream may have waiting before it is ended.
QUEUE_LIMIT = 1000


@dataclass(frozen=True)
class Event:
    """One change. ``chat_id`` is None for changes that concern every chat.

    Kinds: ``message`` (a message as ``/sandbox/chats/{id}/messages`` shows it, sent, edited or
    deleted), ``callback_answer``, ``chat_action``, ``commands``, ``directory``, ``reset``.
    """

    kind: str
    chat_id: int | None = None
    data: Any = field(default_factory=dict)

    def concerns(self, chat_id: int | None) -> bool:
        """Whether a stream watching ``chat_id`` (None: no chat) should see this event."""
        return self.chat_id is None or self.chat_id == chat_id


class Subscription:
    """What one stream reads: events, then None once the hub closes or the stream lags."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self.ended = False

    def put(self, event: Event | None) -> None:
        if self.ended:
            return
        if event is None or self.queue.qsize() >= QUEUE_LIMIT:
            self.ended = True
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(event)

    async def next(self) -> Event | None:
        return await self.queue.get()


class EventHub:
    """Fans events out to every open stream of one sandbox."""

    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()
        self.closed = False

    @property
    def listeners(self) -> int:
        return len(self._subscriptions)

    def publish(self, kind: str, chat_id: int | None = None, data: Any = None) -> None:
        """Tell every stream; ``data`` is copied so later changes do not leak into it."""
        if not self._subscriptions:
            return
        event = Event(kind, chat_id, copy.deepcopy(data) if data is not None else {})
        for subscription in list(self._subscriptions):
            subscription.put(event)

    @contextmanager
    def subscribe(self) -> Iterator[Subscription]:
        subscription = Subscription()
        if self.closed:
            subscription.put(None)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    def close(self) -> None:
        """End every stream, so that the server can stop without waiting for them."""
        self.closed = True
        for subscription in list(self._subscriptions):
            subscription.put(None)


__all__ = ["QUEUE_LIMIT", "Event", "EventHub", "Subscription"]
