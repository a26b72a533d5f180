"""A coordinator's text under Telegram's HTML rules, checked before anything is queued.

Text formatted in the Telegram app arrives with entities and is turned into HTML by the
handler (valid by construction); text typed with tags by hand («<b>Важно</b>») is read
here the way Telegram's parser reads it (``sandbox/html_check.py`` mirrors that parser; its
tests hold the two to the same answers): the tags Telegram knows, each closed in order, a
«<» that opens no tag refused, ``&lt;``-style references decoded. What is wrong is said in
one sentence with the place it is at; :func:`as_plain` is the way out (the text exactly as
typed, no formatting).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.i18n import N_, LocalizedError

TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "span", "tg-spoiler", "tg-emoji", "blockquote",
    }
)  # fmt: skip
LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")
_TAG_NAME_END = re.compile(r"[\s>]")
_ATTRIBUTE = re.compile(r"""\s*([a-z-]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""", re.IGNORECASE)
_REFERENCE = re.compile(r"&(?:#\d{1,7};?|#x[0-9a-f]{1,6};?|lt;?|gt;?|amp;?|quot;?)", re.IGNORECASE)

# every «<» of a message goes in a parameter: the texts are shown in HTML, where parameters
# are escaped and the message's own text is not
KNOWN_TAGS = '<b>, <i>, <u>, <s>, <a href="…">, <code>, <pre>, <blockquote>, <tg-spoiler>'
SPOILER = '<span class="tg-spoiler">'
STRAY_LT = N_(
    "The sign {sign} in «{near}» starts a tag for Telegram, but no tag follows. Write it as "
    "{escaped} or send the text without formatting."
)
UNKNOWN_TAG = N_("Telegram does not know the tag {tag} (in «{near}»). Formatting may use {known}.")
NOT_CLOSED = N_("The tag {tag} is opened but never closed: add {closing} where it should end.")
NOT_OPENED = N_("The closing tag {tag} (in «{near}») has no opening tag before it.")
CROSSED = N_(
    "The tag {open} is closed by {close} (in «{near}»): close tags in the reverse order of "
    "opening them."
)
UNFINISHED = N_("The tag in «{near}» is not finished with {sign}.")
BAD_SPAN = N_("A span tag is allowed only as {spoiler} (in «{near}»).")
BAD_LINK = N_("The link «{url}» is not a web address: it should start with https://.")


@dataclass(frozen=True, slots=True)
class Checked:
    """A text Telegram will accept: its HTML and the plain text people will see."""

    html: str
    plain: str


def as_plain(text: str) -> Checked:
    """``text`` exactly as typed, no formatting: every «<» and «&» escaped."""
    return Checked(html.escape(text, quote=False), text)


def check_html(text: str) -> Checked:
    """The HTML ``text`` as Telegram reads it; :class:`LocalizedError` saying what is wrong."""
    plain: list[str] = []
    opened: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "&":
            match = _REFERENCE.match(text, position)
            if match:
                plain.append(html.unescape(match.group(0)))
                position = match.end()
                continue
            plain.append(char)
            position += 1
            continue
        if char != "<":
            plain.append(char)
            position += 1
            continue
        end = text.find(">", position)
        near = _near(text, position)
        if text.startswith("</", position):
            if end < 0:
                raise LocalizedError(UNFINISHED, near=near, sign="«>»")
            name = text[position + 2 : end].strip().lower()
            if not opened:
                raise LocalizedError(NOT_OPENED, tag=f"</{name}>", near=near)
            if name and name != opened[-1]:
                raise LocalizedError(CROSSED, open=f"<{opened[-1]}>", close=f"</{name}>", near=near)
            opened.pop()
            position = end + 1
            continue
        # the tag's name runs to a space or «>», as Telegram reads it («<b/>» is no <b>)
        name_end = _TAG_NAME_END.search(text, position + 1)
        stop = name_end.start() if name_end else len(text)
        name = text[position + 1 : stop].lower()
        if not name[:1].isalpha():
            raise LocalizedError(STRAY_LT, sign="«<»", near=near, escaped="&lt;")
        if end < 0:
            raise LocalizedError(UNFINISHED, near=near, sign="«>»")
        if name not in TAGS:
            raise LocalizedError(UNKNOWN_TAG, tag=f"<{name}>", near=near, known=KNOWN_TAGS)
        attributes = _attributes(text[stop:end])
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise LocalizedError(BAD_SPAN, spoiler=SPOILER, near=near)
        if name == "a":
            url = attributes.get("href", "")
            if url and not url.lower().startswith(LINK_SCHEMES):
                raise LocalizedError(BAD_LINK, url=url)
        opened.append(name)
        position = end + 1
    if opened:
        raise LocalizedError(NOT_CLOSED, tag=f"<{opened[-1]}>", closing=f"</{opened[-1]}>")
    return Checked(text, "".join(plain))


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found[match.group(1).lower()] = html.unescape(value)
    return found


def _near(text: str, position: int) -> str:
    """A few characters around ``position``, to find the place in the text."""
    start = max(0, position - 12)
    piece = text[start : position + 16].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if position + 16 < len(text) else "")
