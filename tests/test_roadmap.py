"""Roadmaps from Excel: finding the table, sections, years, periods, the demo roadmap,
dates typed by hand, who is reminded, and storing an import."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from bot.calendar.audience import audience_of
from bot.calendar.period import PeriodKind
from bot.calendar.responsible import read_responsible
from bot.calendar.roadmap.dates import DatesError, read_dates
from bot.calendar.roadmap.reading import dry_run_rows, import_roadmap, read_roadmap
from bot.calendar.roadmap.reasons import describe_reason
from bot.calendar.roadmap.rendering import render_dry_run, render_summary, unmapped_lines
from bot.calendar.roadmap.sheet import RoadmapError
from bot.calendar.roadmap.text import unwrap
from bot.calendar.roadmap.workbook import demo_roadmap, write_roadmap_xlsx, write_template
from bot.i18n import Msg
from storage.db import Database
from storage.models import Audience, Role
from storage.repo import Repo

SEED_000 = Path("/work/shared/seeds/000_f74d61bfb45bd636.txt")


def workbook(
    *sheets: tuple[str, list[list[Any]]], merges: dict[str, list[str]] | None = None
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def spans(row: Any) -> list[tuple[str, str]]:
    return [(span.start.isoformat(), span.end.isoformat()) for span in row.occurrences]


# --------------------------------------------------------------------------- the table


def test_header_after_title_rows_columns_in_another_order_and_years_from_the_title() -> None:
    data = workbook(
        (
            "Лист1",
            [
                [None, None, "УТВЕРЖДЕНА приказом управления образования"],
                ["Дорожная карта по повышению качества образования на 2019-2021 годы"],
                [],
                [
                    "Сроки исполнения",
                    "Ответственный исполнитель",
                    "№ п/п",
                    "Наименование мероприятия",
                    "Планируемый результат",
                ],
                ["март - апрель", "Руководители ОО", "1.", "Самообследование школ", "Отчёт"],
                ["Сентябрь, ежегодно", "Кураторы", "2.", "Консультации", "Протокол"],
            ],
        )
    )
    sheet = read_roadmap(data)
    assert sheet.title == "Дорожная карта по повышению качества образования на 2019-2021 годы"
    assert (sheet.starts_on, sheet.ends_on) == (date(2019, 1, 1), date(2021, 12, 31))
    first, second = sheet.rows
    assert (first.row, first.number, first.title, first.period) == (
        5,
        "1.",
        "Самообследование школ",
        "март - апрель",
    )
    assert (first.responsible, first.result, first.roles) == (
        "Руководители ОО",
        "Отчёт",
        (Role.PRINCIPAL,),
    )
    assert spans(first) == [
        ("2019-03-01", "2019-04-30"),
        ("2020-03-01", "2020-04-30"),
        ("2021-03-01", "2021-04-30"),
    ]
    assert second.reading.kind is PeriodKind.RECURRING
    assert spans(second)[0] == ("2019-09-01", "2019-09-30") and len(spans(second)) == 3
    assert second.roles == (Role.CURATOR,)


@pytest.mark.parametrize(
    ("title_header", "period_header"),
    [
        ("Мероприятие", "Сроки"),
        ("Наименование мероприятия", "Срок (период)"),
        ("Перечень мероприятий и взаимосвязанных действий по их выполнению", "Срок исполнения"),
        ("Содержание мероприятия", "Срок (период) выполнения отдельного действия"),
        ("МЕРОПРИЯТИЯ ", " сроки\nисполнения "),
    ],
)
def test_variant_header_names(title_header: str, period_header: str) -> None:
    data = workbook(("План", [["№", title_header, period_header], [1, "Семинар", "май 2024"]]))
    [row] = read_roadmap(data).rows
    assert (row.title, row.period, spans(row)) == (
        "Семинар",
        "май 2024",
        [("2024-05-01", "2024-05-31")],
    )


def test_two_row_merged_header_and_hyphenated_header_cells_from_pdf() -> None:
    rows = [
        ["План-график на 2018 год"],
        ["№ п/п", "Мероприятие", "Выполнение", None, "Ожидаемый\nрезультат"],
        [
            None,
            None,
            "Срок (период) выпол-\nнения от-\nдельного действия",
            "Ответствен-\nные",
            None,
        ],
        [1, "Вебинар для руко-\nводителей", "ап-\nрель", "Управление образования", "Вебинар"],
    ]
    data = workbook(("Лист", rows), merges={"Лист": ["A2:A3", "B2:B3", "C2:D2", "E2:E3"]})
    sheet = read_roadmap(data)
    assert sheet.title == "План-график на 2018 год"
    [row] = sheet.rows
    assert row.row == 4
    assert (row.title, row.period, row.responsible, row.result) == (
        "Вебинар для руководителей",
        "апрель",
        "Управление образования",
        "Вебинар",
    )
    assert spans(row) == [("2018-04-01", "2018-04-30")]
    assert row.roles == (Audience.MUNICIPAL,)  # «Управление образования»


def test_header_split_over_two_unmerged_rows() -> None:
    rows = [
        ["Год", "Перечень мероприятий", "Срок (период)"],
        ["выполнения", None, "выполнения"],
        [2020, "Мониторинг", "ноябрь"],
    ]
    [row] = read_roadmap(workbook(("Лист", rows))).rows
    assert (row.row, row.title, spans(row)) == (3, "Мониторинг", [("2020-11-01", "2020-11-30")])


def test_a_decoy_sheet_and_an_empty_copy_do_not_win() -> None:
    decoy = [["Инструкция"], ["Сроки пишите словами: «март», «в течение года»."]]
    schools = [["№", "Наименование ОО", "Муниципалитет"], [1, "СОШ № 1", "Ливны"]]
    empty_copy = [["№", "Мероприятие", "Сроки", "Ответственные"]]
    real = [
        ["Дорожная карта 2025"],
        ["№", "Мероприятие", "Сроки", "Ответственные"],
        [1, "Совещание", "январь", "Координатор"],
    ]
    data = workbook(
        ("Инструкция", decoy), ("Школы", schools), ("Пустой", empty_copy), ("Карта", real)
    )
    sheet = read_roadmap(data)
    assert sheet.sheet == "Карта"
    assert [row.title for row in sheet.rows] == ["Совещание"]


def test_sections_merged_roman_numbered_and_parent_numbers_empty_rows_and_numbering() -> None:
    rows = [
        ["Дорожная карта на 2022 год"],
        ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
        [1, 2, 3, 4, 5],
        ["Раздел 1. Нормативное обеспечение"],
        ["1.1", "Приказ о программе", "январь", "МОУО", "Приказ"],
        [],
        [None, "I. Кадры"],
        ["2.1", "Курсы", "февраль - март", "ИРО", None],
        [None, None, None, None, None],
        ["3.", "Методическая поддержка"],
        ["3.1", "Консультации", "в течение года", "Кураторы", None],
        ["II", "Мониторинг"],
        ["4.1", "Сбор данных", "до 1 октября текущего года", "Руководители ОО", None],
        ["4.2", "Без срока", None, None, None],
    ]
    data = workbook(("Лист", rows), merges={"Лист": ["A4:E4"]})
    sheet = read_roadmap(data)
    got = [(row.row, row.number, row.section, row.title) for row in sheet.rows]
    assert got == [
        (5, "1.1", "Раздел 1. Нормативное обеспечение", "Приказ о программе"),
        (8, "2.1", "I. Кадры", "Курсы"),
        (11, "3.1", "3. Методическая поддержка", "Консультации"),
        (13, "4.1", "II Мониторинг", "Сбор данных"),
        (14, "4.2", "II Мониторинг", "Без срока"),
    ]
    assert sheet.sections == [
        "Раздел 1. Нормативное обеспечение",
        "I. Кадры",
        "3. Методическая поддержка",
        "II Мониторинг",
    ]
    kinds = [row.reading.kind for row in sheet.rows]
    assert kinds == [
        PeriodKind.RANGE,
        PeriodKind.RANGE,
        PeriodKind.NO_FIXED_DATE,
        PeriodKind.DEADLINE,
        PeriodKind.UNREADABLE,
    ]
    assert spans(sheet.rows[3]) == [("2022-10-01", "2022-10-01")]
    assert sheet.rows[4].reading.reason == "empty"


def test_a_year_column_places_the_rows_below_it() -> None:
    rows = [
        ["Год выполнения", "Мероприятие", "Сроки"],
        [2019, "Семинар", "март"],
        [None, "Отчёт", "декабрь"],
        [2020, "Семинар", "март"],
    ]
    sheet = read_roadmap(workbook(("Лист", rows)))
    assert (sheet.starts_on, sheet.ends_on) == (date(2019, 1, 1), date(2020, 12, 31))
    assert [spans(row) for row in sheet.rows] == [
        [("2019-03-01", "2019-03-31")],
        [("2019-12-01", "2019-12-31")],
        [("2020-03-01", "2020-03-31")],
    ]


def test_years_from_the_periods_else_today_else_the_dates_given() -> None:
    rows = [["Мероприятие", "Сроки"], ["Семинар", "февраль - апрель 2023"], ["Отчёт", "декабрь"]]
    data = workbook(("Лист", rows))
    sheet = read_roadmap(data, today=date(2026, 11, 30))
    assert (sheet.starts_on, sheet.ends_on) == (date(2023, 1, 1), date(2023, 12, 31))
    assert spans(sheet.rows[1]) == [("2023-12-01", "2023-12-31")]

    yearless = workbook(("Лист", [["Мероприятие", "Сроки"], ["Отчёт", "декабрь"]]))
    sheet = read_roadmap(yearless, today=date(2026, 11, 30), name="plan.xlsx")
    assert (sheet.starts_on, sheet.ends_on, sheet.title) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        "plan",
    )
    sheet = read_roadmap(yearless, start=date(2027, 9, 1), end=date(2028, 8, 31))
    assert spans(sheet.rows[0]) == [("2027-12-01", "2027-12-31")]


def test_recurrences_expand_over_the_dates_given() -> None:
    rows = [["Мероприятие", "Сроки"], ["Совещание", "1 раз в квартал"], ["Отчёт", "ежегодно"]]
    sheet = read_roadmap(workbook(("Лист", rows)), start=date(2019, 1, 1), end=date(2021, 12, 31))
    quarterly, yearly = sheet.rows
    assert len(quarterly.occurrences) == 12
    assert spans(quarterly)[:2] == [("2019-01-01", "2019-03-31"), ("2019-04-01", "2019-06-30")]
    assert spans(yearly) == [
        ("2019-01-01", "2019-12-31"),
        ("2020-01-01", "2020-12-31"),
        ("2021-01-01", "2021-12-31"),
    ]


def test_file_without_a_period_column_is_refused_politely(tmp_path: Path) -> None:
    data = workbook(("Лист", [["№", "Мероприятие", "Ответственные"], [1, "Семинар", "ИРО"]]))
    with pytest.raises(RoadmapError) as caught:
        read_roadmap(data)
    text = caught.value.render("ru")
    assert "нет столбца со сроками" in text and "«Сроки»" in text and "«Срок (период)»" in text
    assert "строке 1" in text and "«Лист»" in text
    english = caught.value.render("en")
    assert "no column of periods" in english


def test_files_that_are_no_roadmap_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RoadmapError) as caught:
        read_roadmap(b"not a workbook")
    assert caught.value.render("ru") == "Файл не является книгой Excel (.xlsx)"
    with pytest.raises(RoadmapError) as caught:
        read_roadmap(workbook(("Лист", [["Список"], ["ФИО", "Телефон"]])))
    assert "Таблица дорожной карты не найдена" in caught.value.render("ru")
    with pytest.raises(RoadmapError) as caught:
        read_roadmap(workbook(("Лист", [["Мероприятие", "Сроки"], [], [None, None]])))
    assert "нет ни одного мероприятия" in caught.value.render("ru")
    with pytest.raises(RoadmapError):
        read_roadmap(tmp_path / "missing.xlsx")


def test_unwrap_joins_pdf_hyphenation_but_keeps_compounds_and_list_items() -> None:
    assert unwrap("выпол-\nнения") == "выполнения"
    assert unwrap("регионально-\nмуниципальной") == "регионально-муниципальной"
    assert unwrap("психолого-\nпедагогического") == "психолого-педагогического"
    assert unwrap("март -\nапрель") == "март - апрель"
    assert unwrap("2019-\n2020") == "2019-2020"
    assert unwrap("Курсы:\n- директоров;\n- педагогов") == "Курсы:\n- директоров;\n- педагогов"
    assert unwrap("  в течение \n года ") == "в течение года"


# --------------------------------------------------------------------------- the demo


def _seed_periods() -> list[str]:
    """The periods of seed 000's table, found in the text extracted from the PDF."""
    lines = SEED_000.read_text(encoding="utf-8").splitlines()
    text = unwrap("\n".join(line for line in lines if line.strip()))
    month = r"(?:январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь)"
    pattern = rf"\b{month}(?:\s*[-–,]?\s*{month}\b)*|в течение года|по отдельному графику"
    return [" ".join(found.split()) for found in re.findall(pattern, text)]


