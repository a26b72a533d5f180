"""Reports stored before the catalog was made true to seed 001 (a base of teachers for the
optimal load, school years named, the federal projects of 2025) still open, export and
import as they were written: a past year's accepted report, and a draft of the current
campaign left open across the upgrade."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.indicators.answers.cross_checks import cross_check
from bot.indicators.answers.messages import CROSS_BASE_CHANGED
from bot.indicators.catalog import load_catalog
from bot.indicators.form import carried_over, first_unanswered, form_steps
from bot.indicators.workbook.export import export_submissions
from bot.indicators.workbook.reading import import_submissions
from bot.texts import answer_lines
from storage.db import Database
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData
from tests.harness import (
    SEPTEMBER,
    answer,
    bot_under_test,
    buttons,
    open_october,
    press,
    principal_of_new_school,
)

ZONE = ZoneInfo("Europe/Moscow")
CATALOG = load_catalog()
SCHOOL = SchoolData(
    "МБОУ «Казанская средняя общеобразовательная школа»",
    "Ливенский район",
    "Казанская СОШ",
    True,
    False,
    "5715018478",
)

# what the catalog before the change stored: the optimal load of all the teaching staff,
# the federal projects of the national project «Образование», no base of subject teachers
OLD_BASES = {"teachers": 40, "managers_and_teachers": 44, "grade4": 27}
OLD_ANSWERS: dict[str, Any] = {
    "optimal_load": {"percent": 20.0, "count": 8, "base": 40},
    "federal_projects": {
        "options": ["tochka_rosta", "digital_school", "modern_school"],
        "other": "Кванториум",
    },
    "grade4_mastered": {"percent": 100 * 25 / 27, "count": 25, "base": 27},
    "young_teachers": {"percent": 25.0},
}

# the rest of the October form, answered before the change
OTHER_OCTOBER_ANSWERS: dict[str, Any] = {
    "first_category": {"percent": 30.0},
    "highest_category": {"percent": 20.0},
    "vacancies": {"count": 0, "items": []},
    "three_subjects": {"percent": 5.0},
    "trained_three_years": {"percent": 60.0},
    "federal_register_training": {"percent": 30.0},
    "raised_qualification": {"percent": 40.0},
    "regional_events": {"percent": 20.0},
    "contest_winners": {"federal": 0, "regional": 1, "municipal": 2},
    "university_agreements": {"yes": True},
}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def open_repo(path: Path, clock: Clock) -> Repo:
    db = await Database.open(path, clock=clock)
    await db.migrate()
    repo = Repo(db)
    await repo.schools.upsert(SCHOOL)
    return repo


async def store_old_report(repo: Repo, year: int, *, accept: bool) -> int:
    """The October report of ``year`` as the old catalog stored it; its submission id."""
    store = repo.submissions
    deadlines = [(k, CATALOG.campaign_indicators(k)[0].due(year)) for k in CATALOG.deadlines()]
    campaigns = {c.deadline_key: c for c in await store.ensure_campaigns(year, deadlines)}
    school = await repo.schools.find(SCHOOL)
    assert school is not None
    principal = await repo.people.create(PersonData(f"Иванова {year}"))
    form = await store.open(campaigns["10-01"].id, school.id, principal.id)
    for base, count in OLD_BASES.items():
        await store.save_base(form.id, base, count, principal.id, None)
    for code, value in OLD_ANSWERS.items():
        await store.save_answer(form.id, code, value, principal.id, None)
    if accept:
        sent = await store.submit(form.id, principal.id, None, late=False)
        await store.review(form.id, principal.id, True, None, sent.version)
    return form.id


def header_cells(sheet: Any) -> dict[str, Any]:
    codes = {cell.column: cell.value for cell in sheet[1] if cell.value}
    return {codes[cell.column]: cell for cell in sheet[2] if cell.column in codes}


def row_cells(sheet: Any) -> dict[str, Any]:
    codes = {cell.column: cell.value for cell in sheet[1] if cell.value}
    return {codes[cell.column]: cell.value for cell in sheet[3] if cell.column in codes}


async def test_an_old_report_opens_exports_and_imports(tmp_path: Path) -> None:
    clock = Clock(datetime(2025, 9, 20, 9, 0, tzinfo=UTC))
    repo = await open_repo(tmp_path / "bot.sqlite3", clock)
    try:
        submission_id = await store_old_report(repo, 2025, accept=True)
        clock.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

        # opens: the coordinator's card and the principal's review show it as stored
        submission = await repo.submissions.by_id(submission_id)
        campaign = await repo.submissions.campaign(submission.campaign_id)
        assert submission is not None and campaign is not None
        catalog = CATALOG.for_year(2025)
        answers = await repo.submissions.answers(submission_id)
        lines = "\n".join(
            answer_lines(catalog, form_steps(catalog, campaign), submission.bases, answers, "ru")
        )
        assert "Нагрузка 18–24 ч: <b>8 из 40 (20 %)</b>" in lines
        assert "«Цифровая образовательная среда» (нацпроект «Образование», 2019–2024)" in lines
        assert "«Современная школа» (нацпроект «Образование», 2019–2024), Кванториум" in lines
        assert "Общее количество учителей ОО: <b>—</b>" in lines  # not asked then
        assert "выпускников 4-х классов 2024/25 учебного года: <b>27</b>" in lines

        # exports: the answers as stored, the headers naming the year's school year
        data = await export_submissions(repo, CATALOG, 2025, "ru", ZONE)
        sheet = load_workbook(BytesIO(data))["Показатели 2025"]
        headers, cells = header_cells(sheet), row_cells(sheet)
        assert "2024/25" in headers["base:grade4"].value
        assert "2024/25" in headers["status:10-01"].value
        assert cells["optimal_load:of"] == "8 из 40"
        assert cells["base:subject_teachers"] is None
        assert cells["federal_projects"] == (
            "«Точка роста»; «Цифровая образовательная среда» (нацпроект «Образование»,"
            " 2019–2024); «Современная школа» (нацпроект «Образование», 2019–2024); Кванториум"
        )
        stored = await repo.submissions.answers_for_year(2025)
    finally:
        await repo.db.close()

    # imports: the export read back into a fresh database gives the same answers
    fresh = await open_repo(tmp_path / "fresh.sqlite3", clock)
    try:
        report = await import_submissions(fresh, CATALOG, data)
        assert report.counts["refused_cells"] == 0 and report.counts["refused_rows"] == 0
        assert list((await fresh.submissions.answers_for_year(2025)).values()) == list(
            stored.values()
        )
    finally:
        await fresh.db.close()


async def test_a_file_exported_before_the_change_is_read(tmp_path: Path) -> None:
    """The old option titles (no years in brackets) and the old base header, in a file
    whose hidden code row is lost (read by the headers people see)."""
    clock = Clock(datetime(2025, 9, 20, 9, 0, tzinfo=UTC))
    repo = await open_repo(tmp_path / "bot.sqlite3", clock)
    try:
        await store_old_report(repo, 2025, accept=True)
        clock.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        data = await export_submissions(repo, CATALOG, 2025, "ru", ZONE)
        stored = await repo.submissions.answers_for_year(2025)
    finally:
        await repo.db.close()
    book = load_workbook(BytesIO(data))
    sheet = book["Показатели 2025"]
    headers = header_cells(sheet)
    headers["base:grade4"].value = "Количество учащихся 4-х классов в текущем учебном году"
    column = headers["federal_projects"].column
    sheet.cell(
        3, column
    ).value = "«Точка роста»; «Цифровая образовательная среда»; «Современная школа»; Кванториум"
    sheet.delete_rows(1)
    out = BytesIO()
    book.save(out)

    fresh = await open_repo(tmp_path / "fresh.sqlite3", clock)
    try:
        report = await import_submissions(fresh, CATALOG, out.getvalue())
        assert report.counts["refused_cells"] == 0 and report.counts["refused_rows"] == 0
        assert "base:grade4" in report.rows[0].saved
        assert list((await fresh.submissions.answers_for_year(2025)).values()) == list(
            stored.values()
        )
    finally:
        await fresh.db.close()


async def test_a_draft_left_open_across_the_change(tmp_path: Path) -> None:
    """The new base is asked; the optimal load given of all the teaching staff is asked
    again once the teachers are known; last year's federal projects of 2019–2024 are not
    offered to keep, the other answers are."""
    clock = Clock(datetime(2025, 9, 20, 9, 0, tzinfo=UTC))
    repo = await open_repo(tmp_path / "bot.sqlite3", clock)
    try:
        await store_old_report(repo, 2025, accept=True)
        clock.now = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)
        draft_id = await store_old_report(repo, 2026, accept=False)
        draft = await repo.submissions.by_id(draft_id)
        campaign = await repo.submissions.campaign(draft.campaign_id)
        assert draft is not None and campaign is not None
        catalog = CATALOG.for_year(2026)
        steps = form_steps(catalog, campaign)
        answers = await repo.submissions.answers(draft_id)
        resumed = steps[first_unanswered(steps, draft.bases, answers)]
        assert (resumed.code, resumed.is_base) == ("subject_teachers", True)
        assert "2025/26" in catalog.base("grade4").title.get("ru")

        bases = {**draft.bases, "subject_teachers": 36}
        problems = cross_check(catalog, answers, bases)
        assert [(code, msg.msgid) for code, msg in problems] == [
            ("optimal_load", CROSS_BASE_CHANGED)
        ]

        previous = await repo.submissions.previous_answers(draft.school_id, "10-01", 2026)
        kept = carried_over(catalog, previous)
        assert "federal_projects" in previous and "federal_projects" not in kept
        assert kept["young_teachers"] == {"percent": 25.0}
    finally:
        await repo.db.close()


async def test_a_principal_finishes_a_draft_begun_before_the_change(tmp_path: Path) -> None:
    """Through the sandbox: the draft resumes at the new question (the teachers); the
    review then asks for the optimal load again, as a share of them, and shows the
    federal projects as they were chosen; once answered, the report can be sent."""
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        deadlines = [(k, CATALOG.campaign_indicators(k)[0].due(2026)) for k in CATALOG.deadlines()]
        campaigns = await env.repo.submissions.ensure_campaigns(2026, deadlines)
        october = next(c for c in campaigns if c.deadline_key == "10-01")
        draft = await env.repo.submissions.open(october.id, school, None)
        for base, count in OLD_BASES.items():
            await env.repo.submissions.save_base(draft.id, base, count, None, None)
        answers = {**OLD_ANSWERS, **OTHER_OCTOBER_ANSWERS}
        for code, value in answers.items():
            await env.repo.submissions.save_answer(draft.id, code, value, None, None)

        question = await open_october(env, user)
        assert "вопрос 2 из 18" in question["text"]
        assert "Общее количество учителей ОО" in question["text"]
        after = await answer(env, user, "36")
        assert "вопрос 3 из 18" in after["text"] and "Сейчас: 44" in after["text"]
        await env.say(user, "/cancel")
        review = await open_october(env, user)  # every question answered: the review
        assert "ваши ответы" in review["text"]
        assert "⚠️ Нагрузка 18–24 ч" in review["text"] and "36" in review["text"]
        assert "«Цифровая образовательная среда» (нацпроект «Образование»" in review["text"]
        assert "📤 Отправить" not in buttons(review)
        step = 1 + [s.key for s in form_steps(CATALOG, october)].index("optimal_load")
        await press(env, user, f"✏️ {step}")
        review = await answer(env, user, "8 из 36")
        assert "8 из 36 (22,2 %)" in review["text"] and "⚠️" not in review["text"]
        assert "📤 Отправить" in buttons(review)
