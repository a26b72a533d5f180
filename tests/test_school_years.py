"""The catalog true to seed 001: the school year a question is about, named from the
campaign's deadline; the campaign's title with its school year and its last day, included;
the teachers the optimal load is a share of; the federal projects offered now."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.indicators.catalog import DEFAULT_CATALOG, CatalogError, load_catalog
from bot.indicators.school_years import SchoolYear, named_years, school_year_of
from bot.indicators.titles import campaign_name

CATALOG = load_catalog()


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_CATALOG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "indicators.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 5, 2), "2025/26"),
        (date(2026, 8, 31), "2025/26"),
        (date(2026, 9, 1), "2026/27"),
        (date(2026, 10, 1), "2026/27"),
        (date(2099, 12, 31), "2099/00"),
    ],
)
def test_a_school_year_runs_from_september_to_august(day: date, label: str) -> None:
    assert school_year_of(day).label == label


def test_a_report_due_in_october_is_about_the_school_year_just_ended() -> None:
    assert named_years(date(2026, 10, 1))["last_school_year"] == SchoolYear(2025)
    october = CATALOG.for_year(2026)
    assert october.indicator("grade4_mastered").title.get("ru") == (
        "Доля выпускников 4-х классов 2025/26 учебного года, освоивших ООП НОО"
    )
    assert october.base("grade4").title.get("ru") == (
        "Количество выпускников 4-х классов 2025/26 учебного года"
    )
    assert "2025/26" in october.indicator("grade4_mastered").help.get("en")
    # another year, another school year; the catalog as written is left alone
    assert "2026/27" in CATALOG.for_year(2027).base("grade4").title.get("en")
    assert "{last_school_year}" in CATALOG.base("grade4").title.ru
    # where no deadline is known, in words, never a placeholder
    assert "прошедшего учебного года" in CATALOG.base("grade4").title.get("ru")
    assert CATALOG.for_year(2026) is CATALOG.for_year(2026).for_year(2026)


@pytest.mark.parametrize(
    ("deadline", "locale", "title"),
    [
        ("10-01", "ru", "Показатели за 2025/26 уч. г. — до 1 октября 2026 включительно"),
        ("10-01", "en", "Indicators for 2025/26 — due by 1 October 2026 inclusive"),
        ("05-02", "ru", "Показатели — до 2 мая 2026 включительно"),
        ("on_schedule", "ru", "Результаты оценочных процедур 2026 (по графику)"),
    ],
)
def test_a_campaign_says_its_school_year_and_that_its_last_day_is_included(
    deadline: str, locale: str, title: str
) -> None:
    due = CATALOG.campaign_indicators(deadline)[0].due(2026)
    assert campaign_name(CATALOG, 2026, deadline, due, locale) == title


def test_the_optimal_load_is_a_share_of_the_teachers_not_of_all_the_teaching_staff() -> None:
    """Seed 001: «Доля педагогов от общего количества учителей, имеющих оптимальную
    учебную нагрузку»; the other shares of «педагогических работников» keep theirs."""
    assert CATALOG.indicator("optimal_load").base == "subject_teachers"
    assert CATALOG.base("subject_teachers").title.ru == "Общее количество учителей ОО"
    assert CATALOG.base("teachers").includes == "subject_teachers"
    for code in ("first_category", "highest_category", "young_teachers"):
        assert CATALOG.indicator(code).base == "teachers"


def test_the_federal_projects_offered_are_those_of_2025_with_their_sources() -> None:
    projects = CATALOG.indicator("federal_projects")
    offered = [CATALOG.option(code).title.ru for code in projects.options]
    assert "«Педагоги и наставники»" in offered and "«Точка роста»" in offered
    assert "«Современная школа»" not in " ".join(offered)
    assert all(CATALOG.option(code).source for code in projects.options)
    # the projects of the national project «Образование» are still read in answers
    assert "modern_school" in projects.readable_options
    assert "2019–2024" in CATALOG.option("modern_school").title.ru
    assert projects.allow_other


def test_an_unknown_placeholder_is_reported(tmp_path: Path) -> None:
    path = broken(tmp_path, "{last_school_year} учебного года, освоивших", "{year} учебного года")
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "unknown placeholder {year}" in error.value.problem


def test_a_base_naming_a_school_year_in_two_campaigns_is_reported(tmp_path: Path) -> None:
    """Its one number could not name the school year of both deadlines."""
    path = broken(
        tmp_path,
        'code = "grade4_mastered"\nkind = "share"\nbase = "grade4"\ndeadline = "10-01"',
        'code = "grade4_mastered"\nkind = "share"\nbase = "grade4"\ndeadline = "05-02"',
    )
    text = path.read_text(encoding="utf-8").replace(
        'code = "three_subjects"\nkind = "share"\nbase = "teachers"',
        'code = "three_subjects"\nkind = "share"\nbase = "grade4"',
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "base grade4 names a school year" in error.value.problem


def test_a_base_included_in_itself_and_an_unknown_earlier_option_are_reported(
    tmp_path: Path,
) -> None:
    path = broken(
        tmp_path,
        'code = "subject_teachers"\n',
        'code = "subject_teachers"\nincludes = "teachers"\n',
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "included in itself" in error.value.problem
    path = broken(tmp_path, '"teacher_of_the_future"]', '"school_of_tomorrow"]')
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "unknown option 'school_of_tomorrow'" in error.value.problem
