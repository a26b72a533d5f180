"""The demo region: what it loads, that loading it again adds nothing, and its links."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from bot.calendar.workdays import is_working_day, previous_working_day
from bot.demo import load_demo_data
from bot.indicators.answers.cross_checks import cross_check
from bot.indicators.catalog import load_catalog
from bot.people.invitations import CodeProblem, check_code
from storage.db import Database
from storage.models import Role
from storage.repo import Repo


async def open_repo(tmp_path: Path) -> Repo:
    db = await Database.open(tmp_path / "demo.sqlite3")
    await db.migrate()
    return Repo(db)


def code_of(link: str) -> str:
    return re.split(r"start=|/start ", link)[-1]


async def test_demo_region_loads_schools_people_and_roles(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    demo = await load_demo_data(repo, bot_username="school_bot")

    schools = await repo.schools.list()
    assert len(schools) == 8
    assert {school.municipality for school in schools} == {"Ливенский район", "город Ливны"}
    assert all(school.inn and len(school.inn) == 10 and school.short_name for school in schools)
    assert any(s.is_shnor and not s.is_shssu for s in schools)
    assert any(s.is_shssu and not s.is_shnor for s in schools)
    assert any(s.is_shnor and s.is_shssu for s in schools)
    assert await repo.people.count() == 14

    by_role: dict[Role, list[int]] = {role: [] for role in Role}
    principal_schools = []
    territories: list[frozenset[str]] = []
    for person in demo.people:
        roles = await repo.people.roles(person.person_id)
        assert roles.names == [person.role]
        by_role[person.role].append(person.person_id)
        if person.role is Role.CURATOR:
            assert 3 <= len(roles.curator_school_ids) <= 4
        if person.role is Role.PRINCIPAL:
            principal_schools.append(roles.principal_school_id)
        if person.role is Role.COORDINATOR:
            territories.append(roles.municipalities)
    # one regional coordinator and one for each municipality
    assert sorted(territories, key=sorted) == [
        frozenset(),
        frozenset({"Ливенский район"}),
        frozenset({"город Ливны"}),
    ]
    assert {role: len(ids) for role, ids in by_role.items()} == {
        Role.COORDINATOR: 3,
        Role.CURATOR: 2,
        Role.PRINCIPAL: 8,
        Role.DEPUTY: 1,
    }
    assert sorted(principal_schools) == sorted(school.id for school in schools)
    assert (demo.created_schools, demo.created_people) == (8, 14)
    text = demo.render("ru")
    assert "Ливенский район" in text and "Бурцева Елена Александровна" in text
    assert all(person.link and person.link in text for person in demo.people)
    await repo.db.close()


async def test_demo_links_work_and_a_second_run_only_renews_them(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    first = await load_demo_data(repo, bot_username="school_bot")
    for person in first.people:
        assert person.link and person.link.startswith("https://t.me/school_bot?start=")
        check = await check_code(repo, code_of(person.link))
        assert check.ok and check.invitation is not None
        assert check.invitation.person_id == person.person_id
        assert check.invitation.role is person.role

    # someone has started the bot meanwhile: they get no new link
    started = first.people[3]
    await repo.people.link_telegram(started.person_id, 777001, None, None)

    second = await load_demo_data(repo)
    assert await repo.schools.count() == 8
    assert await repo.people.count() == 14
    assert (second.created_schools, second.created_people) == (0, 0)
    assert [p.person_id for p in second.people] == [p.person_id for p in first.people]
    for before, after in zip(first.people, second.people, strict=True):
        assert before.link is not None
        if after.person_id == started.person_id:
            assert after.link is None
            continue
        assert (await check_code(repo, code_of(before.link))).problem is CodeProblem.REVOKED
        assert after.link is not None and after.link.startswith("/start ")
        assert (await check_code(repo, code_of(after.link))).ok
    await repo.db.close()


async def test_demo_data_loads_the_demo_roadmap_once(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    demo = await load_demo_data(repo)
    [roadmap] = await repo.calendar.roadmaps()
    assert roadmap.id == demo.roadmap_id and roadmap.title.startswith("План-график")
    assert len(await repo.calendar.events(roadmap.id)) == demo.roadmap_actions == 33
    assert "33 мероприятия" in demo.render("ru")
    await load_demo_data(repo)
    assert len(await repo.calendar.roadmaps()) == 1
    assert len(await repo.calendar.events()) == 33
    await repo.db.close()


async def test_demo_data_has_three_earlier_years_of_reports_for_the_charts(
    tmp_path: Path,
) -> None:
    repo = await open_repo(tmp_path)
    catalog = load_catalog()
    demo = await load_demo_data(repo, catalog=catalog, today=date(2026, 9, 20))
    assert demo.earlier_years == (2023, 2024, 2025)
    assert "Отчёты прежних лет (2023, 2024, 2025)" in demo.render("ru")
    schools = await repo.schools.list()
    for year in demo.earlier_years:
        answers = await repo.submissions.answers_for_year(year)
        # most schools reported each year, and not always all of them
        assert len(schools) * 0.6 <= len(answers) <= len(schools)
    reported = [len(await repo.submissions.answers_for_year(y)) for y in demo.earlier_years]
    assert sum(reported) < 3 * len(schools)
    first = await repo.submissions.indicator_answers("first_category")
    # the values vary between schools and years, and each is a share the bot would accept
    assert len({value["percent"] for _year, _school, value in first}) > len(first) // 2
    for year in demo.earlier_years:
        for school_id, answers in (await repo.submissions.answers_for_year(year)).items():
            bases = {
                catalog.indicator(code).base: value["base"]
                for code, value in answers.items()
                if "base" in value
            }
            assert cross_check(catalog, answers, bases) == [], (year, school_id)
    # loading again writes the same reports, nothing more
    again = await load_demo_data(repo, catalog=catalog, today=date(2026, 9, 20))
    assert again.earlier_reports == demo.earlier_reports
    assert await repo.submissions.indicator_answers("first_category") == first
    await repo.db.close()


async def test_demo_data_dates_this_years_vpr_and_gia_notes_from_today(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    catalog = load_catalog()
    await load_demo_data(repo, catalog=catalog, today=date(2026, 12, 20))
    dues = {c.deadline_key: c.due_date for c in await repo.submissions.campaigns(2026)}
    # a few weeks ahead, never past the year's end, on a working day (31 December 2026 is
    # a day off by the 2026 decree); the studies left for the coordinator
    last_working = previous_working_day(date(2026, 12, 31))
    assert last_working < date(2026, 12, 31) and is_working_day(last_working)
    assert dues["assessment:vpr"] == last_working
    assert dues["assessment:gia9"] == dues["assessment:gia11"] == last_working
    assert dues.get("assessment:regional") is None
    await load_demo_data(repo, catalog=catalog, today=date(2026, 3, 1))
    dues = {c.deadline_key: c.due_date for c in await repo.submissions.campaigns(2026)}
    assert dues["assessment:vpr"] == date(2026, 3, 13)
    assert dues["assessment:gia9"] == date(2026, 3, 27)
    await repo.db.close()


async def test_the_demo_deputy_fills_in_her_schools_reports_this_year(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    demo = await load_demo_data(repo, catalog=load_catalog(), today=date(2026, 9, 20))
    (deputy,) = [person for person in demo.people if person.role is Role.DEPUTY]
    roles = await repo.people.roles(deputy.person_id)
    kazanskaya = next(s for s in demo.schools if s.short_name == "Казанская СОШ")
    assert roles.deputy and roles.principal_school_id == kazanskaya.id
    assert [p.id for p in await repo.people.deputies_of(kazanskaya.id)] == [deputy.person_id]
    this_year = [s for s in await repo.submissions.for_year(2026) if s.school_id == kazanskaya.id]
    assert this_year and any(s.submitted_at for s in this_year)
    for submission in this_year:  # she gave the answers, and sent those that are sent
        history = await repo.submissions.history(submission.id)
        answers = [entry for entry in history if entry.field != "status"]
        assert answers and {entry.changed_by for entry in answers} == {deputy.person_id}
        assert submission.submitted_by == (deputy.person_id if submission.submitted_at else None)
    # another school's reports are nobody's in particular (an import)
    others = [s for s in await repo.submissions.for_year(2026) if s.school_id != kazanskaya.id]
    assert others and all(s.submitted_by is None for s in others)
    await repo.db.close()
