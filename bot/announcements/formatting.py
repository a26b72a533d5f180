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
from dataclasses import dataclass

from bot.i18n import N_, LocalizedError

TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "span", "tg-spoiler", "tg-emoji", "blockquote",
    }
)  # fmt: skip
LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")
SPACES = " \t\r\n\v"
NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
HEX_DIGITS = "0123456789abcdefABCDEF"

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
BAD_TAG = N_(
    "Telegram cannot read the tag in «{near}». Write tags like {example}, or send the text "
    "without formatting."
)
BAD_REFERENCE = N_("«{near}» names no character Telegram accepts. Please remove it.")
TAG_EXAMPLE = '<b>…</b> or <a href="https://…">…</a>'


@dataclass(frozen=True, slots=True)
class Checked:
    """A text Telegram will accept: its HTML and the plain text people will see."""

    html: str
    plain: str


def as_plain(text: str) -> Checked:
    """``text`` exactly as typed, no formatting: every «<» and «&» escaped."""
    return Checked(html.escape(text, quote=False), text)


def check_html(text: str) -> Checked:
    """The HTML ``text`` as Telegram reads it; :class:`LocalizedError` saying what is wrong.

    Step by step as Telegram's parser (TDLib's ``parse_html``): a reference after «&» or
    the «&» itself; a start tag's name up to a space or «>», then its attributes (a name, and
    a quoted value or a token of letters, digits, dots and hyphens); an end tag closes the
    tag opened last («</>» too)."""
    plain: list[str] = []
    opened: list[str] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char == "&":
            reference = _reference(text, position)
            if reference is not None:
                plain.append(reference[0])
                position = reference[1]
                continue
        if char != "<":
            plain.append(char)
            position += 1
            continue
        near = _near(text, position)
        if position + 1 < length and text[position + 1] == "/":
            position = _end_tag(text, position, opened, near)
            continue
        name, position = _start_tag(text, position, near)
        opened.append(name)
    if opened:
        raise LocalizedError(NOT_CLOSED, tag=f"<{opened[-1]}>", closing=f"</{opened[-1]}>")
    return Checked(text, "".join(plain))


def _reference(text: str, position: int) -> tuple[str, int] | None:
    """The character a reference at ``position`` («&») stands for and where it ends, or
    None when Telegram keeps the «&» as it is."""
    end = position + 1
    if text.startswith("#", end):
        end += 1
        code = 0
        if text.startswith("x", end):
            end += 1
            while end < len(text) and text[end] in HEX_DIGITS:
                code = code * 16 + int(text[end], 16)
                end += 1
        else:
            while end < len(text) and "0" <= text[end] <= "9":
                code = code * 10 + int(text[end])
                end += 1
        if code == 0 or code >= 0x10FFFF or end - position >= 10:
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise LocalizedError(BAD_REFERENCE, near=text[position:end])
        character = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        if text[position + 1 : end] not in NAMED_REFERENCES:
            return None
        character = NAMED_REFERENCES[text[position + 1 : end]]
    if text.startswith(";", end):
        end += 1
    return character, end


def _start_tag(text: str, begin: int, near: str) -> tuple[str, int]:
    """The tag opened at ``begin`` and the position after its «>»."""
    position = begin + 1
    while position < len(text) and text[position] not in SPACES and text[position] != ">":
        position += 1
    name = text[begin + 1 : position].lower()
    if name not in TAGS:
        if not name[:1].isalpha():
            raise LocalizedError(STRAY_LT, sign="«<»", near=near, escaped="&lt;")
        raise LocalizedError(UNKNOWN_TAG, tag=f"<{name}>", near=near, known=KNOWN_TAGS)
    if position >= len(text):
        raise LocalizedError(UNFINISHED, near=near, sign="«>»")
    attributes: dict[str, str] = {}
    while text[position] != ">":
        while position < len(text) and text[position] in SPACES:
            position += 1
        if position >= len(text):
            raise LocalizedError(UNFINISHED, near=near, sign="«>»")
        if text[position] == ">":
            break
        start = position
        while position < len(text) and text[position] not in SPACES + "=>/\"'":
            position += 1
        attribute = text[start:position].lower()
        if not attribute:
            raise LocalizedError(BAD_TAG, near=near, example=TAG_EXAMPLE)
        while position < len(text) and text[position] in SPACES:
            position += 1
        if position >= len(text):
            raise LocalizedError(UNFINISHED, near=near, sign="«>»")
        if text[position] != "=":
            attributes.setdefault(attribute, "")
            continue
        position += 1
        while position < len(text) and text[position] in SPACES:
            position += 1
        if position >= len(text):
            raise LocalizedError(UNFINISHED, near=near, sign="«>»")
        value, position = _attribute_value(text, position, near)
        attributes[attribute] = value
    _check_attributes(name, attributes, near)
    return name, position + 1


def _attribute_value(text: str, position: int, near: str) -> tuple[str, int]:
    """A quoted value (references decoded) or a token; the value and where it ends."""
    quote = text[position]
    if quote not in "\"'":
        start = position
        while position < len(text) and (
            (text[position].isascii() and text[position].isalnum()) or text[position] in ".-"
        ):
            position += 1
        if position >= len(text) or (text[position] not in SPACES and text[position] != ">"):
            raise LocalizedError(BAD_TAG, near=near, example=TAG_EXAMPLE)
        return text[start:position].lower(), position
    end = text.find(quote, position + 1)
    if end < 0:
        raise LocalizedError(UNFINISHED, near=near, sign="«>»")
    value = html.unescape(text[position + 1 : end])
    if end + 1 >= len(text):
        raise LocalizedError(UNFINISHED, near=near, sign="«>»")
    return value, end + 1


def _check_attributes(name: str, attributes: dict[str, str], near: str) -> None:
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise LocalizedError(BAD_SPAN, spoiler=SPOILER, near=near)
    if name == "tg-emoji":
        emoji = attributes.get("emoji-id", "")
        if not emoji.isdigit() or not 0 < int(emoji) < 2**63:
            raise LocalizedError(BAD_TAG, near=near, example=TAG_EXAMPLE)
    if name == "a":
        url = attributes.get("href", "")
        if url and not url.lower().startswith(LINK_SCHEMES):
            raise LocalizedError(BAD_LINK, url=url)


def _end_tag(text: str, begin: int, opened: list[str], near: str) -> int:
    """The tag closed at ``begin`` (removed from ``opened``); the position after its «>»."""
    if not opened:
        name_end = begin + 2
        while name_end < len(text) and text[name_end] not in SPACES + ">":
            name_end += 1
        raise LocalizedError(NOT_OPENED, tag=text[begin:name_end] + ">", near=near)
    position = begin + 2
    while position < len(text) and text[position] not in SPACES and text[position] != ">":
        position += 1
    name = text[begin + 2 : position].lower()
    while position < len(text) and text[position] in SPACES:
        position += 1
    if position >= len(text) or text[position] != ">":
        raise LocalizedError(UNFINISHED, near=near, sign="«>»")
    if name and name != opened[-1]:
        raise LocalizedError(CROSSED, open=f"<{opened[-1]}>", close=f"</{name}>", near=near)
    opened.pop()
    return position + 1


def _near(text: str, position: int) -> str:
    """A few characters around ``position``, to find the place in the text."""
    start = max(0, position - 12)
    piece = text[start : position + 16].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if position + 16 < len(text) else "")
