"""What a restart, a redelivery or Telegram's flood limit must not do: lose a step or a
reply, or answer twice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aiogram.types import Chat, Message, Update, User

from storage.models import Role
from tests.harness import bot_under_test, sandbox_config


def text_update(update_id: int, user_id: int, text: str) -> Update:
    user = User(id=user_id, is_bot=False, first_name="Анна", language_code="ru")
    message = Message(
        message_id=update_id,
        date=datetime.now(UTC),
        chat=Chat(id=user_id, type="private"),
        from_user=user,
        text=text,
    )
    return Update(update_id=update_id, message=message)


async def test_an_update_delivered_again_after_a_crash_is_answered_once(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        await env.say(7100, "/help")  # the sandbox now knows this chat
        assert env.app is not None
        update = text_update(900_000_001, 7100, "/help")
        await env.app.dp.feed_update(env.app.bot, update)
        assert len(await env.visible(7100)) == 2
        await env.restart()
        assert env.app is not None
        await env.app.dp.feed_update(env.app.bot, update)
        await env.say(7100, "/start")  # a later update is answered as usual
        assert len(await env.visible(7100)) == 3


async def test_a_reply_refused_by_the_chats_flood_limit_is_sent_after_the_wait(
    tmp_path: Path,
) -> None:
    # Telegram's pace, one message at once in a chat: the second of the two replies to an
    # invitation (the welcome, then the menu) meets a 429 and goes again after retry_after
    async with bot_under_test(tmp_path, sandbox_config(paced=True, chat_burst=1)) as env:
        user = await env.register(Role.COORDINATOR)
        replies = await env.visible(user)
        assert len(replies) == 2 and "зарегистрированы" in replies[0]["text"]
        sends = [
            r
            for r in await env.client.requests(method="sendMessage")
            if int(r["params"]["chat_id"]) == user
        ]
        assert [r["status"] for r in sends] == [200, 429, 200]
        assert sends[2]["time"] - sends[1]["time"] >= 1.0  # the wait Telegram asked for
