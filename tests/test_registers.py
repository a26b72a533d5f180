"""Importing registers of schools and people from messy Excel files."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.people.invitations import CodeProblem, check_code
from bot.registers.people import import_people
from bot.registers.report import ImportReport, RegisterError
from bot.registers.schools import import_schools
from bot.registers.template import write_template
from storage.db import Database
from storage.models import Role
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"

Rows = list[list[Any]]


def xlsx(*sheets: tuple[str, Rows, list[str]]) -> bytes:
    """A workbook: (sheet title, rows from row 1 — None is an empty cell, merged ranges)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, merges in sheets:
        sheet = book.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for cells in merges:
            sheet.merge_cells(cells)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def open_repo(tmp_path: Path) -> Repo:
    db = await Database.open(tmp_path / "t.sqlite3")
    await db.migrate()
    return Repo(db)


def actions(report: ImportReport) -> dict[int, str]:
    return {result.row: result.action for result in report.rows}


def refusal(report: ImportReport, row: int) -> tuple[str, dict[str, Any]]:
    result = report.by_row(row)
    assert result.action == "refused", result
    assert result.reason
    return result.reason.msgid, dict(result.reason.params)


# A register as coordinators really send it: a decoy sheet first, a merged title,
# the header in row 4 with shuffled variant names, a numbering row, a municipality
# merged over three schools, nbsp and stray spaces, an INN stored as a float, an
# empty row, and a totals row.
DECOY = ("Справка", [["Наименование ОО", "Муниципалитет", "Примечание"], ["всего", "2", ""]], [])
HEADER = [
    "№ п/п",
    "ИНН:",
    "Муниципальное\nобразование",
    "Полное  наименование ОО",
    "краткое наименование",
    "Категория",
    "Примечание",
]
MESSY_SCHOOLS: Rows = [
    ["Реестр ОО, участвующих в проекте (ШНОР/ШССУ)"],
    ["по состоянию на 01.09.2026"],
    [],
    HEADER,
    [1, 2, 3, 4, 5, 6, 7],
    [1, 5702001234.0, "Ливенский район", f"МБОУ{NBSP}«Казанская  СОШ» ", "Казанская СОШ", "ШНОР"],
    [2, " 5702005678 ", None, "МБОУ «Сосновская СОШ»", f" Сосновская СОШ{NBSP}", "ШССУ"],
    [3, 5702009012, None, "МБОУ «Коротышская СОШ»", None, "ШНОР и ШССУ", "сельская"],
    [],
    [4, "5703004561.0", "город Ливны", "МБОУ СОШ № 2", "СОШ № 2", "шнор, шссу"],
    ["Итого", None, None, "4 ОО", None, "ШНОР: 3, ШССУ: 3"],
]


def messy_schools(rows: Rows = MESSY_SCHOOLS) -> bytes:
    return xlsx(DECOY, ("Реестр", rows, ["A1:G1", "C6:C8"]))


