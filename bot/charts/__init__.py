"""Quick charts as PNG pictures for a phone: a school's indicator over the years against the
medians, schools side by side on one indicator, a campaign's submissions by day, consultations
per school against a target, and event attendance per municipality. Plain Python and
matplotlib (the Agg canvas, never pyplot, so it can run in a worker thread or process): the
caller passes frozen data with every label already translated and the locale for numbers,
and gets back PNG bytes (``render``) or the figure (``draw``); :class:`NoData` means there
is nothing to draw, and the caller says so in a sentence instead.
"""

from bot.charts.attendance import draw_attendance
from bot.charts.attendance import names as attendance_names
from bot.charts.comparison import draw_comparison
from bot.charts.comparison import names as comparison_names
from bot.charts.consultations import draw_consultations
from bot.charts.consultations import names as consultation_names
from bot.charts.data import (
    Attendance,
    Comparison,
    Consultations,
    DayCounts,
    History,
    Labels,
    Line,
    MunicipalityAttendance,
    NoData,
    Progress,
    ProgressLabels,
    SchoolCount,
    SchoolValue,
)
from bot.charts.history import draw_history
from bot.charts.names import short_municipality_name, short_names, short_school_name
from bot.charts.png import to_png
from bot.charts.progress import draw_progress
from bot.charts.render import ChartData, draw, render
from bot.charts.stats import median
from bot.charts.values import is_percent, plotted_value

__all__ = [
    "Attendance",
    "ChartData",
    "Comparison",
    "Consultations",
    "DayCounts",
    "History",
    "Labels",
    "Line",
    "MunicipalityAttendance",
    "NoData",
    "Progress",
    "ProgressLabels",
    "SchoolCount",
    "SchoolValue",
    "attendance_names",
    "comparison_names",
    "consultation_names",
    "draw",
    "draw_attendance",
    "draw_comparison",
    "draw_consultations",
    "draw_history",
    "draw_progress",
    "is_percent",
    "median",
    "plotted_value",
    "render",
    "short_municipality_name",
    "short_names",
    "short_school_name",
    "to_png",
]
