"""The indicators report in Excel: export a year, read it cell by cell, import it back."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.indicators.answers.reading import parse_answer
from bot.indicators.catalog import load_catalog
from bot.indicators.workbook.export import export_submissions
from bot.indicators.workbook.reading import (
    SubmissionImportError,
    SubmissionImportReport,
    import_submissions,
)
from storage.db import Database
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Europe/Moscow")
CATALOG = load_catalog()
YEAR = 2026

KAZANSKAYA = SchoolData(
    "МБОУ «Казанская средняя общеобразовательная школа»",
    "Ливенский район",
    "Казанская СОШ",
    True,
    False,
    "5715018478",
)
SOSNOVSKAYA = SchoolData(
    "МБОУ «Сосновская средняя общеобразовательная школа»",
    "Ливенский район",
    "Сосновская СОШ",
    False,
    True,
    "5715020318",
)
SCHOOL_2 = SchoolData(
    "МБОУ «Средняя общеобразовательная школа № 2» г. Ливны",
    "город Ливны",
    "СОШ № 2",
    False,
    True,
    "5702000001",
)
LYCEUM = SchoolData("МБОУ «Лицей № 4» г. Ливны", "город Ливны", "Лицей № 4", True, False)
SCHOOLS = (KAZANSKAYA, SOSNOVSKAYA, SCHOOL_2, LYCEUM)

# Kazanskaya's answers for 1 October, as a principal types them
OCTOBER = {
    "first_category": "12 из 40",
    "highest_category": "28",
    "young_teachers": "25 %",
    "vacancies": "2: учитель математики, учитель физики",
    "three_subjects": "10",
    "optimal_load": "8 из 36",  # of the teachers (учителя), not all the teaching staff
    "trained_three_years": "22 из 44",
    "federal_register_training": "10",
    "raised_qualification": "20,5",
    "regional_events": "50",
    "contest_winners": "0 1 3",
    "university_agreements": "да",
    "federal_projects": "Точка роста, Кванториум",
    "grade4_mastered": "25 из 27",
}
BASES = {"teachers": 40, "subject_teachers": 36, "managers_and_teachers": 44, "grade4": 27}
DOCUMENT = {
    "file_name": "справка ВПР 2026.pdf",
    "size": 123456,
    "mime_type": "application/pdf",
    "file_id": "BQACAgIAAxkBAAIBQ2Z",
}


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=UTC)


async def open_repo(path: Path, clock: FakeClock) -> Repo:
    db = await Database.open(path, clock=clock)
    await db.migrate()
    repo = Repo(db)
    for school in SCHOOLS:
        await repo.schools.upsert(school)
    return repo


def value(code: str, text: str, bases: dict[str, int] | None = None) -> dict[str, Any]:
    return parse_answer(CATALOG.indicator(code), text, CATALOG, bases or BASES)


async def school_id(repo: Repo, data: SchoolData) -> int:
    found = await repo.schools.find(data)
    assert found is not None
    return found.id


async def build_year(tmp_path: Path) -> tuple[Repo, FakeClock]:
    """Four schools in two municipalities, and 2026 as it went:

    Kazanskaya submits everything (1 October late, then corrects a share and is accepted);
    Sosnovskaya submits 1 October on time and is returned; СОШ № 2 has a draft; the
    lyceum has nothing.
    """
    clock = FakeClock(datetime(2026, 4, 20, 9, 0, tzinfo=UTC))
    repo = await open_repo(tmp_path / "bot.sqlite3", clock)
    store = repo.submissions
    principal = await repo.people.create(PersonData("Иванова Анна Петровна"))
    other = await repo.people.create(PersonData("Петров Пётр Петрович"))
    coordinator = await repo.people.create(PersonData("Сидорова Мария Ивановна"))
    deadlines = [
        (key, CATALOG.campaign_indicators(key)[0].due(YEAR)) for key in CATALOG.deadlines()
    ]
    campaigns = {c.deadline_key: c for c in await store.ensure_campaigns(YEAR, deadlines)}
    kazanskaya = await school_id(repo, KAZANSKAYA)
    sosnovskaya = await school_id(repo, SOSNOVSKAYA)
    school_2 = await school_id(repo, SCHOOL_2)

    # May: the links, on time
    may = {"05-01": ["local_acts"], "05-02": ["development_program", "quality_roadmap"]}
    for key, codes in may.items():
        form = await store.open(campaigns[key].id, kazanskaya, principal.id)
        for code in codes:
            url = f"https://kazan-school.ru/{code}"
            await store.save_answer(form.id, code, value(code, url), principal.id, None)
        await store.submit(form.id, principal.id, None, late=False)

    # September: Sosnovskaya submits on time, СОШ № 2 starts a draft
    clock.set(2026, 9, 25, 10, 0)
    form = await store.open(campaigns["10-01"].id, sosnovskaya, other.id)
    await store.save_base(form.id, "teachers", 30, other.id, None)
    await store.save_answer(form.id, "vacancies", value("vacancies", "0"), other.id, None)
    sent = await store.submit(form.id, other.id, None, late=False)
    await store.review(form.id, coordinator.id, False, "Уточните вакансии", sent.version)
    form = await store.open(campaigns["10-01"].id, school_2, None)
    await store.save_base(form.id, "teachers", 25, None, None)
    await store.save_answer(
        form.id, "young_teachers", value("young_teachers", "5 из 25", {"teachers": 25}), None, None
    )

    # 3 October: Kazanskaya submits 1 October late, then corrects a share
    clock.set(2026, 10, 3, 8, 15)
    form = await store.open(campaigns["10-01"].id, kazanskaya, principal.id)
    for base, count in BASES.items():
        await store.save_base(form.id, base, count, principal.id, None)
    for code, text in OCTOBER.items():
        await store.save_answer(form.id, code, value(code, text), principal.id, None)
    await store.submit(form.id, principal.id, None, late=True)
    clock.set(2026, 10, 4, 12, 30)
    corrected = await store.save_answer(
        form.id, "highest_category", value("highest_category", "30,5"), principal.id, None
    )
    await store.review(form.id, coordinator.id, True, None, corrected.version)
    form = await store.open(campaigns[CATALOG.deadlines()[-1]].id, kazanskaya, principal.id)
    await store.save_answer(form.id, "assessment_results", DOCUMENT, principal.id, None)
    await store.submit(form.id, principal.id, None, late=False)

    clock.set(2026, 10, 5, 9, 0)
    return repo, clock


def codes_of(sheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


def row_of(sheet: Worksheet, name: str) -> int:
    for row in sheet.iter_rows(min_row=3):
        if row[1].value == name:
            return row[0].row
    raise KeyError(name)


def workbook(data: bytes) -> Any:
    return load_workbook(BytesIO(data))


def saved(book: Any) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def exported(tmp_path: Path, locale: str = "en") -> tuple[Repo, bytes]:
    repo, _clock = await build_year(tmp_path)
    return repo, await export_submissions(repo, CATALOG, YEAR, locale, ZONE)


async def table_counts(repo: Repo) -> dict[str, int]:
    counts = {}
    for table in ("campaigns", "submissions", "answers", "submission_history"):
        row = await repo.db.fetch_one(f"SELECT count(*) FROM {table}")
        assert row is not None
        counts[table] = int(row[0])
    return counts


async def test_indicators_sheet_cell_by_cell(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    try:
        book = workbook(data)
        assert book.sheetnames == ["Indicators 2026", "Not sent", "Change history"]
        sheet = book["Indicators 2026"]
        col = codes_of(sheet)
        # the hidden code row, the header people read, frozen panes, filter
        assert sheet.row_dimensions[1].hidden
        assert sheet.freeze_panes == "C3"
        assert sheet.auto_filter.ref.startswith("A2:")
        assert [c.value for c in sheet[2]][:6] == [
            "Municipality",
            "School",
            "Short name",
            "INN",
            "Low results (ШНОР)",
            "Unfavourable conditions (ШССУ)",
        ]
        header = {code: sheet.cell(2, column) for code, column in col.items()}
        assert header["first_category"].value == "First category"
        assert header["first_category:of"].value == "First category (N of M)"
        assert header["contest_winners:regional"].value == "Contest winners: regional"
        assert header["base:teachers"].value == "Total number of teaching staff at the school"
        assert header["base:subject_teachers"].value == (
            "Total number of subject teachers at the school"
        )
        # the 1 October campaign is about the school year that has just ended
        assert header["base:grade4"].value == (
            "Number of pupils who finished the 4th grade in the 2025/26 school year"
        )
        assert "2025/26" in header["grade4_mastered"].comment.text
        assert header["status:10-01"].value == (
            "Status, Indicators for 2025/26 — due by 1 October 2026 inclusive"
        )
        assert header["status:05-01"].value == "Status, Indicators — due by 1 May 2026 inclusive"
        assert header["first_category"].font.b and header["first_category"].alignment.wrap_text
        assert "[first_category]" in header["first_category"].comment.text
        assert sheet.column_dimensions["B"].width <= 52
        assert sheet.column_dimensions[header["assessment_results:file"].column_letter].hidden

        # schools sorted by municipality, then name
        names = [sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1)]
        assert names == [KAZANSKAYA.name, SOSNOVSKAYA.name, LYCEUM.name, SCHOOL_2.name]

        r = row_of(sheet, KAZANSKAYA.name)

        def cell(code: str) -> Any:
            return sheet.cell(r, col[code])

        assert [cell(c).value for c in ("@municipality", "@short_name", "@inn")] == [
            "Ливенский район",
            "Казанская СОШ",
            "5715018478",
        ]
        assert (cell("@shnor").value, cell("@shssu").value) == ("yes", "no")
        assert cell("base:teachers").value == 40
        assert cell("base:subject_teachers").value == 36
        assert cell("optimal_load:of").value == "8 of 36"
        # shares are numbers formatted as percentages; counts keep "N of M"
        assert cell("highest_category").value == pytest.approx(0.305)
        assert cell("highest_category").number_format == "0.0%"
        assert cell("highest_category:of").value is None
        assert cell("first_category").value == pytest.approx(0.3)
        assert cell("first_category:of").value == "12 of 40"
        assert cell("grade4_mastered").value == 25 / 27  # the exact share; shown as 92.6%
        # counts are integers
        assert cell("vacancies").value == 2 and isinstance(cell("vacancies").value, int)
        assert cell("vacancies:items").value == "учитель математики; учитель физики"
        assert [cell(f"contest_winners:{level}").value for level in ("federal", "regional")] == [
            0,
            1,
        ]
        assert cell("contest_winners:municipal").value == 3
        assert cell("university_agreements").value == "yes"
        assert cell("federal_projects").value == "Tochka Rosta (Point of Growth); Кванториум"
        # links are real hyperlinks
        link = cell("development_program")
        assert link.value == "https://kazan-school.ru/development_program"
        assert link.hyperlink.target == link.value
        assert link.style == "Hyperlink"
        assert cell("assessment_results").value == DOCUMENT["file_name"]
        # per campaign: status, submitted at (local time, a date cell), by whom, late
        assert cell("status:10-01").value == "accepted"
        submitted = cell("submitted_at:10-01")
        assert submitted.value == datetime(2026, 10, 3, 11, 15)  # 08:15 UTC in Moscow
        assert submitted.is_date and "yy" in submitted.number_format
        assert cell("late:10-01").value == "yes"
        assert cell("late:05-02").value == "no"
        assert cell("submitted_by:10-01").value == "Иванова Анна Петровна"  # who sent it

        sosnovskaya = row_of(sheet, SOSNOVSKAYA.name)
        assert sheet.cell(sosnovskaya, col["status:10-01"]).value == "returned for correction"
        assert sheet.cell(sosnovskaya, col["vacancies"]).value == 0
        school_2 = row_of(sheet, SCHOOL_2.name)
        assert sheet.cell(school_2, col["status:10-01"]).value == "draft"
        assert sheet.cell(school_2, col["young_teachers:of"]).value == "5 of 25"
        lyceum = row_of(sheet, LYCEUM.name)
        assert sheet.cell(lyceum, col["status:05-01"]).value == "not started"
        assert sheet.cell(lyceum, col["@inn"]).value is None
    finally:
        await repo.db.close()


MAY_1 = "Indicators — due by 1 May 2026 inclusive"
MAY_2 = "Indicators — due by 2 May 2026 inclusive"
OCTOBER_1 = "Indicators for 2025/26 — due by 1 October 2026 inclusive"
ON_SCHEDULE = "Assessment results 2026 (on schedule)"


async def test_not_submitted_and_history_sheets(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    try:
        book = workbook(data)
        late = book["Not sent"]
        assert [c.value for c in late[1]] == [
            "Campaign",
            "Last day",
            "Municipality",
            "School",
            "Status",
            "Days overdue",
        ]
        assert late.freeze_panes == "A2"
        rows = [[c.value for c in row] for row in late.iter_rows(min_row=2)]
        kept = [(r[0], r[2], r[3], r[4], r[5]) for r in rows]
        assert kept == [
            (MAY_1, "Ливенский район", "Сосновская СОШ", "not started", 157),
            (MAY_1, "город Ливны", "Лицей № 4", "not started", 157),
            (MAY_1, "город Ливны", "СОШ № 2", "not started", 157),
            (MAY_2, "Ливенский район", "Сосновская СОШ", "not started", 156),
            (MAY_2, "город Ливны", "Лицей № 4", "not started", 156),
            (MAY_2, "город Ливны", "СОШ № 2", "not started", 156),
            (OCTOBER_1, "Ливенский район", "Сосновская СОШ", "returned for correction", 4),
            (OCTOBER_1, "город Ливны", "Лицей № 4", "not started", 4),
            (OCTOBER_1, "город Ливны", "СОШ № 2", "draft", 4),
            (ON_SCHEDULE, "Ливенский район", "Сосновская СОШ", "not started", None),
            (ON_SCHEDULE, "город Ливны", "Лицей № 4", "not started", None),
            (ON_SCHEDULE, "город Ливны", "СОШ № 2", "not started", None),
        ]
        assert rows[0][1] == datetime(2026, 5, 1)
        assert late.cell(2, 2).number_format == "yyyy-mm-dd"

        history = book["Change history"]
        header = [c.value for c in history[1]]
        assert header == [
            "Time",
            "Municipality",
            "School",
            "Campaign",
            "Field",
            "Old value",
            "New value",
            "Who",
            "Comment",
        ]
        entries = [
            dict(zip(header, (c.value for c in row), strict=True))
            for row in history.iter_rows(min_row=2)
        ]
        change = [e for e in entries if e["Field"] == "Highest category" and e["Old value"]]
        assert change == [
            {
                "Time": datetime(2026, 10, 4, 15, 30),
                "Municipality": "Ливенский район",
                "School": "Казанская СОШ",
                "Campaign": OCTOBER_1,
                "Field": "Highest category",
                "Old value": "28 %",
                "New value": "30.5 %",
                "Who": "Иванова Анна Петровна",
                "Comment": None,
            }
        ]
        returned = [e for e in entries if e["Comment"]]
        assert len(returned) == 1
        assert returned[0]["Field"] == "Status"
        assert (returned[0]["Old value"], returned[0]["New value"]) == (
            "sent",
            "returned for correction",
        )
        assert returned[0]["Who"] == "Сидорова Мария Ивановна"
        assert returned[0]["Comment"] == "Уточните вакансии"
        bases = [e for e in entries if e["Field"] == "Total number of teaching staff at the school"]
        assert {(e["School"], e["New value"]) for e in bases} >= {("СОШ № 2", 25)}
        assert history.cell(2, 1).is_date
    finally:
        await repo.db.close()


async def test_russian_export_names_its_sheet_by_the_year(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path, "ru")
    try:
        book = workbook(data)
        title = book.sheetnames[0]
        assert "2026" in title
        sheet = book[title]
        r = row_of(sheet, KAZANSKAYA.name)
        col = codes_of(sheet)
        assert sheet.cell(r, col["highest_category"]).value == pytest.approx(0.305)
        assert sheet.cell(2, col["highest_category"]).value == "Высшая категория"
        assert sheet.cell(r, col["submitted_at:10-01"]).number_format == "dd.mm.yyyy hh:mm"
        # and it reads back
        fresh = await open_repo(
            tmp_path / "fresh.sqlite3", FakeClock(datetime(2027, 1, 10, tzinfo=UTC))
        )
        try:
            report = await import_submissions(fresh, CATALOG, data)
            assert report.counts["refused_cells"] == 0, report.render("en")
            assert await answers(fresh) == await answers(repo)
        finally:
            await fresh.db.close()
    finally:
        await repo.db.close()


async def answers(repo: Repo) -> dict[str, dict[str, Any]]:
    """INN or name -> indicator -> value, for comparing two databases."""
    by_id = await repo.submissions.answers_for_year(YEAR)
    found = {}
    for school in await repo.schools.list():
        found[school.inn or school.name] = by_id.get(school.id, {})
    return found


async def bases(repo: Repo) -> dict[tuple[str, str], dict[str, int]]:
    found = {}
    schools = {school.id: school for school in await repo.schools.list()}
    campaigns = {c.id: c.deadline_key for c in await repo.submissions.campaigns(YEAR)}
    for submission in await repo.submissions.for_year(YEAR):
        if submission.bases:
            school = schools[submission.school_id]
            found[(school.inn or school.name, campaigns[submission.campaign_id])] = submission.bases
    return found


async def test_round_trip_into_a_fresh_database(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    clock = FakeClock(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))  # 2026 is a past year now
    fresh = await open_repo(tmp_path / "fresh.sqlite3", clock)
    try:
        importer = await fresh.people.create(PersonData("Сидорова Мария Ивановна"))
        report = await import_submissions(fresh, CATALOG, data, person_id=importer.id)
        assert isinstance(report, SubmissionImportReport)
        assert (report.year, report.sheet, report.header_row) == (YEAR, "Indicators 2026", 2)
        assert report.counts["refused_rows"] == 0 and report.counts["refused_cells"] == 0
        assert await answers(fresh) == await answers(repo)
        assert await bases(fresh) == await bases(repo)
        kazanskaya = report.by_row(3)
        assert kazanskaya.school == "Казанская СОШ" and len(kazanskaya.saved) == 18 + 4

        # a past year's imported reports count as submitted, late as the file says
        schools = {s.id: s.short_name for s in await fresh.schools.list()}
        campaigns = {c.id: c.deadline_key for c in await fresh.submissions.campaigns(YEAR)}
        states = {
            (schools[s.school_id], campaigns[s.campaign_id]): (s.status, s.late)
            for s in await fresh.submissions.for_year(YEAR)
        }
        assert states[("Казанская СОШ", "10-01")] == ("submitted", True)
        assert states[("Казанская СОШ", "05-02")] == ("submitted", False)
        assert states[("Сосновская СОШ", "10-01")] == ("submitted", False)
        assert states[("СОШ № 2", "10-01")] == ("submitted", False)
        assert not any(key[0] == "Лицей № 4" for key in states)
        assert report.submitted == 6
        history = await fresh.submissions.history(year=YEAR)
        assert {entry.changed_by for entry in history} == {importer.id}

        # importing the same file again changes nothing
        before = await table_counts(fresh)
        again = await import_submissions(fresh, CATALOG, data)
        assert again.counts["saved"] == 0 and again.submitted == 0
        assert again.counts["unchanged"] == report.counts["saved"]
        assert await table_counts(fresh) == before
        assert "Total: 4 schools, 0 values saved" in again.render("en")
    finally:
        await fresh.db.close()
        await repo.db.close()


async def test_current_year_import_stays_a_draft(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    fresh = await open_repo(
        tmp_path / "fresh.sqlite3", FakeClock(datetime(2026, 11, 1, tzinfo=UTC))
    )
    try:
        report = await import_submissions(fresh, CATALOG, data)
        assert report.submitted == 0
        assert {s.status for s in await fresh.submissions.for_year(YEAR)} == {"draft"}
        assert await answers(fresh) == await answers(repo)
    finally:
        await fresh.db.close()
        await repo.db.close()


def edit(
    data: bytes, changes: dict[tuple[str, str], Any], extra_rows: list[dict[str, Any]]
) -> bytes:
    """The exported file as a person edits it: (school name, code) -> new cell value."""
    book = workbook(data)
    sheet = book.worksheets[0]
    col = codes_of(sheet)
    for (name, code), new in changes.items():
        sheet.cell(row_of(sheet, name), col[code]).value = new
    for values in extra_rows:
        row = sheet.max_row + 1
        for code, new in values.items():
            sheet.cell(row, col[code]).value = new
    return saved(book)


async def test_bad_cells_are_refused_with_reasons_and_good_ones_kept(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    await repo.db.close()
    name = KAZANSKAYA.name
    bad = edit(
        data,
        {
            (name, "first_category"): 1.5,  # 150 %
            (name, "first_category:of"): None,
            (name, "vacancies"): "abc",
            (name, "development_program"): "not a link",
            (name, "three_subjects"): "15 из 40",  # a text share: percent 37.5
            (name, "three_subjects:of"): None,
            (name, "federal_register_training"): 0.9,  # more than raised_qualification
            (name, "optimal_load"): 0.5,  # does not match "8 of 40"
            (name, "contest_winners:federal"): 50,  # 50 + 1 + 3 winners of 40 teachers
            (SOSNOVSKAYA.name, "base:teachers"): "много",
        },
        [
            {"@municipality": "Ливенский район", "@name": "МБОУ «Несуществующая школа»"},
            {"@name": KAZANSKAYA.name, "@municipality": KAZANSKAYA.municipality},
        ],
    )
    fresh = await open_repo(
        tmp_path / "fresh.sqlite3", FakeClock(datetime(2027, 1, 10, tzinfo=UTC))
    )
    try:
        report = await import_submissions(fresh, CATALOG, bad)
        row = report.by_row(3)
        reasons = {cell.code: cell.problem.msgid for cell in row.cells}
        assert set(reasons) == {
            "first_category",
            "vacancies",
            "development_program",
            "federal_register_training",
            "optimal_load",
            "contest_winners",
        }
        assert "cannot exceed 100 %" in reasons["first_category"]
        assert "is not a number" in reasons["vacancies"]
        assert "does not look like a link" in reasons["development_program"]
        assert "cannot be more than" in reasons["federal_register_training"]
        assert "does not match" in reasons["optimal_load"]
        assert "Together that is" in reasons["contest_winners"]
        shown = row.refusal("first_category")
        assert shown is not None and shown.column == "First category"
        assert "150" in shown.problem.render("en")
        sosnovskaya = report.by_row(4)
        assert [cell.code for cell in sosnovskaya.cells] == ["base:teachers"]
        unknown = report.by_row(7)
        assert unknown.refused is not None
        assert unknown.refused.render("en") == (
            "School not found in the register: МБОУ «Несуществующая школа»"
        )
        again = report.by_row(8)
        assert again.refused is not None and "already in row 3" in again.refused.render("en")
        text = report.render("en")
        assert "Row 7: refused — МБОУ «Несуществующая школа»" in text
        assert "“Vacancies: number” refused:" in text

        stored = (await answers(fresh))[KAZANSKAYA.inn]
        for code in reasons:
            assert code not in stored
        assert stored["highest_category"] == {"percent": 30.5}
        assert stored["three_subjects"] == {"percent": 37.5, "count": 15, "base": 40}
        assert stored["university_agreements"] == {"yes": True}
        assert "vacancies" in (await answers(fresh))[SOSNOVSKAYA.inn]
    finally:
        await fresh.db.close()


async def test_more_teachers_than_teaching_staff_is_refused(tmp_path: Path) -> None:
    """The teachers (учителя) are part of the teaching staff: a file saying otherwise has
    both numbers refused, with the reason; the school's other answers are kept."""
    repo, data = await exported(tmp_path)
    await repo.db.close()
    bad = edit(data, {(KAZANSKAYA.name, "base:subject_teachers"): 45}, [])  # of 40 staff
    fresh = await open_repo(
        tmp_path / "fresh.sqlite3", FakeClock(datetime(2027, 1, 10, tzinfo=UTC))
    )
    try:
        report = await import_submissions(fresh, CATALOG, bad)
        row = report.by_row(3)
        refused = {cell.code: cell.problem for cell in row.cells}
        assert set(refused) >= {"base:teachers", "base:subject_teachers"}
        reason = refused["base:subject_teachers"].render("ru")
        assert "не может быть меньше" in reason and "45" in reason and "40" in reason
        assert (await answers(fresh))[KAZANSKAYA.inn]["highest_category"] == {"percent": 30.5}
    finally:
        await fresh.db.close()


