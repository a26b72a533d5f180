"""The numbers of a school's card before a consultation: each of its latest indicators
next to the median of its municipality and of the region.

Only indicators with a number compare: a share (its percent), a count, a list with a
count (vacancies). The medians are over the schools that answered that indicator in
the same year (the school itself included); a municipality with no other answer still
has a median (the school's own value).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import median
from typing import Any

NUMERIC_KINDS = frozenset({"share", "count", "count_list"})


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    code: str
    value: float
    municipality: float | None
    region: float | None
    percent: bool


def number(kind: str, value: Mapping[str, Any] | None) -> float | None:
    """The number an answer stands for, or None (not numeric, or not answered)."""
    if not value or kind not in NUMERIC_KINDS:
        return None
    raw = value.get("percent") if kind == "share" else value.get("count")
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    return float(raw)


def indicator_rows(
    indicators: Iterable[tuple[str, str]],
    school_id: int,
    municipality_of: Mapping[int, str],
    answers: Mapping[int, Mapping[str, Mapping[str, Any]]],
) -> list[IndicatorRow]:
    """For each ``(code, kind)`` the school has a number for, in the order given: the
    school's value and the medians. ``answers``: school id → code → answer (one year)."""
    own = answers.get(school_id, {})
    home = municipality_of.get(school_id)
    rows = []
    for code, kind in indicators:
        value = number(kind, own.get(code))
        if value is None:
            continue
        region: list[float] = []
        local: list[float] = []
        for other, given in answers.items():
            found = number(kind, given.get(code))
            if found is None:
                continue
            region.append(found)
            if municipality_of.get(other) == home:
                local.append(found)
        rows.append(
            IndicatorRow(
                code,
                value,
                median(local) if local else None,
                median(region) if region else None,
                kind == "share",
            )
        )
    return rows
