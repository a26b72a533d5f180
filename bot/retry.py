"""Replies people are waiting for get through Telegram's flood limits.

Every message the interactive bot sends takes a token from the shared
:class:`~bot.send_budget.SendBudget` first (ahead of bulk sending). When Telegram still
says "too many requests", the reply waits the ``retry_after`` it asked for and is sent,
for as long as a person would still care (``deadline``, a minute); only then it is given
up, logged with what it was. Bulk traffic has its own rate-limited path (the outbox) and
does not depend on this.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.send_budget import SENDING_METHODS, SendBudget

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)

REPLY_DEADLINE = 60.0  # seconds a reply keeps trying before it is given up


class RetryAfterMiddleware(BaseRequestMiddleware):
    def __init__(self, budget: SendBudget | None = None, deadline: float = REPLY_DEADLINE) -> None:
        self.budget = budget or SendBudget()
        self.deadline = deadline

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = type(method).__name__
        sending = name in SENDING_METHODS
        give_up = time.monotonic() + self.deadline
        while True:
            if sending:
                await self.budget.for_reply()
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                self.budget.pause(error.retry_after)
                if time.monotonic() + error.retry_after > give_up:
                    log.error(
                        "%s to chat %s given up: Telegram still asks to wait %s s after %.0f s",
                        name,
                        getattr(method, "chat_id", None),
                        error.retry_after,
                        self.deadline,
                    )
                    raise
                log.info("%s: retry after %s s", name, error.retry_after)
                await asyncio.sleep(error.retry_after)
