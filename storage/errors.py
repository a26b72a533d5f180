"""Errors the repositories raise instead of SQLite's, so callers can tell a person what
clashed without showing them a database message."""

from __future__ import annotations

from typing import Literal

# the values only one school or person may have
Field = Literal["inn", "name", "email", "telegram_id"]


class DuplicateError(Exception):
    """A write would give a school or a person a value another one already has.

    ``field`` is what clashes ("name" for a school: its name together with its
    municipality), ``value`` the value written, ``holder_id`` and ``holder`` the school or
    person who has it (their id and name).
    """

    def __init__(self, field: Field, value: str, holder_id: int, holder: str) -> None:
        super().__init__(f"{field} {value!r} already belongs to {holder!r} (id {holder_id})")
        self.field: Field = field
        self.value = value
        self.holder_id = holder_id
        self.holder = holder


class WriteAborted(Exception):
    """Item ``index`` of a write of many items failed with ``cause``, so the whole write was
    rolled back: nothing of it was kept."""

    def __init__(self, index: int, cause: Exception) -> None:
        super().__init__(f"item {index} failed, nothing was written: {cause}")
        self.index = index
        self.cause = cause
