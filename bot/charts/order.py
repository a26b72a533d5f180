"""The order in which a chart draws its rows (top to bottom) and the short names it shows
with the full ones for the caption. Plain Python: the bot reads these to write a caption
without loading matplotlib."""

from __future__ import annotations

from bot.charts.data import (
    Attendance,
    Comparison,
    Consultations,
    MunicipalityAttendance,
    SchoolCount,
    SchoolValue,
)
from bot.charts.names import MAX_LENGTH, short_municipality_name, short_names


def comparison_order(data: Comparison) -> list[SchoolValue]:
    """The schools in the order drawn, top to bottom."""
    return sorted(
        data.schools,
        key=lambda s: (s.value is None, -(s.value or 0.0), s.name),
    )


def comparison_names(data: Comparison, max_length: int = MAX_LENGTH) -> list[tuple[str, str]]:
    """(short name on the chart, full name) in the order drawn, for the caption."""
    return short_names([school.name for school in comparison_order(data)], max_length)


def consultation_order(data: Consultations) -> list[SchoolCount]:
    """The schools in the order drawn, top to bottom."""
    return sorted(data.schools, key=lambda s: (-s.count, s.name))


def consultation_names(data: Consultations, max_length: int = MAX_LENGTH) -> list[tuple[str, str]]:
    """(short name on the chart, full name) in the order drawn, for the caption."""
    return short_names([school.name for school in consultation_order(data)], max_length)


def attendance_order(data: Attendance) -> list[MunicipalityAttendance]:
    """The municipalities in the order drawn, top to bottom."""
    return sorted(data.municipalities, key=lambda m: (-m.attended, m.name))


def attendance_names(data: Attendance, max_length: int = MAX_LENGTH) -> list[tuple[str, str]]:
    """(short name on the chart, full name) in the order drawn, for the caption."""
    return short_names(
        [m.name for m in attendance_order(data)], max_length, short_municipality_name
    )
