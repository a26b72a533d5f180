"""Reading a typed answer for an indicator (by its kind) or a base count."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.indicators.answers.choices import parse_choice, parse_yes_no
from bot.indicators.answers.links import parse_link
from bot.indicators.answers.lists import parse_count_list, parse_level_counts
from bot.indicators.answers.messages import (
    BASE_NOT_POSITIVE,
    DOCUMENT_AS_TEXT,
    DOCUMENT_TYPE_LIST,
    MAX_BASE,
    MAX_DOCUMENT_MB,
    refuse,
)
from bot.indicators.answers.numbers import parse_count, parse_share, read_count
from bot.indicators.answers.text import base_of, base_title, prepare, quote_typed
from bot.indicators.catalog import Catalog, Indicator, Kind

# --------------------------------------------------------------------------- parsing


def parse_answer(
    indicator: Indicator, text: str, catalog: Catalog, bases: Mapping[str, int]
) -> dict[str, Any]:
    """Read a typed answer to ``indicator``; raise :class:`AnswerError` if it cannot be used.

    ``bases`` maps a base code ("teachers", ...) to the count the school gave in
    this form; a missing base means it is not known yet, and the checks against
    it are left to :func:`cross_check`.
    """
    text = prepare(text)
    base = base_of(indicator, bases)
    if indicator.kind is Kind.LINK:
        return parse_link(text)
    if indicator.kind is Kind.SHARE:
        return parse_share(text, base, base_title(catalog, indicator.base))
    if indicator.kind is Kind.COUNT:
        return {"count": parse_count(text, base, base_title(catalog, indicator.base))}
    if indicator.kind is Kind.COUNT_LIST:
        return parse_count_list(text)
    if indicator.kind is Kind.LEVEL_COUNTS:
        return parse_level_counts(indicator, text, catalog, base)
    if indicator.kind is Kind.YES_NO:
        return parse_yes_no(text)
    if indicator.kind is Kind.CHOICE:
        return parse_choice(indicator, text, catalog)
    refuse(DOCUMENT_AS_TEXT, types=DOCUMENT_TYPE_LIST, limit=MAX_DOCUMENT_MB)


def parse_base(text: str) -> int:
    """The number of teachers, pupils...: a whole number from 1 to 100 000 ("1 200 чел." too)."""
    text = prepare(text)
    value = read_count(text, example=40, limit=MAX_BASE)
    if value <= 0:
        refuse(BASE_NOT_POSITIVE, text=quote_typed(text))
    return value
