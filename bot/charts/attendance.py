"""Chart 5: attendance of an event per municipality.

Bars sorted by attendance (the most on top, equal ones by name). When expected counts are
given, each is a pale dotted bar behind the attended one and the label reads «12 / 20».
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.charts import formats, layout, style
from bot.charts.bars import BAR_HEIGHT, Row, draw_rows, figure_for_rows
from bot.charts.data import Attendance, MunicipalityAttendance, NoData
from bot.charts.order import attendance_names, attendance_order


def draw_attendance(data: Attendance) -> Figure:
    """The chart's figure; :class:`NoData` if there are no municipalities or nobody came
    and nobody was expected."""
    places = attendance_order(data)
    if not any(m.attended or m.expected for m in places):
        raise NoData("nobody attended and nobody was expected")
    with_expected = any(m.expected is not None for m in places)
    rows = [
        Row(short, float(m.attended), _count_text(m, data.locale), text_at=_text_at(m))
        for (short, _), m in zip(attendance_names(data), places, strict=True)
    ]
    legend = [data.attended_label, data.expected_label] if with_expected else []
    figure, axes = figure_for_rows(rows, data.labels, legend)
    layout.set_title(figure, data.labels.title)
    if with_expected:
        expected = [float(m.expected or 0) for m in places]
        axes.barh(
            range(len(places)),
            expected,
            height=BAR_HEIGHT,
            color=style.PALE,
            edgecolor=style.INK,
            linewidth=1,
            hatch=style.BACKGROUND_HATCH,
            zorder=0.9,
        )
    draw_rows(axes, rows, data.locale, percent=False)
    if with_expected:
        handles = [
            Patch(facecolor=style.BAR, label=data.attended_label),
            Patch(
                facecolor=style.PALE,
                edgecolor=style.INK,
                hatch=style.BACKGROUND_HATCH,
                label=data.expected_label,
            ),
        ]
        layout.legend_above(axes, handles, layout.legend_layout(legend))
    layout.set_axis_labels(axes, data.labels.x_label, data.labels.y_label)
    return figure


def _count_text(place: MunicipalityAttendance, locale: str) -> str:
    attended = formats.number(place.attended, locale)
    if place.expected is None:
        return attended
    return f"{attended} / {formats.number(place.expected, locale)}"


def _text_at(place: MunicipalityAttendance) -> float | None:
    """Past the longer bar: more may come than were expected."""
    return None if place.expected is None else float(max(place.attended, place.expected))