async def test_columns_found_by_code_or_by_header(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    expected = await answers(repo)
    await repo.db.close()
    # reordered: the columns backwards (a person moved them around)
    book = workbook(data)
    sheet = book.worksheets[0]
    grid = [[c.value for c in row] for row in sheet.iter_rows()]
    shuffled = Workbook()
    target = shuffled.active
    target.title = sheet.title
    for values in grid:
        target.append(list(reversed(values)))
    # no code row at all: the header texts are matched instead
    plain = workbook(data)
    plain.worksheets[0].delete_rows(1)
    for number, variant in enumerate((saved(shuffled), saved(plain))):
        fresh = await open_repo(
            tmp_path / f"f{number}.sqlite3", FakeClock(datetime(2027, 1, 10, tzinfo=UTC))
        )
        try:
            report = await import_submissions(fresh, CATALOG, variant)
            assert report.counts["refused_cells"] == 0, report.render("en")
            found = await answers(fresh)
            # the document's file id lives in a hidden column: the reversed copy keeps it
            assert found == expected
        finally:
            await fresh.db.close()


async def test_an_unusable_file_writes_nothing(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    await repo.db.close()
    fresh = await open_repo(
        tmp_path / "fresh.sqlite3", FakeClock(datetime(2027, 1, 10, tzinfo=UTC))
    )
    try:
        before = await table_counts(fresh)
        no_year = workbook(data)
        no_year.worksheets[0].title = "Лист1"
        no_year.custom_doc_props.props.clear()
        other = Workbook()
        other.active.append(["Фамилия", "Имя"])
        other.active.append(["Иванова", "Анна"])
        for source, words in (
            (b"this is not a workbook", "not an Excel workbook"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel format"),
            (saved(other), "No indicators table was found"),
            (saved(no_year), "Cannot tell the year"),
            (tmp_path / "missing.xlsx", "There is no file"),
        ):
            with pytest.raises(SubmissionImportError) as caught:
                await import_submissions(fresh, CATALOG, source)
            assert words in caught.value.render("en")
            assert caught.value.render("ru")
        assert await table_counts(fresh) == before
    finally:
        await fresh.db.close()


async def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    repo, data = await exported(tmp_path)
    await repo.db.close()
    path = tmp_path / "report.xlsx"
    path.write_bytes(data)
    fresh = await open_repo(
        tmp_path / "fresh.sqlite3", FakeClock(datetime(2027, 1, 10, tzinfo=UTC))
    )
    try:
        before = await table_counts(fresh)
        report = await import_submissions(fresh, CATALOG, path, dry_run=True)
        assert report.dry_run and report.counts["saved"] == (18 + 4) + 2 + 2
        assert report.submitted == 6
        assert "Dry run: nothing was written." in report.render("en")
        assert await table_counts(fresh) == before
    finally:
        await fresh.db.close()


async def test_text_is_never_a_formula(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 10, 5, tzinfo=UTC))
    repo = await open_repo(tmp_path / "bot.sqlite3", clock)
    try:
        deadlines = [(k, CATALOG.campaign_indicators(k)[0].due(YEAR)) for k in CATALOG.deadlines()]
        campaign = {
            c.deadline_key: c for c in await repo.submissions.ensure_campaigns(YEAR, deadlines)
        }
        form = await repo.submissions.open(
            campaign["10-01"].id, await school_id(repo, LYCEUM), None
        )
        items = {"count": 1, "items": ['=HYPERLINK("http://evil")\x07']}
        await repo.submissions.save_answer(form.id, "vacancies", items, None, None)
        book = workbook(await export_submissions(repo, CATALOG, YEAR, "en", ZONE))
        sheet = book.worksheets[0]
        cell = sheet.cell(row_of(sheet, LYCEUM.name), codes_of(sheet)["vacancies:items"])
        assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil")'
    finally:
        await repo.db.close()


@pytest.mark.parametrize(
    ("refused", "said"),
    [
        ("submissions", "Nothing was written: row 6 could not be saved"),
        ("campaigns", "Nothing was written: the database refused the changes"),
    ],
)
async def test_an_import_the_database_refuses_midway_writes_nothing(
    tmp_path: Path, refused: str, said: str
) -> None:
    """Row 6 (СОШ № 2) comes after two schools' rows were written in the same transaction;
    or the year's campaigns, written before any row, are refused."""
    repo, data = await exported(tmp_path)
    await repo.db.close()
    fresh = await open_repo(
        tmp_path / "fresh.sqlite3", FakeClock(datetime(2027, 1, 10, tzinfo=UTC))
    )
    try:
        condition = "1"
        if refused == "submissions":
            condition = f"NEW.school_id = {await school_id(fresh, SCHOOL_2)}"
        await fresh.db.execute(
            f"CREATE TRIGGER refuse BEFORE INSERT ON {refused} WHEN {condition}"
            " BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END"
        )
        before = await table_counts(fresh)
        report = await import_submissions(fresh, CATALOG, data)
        assert await table_counts(fresh) == before
        assert report.submitted == 0
        text = report.render("en")
        assert said in text and "test trigger" not in text
        if refused == "submissions":
            row = report.by_row(6)
            assert row.refused is not None
            assert row.refused.render("ru") == "База данных не приняла эту строку"
            assert report.by_row(3).refused is None and report.by_row(3).saved
    finally:
        await fresh.db.close()