async def test_messy_school_register_lands_in_the_database(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    report = await import_schools(repo, messy_schools())

    assert report.sheet == "Реестр"
    assert report.header_row == 4
    assert actions(report) == {6: "created", 7: "created", 8: "created", 10: "created"}
    schools = {school.inn: school for school in await repo.schools.list()}
    assert set(schools) == {"5702001234", "5702005678", "5702009012", "5703004561"}
    kazanka = schools["5702001234"]
    assert (kazanka.name, kazanka.short_name) == ("МБОУ «Казанская СОШ»", "Казанская СОШ")
    assert (kazanka.is_shnor, kazanka.is_shssu) == (True, False)
    # the merged municipality applies to every school under it
    assert {schools[inn].municipality for inn in ("5702001234", "5702005678", "5702009012")} == {
        "Ливенский район"
    }
    assert schools["5702005678"].short_name == "Сосновская СОШ"
    assert (schools["5702005678"].is_shnor, schools["5702005678"].is_shssu) == (False, True)
    assert schools["5702009012"].short_name is None
    assert (schools["5702009012"].is_shnor, schools["5702009012"].is_shssu) == (True, True)
    assert schools["5703004561"].municipality == "город Ливны"
    assert "Row 6" in report.render("en") and "4 created" in report.render("en")
    await repo.db.close()


async def test_reimport_changes_nothing_and_an_edit_updates_in_place(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await import_schools(repo, messy_schools())
    again = await import_schools(repo, messy_schools())
    assert set(actions(again).values()) == {"unchanged"}
    assert await repo.schools.count() == 4

    edited = [list(row) for row in MESSY_SCHOOLS]
    edited[5][3] = "МБОУ «Казанская средняя общеобразовательная школа»"  # renamed, same INN
    edited[6][5] = "ШНОР, ШССУ"  # Сосновская is now both
    report = await import_schools(repo, messy_schools(edited))
    assert actions(report) == {6: "updated", 7: "updated", 8: "unchanged", 10: "unchanged"}
    assert await repo.schools.count() == 4
    kazanka = await repo.schools.find_by_reference("5702001234")
    assert kazanka[0].name == "МБОУ «Казанская средняя общеобразовательная школа»"
    sosnovka = await repo.schools.find_by_reference("Сосновская СОШ")
    assert (sosnovka[0].is_shnor, sosnovka[0].is_shssu) == (True, True)
    await repo.db.close()


async def test_bad_school_rows_are_refused_and_the_good_ones_imported(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    rows: Rows = [
        ["Наименование ОО", "Муниципалитет", "ИНН", "ШНОР", "ШССУ"],
        ["МБОУ «Казанская СОШ»", "Ливенский район", "5702001234", "да", "нет"],
        ["МБОУ «Сосновская СОШ»", "Ливенский район", "57020056", "да", ""],  # 8 digits
        [None, "Ливенский район", "5702009012", "да", ""],  # no name
        ["МБОУ «Никольская СОШ»", None, None, "+", "-"],  # no municipality
        ["МБОУ «Крутовская ООШ»", "Ливенский район", None, "может быть", ""],
        ["МБОУ «Казанская  СОШ»", "Ливенский  район", None, "да", ""],  # row 2 again
        ["МБОУ «Речицкая СОШ»", "Ливенский район", 5702001234, "", "x"],  # INN of row 2
        ["МБОУ «Островская СОШ»", "Ливенский район", 570200567812, "", "✓"],  # 12 digits
        ["МБОУ «Здоровецкая СОШ»", "Ливенский район", None, "", "1"],
        ["МБОУ «Речицкая СОШ»", "Ливенский район", 102001238, "нет", "нет"],  # lost its 0
    ]
    report = await import_schools(repo, xlsx(("Лист1", rows, [])))

    assert actions(report) == {
        2: "created",
        3: "refused",
        4: "refused",
        5: "refused",
        6: "refused",
        7: "refused",
        8: "refused",
        9: "refused",
        10: "created",
        11: "created",
    }
    assert refusal(report, 3)[1] == {"value": "57020056"}
    assert "INN" in refusal(report, 3)[0]
    assert "name" in refusal(report, 4)[0]
    assert "municipality" in refusal(report, 5)[0]
    assert refusal(report, 6)[1] == {"value": "может быть", "column": "ШНОР"}
    assert refusal(report, 7)[1] == {"row": 2}
    assert refusal(report, 8)[1] == {"row": 2, "inn": "5702001234"}
    assert refusal(report, 9)[1] == {"value": "570200567812"}
    inns = {school.name: school.inn for school in await repo.schools.list()}
    assert inns == {
        "МБОУ «Казанская СОШ»": "5702001234",
        "МБОУ «Здоровецкая СОШ»": None,
        "МБОУ «Речицкая СОШ»": "0102001238",
    }
    zdorovets = (await repo.schools.find_by_reference("МБОУ Здоровецкая СОШ"))[0]
    assert (zdorovets.is_shnor, zdorovets.is_shssu) == (False, True)
    text = report.render("en")
    assert "Row 3: refused" in text and "57020056" in text
    await repo.db.close()


async def test_an_inn_of_another_school_refuses_the_row(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await import_schools(repo, messy_schools())
    rows: Rows = [
        ["ОО", "Район", "ИНН"],
        ["МБОУ «Казанская СОШ»", "Ливенский район", "5702005678"],  # Сосновская's INN
    ]
    report = await import_schools(repo, xlsx(("Лист1", rows, [])))
    assert refusal(report, 2)[1]["inn"] == "5702005678"
    kazanka = (await repo.schools.find_by_reference("Казанская СОШ"))[0]
    assert kazanka.inn == "5702001234"
    await repo.db.close()


async def test_flag_columns_and_municipality_headings(tmp_path: Path) -> None:
    """Two yes/no columns, and municipalities as merged headings over their schools."""
    repo = await open_repo(tmp_path)
    rows: Rows = [
        ["№", "Название школы", "ШНОР (да/нет)", "ШССУ"],
        ["Ливенский район"],
        [1, "МБОУ «Казанская СОШ»", "+", None],
        [2, "МБОУ «Сосновская СОШ»", "нет", "x"],
        ["Школы с низкими результатами"],  # a heading that is not a municipality
        ["город Ливны"],  # not merged, in the «№» column
        [3, "МБОУ СОШ № 2", "ШНОР", "✓"],
        [4, "МБОУ СОШ № 9", 1, 0],
    ]
    report = await import_schools(repo, xlsx(("ОО", rows, ["A2:D2", "A5:D5"])))
    assert set(actions(report).values()) == {"created"}
    assert set(actions(report)) == {3, 4, 7, 8}
    found = {s.name: (s.municipality, s.is_shnor, s.is_shssu) for s in await repo.schools.list()}
    assert found == {
        "МБОУ «Казанская СОШ»": ("Ливенский район", True, False),
        "МБОУ «Сосновская СОШ»": ("Ливенский район", False, True),
        "МБОУ СОШ № 2": ("город Ливны", True, True),
        "МБОУ СОШ № 9": ("город Ливны", True, False),
    }
    await repo.db.close()


async def test_a_two_storey_header_and_a_repeated_header(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    header = ["Наименование ОО", "МОУО", "Категория", None]
    rows: Rows = [
        header,
        [None, None, "ШНОР", "ШССУ"],
        ["МБОУ «Казанская СОШ»", "Ливенский район", "да", None],
        header,  # repeated on a printed page
        [None, None, "ШНОР", "ШССУ"],
        ["МБОУ СОШ № 2", "город Ливны", "да", "да"],
    ]
    report = await import_schools(repo, xlsx(("Лист1", rows, ["C1:D1", "C4:D4"])))
    assert report.header_row == 2
    assert actions(report) == {3: "created", 6: "created"}
    found = {s.name: (s.is_shnor, s.is_shssu) for s in await repo.schools.list()}
    assert found == {"МБОУ «Казанская СОШ»": (True, False), "МБОУ СОШ № 2": (True, True)}
    await repo.db.close()


async def test_of_two_sheets_with_the_same_header_the_filled_one_is_read(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    header = ["Наименование ОО", "Муниципалитет", "ИНН"]
    blank = ("Шаблон", [header], [])
    filled = ("2026", [header, ["МБОУ «Казанская СОШ»", "Ливенский район", 5702001234]], [])
    report = await import_schools(repo, xlsx(blank, filled))
    assert report.sheet == "2026"
    assert actions(report) == {2: "created"}
    await repo.db.close()


async def test_dry_run_reports_but_writes_nothing(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    report = await import_schools(repo, messy_schools(), dry_run=True)
    assert set(actions(report).values()) == {"created"}
    assert await repo.schools.count() == 0
    await repo.db.close()


@pytest.mark.parametrize(
    "content",
    [
        b"this is plain text, not a workbook",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,  # an old .xls
        xlsx(("Лист1", [["Отчёт о работе"], ["Всё хорошо", "спасибо"]], [])),  # no header
        xlsx(("Лист1", [["Наименование ОО", "ИНН"], ["МБОУ «Казанская СОШ»", "5702001234"]], [])),
        xlsx(("Лист1", [["Наименование ОО", "Муниципалитет", "ИНН"]], [])),  # no rows
        xlsx(
            (
                "Люди",
                [
                    ["ФИО", "Роль", "ОО", "Муниципалитет"],
                    ["Бурцева Елена Александровна", "директор", "Казанская СОШ", "Ливенский район"],
                ],
                [],
            )
        ),
    ],
    ids=["not-xlsx", "xls", "no-header", "no-municipality", "no-rows", "people-register"],
)
async def test_an_unusable_schools_file_raises_and_writes_nothing(
    tmp_path: Path, content: bytes
) -> None:
    repo = await open_repo(tmp_path)
    with pytest.raises(RegisterError) as raised:
        await import_schools(repo, content)
    assert raised.value.render("en")
    assert await repo.schools.count() == 0
    await repo.db.close()


async def test_unusable_people_file_raises(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    with pytest.raises(RegisterError) as raised:
        await import_people(repo, messy_schools())
    assert "schools" in str(raised.value)
    missing_role = xlsx(("Лист1", [["ФИО", "ОО"], ["Бурцева Елена Александровна", "1"]], []))
    with pytest.raises(RegisterError) as raised:
        await import_people(repo, missing_role)
    assert raised.value.params["column"] == "Роль"
    with pytest.raises(RegisterError):
        await import_people(repo, tmp_path / "missing.xlsx")
    assert await repo.people.count() == 0
    await repo.db.close()


def _fill(path: Path, rows: Rows) -> None:
    """Type rows into a template under its example row, as a coordinator would."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    for values in rows:
        sheet.append(values)
    book.save(path)


async def test_filled_templates_import_back_cleanly(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    schools_file = tmp_path / "schools.xlsx"
    write_template("schools", schools_file)
    book = load_workbook(schools_file)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:4] == ["№ п/п", "Наименование ОО", "Краткое наименование", "Муниципалитет"]
    assert sheet["B2"].font.b and sheet.freeze_panes == "A3"
    assert len(sheet.data_validations.dataValidation) == 2
    assert book.sheetnames[1] == "Инструкция"
    assert len(book["Инструкция"]["B"]) > len(headers)

    # the column order of the template: №, name, short name, municipality, INN, ШНОР, ШССУ
    _fill(
        schools_file,
        [
            [
                1,
                "МБОУ «Казанская СОШ»",
                "Казанская СОШ",
                "Ливенский район",
                5702001234,
                "да",
                "нет",
            ],
            [2, "МБОУ СОШ № 2", "СОШ № 2", "город Ливны", "5703004561", "нет", "да"],
        ],
    )
    report = await import_schools(repo, schools_file)
    assert [r.action for r in report.rows] == ["created", "created"]  # the example is skipped
    assert await repo.schools.count() == 2

    people_file = tmp_path / "people.xlsx"
    write_template("people", people_file, locale="en")
    # №, ФИО, role, school, municipality, position, Telegram ID, e-mail, phone
    _fill(
        people_file,
        [
            [1, "Бурцева Елена Александровна", "руководитель", "Казанская СОШ", None, "директор"],
            [2, "Селиванова Ольга Николаевна", "куратор", "Казанская СОШ; СОШ № 2", None, None],
            [3, "Гордеева Наталья Викторовна", "координатор", None, None, None, 123456789],
        ],
    )
    report = await import_people(repo, people_file)
    assert [r.action for r in report.rows] == ["created", "created", "created"]
    assert await repo.people.count() == 3
    await repo.db.close()


# ---------------------------------------------------------------- people

PEOPLE_HEADER = [
    "№",
    "Ф.И.О.",
    "Роль в проекте",
    "Закреплённые ОО",
    "Муниципалитет",
    "Telegram\nID",
    "Эл. почта",
    "Контактный телефон",
    "Должность",
]
PEOPLE: Rows = [
    ["Список участников проекта"],
    PEOPLE_HEADER,
    [1, "Бурцева  Елена Александровна", "Руководитель ОО", "Казанская СОШ", "Ливенский район"],
    [2, "МАЛЬЦЕВ СЕРГЕЙ ИВАНОВИЧ", "ДИРЕКТОР", 5702005678.0, None, None, None, "8 (900) 123-45-67"],
    [
        3,
        "Селиванова Ольга Николаевна",
        "куратор",
        "Казанская СОШ;\nСосновская СОШ\nМБОУ «Коротышская СОШ»",
        "Ливенский район",
        None,
        "Selivanova@Example.org",
    ],
    [4, "Гордеева Наталья Викторовна", "координатор", None, None, 555000111.0, None, None, "ГС"],
]


async def load_schools(repo: Repo) -> None:
    await import_schools(repo, messy_schools())


def people_file(rows: Rows = PEOPLE) -> bytes:
    return xlsx(("Лист1", rows, ["A1:I1"]))


async def test_people_register_grants_roles(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    report = await import_people(repo, people_file())
    assert actions(report) == {3: "created", 4: "created", 5: "created", 6: "created"}

    schools = {s.short_name or s.name: s.id for s in await repo.schools.list()}
    burtseva = (await repo.people.by_name("Бурцева Елена Александровна"))[0]
    assert (await repo.people.roles(burtseva.id)).principal_school_id == schools["Казанская СОШ"]
    maltsev = (await repo.people.by_name("Мальцев Сергей Иванович"))[0]
    assert maltsev.full_name == "Мальцев Сергей Иванович"
    assert maltsev.phone == "+79001234567"
    assert (await repo.people.roles(maltsev.id)).principal_school_id == schools["Сосновская СОШ"]
    curator = await repo.people.by_email("selivanova@example.org")
    assert curator is not None
    assert (await repo.people.roles(curator.id)).curator_school_ids == {
        schools["Казанская СОШ"],
        schools["Сосновская СОШ"],
        schools["МБОУ «Коротышская СОШ»"],
    }
    coordinator = await repo.people.by_telegram_id(555000111)
    assert coordinator is not None and coordinator.position == "ГС"
    assert (await repo.people.roles(coordinator.id)).names == [Role.COORDINATOR]
    await repo.db.close()


async def test_people_reimport_is_idempotent_and_edits_update(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    await import_people(repo, people_file())
    again = await import_people(repo, people_file())
    assert set(actions(again).values()) == {"unchanged"}
    assert await repo.people.count() == 4

    edited = [list(row) for row in PEOPLE]
    edited[2][3] = "СОШ № 2"  # Бурцева moved to another school
    edited[2][4] = "город Ливны"
    edited[2] += [None, "burtseva@example.org"]  # found by name, an e-mail added
    edited[4] += ["+7 (48677) 2-11-11"]  # found by e-mail, a phone added
    report = await import_people(repo, people_file(edited))
    assert actions(report) == {3: "updated", 4: "unchanged", 5: "updated", 6: "unchanged"}
    assert await repo.people.count() == 4
    burtseva = await repo.people.by_email("burtseva@example.org")
    assert burtseva is not None and burtseva.full_name == "Бурцева Елена Александровна"
    sosh2 = (await repo.schools.find_by_reference("СОШ № 2"))[0]
    assert (await repo.people.roles(burtseva.id)).principal_school_id == sosh2.id
    curator = await repo.people.by_email("selivanova@example.org")
    assert curator is not None and curator.phone == "+74867721111"

    # a namesake with another e-mail is another person, not an edit
    namesake = [PEOPLE_HEADER, [1, "Селиванова Ольга Николаевна", "куратор", "СОШ № 2"]]
    namesake[1] += [None, None, "olga.s@example.org"]
    report = await import_people(repo, xlsx(("Лист1", namesake, [])))
    assert actions(report) == {2: "created"}
    assert len(await repo.people.by_name("Селиванова Ольга Николаевна")) == 2
    await repo.db.close()


async def test_bad_people_rows_are_refused_and_the_good_ones_imported(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    # another «Казанская СОШ» in another municipality makes the short name ambiguous
    other = [
        ["ОО", "Краткое наименование", "МОУО"],
        ["МБОУ «Казанская ООШ»", "Казанская СОШ", "Должанский район"],
    ]
    await import_schools(repo, xlsx(("Лист1", other, [])))
    for _ in range(2):
        await repo.people.create(PersonData(full_name="Иванова Мария Петровна"))
    rows: Rows = [
        ["ФИО", "Роль", "ОО", "Муниципалитет", "E-mail"],
        ["Бурцева Елена Александровна", "директор", "Казанская СОШ", "Ливенский район"],
        ["Ломакин Виктор Петрович", "директор", "Лицей № 1", None],  # unknown school
        ["Ефанова Татьяна Викторовна", "директор", "Казанская СОШ", None],  # ambiguous school
        ["Пахомова Ирина Владимировна", "директор", None, None],  # no school
        ["Иванова Мария Петровна", "куратор", "СОШ № 2", None],  # two people with this name
        [None, "куратор", "СОШ № 2", None],  # no name
        ["Гришин Алексей Михайлович", "завхоз", "СОШ № 2", None],  # unknown role
        ["Черкасова Людмила Анатольевна", "куратор", "СОШ № 2", None, "cherkasova@"],
        ["Бурцева Елена Александровна", "Директор", "Казанская СОШ", "Ливенский район"],
        ["Мальцев Сергей Иванович", "директор", "СОШ № 2; Сосновская СОШ", None],
        ["Кондрашов Андрей Сергеевич", "консультант", "СОШ № 2", None],
        ["Дорохина Светлана Николаевна", "руководитель ОО, куратор", "СОШ № 2", None],
        ["Фролова Ирина Павловна", "Заместитель директора по УВР", "Казанская СОШ", None],
    ]
    report = await import_people(repo, xlsx(("Лист1", rows, [])))
    assert actions(report)[2] == "created"
    assert actions(report)[12] == "created"
    assert refusal(report, 3)[1] == {"school": "Лицей № 1"}
    assert refusal(report, 4)[1] == {"school": "Казанская СОШ", "count": 2}
    assert "principal" in refusal(report, 5)[0]
    assert refusal(report, 6)[1] == {"count": 2, "name": "Иванова Мария Петровна"}
    assert "name" in refusal(report, 7)[0]
    assert refusal(report, 8)[1] == {"value": "завхоз"}
    assert refusal(report, 9)[1] == {"value": "cherkasova@"}
    assert refusal(report, 10)[1] == {"row": 2}
    assert refusal(report, 11)[1] == {"count": 2}
    assert refusal(report, 13)[1] == {"value": "руководитель ОО, куратор"}
    # «заместитель директора» is no principal: deputies are invited by their principal
    assert "deputy" in refusal(report, 14)[0]
    assert await repo.people.count() == 4  # two Ивановы, Бурцева, Кондрашов
    assert "Row 3: refused" in report.render("en")
    await repo.db.close()


async def test_one_person_in_two_rows_gets_both_roles(tmp_path: Path) -> None:
    """Separate name columns; a coordinator who also curates; a curator row per school."""
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    rows: Rows = [
        ["Фамилия", "Имя", "Отчество", "Роль", "Школа"],
        ["Гордеева", "Наталья", "Викторовна", "координатор", None],
        ["Гордеева", "Наталья", "Викторовна", "тьютор", "Казанская СОШ"],
        ["Гордеева ", "Наталья", "Викторовна", "тьютор", "СОШ № 2"],
    ]
    report = await import_people(repo, xlsx(("Лист1", rows, [])))
    assert actions(report) == {2: "created", 3: "updated", 4: "updated"}
    people = await repo.people.by_name("Гордеева Наталья Викторовна")
    assert len(people) == 1
    roles = await repo.people.roles(people[0].id)
    assert roles.coordinator and len(roles.curator_school_ids) == 2
    again = await import_people(repo, xlsx(("Лист1", rows, [])))
    assert set(actions(again).values()) == {"unchanged"}
    await repo.db.close()


def _code(link: str) -> str:
    return re.split(r"start=|/start ", link)[-1]


async def test_people_invitations_and_their_renewal(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    first = await import_people(repo, people_file(), invite=True, bot_username="school_bot")
    links = {result.subject: result.invite_link for result in first.rows}
    # the coordinator has a Telegram ID already: no link
    assert links["Гордеева Наталья Викторовна"] is None
    invited = {name: link for name, link in links.items() if link}
    assert len(invited) == 3
    for name, link in invited.items():
        assert link.startswith("https://t.me/school_bot?start=")
        check = await check_code(repo, _code(link))
        assert check.ok and check.invitation is not None
        person = await repo.people.get(check.invitation.person_id or 0)
        assert person is not None and person.full_name == name
        assert link in first.render("ru")
    curator_link = invited["Селиванова Ольга Николаевна"]
    curator_check = await check_code(repo, _code(curator_link))
    assert curator_check.invitation is not None
    assert curator_check.invitation.role is Role.CURATOR
    assert len(curator_check.invitation.school_ids) == 3

    second = await import_people(repo, people_file(), invite=True)
    assert set(actions(second).values()) == {"unchanged"}
    for link in invited.values():
        assert (await check_code(repo, _code(link))).problem is CodeProblem.REVOKED
    renewed = [result.invite_link for result in second.rows if result.invite_link]
    assert len(renewed) == 3 and all(link.startswith("/start ") for link in renewed)
    for link in renewed:
        assert (await check_code(repo, _code(link))).ok

    dry = await import_people(repo, people_file(), invite=True, dry_run=True)
    assert not any(result.invite_link for result in dry.rows)
    for link in renewed:
        assert (await check_code(repo, _code(link))).ok
    await repo.db.close()


# ---------------------------------------------------------------- all or nothing


async def refuse_in_database(repo: Repo, table: str, condition: str) -> None:
    """A trigger that makes the database refuse the rows of ``table`` matching ``condition``
    (as a constraint or a full disk would, midway through an import)."""
    await repo.db.execute(
        f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} WHEN {condition}"
        " BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END"
    )


async def test_a_school_import_the_database_refuses_midway_writes_nothing(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    before = await repo.schools.list()
    await refuse_in_database(repo, "schools", "NEW.name = 'МБОУ «Никольская СОШ»'")
    rows: Rows = [
        ["Наименование ОО", "Муниципалитет", "ИНН"],
        ["МБОУ «Казанская средняя школа»", "Ливенский район", "5702001234"],  # renamed
        ["МБОУ «Речицкая СОШ»", "Ливенский район", None],
        ["МБОУ «Никольская СОШ»", "Ливенский район", None],  # the database refuses it
        ["МБОУ «Здоровецкая СОШ»", "Ливенский район", None],
    ]
    report = await import_schools(repo, xlsx(("Лист1", rows, [])))

    assert await repo.schools.list() == before
    assert actions(report) == {2: "updated", 3: "created", 4: "refused", 5: "created"}
    assert refusal(report, 4) == ("The database refused this row", {})
    text = report.render("ru")
    assert "Ничего не записано: строку 4 сохранить не удалось" in text
    assert "test trigger" not in text and "test trigger" not in report.render("en")
    await repo.db.close()


async def test_a_clash_found_only_when_writing_names_the_school_that_has_the_inn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = await open_repo(tmp_path)
    await import_schools(repo, xlsx(("Лист1", [["ОО", "Район"], KAZANKA_WITHOUT_INN], [])))
    with_inn = [["ОО", "Район", "ИНН"], [*KAZANKA_WITHOUT_INN, "5702001234"]]
    write = repo.schools.upsert_many

    async def another_import_lands_first(items: list[SchoolData]) -> Any:
        await write([SchoolData("МБОУ «Сосновская СОШ»", "Ливенский район", inn="5702001234")])
        return await write(items)

    monkeypatch.setattr(repo.schools, "upsert_many", another_import_lands_first)
    report = await import_schools(repo, xlsx(("Лист1", with_inn, [])))

    assert refusal(report, 2) == (
        "INN {inn} already belongs to the school “{school}”",
        {"inn": "5702001234", "school": "МБОУ «Сосновская СОШ»"},
    )
    text = report.render("ru")
    assert "ИНН 5702001234 уже есть у школы «МБОУ «Сосновская СОШ»»" in text
    assert "UNIQUE" not in text
    kazanka = (await repo.schools.find_by_reference("МБОУ «Казанская СОШ»"))[0]
    assert kazanka.inn is None
    await repo.db.close()


KAZANKA_WITHOUT_INN = ["МБОУ «Казанская СОШ»", "Ливенский район"]


async def grants(repo: Repo) -> list[tuple[int, str, int | None]]:
    rows = await repo.db.fetch_all("SELECT person_id, role, school_id FROM role_grants")
    return sorted((row[0], row[1], row[2]) for row in rows)


async def test_a_people_import_the_database_refuses_midway_writes_nothing(
    tmp_path: Path,
) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    await import_people(repo, people_file())
    people, granted = await repo.people.count(), await grants(repo)
    await refuse_in_database(repo, "people", "NEW.full_name = 'Ломакин Виктор Петрович'")
    rows: Rows = [
        PEOPLE_HEADER,
        [1, "Бурцева Елена Александровна", "директор", "СОШ № 2", "город Ливны"],  # moved
        [2, "Ефанова Татьяна Викторовна", "куратор", "СОШ № 2"],
        [3, "Ломакин Виктор Петрович", "директор", "Казанская СОШ", "Ливенский район"],
        [4, "Пахомова Ирина Владимировна", "координатор"],
    ]
    report = await import_people(repo, xlsx(("Лист1", rows, [])), invite=True)

    assert actions(report) == {2: "updated", 3: "created", 4: "refused", 5: "created"}
    assert refusal(report, 4) == ("The database refused this row", {})
    assert "Nothing was written: row 4 could not be saved" in report.render("en")
    assert not any(result.invite_link for result in report.rows)
    assert (await repo.people.count(), await grants(repo)) == (people, granted)
    assert (await repo.db.fetch_one("SELECT count(*) FROM invitations"))[0] == 0  # type: ignore[index]
    await repo.db.close()


async def test_a_clash_found_only_when_writing_names_the_person_who_has_the_email(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    write = repo.people.import_rows

    async def someone_registers_first(*args: Any) -> Any:
        await repo.people.create(PersonData("Ефанова Татьяна", email="selivanova@example.org"))
        return await write(*args)

    monkeypatch.setattr(repo.people, "import_rows", someone_registers_first)
    report = await import_people(repo, people_file(), invite=True)

    assert refusal(report, 5) == (
        "E-mail {email} belongs to another person, “{other}”",
        {"email": "selivanova@example.org", "other": "Ефанова Татьяна"},
    )
    assert "принадлежит другому человеку — «Ефанова Татьяна»" in report.render("ru")
    assert "UNIQUE" not in report.render("en")
    assert await repo.people.count() == 1  # only the one who came first
    assert not any(result.invite_link for result in report.rows)
    await repo.db.close()


# ---------------------------------------------------------------- curators' schools


def curator_rows(schools: str, *more: list[Any]) -> bytes:
    rows: Rows = [
        PEOPLE_HEADER,
        [1, "Селиванова Ольга Николаевна", "куратор", schools, "Ливенский район"],
        *more,
    ]
    return xlsx(("Лист1", rows, []))


async def test_a_curator_loses_the_schools_a_reimported_register_no_longer_lists(
    tmp_path: Path,
) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    await import_people(repo, people_file())
    curator = await repo.people.by_email("selivanova@example.org")
    assert curator is not None
    assert len((await repo.people.roles(curator.id)).curator_school_ids) == 3
    fewer = curator_rows("Казанская СОШ")

    dry = await import_people(repo, fewer, dry_run=True)
    assert actions(dry) == {2: "updated"}
    assert len((await repo.people.roles(curator.id)).curator_school_ids) == 3

    report = await import_people(repo, fewer)
    assert actions(report) == {2: "updated"}
    assert {note.params["school"] for note in report.by_row(2).notes} == {
        "Сосновская СОШ",
        "МБОУ «Коротышская СОШ»",
    }
    for shown in (dry.render("ru"), report.render("ru")):
        assert "Школа «Сосновская СОШ» больше не закреплена за куратором" in shown
    kazanka = (await repo.schools.find_by_reference("Казанская СОШ"))[0]
    assert (await repo.people.roles(curator.id)).curator_school_ids == {kazanka.id}
    again = await import_people(repo, fewer)
    assert actions(again) == {2: "unchanged"} and again.by_row(2).notes == ()
    await repo.db.close()


async def test_a_curator_with_a_refused_row_keeps_their_schools(tmp_path: Path) -> None:
    repo = await open_repo(tmp_path)
    await load_schools(repo)
    await import_people(repo, people_file())
    curator = await repo.people.by_email("selivanova@example.org")
    assert curator is not None
    before = await repo.people.roles(curator.id)
    unknown = [2, "Селиванова Ольга Николаевна", "куратор", "Лицей № 1", "Ливенский район"]
    report = await import_people(repo, curator_rows("Казанская СОШ", unknown))
    assert actions(report) == {2: "unchanged", 3: "refused"}
    assert report.by_row(2).notes == ()
    assert await repo.people.roles(curator.id) == before
    await repo.db.close()
