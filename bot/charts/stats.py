"""The median the comparison lines show: of the values there are, a missing one left out."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values present (None and NaN are missing), or None if none are."""
    present = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(present) if present else None
