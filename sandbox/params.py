"""Reading Bot API parameters the ways Telegram accepts them.

Telegram takes parameters from the query string, ``application/x-www-form-urlencoded``,
``multipart/form-data`` or ``application/json``. In forms every value is a string and objects
(``reply_markup``, ``entities`` ...) are JSON strings; in a JSON body they are plain JSON. Files
arrive as multipart parts, named either by the parameter itself or by ``attach://<part name>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import BotApiError, bad_request

ATTACH_PREFIX = "attach://"


@dataclass
class Upload:
    """A file part of a multipart request."""

    file_name: str
    content: bytes
    content_type: str | None = None

    def summary(self) -> dict[str, Any]:
        return {"file_name": self.file_name, "size": len(self.content)}


class Params:
    """Typed access to one call's parameters, failing the way Telegram does."""

    def __init__(self, values: dict[str, Any], files: dict[str, Upload]) -> None:
        self.values = values
        self.files = files

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "") or name in self.files

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            try:
                return int(float(value))
            except (TypeError, ValueError):
                raise bad_request(f'field "{name}" must be of type Integer') from None

    def number(self, name: str, default: float = 0.0) -> float:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Number') from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes", "on")
        return False

    def json(self, name: str, error: str | None = None) -> Any:
        """A JSON-serialized parameter, decoded (None when absent)."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error or f"can't parse {name} JSON object") from None

    def file(self, name: str) -> Upload | str | None:
        """A file parameter: an upload, or a string (file_id or URL), or None."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith(ATTACH_PREFIX):
            upload = self.files.get(value[len(ATTACH_PREFIX) :])
            if upload is None:
                raise bad_request(f"file {value[len(ATTACH_PREFIX) :]!r} not found in the request")
            return upload
        if name in self.files:
            return self.files[name]
        if value in (None, ""):
            return None
        return str(value)

    def summary(self) -> dict[str, Any]:
        """The parameters for the request log, files replaced by name and size."""
        result: dict[str, Any] = {}
        used: set[str] = set()
        for key, value in self.values.items():
            if isinstance(value, str) and value.startswith(ATTACH_PREFIX):
                part = value[len(ATTACH_PREFIX) :]
                if part in self.files:
                    result[key] = self.files[part].summary()
                    used.add(part)
                    continue
            result[key] = value
        for key, upload in self.files.items():
            if key not in used:
                result[key] = upload.summary()
        return result


async def read_params(request: web.Request) -> Params:
    """Collect the query string and body of a Bot API request."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise BotApiError(400, "Bad Request: can't parse JSON request body") from None
            if isinstance(body, dict):
                values.update(body)
        elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = Upload(
                        file_name=value.filename or key,
                        content=value.file.read(),
                        content_type=value.content_type,
                    )
                else:
                    values[key] = value
    return Params(values, files)
