"""Chart 4: consultations held per school against a target.

Bars sorted by count (the most on top, equal counts by name); a school below the target
is drawn pale and hatched, so the ones that need attention stand out in grey scale too;
the target is a dashed vertical line named in the legend with its number.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bot.charts import formats, layout, style
from bot.charts.bars import Row, draw_rows, figure_for_rows
from bot.charts.data import Consultations, NoData
from bot.charts.order import consultation_names, consultation_order

TARGET_DASHES = (0, (5, 3))
BELOW_COLOUR = style.LIGHT
BELOW_HATCH = "//"


def draw_consultations(data: Consultations) -> Figure:
    """The chart's figure; :class:`NoData` if there are no schools (zero counts are drawn:
    a school with no consultation is what a coordinator looks for)."""
    if not data.schools:
        raise NoData("no schools")
    schools = consultation_order(data)
    rows = [
        Row(short, float(s.count), formats.number(s.count, data.locale))
        for (short, _), s in zip(consultation_names(data), schools, strict=True)
    ]
    target = f"{data.target_label}: {formats.number(data.target, data.locale)}"
    legend = [target, data.below_label]
    figure, axes = figure_for_rows(rows, data.labels, legend)
    layout.set_title(figure, data.labels.title)
    bars = draw_rows(axes, rows, data.locale, percent=False, line_at=data.target)
    for bar, school in zip(bars, schools, strict=True):
        if school.count < data.target:
            bar.set_facecolor(BELOW_COLOUR)
            bar.set_edgecolor(style.INK)
            bar.set_linewidth(1)
            bar.set_hatch(BELOW_HATCH)
    axes.axvline(data.target, color=style.INK, linewidth=2.2, linestyle=TARGET_DASHES, zorder=2.5)
    handles = [
        Line2D([], [], color=style.INK, linewidth=2.2, linestyle=TARGET_DASHES, label=target),
        Patch(
            facecolor=BELOW_COLOUR, edgecolor=style.INK, hatch=BELOW_HATCH, label=data.below_label
        ),
    ]
    layout.legend_above(axes, handles, layout.legend_layout(legend))
    layout.set_axis_labels(axes, data.labels.x_label, data.labels.y_label)
    return figure
