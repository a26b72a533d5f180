"""``GET /sandbox/events``: the sandbox's changes as Server-Sent Events, for the web chat.

A stream watches one chat (``?chat_id=``; without it, no chat). It starts with a ``snapshot``
of everything a Telegram client would show for that chat, then sends each change as it
happens: ``message`` (sent, edited or deleted; the same object as
``/sandbox/chats/{id}/messages?include_user=1`` lists), ``callback_answer``, ``chat_action``,
``commands`` (the chat's command menu, whenever any bot command list changes) and
``directory``. After ``/sandbox/reset`` it sends a fresh ``snapshot``.

Subscribing and taking the snapshot happen without a pause in between, so no change falls
between the two.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from .bot_api import STATE_KEY
from .events import Event
from .state import SandboxState

#: Seconds between comments that keep an idle stream (and any proxy in between) open.
KEEPALIVE_SECONDS = 15.0
#: How soon a browser reconnects after the stream ends, in milliseconds.
RECONNECT_MS = 1000


def snapshot(state: SandboxState, chat_id: int | None) -> dict[str, Any]:
    """What the page needs to draw a chat from scratch."""
    view: dict[str, Any] = {
        "bot": state.bot_user(state.known_bot_id),
        "directory": state.directory,
        "chat_id": chat_id,
        "user": None,
        "messages": [],
        "commands": [],
    }
    if chat_id is None:
        return view
    view["user"] = state.users.get(chat_id)
    view["commands"] = state.command_menu(chat_id)
    chat = state.chats.get(chat_id)
    if chat is not None:
        view["messages"] = [m.sandbox_view() for m in chat.messages.values() if not m.deleted]
    return view


def _frame(kind: str, data: Any) -> bytes:
    """One SSE frame; JSON has no raw newlines, so a single ``data:`` line holds it."""
    payload = json.dumps(data, ensure_ascii=False)
    return f"event: {kind}\ndata: {payload}\n\n".encode()


def _frame_for(state: SandboxState, event: Event, chat_id: int | None) -> bytes | None:
    if not event.concerns(chat_id):
        return None
    if event.kind == "reset":
        return _frame("snapshot", snapshot(state, chat_id))
    if event.kind == "commands":
        return _frame("commands", state.command_menu(chat_id) if chat_id is not None else [])
    return _frame(event.kind, event.data)


def _chat_id(request: web.Request) -> int | None:
    raw = request.query.get("chat_id", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise web.HTTPBadRequest(
            text=json.dumps({"ok": False, "error": "chat_id must be an integer"}),
            content_type="application/json",
        ) from None


async def stream_events(request: web.Request) -> web.StreamResponse:
    """Serve the event stream until the client leaves or the sandbox closes."""
    state = request.app[STATE_KEY]
    chat_id = _chat_id(request)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    try:
        with state.events.subscribe() as subscription:
            await response.write(f"retry: {RECONNECT_MS}\n\n".encode())
            await response.write(_frame("snapshot", snapshot(state, chat_id)))
            while True:
                try:
                    event = await asyncio.wait_for(subscription.next(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if event is None:
                    break
                frame = _frame_for(state, event, chat_id)
                if frame is not None:
                    await response.write(frame)
    except ConnectionResetError:
        pass
    return response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/sandbox/events", stream_events)


__all__ = ["KEEPALIVE_SECONDS", "add_routes", "snapshot", "stream_events"]
