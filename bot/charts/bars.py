"""Horizontal bars with a name on each row: the layout charts 2, 4 and 5 share.

A row is 0.36 in (54 px) whatever the count, so names at 14 pt never touch and the
figure grows with the rows: 40 schools make a picture about 2,500 px tall, which
Telegram keeps at full size (it scales photos to 2,560 px on the long side). The names
are plain texts left of the plot rather than tick labels: forty matplotlib ticks cost
more to build and measure than the rest of the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from bot.charts import layout, style
from bot.charts.data import Labels

ROW_IN = 0.36
BAR_HEIGHT = 0.7  # of a row
HEADROOM = 1.22  # the value axis goes this far past the longest bar, for its label
NAME_GID = "name"  # the group id of the names' texts, and of the values' texts
VALUE_GID = "value"
GAP_PT = 6  # between a name and the plot, and between a bar and its value
RIGHT_IN = 0.3
MIN_ROWS = 3  # the height of three rows at least: one or two bars get thicker, not squashed


@dataclass(frozen=True)
class Row:
    name: str  # already shortened
    value: float | None
    text: str  # the value as written beside the bar
    highlighted: bool = False
    text_at: float | None = None  # where the text starts, if not at the bar's end

    @property
    def end(self) -> float:
        return self.text_at if self.text_at is not None else self.value or 0.0


def figure_for_rows(
    rows: Sequence[Row], labels: Labels, legend: Sequence[str] = ()
) -> tuple[Figure, Axes]:
    """A figure tall enough for the rows, the title, a legend above the plot and the value
    axis below it, with room on the left for the longest name."""
    names_in = max(
        layout.text_width(row.name, style.TEXT_SIZE, bold=row.highlighted) for row in rows
    )
    left = style.PAD_IN + (names_in + GAP_PT) / 72
    top = layout.title_in(labels.title) + layout.legend_layout(legend).height_in + 0.05
    bottom = layout.x_ticks_in() + layout.x_label_in(labels.x_label) + style.PAD_IN
    height = top + bottom + ROW_IN * max(len(rows), MIN_ROWS) + 0.1
    return layout.new_figure(height, layout.Margins(left, RIGHT_IN, top, bottom))


def draw_rows(
    axes: Axes, rows: Sequence[Row], locale: str, percent: bool, line_at: float = 0.0
) -> list[Rectangle]:
    """Bars top to bottom in the given order, each with its name and its value; the
    highlighted row hatched, edged in ink and named in bold; the value axis reaching past
    ``line_at`` too (a median or a target drawn by the caller). Returns the bars, in order."""
    positions = range(len(rows))
    widths = [row.value or 0.0 for row in rows]
    bars = axes.barh(positions, widths, height=BAR_HEIGHT, color=style.BAR, linewidth=0)
    for bar, row in zip(bars, rows, strict=True):
        if row.highlighted:
            bar.set_facecolor(style.LIGHT)
            bar.set_edgecolor(style.INK)
            bar.set_linewidth(2)
            bar.set_hatch(style.HIGHLIGHT_HATCH)
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first row on top
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    figure = axes.get_figure()
    assert isinstance(figure, Figure)
    to_names = blended_transform_factory(axes.transAxes, axes.transData) + ScaledTranslation(
        -GAP_PT / 72, 0, figure.dpi_scale_trans
    )
    to_values = axes.transData + ScaledTranslation(GAP_PT / 72, 0, figure.dpi_scale_trans)
    for row, position in zip(rows, positions, strict=True):
        weight = "bold" if row.highlighted else "normal"
        axes.text(
            0,
            position,
            row.name,
            transform=to_names,
            ha="right",
            va="center_baseline",
            fontsize=style.TEXT_SIZE,
            fontfamily=style.FONT,
            fontweight=weight,
            color=style.INK,
            gid=NAME_GID,
            clip_on=False,
        )
        axes.text(
            row.end,
            position,
            row.text,
            transform=to_values,
            ha="left",
            va="center_baseline",
            fontsize=style.TEXT_SIZE,
            fontfamily=style.FONT,
            fontweight=weight,
            color=style.INK,
            gid=VALUE_GID,
            clip_on=False,
            zorder=3,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0},
        )
    top = max(style.value_top([row.end for row in rows], percent, HEADROOM), line_at * 1.1)
    style.value_axis("x", axes, style.value_ticks(locale, percent, top), top)
    return list(bars)


def texts(axes: Axes, gid: str) -> list[Text]:
    """The names (``NAME_GID``) or the values (``VALUE_GID``) drawn, top to bottom."""
    return [t for t in axes.texts if t.get_gid() == gid]