def test_demo_roadmap_is_seed_000_and_every_period_is_read() -> None:
    sheet = demo_roadmap()
    assert len(sheet.rows) == 33
    assert (sheet.starts_on, sheet.ends_on) == (date(2018, 1, 1), date(2018, 12, 31))
    assert sheet.title.startswith("План-график реализации мероприятия 21")
    assert all(row.reading.kind is not PeriodKind.UNREADABLE for row in sheet.rows)
    assert all("-\n" not in row.title for row in sheet.rows)
    by_period = {row.period: row for row in sheet.rows}
    assert spans(by_period["март - апрель"]) == [("2018-03-01", "2018-04-30")]
    assert (
        len(by_period["март, апрель, август, сентябрь, октябрь, ноябрь, декабрь"].occurrences) == 7
    )
    assert by_period["по отдельному графику"].reading.kind is PeriodKind.NO_FIXED_DATE
    assert sum(row.period == "в течение года" for row in sheet.rows) == 6
    assert sheet.rows[-1].title == "Подготовка отчетов по мероприятию"
    assert spans(sheet.rows[-1]) == [("2018-12-01", "2018-12-31")]
    if SEED_000.exists():  # the same periods, in the same order, as the seed's text
        assert [row.period for row in sheet.rows] == _seed_periods()


