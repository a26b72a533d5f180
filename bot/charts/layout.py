"""Where things sit: the plot placed by margins computed from the texts around it (title,
legends, ticks, names), the title and legends placed, texts measured and wrapped.

No layout engine: constrained layout lays every text out again on each of its passes
and makes ``savefig`` draw the figure twice; the margins here cost a few character
widths, measured once per character and font.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from bot.charts.style import (
    DPI,
    FONT,
    INK,
    LABEL_PAD,
    LABEL_SIZE,
    LEGEND,
    LEGEND_HANDLE_IN,
    LINE_SPACING,
    PAD_IN,
    TEXT_SIZE,
    TICK_LENGTH,
    TICK_PAD,
    TITLE_SIZE,
    WIDTH_IN,
    style_axes,
)

LEGEND_WIDTH_IN = WIDTH_IN - 2 * PAD_IN


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
    height = round(height_in * DPI) / DPI
    plot_height = height - margins.top - margins.bottom
    plot_width = WIDTH_IN - margins.left - margins.right
    if plot_height <= 0 or plot_width <= 0:
        raise ValueError(f"no room for the plot in {WIDTH_IN} × {height} in with {margins}")
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_axes(
        (
            margins.left / WIDTH_IN,
            margins.bottom / height,
            plot_width / WIDTH_IN,
            plot_height / height,
        )
    )
    style_axes(axes)
    return figure, axes


def lines_in(size: float, lines: int) -> float:
    """The height of ``lines`` lines of text at this size, in inches."""
    return lines * size * LINE_SPACING / 72


def title_in(title: str) -> float:
    """The title's height with the padding above and below it."""
    return PAD_IN + lines_in(TITLE_SIZE, title_lines(title)) + PAD_IN


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
    """The text broken at spaces into lines that fit the width at this size (never at a
    no-break space: «41,2 %» stays whole)."""
    limit = width_in * 72
    lines: list[str] = []
    for word in re.split(r"[ \t\n]+", text.strip(" \t\n")):
        if not word:
            continue
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


@dataclass(frozen=True)
class LegendLayout:
    """A legend's labels, wrapped when one would not fit the width, its columns and height."""

    labels: list[str]
    columns: int
    height_in: float


def legend_layout(labels: Sequence[str]) -> LegendLayout:
    """As many columns as the longest label allows (entries on one line each); in one
    column, a label too long for the width is wrapped."""
    if not labels:
        return LegendLayout([], 1, 0.0)
    entry_in = max(text_width(label, TEXT_SIZE) for label in labels) / 72 + LEGEND_HANDLE_IN
    columns = max(1, min(len(labels), int(LEGEND_WIDTH_IN // entry_in)))
    if columns > 1:
        wrapped, lines = list(labels), -(-len(labels) // columns)
    else:
        wrapped = [wrap(label, TEXT_SIZE, LEGEND_WIDTH_IN - LEGEND_HANDLE_IN) for label in labels]
        lines = sum(line_count(label) for label in wrapped)
    rows = -(-len(labels) // columns)
    # a row is a line and half a line of spacing; wrapped lines add a line each
    height = (rows * 1.7 + (lines - rows) * LINE_SPACING) * TEXT_SIZE / 72 + 0.12
    return LegendLayout(wrapped, columns, height)


def legend_above(axes: Axes, handles: Sequence[Artist], legend: LegendLayout) -> None:
    """The legend between the title and the plot, from the figure's left edge like the
    title: where a tall chart's reader starts."""
    figure = axes.get_figure()
    assert isinstance(figure, Figure)
    axes.legend(
        handles=handles,
        labels=legend.labels,
        loc="lower left",
        bbox_to_anchor=(PAD_IN / WIDTH_IN, axes.get_position().y1),
        bbox_transform=figure.transFigure,
        ncols=legend.columns,
        **LEGEND,
    )


def legend_below(figure: Figure, handles: Sequence[Artist], legend: LegendLayout) -> None:
    """The legend at the bottom left of the figure, under the axis label."""
    figure.legend(
        handles=handles,
        labels=legend.labels,
        loc="lower left",
        bbox_to_anchor=(PAD_IN / WIDTH_IN, PAD_IN / 2 / figure.get_figheight()),
        ncols=legend.columns,
        **LEGEND,
    )
