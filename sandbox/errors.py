"""Telegram-shaped errors raised by the Bot API handlers."""

from __future__ import annotations

import math
from typing import Any


class BotApiError(Exception):
    """An error answer: ``{"ok": false, "error_code": code, "description": description}``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            data["parameters"] = {"retry_after": self.retry_after}
        return data


def bad_request(reason: str) -> BotApiError:
    """400 with Telegram's ``Bad Request: `` prefix."""
    return BotApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> BotApiError:
    """403 with Telegram's ``Forbidden: `` prefix."""
    return BotApiError(403, f"Forbidden: {reason}")


def too_many_requests(wait_seconds: float) -> BotApiError:
    """429 with ``retry_after`` in whole seconds, never less than one."""
    retry_after = max(1, math.ceil(wait_seconds))
    return BotApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def not_found() -> BotApiError:
    """404 ``Not Found``: an unknown method, a malformed token or a missing file."""
    return BotApiError(404, "Not Found")
