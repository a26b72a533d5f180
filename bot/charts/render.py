"""One entry point for every chart: the figure for a data object, or its PNG bytes.

``render`` is what a worker thread or process runs: it takes the picklable data and
returns bytes, nothing else crosses back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.figure import Figure

from bot.charts.attendance import draw_attendance
from bot.charts.comparison import draw_comparison
from bot.charts.consultations import draw_consultations
from bot.charts.data import Attendance, ChartData, Comparison, Consultations, History, Progress
from bot.charts.history import draw_history
from bot.charts.png import to_png
from bot.charts.progress import draw_progress

_DRAWERS: dict[type, Callable[[Any], Figure]] = {
    History: draw_history,
    Comparison: draw_comparison,
    Progress: draw_progress,
    Consultations: draw_consultations,
    Attendance: draw_attendance,
}


def draw(data: ChartData) -> Figure:
    """The chart's figure (for tests and for a caller that wants to adjust it);
    :class:`~bot.charts.data.NoData` when there is nothing to draw."""
    return _DRAWERS[type(data)](data)


def render(data: ChartData) -> bytes:
    """The chart as PNG bytes, 1080 px wide; the same data gives the same bytes.
    :class:`~bot.charts.data.NoData` when there is nothing to draw."""
    return to_png(draw(data))