def test_demo_roadmap_round_trips_through_excel(tmp_path: Path) -> None:
    sheet = demo_roadmap()
    path = tmp_path / "demo.xlsx"
    write_roadmap_xlsx(sheet, path)
    again = read_roadmap(path)
    assert (again.title, again.sheet, again.starts_on, again.ends_on) == (
        sheet.title,
        sheet.sheet,
        sheet.starts_on,
        sheet.ends_on,
    )
    assert [(r.row, r.title, r.period, r.reading.kind, r.occurrences) for r in again.rows] == [
        (r.row, r.title, r.period, r.reading.kind, r.occurrences) for r in sheet.rows
    ]


def test_template_has_the_headers_and_an_example_that_is_not_imported(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, today=date(2026, 11, 30))
    with pytest.raises(RoadmapError) as caught:
        read_roadmap(path)
    assert "нет ни одного мероприятия" in caught.value.render("ru")


def test_dry_run_rows_and_renderings() -> None:
    rows = [
        ["Мероприятие", "Сроки"],
        ["Семинар", "март - апрель 2018"],
        ["Встреча", "когда-нибудь"],
    ]
    sheet = read_roadmap(workbook(("Лист", rows)))
    assert dry_run_rows(sheet) == [
        {
            "row": 2,
            "title": "Семинар",
            "period": "март - апрель 2018",
            "kind": "range",
            "occurrences": [{"start": "2018-03-01", "end": "2018-04-30"}],
        },
        {
            "row": 3,
            "title": "Встреча",
            "period": "когда-нибудь",
            "kind": "unreadable",
            "occurrences": [],
        },
    ]
    text = render_dry_run(sheet, "ru")
    assert "Строка 2: Семинар — «март - апрель 2018» → период: 01.03.2018 – 30.04.2018" in text
    assert "Строка 3: Встреча — «когда-нибудь» → не прочитан: не понятно слово «когда»" in text
    summary = render_summary(sheet, "ru")
    assert "2 мероприятия" in summary
    assert "Строка 3: Встреча — «когда-нибудь»: не понятно слово «когда»" in summary


