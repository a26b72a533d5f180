"""The pure parts of the coordinators' report and the school's card: counting per school
and per curator against the target, the order, the year in the program's zone, the
medians next to a school's indicators, and the workbook."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.consultations.card import indicator_rows
from bot.consultations.report import Record, SchoolInfo, build_report
from bot.consultations.workbook import Row, write_workbook

MOSCOW = ZoneInfo("Europe/Moscow")
SCHOOLS = [
    SchoolInfo(1, "Казанская СОШ", "Ливенский район"),
    SchoolInfo(2, "Сосновская СОШ", "Ливенский район"),
    SchoolInfo(3, "Гимназия № 1", "город Ливны"),
    SchoolInfo(4, "СОШ № 2", "город Ливны"),
]


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 7, tzinfo=UTC)


def records() -> list[Record]:
    found = [Record(1, 10, "held", at(3, n)) for n in range(1, 5)]
    found += [
        Record(2, 10, "held", at(4, 1)),
        Record(2, 10, "missed", at(4, 2)),
        Record(2, 11, "declined", at(4, 3)),
        Record(3, 11, "booked", at(12, 20)),
        Record(4, 11, "held", at(5, 5)),
        Record(4, 11, "held", at(5, 6)),
        Record(9, 11, "held", at(5, 7)),  # a school outside the territory
        # 31 December 23:00 in Moscow is still 2026; 1 January 00:30 is 2027
        Record(3, 11, "held", datetime(2026, 12, 31, 20, tzinfo=UTC)),
        Record(3, 11, "held", datetime(2026, 12, 31, 21, 30, tzinfo=UTC)),
    ]
    return found


def test_schools_below_the_target_come_first_by_municipality_fewest_first() -> None:
    report = build_report(2026, SCHOOLS, records(), {10: "Селиванова", 11: "Кондрашов"}, MOSCOW)
    assert [(row.school.name, row.counts.held, row.below) for row in report.schools] == [
        ("Гимназия № 1", 1, True),
        ("СОШ № 2", 2, True),
        ("Сосновская СОШ", 1, True),
        ("Казанская СОШ", 4, False),
    ]
    gymnasium = report.schools[0].counts
    assert (gymnasium.upcoming, gymnasium.cancelled) == (1, 0)
    assert report.schools[2].counts.missed == 1 and report.schools[2].counts.cancelled == 1
    assert len(report.below) == 3 and report.held == 8
    hosts = {row.name: row.counts for row in report.hosts}
    assert [row.name for row in report.hosts] == ["Кондрашов", "Селиванова"]
    assert (hosts["Селиванова"].held, hosts["Селиванова"].missed) == (5, 1)
    assert (hosts["Кондрашов"].held, hosts["Кондрашов"].cancelled) == (3, 1)  # not school 9's


def test_the_target_is_the_programs() -> None:
    report = build_report(2026, SCHOOLS, records(), {}, MOSCOW, target=1)
    assert [row.school.name for row in report.below] == []
    assert report.hosts[0].name == "#10"


def test_a_card_puts_the_school_next_to_its_municipality_and_region() -> None:
    municipality_of = {1: "A", 2: "A", 3: "A", 4: "B"}
    answers = {
        1: {"teachers_share": {"percent": 20.0}, "vacancies": {"count": 3}, "link": {"url": "x"}},
        2: {"teachers_share": {"percent": 40.0}},
        3: {"teachers_share": {"percent": 90.0}, "vacancies": {"count": 1}},
        4: {"teachers_share": {"percent": 10.0}},
    }
    kinds = [("teachers_share", "share"), ("vacancies", "count_list"), ("link", "link")]
    rows = indicator_rows(kinds, 1, municipality_of, answers)
    assert [(r.code, r.value, r.municipality, r.region, r.percent) for r in rows] == [
        ("teachers_share", 20.0, 40.0, 30.0, True),
        ("vacancies", 3.0, 2.0, 2.0, False),
    ]
    assert indicator_rows(kinds, 5, municipality_of, answers) == []


def test_the_workbook_has_the_three_sheets_with_the_report() -> None:
    report = build_report(2026, SCHOOLS, records(), {10: "Селиванова", 11: "Кондрашов"}, MOSCOW)
    row = Row(
        at(3, 1),
        at(3, 1),
        "Селиванова",
        "Казанская СОШ",
        "Ливенский район",
        "онлайн",
        "https://telemost.yandex.ru/j/1",
        "Программа развития",
        "состоялась",
        "",
        "План",
    )
    book = load_workbook(BytesIO(write_workbook(report, [row], "ru", MOSCOW)))
    assert book.sheetnames == ["По школам", "По кураторам", "Консультации"]
    schools = list(book["По школам"].iter_rows(values_only=True))
    assert schools[1][:5] == ("город Ливны", "Гимназия № 1", 1, 4, "да")
    listing = list(book["Консультации"].iter_rows(values_only=True))
    assert listing[1][1] == "10:00–10:00" and listing[1][-1] == "План"
