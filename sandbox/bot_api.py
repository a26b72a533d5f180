"""The Bot API side: ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from typing import Any

from aiohttp import web

from .content import (
    check_reply_markup,
    check_text,
    clean_inline_markup,
    parse_formatted,
)
from .errors import BotApiError, bad_request, not_found, too_many_requests
from .media import image_size
from .params import Params, Upload, read_params
from .state import (
    QUERY_TOO_OLD,
    Chat,
    Fault,
    SandboxState,
    StoredFile,
    StoredMessage,
    document_object,
)

log = logging.getLogger(__name__)

STATE_KEY: web.AppKey[SandboxState] = web.AppKey("sandbox_state", SandboxState)

_TOKEN_SHAPE = re.compile(r"^(\d+):(.+)$")
_TOKEN_SECRET = re.compile(r"^[A-Za-z0-9_-]{30,}$")
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
_FAULT_DESCRIPTIONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class Call:
    """One Bot API call being answered."""

    state: SandboxState
    bot_id: int
    method: str
    params: Params


Handler = Callable[[Call], Awaitable[Any]]
METHODS: dict[str, tuple[str, Handler]] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    """Register a Bot API method handler under its (case-insensitive) name."""

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register


def _json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=partial(json.dumps, ensure_ascii=False))


def check_token(token: str) -> int:
    """The bot id of a well-formed token; Telegram's 404/401 otherwise."""
    shape = _TOKEN_SHAPE.match(token)
    if shape is None:
        raise not_found()
    if not _TOKEN_SECRET.match(shape.group(2)):
        raise BotApiError(401, "Unauthorized: invalid token specified")
    return int(shape.group(1))


# --------------------------------------------------------------------- request entry points


async def handle_method(request: web.Request) -> web.StreamResponse:
    """Answer ``/bot<token>/<method>`` like api.telegram.org."""
    state = request.app[STATE_KEY]
    requested = request.match_info["method"]
    known = METHODS.get(requested.lower())
    entry = state.log_request(known[0] if known else requested)
    started = time.monotonic()
    status: int | None = None
    try:
        bot_id = check_token(request.match_info["token"])
        if known is None:
            raise not_found()
        name, handler = known
        try:
            params = await read_params(request)
        except web.HTTPRequestEntityTooLarge:
            raise BotApiError(413, "Request Entity Too Large") from None
        entry["params"] = params.summary()
        entry["content_type"] = request.content_type if request.body_exists else None
        state.known_bot_id = bot_id
        fault = state.take_fault(name)
        if fault is not None:
            entry["fault"] = fault.kind or fault.code
            response = await _apply_fault(request, state, fault)
            status = response.status
            return response
        result = await handler(Call(state, bot_id, name, params))
        status = 200
        return _json_response({"ok": True, "result": result})
    except BotApiError as exc:
        status = exc.code
        return _json_response(exc.body(), exc.code)
    except asyncio.CancelledError:
        entry["cancelled"] = True
        raise
    except Exception:
        log.exception("sandbox failed to answer %s", requested)
        status = 500
        return _json_response(
            {"ok": False, "error_code": 500, "description": "Internal Server Error"}, 500
        )
    finally:
        entry["status"] = status
        entry["duration"] = time.monotonic() - started


async def handle_file(request: web.Request) -> web.StreamResponse:
    """Serve ``/file/bot<token>/<file_path>``."""
    state = request.app[STATE_KEY]
    try:
        check_token(request.match_info["token"])
    except BotApiError as exc:
        return _json_response(exc.body(), exc.code)
    stored = state.files_by_path.get(request.match_info["path"])
    if stored is None:
        return _json_response(not_found().body(), 404)
    return web.Response(
        body=stored.content, content_type=stored.mime_type or "application/octet-stream"
    )


async def _apply_fault(request: web.Request, state: SandboxState, fault: Fault) -> web.Response:
    if fault.kind in ("drop", "timeout"):
        if fault.kind == "timeout" and fault.delay > 0:
            try:
                await asyncio.wait_for(state.closing.wait(), fault.delay)
            except TimeoutError:
                pass
        transport = request.transport
        if transport is not None:
            transport.close()
        # With handler cancellation on (start_sandbox turns it on) the handler is cancelled
        # here as the connection goes; the response below is never written otherwise either.
        await asyncio.sleep(1.0)
        return web.Response(status=499)
    code = fault.code or 500
    if fault.kind == "html":
        return web.Response(status=code, text=_NGINX_502, content_type="text/html")
    if code == 429:
        error = too_many_requests(fault.retry_after or 1)
    else:
        description = fault.description or _FAULT_DESCRIPTIONS.get(code)
        if description is None:
            try:
                description = HTTPStatus(code).phrase
            except ValueError:
                description = "Error"
        error = BotApiError(code, description, fault.retry_after)
    return _json_response(error.body(), code)


