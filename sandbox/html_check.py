"""Telegram's HTML parse mode: plain text, entities, and the parser's own error messages.

This follows the parser the Bot API server uses (TDLib's ``parse_html``) closely enough that
the same input is accepted or refused the same way, with the same wording and byte offsets:

* tags: b, strong, i, em, u, ins, s, strike, del, a, code, pre, span (class="tg-spoiler" only),
  tg-spoiler, tg-emoji (emoji-id required), blockquote (optional ``expandable``);
* entities ``&lt; &gt; &amp; &quot;`` and numeric references, with or without ``;``;
* anything else after ``&`` is kept as it is - Telegram does *not* refuse a bare ``&``;
* a ``<`` that does not open a valid tag is refused (``Unsupported start tag "" ...``), which is
  what unescaped user input usually trips over.

Offsets in errors are byte offsets in the UTF-8 text; entity offsets are UTF-16 code units.
"""

from __future__ import annotations

from typing import Any

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)

_SPACES = frozenset(b" \t\r\n\v")
_NAMED_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(error)`` is Telegram's own reason."""


def _at(data: bytes, index: int) -> int:
    """Byte at ``index``, or 0 past the end (TDLib reads a NUL-terminated string)."""
    return data[index] if index < len(data) else 0


def _is_space(c: int) -> bool:
    return c in _SPACES


def _is_alnum(c: int) -> bool:
    return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122)


def _decode_entity(data: bytes, pos: int) -> tuple[int, int] | None:
    """Decode an HTML character reference at ``pos`` (which holds ``&``).

    Returns ``(code point, position after it)`` or None when Telegram keeps the ``&`` literally.
    """
    end = pos + 1
    code = 0
    if _at(data, pos + 1) == ord("#"):
        end += 1
        if _at(data, pos + 2) == ord("x"):
            end += 1
            while _at(data, end) and chr(data[end]) in "0123456789abcdefABCDEF":
                code = code * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while 48 <= _at(data, end) <= 57:
                code = code * 10 + data[end] - 48
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while 65 <= _at(data, end) <= 90 or 97 <= _at(data, end) <= 122:
            end += 1
        name = data[pos + 1 : end]
        if name not in _NAMED_ENTITIES:
            return None
        code = ord(_NAMED_ENTITIES[name])
    if _at(data, end) == ord(";"):
        end += 1
    return code, end


def _utf16_units(lead_byte: int) -> int:
    """UTF-16 length contributed by a UTF-8 byte (counted on each character's first byte)."""
    if 0x80 <= lead_byte < 0xC0:
        return 0
    return 2 if lead_byte >= 0xF0 else 1


