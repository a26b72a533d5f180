"""The assessment procedures' reports as plain rules and storage: the date a coordinator
types, the year's procedures with their campaigns, the reminder plan of a dated report,
and the date kept with who set it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.indicators.assessments import (
    DateRefused,
    due_with_weekday,
    procedure_reports,
    read_report_date,
    report_title,
)
from bot.indicators.catalog import load_catalog
from bot.settings import Settings
from scheduler.jobs import CampaignDue, due_tag, plan_jobs
from storage.db import Database
from storage.people import PersonData
from storage.repo import Repo
from tests.command_line import run

CATALOG = load_catalog()
MAY = date(2026, 5, 20)
HOURS = {"deadline": [10], "overdue": [10], "event": [10]}


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("15.06.2026", date(2026, 6, 15)),
        ("15.06", date(2026, 6, 15)),
        ("15.6.26", date(2026, 6, 15)),
        ("15 июня", date(2026, 6, 15)),
        ("  15 июня 2026 ", date(2026, 6, 15)),
        ("2026-06-15", date(2026, 6, 15)),
        ("до 15 июня", date(2026, 6, 15)),
        ("20.05.2026", MAY),  # today is still possible
    ],
)
def test_a_report_date_is_read_as_people_type_it(typed: str, due: date) -> None:
    assert read_report_date(typed, 2026, MAY) == due


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "Напишите дату, например 15.06.2026."),
        ("завтра", "«завтра» — не дата: напишите её, например 15.06.2026."),
        ("31.02.2026", "Такой даты нет: 31.02.2026."),
        ("июнь", "«июнь» — это период, а нужен один день, например 15.06.2026."),
        ("1-15 июня", "«1-15 июня» — это период, а нужен один день, например 15.06.2026."),
        (
            "1 июня, 15 июня",
            "«1 июня, 15 июня» — это период, а нужен один день, например 15.06.2026.",
        ),
        ("15.06.2027", "15.06.2027 — не 2026 год: справки 2026 года представляют в 2026 году."),
        ("19.05.2026", "19.05.2026 уже прошло: выберите день не раньше 20.05.2026."),
    ],
)
def test_a_wrong_report_date_is_refused_with_the_reason(typed: str, said: str) -> None:
    with pytest.raises(DateRefused) as refused:
        read_report_date(typed, 2026, MAY)
    assert refused.value.render("ru") == said


def test_a_date_is_said_back_with_its_weekday_and_the_report_by_its_procedure() -> None:
    assert due_with_weekday(date(2026, 6, 15), "ru") == "15 июня 2026 (понедельник)"
    assert due_with_weekday(date(2026, 6, 15), "en") == "15 June 2026 (Monday)"
    vpr = CATALOG.procedure("vpr")
    assert report_title("ru", vpr, 2026) == "Аналитическая справка: ВПР 2026"
    assert report_title("en", CATALOG.procedure("gia11"), 2026) == (
        "Analytical note: GIA-11 (EGE) 2026"
    )


async def test_the_date_is_stored_on_the_campaign_with_who_set_it(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate()
    repo = Repo(db)
    try:
        coordinator = await repo.people.create(PersonData("Сидорова Мария Ивановна"))
        # no campaign yet: setting the date creates it
        campaign, before = await repo.assessments.set_due(
            2026, "assessment:vpr", date(2026, 6, 15), coordinator.id
        )
        assert before is None and campaign.due_date == date(2026, 6, 15)
        assert (campaign.year, campaign.deadline_key) == (2026, "assessment:vpr")
        moved, before = await repo.assessments.set_due(
            2026, "assessment:vpr", date(2026, 6, 22), None
        )
        assert (moved.id, moved.due_date, before) == (
            campaign.id,
            date(2026, 6, 22),
            date(2026, 6, 15),
        )
        same, before = await repo.assessments.set_due(
            2026, "assessment:vpr", date(2026, 6, 22), None
        )
        assert before == same.due_date  # nothing changed, nothing recorded
        changes = await repo.assessments.changes(campaign.id)
        assert [(c.old_due, c.new_due, c.changed_by) for c in changes] == [
            (None, date(2026, 6, 15), coordinator.id),
            (date(2026, 6, 15), date(2026, 6, 22), None),
        ]
        # the year's campaigns, made as every screen makes them, keep the date
        deadlines = [(key, None) for key in CATALOG.deadlines() if key.startswith("assessment:")]
        await repo.submissions.ensure_campaigns(2026, deadlines)
        reports = procedure_reports(CATALOG, await repo.submissions.campaigns(2026), 2026)
        assert [(r.procedure.code, r.due) for r in reports] == [
            ("vpr", date(2026, 6, 22)),
            ("gia9", None),
            ("gia11", None),
            ("regional", None),
            ("international", None),
        ]
    finally:
        await db.close()


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_a_dated_report_is_reminded_like_any_campaign_and_a_moved_date_afresh() -> None:
    now = datetime(2026, 5, 25, 6, 0, tzinfo=UTC)
    undated = CampaignDue(9, 2026, "assessment:vpr", None)
    assert [job.id for job in plan_jobs([undated], [], HOURS, settings(), now)] == ["rebuild"]
    dated = CampaignDue(9, 2026, "assessment:vpr", date(2026, 6, 15))
    ids = {job.id for job in plan_jobs([dated], [], HOURS, settings(), now)}
    assert "deadline:2026:assessment:vpr:2026-06-15:d14@10" in ids
    assert "deadline:2026:assessment:vpr:2026-06-15:d0@10" in ids
    assert "overdue:2026:assessment:vpr:2026-06-15@10" in ids
    moved = CampaignDue(9, 2026, "assessment:vpr", date(2026, 6, 22))
    again = {job.id for job in plan_jobs([moved], [], HOURS, settings(), now)}
    assert "deadline:2026:assessment:vpr:2026-06-22:d14@10" in again and not ids & again - {
        "rebuild"
    }
    # a campaign due on its catalog date keeps the ids it always had
    assert due_tag("10-01", date(2026, 10, 1)) == ""
    assert due_tag("assessment:vpr", date(2026, 6, 15)) == ":2026-06-15"


def test_the_command_line_sets_a_date_says_it_back_and_lists_the_years_dates(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year = datetime.now(UTC).year + 1  # a year whose days have not passed
    code, out, _ = run(["assessment", "dates", "--year", str(year)], capsys)
    assert code == 0
    assert f"vpr\tАналитическая справка: ВПР {year}\tсрок не назначен" in out.splitlines()
    typed = ["assessment", "set-date", "--year", str(year), "--procedure", "vpr"]
    code, out, _ = run([*typed, "--date", f"15.06.{year}"], capsys)
    said = due_with_weekday(date(year, 6, 15), "ru")
    assert code == 0 and out.strip() == f"Срок «Аналитическая справка: ВПР {year}»: {said}."
    code, out, _ = run([*typed, "--date", f"{year}-06-22"], capsys)
    before = due_with_weekday(date(year, 6, 15), "ru")
    assert code == 0 and f"(был {before})" in out, out
    code, out, _ = run(["assessment", "dates", "--year", str(year)], capsys)
    assert (
        f"vpr\tАналитическая справка: ВПР {year}\t{due_with_weekday(date(year, 6, 22), 'ru')}"
        in out
    )
    # refused with the reason, nothing changed: a date that does not exist, an unknown procedure
    code, _, err = run([*typed, "--date", f"31.02.{year}"], capsys)
    assert code == 2 and f"Такой даты нет: 31.02.{year}." in err
    code, _, err = run(
        [
            "assessment",
            "set-date",
            "--year",
            str(year),
            "--procedure",
            "oge",
            "--date",
            f"15.06.{year}",
        ],
        capsys,
    )
    assert code == 2 and "oge" in err and "vpr, gia9, gia11" in err
