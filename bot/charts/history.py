"""Chart 1: a school's indicator over the years, against the municipality's and the region's
medians.

Three lines told apart in grey scale by lightness, dash and marker: the school dark, solid,
with circles and its values written above the points; the municipality's median dashed with
squares; the region's dotted with triangles. A missing year is a gap in a line, never a zero.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from bot.charts import formats, style
from bot.charts.data import History, Line, NoData

HEIGHT_IN = 6.4
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
    "color": "#7fb0dc",
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
    title_lines = style.title_lines(data.labels.title)
    figure, axes = style.new_figure(HEIGHT_IN + 0.36 * (title_lines - 1))
    style.set_title(figure, data.labels.title)
    years = list(data.years)
    # the medians first, so the school's line is drawn over them
    for line, look in ((data.region, REGION), (data.municipality, MUNICIPALITY)):
        axes.plot(
            years,
            _ys(line),
            label=line.label,
            markeredgecolor=style.INK,
            markeredgewidth=1,
            zorder=2,
            **look,
        )
    axes.plot(
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
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0},
            )
    present = [
        v for line in (data.school, data.municipality, data.region) for v in line.values if v
    ]
    style.value_axis(
        "y", axes, data.locale, data.percent, style.value_top(present, data.percent, HEADROOM)
    )
    shown = years if len(years) <= MAX_YEAR_LABELS else years[len(years) % 2 :: 2]
    axes.set_xticks(shown, labels=[str(year) for year in shown])
    axes.set_xlim(years[0] - 0.4, years[-1] + 0.4)
    # the order a reader looks for: the school, then the municipality, then the region
    handles, labels = axes.get_legend_handles_labels()
    order = [2, 1, 0]
    axes.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper left",
        bbox_to_anchor=(0, -0.1 if not data.labels.x_label else -0.17),
        frameon=False,
        prop={"family": style.FONT, "size": style.TEXT_SIZE},
        labelcolor=style.INK,
        handlelength=3,
        ncols=1,
    )
    style.set_axis_labels(axes, data.labels.x_label, data.labels.y_label, figure.get_figheight())
    return figure


def _ys(line: Line) -> list[float]:
    return [math.nan if v is None else v for v in line.values]
