"""Telegram's limits on what the bot sends, and fitting people's data into them.

A message holds at most 4,096 characters of text and a caption 1,024 (both counted after
the HTML markup is parsed); callback data at most 64 bytes. Screens built from people's
answers shorten long values (the whole value stays one tap away) and a text still too
long is split at line breaks into several messages.
"""

from __future__ import annotations

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 64


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with «…»."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, split at line breaks (each line
    of a screen keeps its own HTML tags balanced), a single longer line at a space."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            head = shorten(line, limit).removesuffix("…")
            pieces += [current] if current else []
            current = ""
            pieces.append(head)
            line = line[len(head) :].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces
