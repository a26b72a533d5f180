"""The per-person flood guard, with a clock the test moves."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, MagicMock

from aiogram.types import CallbackQuery, Message, User

from bot.i18n import get_i18n
from bot.middlewares import FloodGuardMiddleware


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_and_the_next_update_is_refused() -> None:
    clock = Clock()
    guard = FloodGuardMiddleware(burst=5, rate=1.0, clock=clock)
    assert [guard.allow(1) for _ in range(5)] == [True] * 5
    assert guard.allow(1) is False
    assert guard.allow(1) is False


def test_tokens_refill_with_time_up_to_the_burst() -> None:
    clock = Clock()
    guard = FloodGuardMiddleware(burst=3, rate=2.0, clock=clock)
    assert all(guard.allow(1) for _ in range(3))
    assert not guard.allow(1)
    clock.now += 0.25  # half a token
    assert not guard.allow(1)
    clock.now += 0.25  # a whole one now
    assert guard.allow(1)
    assert not guard.allow(1)
    clock.now += 3600  # a long pause refills the bucket, but only to the burst
    assert [guard.allow(1) for _ in range(4)] == [True, True, True, False]


def test_another_person_has_their_own_bucket() -> None:
    clock = Clock()
    guard = FloodGuardMiddleware(burst=2, rate=0.5, clock=clock)
    assert guard.allow(1) and guard.allow(1)
    assert not guard.allow(1)
    assert guard.allow(2) and guard.allow(2)
    assert not guard.allow(2)
    assert not guard.allow(1)


def user_data(user_id: int) -> dict[str, Any]:
    return {"event_from_user": User(id=user_id, is_bot=False, first_name="Мария")}


async def test_a_flooding_person_is_told_once_per_cool_down_in_their_language() -> None:
    clock = Clock()
    guard = FloodGuardMiddleware(burst=2, rate=1.0, clock=clock)
    handled: list[Any] = []

    async def handler(event: Any, data: dict[str, Any]) -> str:
        handled.append(event)
        return "handled"

    message = MagicMock(spec=Message)
    message.answer = AsyncMock()
    i18n = get_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        results = [await guard(handler, message, user_data(1)) for _ in range(4)]
        assert results == ["handled", "handled", None, None]
        assert len(handled) == 2
        message.answer.assert_awaited_once()
        warning = message.answer.await_args.args[0]
        assert "подождите" in warning.lower()

        # someone else is served meanwhile
        assert await guard(handler, message, user_data(2)) == "handled"
        # no event user (a channel post, say): never throttled
        assert await guard(handler, message, {}) == "handled"

        clock.now += 5.0  # the cool-down is over and the bucket is full again
        assert await guard(handler, message, user_data(1)) == "handled"
        for _ in range(10):
            await guard(handler, message, user_data(1))
        assert message.answer.await_count == 2


async def test_a_flooding_button_press_gets_an_alert_then_a_silent_answer() -> None:
    clock = Clock()
    guard = FloodGuardMiddleware(burst=1, rate=0.1, clock=clock)
    query = MagicMock(spec=CallbackQuery)
    query.answer = AsyncMock()
    handler = AsyncMock(return_value="handled")
    i18n = get_i18n("ru")
    with i18n.context(), i18n.use_locale("en"):
        assert await guard(handler, query, user_data(1)) == "handled"
        assert await guard(handler, query, user_data(1)) is None
        assert await guard(handler, query, user_data(1)) is None
    assert handler.await_count == 1
    first, second = query.answer.await_args_list
    assert "wait" in first.args[0] and first.kwargs == {"show_alert": True}
    assert second.args == () and second.kwargs == {}
