"""Numbers and days as the reader's locale writes them: «30,5 %» and «1 окт» in Russian,
"30.5%" and "1 Oct" in English.

The charts are labelled with ready strings from the caller; these are the only words
the package writes itself, and they are locale data, not translations.
"""

from __future__ import annotations

import math
from datetime import date

NBSP = "\u00a0"
THIN_NBSP = "\u202f"  # groups thousands in Russian: «1 200»
DASH = "—"  # a missing value

MONTHS = {
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def number(value: float, locale: str, decimals: int = 1) -> str:
    """30.0 → "30", 30.46 → "30,5" (ru) / "30.5" (en), 1200 → "1 200" / "1,200"."""
    if math.isnan(value) or math.isinf(value):
        return DASH
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", ""}:
        text = "0"
    if locale == "en":
        return text
    return text.replace(",", THIN_NBSP).replace(".", ",")


def percent(value: float, locale: str, decimals: int = 1) -> str:
    """A share: "30,5 %" in Russian (a space before the sign), "30.5%" in English."""
    if math.isnan(value) or math.isinf(value):
        return DASH
    return number(value, locale, decimals) + ("%" if locale == "en" else f"{NBSP}%")


def value_text(value: float | None, locale: str, is_percent: bool) -> str:
    """A value as a label: a share with its sign, a count as a number, a missing one as «—»."""
    if value is None:
        return DASH
    return percent(value, locale) if is_percent else number(value, locale)


def day_text(day: date, locale: str) -> str:
    """A short day for an axis: «1 окт» / "1 Oct"."""
    months = MONTHS.get(locale, MONTHS["ru"])
    return f"{day.day}{NBSP}{months[day.month - 1]}"
