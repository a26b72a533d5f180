"""``python -m bot roadmap report``: the execution report written from the command line and
read back with openpyxl, for the region and for one municipality."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from storage.execution import NewConfirmation
from storage.schools import SchoolData
from tests.command_line import run
from tests.harness import open_repo
from tests.test_cli_roadmap import write_book


def table(path: Path) -> list[dict[str, object]]:
    rows = list(load_workbook(path)["Исполнение"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Дорожная карта")
    return [dict(zip(rows[header], row, strict=True)) for row in rows[header + 1 :]]


async def confirm_some(path: Path) -> None:
    db, repo = await open_repo(path)
    try:
        kazan, _ = await repo.schools.upsert(SchoolData("МБОУ «Казанская СОШ»", "Ливенский район"))
        await repo.schools.upsert(SchoolData("МБОУ «Верховская СОШ»", "Верховский район"))
        plan = {event.number: event for event in await repo.calendar.events()}
        await repo.execution.confirm(
            NewConfirmation(
                event_id=plan["1"].id,
                due_on=date(2026, 1, 31),
                status="done",
                person_id=None,
                school_id=kazan.id,
                evidence="приказ № 5 от 20.01.2026",
            )
        )
    finally:
        await db.close()


def test_the_report_shows_what_was_confirmed_and_opens_in_openpyxl(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_book(
        tmp_path / "plan.xlsx",
        [
            ["Дорожная карта на 2026 год"],
            ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
            ["1", "Приказ о рабочей группе", "январь", "ОО", "Приказ"],
            ["2", "Совещание", "февраль", "УО", "Протокол"],
        ],
    )
    assert run(["roadmap", "import", str(book)], capsys)[0] == 0
    asyncio.run(confirm_some(db_path))

    code, out, err = run(["roadmap", "report", "--year", "2026", "--out", "r.xlsx"], capsys)
    assert (code, err) == (0, "")
    assert "r.xlsx" in out
    rows = {(row["№ п/п"], row["Исполнитель"]): row for row in table(tmp_path / "r.xlsx")}
    done = rows[("1", "МБОУ «Казанская СОШ»")]
    assert done["Статус"] == "выполнено"
    assert done["Подтверждение (текст)"] == "приказ № 5 от 20.01.2026"
    assert rows[("1", "МБОУ «Верховская СОШ»")]["Статус"] == "просрочено, не подтверждено"
    assert {key for key in rows if key[0] == "2"} == {
        ("2", "Верховский район"),
        ("2", "Ливенский район"),
    }

    # one municipality: its own parts only
    code, _, _ = run(
        [
            "roadmap",
            "report",
            "--year",
            "2026",
            "--out",
            "m.xlsx",
            "--municipality",
            "Ливенский район",
        ],
        capsys,
    )
    assert code == 0
    parts = {row["Исполнитель"] for row in table(tmp_path / "m.xlsx")}
    assert parts == {"МБОУ «Казанская СОШ»", "Ливенский район"}

    code, _, err = run(["roadmap", "report", "--year", "2031", "--out", "n.xlsx"], capsys)
    assert code == 1 and "2031" in err
    assert not (tmp_path / "n.xlsx").exists()


def test_the_demo_region_has_carried_out_part_of_its_roadmap(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["demo-data"], capsys)[0] == 0
    year = str(date.today().year)
    assert run(["roadmap", "report", "--year", year, "--out", "demo.xlsx"], capsys)[0] == 0
    rows = table(tmp_path / "demo.xlsx")
    # (the roadmap is placed in the current school year: in early September nothing has
    # passed yet, so only what is there is checked)
    done = [row for row in rows if row["Статус"] == "выполнено"]
    assert all(row["Кто отметил"] and row["Подтверждение (текст)"] for row in done)
    # loaded again: the answers are not added twice
    assert run(["demo-data"], capsys)[0] == 0
    assert run(["roadmap", "report", "--year", year, "--out", "again.xlsx"], capsys)[0] == 0
    assert len(table(tmp_path / "again.xlsx")) == len(rows)
    assert [r["Статус"] for r in table(tmp_path / "again.xlsx")] == [r["Статус"] for r in rows]