def test_responsible_words_it_cannot_map_are_shown_at_import_never_guessed() -> None:
    data = workbook(
        (
            "План",
            [
                ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
                ["1", "Семинар", "март 2026", "ИРО, Минпросвещения России", "Протокол"],
                ["2", "Мониторинг", "апрель 2026", "Рособрнадзор", "Справка"],
                ["3", "Совещание", "май 2026", "РОО, ОО", "Протокол"],
            ],
        )
    )
    sheet = read_roadmap(data)
    summary = render_summary(sheet, "ru")
    assert "за которыми бот не видит никого" in summary
    assert "Строка 2: Семинар — «Минпросвещения России»" in summary
    assert "напоминания получат координаторы" not in summary.split("Строка 2")[1].split("\n")[0]
    assert (
        "Строка 3: Мониторинг — «Рособрнадзор»; других ответственных нет, поэтому напоминания"
        " получат координаторы дорожной карты"
    ) in summary
    assert "Совещание" not in summary.split("никому не напоминают")[1]  # РОО, ОО: mapped
    english = unmapped_lines(sheet, "en", limit=1)
    assert english[1] == "Row 2: Семинар — «Минпросвещения России»"
    assert english[-1] == "and 1 more row"
    assert unmapped_lines(read_roadmap(data), "en", limit=0)[-1] == "and 2 more rows"


