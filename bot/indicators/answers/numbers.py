"""Counts and shares: «3», «1 200 чел.», «30,5 %», «12 из 40», «5/48»."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.indicators.answers.messages import (
    APPROXIMATELY,
    COUNT_ABOVE_BASE,
    INT,
    MAX_COUNT,
    MAX_DIGITS,
    NEGATIVE,
    NONE_WORDS,
    NOT_A_NUMBER,
    NOT_WHOLE,
    SHARE_COUNT_OVER_BASE,
    SHARE_FRACTIONAL_COUNT,
    SHARE_NEGATIVE,
    SHARE_NOT_UNDERSTOOD,
    SHARE_OVER_100,
    SHARE_PART_OVER_TOTAL,
    SHARE_TOTAL_NOT_BASE,
    SHARE_ZERO_TOTAL,
    SIGN,
    refuse,
)
from bot.indicators.answers.text import clean, lower, norm, prepare, quote_typed, to_int
from bot.indicators.catalog import Text

# ----------------------------------------------------------------- counts

_COUNT = re.compile(
    rf"^{SIGN}(?P<number>{INT})(?P<fraction>[.,][0-9]+)?"
    r"(?: ?(?P<words>[^\W\d_][^\d]*))?$"
)


def without_approximately(text: str) -> str:
    """«около 20 %» → «20 %»: an approximate number is taken as it is."""
    cleaned = clean(text)
    low = lower(cleaned)
    for word in APPROXIMATELY:
        if low.startswith(word) and (
            len(low) == len(word) or not low[len(word)].isalpha() or not word.isalpha()
        ):
            return cleaned[len(word) :].lstrip(" :")
    return cleaned


def read_count(text: str, example: int = 3, limit: int = MAX_COUNT) -> int:
    """A whole number, maybe with thousands spaces and a word after it ("1 200 чел."),
    "около 20", or a word for none ("нет таких", "ни одного")."""
    if norm(text) in NONE_WORDS:
        return 0
    cleaned = without_approximately(text).rstrip(".!;, ")
    match = _COUNT.match(cleaned)
    if not match:
        refuse(NOT_A_NUMBER, text=quote_typed(text), example=example)
    if match["fraction"] and match["fraction"].strip(".,").strip("0"):
        refuse(NOT_WHOLE, text=quote_typed(text), example=example)
    value = to_int(match["number"], text, limit)
    if match["sign"] and value > 0:
        refuse(NEGATIVE, text=quote_typed(text))
    return value


def parse_count(text: str, maximum: int | None, localized: dict[str, Text]) -> int:
    """A count of people or things: "3", "3 чел.", "1 200", "нет" (0); at most ``maximum``.

    ``localized`` names the maximum for the message ("base_title": the base's title).
    """
    value = read_count(prepare(text))
    if maximum is not None and value > maximum:
        refuse(COUNT_ABOVE_BASE, localized, count=value, base=maximum)
    return value


# ----------------------------------------------------------------- shares

_PERCENT = re.compile(
    rf"^{SIGN}(?P<number>{INT}(?:[.,][0-9]+)?) ?(?P<unit>%|процент\w*|percent|pct)?$"
)
_WORDS = r"[^\W\d_][\w.]*(?: [^\W\d_][\w.]*){0,3}"
_RATIO = re.compile(
    rf"^{SIGN}(?P<part>{INT}(?:[.,][0-9]+)?)(?: (?:{_WORDS}))? ?"
    r"(?:из|out of|of|от|/) ?"
    rf"(?P<total>{INT}(?:[.,][0-9]+)?)(?: (?:{_WORDS}))?(?: ?\([^()]*\))?$"
)


def parse_share(text: str, base: int | None, localized: dict[str, Text]) -> dict[str, Any]:
    """A share: a percentage ("30", "30,5 %", "30.5%") or a count ("12 из 40", "12/40").

    A percentage is kept to one decimal (rounded half up; more decimals are
    accepted and rounded) and cannot exceed 100 or be negative. A count keeps
    both numbers; its percent is ``round(100 * part / total, 1)``. When the
    school's ``base`` (its number of teachers...) is known, the part cannot
    exceed it and the total must be it. A bare number is a percentage even when
    the base is known: "12" is 12 %, shown back as such for the person to see (the form
    asks which was meant, see :func:`count_or_percent`). "около 20 %" is 20 %; "нет
    таких" is 0.
    """
    typed = prepare(text)
    quoted = quote_typed(typed)
    if norm(typed) in NONE_WORDS:
        return {"percent": 0.0, "count": 0, "base": base} if base else {"percent": 0.0}
    cleaned = lower(without_approximately(typed)).rstrip(".!;, ")
    if match := _PERCENT.match(cleaned):
        number = match["number"].replace(" ", "").replace(",", ".")
        if len(number.split(".")[0]) > MAX_DIGITS:
            refuse(SHARE_OVER_100, text=quoted)
        value = Decimal(number)
        if match["sign"] and value > 0:
            refuse(SHARE_NEGATIVE, text=quoted)
        if value > 100:
            refuse(SHARE_OVER_100, text=quoted)
        return {"percent": float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))}
    match = _RATIO.match(cleaned)
    if not match:
        refuse(SHARE_NOT_UNDERSTOOD, text=quoted)
    if match["sign"]:
        refuse(SHARE_NEGATIVE, text=quoted)
    part_text, total_text = match["part"], match["total"]
    if re.search(r"[.,]", part_text + total_text):
        refuse(SHARE_FRACTIONAL_COUNT, text=quoted)
    part, total = to_int(part_text, typed), to_int(total_text, typed)
    if total == 0:
        refuse(SHARE_ZERO_TOTAL, text=quoted)
    if base is not None:
        if part > base:
            refuse(SHARE_COUNT_OVER_BASE, localized, text=quoted, count=part, base=base)
        if total != base:
            refuse(SHARE_TOTAL_NOT_BASE, localized, text=quoted, count=part, total=total, base=base)
    if part > total:
        refuse(SHARE_PART_OVER_TOTAL, text=quoted, count=part, total=total)
    # the exact share: rounded only when shown (31,25 → 31,3)
    return {"percent": 100 * part / total, "count": part, "base": total}


def count_or_percent(text: str, base: int | None) -> int | None:
    """The number, when a bare whole number on a share question may as well be a count of
    the base ("8" with 40 teachers: 8 % or 8 of 40?): the form then asks. None when the
    answer says which it is («8 %», «8 из 40») or cannot be a count."""
    if base is None:
        return None
    cleaned = lower(without_approximately(prepare(text))).rstrip(".!;, ")
    if not re.fullmatch(r"[0-9]{1,6}", cleaned):
        return None
    number = int(cleaned)
    return number if 0 < number <= base else None
