"""From the bot's records to what a chart draws: a school's values over the years with the
medians, schools side by side, and a campaign's progress by day. Plain Python: the
caller reads the records and passes translated labels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from bot.charts.data import (
    Comparison,
    DayCounts,
    History,
    Labels,
    Line,
    Progress,
    ProgressLabels,
    SchoolValue,
)
from bot.charts.stats import median
from bot.charts.values import is_percent, plotted_value

Answers = Sequence[tuple[int, int, Any]]  # (year, school id, stored answer)


def values_by_year(kind: str, answers: Answers) -> dict[int, dict[int, float]]:
    """year → school id → the plotted number (answers without one left out)."""
    found: dict[int, dict[int, float]] = defaultdict(dict)
    for year, school_id, value in answers:
        number = plotted_value(kind, value)
        if number is not None:
            found[year][school_id] = number
    return dict(found)


def history(
    kind: str,
    answers: Answers,
    school_id: int,
    municipality_of: Mapping[int, str],
    labels: Labels,
    locale: str,
    line_labels: tuple[str, str, str],
) -> History:
    """The school's values per year with its municipality's and the region's medians, over
    the years anyone answered (a year the school skipped is a gap)."""
    by_year = values_by_year(kind, answers)
    years = tuple(sorted(by_year))
    home = municipality_of.get(school_id)

    def municipal(year: int) -> float | None:
        return median(
            v
            for s, v in by_year[year].items()
            if home is not None and municipality_of.get(s) == home
        )

    return History(
        labels=labels,
        locale=locale,
        years=years,
        school=Line(line_labels[0], tuple(by_year[y].get(school_id) for y in years)),
        municipality=Line(line_labels[1], tuple(municipal(y) for y in years)),
        region=Line(line_labels[2], tuple(median(by_year[y].values()) for y in years)),
        percent=is_percent(kind),
    )


def comparison(
    kind: str,
    answers: Answers,
    year: int,
    schools: Iterable[tuple[int, str]],
    highlighted: int | None,
    labels: Labels,
    locale: str,
    median_label: str,
) -> Comparison:
    """``schools`` (id, name) side by side on the year's values, with the region's median
    (of every school that answered, not only those shown)."""
    year_values = values_by_year(kind, answers).get(year, {})
    return Comparison(
        labels=labels,
        locale=locale,
        schools=tuple(
            SchoolValue(name, year_values.get(school_id), school_id == highlighted)
            for school_id, name in schools
        ),
        region_median=median(year_values.values()),
        median_label=median_label,
        percent=is_percent(kind),
    )


def progress(
    timeline: Iterable[tuple[int, str, Any, str]],
    school_ids: Iterable[int],
    deadline: date,
    today: date,
    labels: Labels,
    locale: str,
    states: ProgressLabels,
    days_before: int = 30,
) -> Progress:
    """How many of ``school_ids`` had sent, had a draft, had not started, at the end of each
    day from ``days_before`` the deadline (or the first change, if earlier) to today.

    A school has started at its first change; it has sent while its latest status change
    says sent or accepted (a return makes it a draft again)."""
    wanted = set(school_ids)
    started: dict[int, date] = {}
    status_changes: dict[int, list[tuple[date, Any]]] = defaultdict(list)
    for school_id, field, new_value, changed_at in timeline:
        if school_id not in wanted:
            continue
        day = date.fromisoformat(changed_at[:10])
        started.setdefault(school_id, day)
        if field == "status":
            status_changes[school_id].append((day, new_value))
    first = min([deadline - timedelta(days=days_before), *started.values()])
    last = max(today, first)
    days = []
    day = first
    while day <= last:
        sent = draft = 0
        for school_id in wanted:
            if school_id not in started or started[school_id] > day:
                continue
            status = None
            for changed, value in status_changes[school_id]:
                if changed <= day:
                    status = value
            if status in ("submitted", "accepted"):
                sent += 1
            else:
                draft += 1
        days.append(DayCounts(day, sent, draft, len(wanted) - sent - draft))
        day += timedelta(days=1)
    return Progress(labels, locale, tuple(days), deadline, states)
