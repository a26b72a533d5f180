"""Checks across answers: shares of the same people that cannot add up to more than
100 %, one share that cannot exceed another, counts that cannot exceed their base."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from bot.i18n import Msg
from bot.indicators.answers.messages import (
    BASES_DISAGREE,
    CROSS_BASE_CHANGED,
    CROSS_COUNT_OVER_BASE,
    CROSS_NOT_MORE_THAN,
    CROSS_SUM,
    CROSS_SUM_COUNTS,
)
from bot.indicators.answers.text import base_of, base_title, joined
from bot.indicators.catalog import Catalog, Kind, Text

# --------------------------------------------------------------------------- cross-checks

_SUM_TOLERANCE = 0.05  # each percent is rounded to 0.1: it may be off by 0.05


def _percent(value: Any) -> float | None:
    if not isinstance(value, Mapping):
        return None
    percent = value.get("percent")
    if isinstance(percent, bool) or not isinstance(percent, int | float):
        return None
    return float(percent)


def _counted(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, Mapping):
        return None
    count, base = value.get("count"), value.get("base")
    if all(isinstance(n, int) and not isinstance(n, bool) for n in (count, base)):
        return count, base
    return None


def _short(catalog: Catalog, code: str) -> Text:
    return catalog.indicator(code).short


def cross_check(
    catalog: Catalog,
    answers: Mapping[str, dict[str, Any]],
    bases: Mapping[str, int],
    involving: str | None = None,
) -> list[tuple[str, Msg]]:
    """Msgs across answers, as (indicator code to fix, problem) pairs.

    First each answer against its base, in catalog order: a share's count (or a
    count, or the total of level counts) above the school's base; a share given
    as "X of Y" when the base is now another number. Then the catalog's
    [[checks]]: "sum_at_most_base" (the listed shares add up to at most 100 %:
    exactly by counts when all are counts of the same total, else by percents
    with 0.05 per share allowed for rounding; the last listed indicator is to
    fix) and "not_more_than" (each listed share is not above the next one:
    exactly by counts of the same total, else by percents with 0.1 allowed; the
    first of the pair is to fix). Unanswered indicators, unknown codes and values
    of an unexpected shape are skipped.

    With ``involving`` (an indicator code), only the checks that involve that
    indicator: what a change of its answer can add or remove.
    """
    problems: list[tuple[str, Msg]] = []
    indicators = catalog.indicators if involving is None else [catalog.indicator(involving)]
    for indicator in indicators:
        value = answers.get(indicator.code)
        base = base_of(indicator, bases)
        if not isinstance(value, Mapping) or base is None:
            continue
        found: tuple[str, dict[str, Any]] | None = None
        if indicator.kind is Kind.SHARE and (counted := _counted(value)):
            count, total = counted
            if count > base:
                found = CROSS_COUNT_OVER_BASE, {"count": count, "base": base}
            elif total != base:
                found = CROSS_BASE_CHANGED, {"count": count, "total": total, "base": base}
        elif indicator.kind is Kind.COUNT or indicator.kind is Kind.LEVEL_COUNTS:
            if indicator.kind is Kind.COUNT:
                numbers = [value.get("count")]
            else:
                numbers = [value.get(code) for code in indicator.levels]
            count = sum(n for n in numbers if isinstance(n, int) and not isinstance(n, bool))
            if count > base:
                found = CROSS_COUNT_OVER_BASE, {"count": count, "base": base}
        if found is not None:
            titles = {"indicator": indicator.short, **base_title(catalog, indicator.base)}
            problems.append((indicator.code, Msg(found[0], {**found[1], **titles})))
    for check in catalog.checks:
        if involving is not None and involving not in check.indicators:
            continue
        codes = [code for code in check.indicators if _known(catalog, code)]
        values = [answers.get(code) for code in codes]
        if len(codes) < 2 or any(_percent(value) is None for value in values):
            continue
        if check.kind == "sum_at_most_base":
            problems.extend(_check_sum(catalog, codes, values, bases))
        else:
            problems.extend(_check_not_more_than(catalog, codes, values))
    return problems


def _known(catalog: Catalog, code: str) -> bool:
    try:
        catalog.indicator(code)
    except KeyError:
        return False
    return True


def _check_sum(
    catalog: Catalog, codes: list[str], values: list[Any], bases: Mapping[str, int]
) -> list[tuple[str, Msg]]:
    counted = [_counted(value) for value in values]
    totals = {c[1] for c in counted if c is not None}
    if all(c is not None for c in counted) and len(totals) == 1:
        total = totals.pop()
        people = sum(c[0] for c in counted if c is not None)
        if people > total:
            base_code = catalog.indicator(codes[0]).base or ""
            localized = {**_names(catalog, codes), **base_title(catalog, base_code)}
            params = {"total": people, "base": total}
            return [(codes[-1], Msg(CROSS_SUM_COUNTS, {**params, **localized}))]
        return []
    percents = [_percent(value) or 0.0 for value in values]
    total_percent = sum(percents)
    if total_percent > 100 + _SUM_TOLERANCE * len(percents) + 1e-9:
        params = {"total": float(round(total_percent, 1))}
        return [(codes[-1], Msg(CROSS_SUM, {**params, **_names(catalog, codes)}))]
    return []


def _names(catalog: Catalog, codes: list[str]) -> dict[str, Text]:
    return {"names": joined([_short(catalog, code) for code in codes], quoted=True)}


def _check_not_more_than(
    catalog: Catalog, codes: list[str], values: list[Any]
) -> list[tuple[str, Msg]]:
    problems = []
    for (first, first_value), (second, second_value) in pairwise(zip(codes, values, strict=True)):
        a, b = _counted(first_value), _counted(second_value)
        pa, pb = _percent(first_value) or 0.0, _percent(second_value) or 0.0
        if a and b and a[1] == b[1]:
            wrong = a[0] > b[0]
        else:
            wrong = pa > pb + 2 * _SUM_TOLERANCE + 1e-9
        if wrong:
            localized = {"first": _short(catalog, first), "second": _short(catalog, second)}
            params = {"first_value": float(pa), "second_value": float(pb)}
            problems.append((first, Msg(CROSS_NOT_MORE_THAN, {**params, **localized})))
    return problems


def check_bases(catalog: Catalog, bases: Mapping[str, int]) -> Msg | None:
    """A base that includes another cannot be smaller than it: the managers and teaching
    staff are never fewer than the teaching staff, who are never fewer than the teachers."""
    found = disagreeing_bases(catalog, bases)
    return found[0][2] if found else None


def disagreeing_bases(catalog: Catalog, bases: Mapping[str, int]) -> list[tuple[str, str, Msg]]:
    """(outer base, inner base, problem) for each base smaller than one it includes."""
    found = []
    for base in catalog.bases:
        if base.includes is None or base.code not in bases or base.includes not in bases:
            continue
        inner = catalog.base(base.includes)
        if bases[base.code] < bases[base.includes]:
            params = {
                "outer": base.title,
                "outer_count": bases[base.code],
                "inner": inner.title,
                "inner_count": bases[base.includes],
            }
            found.append((base.code, inner.code, Msg(BASES_DISAGREE, params)))
    return found
