"""Chart 2: schools side by side on one indicator for a year.

Bars sorted by value (the largest on top, equal values by name, schools without a value
last with «—»), the region's median as a dashed vertical line named in the legend with
its value, the school that asked hatched, edged and named in bold.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.charts import formats, layout, style
from bot.charts.bars import Row, draw_rows, figure_for_rows
from bot.charts.data import Comparison, NoData
from bot.charts.order import comparison_names, comparison_order

MEDIAN_DASHES = (0, (5, 3))


def draw_comparison(data: Comparison) -> Figure:
    """The chart's figure; :class:`NoData` if no school has a value."""
    if all(school.value is None for school in data.schools):
        raise NoData("no school has a value to compare")
    schools = comparison_order(data)
    labels = [short for short, _ in comparison_names(data)]
    rows = [
        Row(label, s.value, formats.value_text(s.value, data.locale, data.percent), s.highlighted)
        for label, s in zip(labels, schools, strict=True)
    ]
    legend = []
    if data.region_median is not None:
        median_text = formats.value_text(data.region_median, data.locale, data.percent)
        legend.append(f"{data.median_label}: {median_text}")
    figure, axes = figure_for_rows(rows, data.labels, legend)
    layout.set_title(figure, data.labels.title)
    draw_rows(axes, rows, data.locale, data.percent, line_at=data.region_median or 0.0)
    if data.region_median is not None:
        axes.axvline(
            data.region_median,
            color=style.INK,
            linewidth=2.2,
            linestyle=MEDIAN_DASHES,
            zorder=2.5,
        )
        layout.legend_above(axes, [_median_handle(legend[0])], layout.legend_layout(legend))
    layout.set_axis_labels(axes, data.labels.x_label, data.labels.y_label)
    return figure


def _median_handle(label: str) -> Line2D:
    return Line2D([], [], color=style.INK, linewidth=2.2, linestyle=MEDIAN_DASHES, label=label)
