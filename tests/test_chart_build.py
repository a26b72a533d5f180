"""From stored reports to what a chart draws: the school's line and the medians over the
years, the schools side by side with the one that asked highlighted, and a campaign's
progress by day (a returned report counts as a draft again)."""

from __future__ import annotations

from datetime import date

from bot.charts import build
from bot.charts.data import Labels, ProgressLabels

LABELS = Labels("t")
LINES = ("Казанская СОШ", "медиана по муниципалитету", "медиана по региону")


def share(percent: float) -> dict:
    return {"percent": percent, "count": 1, "base": 1}


def test_history_has_the_school_its_municipality_and_the_region_per_year() -> None:
    answers = [
        (2023, 1, share(20.0)),
        (2023, 2, share(30.0)),
        (2023, 3, share(50.0)),
        (2024, 2, share(40.0)),  # school 1 did not report in 2024: a gap, not a zero
        (2024, 3, share(60.0)),
        (2025, 1, share(25.0)),
        (2025, 4, {"percent": None}),  # no number: left out
    ]
    municipality = {1: "район", 2: "район", 3: "город", 4: "город"}
    history = build.history("share", answers, 1, municipality, LABELS, "ru", LINES)
    assert history.years == (2023, 2024, 2025)
    assert history.school.values == (20.0, None, 25.0)
    assert history.municipality.values == (25.0, 40.0, 25.0)
    assert history.region.values == (30.0, 50.0, 25.0)
    assert history.percent


def test_comparison_shows_the_chosen_schools_against_the_whole_regions_median() -> None:
    answers = [(2025, 1, share(10.0)), (2025, 2, share(30.0)), (2025, 3, share(80.0))]
    shown = [(1, "Казанская"), (2, "Сосновская"), (5, "Крутовская")]
    data = build.comparison("share", answers, 2025, shown, 2, LABELS, "ru", "медиана")
    assert [(s.name, s.value, s.highlighted) for s in data.schools] == [
        ("Казанская", 10.0, False),
        ("Сосновская", 30.0, True),
        ("Крутовская", None, False),
    ]
    assert data.region_median == 30.0  # school 3 counts for the median though not shown


def test_progress_counts_sent_draft_and_not_started_by_day() -> None:
    timeline = [
        (1, "first_category", share(10.0), "2026-09-28 08:00:00"),
        (1, "status", "submitted", "2026-09-29 10:00:00"),
        (2, "first_category", share(20.0), "2026-09-29 12:00:00"),
        (1, "status", "returned", "2026-10-01 09:00:00"),
        (9, "status", "submitted", "2026-09-29 10:00:00"),  # not among the schools asked
    ]
    labels = ProgressLabels("sent", "draft", "not started", "deadline")
    data = build.progress(
        timeline, [1, 2, 3], date(2026, 10, 1), date(2026, 10, 2), LABELS, "ru", labels, 3
    )
    by_day = {d.day: (d.submitted, d.draft, d.not_started) for d in data.days}
    assert min(by_day) == date(2026, 9, 28) and max(by_day) == date(2026, 10, 2)
    assert by_day[date(2026, 9, 28)] == (0, 1, 2)
    assert by_day[date(2026, 9, 29)] == (1, 1, 1)
    assert by_day[date(2026, 10, 1)] == (0, 2, 1)
    assert by_day[date(2026, 10, 2)] == (0, 2, 1)
