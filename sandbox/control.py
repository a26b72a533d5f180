"""The control API under ``/sandbox/``: play users, inspect what the bot did, inject faults.

JSON in, JSON out, no token. Refusals are ``{"ok": false, "error": "..."}`` with a 4xx status.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiohttp import web

from . import user_actions
from .bot_api import STATE_KEY
from .state import ControlError, Fault, SandboxState

ControlHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=partial(json.dumps, ensure_ascii=False))


def _guard(handler: Callable[[web.Request, SandboxState], Awaitable[Any]]) -> ControlHandler:
    """Run a control handler: JSON result, ControlError as a JSON refusal."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            result = await handler(request, request.app[STATE_KEY])
        except ControlError as exc:
            return _json({"ok": False, "error": str(exc)}, exc.status)
        if isinstance(result, web.StreamResponse):
            return result
        return _json(result)

    return wrapped


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise ControlError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise ControlError(f"{name} must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(f"{name} must be an integer") from None


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise ControlError(f"{name} must be a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ControlError(f"{name} must be a number") from None


def _decode(data: Any, name: str) -> bytes:
    if not isinstance(data, str):
        raise ControlError(f"{name}.content_base64 is required")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ControlError(f"{name}.content_base64 is not valid base64") from None


async def post_update(request: web.Request, state: SandboxState) -> Any:
    """Queue what a user does: a text, a button press, an upload, a sticker..."""
    body = await _body(request)
    if "user_id" not in body:
        raise ControlError("user_id is required")
    user_id = _int(body["user_id"], "user_id")
    fields = {name: body.get(name) for name in user_actions.USER_FIELDS}
    if "callback_data" in body or "button_text" in body:
        message_id = body.get("message_id")
        return user_actions.press_button(
            state,
            user_id,
            callback_data=body.get("callback_data"),
            button_text=body.get("button_text"),
            message_id=None if message_id is None else _int(message_id, "message_id"),
            force=bool(body.get("force")),
            fields=fields,
        )
    if "text" in body:
        if not isinstance(body["text"], str):
            raise ControlError("text must be a string")
        return user_actions.send_text(state, user_id, body["text"], fields)
    caption = body.get("caption")
    if "document" in body:
        document = body["document"]
        if not isinstance(document, dict) or not document.get("file_name"):
            raise ControlError("document needs file_name and content_base64")
        return user_actions.send_document(
            state,
            user_id,
            str(document["file_name"]),
            _decode(document.get("content_base64"), "document"),
            mime_type=document.get("mime_type"),
            caption=caption,
            fields=fields,
        )
    if "photo" in body:
        photo = body["photo"]
        content = _decode(photo.get("content_base64") if isinstance(photo, dict) else None, "photo")
        return user_actions.send_photo(state, user_id, content, caption=caption, fields=fields)
    if body.get("sticker"):
        sticker = body["sticker"]
        emoji = sticker.get("emoji", "👍") if isinstance(sticker, dict) else "👍"
        return user_actions.send_sticker(state, user_id, emoji, fields)
    if body.get("voice"):
        voice = body["voice"]
        duration = _int(voice.get("duration", 1), "duration") if isinstance(voice, dict) else 1
        return user_actions.send_voice(state, user_id, duration, fields)
    if isinstance(body.get("contact"), dict):
        return user_actions.send_contact(state, user_id, body["contact"], fields)
    if isinstance(body.get("location"), dict):
        return user_actions.send_location(state, user_id, body["location"], fields)
    raise ControlError(
        "nothing to send: give text, callback_data/button_text, document, photo, sticker, voice, "
        "contact or location"
    )


def _chat(request: web.Request, state: SandboxState) -> Any:
    chat_id = _int(request.match_info["chat_id"], "chat_id")
    return state.chats.get(chat_id)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


async def chat_messages(request: web.Request, state: SandboxState) -> Any:
    """What the bot sent to the chat, edits applied; deleted ones flagged."""
    chat = _chat(request, state)
    if chat is None:
        return []
    include_user = _truthy(request.query.get("include_user"))
    return [
        message.sandbox_view()
        for message in chat.messages.values()
        if message.from_bot or include_user
    ]


async def chat_updates(request: web.Request, state: SandboxState) -> Any:
    """Every update made for this chat (``sandbox_dropped`` when allowed_updates excluded it)."""
    chat = _chat(request, state)
    return [] if chat is None else chat.updates


async def list_chats(request: web.Request, state: SandboxState) -> Any:
    return [
        {
            "chat_id": chat_id,
            "user": state.users.get(chat_id),
            "blocked": chat_id in state.blocked,
            "bot_messages": sum(1 for m in chat.messages.values() if m.from_bot),
        }
        for chat_id, chat in state.chats.items()
    ]


async def callback_answers(request: web.Request, state: SandboxState) -> Any:
    return state.callback_answers


async def get_file(request: web.Request, state: SandboxState) -> Any:
    stored = state.files.get(request.match_info["file_id"])
    if stored is None:
        raise ControlError("unknown file_id", 404)
    return web.Response(
        body=stored.content, content_type=stored.mime_type or "application/octet-stream"
    )


async def get_requests(request: web.Request, state: SandboxState) -> Any:
    wanted = (request.query.get("method") or "").lower()
    return [
        entry for entry in list(state.requests) if not wanted or entry["method"].lower() == wanted
    ]


async def get_commands(request: web.Request, state: SandboxState) -> Any:
    return list(state.commands.values())


async def add_fault(request: web.Request, state: SandboxState) -> Any:
    """Make the next ``count`` calls of ``method`` fail (``*`` for any method)."""
    body = await _body(request)
    method = body.get("method")
    if not isinstance(method, str) or not method:
        raise ControlError("method is required")
    kind = body.get("kind")
    if kind not in (None, "drop", "timeout", "html"):
        raise ControlError("kind must be drop, timeout or html")
    code = body.get("code")
    if kind in (None, "html") and code is None:
        raise ControlError("give code (e.g. 429, 500, 502) or kind (drop, timeout)")
    retry_after = body.get("retry_after")
    fault = Fault(
        remaining=_int(body.get("count", 1), "count"),
        code=None if code is None else _int(code, "code"),
        retry_after=None if retry_after is None else max(1, _int(retry_after, "retry_after")),
        kind=kind,
        delay=_number(body.get("delay", 0.0), "delay"),
        description=body.get("description"),
    )
    state.add_fault(method, fault)
    return {"ok": True}


async def clear_faults(request: web.Request, state: SandboxState) -> Any:
    state.faults.clear()
    return {"ok": True}


async def list_faults(request: web.Request, state: SandboxState) -> Any:
    return [
        {
            "method": method,
            "count": fault.remaining,
            "code": fault.code,
            "kind": fault.kind,
            "retry_after": fault.retry_after,
            "delay": fault.delay,
        }
        for method, pending in state.faults.items()
        for fault in pending
    ]


async def block_user(request: web.Request, state: SandboxState) -> Any:
    return user_actions.block(state, _int(request.match_info["user_id"], "user_id"))


async def unblock_user(request: web.Request, state: SandboxState) -> Any:
    return user_actions.unblock(state, _int(request.match_info["user_id"], "user_id"))


_LIMIT_FIELDS = ("global_rate", "global_burst", "chat_rate", "chat_burst")


def _config_view(state: SandboxState) -> dict[str, Any]:
    config = state.config
    return {
        **{name: getattr(config, name) for name in _LIMIT_FIELDS},
        "bot_username": config.bot_username,
    }


async def get_config(request: web.Request, state: SandboxState) -> Any:
    return _config_view(state)


async def set_config(request: web.Request, state: SandboxState) -> Any:
    """Change flood limits at run time (buckets restart full)."""
    body = await _body(request)
    unknown = set(body) - set(_LIMIT_FIELDS)
    if unknown:
        raise ControlError(f"unknown settings: {', '.join(sorted(unknown))}")
    limits: dict[str, float] = {}
    for name, value in body.items():
        limits[name] = _number(value, name)
        if limits[name] < 0:
            raise ControlError(f"{name} must not be negative")
    state.set_limits(**limits)
    return _config_view(state)


#: Fields of a directory entry; ``user_id`` and ``first_name`` are required.
DIRECTORY_FIELDS = ("user_id", "first_name", "last_name", "username", "language_code", "subtitle")
MAX_DIRECTORY_ENTRIES = 10_000


def _directory_entry(item: Any, index: int) -> dict[str, Any]:
    where = f"entry {index}"
    if not isinstance(item, dict):
        raise ControlError(f"{where} must be an object")
    unknown = set(item) - set(DIRECTORY_FIELDS)
    if unknown:
        raise ControlError(
            f"{where}: unknown fields {', '.join(sorted(unknown))}; "
            f"known: {', '.join(DIRECTORY_FIELDS)}"
        )
    if "user_id" not in item:
        raise ControlError(f"{where}: user_id is required")
    entry: dict[str, Any] = {"user_id": _int(item["user_id"], f"{where}: user_id")}
    if entry["user_id"] <= 0:
        raise ControlError(f"{where}: user_id must be positive")
    for name in DIRECTORY_FIELDS[1:]:
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ControlError(f"{where}: {name} must be a string")
        entry[name] = value
    if not entry.get("first_name"):
        raise ControlError(f"{where}: first_name is required")
    return entry


async def get_directory(request: web.Request, state: SandboxState) -> Any:
    return state.directory


async def put_directory(request: web.Request, state: SandboxState) -> Any:
    """Replace the people the web chat offers: ``[{"user_id", "first_name", ...}, ...]``."""
    try:
        body = await request.json() if request.can_read_body else None
    except ValueError:
        raise ControlError("the body must be a JSON array") from None
    if not isinstance(body, list):
        raise ControlError("the body must be a JSON array")
    if len(body) > MAX_DIRECTORY_ENTRIES:
        raise ControlError(f"at most {MAX_DIRECTORY_ENTRIES} entries")
    entries = [_directory_entry(item, index) for index, item in enumerate(body)]
    seen: set[int] = set()
    for entry in entries:
        if entry["user_id"] in seen:
            raise ControlError(f"user_id {entry['user_id']} appears twice")
        seen.add(entry["user_id"])
    state.directory = entries
    state.events.publish("directory", None, entries)
    return {"ok": True, "count": len(entries)}


async def reset(request: web.Request, state: SandboxState) -> Any:
    state.reset()
    return {"ok": True}


async def health(request: web.Request, state: SandboxState) -> Any:
    return {"ok": True}


def add_routes(app: web.Application) -> None:
    """Attach the control API to ``app``."""
    routes = [
        web.post("/sandbox/updates", _guard(post_update)),
        web.get("/sandbox/chats", _guard(list_chats)),
        web.get("/sandbox/chats/{chat_id}/messages", _guard(chat_messages)),
        web.get("/sandbox/chats/{chat_id}/updates", _guard(chat_updates)),
        web.get("/sandbox/callback_answers", _guard(callback_answers)),
        web.get("/sandbox/files/{file_id}", _guard(get_file)),
        web.get("/sandbox/requests", _guard(get_requests)),
        web.get("/sandbox/commands", _guard(get_commands)),
        web.get("/sandbox/faults", _guard(list_faults)),
        web.post("/sandbox/faults", _guard(add_fault)),
        web.delete("/sandbox/faults", _guard(clear_faults)),
        web.post("/sandbox/users/{user_id}/block", _guard(block_user)),
        web.post("/sandbox/users/{user_id}/unblock", _guard(unblock_user)),
        web.get("/sandbox/config", _guard(get_config)),
        web.post("/sandbox/config", _guard(set_config)),
        web.get("/sandbox/directory", _guard(get_directory)),
        web.put("/sandbox/directory", _guard(put_directory)),
        web.post("/sandbox/reset", _guard(reset)),
        web.get("/sandbox/health", _guard(health)),
    ]
    app.add_routes(routes)
