"""Is this a person's real name? Telegram names are often nicknames or emoji."""

from __future__ import annotations

import re

_WORD = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[-'’][A-Za-zА-Яа-яЁё]+)*$")
MAX_LENGTH = 120


def clean_full_name(text: str) -> str | None:
    """The name tidied up (spaces, capitals), or None if it is not a plausible full name.

    A full name is two to five words of letters (a hyphen or apostrophe inside a
    word is fine: «Салтыков-Щедрин», «O'Neil»), as in «Иванова Мария Петровна».
    """
    words = text.replace("\u00a0", " ").split()
    if not 2 <= len(words) <= 5 or len(" ".join(words)) > MAX_LENGTH:
        return None
    if not all(_WORD.match(word) for word in words):
        return None
    return " ".join(_capitalise(word) for word in words)


def _capitalise(word: str) -> str:
    if word.isupper() or word.islower():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


def telegram_full_name(first_name: str | None, last_name: str | None) -> str | None:
    """Telegram's name, if it reads as a real person's first and last name."""
    if not first_name or not last_name:
        return None
    return clean_full_name(f"{last_name} {first_name}")
