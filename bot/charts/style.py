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
from collections.abc import Callable, Sequence
from functools import lru_cache

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.charts import formats

FONT = "DejaVu Sans"  # ships with matplotlib and has Cyrillic
DPI = 150
WIDTH_IN = 7.2  # 1080 px
WIDTH_PX = round(WIDTH_IN * DPI)

TITLE_SIZE = 18
LABEL_SIZE = 15
TEXT_SIZE = 14  # ticks, legend, value labels: the smallest text on a chart

INK = "#1a1a1a"
GRID = "#d0d0d0"
# Three lightness levels (grey 0.27, 0.49, 0.74 by luma), each with its own pattern.
DARK = "#1b4f8a"
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


def new_figure(height_in: float) -> tuple[Figure, Axes]:
    """A white 1080 px wide figure of whole pixels' height, with one styled axes."""
    height_px = max(round(height_in * DPI), 300)
    figure = Figure(
        figsize=(WIDTH_IN, height_px / DPI), dpi=DPI, facecolor="white", layout="constrained"
    )
    FigureCanvasAgg(figure)
    figure.get_layout_engine().set(w_pad=8 / 72, h_pad=8 / 72)
    axes = figure.add_subplot()
    axes.set_facecolor("white")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(INK)
    axes.tick_params(labelsize=TEXT_SIZE, labelfontfamily=FONT, colors=INK, length=4, width=1)
    axes.set_axisbelow(True)
    return figure, axes


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
    figure.suptitle(
        wrap(title, TITLE_SIZE, bold=True),
        x=0.02,
        ha="left",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        fontfamily=FONT,
        color=INK,
    )


def set_axis_labels(axes: Axes, x_label: str, y_label: str, height_in: float) -> None:
    if x_label:
        axes.set_xlabel(wrap(x_label, LABEL_SIZE), fontsize=LABEL_SIZE, fontfamily=FONT, color=INK)
    if y_label:
        axes.set_ylabel(
            wrap(y_label, LABEL_SIZE, height_in * 0.8),
            fontsize=LABEL_SIZE,
            fontfamily=FONT,
            color=INK,
        )


def value_axis(axis_name: str, axes: Axes, locale: str, percent: bool, top: float) -> None:
    """Ticks of a value axis in the locale's numbers («20 %»), none above 100 % for a share."""
    axis = axes.xaxis if axis_name == "x" else axes.yaxis
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=not percent))
    axis.set_major_formatter(FuncFormatter(_tick_formatter(locale, percent)))
    getattr(axes, f"set_{axis_name}lim")(0, top)
    axes.grid(True, axis=axis_name, color=GRID, linewidth=1)


def _tick_formatter(locale: str, percent: bool) -> Callable[[float, int | None], str]:
    def tick(value: float, _position: int | None = None) -> str:
        if percent and value > 100.0001:
            return ""
        return formats.percent(value, locale) if percent else formats.number(value, locale)

    return tick


def value_top(values: list[float], percent: bool, headroom: float) -> float:
    """The axis' end: room above (or beside) the largest value for its label."""
    largest = max(values, default=0.0)
    if largest <= 0:
        return 10.0 if percent else 1.0
    return largest * headroom


def legend_columns(labels: list[str], width_in: float = WIDTH_IN - 0.4) -> int:
    """As many columns as the longest label allows, so entries stay on one line each."""
    entry_in = max(len(label) for label in labels) * TEXT_SIZE * 0.6 / 72 + 0.9
    return max(1, min(len(labels), int(width_in // entry_in)))


def legend_above(axes: Axes, handles: Sequence[Artist]) -> None:
    """The legend between the title and the plot, where a tall chart's reader starts."""
    labels = [str(handle.get_label()) for handle in handles]
    axes.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        borderaxespad=0.4,
        frameon=False,
        prop={"family": FONT, "size": TEXT_SIZE},
        labelcolor=INK,
        ncols=legend_columns(labels),
        handlelength=2.6,
        columnspacing=1.2,
    )


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes: identical input gives identical bytes (no timestamp, no
    version in the metadata)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()
