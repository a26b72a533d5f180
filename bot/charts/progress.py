"""Chart 3: a campaign's submissions by day, up to the deadline and after.

Stacked areas from the bottom: submitted (dark, plain), draft (middle, hatched «//»),
not started (pale, dotted); a vertical line marks the deadline, named in the legend with
its date. The legend gives each state's count on the last day.
"""

from __future__ import annotations

from datetime import date

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from bot.charts import formats, style
from bot.charts.data import NoData, Progress

HEIGHT_IN = 6.6
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
    title_lines = style.title_lines(data.labels.title)
    figure, axes = style.new_figure(HEIGHT_IN + 0.36 * (title_lines - 1))
    style.set_title(figure, data.labels.title)
    xs = [d.day.toordinal() for d in days]
    bottom = [0] * len(days)
    handles = []
    for field, colour, hatch in BANDS:
        top = [b + getattr(d, field) for b, d in zip(bottom, days, strict=True)]
        # the legend gives each state's count on the last day
        label = f"{getattr(data.states, field)}: {getattr(days[-1], field)}"
        axes.fill_between(
            xs,
            bottom,
            top,
            facecolor=colour,
            edgecolor=style.INK,
            hatch=hatch,
            linewidth=0,
            label=label,
            zorder=1,
        )
        axes.plot(xs, top, color=style.INK, linewidth=1.2, zorder=2)
        handles.append(
            Patch(facecolor=colour, edgecolor=style.INK, hatch=hatch, linewidth=1, label=label)
        )
        bottom = top
    deadline_x = data.deadline.toordinal()
    axes.axvline(deadline_x, color=style.INK, linewidth=2.4, linestyle=DEADLINE_DASHES, zorder=3)
    deadline_label = f"{data.states.deadline}: {formats.day_text(data.deadline, data.locale)}"
    handles.append(
        Line2D(
            [], [], color=style.INK, linewidth=2.4, linestyle=DEADLINE_DASHES, label=deadline_label
        )
    )
    start, end = min(xs[0], deadline_x), max(xs[-1], deadline_x)
    pad = max((end - start) * 0.02, 0.5)
    axes.set_xlim(start - pad, end + pad)
    ticks = day_ticks(start, end, deadline_x)
    axes.set_xticks(
        ticks, labels=[formats.day_text(date.fromordinal(x), data.locale) for x in ticks]
    )
    style.value_axis("y", axes, data.locale, False, style.value_top(bottom, False, HEADROOM))
    axes.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, -0.1 if not data.labels.x_label else -0.17),
        frameon=False,
        prop={"family": style.FONT, "size": style.TEXT_SIZE},
        labelcolor=style.INK,
        ncols=2,
        handlelength=2.4,
        columnspacing=1.2,
    )
    style.set_axis_labels(axes, data.labels.x_label, data.labels.y_label, figure.get_figheight())
    return figure


def day_ticks(start: int, end: int, deadline: int, most: int = 5) -> list[int]:
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
