"""The indicator catalog: the shipped file, and how a broken one is reported."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.indicators.catalog import DEFAULT_CATALOG, CatalogError, Kind, load_catalog


def test_the_shipped_catalog_has_seed_001s_indicators_and_a_report_per_procedure() -> None:
    catalog = load_catalog()
    asked = [indicator for indicator in catalog.indicators if not indicator.retired]
    assert len(asked) == 17 + 5  # seed 001's 17 with dates, and one note per procedure
    procedures = ["vpr", "gia9", "gia11", "regional", "international"]
    assert [p.code for p in catalog.procedures] == procedures
    assert catalog.deadlines() == ["05-01", "05-02", "10-01"] + [
        f"assessment:{code}" for code in procedures
    ]
    assert [len(catalog.campaign_indicators(d)) for d in catalog.deadlines()] == [1, 2, 14] + [
        1
    ] * 5
    for code in procedures:
        (note,) = catalog.campaign_indicators(f"assessment:{code}")
        assert note.kind is Kind.DOCUMENT and note.required and note.due(2026) is None
        assert catalog.procedure_of(f"assessment:{code}") == catalog.procedure(code)
    assert catalog.procedure("gia9").short.ru == "ГИА-9 (ОГЭ)"
    assert "основного общего образования" in catalog.procedure("gia9").title.ru
    kinds = {indicator.kind for indicator in catalog.indicators}
    assert kinds >= {Kind.LINK, Kind.SHARE, Kind.COUNT_LIST, Kind.LEVEL_COUNTS, Kind.YES_NO}
    assert kinds >= {Kind.CHOICE, Kind.DOCUMENT}
    for indicator in catalog.indicators:
        assert indicator.title.ru and indicator.title.en and indicator.help.en
    assert catalog.indicator("first_category").due(2026) == date(2026, 10, 1)
    assert catalog.procedure_of("10-01") is None and catalog.procedure_of("assessment:x") is None


def test_the_earlier_single_note_is_kept_readable_but_no_longer_asked_for() -> None:
    catalog = load_catalog()
    earlier = catalog.indicator("assessment_results")
    assert earlier.retired and earlier.kind is Kind.DOCUMENT
    assert earlier.short.ru == "Аналитическая справка (прежняя форма)"
    assert "on_schedule" not in catalog.deadlines()
    assert catalog.retired_deadlines() == ["on_schedule"]
    assert catalog.all_deadlines()[-1] == "on_schedule"
    assert catalog.campaign_indicators("on_schedule") == [earlier]


def test_a_procedure_needs_a_known_code_an_undated_deadline_and_a_report(tmp_path: Path) -> None:
    path = broken(tmp_path, 'procedure = "gia9"', 'procedure = "oge"')
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "unknown procedure 'oge'" in error.value.problem
    path = broken(
        tmp_path,
        'deadline = "on_schedule"\nprocedure = "vpr"',
        'deadline = "06-15"\nprocedure = "vpr"',
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "on_schedule" in error.value.problem
    path = broken(tmp_path, 'procedure = "vpr"\n', "")
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "procedure vpr: no indicator reports it" in error.value.problem


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_CATALOG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "indicators.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


def test_an_unknown_kind_is_reported_with_its_line(tmp_path: Path) -> None:
    path = broken(
        tmp_path, 'code = "vacancies"\nkind = "count_list"', 'code = "vacancies"\nkind = "table"'
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert error.value.line == line_of(path, 'kind = "table"')
    assert "kind" in error.value.problem


def test_an_impossible_deadline_and_a_bad_reference_are_reported(tmp_path: Path) -> None:
    path = broken(tmp_path, 'deadline = "05-01"', 'deadline = "13-40"')
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert error.value.line is not None
    path = broken(tmp_path, 'base = "grade4"', 'base = "pupils"')
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "pupils" in error.value.problem


def test_a_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, 'code = "local_acts"', 'code = "local_acts')
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert error.value.line == line_of(path, 'code = "local_acts')


def test_the_bot_refuses_to_start_with_a_broken_catalog(tmp_path: Path) -> None:
    path = broken(tmp_path, 'kind = "yes_no"', 'kind = "maybe"')
    env = {
        **os.environ,
        "BOT_TOKEN": "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "BOT_API_BASE": "http://127.0.0.1:9",
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "INDICATORS_PATH": str(path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot"], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    line = line_of(path, 'kind = "maybe"')
    assert f"строка {line}" in done.stderr  # in the administrator's language (ru by default)
    assert "indicators.toml" in done.stderr
