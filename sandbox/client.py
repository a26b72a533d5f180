"""An async client for the sandbox's control API, for end-to-end tests and benchmarks.

async with SandboxClient(sandbox.url) as users:
    await users.send_text(42, "/start")
    [reply] = await users.wait_for_messages(42, 1)
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self, TypeVar

import aiohttp

T = TypeVar("T")


class SandboxRequestError(RuntimeError):
    """The control API refused a request (``status`` and the sandbox's ``error`` text)."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(f"sandbox answered {status}: {error}")
        self.status = status
        self.error = error


class SandboxTimeout(AssertionError, TimeoutError):
    """A wait ran out; the message says what was there instead."""


def message_text(message: dict[str, Any]) -> str | None:
    """A message's text, or its caption for media."""
    return message.get("text", message.get("caption"))


class SandboxClient:
    """Control API client. Use as ``async with SandboxClient(url) as client:``."""

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        poll_interval: float = 0.02,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.poll_interval = poll_interval
        self._session = session
        self._own_session = session is None

    async def __aenter__(self) -> Self:
        self._ensure_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_session and self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _ensure_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
            self._own_session = True
        return self._session

    async def _call(
        self,
        http_method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        raw: bool = False,
    ) -> Any:
        session = self._ensure_session()
        async with session.request(
            http_method, f"{self.base_url}{path}", json=json, params=params
        ) as response:
            if response.status >= 400:
                try:
                    error = (await response.json()).get("error", "")
                except (aiohttp.ContentTypeError, ValueError):
                    error = await response.text()
                raise SandboxRequestError(response.status, str(error))
            if raw:
                return await response.read()
            return await response.json()

    # ------------------------------------------------------------ acting as users

    async def send_text(self, user_id: int, text: str, **user_fields: Any) -> dict[str, Any]:
        """The user writes ``text`` (first_name, last_name, username, language_code optional)."""
        return await self._call(
            "POST", "/sandbox/updates", json={"user_id": user_id, "text": text, **user_fields}
        )

    async def press(
        self,
        user_id: int,
        *,
        callback_data: str | None = None,
        button_text: str | None = None,
        message_id: int | None = None,
        force: bool = False,
    ) -> dict[str, Any]:
        """The user presses an inline button, found by data and/or text (latest message first)."""
        body: dict[str, Any] = {"user_id": user_id}
        if callback_data is not None:
            body["callback_data"] = callback_data
        if button_text is not None:
            body["button_text"] = button_text
        if message_id is not None:
            body["message_id"] = message_id
        if force:
            body["force"] = True
        return await self._call("POST", "/sandbox/updates", json=body)

    async def upload_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
        **user_fields: Any,
    ) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_name": file_name,
            "content_base64": base64.b64encode(content).decode(),
        }
        if mime_type:
            document["mime_type"] = mime_type
        body: dict[str, Any] = {"user_id": user_id, "document": document, **user_fields}
        if caption is not None:
            body["caption"] = caption
        return await self._call("POST", "/sandbox/updates", json=body)

    async def send_photo(
        self, user_id: int, content: bytes, caption: str | None = None, **user_fields: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "user_id": user_id,
            "photo": {"content_base64": base64.b64encode(content).decode()},
            **user_fields,
        }
        if caption is not None:
            body["caption"] = caption
        return await self._call("POST", "/sandbox/updates", json=body)

    async def send_sticker(self, user_id: int, emoji: str = "👍") -> dict[str, Any]:
        return await self._call(
            "POST", "/sandbox/updates", json={"user_id": user_id, "sticker": {"emoji": emoji}}
        )

    async def send_voice(self, user_id: int, duration: int = 1) -> dict[str, Any]:
        return await self._call(
            "POST", "/sandbox/updates", json={"user_id": user_id, "voice": {"duration": duration}}
        )

    async def send_contact(self, user_id: int, **contact: Any) -> dict[str, Any]:
        """Share a contact (phone_number, first_name, last_name, user_id; defaults: the user)."""
        return await self._call(
            "POST", "/sandbox/updates", json={"user_id": user_id, "contact": contact}
        )

    async def send_location(
        self, user_id: int, latitude: float, longitude: float
    ) -> dict[str, Any]:
        location = {"latitude": latitude, "longitude": longitude}
        return await self._call(
            "POST", "/sandbox/updates", json={"user_id": user_id, "location": location}
        )

    async def block(self, user_id: int) -> dict[str, Any]:
        return await self._call("POST", f"/sandbox/users/{user_id}/block")

    async def unblock(self, user_id: int) -> dict[str, Any]:
        return await self._call("POST", f"/sandbox/users/{user_id}/unblock")

    # ------------------------------------------------------------ looking at what the bot did

    async def messages(self, chat_id: int, include_user: bool = False) -> list[dict[str, Any]]:
        """What the bot sent to the chat, in order, edits applied, deleted ones flagged."""
        params = {"include_user": "1"} if include_user else None
        return await self._call("GET", f"/sandbox/chats/{chat_id}/messages", params=params)

    async def live_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in the chat that are not deleted."""
        return [m for m in await self.messages(chat_id) if not m.get("deleted")]

    async def last_message(self, chat_id: int) -> dict[str, Any] | None:
        live = await self.live_messages(chat_id)
        return live[-1] if live else None

    async def last_text(self, chat_id: int) -> str | None:
        """Text (or caption) of the bot's latest message in the chat that is not deleted."""
        last = await self.last_message(chat_id)
        return None if last is None else message_text(last)

    async def chat_updates(self, chat_id: int) -> list[dict[str, Any]]:
        return await self._call("GET", f"/sandbox/chats/{chat_id}/updates")

    async def file(self, file_id: str) -> bytes:
        return await self._call("GET", f"/sandbox/files/{file_id}", raw=True)

    async def requests(self, method: str | None = None) -> list[dict[str, Any]]:
        """Bot API calls received, oldest first (``method`` filters, case-insensitively)."""
        params = {"method": method} if method else None
        return await self._call("GET", "/sandbox/requests", params=params)

    async def callback_answers(self) -> list[dict[str, Any]]:
        return await self._call("GET", "/sandbox/callback_answers")

    async def commands(self) -> list[dict[str, Any]]:
        return await self._call("GET", "/sandbox/commands")

    async def chats(self) -> list[dict[str, Any]]:
        """Every chat: ``chat_id``, ``user``, ``blocked``, ``bot_messages``."""
        return await self._call("GET", "/sandbox/chats")

    # ------------------------------------------------------------ steering the server

    async def fault(
        self,
        method: str,
        count: int = 1,
        code: int | None = None,
        retry_after: int | None = None,
        kind: str | None = None,
        delay: float | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail: an HTTP ``code`` (429 with
        ``retry_after``, 500, 502...) or ``kind`` ``drop`` / ``timeout`` (hang ``delay`` s, then
        drop) / ``html`` (an HTML error page with ``code``)."""
        body: dict[str, Any] = {"method": method, "count": count}
        for name, value in (
            ("code", code),
            ("retry_after", retry_after),
            ("kind", kind),
            ("delay", delay),
        ):
            if value is not None:
                body[name] = value
        await self._call("POST", "/sandbox/faults", json=body)

    async def clear_faults(self) -> None:
        await self._call("DELETE", "/sandbox/faults")

    async def faults(self) -> list[dict[str, Any]]:
        """Injected faults still pending."""
        return await self._call("GET", "/sandbox/faults")

    async def limits(self) -> dict[str, Any]:
        """The flood limits in force."""
        return await self._call("GET", "/sandbox/config")

    async def set_limits(
        self,
        global_rate: float | None = None,
        global_burst: int | None = None,
        chat_rate: float | None = None,
        chat_burst: int | None = None,
    ) -> dict[str, Any]:
        """Change flood limits (rate 0 turns a limit off); returns the settings now in force."""
        body = {
            name: value
            for name, value in (
                ("global_rate", global_rate),
                ("global_burst", global_burst),
                ("chat_rate", chat_rate),
                ("chat_burst", chat_burst),
            )
            if value is not None
        }
        return await self._call("POST", "/sandbox/config", json=body)

    async def reset(self) -> None:
        await self._call("POST", "/sandbox/reset")

    # ------------------------------------------------------------ waiting

    async def wait_for(
        self,
        predicate: Callable[[], Awaitable[T] | T],
        timeout: float = 10.0,  # noqa: ASYNC109 - a polling deadline, not a call timeout
        description: str = "condition",
    ) -> T:
        """Call ``predicate`` until it returns something truthy, and return that."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if inspect.isawaitable(value):
                value = await value
            if value:
                return value  # type: ignore[return-value]
            if time.monotonic() >= deadline:
                raise SandboxTimeout(f"{description} not met within {timeout:g} s")
            await asyncio.sleep(self.poll_interval)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - a polling deadline, not a call timeout
    ) -> list[dict[str, Any]]:
        """Wait until the chat has at least ``count`` bot messages that are not deleted."""
        deadline = time.monotonic() + timeout
        while True:
            live = await self.live_messages(chat_id)
            if len(live) >= count:
                return live
            if time.monotonic() >= deadline:
                texts = [message_text(m) for m in live]
                raise SandboxTimeout(
                    f"chat {chat_id}: wanted {count} bot message(s) within {timeout:g} s, "
                    f"have {len(live)}: {texts!r}"
                )
            await asyncio.sleep(self.poll_interval)


__all__ = ["SandboxClient", "SandboxRequestError", "SandboxTimeout", "message_text"]