# --------------------------------------------------------------------------- by hand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.03.2026", [(date(2026, 3, 15), date(2026, 3, 15))]),
        ("01.03.2026 – 15.04.2026", [(date(2026, 3, 1), date(2026, 4, 15))]),
        ("1-15 марта 2026", [(date(2026, 3, 1), date(2026, 3, 15))]),
        (
            "15.03.2026; 01.04.2026",
            [(date(2026, 3, 15), date(2026, 3, 15)), (date(2026, 4, 1), date(2026, 4, 1))],
        ),
        (
            "15.03.2026, 1-5 апреля 2026",
            [(date(2026, 3, 15), date(2026, 3, 15)), (date(2026, 4, 1), date(2026, 4, 5))],
        ),
        ("март - апрель", [(date(2026, 3, 1), date(2026, 4, 30))]),
        ("до 1 октября текущего года", [(date(2026, 10, 1), date(2026, 10, 1))]),
    ],
)
def test_read_dates_accepts(text: str, expected: list[tuple[date, date]]) -> None:
    assert read_dates(text, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)) == expected


@pytest.mark.parametrize(
    ("text", "russian"),
    [
        ("завтра", "«завтра» — не дата и не срок"),
        ("", "Пожалуйста, напишите даты"),
        ("31.02.2026", "Такой даты нет: 31.02.2026."),
        ("15.04.2026 - 01.03.2026", "заканчивается раньше, чем начинается"),
        ("15.03.2027", "выходит за сроки дорожной карты (01.01.2026 – 31.12.2026)"),
        ("01.12.2026 - 15.01.2027", "выходит за сроки дорожной карты"),
        ("в течение года", "нет дат"),
        ("до марта", "По-прежнему не удаётся прочитать «до марта»: для крайнего срока нужен день"),
    ],
)
def test_read_dates_refuses_with_a_specific_message(text: str, russian: str) -> None:
    with pytest.raises(DatesError) as caught:
        read_dates(text, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    assert russian in caught.value.render("ru")
    assert caught.value.render("en")


def test_describe_reason_for_every_code() -> None:
    assert describe_reason("unknown_word:когда") == Msg(
        "the word «{detail}» is not understood", {"detail": "когда"}
    )
    assert describe_reason("reversed").msgid == "the period ends before it starts"
    assert describe_reason("ambiguous:count_mismatch").msgid.startswith("the number of times")
    assert describe_reason(None) == describe_reason("ambiguous:new_thing")
    for code in (
        "empty",
        "too_long",
        "unexpected:,",
        "bad_date:31.02",
        "bad_year:1200",
        "open_range",
        "ambiguous:date_in_note",
        "ambiguous:deadline_without_day",
        "ambiguous:day_without_month",
        "ambiguous:day_of_month",
        "ambiguous:two_recurrences",
        "ambiguous:dated_recurrence",
        "ambiguous:school_year",
        "ambiguous:school_year_end",
        "ambiguous:times",
    ):
        reason = describe_reason(code)
        assert reason != describe_reason(None), code
        assert str(reason)


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("", ()),  # nobody named: the roadmap's own coordinators
        ("Руководители ОО", (Audience.PRINCIPALS,)),
        ("директора школ", (Audience.PRINCIPALS,)),
        ("Участники программы", (Audience.PRINCIPALS,)),
        ("Общеобразовательные организации", (Audience.PRINCIPALS,)),
        ("Кураторы, тьюторы", (Audience.CURATORS,)),
        ("эксперты-консультанты", (Audience.CURATORS,)),
        ("РОО, ОО", (Audience.PRINCIPALS, Audience.MUNICIPAL)),
        ("Управление образования, руководители ОО", (Audience.PRINCIPALS, Audience.MUNICIPAL)),
        ("ИРО, консультанты", (Audience.CURATORS, Audience.REGIONAL)),
        ("Министерство образования", (Audience.REGIONAL,)),
        ("Петров П.П.", ()),
    ],
)
def test_who_an_action_reaches(text: str, audience: tuple[Audience, ...]) -> None:
    assert audience_of(read_responsible(text)) == audience


# --------------------------------------------------------------------------- storing


async def test_import_stores_rows_and_a_reimport_replaces_it(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate()
    repo = Repo(db)
    try:
        sheet = demo_roadmap()
        first = await import_roadmap(repo, sheet, source="demo.xlsx", person_id=None)
        events = await repo.calendar.events(first)
        assert len(events) == 33
        assert events[7].period_text == "март - апрель" and events[7].kind == "range"
        assert events[7].roles == ()  # nobody named: the roadmap's own coordinators
        occurrences = await repo.calendar.occurrences(events[7].id)
        assert [(o.starts_on, o.ends_on) for o in occurrences] == [
            (date(2018, 3, 1), date(2018, 4, 30))
        ]
        count = await repo.calendar.occurrence_count()
        second = await import_roadmap(repo, sheet, source="demo.xlsx", person_id=None)
        assert [r.id for r in await repo.calendar.roadmaps()] == [second]
        assert len(await repo.calendar.events()) == 33
        assert await repo.calendar.occurrence_count() == count
    finally:
        await db.close()
