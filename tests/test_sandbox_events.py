"""What the web chat stands on, without a browser: the page's files, the directory route, the
command menu a person sees, and the live event stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from sandbox import SandboxConfig, SandboxState, start_sandbox
from sandbox.events import QUEUE_LIMIT, EventHub

TOKEN = "1234567890:AAH" + "x" * 32
PEOPLE = [
    {
        "user_id": 1001,
        "first_name": "Мария",
        "last_name": "Иванова",
        "subtitle": "директор · Казанская СОШ",
    },
    {"user_id": 1002, "first_name": "Ilias", "language_code": "en"},
]


async def read_events(response: aiohttp.ClientResponse) -> AsyncIterator[tuple[str, Any]]:
    """``(event, data)`` pairs from an SSE response."""
    kind = ""
    async for raw in response.content:
        line = raw.decode().rstrip("\n")
        if line.startswith("event: "):
            kind = line[len("event: ") :]
        elif line.startswith("data: "):
            yield kind, json.loads(line[len("data: ") :])


async def next_event(events: AsyncIterator[tuple[str, Any]]) -> tuple[str, Any]:
    return await asyncio.wait_for(anext(events), 3.0)


async def test_the_page_and_its_files_are_served_with_a_strict_policy() -> None:
    async with start_sandbox() as sandbox, aiohttp.ClientSession() as http:
        async with http.get(f"{sandbox.url}/") as page:
            assert page.status == 200
            assert page.content_type == "text/html"
            assert "script-src 'self'" in page.headers["Content-Security-Policy"]
            html = await page.text()
        assert "не Telegram" in html
        assert "not Telegram" in html
        for name in ("chat.js", "format.js", "chat.css"):
            async with http.get(f"{sandbox.url}/web/{name}") as asset:
                assert asset.status == 200, name
        async with http.get(f"{sandbox.url}/web/..%2Fstate.py") as escape:
            assert escape.status == 404


async def test_the_directory_is_replaced_and_read_back() -> None:
    async with start_sandbox() as sandbox, aiohttp.ClientSession() as http:
        url = f"{sandbox.url}/sandbox/directory"
        async with http.get(url) as empty:
            assert await empty.json() == []
        async with http.put(url, json=PEOPLE) as stored:
            assert await stored.json() == {"ok": True, "count": 2}
        async with http.put(url, json=PEOPLE[1:]) as replaced:
            assert replaced.status == 200
        async with http.get(url) as listed:
            assert await listed.json() == PEOPLE[1:]
        await http.post(f"{sandbox.url}/sandbox/reset")
        async with http.get(url) as after_reset:
            assert await after_reset.json() == PEOPLE[1:]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"user_id": 1}, "the body must be a JSON array"),
        ([{"first_name": "A"}], "entry 0: user_id is required"),
        ([{"user_id": 1}], "entry 0: first_name is required"),
        ([{"user_id": "x", "first_name": "A"}], "entry 0: user_id must be an integer"),
        ([{"user_id": 1, "first_name": "A", "role": "x"}], "entry 0: unknown fields role"),
        ([{"user_id": 1, "first_name": 5}], "entry 0: first_name must be a string"),
        ([{"user_id": 1, "first_name": "A"}, {"user_id": 1, "first_name": "B"}], "appears twice"),
    ],
)
async def test_a_wrong_directory_is_refused_and_the_old_one_kept(body: Any, error: str) -> None:
    async with start_sandbox() as sandbox, aiohttp.ClientSession() as http:
        url = f"{sandbox.url}/sandbox/directory"
        await http.put(url, json=PEOPLE)
        async with http.put(url, json=body) as refused:
            assert refused.status == 400
            assert error in (await refused.json())["error"]
        async with http.get(url) as listed:
            assert await listed.json() == PEOPLE


def test_the_command_menu_takes_the_narrowest_scope_in_the_users_language() -> None:
    state = SandboxState()
    state.directory = [{"user_id": 7, "first_name": "A", "language_code": "en"}]

    def commands(scope: dict[str, Any] | None, language: str, *names: str) -> None:
        key = state.commands_key(scope, language)
        listed = [{"command": name, "description": name} for name in names]
        state.commands[key] = {"scope": scope or {"type": "default"}, "commands": listed}
        state.commands[key]["language_code"] = language

    def menu(user_id: int) -> list[str]:
        return [c["command"] for c in state.command_menu(user_id)]

    assert menu(7) == []
    commands(None, "", "start")
    assert menu(7) == ["start"]
    commands(None, "en", "start_en")
    assert menu(7) == ["start_en"]
    assert menu(8) == ["start"]  # unknown users speak Russian
    commands({"type": "all_private_chats"}, "", "private")
    assert menu(7) == ["private"]
    commands({"type": "chat", "chat_id": "7"}, "", "mine")
    assert menu(7) == ["mine"]
    assert menu(8) == ["private"]
    state.remember_user(7, {"language_code": "ru"})
    assert menu(7) == ["mine"]


async def test_the_stream_starts_with_a_snapshot_and_follows_the_chat() -> None:
    config = SandboxConfig(chat_rate=0, global_rate=0)
    async with start_sandbox(config=config) as sandbox, aiohttp.ClientSession() as http:
        control = f"{sandbox.url}/sandbox"
        api = f"{sandbox.url}/bot{TOKEN}"
        await http.put(f"{control}/directory", json=PEOPLE)
        await http.post(f"{control}/updates", json={"user_id": 1001, "text": "/start"})
        await http.post(f"{control}/updates", json={"user_id": 1002, "text": "/start"})
        await http.post(f"{api}/sendMessage", json={"chat_id": 1001, "text": "раз"})
        await http.post(
            f"{api}/setMyCommands", json={"commands": [{"command": "start", "description": "s"}]}
        )
        async with http.get(f"{control}/events", params={"chat_id": "1001"}) as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            events = read_events(stream)
            kind, first = await next_event(events)
            assert kind == "snapshot"
            assert [m["text"] for m in first["messages"]] == ["/start", "раз"]
            assert first["directory"] == PEOPLE
            assert first["commands"] == [{"command": "start", "description": "s"}]

            await http.post(f"{api}/sendMessage", json={"chat_id": 1002, "text": "чужое"})
            sent = await http.post(f"{api}/sendMessage", json={"chat_id": 1001, "text": "два"})
            message_id = (await sent.json())["result"]["message_id"]
            kind, data = await next_event(events)
            assert (kind, data["text"], data["deleted"]) == ("message", "два", False)

            edit = {"chat_id": 1001, "message_id": message_id, "text": "два!"}
            await http.post(f"{api}/editMessageText", json=edit)
            kind, data = await next_event(events)
            assert (kind, data["text"], "edit_date" in data) == ("message", "два!", True)

            delete = {"chat_id": 1001, "message_id": message_id}
            await http.post(f"{api}/deleteMessage", json=delete)
            kind, data = await next_event(events)
            assert (kind, data["message_id"], data["deleted"]) == ("message", message_id, True)

            await http.post(
                f"{api}/setMyCommands",
                json={
                    "commands": [{"command": "mine", "description": "m"}],
                    "scope": {"type": "chat", "chat_id": 1001},
                },
            )
            mine = [{"command": "mine", "description": "m"}]
            assert await next_event(events) == ("commands", mine)

            await http.put(f"{control}/directory", json=PEOPLE[:1])
            assert await next_event(events) == ("directory", PEOPLE[:1])

            await http.post(f"{control}/reset")
            kind, data = await next_event(events)
            assert (kind, data["messages"], data["commands"]) == ("snapshot", [], [])


async def test_a_callback_answer_and_a_chat_action_reach_the_pressers_stream() -> None:
    async with start_sandbox() as sandbox, aiohttp.ClientSession() as http:
        control = f"{sandbox.url}/sandbox"
        api = f"{sandbox.url}/bot{TOKEN}"
        await http.post(f"{control}/updates", json={"user_id": 5, "text": "/start"})
        keyboard = {"inline_keyboard": [[{"text": "Да", "callback_data": "yes"}]]}
        await http.post(
            f"{api}/sendMessage", json={"chat_id": 5, "text": "?", "reply_markup": keyboard}
        )
        async with http.get(f"{control}/events", params={"chat_id": "5"}) as stream:
            events = read_events(stream)
            assert (await next_event(events))[0] == "snapshot"
            pressed = await http.post(
                f"{control}/updates", json={"user_id": 5, "callback_data": "yes"}
            )
            query_id = (await pressed.json())["callback_query_id"]
            await http.post(
                f"{api}/answerCallbackQuery",
                json={"callback_query_id": query_id, "text": "Нельзя", "show_alert": True},
            )
            await http.post(f"{api}/sendChatAction", json={"chat_id": 5, "action": "typing"})
            kinds = [await next_event(events) for _ in range(2)]
        answer = kinds[0][1]
        assert kinds[0][0] == "callback_answer"
        assert (answer["callback_query_id"], answer["text"], answer["show_alert"]) == (
            query_id,
            "Нельзя",
            True,
        )
        assert kinds[1] == ("chat_action", {"action": "typing"})


async def test_open_streams_do_not_keep_the_sandbox_from_closing() -> None:
    sandbox = await start_sandbox()
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{sandbox.url}/sandbox/events") as stream:
            events = read_events(stream)
            assert (await next_event(events))[0] == "snapshot"
            loop = asyncio.get_running_loop()
            started = loop.time()
            await sandbox.close()
            assert loop.time() - started < 0.9
            with pytest.raises(StopAsyncIteration):
                await next_event(events)


async def test_a_stream_that_falls_behind_is_ended_not_buffered_forever() -> None:
    hub = EventHub()
    with hub.subscribe() as subscription:
        for number in range(QUEUE_LIMIT + 5):
            hub.publish("message", 1, {"n": number})
        received = [await subscription.next() for _ in range(QUEUE_LIMIT)]
        assert all(event is not None for event in received)
        assert await subscription.next() is None
        assert subscription.ended
    assert hub.listeners == 0


async def test_a_bad_chat_id_is_refused() -> None:
    async with start_sandbox() as sandbox, aiohttp.ClientSession() as http:
        async with http.get(f"{sandbox.url}/sandbox/events", params={"chat_id": "x"}) as bad:
            assert bad.status == 400
            assert await bad.json() == {"ok": False, "error": "chat_id must be an integer"}