# --------------------------------------------------------------------- shared pieces


def _reply_markup(params: Params) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """``(inline markup as echoed, other markup)`` from ``reply_markup``."""
    markup = params.json("reply_markup", "can't parse reply keyboard markup JSON object")
    if markup is None:
        return None, None
    if check_reply_markup(markup) == "inline":
        return clean_inline_markup(markup), None
    return None, markup


def _inline_markup_only(params: Params) -> dict[str, Any] | None:
    inline, other = _reply_markup(params)
    if other is not None:
        raise bad_request("inline keyboard expected")
    return inline


def _formatted(
    call: Call, text_field: str, entities_field: str, *, caption: bool = False
) -> tuple[str | None, str, list[dict[str, Any]]]:
    raw = call.params.text(text_field)
    entities = call.params.json(entities_field, f"can't parse {entities_field} JSON object")
    if entities is not None and not isinstance(entities, list):
        raise bad_request(f'field "{entities_field}" must be of type Array')
    text, found = parse_formatted(
        raw or "",
        call.params.text("parse_mode"),
        entities,
        strict_ampersand=call.state.config.strict_html_ampersand,
    )
    check_text(raw, text, caption=caption)
    return raw, text, found


def _reply_target(params: Params, chat: Chat) -> dict[str, Any] | None:
    """The message being replied to, per ``reply_parameters`` or ``reply_to_message_id``."""
    reply = params.json("reply_parameters", "can't parse reply parameters JSON object")
    allow_missing = params.flag("allow_sending_without_reply")
    if isinstance(reply, dict):
        if "message_id" not in reply:
            raise bad_request('can\'t find field "message_id"')
        target_id = reply["message_id"]
        allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
    else:
        target_id = params.integer("reply_to_message_id")
    if target_id is None:
        return None
    try:
        target = chat.live_message(int(target_id))
    except (TypeError, ValueError):
        raise bad_request('field "message_id" must be of type Integer') from None
    if target is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    view = target.api_view()
    view.pop("reply_to_message", None)
    return view


def _message_content(
    text_field: str,
    text: str,
    entities: list[dict[str, Any]],
    inline: dict[str, Any] | None,
    reply_to: dict[str, Any] | None,
    params: Params,
) -> dict[str, Any]:
    content: dict[str, Any] = {}
    if reply_to is not None:
        content["reply_to_message"] = reply_to
    if text or text_field == "text":
        content[text_field] = text
    if entities:
        content["entities" if text_field == "text" else "caption_entities"] = entities
    if params.flag("protect_content"):
        content["has_protected_content"] = True
    if inline is not None:
        content["reply_markup"] = inline
    return content


def _deliver(
    call: Call,
    chat: Chat,
    content: dict[str, Any],
    reply_keyboard: dict[str, Any] | None,
) -> StoredMessage:
    call.state.check_not_blocked(chat)
    call.state.check_flood(call.method, chat)
    return _add_bot_message(call, chat, content, reply_keyboard)


def _file_argument(call: Call, name: str) -> Upload | StoredFile:
    value = call.params.file(name)
    if value is None:
        raise bad_request(f"there is no {name} in the request")
    if isinstance(value, Upload):
        if not value.content:
            raise bad_request("file must be non-empty")
        return value
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    stored = call.state.files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return stored


# --------------------------------------------------------------------- methods: bot and updates


@method("getMe")
async def get_me(call: Call) -> Any:
    return call.state.me(call.bot_id)


@method("logOut")
async def log_out(call: Call) -> Any:
    return True


@method("close")
async def close(call: Call) -> Any:
    return True


@method("getUpdates")
async def get_updates(call: Call) -> Any:
    params = call.params
    offset = params.integer("offset")
    limit = min(100, max(1, params.integer("limit", 100) or 100))
    timeout = max(0.0, params.number("timeout", 0.0))
    allowed = params.json("allowed_updates", "can't parse allowed_updates JSON object")
    if allowed is not None:
        if not isinstance(allowed, list):
            raise bad_request('field "allowed_updates" must be of type Array')
        call.state.set_allowed_updates([str(kind) for kind in allowed])
    return await call.state.get_updates(call.bot_id, offset, limit, timeout)


