"""How every chart looks: size, fonts, colours that survive grey-scale printing, axes.

Charts are read on a phone: the image is 1080 px wide (7.2 in at 150 dpi), and no text
is smaller than 14 pt at that size (29 px). Colours differ in lightness, not only in
hue, and each series has a hatch, a marker or a dash of its own, so a grey-scale print
tells them apart. Every font, size and colour is set explicitly rather than read from
``rcParams``, so a change there elsewhere does not change the pictures.
"""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.ticker import MaxNLocator

from bot.charts import formats

FONT = "DejaVu Sans"  # ships with matplotlib and has Cyrillic
DPI = 150
WIDTH_IN = 7.2  # 1080 px
WIDTH_PX = round(WIDTH_IN * DPI)

TITLE_SIZE = 18
LABEL_SIZE = 15
TEXT_SIZE = 14  # ticks, legend, value labels: the smallest text on a chart
LINE_SPACING = 1.2
PAD_IN = 0.12  # between the figure's edge and any text
TICK_LENGTH = 4  # points
TICK_PAD = 4
LABEL_PAD = 6
LEGEND_HANDLE_IN = 1.0  # a legend entry's handle and the gaps around it

INK = "#1a1a1a"
GRID = "#d0d0d0"
# Lightness levels (grey by luma: 0.22, 0.47, 0.65, 0.74, 0.89), each used with a pattern,
# a dash or a marker of its own.
DARK = "#16426f"
MIDDLE = "#c8611f"
SOFT = "#7fb0dc"  # the third line of chart 1
LIGHT = "#f6b44b"
PALE = "#e3e3e3"  # a background: the not-started part, the expected attendance
BAR = "#4a78b0"  # an ordinary bar (grey 0.44); the highlighted one is LIGHT and hatched
HIGHLIGHT_HATCH = "///"
BACKGROUND_HATCH = ".."


def grey(colour: str | tuple[float, ...]) -> float:
    """The colour's grey level (0 black, 1 white) as a grey-scale print shows it (luma)."""
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def value_ticks(locale: str, percent: bool, top: float) -> tuple[list[float], list[str]]:
    """Round ticks from 0 to ``top`` and their labels in the locale's numbers («20 %»),
    none above 100 % for a share."""
    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=not percent)
    ticks = [
        float(t) for t in locator.tick_values(0, top) if 0 <= t <= top and not (percent and t > 100)
    ]
    if percent:
        return ticks, [formats.percent(t, locale) for t in ticks]
    return ticks, [formats.number(t, locale) for t in ticks]


def value_axis(
    axis_name: str, axes: Axes, ticks: tuple[list[float], list[str]], top: float
) -> None:
    """A value axis from 0 to ``top`` with the given ticks and a light grid."""
    values, labels = ticks
    if axis_name == "x":
        axes.set_xlim(0, top)
        axes.set_xticks(values, labels=labels)
    else:
        axes.set_ylim(0, top)
        axes.set_yticks(values, labels=labels)
    axes.grid(True, axis=axis_name, color=GRID, linewidth=1)


def value_top(values: list[float], percent: bool, headroom: float) -> float:
    """The axis' end: room above (or beside) the largest value for its label."""
    largest = max(values, default=0.0)
    if largest <= 0:
        return 10.0 if percent else 1.0
    return largest * headroom


def style_axes(axes: Axes) -> None:
    """White, the top and right spines off, ink-coloured ticks and labels at 14 pt."""
    axes.set_facecolor("white")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(INK)
    axes.tick_params(
        labelsize=TEXT_SIZE,
        labelfontfamily=FONT,
        colors=INK,
        length=TICK_LENGTH,
        width=1,
        pad=TICK_PAD,
    )
    axes.set_axisbelow(True)


LEGEND: dict[str, Any] = {
    "frameon": False,
    "prop": {"family": FONT, "size": TEXT_SIZE},
    "labelcolor": INK,
    "handlelength": 2.6,
    "columnspacing": 1.2,
    "borderaxespad": 0.2,
    "borderpad": 0.2,
}
