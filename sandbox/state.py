"""Everything the sandbox remembers: users, chats, messages, files, the update queue, logs."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import secrets
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .config import SandboxConfig
from .errors import BotApiError, bad_request, forbidden, too_many_requests
from .events import EventHub
from .media import FALLBACK_IMAGE_SIZE, guess_mime_type, image_size, scaled
from .ratelimit import FloodLimiter

#: Update types delivered when ``allowed_updates`` is empty or was never given.
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)

CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"

#: Update ids for every sandbox in this process. They start from the clock (in 1/10000 s) so
#: that ids also keep growing across restarts: a bot that remembers handled update ids, or
#: still polls with an old offset, would otherwise ignore a restarted sandbox's updates.
_UPDATE_IDS = itertools.count(int(time.time() * 10_000))

_FILE_DIRS = {"document": "documents", "photo": "photos", "sticker": "stickers", "voice": "voice"}
_FILE_ID_PREFIX = {"document": "BQAC", "photo": "AgAC", "sticker": "CAAC", "voice": "AwAC"}


class ControlError(Exception):
    """A refused control-API request; answered as ``{"ok": false, "error": ...}``."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class StoredFile:
    """A file the bot sent or a user uploaded."""

    file_id: str
    file_unique_id: str
    kind: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    #: For photos: the PhotoSize list this file belongs to (every size shares the content).
    photo_sizes: list[dict[str, Any]] | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    def file_object(self) -> dict[str, Any]:
        """Telegram's ``File`` object, as getFile returns it."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


@dataclass
class StoredMessage:
    """One message in a private chat, with the sandbox's own bookkeeping beside it."""

    chat_id: int
    message_id: int
    from_bot: bool
    data: dict[str, Any]
    reply_keyboard: dict[str, Any] | None = None
    deleted: bool = False

    def api_view(self) -> dict[str, Any]:
        """The message as the Bot API shows it."""
        return copy.deepcopy(self.data)

    def sandbox_view(self) -> dict[str, Any]:
        """The message for ``/sandbox/chats/.../messages``: deleted flag and reply keyboard."""
        view = copy.deepcopy(self.data)
        view["deleted"] = self.deleted
        if self.reply_keyboard is not None:
            view["sandbox_reply_keyboard"] = copy.deepcopy(self.reply_keyboard)
        return view

    def inline_buttons(self) -> Iterable[dict[str, Any]]:
        markup = self.data.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            yield from row


@dataclass
class Chat:
    """A private chat between the bot and one user."""

    user_id: int
    chat_instance: str
    next_message_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def live_message(self, message_id: int) -> StoredMessage | None:
        message = self.messages.get(message_id)
        if message is None or message.deleted:
            return None
        return message


@dataclass
class Fault:
    """An injected failure for the next call(s) of a method."""

    remaining: int
    code: int | None = None
    retry_after: int | None = None
    kind: str | None = None
    delay: float = 0.0
    description: str | None = None


class _Poll:
    """A getUpdates request that is waiting for updates."""

    def __init__(self) -> None:
        self.wake = asyncio.Event()
        self.conflict = False


def _now() -> int:
    return int(time.time())


