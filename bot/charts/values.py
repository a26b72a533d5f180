"""The number a chart plots for a stored answer (see :mod:`bot.answers` for the shapes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NUMERIC_KINDS = frozenset({"share", "count", "count_list", "level_counts"})


def plotted_value(kind: str, answer: Mapping[str, Any] | None) -> float | None:
    """A share's percent, a count, a list's count, the sum of a level_counts answer; None
    for no answer or a kind that has no number (link, yes_no, choice, document)."""
    if answer is None or kind not in NUMERIC_KINDS:
        return None
    if kind == "share":
        number = answer.get("percent")
    elif kind == "level_counts":
        counts = [
            v for v in answer.values() if isinstance(v, int | float) and not isinstance(v, bool)
        ]
        number = sum(counts) if counts else None
    else:
        number = answer.get("count")
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None
    return float(number)


def is_percent(kind: str) -> bool:
    """Whether the kind's values are shares (0–100, shown with «%»)."""
    return kind == "share"
