"""Horizontal bars with a name on each row: the layout charts 2, 4 and 5 share.

A row is 0.36 in (54 px) whatever the count, so names at 14 pt never touch and the
figure grows with the rows: 40 schools make a picture about 2,500 px tall, which
Telegram keeps at full size (it scales photos to 2,560 px on the long side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.charts import style
from bot.charts.data import Labels

ROW_IN = 0.36
BAR_HEIGHT = 0.7  # of a row
HEADROOM = 1.22  # the value axis goes this far past the longest bar, for its label


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


def figure_for_rows(rows: int, labels: Labels, legend_rows: int) -> tuple[Figure, Axes]:
    """A figure tall enough for ``rows`` rows, the title, the axis label and a legend."""
    title_lines = style.title_lines(labels.title)
    label_lines = style.line_count(style.wrap(labels.x_label, style.LABEL_SIZE))
    overhead = 0.35 + 0.36 * title_lines + 0.45 + 0.3 * label_lines + 0.42 * legend_rows
    return style.new_figure(max(overhead + ROW_IN * (rows + 0.4), 3.6))


def draw_rows(axes: Axes, rows: Sequence[Row], locale: str, percent: bool) -> list[Rectangle]:
    """Bars top to bottom in the given order, each with its name and its value; the
    highlighted row hatched, edged in ink and named in bold. Returns the bars, in order."""
    positions = range(len(rows))
    widths = [row.value or 0.0 for row in rows]
    bars = axes.barh(positions, widths, height=BAR_HEIGHT, color=style.BAR, linewidth=0)
    for bar, row in zip(bars, rows, strict=True):
        if row.highlighted:
            bar.set_facecolor(style.LIGHT)
            bar.set_edgecolor(style.INK)
            bar.set_linewidth(2)
            bar.set_hatch(style.HIGHLIGHT_HATCH)
    axes.set_yticks(list(positions), labels=[row.name for row in rows])
    for label, row in zip(axes.get_yticklabels(), rows, strict=True):
        if row.highlighted:
            label.set_fontweight("bold")
    axes.tick_params(axis="y", length=0, pad=6)
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first row on top
    axes.spines["left"].set_visible(False)
    for row, position in zip(rows, positions, strict=True):
        axes.annotate(
            row.text,
            xy=(row.end, position),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=style.TEXT_SIZE,
            fontfamily=style.FONT,
            fontweight="bold" if row.highlighted else "normal",
            color=style.INK,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0},
        )
    ends = [row.end for row in rows]
    style.value_axis("x", axes, locale, percent, style.value_top(ends, percent, HEADROOM))
    return list(bars)
