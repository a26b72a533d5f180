"""``python -m bot roadmap ...``: import, dry run (text and JSON), template and demo, in-process."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.command_line import run


def write_book(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Дорожная карта"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("roadmaps", "roadmap_events", "event_occurrences")
        )


def test_demo_workbook_dry_run_json_has_the_exact_shape(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["roadmap", "demo", "--out", "demo.xlsx"], capsys)
    assert code == 0 and "demo.xlsx" in out
    code, out, err = run(["roadmap", "import", "demo.xlsx", "--dry-run", "--json"], capsys)
    assert (code, err) == (0, "")
    rows = json.loads(out)  # nothing but the JSON on stdout
    assert len(rows) == 33
    for row in rows:
        assert list(row) == ["row", "title", "period", "kind", "occurrences"]
        assert isinstance(row["row"], int) and row["kind"] in (
            "range",
            "ranges",
            "recurring",
            "deadline",
            "no_fixed_date",
        )
        assert all(list(span) == ["start", "end"] for span in row["occurrences"])
    by_period = {row["period"]: row for row in rows}
    assert by_period["март - апрель"]["occurrences"] == [
        {"start": "2018-03-01", "end": "2018-04-30"}
    ]
    assert by_period["июнь, август"] == {
        "row": by_period["июнь, август"]["row"],
        "title": by_period["июнь, август"]["title"],
        "period": "июнь, август",
        "kind": "ranges",
        "occurrences": [
            {"start": "2018-06-01", "end": "2018-06-30"},
            {"start": "2018-08-01", "end": "2018-08-31"},
        ],
    }
    assert by_period["по отдельному графику"]["kind"] == "no_fixed_date"
    assert by_period["по отдельному графику"]["occurrences"] == []
    assert rows[0]["row"] == 4 and rows[0]["title"].startswith("Внесение корректив")
    assert "\u00ab" in out  # ensure_ascii=False: «» and Cyrillic as they are
    assert '\n  {\n    "row": 4,' in out  # indent=2
    assert not db_path.exists()


def test_dry_run_text_shows_every_row_and_writes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_book(
        tmp_path / "plan.xlsx",
        [
            ["План мероприятий на 2025 год"],
            ["№", "Мероприятие", "Сроки", "Ответственные"],
            [1, "Семинар для директоров школ", "март - ап-\nрель", "Руководители ОО"],
            [2, "Совещание", "когда получится", "Управление образования"],
        ],
    )
    assert run(["migrate"], capsys)[0] == 0
    before = db_path.read_bytes()
    code, out, _ = run(["roadmap", "import", str(book), "--dry-run"], capsys)
    assert code == 0
    assert "Пробный прогон: ничего не записано." in out
    assert (
        "Строка 3: Семинар для директоров школ — «март - апрель» → период: 01.03.2025 – 30.04.2025"
        in out
    )
    assert "Строка 4: Совещание — «когда получится» → не прочитан: не понятно слово «когда»" in out
    assert db_path.read_bytes() == before
    assert counts(db_path) == (0, 0, 0)


def test_from_to_expand_recurrences_over_the_years_given(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_book(
        tmp_path / "plan.xlsx",
        [
            ["Мероприятие", "Сроки исполнения"],
            ["Отчёт", "ежегодно"],
            ["Совещание", "1 раз в квартал"],
            ["Мониторинг", "Сентябрь, ежегодно"],
        ],
    )
    argv = ["roadmap", "import", str(book), "--dry-run", "--json"]
    code, out, _ = run([*argv, "--from", "2019-01-01", "--to", "2021-12-31"], capsys)
    assert code == 0
    yearly, quarterly, september = json.loads(out)
    assert yearly["kind"] == "recurring"
    assert yearly["occurrences"] == [
        {"start": f"{year}-01-01", "end": f"{year}-12-31"} for year in (2019, 2020, 2021)
    ]
    assert len(quarterly["occurrences"]) == 12
    assert quarterly["occurrences"][-1] == {"start": "2021-10-01", "end": "2021-12-31"}
    assert [span["start"] for span in september["occurrences"]] == [
        "2019-09-01",
        "2020-09-01",
        "2021-09-01",
    ]


def test_import_prints_a_summary_and_a_reimport_replaces(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_book(
        tmp_path / "plan.xlsx",
        [
            ["Дорожная карта на 2024 год"],
            ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
            ["I. Организация"],
            ["1", "Приказ", "январь", "Управление образования", "Приказ"],
            ["2", "Семинары", "апрель, май", "Кураторы", "Семинары"],
            ["3", "Совещание директоров", "когда получится", "Руководители ОО", ""],
        ],
    )
    code, out, err = run(["roadmap", "import", str(book)], capsys)
    assert (code, err) == (0, "")
    assert "3 мероприятия, 1 раздел." in out
    assert "период: 1; несколько периодов: 1; не прочитан: 1." in out
    assert "Строка 6: Совещание директоров — «когда получится»:" in out
    assert counts(db_path) == (1, 3, 3)
    code, out, _ = run(["roadmap", "import", str(book)], capsys)
    assert code == 0
    assert counts(db_path) == (1, 3, 3)


def test_a_file_without_a_period_column_exits_2_and_writes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_book(
        tmp_path / "plan.xlsx", [["№", "Мероприятие", "Ответственные"], [1, "Семинар", "ИРО"]]
    )
    for extra in ([], ["--dry-run"], ["--dry-run", "--json"]):
        code, out, err = run(["roadmap", "import", str(book), *extra], capsys)
        assert (code, out) == (2, "")
        assert err.count("\n") == 1 and "нет столбца со сроками" in err
    code, _, err = run(["roadmap", "import", str(tmp_path / "nothing.xlsx")], capsys)
    assert code == 2 and err.count("\n") == 1
    assert not db_path.exists()


def test_template_is_a_table_the_import_recognises(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["roadmap", "template", "--out", "template.xlsx"], capsys)
    assert code == 0 and "template.xlsx" in out
    sheet = load_workbook(tmp_path / "template.xlsx").active
    assert sheet is not None
    assert [cell.value for cell in sheet[3]] == [
        "№ п/п",
        "Мероприятие",
        "Сроки",
        "Ответственные",
        "Ожидаемый результат",
    ]
    sheet.append(["2", "Педсовет", "август", "Руководители ОО", "Протокол"])
    sheet.parent.save(tmp_path / "filled.xlsx")
    code, out, _ = run(["roadmap", "import", "filled.xlsx", "--dry-run", "--json"], capsys)
    assert code == 0
    [row] = json.loads(out)  # the example row is not imported
    assert (row["title"], row["kind"]) == ("Педсовет", "range")


def test_json_without_dry_run_is_a_usage_error(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_book(tmp_path / "plan.xlsx", [["Мероприятие", "Сроки"], ["Семинар", "май"]])
    code, _, err = run(["roadmap", "import", str(book), "--json"], capsys)
    assert code == 2 and "--dry-run" in err
    assert not db_path.exists()