class SandboxState:
    """The whole world of one sandbox server."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._polls: dict[int, _Poll] = {}
        self.closing = asyncio.Event()
        #: The id of the last bot that called the Bot API (for updates naming the bot).
        self.known_bot_id = 1
        #: Changes for the web chat's live streams.
        self.events = EventHub()
        #: The people the web chat offers to play (``PUT /sandbox/directory``). It describes who
        #: may act rather than what happened, so a reset keeps it.
        self.directory: list[dict[str, Any]] = []
        self._clear()

    # ----------------------------------------------------------------- lifecycle

    def _clear(self) -> None:
        self.queue: list[dict[str, Any]] = []
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, Chat] = {}
        self.blocked: set[int] = set()
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self._file_numbers = itertools.count(1)
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.requests: deque[dict[str, Any]] = deque(maxlen=self.config.request_log_limit)
        self.faults: dict[str, deque[Fault]] = {}
        self.commands: dict[tuple[str, str], dict[str, Any]] = {}
        self.limiter = self._new_limiter()

    def _new_limiter(self) -> FloodLimiter:
        c = self.config
        return FloodLimiter(c.global_rate, c.global_burst, c.chat_rate, c.chat_burst)

    def reset(self) -> None:
        """Forget everything except the update id counter and the configuration."""
        self._clear()
        for poll in self._polls.values():
            poll.wake.set()
        self.events.publish("reset")

    def set_limits(self, **limits: float) -> None:
        """Change flood limits; buckets restart full."""
        for name, value in limits.items():
            if name in ("global_burst", "chat_burst"):
                setattr(self.config, name, int(value))
            else:
                setattr(self.config, name, float(value))
        self.limiter = self._new_limiter()

    def close(self) -> None:
        """Release every waiting long poll and injected hang so the server can stop."""
        self.closing.set()
        for poll in self._polls.values():
            poll.wake.set()
        self.events.close()

    # ----------------------------------------------------------------- bot identity

    def bot_user(self, bot_id: int) -> dict[str, Any]:
        return {
            "id": bot_id,
            "is_bot": True,
            "first_name": self.config.bot_first_name,
            "username": self.config.bot_username,
        }

    def me(self, bot_id: int) -> dict[str, Any]:
        return {
            **self.bot_user(bot_id),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    # ----------------------------------------------------------------- users and chats

    def remember_user(self, user_id: int, fields: dict[str, Any]) -> dict[str, Any]:
        """Create or update a user's profile; ``None`` values keep what was known."""
        profile = self.users.get(user_id) or {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": "ru",
        }
        for name in ("first_name", "last_name", "username", "language_code"):
            value = fields.get(name)
            if value is not None:
                profile[name] = value
        self.users[user_id] = profile
        if user_id not in self.chats:
            self.chats[user_id] = Chat(user_id, chat_instance=str(secrets.randbits(62)))
        return profile

    def user_object(self, user_id: int) -> dict[str, Any]:
        return dict(self.users[user_id])

    def chat_object(self, user_id: int) -> dict[str, Any]:
        profile = self.users[user_id]
        chat: dict[str, Any] = {"id": user_id, "type": "private"}
        for name in ("first_name", "last_name", "username"):
            if profile.get(name):
                chat[name] = profile[name]
        return chat

    def chat_for_bot(self, chat_id: Any) -> Chat:
        """The chat a Bot API call names, or Telegram's errors for a missing one."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        try:
            number = int(chat_id)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        chat = self.chats.get(number)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def check_not_blocked(self, chat: Chat) -> None:
        if chat.user_id in self.blocked:
            raise forbidden("bot was blocked by the user")

    def check_flood(self, method: str, chat: Chat) -> None:
        """Consume flood-limit tokens for a message-sending method, or raise 429."""
        if method.lower() not in self.config.limited_methods:
            return
        wait = self.limiter.try_acquire(chat.user_id)
        if wait > 0:
            raise too_many_requests(wait)

    # ----------------------------------------------------------------- update queue

    def _next_update_id(self) -> int:
        return next(_UPDATE_IDS)

    def enqueue(self, kind: str, payload: dict[str, Any], chat: Chat | None) -> tuple[int, bool]:
        """Add an update; returns its id and whether it was queued.

        Like Telegram, an update whose type the bot excluded with ``allowed_updates`` is never
        queued at all.
        """
        update_id = self._next_update_id()
        update = {"update_id": update_id, kind: payload}
        delivered = kind in self.allowed_updates
        if chat is not None:
            chat.updates.append({**copy.deepcopy(update), "sandbox_dropped": not delivered})
        if delivered:
            self.queue.append(update)
            for poll in self._polls.values():
                poll.wake.set()
        return update_id, delivered

    def confirm(self, offset: int) -> None:
        """Forget updates as getUpdates' ``offset`` says."""
        if offset > 0:
            self.queue = [u for u in self.queue if u["update_id"] >= offset]
        elif offset < 0:
            self.queue = self.queue[offset:]

    def set_allowed_updates(self, kinds: list[str]) -> None:
        self.allowed_updates = frozenset(kinds) if kinds else DEFAULT_UPDATE_TYPES

    async def get_updates(
        self, bot_id: int, offset: int | None, limit: int, poll_seconds: float
    ) -> list[dict[str, Any]]:
        """Long-poll for updates; a newer call from the same bot ends this one with 409."""
        if offset:
            self.confirm(offset)
        previous = self._polls.get(bot_id)
        if previous is not None:
            previous.conflict = True
            previous.wake.set()
        poll = self._polls[bot_id] = _Poll()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, poll_seconds)
        try:
            while True:
                if poll.conflict:
                    raise BotApiError(409, CONFLICT_OTHER_POLL)
                updates = self.queue[:limit]
                remaining = deadline - loop.time()
                if updates or remaining <= 0 or self.closing.is_set():
                    return copy.deepcopy(updates)
                poll.wake.clear()
                try:
                    await asyncio.wait_for(poll.wake.wait(), remaining)
                except TimeoutError:
                    pass
        finally:
            if self._polls.get(bot_id) is poll:
                del self._polls[bot_id]

    # ----------------------------------------------------------------- messages

    def add_message(
        self,
        chat: Chat,
        *,
        from_bot: bool,
        sender: dict[str, Any],
        content: dict[str, Any],
        reply_keyboard: dict[str, Any] | None = None,
    ) -> StoredMessage:
        message_id = chat.take_message_id()
        data = {
            "message_id": message_id,
            "from": sender,
            "chat": self.chat_object(chat.user_id),
            "date": _now(),
            **content,
        }
        stored = StoredMessage(chat.user_id, message_id, from_bot, data, reply_keyboard)
        chat.messages[message_id] = stored
        self.message_changed(stored)
        return stored

    def message_changed(self, message: StoredMessage) -> None:
        """Tell the live streams that a message was sent, edited or deleted."""
        if self.events.listeners:  # copying every message costs the benchmarks otherwise
            self.events.publish("message", message.chat_id, message.sandbox_view())

    # ----------------------------------------------------------------- files

    def store_file(
        self,
        kind: str,
        content: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
        extension: str | None = None,
    ) -> StoredFile:
        number = next(self._file_numbers)
        if extension is None:
            extension = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else ""
        suffix = f".{extension}" if extension else ""
        path = f"{_FILE_DIRS.get(kind, 'files')}/file_{number}{suffix}"
        file_id = f"{_FILE_ID_PREFIX.get(kind, 'BAAC')}{number}_{secrets.token_urlsafe(24)}"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=f"AQAD{number}{secrets.token_urlsafe(6)}",
            kind=kind,
            content=content,
            file_path=path,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
        )
        self.files[file_id] = stored
        self.files_by_path[path] = stored
        return stored

    def store_document(
        self, content: bytes, file_name: str | None, mime_type: str | None = None
    ) -> dict[str, Any]:
        """Store a document and return its ``Document`` object."""
        mime = mime_type or guess_mime_type(file_name or "")
        stored = self.store_file("document", content, file_name=file_name, mime_type=mime)
        return document_object(stored)

    def store_photo(self, content: bytes) -> list[dict[str, Any]]:
        """Store a photo and return its ``PhotoSize`` list, smallest first."""
        size = image_size(content) or FALLBACK_IMAGE_SIZE
        sizes: list[dict[str, Any]] = []
        targets = [side for side in (90, 320, 800) if side < max(size)] + [max(size)]
        for side in targets:
            width, height = scaled(size, side)
            stored = self.store_file(
                "photo",
                content,
                mime_type="image/jpeg",
                width=width,
                height=height,
                extension="jpg",
            )
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": stored.size,
                    "width": width,
                    "height": height,
                }
            )
        for item in sizes:
            self.files[item["file_id"]].photo_sizes = sizes
        return copy.deepcopy(sizes)

    # ----------------------------------------------------------------- faults and log

    def add_fault(self, method: str, fault: Fault) -> None:
        self.faults.setdefault(method.lower(), deque()).append(fault)

    def take_fault(self, method: str) -> Fault | None:
        """The injected failure for this call, if any (``*`` matches every method)."""
        for key in (method.lower(), "*"):
            pending = self.faults.get(key)
            while pending:
                fault = pending[0]
                if fault.remaining <= 0:
                    pending.popleft()
                    continue
                fault.remaining -= 1
                if fault.remaining <= 0:
                    pending.popleft()
                return fault
        return None

    def log_request(self, method: str) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "method": method,
            "params": {},
            "time": time.time(),
            "status": None,
        }
        self.requests.append(entry)
        return entry

    # ----------------------------------------------------------------- commands

    @staticmethod
    def commands_key(scope: dict[str, Any] | None, language_code: str) -> tuple[str, str]:
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True), language_code

    def language_of(self, user_id: int) -> str:
        """The user's language: as last sent, else from the directory, else Russian."""
        profile = self.users.get(user_id)
        if profile and profile.get("language_code"):
            return str(profile["language_code"])
        for person in self.directory:
            if person["user_id"] == user_id and person.get("language_code"):
                return str(person["language_code"])
        return "ru"

    def command_menu(self, user_id: int) -> list[dict[str, str]]:
        """The commands a Telegram client shows in the private chat with ``user_id``.

        Telegram takes the first scope that has commands, narrowest first, each with the
        user's language before without: chat, all private chats, default.
        """
        language = self.language_of(user_id)
        scopes: list[dict[str, Any]] = [
            {"type": "chat", "chat_id": user_id},
            {"type": "all_private_chats"},
            {"type": "default"},
        ]
        for scope in scopes:
            for code in (language, ""):
                for stored in self.commands.values():
                    if stored["language_code"] == code and _same_scope(stored["scope"], scope):
                        return copy.deepcopy(stored["commands"])
        return []