def _lower(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").lower()


class _Open:
    __slots__ = ("argument", "offset", "result_pos", "tag")

    def __init__(self, tag: str, argument: str, offset: int, result_pos: int) -> None:
        self.tag = tag
        self.argument = argument
        self.offset = offset
        self.result_pos = result_pos


def _entity(kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "offset": offset, "length": length, **extra}


def _read_start_tag(
    data: bytes, begin: int, i: int, utf16: int, result_len: int
) -> tuple[_Open, int]:
    """Parse a start tag whose name begins at ``i``; returns it and the index of its ``>``."""
    while not _is_space(_at(data, i)) and _at(data, i) != ord(">"):
        if _at(data, i) == 0:
            break
        i += 1
    if _at(data, i) == 0:
        raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
    tag = _lower(data[begin + 1 : i])
    if tag not in SUPPORTED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')

    argument = ""
    while _at(data, i) != ord(">"):
        while _at(data, i) != 0 and _is_space(_at(data, i)):
            i += 1
        if _at(data, i) == ord(">"):
            break
        attr_begin = i
        while (
            _at(data, i) != 0
            and not _is_space(_at(data, i))
            and _at(data, i) not in (ord("="), ord(">"), ord("/"), ord('"'), ord("'"))
        ):
            i += 1
        attribute = _lower(data[attr_begin:i])
        if not attribute:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while _at(data, i) != 0 and _is_space(_at(data, i)):
            i += 1
        if _at(data, i) != ord("="):
            if _at(data, i) == 0:
                raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if tag == "blockquote" and attribute == "expandable":
                argument = "1"
            continue
        i += 1
        while _at(data, i) != 0 and _is_space(_at(data, i)):
            i += 1
        if _at(data, i) == 0:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        value, i = _read_attribute_value(data, i)
        if _at(data, i) == 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if (tag, attribute) in (("a", "href"), ("tg-emoji", "emoji-id")):
            argument = value
        elif tag == "code" and attribute == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and attribute == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "blockquote" and attribute == "expandable":
            argument = "1"
    if tag == "span" and argument != "spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return _Open(tag, argument, utf16, result_len), i


def _read_attribute_value(data: bytes, i: int) -> tuple[str, int]:
    """A name token (lower-cased) or a quoted string with character references decoded."""
    quote = _at(data, i)
    if quote not in (ord('"'), ord("'")):
        start = i
        while _is_alnum(_at(data, i)) or _at(data, i) in (ord("."), ord("-")):
            i += 1
        if not _is_space(_at(data, i)) and _at(data, i) != ord(">"):
            raise HtmlParseError(f"Unexpected end of name token at byte offset {start}")
        return _lower(data[start:i]), i
    i += 1
    value = bytearray()
    while _at(data, i) != quote and _at(data, i) != 0:
        if data[i] == ord("&"):
            decoded = _decode_entity(data, i)
            if decoded is not None:
                value += chr(decoded[0]).encode("utf-8", errors="surrogatepass")
                i = decoded[1]
                continue
        value.append(data[i])
        i += 1
    if _at(data, i) == quote:
        i += 1
    return value.decode("utf-8", errors="replace"), i


def _close(entities: list[dict[str, Any]], open_tag: _Open, length: int, result: bytearray) -> None:
    offset = open_tag.offset
    tag = open_tag.tag
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    simple = {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "u": "underline",
        "ins": "underline",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
    }
    if tag in simple:
        entities.append(_entity(simple[tag], offset, length))
    elif tag == "tg-emoji":
        argument = open_tag.argument
        if not argument.isdigit() or not 0 < int(argument) < 2**63:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entities.append(_entity("custom_emoji", offset, length, custom_emoji_id=argument))
    elif tag == "a":
        url = open_tag.argument or result[open_tag.result_pos :].decode("utf-8", "replace")
        if url:
            entities.append(_entity("text_link", offset, length, url=url))
    elif tag == "pre":
        if last is not None and last["type"] == "code" and same_span and "language" in last:
            last["type"] = "pre"
        else:
            entities.append(_entity("pre", offset, length))
    elif tag == "code":
        if last is not None and last["type"] == "pre" and same_span and open_tag.argument:
            last["language"] = open_tag.argument
        else:
            extra = {"language": open_tag.argument} if open_tag.argument else {}
            entities.append(_entity("code", offset, length, **extra))
    elif tag == "blockquote":
        kind = "expandable_blockquote" if open_tag.argument else "blockquote"
        entities.append(_entity(kind, offset, length))


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into ``(plain text, entities)``; raises :class:`HtmlParseError`."""
    data = text.encode("utf-8", errors="surrogatepass")
    result = bytearray()
    entities: list[dict[str, Any]] = []
    nested: list[_Open] = []
    utf16 = 0
    i = 0
    n = len(data)
    while i < n:
        c = data[i]
        if c == ord("&"):
            decoded = _decode_entity(data, i)
            if decoded is not None:
                code, i = decoded
                utf16 += 2 if code > 0xFFFF else 1
                result += chr(code).encode("utf-8", errors="surrogatepass")
                continue
        if c != ord("<"):
            utf16 += _utf16_units(c)
            result.append(c)
            i += 1
            continue
        begin = i
        i += 1
        if _at(data, i) != ord("/"):
            open_tag, i = _read_start_tag(data, begin, i, utf16, len(result))
            nested.append(open_tag)
            i += 1  # past '>'
            continue
        if not nested:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        while _at(data, i) != 0 and not _is_space(_at(data, i)) and _at(data, i) != ord(">"):
            i += 1
        end_tag = _lower(data[begin + 2 : i])
        while _at(data, i) != 0 and _is_space(_at(data, i)):
            i += 1
        if _at(data, i) != ord(">"):
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        open_tag = nested[-1]
        if end_tag and end_tag != open_tag.tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{open_tag.tag}>", '
                f'found "</{end_tag}>"'
            )
        if utf16 > open_tag.offset:
            _close(entities, open_tag, utf16 - open_tag.offset, result)
        nested.pop()
        i += 1  # past '>'
    if nested:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{nested[-1].tag}"')
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    try:
        plain = bytes(result).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HtmlParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, check for "
            "unmatched surrogate code units"
        ) from exc
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return plain, entities


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2