@method("deleteWebhook")
async def delete_webhook(call: Call) -> Any:
    if call.params.flag("drop_pending_updates"):
        call.state.queue.clear()
    return True


@method("getWebhookInfo")
async def get_webhook_info(call: Call) -> Any:
    return {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": len(call.state.queue),
    }


@method("setWebhook")
async def set_webhook(call: Call) -> Any:
    raise bad_request("the sandbox delivers updates only through getUpdates")


# --------------------------------------------------------------------- methods: commands


def _command_scope(call: Call) -> dict[str, Any] | None:
    scope = call.params.json("scope", "can't parse BotCommandScope JSON object")
    if scope is None:
        return None
    if not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope.get("type")
    if kind not in COMMAND_SCOPES:
        raise bad_request("unsupported bot command scope type specified")
    if kind in ("chat", "chat_administrators", "chat_member"):
        call.state.chat_for_bot(scope.get("chat_id"))
    if kind == "chat_member" and scope.get("user_id") is None:
        raise bad_request("can't parse BotCommandScope: Can't find field \"user_id\"")
    return scope


def _language_code(call: Call) -> str:
    code = call.params.text("language_code") or ""
    if code and not _LANGUAGE_CODE.match(code):
        raise bad_request("invalid language code specified")
    return code


@method("setMyCommands")
async def set_my_commands(call: Call) -> Any:
    commands = call.params.json("commands", "can't parse commands JSON object") or []
    if not isinstance(commands, list):
        raise bad_request('field "commands" must be of type Array')
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    cleaned = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: Object expected")
        for field_name in ("command", "description"):
            if field_name not in item:
                raise bad_request(f"can't parse BotCommand: Can't find field \"{field_name}\"")
        command, description = str(item["command"]), str(item["description"])
        if not command:
            raise bad_request("command must be non-empty")
        if not description:
            raise bad_request("command description must be non-empty")
        if not _COMMAND_NAME.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": command, "description": description})
    scope = _command_scope(call)
    language = _language_code(call)
    key = call.state.commands_key(scope, language)
    if cleaned:
        call.state.commands[key] = {
            "scope": scope or {"type": "default"},
            "language_code": language,
            "commands": cleaned,
        }
    else:
        call.state.commands.pop(key, None)
    call.state.events.publish("commands")
    return True


@method("getMyCommands")
async def get_my_commands(call: Call) -> Any:
    key = call.state.commands_key(_command_scope(call), _language_code(call))
    stored = call.state.commands.get(key)
    return [dict(c) for c in stored["commands"]] if stored else []


@method("deleteMyCommands")
async def delete_my_commands(call: Call) -> Any:
    key = call.state.commands_key(_command_scope(call), _language_code(call))
    call.state.commands.pop(key, None)
    call.state.events.publish("commands")
    return True


# --------------------------------------------------------------------- methods: messages


@method("sendMessage")
async def send_message(call: Call) -> Any:
    if not call.params.text("text"):
        raise bad_request("message text is empty")
    inline, other = _reply_markup(call.params)
    chat = call.state.chat_for_bot(call.params.raw("chat_id"))
    _, text, entities = _formatted(call, "text", "entities")
    reply_to = _reply_target(call.params, chat)
    content = _message_content("text", text, entities, inline, reply_to, call.params)
    return _deliver(call, chat, content, other).api_view()


@method("sendPhoto")
async def send_photo(call: Call) -> Any:
    inline, other = _reply_markup(call.params)
    chat = call.state.chat_for_bot(call.params.raw("chat_id"))
    photo = _file_argument(call, "photo")
    if isinstance(photo, Upload) and image_size(photo.content) is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    if isinstance(photo, StoredFile) and photo.photo_sizes is None:
        raise bad_request(f"can't use file of type {photo.kind.capitalize()} as Photo")
    _, caption, entities = _formatted(call, "caption", "caption_entities", caption=True)
    reply_to = _reply_target(call.params, chat)
    content = _message_content("caption", caption, entities, inline, reply_to, call.params)
    call.state.check_not_blocked(chat)
    call.state.check_flood(call.method, chat)
    if isinstance(photo, Upload):
        sizes = call.state.store_photo(photo.content)
    else:
        sizes = [dict(size) for size in photo.photo_sizes or []]
    content = {"photo": sizes, **content}
    return _add_bot_message(call, chat, content, other).api_view()


