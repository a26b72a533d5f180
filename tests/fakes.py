"""Stand-ins for unit tests of the outbox and its worker: a clock the test moves and a bot
that answers ``send_message`` from a script."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.types import Chat, Message

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class ManualClock:
    """A database clock that stands still until the test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class FakeBot:
    """Answers send_message from a script: per chat, a list of exceptions to raise first."""

    script: dict[int, list[BaseException]] = field(default_factory=dict)
    delay: float = 0.0
    calls: list[tuple[int, str, Any]] = field(default_factory=list)

    async def send_message(self, chat_id: int, text: str, **kw: Any) -> Message:
        self.calls.append((chat_id, text, kw))
        if self.delay:
            await asyncio.sleep(self.delay)
        planned = self.script.get(chat_id)
        if planned:
            raise planned.pop(0)
        return Message(
            message_id=len(self.calls),
            date=START,
            chat=Chat(id=chat_id, type="private"),
            text=text,
        )
