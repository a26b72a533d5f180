"""Chart 1: a school's indicator over the years, against the municipality's and the region's
medians.

Three lines told apart in grey scale by lightness, dash and marker: the school dark, solid,
with circles and its values written by the points (below a point both medians are above,
else above it); the municipality's median dashed with squares; the region's dotted with
triangles. A missing year is a gap in a line, never a zero.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from bot.charts import formats, layout, style
from bot.charts.data import History, Line, NoData

PLOT_IN = 4.4  # the plot's own height, without the texts around it
RIGHT_IN = 0.35  # half the last year's label
HEADROOM = 1.2
SCHOOL = {"color": style.DARK, "linestyle": "-", "marker": "o", "linewidth": 3.2, "markersize": 10}
MUNICIPALITY = {
    "color": style.MIDDLE,
    "linestyle": (0, (6, 3)),
    "marker": "s",
    "linewidth": 2.4,
    "markersize": 8,
}
REGION = {
    "color": style.SOFT,
    "linestyle": (0, (1.5, 2)),
    "marker": "^",
    "linewidth": 2.6,
    "markersize": 9,
}
MAX_YEAR_LABELS = 8  # more years are labelled every second one


def draw_history(data: History) -> Figure:
    """The chart's figure; :class:`NoData` if the school has no value in any year."""
    if all(v is None for v in data.school.values):
        raise NoData("the school has no value in any year")
    lines = (data.school, data.municipality, data.region)
    present = [v for line in lines for v in line.values if v is not None]
    top = style.value_top(present, data.percent, HEADROOM)
    ticks = style.value_ticks(data.locale, data.percent, top)
    legend = [line.label for line in lines]  # the order a reader looks for them
    legend_layout = layout.legend_layout(legend)
    margins = layout.Margins(
        left=layout.y_axis_in(ticks[1], data.labels.y_label),
        right=RIGHT_IN,
        top=layout.title_in(data.labels.title) + 0.1,
        bottom=layout.x_ticks_in()
        + layout.x_label_in(data.labels.x_label)
        + legend_layout.height_in
        + style.PAD_IN,
    )
    figure, axes = layout.new_figure(PLOT_IN + margins.top + margins.bottom, margins)
    layout.set_title(figure, data.labels.title)
    years = list(data.years)
    # the medians first, so the school's line is drawn over them
    drawn = {}
    for line, look in ((data.region, REGION), (data.municipality, MUNICIPALITY)):
        (drawn[id(line)],) = axes.plot(
            years,
            _ys(line),
            label=line.label,
            markeredgecolor=style.INK,
            markeredgewidth=1,
            zorder=2,
            **look,
        )
    (drawn[id(data.school)],) = axes.plot(
        years,
        _ys(data.school),
        label=data.school.label,
        markeredgecolor="white",
        markeredgewidth=1.5,
        zorder=3,
        **SCHOOL,
    )
    medians = zip(data.municipality.values, data.region.values, strict=True)
    for year, value, near in zip(years, data.school.values, medians, strict=True):
        if value is not None:
            # below the point when both medians are above it, so the label hides neither
            below = all(m is not None and m > value for m in near)
            axes.annotate(
                formats.value_text(value, data.locale, data.percent),
                xy=(year, value),
                xytext=(0, -13 if below else 11),
                textcoords="offset points",
                ha="center",
                va="top" if below else "bottom",
                fontsize=style.TEXT_SIZE,
                fontfamily=style.FONT,
                fontweight="bold",
                color=style.DARK,
                zorder=4,
                annotation_clip=False,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0},
            )
    style.value_axis("y", axes, ticks, top)
    shown = years if len(years) <= MAX_YEAR_LABELS else years[len(years) % 2 :: 2]
    axes.set_xticks(shown, labels=[str(year) for year in shown])
    axes.set_xlim(years[0] - 0.6, years[-1] + 0.6)  # room for the first and last labels
    layout.legend_below(figure, [drawn[id(line)] for line in lines], legend_layout)
    layout.set_axis_labels(axes, data.labels.x_label, data.labels.y_label)
    return figure


def _ys(line: Line) -> list[float]:
    return [math.nan if v is None else v for v in line.values]
