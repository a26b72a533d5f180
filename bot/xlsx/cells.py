"""Cells of real spreadsheets as tidy text: stray spaces, invisible characters, numbers
stored as text or as floats, and the words people write for yes and no."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_NOT_WORD = re.compile(r"[^0-9a-zа-я№]")


def compact(text: str) -> str:
    """A header's letters and digits only: case, ё, spaces, line breaks, punctuation vanish."""
    return _NOT_WORD.sub("", text.casefold().replace("ё", "е"))


_INVISIBLE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " "})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r" +")


def cell_text(value: Any) -> str:
    """A cell as tidy text: numbers without a stray ".0", spaces collapsed, lines kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = _ZERO_WIDTH.sub("", str(value).translate(_INVISIBLE))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    return text.replace("\n", " ")


YES_WORDS = {
    "да",
    "д",
    "+",
    "1",
    "x",
    "х",
    "✓",
    "✔",
    "v",
    "*",
    "yes",
    "y",
    "true",
    "истина",
    "является",
}
NO_WORDS = {
    "нет",
    "н",
    "-",
    "–",
    "—",
    "0",
    "no",
    "n",
    "false",
    "ложь",
    "не является",
    "не относится",
}
