"""Chart 3: a campaign's submissions by day, up to the deadline and after.

Stacked areas from the bottom: submitted (dark, plain), draft (middle, hatched «//»),
not started (pale, dotted); a vertical line marks the deadline, named in the legend with
its date. The legend gives each state's count on the last day.
"""

from __future__ import annotations

from datetime import date

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from bot.charts import formats, layout, style
from bot.charts.data import NoData, Progress

PLOT_IN = 4.6  # the plot's own height, without the texts around it
RIGHT_IN = 0.4  # half a day's label
HEADROOM = 1.08
BANDS = (  # (field, colour, hatch), bottom up
    ("submitted", style.DARK, ""),
    ("draft", style.MIDDLE, "//"),
    ("not_started", style.PALE, ".."),
)
DEADLINE_DASHES = (0, (5, 3))


def draw_progress(data: Progress) -> Figure:
    """The chart's figure; :class:`NoData` if there are no days or no schools in them."""
    days = sorted(data.days, key=lambda d: d.day)
    if not days or all(d.submitted + d.draft + d.not_started == 0 for d in days):
        raise NoData("no schools in the campaign's days")
    totals = [d.submitted + d.draft + d.not_started for d in days]
    top = style.value_top(totals, False, HEADROOM)
    ticks = style.value_ticks(data.locale, False, top)
    # the legend gives each state's count on the last day
    legend = [f"{getattr(data.states, f)}: {getattr(days[-1], f)}" for f, _, _ in BANDS]
    legend.append(f"{data.states.deadline}: {formats.day_text(data.deadline, data.locale)}")
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
    xs = [d.day.toordinal() for d in days]
    if len(days) == 1:  # one day is a band half a day each side, not an invisible line
        xs = [xs[0] - 0.5, xs[0] + 0.5]
        days = days * 2
    bottom = [0] * len(days)
    handles: list[Artist] = []
    for (field, colour, hatch), label in zip(BANDS, legend, strict=False):
        band_top = [b + getattr(d, field) for b, d in zip(bottom, days, strict=True)]
        axes.fill_between(
            xs,
            bottom,
            band_top,
            facecolor=colour,
            edgecolor=style.INK,
            hatch=hatch,
            linewidth=0,
            zorder=1,
        )
        axes.plot(xs, band_top, color=style.INK, linewidth=1.2, zorder=2)
        handles.append(
            Patch(facecolor=colour, edgecolor=style.INK, hatch=hatch, linewidth=1, label=label)
        )
        bottom = band_top
    deadline_x = data.deadline.toordinal()
    axes.axvline(deadline_x, color=style.INK, linewidth=2.4, linestyle=DEADLINE_DASHES, zorder=3)
    handles.append(
        Line2D([], [], color=style.INK, linewidth=2.4, linestyle=DEADLINE_DASHES, label=legend[-1])
    )
    start, end = min(xs[0], deadline_x), max(xs[-1], deadline_x)
    pad = max((end - start) * 0.02, 0.5)
    axes.set_xlim(start - pad, end + pad)
    day_marks = day_ticks(start, end, deadline_x)
    axes.set_xticks(
        day_marks, labels=[formats.day_text(date.fromordinal(x), data.locale) for x in day_marks]
    )
    style.value_axis("y", axes, ticks, top)
    layout.legend_below(figure, handles, legend_layout)
    layout.set_axis_labels(axes, data.labels.x_label, data.labels.y_label)
    return figure


def day_ticks(start: float, end: float, deadline: int, most: int = 5) -> list[int]:
    """Day numbers for the axis: the deadline always, and round steps of days away from
    it, none close enough to the deadline for their labels to collide."""
    steps = MaxNLocator(nbins=most, integer=True, steps=[1, 2, 5, 7, 10]).tick_values(start, end)
    step = int(steps[1] - steps[0]) if len(steps) > 1 else 1
    ticks = {deadline}
    for direction in (-1, 1):
        day = deadline + direction * step
        while start <= day <= end:
            ticks.add(day)
            day += direction * step
    return sorted(ticks)
