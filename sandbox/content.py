"""Checks Telegram makes on what a bot sends: text and captions, entities, keyboards."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .errors import bad_request
from .html_check import HtmlParseError, parse_html, utf16_len

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100

INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)

_BOOLEAN_MARKUP_FIELDS = (
    "force_reply",
    "remove_keyboard",
    "selective",
    "resize_keyboard",
    "one_time_keyboard",
    "is_persistent",
)
_TRIM = " \t\r\n\v\f"


def parse_formatted(
    raw: str,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    *,
    strict_ampersand: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """Turn a text or caption as sent into what Telegram stores: plain text and entities.

    Leading and trailing whitespace is removed, as Telegram does, and entities are shifted to
    match. MarkdownV2 and Markdown are accepted but the text is kept as it is.
    """
    mode = (parse_mode or "").lower()
    if mode not in ("", "html", "markdown", "markdownv2"):
        raise bad_request("unsupported parse_mode")
    if entities:
        text, found = raw, [dict(e) for e in entities]
        check_entities(text, found)
    elif mode == "html":
        if strict_ampersand:
            _check_ampersands(raw)
        try:
            text, found = parse_html(raw)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    else:
        text, found = raw, []
    stripped = text.lstrip(_TRIM)
    shift = utf16_len(text) - utf16_len(stripped)
    text = stripped.rstrip(_TRIM)
    end = utf16_len(text)
    kept: list[dict[str, Any]] = []
    for entity in found:
        start = max(0, entity["offset"] - shift)
        stop = min(end, entity["offset"] + entity["length"] - shift)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return text, kept


def _check_ampersands(raw: str) -> None:
    """Optional strictness: every ``&`` must start a character reference Telegram decodes."""
    for match in re.finditer("&", raw):
        tail = raw[match.start() : match.start() + 12]
        if not re.match(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});", tail):
            raise bad_request(
                f'can\'t parse entities: Unescaped "&" at byte offset '
                f"{len(raw[: match.start()].encode())}"
            )


def check_entities(text: str, entities: list[dict[str, Any]]) -> None:
    """The checks Telegram makes on explicitly given ``entities``."""
    length = utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict):
            raise bad_request("can't parse MessageEntity: Object expected")
        kind = entity.get("type")
        if kind not in ENTITY_TYPES:
            raise bad_request("can't parse MessageEntity: Unsupported type specified")
        offset, size = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(size, int):
            raise bad_request('can\'t parse MessageEntity: Field "offset" must be a valid Number')
        if offset < 0:
            raise bad_request(f"receive an entity with incorrect offset {offset}")
        if offset > length:
            raise bad_request(f"entity begins after the end of the text at UTF-16 offset {offset}")
        if offset + size > length:
            raise bad_request(
                f"entity beginning at UTF-16 offset {offset} ends after the end of the text at "
                f"UTF-16 offset {offset + size}"
            )
        if kind == "text_link" and "url" not in entity:
            raise bad_request("can't parse MessageEntity: Can't find field \"url\"")


def check_text(raw: str | None, parsed: str, *, caption: bool = False) -> None:
    """Emptiness and length limits, with Telegram's wording."""
    if caption:
        if len(parsed) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return
    if not raw:
        raise bad_request("message text is empty")
    if not parsed:
        raise bad_request("text must be non-empty")
    if len(parsed) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")


def url_problem(url: str) -> str | None:
    """Why Telegram would refuse ``url`` in a button, or None if it is acceptable."""
    if not url:
        return "URL host is empty"
    parts = urlsplit(url if "://" in url else f"http://{url}")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "tg", "ton"):
        return "Unsupported URL protocol"
    if scheme in ("tg", "ton"):
        return None
    host = parts.hostname or ""
    if not host:
        return "URL host is empty"
    labels = host.split(".")
    if (
        len(labels) < 2
        or not all(labels)
        or not re.fullmatch(r"[a-z]{2,}|xn--[a-z0-9-]+", labels[-1])
    ):
        if not re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", host):
            return "Wrong HTTP URL"
    return None


def _bool_fields(obj: dict[str, Any], names: tuple[str, ...], prefix: str = "") -> None:
    for name in names:
        if name in obj and not isinstance(obj[name], bool):
            raise bad_request(f'{prefix}field "{name}" must be of type Boolean')


def check_reply_markup(markup: Any) -> str:
    """Validate a ``reply_markup`` object and return its kind.

    Kinds: ``inline``, ``keyboard``, ``remove`` or ``force_reply``.
    """
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    _bool_fields(markup, _BOOLEAN_MARKUP_FIELDS)
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
        return "inline"
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list):
            raise bad_request('field "keyboard" must be of type Array')
        for row in rows:
            if not isinstance(row, list):
                raise bad_request('field "keyboard" must be of type Array')
            for button in row:
                if isinstance(button, dict) and "text" not in button:
                    raise bad_request("can't parse keyboard button: Can't find field \"text\"")
                if not isinstance(button, dict | str):
                    raise bad_request("can't parse keyboard button: Object expected")
        return "keyboard"
    if markup.get("remove_keyboard"):
        return "remove"
    if markup.get("force_reply"):
        return "force_reply"
    raise bad_request("can't parse reply keyboard markup JSON object")


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list):
        raise bad_request('field "inline_keyboard" must be of type Array')
    count = 0
    for row in rows:
        if not isinstance(row, list):
            raise bad_request('field "inline_keyboard" must be of type Array')
        for button in row:
            count += 1
            _check_inline_button(button)
    if count > MAX_INLINE_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")


def _check_inline_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(f"{prefix}Object expected")
    if "text" not in button:
        raise bad_request(f'{prefix}Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(f'{prefix}Field "text" must be of type String')
    # An empty string is as good as no field at all to the Bot API.
    actions = [name for name in INLINE_BUTTON_ACTIONS if button.get(name) not in (None, "")]
    if not actions:
        raise bad_request(f"{prefix}Text buttons are unallowed in the inline keyboard")
    if "callback_data" in actions:
        data = button["callback_data"]
        if not isinstance(data, str) or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in actions:
        problem = url_problem(str(button["url"]))
        if problem:
            raise bad_request(f"inline keyboard button URL '{button['url']}' is invalid: {problem}")
    if "pay" in actions or "callback_game" in actions:
        raise bad_request("BUTTON_TYPE_INVALID")
    if "web_app" in actions:
        web_app = button["web_app"]
        url = web_app.get("url", "") if isinstance(web_app, dict) else ""
        if not str(url).lower().startswith("https://"):
            raise bad_request(
                f"inline keyboard button Web App URL '{url}' is invalid: "
                "Only HTTPS links are allowed"
            )


def clean_inline_markup(markup: dict[str, Any]) -> dict[str, Any]:
    """The inline keyboard as Telegram echoes it: only the ``inline_keyboard`` rows."""
    return {"inline_keyboard": markup["inline_keyboard"]}