@method("sendDocument")
async def send_document(call: Call) -> Any:
    inline, other = _reply_markup(call.params)
    chat = call.state.chat_for_bot(call.params.raw("chat_id"))
    document = _file_argument(call, "document")
    if isinstance(document, StoredFile) and document.kind != "document":
        raise bad_request(f"can't use file of type {document.kind.capitalize()} as Document")
    _, caption, entities = _formatted(call, "caption", "caption_entities", caption=True)
    reply_to = _reply_target(call.params, chat)
    content = _message_content("caption", caption, entities, inline, reply_to, call.params)
    call.state.check_not_blocked(chat)
    call.state.check_flood(call.method, chat)
    if isinstance(document, Upload):
        doc = call.state.store_document(document.content, document.file_name)
    else:
        doc = document_object(document)
    content = {"document": doc, **content}
    return _add_bot_message(call, chat, content, other).api_view()


def _add_bot_message(
    call: Call, chat: Chat, content: dict[str, Any], reply_keyboard: dict[str, Any] | None
) -> StoredMessage:
    return call.state.add_message(
        chat,
        from_bot=True,
        sender=call.state.bot_user(call.bot_id),
        content=content,
        reply_keyboard=reply_keyboard,
    )


def _message_to_edit(call: Call) -> tuple[Chat, StoredMessage]:
    if call.params.has("inline_message_id"):
        raise bad_request("the sandbox does not support inline messages")
    chat = call.state.chat_for_bot(call.params.raw("chat_id"))
    message_id = call.params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = chat.live_message(message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _apply_edit(call: Call, chat: Chat, message: StoredMessage, changes: dict[str, Any]) -> Any:
    """Set (or, for None values, remove) fields; refuse an edit that changes nothing."""
    data = message.data
    if all(data.get(key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    call.state.check_not_blocked(chat)
    call.state.check_flood(call.method, chat)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    data["edit_date"] = int(time.time())
    call.state.message_changed(message)
    return message.api_view()


@method("editMessageText")
async def edit_message_text(call: Call) -> Any:
    if not call.params.text("text"):
        raise bad_request("message text is empty")
    inline = _inline_markup_only(call.params)
    chat, message = _message_to_edit(call)
    if "text" not in message.data:
        raise bad_request("there is no text in the message to edit")
    _, text, entities = _formatted(call, "text", "entities")
    changes = {"text": text, "entities": entities or None, "reply_markup": inline}
    return _apply_edit(call, chat, message, changes)


@method("editMessageCaption")
async def edit_message_caption(call: Call) -> Any:
    inline = _inline_markup_only(call.params)
    chat, message = _message_to_edit(call)
    if "text" in message.data:
        raise bad_request("there is no caption in the message to edit")
    _, caption, entities = _formatted(call, "caption", "caption_entities", caption=True)
    changes = {
        "caption": caption or None,
        "caption_entities": entities or None,
        "reply_markup": inline,
    }
    return _apply_edit(call, chat, message, changes)


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(call: Call) -> Any:
    inline = _inline_markup_only(call.params)
    chat, message = _message_to_edit(call)
    return _apply_edit(call, chat, message, {"reply_markup": inline})


@method("deleteMessage")
async def delete_message(call: Call) -> Any:
    chat = call.state.chat_for_bot(call.params.raw("chat_id"))
    message_id = call.params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = chat.live_message(message_id)
    if message is None:
        raise bad_request("message to delete not found")
    message.deleted = True
    call.state.message_changed(message)
    return True


@method("sendChatAction")
async def send_chat_action(call: Call) -> Any:
    chat = call.state.chat_for_bot(call.params.raw("chat_id"))
    action = call.params.text("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    call.state.check_not_blocked(chat)
    call.state.events.publish("chat_action", chat.user_id, {"action": action})
    return True


@method("answerCallbackQuery")
async def answer_callback_query(call: Call) -> Any:
    query_id = call.params.text("callback_query_id") or ""
    query = call.state.callback_queries.get(query_id)
    if query is None or query["answered"]:
        raise bad_request(QUERY_TOO_OLD)
    query["answered"] = True
    answer = {
        "callback_query_id": query_id,
        "user_id": query["user_id"],
        "text": call.params.text("text"),
        "show_alert": call.params.flag("show_alert"),
        "url": call.params.text("url"),
        "cache_time": call.params.integer("cache_time", 0),
        "answered_at": time.time(),
    }
    call.state.callback_answers.append(answer)
    call.state.events.publish("callback_answer", query["user_id"], answer)
    return True


# --------------------------------------------------------------------- methods: files


@method("getFile")
async def get_file(call: Call) -> Any:
    stored = call.state.files.get(call.params.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return stored.file_object()


__all__ = ["METHODS", "STATE_KEY", "check_token", "handle_file", "handle_method"]
