"""Cell text as PDF extraction leaves it: line breaks inside words, hyphenation, bullets."""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- text

_BULLET = re.compile(r"^(?:[-–—•*·]|\d+[.)])\s")
_COMPOUND = re.compile(r"[а-яё]{3,}(?:но|ло|ко|го)$", re.IGNORECASE)
_WORD_END = re.compile(r"(\w+)-$")


def unwrap(text: str) -> str:
    """A cell's lines as one line (see the module docstring); list items stay lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        if _BULLET.match(line):
            out += "\n" + line
            continue
        tail = _WORD_END.search(out)
        if tail and line[0].isalnum() and not out.endswith(" -"):
            fragment = tail.group(1)
            if fragment[-1].isalpha() and line[0].isalpha() and not _COMPOUND.search(fragment):
                out = out[:-1] + line  # a word hyphenated across lines
            else:
                out += line  # «регионально-» + «муниципальной», «2019-» + «2020»
            continue
        out += " " + line
    return out


def short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
