"""A bare aiogram echo bot, the yardstick of ``bench.forms``.

    python -m bench.echo_bot --api http://127.0.0.1:8081 --token 123:ABC… [--reply JSON]

It imports aiogram only (nothing of ``bot``, ``handlers`` or ``storage``), so it runs as
any aiogram bot would, without the process-wide changes our bot makes at start-up.
It long-polls the Bot API at ``--api`` and answers every message with its text. With
``--reply`` (a JSON object with ``text``, ``parse_mode`` and ``reply_markup``, the
parameters of one of the form's questions) it answers every message with that instead:
the same HTML text and buttons the form sends, without database, state or form logic.
SIGTERM or Ctrl-C stops it (aiogram's own signal handling).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import InlineKeyboardMarkup, Message


def create_dispatcher(reply: dict[str, Any] | None) -> Dispatcher:
    dp = Dispatcher()
    markup = None
    if reply is not None and reply.get("reply_markup"):
        raw = reply["reply_markup"]  # the Bot API's parameter: JSON text (or already parsed)
        parsed = json.loads(raw) if isinstance(raw, str) else raw
        markup = InlineKeyboardMarkup.model_validate(parsed)

    @dp.message()
    async def echo(message: Message) -> None:
        if reply is None:
            await message.answer(message.text or "")
        else:
            await message.answer(
                reply["text"], parse_mode=reply.get("parse_mode"), reply_markup=markup
            )

    return dp


async def run(api: str, token: str, reply: dict[str, Any] | None) -> None:
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api)))
    await create_dispatcher(reply).start_polling(bot)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", required=True, help="the Bot API's base URL")
    parser.add_argument("--token", required=True)
    parser.add_argument("--reply", help="answer every message with this (JSON), not its text")
    args = parser.parse_args()
    asyncio.run(run(args.api, args.token, json.loads(args.reply) if args.reply else None))


if __name__ == "__main__":
    main()
