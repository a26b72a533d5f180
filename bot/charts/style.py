"""How every chart looks: size, fonts, colours that survive grey-scale printing, PNG output.

Charts are read on a phone: the image is 1080 px wide (7.2 in at 150 dpi), and no text
is smaller than 14 pt at that size (29 px). Colours differ in lightness, not only in
hue, and each series has a hatch, a marker or a dash of its own, so a grey-scale print
tells them apart. Only the object-oriented API is used (a ``Figure`` with its own Agg
canvas, nothing global), so charts can be drawn in worker threads or processes; and
every font, size and colour is set here rather than read from ``rcParams``, so a change
there elsewhere does not change the pictures.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
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
# Lightness levels (grey by luma: 0.22, 0.47, 0.74, 0.89), each with its own pattern.
DARK = "#16426f"
MIDDLE = "#c8611f"
LIGHT = "#f6b44b"
PALE = "#e3e3e3"  # a background: the not-started part, the expected attendance
BAR = "#4a78b0"  # an ordinary bar (grey 0.44); the highlighted one is LIGHT and hatched
HIGHLIGHT_HATCH = "///"
BACKGROUND_HATCH = ".."


def grey(colour: str | tuple[float, ...]) -> float:
    """The colour's grey level (0 black, 1 white) as a grey-scale print shows it (luma)."""
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


@dataclass(frozen=True)
class Margins:
    """Room around the plot, in inches, for the title, legends, ticks and names."""

    left: float
    right: float
    top: float
    bottom: float


def new_figure(height_in: float, margins: Margins) -> tuple[Figure, Axes]:
    """A white 1080 px wide figure of whole pixels' height with one styled axes, placed by
    the margins. The margins are computed from the texts (no layout engine: it would lay
    every text out again on each of its passes and draw the figure twice when saving)."""
    height_px = max(round(height_in * DPI), 300)
    height = height_px / DPI
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_axes(
        (
            margins.left / WIDTH_IN,
            margins.bottom / height,
            max(WIDTH_IN - margins.left - margins.right, 1.0) / WIDTH_IN,
            max(height - margins.top - margins.bottom, 1.0) / height,
        )
    )
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
    return figure, axes


def lines_in(size: float, lines: int) -> float:
    """The height of ``lines`` lines of text at this size, in inches."""
    return lines * size * LINE_SPACING / 72


def title_in(title: str) -> float:
    """The title's height with the padding above and below it."""
    return PAD_IN + lines_in(TITLE_SIZE, title_lines(title)) + PAD_IN


def legend_in(rows: int) -> float:
    """A legend's height: its rows and the padding around them."""
    return 0.0 if rows == 0 else rows * TEXT_SIZE * 1.7 / 72 + 0.12


def x_ticks_in() -> float:
    """The height of tick labels under an axis, with the ticks."""
    return (TICK_LENGTH + TICK_PAD) / 72 + lines_in(TEXT_SIZE, 1)


def x_label_in(x_label: str) -> float:
    lines = line_count(wrap(x_label, LABEL_SIZE))
    return 0.0 if not lines else LABEL_PAD / 72 + lines_in(LABEL_SIZE, lines)


def y_axis_in(tick_labels: Sequence[str], y_label: str) -> float:
    """The width left of a vertical value axis: its tick labels and its label."""
    ticks = max((text_width(t, TEXT_SIZE) for t in tick_labels), default=0.0)
    width = (ticks + TICK_LENGTH + TICK_PAD) / 72
    if y_label:
        width += LABEL_PAD / 72 + lines_in(LABEL_SIZE, 1)
    return PAD_IN + width


