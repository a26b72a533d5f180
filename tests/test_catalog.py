"""The indicator catalog: the shipped file, and how a broken one is reported."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.indicators.catalog import DEFAULT_CATALOG, CatalogError, Kind, load_catalog


def test_the_shipped_catalog_has_seed_001s_eighteen_indicators_in_four_campaigns() -> None:
    catalog = load_catalog()
    assert len(catalog.indicators) == 18
    assert catalog.deadlines() == ["05-01", "05-02", "10-01", "on_schedule"]
    assert [len(catalog.campaign_indicators(d)) for d in catalog.deadlines()] == [1, 2, 14, 1]
    kinds = {indicator.kind for indicator in catalog.indicators}
    assert kinds >= {Kind.LINK, Kind.SHARE, Kind.COUNT_LIST, Kind.LEVEL_COUNTS, Kind.YES_NO}
    assert kinds >= {Kind.CHOICE, Kind.DOCUMENT}
    for indicator in catalog.indicators:
        assert indicator.title.ru and indicator.title.en and indicator.help.en
    assert catalog.indicator("first_category").due(2026) == date(2026, 10, 1)
    assert catalog.indicator("assessment_results").due(2026) is None


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
