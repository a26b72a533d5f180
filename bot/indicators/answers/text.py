"""Tidying what people type before it is read: spaces, quotes, dashes, case, a quote of
the answer for a refusal, whole numbers with thousands separators."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from bot.indicators.answers.messages import (
    EMPTY,
    MAX_COUNT,
    MAX_DIGITS,
    MAX_TEXT,
    QUOTE_LIMIT,
    QUOTES,
    TOO_LARGE,
    TOO_LONG,
    refuse,
)
from bot.indicators.catalog import Catalog, Indicator, Text, UnknownCode

# --------------------------------------------------------------------------- text helpers


def clean(text: str) -> str:
    """Fullwidth digits and odd spaces made plain, one space between words, none at the ends."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


def lower(text: str) -> str:
    """Lower case with ё → е, keeping the length (so spans map back to the original)."""
    out = []
    for char in text:
        low = char.lower()
        out.append(low if len(low) == 1 else char)
    return "".join(out).replace("ё", "е")


def norm(text: str) -> str:
    """For comparing with word lists: clean, lower case, no quotes or end punctuation."""
    text = lower(clean(text))
    for quote in QUOTES:
        text = text.replace(quote, "")
    return text.strip().rstrip(".!?,;:)").strip()


def quote_typed(text: str) -> str:
    """What the person typed, as a message repeats it: cleaned and not too long."""
    text = clean(text)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"


def prepare(text: str) -> str:
    """The answer's text, refused when empty or longer than a chat message."""
    if len(text) > MAX_TEXT:
        refuse(TOO_LONG, length=len(text), limit=MAX_TEXT)
    if not text.strip():
        refuse(EMPTY)
    return text


def to_int(digits: str, typed: str, limit: int = MAX_COUNT) -> int:
    digits = digits.replace(" ", "")
    if len(digits) > MAX_DIGITS or int(digits) > limit:
        refuse(TOO_LARGE, text=quote_typed(typed), limit=limit)
    return int(digits)


def base_of(indicator: Indicator, bases: Mapping[str, int]) -> int | None:
    if indicator.base is None:
        return None
    value = bases.get(indicator.base)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def base_title(catalog: Catalog, code: str | None) -> dict[str, Text]:
    try:
        return {"base_title": catalog.base(code or "").title}
    except UnknownCode:
        return {"base_title": Text(ru=code or "—", en=code or "—")}


def joined(texts: Sequence[Text], quoted: bool = False) -> Text:
    if quoted:
        return Text(
            ru=", ".join(f"«{t.ru.strip('«»')}»" for t in texts) or "—",
            en=", ".join(f"“{t.en}”" for t in texts) or "—",
        )
    return Text(ru=", ".join(t.ru for t in texts) or "—", en=", ".join(t.en for t in texts) or "—")
