"""An answer shown back to a person, in their language, as the form and reports show it."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.i18n import format_number, translate
from bot.indicators.answers.choices import option_title
from bot.indicators.answers.lists import level_title
from bot.indicators.answers.messages import FILE_KB, FILE_MB, NO, NONE, SHARE_OF, YES
from bot.indicators.catalog import Catalog, Indicator, Kind

# --------------------------------------------------------------------------- showing


def percent_text(percent: float, locale: str) -> str:
    """A share's percent as people read it: to one decimal, rounded half up (31.25 → "31,3"
    in Russian), however exact the stored value is."""
    rounded = Decimal(repr(percent)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_number(float(rounded), locale)


def format_answer(
    indicator: Indicator, value: dict[str, Any], catalog: Catalog, locale: str
) -> str:
    """An answer as a person reads it back; parsing it again gives the same value.

    "30,5 %" (ru) / "30.5 %" (en); "12 из 40 (30 %)"; "да" / "yes"; "2:
    учитель математики, учитель физики" ("0" for none); "федеральный 0,
    региональный 1, муниципальный 3"; option titles and the other text; a link
    as is; a document's name and size.
    """
    kind = indicator.kind
    if kind is Kind.LINK:
        return str(value.get("url", ""))
    if kind is Kind.SHARE:
        percent = percent_text(float(value.get("percent", 0.0)), locale)
        if "count" in value and "base" in value:
            return translate(
                locale, SHARE_OF, count=value["count"], base=value["base"], percent=percent
            )
        return f"{percent} %"
    if kind is Kind.COUNT:
        return str(value.get("count", 0))
    if kind is Kind.COUNT_LIST:
        items = value.get("items") or []
        count = value.get("count", len(items))
        return f"{count}: {', '.join(items)}" if items else str(count)
    if kind is Kind.LEVEL_COUNTS:
        return ", ".join(
            f"{level_title(catalog, code).get(locale)} {value.get(code, 0)}"
            for code in indicator.levels
        )
    if kind is Kind.YES_NO:
        word = translate(locale, YES if value.get("yes") else NO)
        return f"{word} ({value['comment']})" if value.get("comment") else word
    if kind is Kind.CHOICE:
        shown = [option_title(catalog, code).get(locale) for code in value.get("options") or []]
        if value.get("other"):
            shown.append(str(value["other"]))
        return ", ".join(shown) if shown else translate(locale, NONE)
    size = value.get("size")
    name = str(value.get("file_name") or "—")
    if not isinstance(size, int) or size <= 0:
        return name
    if size >= 1024 * 1024:
        megabytes = format_number(round(size / (1024 * 1024), 1), locale)
        return translate(locale, FILE_MB, name=name, size=megabytes)
    return translate(locale, FILE_KB, name=name, size=max(1, math.ceil(size / 1024)))