def wrap(text: str, size: float, width_in: float = WIDTH_IN - 0.35, bold: bool = False) -> str:
    """The text broken at spaces into lines that fit the width at this size."""
    limit = width_in * 72
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The text's width in points: the sum of its characters' advances (kerning left out,
    which errs on the wide side)."""
    return sum(_advance(char, bold) for char in text) * size / 100


@lru_cache(maxsize=1024)
def _advance(char: str, bold: bool) -> float:
    """A character's width in points at 100 pt, measured once."""
    font = FontProperties(family=FONT, size=100, weight="bold" if bold else "normal")
    if char == " ":  # measured between two letters: a lone space has no extent
        return _pair_width("x x", font) - _pair_width("xx", font)
    return _pair_width(char, font)


def _pair_width(text: str, font: FontProperties) -> float:
    width, _, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return float(width)


def line_count(text: str) -> int:
    return text.count("\n") + 1 if text else 0


def title_lines(title: str) -> int:
    return line_count(wrap(title, TITLE_SIZE, bold=True))


def set_title(figure: Figure, title: str) -> None:
    """The title at the top left, bold, broken into lines that fit."""
    figure.suptitle(
        wrap(title, TITLE_SIZE, bold=True),
        x=PAD_IN / WIDTH_IN,
        y=1 - PAD_IN / figure.get_figheight(),
        ha="left",
        va="top",
        linespacing=LINE_SPACING,
        fontsize=TITLE_SIZE,
        fontweight="bold",
        fontfamily=FONT,
        color=INK,
    )


def set_axis_labels(axes: Axes, x_label: str, y_label: str) -> None:
    if x_label:
        axes.set_xlabel(
            wrap(x_label, LABEL_SIZE),
            fontsize=LABEL_SIZE,
            fontfamily=FONT,
            color=INK,
            labelpad=LABEL_PAD,
            linespacing=LINE_SPACING,
        )
    if y_label:
        axes.set_ylabel(
            y_label,
            labelpad=LABEL_PAD,
            fontsize=LABEL_SIZE,
            fontfamily=FONT,
            color=INK,
        )


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


def legend_columns(labels: Sequence[str], width_in: float) -> int:
    """As many columns as the longest label allows, so entries stay on one line each."""
    entry_in = max(text_width(label, TEXT_SIZE) for label in labels) / 72 + LEGEND_HANDLE_IN
    return max(1, min(len(labels), int(width_in // entry_in)))


def legend_rows(labels: Sequence[str], width_in: float) -> int:
    return -(-len(labels) // legend_columns(labels, width_in))


LEGEND_WIDTH_IN = WIDTH_IN - 2 * PAD_IN


def legend_above(axes: Axes, handles: Sequence[Artist]) -> None:
    """The legend between the title and the plot, from the figure's left edge like the
    title: where a tall chart's reader starts."""
    labels = [str(handle.get_label()) for handle in handles]
    figure = axes.get_figure()
    assert isinstance(figure, Figure)
    axes.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(PAD_IN / WIDTH_IN, axes.get_position().y1),
        bbox_transform=figure.transFigure,
        ncols=legend_columns(labels, LEGEND_WIDTH_IN),
        **_LEGEND,
    )


def legend_below(figure: Figure, handles: Sequence[Artist], columns: int) -> None:
    """The legend at the bottom left of the figure, under the axis label."""
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(PAD_IN / WIDTH_IN, PAD_IN / 2 / figure.get_figheight()),
        ncols=columns,
        **_LEGEND,
    )


_LEGEND: dict[str, Any] = {
    "frameon": False,
    "prop": {"family": FONT, "size": TEXT_SIZE},
    "labelcolor": INK,
    "handlelength": 2.6,
    "columnspacing": 1.2,
    "borderaxespad": 0.2,
    "borderpad": 0.2,
}


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes: identical input gives identical bytes (no timestamp, no
    version in the metadata).

    zlib's fastest level: on these pictures (flat colours, anti-aliased text) it makes a
    file within a few per cent of the default level's in about half the time, and Telegram
    re-encodes a photo anyway.
    """
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        facecolor="white",
        metadata={"Software": None},
        pil_kwargs={"compress_level": 1},
    )
    return buffer.getvalue()