def _same_scope(stored: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Scopes compare by type and chat id; a chat id may have been sent as a string."""
    if stored.get("type") != wanted["type"]:
        return False
    if "chat_id" not in wanted:
        return True
    chat_id = stored.get("chat_id")
    try:
        return chat_id is not None and int(chat_id) == wanted["chat_id"]
    except (TypeError, ValueError):
        return False


def document_object(stored: StoredFile) -> dict[str, Any]:
    """Telegram's ``Document`` object for a stored file."""
    document: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def find_button(
    message: StoredMessage, callback_data: str | None, button_text: str | None
) -> dict[str, Any] | None:
    """The first inline button of ``message`` matching the data and/or text given."""
    for button in message.inline_buttons():
        if callback_data is not None and button.get("callback_data") != callback_data:
            continue
        if button_text is not None and button.get("text") != button_text:
            continue
        return button
    return None


def callback_button(button: dict[str, Any] | None) -> dict[str, Any] | None:
    """``button`` if it is a callback button, else None."""
    if button is not None and button.get("callback_data"):
        return button
    return None


__all__ = [
    "CONFLICT_OTHER_POLL",
    "DEFAULT_UPDATE_TYPES",
    "QUERY_TOO_OLD",
    "Chat",
    "ControlError",
    "Fault",
    "SandboxState",
    "StoredFile",
    "StoredMessage",
    "callback_button",
    "document_object",
    "find_button",
]
