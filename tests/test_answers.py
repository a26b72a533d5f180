"""Reading answers the way principals type them, showing them back, checking across answers."""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.i18n import Msg, format_number
from bot.indicators.answers import messages as A
from bot.indicators.answers.cross_checks import cross_check
from bot.indicators.answers.links import check_document
from bot.indicators.answers.messages import AnswerError
from bot.indicators.answers.reading import parse_answer, parse_base
from bot.indicators.answers.showing import format_answer
from bot.indicators.answers.text import norm
from bot.indicators.catalog import Indicator, Kind, Text, load_catalog

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog()
NBSP = "\u00a0"
MB = 1024 * 1024
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _made(kind: Kind, **extra: Any) -> Indicator:
    text = Text(ru="проверка", en="check")
    return Indicator(
        code=f"made_{kind.value}",
        kind=kind,
        deadline="10-01",
        title=text,
        short=text,
        help=text,
        **extra,
    )


# The seed's catalog has no plain count; a count of teachers checks the maximum.
COUNT = _made(Kind.COUNT, base="teachers")
PLAIN_COUNT = _made(Kind.COUNT)
PROJECTS_ONLY = CATALOG.indicator("federal_projects").model_copy(update={"allow_other": False})


def parse(code: str | Indicator, text: str, **bases: int) -> dict[str, Any]:
    indicator = code if isinstance(code, Indicator) else CATALOG.indicator(code)
    return parse_answer(indicator, text, CATALOG, bases)


def problem(code: str | Indicator, text: str, **bases: int) -> Msg:
    with pytest.raises(AnswerError) as caught:
        parse(code, text, **bases)
    return caught.value.message


def plain(message: Msg) -> dict[str, Any]:
    """A message's parameters without the ones given in each language (names, titles)."""
    return {k: v for k, v in message.params.items() if not isinstance(v, Text)}


def show(code: str | Indicator, value: dict[str, Any], locale: str) -> str:
    indicator = code if isinstance(code, Indicator) else CATALOG.indicator(code)
    return format_answer(indicator, value, CATALOG, locale)


# ---------------------------------------------------------------- shares


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("30", 30.0),
        ("30%", 30.0),
        ("30 %", 30.0),
        (f"30{NBSP}%", 30.0),
        ("30,5", 30.5),
        ("30.5 %", 30.5),
        ("  30,5% ", 30.5),
        ("30 процентов", 30.0),
        ("0", 0.0),
        ("100", 100.0),
        ("100,0 %", 100.0),
        ("33,33", 33.3),  # more decimals are rounded to one
        ("12,25", 12.3),  # half up
        ("30%.", 30.0),
    ],
)
def test_a_share_as_a_percentage(text: str, percent: float) -> None:
    assert parse("first_category", text) == {"percent": percent}


@pytest.mark.parametrize(
    "text",
    [
        "12 из 40",
        "12/40",
        "12 / 40",
        "12 of 40",
        "12 out of 40",
        "12 из 40 педагогов",
        "12 педагогов из 40",
        "12 ИЗ 40.",
        "12 из 40 (30 %)",
    ],
)
def test_a_share_as_a_count_keeps_both_numbers(text: str) -> None:
    assert parse("first_category", text) == {"percent": 30.0, "count": 12, "base": 40}


def test_a_share_from_counts_with_the_known_base() -> None:
    assert parse("first_category", "12 из 40", teachers=40)["count"] == 12
    assert parse("first_category", "40 из 40", teachers=40)["percent"] == 100.0
    assert parse("first_category", "0/40", teachers=40)["percent"] == 0.0
    assert parse("first_category", "1/3")["percent"] == 100 / 3  # exact: rounded when shown
    assert show("first_category", parse("first_category", "1/3"), "ru") == "1 из 3 (33,3 %)"
    assert show("first_category", parse("first_category", "5 из 16"), "ru") == "5 из 16 (31,3 %)"
    # a bare number stays a percentage even when the base is known
    assert parse("first_category", "12", teachers=40) == {"percent": 12.0}
    # another base does not matter
    assert parse("first_category", "12 из 40", grade4=27)["base"] == 40


@pytest.mark.parametrize(
    ("text", "msgid", "params"),
    [
        ("120", A.SHARE_OVER_100, {"text": "120"}),
        ("100,04 %", A.SHARE_OVER_100, {"text": "100,04 %"}),
        ("-5", A.SHARE_NEGATIVE, {"text": "-5"}),
        ("−5 %", A.SHARE_NEGATIVE, {"text": "−5 %"}),
        ("-3 из 40", A.SHARE_NEGATIVE, {"text": "-3 из 40"}),
        ("тридцать", A.SHARE_NOT_UNDERSTOOD, {"text": "тридцать"}),
        ("30 40", A.SHARE_NOT_UNDERSTOOD, {"text": "30 40"}),
        ("12,5 из 40", A.SHARE_FRACTIONAL_COUNT, {"text": "12,5 из 40"}),
        ("12 из 0", A.SHARE_ZERO_TOTAL, {"text": "12 из 0"}),
        ("50 из 40", A.SHARE_PART_OVER_TOTAL, {"text": "50 из 40", "count": 50, "total": 40}),
    ],
)
def test_a_wrong_share_gets_the_specific_problem(
    text: str, msgid: str, params: dict[str, Any]
) -> None:
    found = problem("first_category", text)
    assert (found.msgid, plain(found)) == (msgid, params)


def test_a_share_count_cannot_exceed_the_base() -> None:
    found = problem("first_category", "12 из 10", teachers=10)
    assert found.msgid == A.SHARE_COUNT_OVER_BASE
    assert plain(found) == {"text": "12 из 10", "count": 12, "base": 10}
    assert found.params["base_title"] == CATALOG.base("teachers").title
    assert "10" in found.render("en") and "teaching staff" in found.render("en")


def test_a_share_total_must_be_the_base() -> None:
    found = problem("first_category", "5 из 40", teachers=10)
    assert found.msgid == A.SHARE_TOTAL_NOT_BASE
    assert plain(found) == {"text": "5 из 40", "count": 5, "total": 40, "base": 10}
    # the base of the indicator is what counts: grade4 for the grade 4 share
    assert problem("grade4_mastered", "25 из 30", grade4=27).params["base"] == 27


def test_the_share_of_managers_uses_its_own_base() -> None:
    found = problem("trained_three_years", "45 из 45", teachers=40, managers_and_teachers=44)
    assert found.msgid == A.SHARE_COUNT_OVER_BASE
    assert found.params["base_title"] == CATALOG.base("managers_and_teachers").title
    assert parse("trained_three_years", "44 из 44", teachers=40, managers_and_teachers=44)


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("3", 3),
        ("3 чел.", 3),
        ("3 человека", 3),
        ("1 200", 1200),
        (f"1{NBSP}200", 1200),
        ("1\u202f200 чел.", 1200),
        ("0", 0),
        ("нет", 0),
        ("３", 3),  # a fullwidth digit
    ],
)
def test_a_count(text: str, count: int) -> None:
    assert parse(PLAIN_COUNT, text) == {"count": count}


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("-3", A.NEGATIVE),
        ("3,5", A.NOT_WHOLE),
        ("три", A.NOT_A_NUMBER),
        ("3 из 5", A.NOT_A_NUMBER),
        ("1 2", A.NOT_A_NUMBER),
        ("99999999999999999999", A.TOO_LARGE),
        ("", A.EMPTY),
        ("   ", A.EMPTY),
    ],
)
def test_a_wrong_count(text: str, msgid: str) -> None:
    assert problem(PLAIN_COUNT, text).msgid == msgid


def test_a_count_not_above_its_maximum() -> None:
    assert parse(COUNT, "40", teachers=40) == {"count": 40}
    found = problem(COUNT, "41", teachers=40)
    assert (found.msgid, plain(found)) == (A.COUNT_ABOVE_BASE, {"count": 41, "base": 40})
    assert found.params["base_title"] == CATALOG.base("teachers").title
    assert parse(COUNT, "41") == {"count": 41}  # the base is not known yet


def test_a_too_long_answer() -> None:
    found = problem(PLAIN_COUNT, "1" * 5000)
    assert (found.msgid, plain(found)) == (A.TOO_LONG, {"length": 5000, "limit": 4096})


# ---------------------------------------------------------------- base counts


@pytest.mark.parametrize(
    ("text", "value"),
    [("40", 40), (" 40 ", 40), ("1 200", 1200), (f"1{NBSP}200 чел.", 1200), ("100 000", 100000)],
)
def test_a_base(text: str, value: int) -> None:
    assert parse_base(text) == value


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("0", A.BASE_NOT_POSITIVE),
        ("нет", A.BASE_NOT_POSITIVE),
        ("100001", A.TOO_LARGE),
        ("-3", A.NEGATIVE),
        ("40,5", A.NOT_WHOLE),
        ("сорок", A.NOT_A_NUMBER),
        ("", A.EMPTY),
    ],
)
def test_a_wrong_base(text: str, msgid: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_base(text)
    assert caught.value.message.msgid == msgid


# ---------------------------------------------------------------- count lists

TWO = {"count": 2, "items": ["учитель математики", "учитель физики"]}
NONE_LIST = {"count": 0, "items": []}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2: учитель математики, учитель физики", TWO),
        ("2 — учитель математики; учитель физики", TWO),
        ("2 - учитель математики, учитель физики.", TWO),
        ("2 вакансии: учитель математики, учитель физики", TWO),
        ("2 (учитель математики, учитель физики)", TWO),
        ("учитель математики, учитель физики", TWO),
        ("- учитель математики\n- учитель физики", TWO),
        ("1) учитель математики\n2) учитель физики", TWO),
        ("2:\nучитель математики\nучитель физики", TWO),
        ("0", NONE_LIST),
        ("нет", NONE_LIST),
        ("Нет.", NONE_LIST),
        ("no", NONE_LIST),
        ("нет вакансий", NONE_LIST),
        ("Вакансии отсутствуют", NONE_LIST),
        ("0 вакансий", NONE_LIST),
        (
            "3: учитель математики (2), учитель физики",
            {"count": 3, "items": ["учитель математики (2)", "учитель физики"]},
        ),
        (
            "учитель математики (2), учитель физики",
            {"count": 3, "items": ["учитель математики (2)", "учитель физики"]},
        ),
        (
            "3: учитель математики, учитель физики",
            {"count": 3, "items": ["учитель математики", "учитель физики"]},
        ),
        (
            "1: учитель (математика, физика)",
            {"count": 1, "items": ["учитель (математика, физика)"]},
        ),
    ],
)
def test_a_count_list(text: str, value: dict[str, Any]) -> None:
    assert parse("vacancies", text) == value


def test_a_count_smaller_than_the_list_is_refused() -> None:
    found = problem("vacancies", "1: учитель математики, учитель физики")
    assert found.msgid == A.LIST_COUNT_BELOW_ITEMS
    assert plain(found) == {
        "count": 1,
        "listed": 2,
        "items": "учитель математики, учитель физики",
    }
    assert problem("vacancies", "2: учитель математики (2), учитель физики").params["listed"] == 3
    assert problem("vacancies", "0: учитель физики").msgid == A.LIST_COUNT_BELOW_ITEMS


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("2", A.LIST_NO_ITEMS),
        ("2 вакансии", A.LIST_NO_ITEMS),
        ("-2: учитель физики", A.NEGATIVE),
        ("2,5: учитель физики", A.NOT_WHOLE),
        ("2: ???", A.LIST_NOT_UNDERSTOOD),
        ("2: " + "а" * 300, A.LIST_ITEM_TOO_LONG),
    ],
)
def test_a_wrong_count_list(text: str, msgid: str) -> None:
    assert problem("vacancies", text).msgid == msgid


# ---------------------------------------------------------------- level counts

LEVELS = {"federal": 0, "regional": 1, "municipal": 3}


@pytest.mark.parametrize(
    "text",
    [
        "0 1 3",
        "0, 1, 3",
        "0,1,3",
        "0/1/3",
        "0; 1; 3",
        "федеральный 0, региональный 1, муниципальный 3",
        "муниципальный 3, федеральный 0, региональный 1",
        "Федеральный: 0\nРегиональный: 1\nМуниципальный: 3",
        "федеральный уровень — нет, региональный — 1, муниципальный — 3",
        "3 муниципальных, 1 регионального",
        "фед. 0; рег. 1; мун. 3",
        "federal 0, regional 1, municipal 3",
        "municipal 3 regional 1",
    ],
)
def test_level_counts(text: str) -> None:
    assert parse("contest_winners", text) == LEVELS


@pytest.mark.parametrize("text", ["0", "нет", "no", "Нет."])
def test_no_level_counts(text: str) -> None:
    assert parse("contest_winners", text) == {"federal": 0, "regional": 0, "municipal": 0}


def test_wrong_level_counts() -> None:
    found = problem("contest_winners", "0 1")
    assert found.msgid == A.LEVELS_NOT_UNDERSTOOD
    assert plain(found) == {"text": "0 1", "number": 3, "example": "0 1 2"}
    assert found.params["levels"].en == "federal, regional, municipal"
    assert problem("contest_winners", "abc").msgid == A.LEVELS_NOT_UNDERSTOOD
    assert problem("contest_winners", "5").msgid == A.LEVELS_NOT_UNDERSTOOD
    assert problem("contest_winners", "-1 0 0").msgid == A.NEGATIVE
    assert problem("contest_winners", "федеральный -1").msgid == A.NEGATIVE
    assert problem("contest_winners", "федеральный 1,5").msgid == A.NOT_WHOLE
    unknown = problem("contest_winners", "международный 2")
    assert (unknown.msgid, plain(unknown)) == (A.LEVEL_UNKNOWN, {"word": "международный"})
    twice = problem("contest_winners", "федеральный 1, федеральный 2")
    assert twice.msgid == A.LEVEL_REPEATED
    assert twice.params["level"] == CATALOG.level("federal").title
    missing = problem("contest_winners", "федеральный, региональный 1")
    assert missing.msgid == A.LEVEL_WITHOUT_NUMBER


def test_level_counts_total_not_above_the_base() -> None:
    assert parse("contest_winners", "2 3 5", teachers=10)["municipal"] == 5
    found = problem("contest_winners", "5 5 5", teachers=10)
    assert (found.msgid, plain(found)) == (A.LEVELS_TOTAL_OVER_BASE, {"total": 15, "base": 10})


# ---------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    "text",
    [
        "да",
        "Да",
        "ДА!",
        " да. ",
        "д",
        "yes",
        "Y",
        "есть",
        "имеется",
        "+",
        "да, есть",
        "Да, имеются",
    ],
)
def test_yes(text: str) -> None:
    assert parse("university_agreements", text) == {"yes": True}


@pytest.mark.parametrize(
    "text", ["нет", "Нет.", "НЕТ!!!", "н", "no", "N", "отсутствует", "-", "не имеется", "нет, нету"]
)
def test_no(text: str) -> None:
    assert parse("university_agreements", text) == {"yes": False}


@pytest.mark.parametrize("text", ["может быть", "да нет", "да, нет", "1", "договор"])
def test_neither_yes_nor_no(text: str) -> None:
    found = problem("university_agreements", text)
    assert (found.msgid, plain(found)) == (A.YES_NO_NOT_UNDERSTOOD, {"text": text})


# ---------------------------------------------------------------- choice


@pytest.mark.parametrize(
    ("text", "options", "other"),
    [
        ("Точка роста", ["tochka_rosta"], None),
        ("«Точка роста»", ["tochka_rosta"], None),
        ('"ТОЧКА РОСТА"', ["tochka_rosta"], None),
        ("точке роста", ["tochka_rosta"], None),
        ("Tochka Rosta", ["tochka_rosta"], None),
        ("Point of growth", ["tochka_rosta"], None),
        ("Участвуем в проекте «Точка роста».", ["tochka_rosta"], None),
        ("Всё лучшее детям", ["best_for_children"], None),
        ("педагоги и наставники", ["teachers_and_mentors"], None),
        ("наставники", ["teachers_and_mentors"], None),
        (
            "точка роста и «Мы вместе»",
            ["tochka_rosta", "we_are_together"],
            None,
        ),
        (
            "Педагоги и наставники\nРоссия — страна возможностей",
            ["teachers_and_mentors", "land_of_opportunity"],
            None,
        ),
        # the federal projects of 2019–2024 are not offered any more: typed, they are kept
        # as typed (an earlier answer with their codes still reads, see below)
        ("Успех каждого ребенка", [], "Успех каждого ребенка"),
        ("Точка роста, Моя школа", ["tochka_rosta"], "Моя школа"),
        ("Билет в будущее; Проектория", [], "Билет в будущее, Проектория"),
        ("нет", [], None),
        ("no", [], None),
        ("Не участвует", [], None),
    ],
)
def test_a_choice(text: str, options: list[str], other: str | None) -> None:
    assert parse("federal_projects", text) == {"options": options, "other": other}


def test_an_unknown_option_without_other_is_refused() -> None:
    assert parse(PROJECTS_ONLY, "Точка роста") == {"options": ["tochka_rosta"], "other": None}
    found = problem(PROJECTS_ONLY, "Точка роста, Моя школа")
    assert (found.msgid, plain(found)) == (A.CHOICE_UNKNOWN, {"text": "Моя школа"})
    assert "«Точка роста»" in found.params["options"].ru
    assert "Teachers and Mentors" in found.render("en")
    assert "Modern School" not in found.render("en")  # the options offered now only


def test_unclear_choices() -> None:
    assert problem("federal_projects", "нет, Точка роста").msgid == A.CHOICE_NONE_AND_OPTIONS
    assert problem("federal_projects", "участвуем в проекте").msgid == A.CHOICE_NOTHING
    ambiguous = _made(Kind.CHOICE, options=("modern_school", "digital_school"), allow_other=True)
    # "school" is in no title twice, but "«Современная школа»" and a made-up title may share it
    assert parse(ambiguous, "школа") == {"options": ["modern_school"], "other": None}


def test_an_ambiguous_partial_name_is_refused() -> None:
    catalog = CATALOG.model_copy(
        update={
            "options": (
                *CATALOG.options,
                CATALOG.option("modern_school").model_copy(
                    update={
                        "code": "school_of_the_future",
                        "title": Text(ru="«Школа будущего»", en="School of the future"),
                    }
                ),
            )
        }
    )
    indicator = _made(Kind.CHOICE, options=("modern_school", "school_of_the_future"))
    with pytest.raises(AnswerError) as caught:
        parse_answer(indicator, "школа", catalog, {})
    assert caught.value.message.msgid == A.CHOICE_AMBIGUOUS
    assert parse_answer(indicator, "школа будущего", catalog, {})["options"] == [
        "school_of_the_future"
    ]


# ---------------------------------------------------------------- links


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://school.ru/page", "https://school.ru/page"),
        ("http://school.ru", "http://school.ru"),
        ("HTTPS://School.ru/Page", "https://School.ru/Page"),
        ("school.ru/page", "https://school.ru/page"),
        ("www.school.ru", "https://www.school.ru"),
        ("  https://school.ru/page.  ", "https://school.ru/page"),
        ("<https://school.ru/page>", "https://school.ru/page"),
        ("https://школа.рф/документы", "https://школа.рф/документы"),
        ("школа.рф", "https://школа.рф"),
        ("school.ru:8080/a?b=c#d", "https://school.ru:8080/a?b=c#d"),
    ],
)
def test_a_link(text: str, url: str) -> None:
    assert parse("development_program", text) == {"url": url}


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("ftp://school.ru/file", A.LINK_SCHEME),
        ("javascript:alert(1)", A.LINK_SCHEME),
        ("mailto:school@school.ru", A.LINK_SCHEME),
        ("file:///etc/passwd", A.LINK_SCHEME),
        ("https://school.ru/my page", A.LINK_SPACES),
        ("school.ru/my page", A.LINK_SPACES),
        ("https://", A.LINK_NO_HOST),
        ("https:///page", A.LINK_NO_HOST),
        ("нет", A.LINK_NOT_URL),
        ("см. сайт школы", A.LINK_NOT_URL),
        ("school", A.LINK_NOT_URL),
        ("30.5", A.LINK_NOT_URL),
        ("http:school.ru", A.LINK_NOT_URL),
        ("https://user@evil.ru", A.LINK_NOT_URL),
        ("https://school.ru:99999/", A.LINK_NOT_URL),
        ("https://school..ru", A.LINK_NOT_URL),
    ],
)
def test_a_wrong_link(text: str, msgid: str) -> None:
    found = problem("development_program", text)
    assert found.msgid == msgid
    assert plain(found) == {"text": text.strip()}


def test_a_link_at_most_2000_characters() -> None:
    base = "https://school.ru/"
    assert parse("local_acts", base + "a" * (2000 - len(base)))
    found = problem("local_acts", base + "a" * 2000)
    assert (found.msgid, plain(found)) == (A.LINK_TOO_LONG, {"length": 2018, "limit": 2000})


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("справка.pdf", "application/pdf"),
        ("Справка.PDF", None),
        ("результаты.docx", "application/octet-stream"),
        ("итоги.doc", None),
        ("ВПР.xls", None),
        ("ГИА.XLSX", None),
    ],
)
def test_a_document(name: str, mime: str | None) -> None:
    value = check_document(name, 123_456, mime)
    assert value["file_name"] == name
    assert value["size"] == 123_456
    assert value["mime_type"] == (mime or A.DOCUMENT_TYPES[name.rsplit(".", 1)[1].lower()])


def test_a_document_without_an_extension_goes_by_its_mime_type() -> None:
    assert check_document("справка", 10, "application/pdf")["mime_type"] == "application/pdf"
    with pytest.raises(AnswerError) as caught:
        check_document("справка", 10, None)
    assert caught.value.message.msgid == A.DOCUMENT_NO_TYPE


@pytest.mark.parametrize("name", ["фото.jpg", "справка.pdf.exe", "архив.zip", "text.txt"])
def test_a_document_of_another_type_is_refused(name: str) -> None:
    with pytest.raises(AnswerError) as caught:
        check_document(name, 1000, "application/pdf")
    found = caught.value.message
    assert found.msgid == A.DOCUMENT_TYPE
    assert found.params["file_name"] == name
    assert found.params["extension"] == name.rsplit(".", 1)[1].upper()


def test_a_too_big_document_is_refused_with_both_sizes() -> None:
    assert check_document("справка.pdf", 20 * MB, None)
    with pytest.raises(AnswerError) as caught:
        check_document("справка.pdf", 20 * MB + 1, None)
    found = caught.value.message
    assert found.msgid == A.DOCUMENT_TOO_BIG
    assert plain(found) == {"file_name": "справка.pdf", "size": 20.1, "limit": 20}
    assert "20,1" in found.render("ru") and "20.1 MB" in found.render("en")
    with pytest.raises(AnswerError) as caught:
        check_document("справка.pdf", 0, None)
    assert caught.value.message.msgid == A.DOCUMENT_EMPTY


def test_a_document_answered_with_text() -> None:
    found = problem("assessment_results", "справка во вложении")
    assert found.msgid == A.DOCUMENT_AS_TEXT


# ---------------------------------------------------------------- showing answers


def test_format_answer() -> None:
    assert show("first_category", {"percent": 30.5}, "ru") == "30,5 %"
    assert show("first_category", {"percent": 30.5}, "en") == "30.5 %"
    assert show("first_category", {"percent": 30.0}, "ru") == "30 %"
    counted = {"percent": 30.0, "count": 12, "base": 40}
    assert show("first_category", counted, "en") == "12 of 40 (30 %)"
    assert show("first_category", {**counted, "percent": 33.3}, "ru").endswith("(33,3 %)")
    assert show("university_agreements", {"yes": True}, "en") == "yes"
    assert show("university_agreements", {"yes": False}, "en") == "no"
    assert show("vacancies", TWO, "ru") == "2: учитель математики, учитель физики"
    assert show("vacancies", NONE_LIST, "ru") == "0"
    assert show("contest_winners", LEVELS, "ru") == (
        "федеральный 0, региональный 1, муниципальный 3"
    )
    assert show("contest_winners", LEVELS, "en") == "federal 0, regional 1, municipal 3"
    projects = {"options": ["tochka_rosta", "modern_school"], "other": "Моя школа"}
    # an earlier answer's federal project of 2019–2024 is shown as such
    assert show("federal_projects", projects, "ru") == (
        "«Точка роста», «Современная школа» (нацпроект «Образование», 2019–2024), Моя школа"
    )
    assert show("federal_projects", {"options": [], "other": None}, "en") == "none"
    assert show("development_program", {"url": "https://school.ru/p"}, "ru") == (
        "https://school.ru/p"
    )
    document = {"file_name": "справка.pdf", "size": 1_300_000, "mime_type": "application/pdf"}
    assert show("assessment_results", document, "ru").startswith("справка.pdf (1,2 ")
    assert show("assessment_results", {**document, "size": 2000}, "en") == "справка.pdf (2 KB)"
    assert show(COUNT, {"count": 1200}, "ru") == "1200"


def test_the_russian_texts_of_what_is_shown() -> None:
    russian = _russian_texts()
    assert russian[A.SHARE_OF].format(count=12, base=40, percent="30") == "12 из 40 (30 %)"
    assert (russian[A.YES], russian[A.NO], russian[A.NONE]) == ("да", "нет", "нет")
    # what is shown in Russian is read back
    assert parse("first_category", "12 из 40 (30 %)") == {"percent": 30.0, "count": 12, "base": 40}
    assert parse("university_agreements", russian[A.YES]) == {"yes": True}
    assert parse("federal_projects", russian[A.NONE]) == {"options": [], "other": None}


def test_format_number() -> None:
    assert format_number(30.0, "ru") == "30"
    assert format_number(30.5, "ru") == "30,5"
    assert format_number(30.5, "en") == "30.5"
    assert format_number(0.0, "en") == "0"
    assert format_number(100.0, "ru") == "100"
    assert format_number(12, "ru") == "12"


def test_a_problem_renders_numbers_and_names_in_the_locale() -> None:
    found = Msg(
        A.CROSS_NOT_MORE_THAN,
        {
            "first_value": 40.5,
            "second_value": 30.0,
            "first": Text(ru="Первый", en="First"),
            "second": Text(ru="Второй", en="Second"),
        },
    )
    english = found.render("en")
    assert "“First” (40.5 %)" in english and "“Second” (30 %)" in english
    russian = found.render("ru")  # English until the catalog is merged, but Russian names
    assert "40,5" in russian and "Первый" in russian
    assert str(AnswerError(found)) == english


# ---------------------------------------------------------------- cross-checks


def share(percent: float, count: int | None = None, base: int | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {"percent": percent}
    if count is not None:
        value.update(count=count, base=base)
    return value


def test_cross_check_nothing_to_say() -> None:
    assert cross_check(CATALOG, {}, {}) == []
    assert cross_check(CATALOG, {"first_category": share(80)}, {"teachers": 40}) == []
    answers = {
        "first_category": share(50),
        "highest_category": share(50),
        "federal_register_training": share(30),
        "raised_qualification": share(30),
    }
    assert cross_check(CATALOG, answers, {}) == []
    # rounding of each share is allowed for: 1/3 + 2/3
    assert (
        cross_check(CATALOG, {"first_category": share(33.3), "highest_category": share(66.8)}, {})
        == []
    )


def test_cross_check_shares_above_100_together() -> None:
    found = cross_check(CATALOG, {"first_category": share(60), "highest_category": share(50)}, {})
    assert len(found) == 1
    code, issue = found[0]
    assert code == "highest_category"
    assert (issue.msgid, plain(issue)) == (A.CROSS_SUM, {"total": 110.0})
    assert "First category" in issue.render("en") and "Highest category" in issue.render("en")


def test_cross_check_shares_by_counts_is_exact() -> None:
    answers = {
        "first_category": share(50.0, 500, 1000),
        "highest_category": share(50.1, 501, 1000),
    }
    [(code, issue)] = cross_check(CATALOG, answers, {})
    assert code == "highest_category"
    assert (issue.msgid, plain(issue)) == (A.CROSS_SUM_COUNTS, {"total": 1001, "base": 1000})


def test_cross_check_not_more_than() -> None:
    answers = {"federal_register_training": share(40), "raised_qualification": share(30)}
    [(code, issue)] = cross_check(CATALOG, answers, {})
    assert code == "federal_register_training"
    assert issue.msgid == A.CROSS_NOT_MORE_THAN
    assert plain(issue) == {"first_value": 40.0, "second_value": 30.0}
    exact = {
        "federal_register_training": share(30.1, 301, 1000),
        "raised_qualification": share(30.0, 300, 1000),
    }
    assert [code for code, _ in cross_check(CATALOG, exact, {})] == ["federal_register_training"]
    equal = {"federal_register_training": share(30), "raised_qualification": share(30)}
    assert cross_check(CATALOG, equal, {}) == []


def test_cross_check_counts_against_the_base() -> None:
    answers = {
        "first_category": share(30.0, 12, 40),
        "contest_winners": {"federal": 5, "regional": 5, "municipal": 5},
    }
    found = cross_check(CATALOG, answers, {"teachers": 10})
    assert [(code, issue.msgid, plain(issue)) for code, issue in found] == [
        ("first_category", A.CROSS_COUNT_OVER_BASE, {"count": 12, "base": 10}),
        ("contest_winners", A.CROSS_COUNT_OVER_BASE, {"count": 15, "base": 10}),
    ]
    assert found[0][1].params["indicator"] == CATALOG.indicator("first_category").short
    changed = cross_check(CATALOG, {"first_category": share(30.0, 12, 40)}, {"teachers": 50})
    [(code, issue)] = changed
    assert (code, issue.msgid) == ("first_category", A.CROSS_BASE_CHANGED)
    assert plain(issue) == {"count": 12, "total": 40, "base": 50}
    assert cross_check(CATALOG, {"first_category": share(30.0, 12, 40)}, {"teachers": 40}) == []


def test_cross_check_of_one_answer_finds_only_what_involves_it() -> None:
    """The form checks each new answer against the others this way: the problems of
    other answers are not its own."""
    answers = {
        "first_category": share(60),
        "highest_category": share(50),
        "contest_winners": {"federal": 5, "regional": 5, "municipal": 5},
        "federal_register_training": share(40),
        "raised_qualification": share(30),
    }
    everything = cross_check(CATALOG, answers, {"teachers": 10})
    assert sorted(code for code, _ in everything) == [
        "contest_winners", "federal_register_training", "highest_category"
    ]  # fmt: skip

    def involving(code: str) -> list[tuple[str, str]]:
        found = cross_check(CATALOG, answers, {"teachers": 10}, code)
        return [(culprit, issue.msgid) for culprit, issue in found]

    assert involving("first_category") == [("highest_category", A.CROSS_SUM)]
    assert involving("contest_winners") == [("contest_winners", A.CROSS_COUNT_OVER_BASE)]
    assert involving("raised_qualification") == [
        ("federal_register_training", A.CROSS_NOT_MORE_THAN)
    ]
    assert involving("vacancies") == []


def test_cross_check_skips_what_it_cannot_read() -> None:
    answers: dict[str, Any] = {
        "first_category": {"oops": 1},
        "highest_category": share(90),
        "contest_winners": {"federal": "many"},
        "unknown_code": share(200),
    }
    assert cross_check(CATALOG, answers, {"teachers": 10}) == []


# ---------------------------------------------------------------- the Russian texts


@cache
def _msgids() -> frozenset[str]:
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in (ROOT / "bot" / "indicators" / "answers").glob("*.py")
    ]
    return frozenset(
        node.args[0].value
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and isinstance(node.args[0], ast.Constant)
    )


def _russian_texts() -> dict[str, str]:
    """The Russian texts of the answer messages, from the Russian catalog."""
    with (ROOT / "locales" / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    assert catalog.mime_headers and dict(catalog.mime_headers)["Language"] == "ru"
    wanted = _msgids()
    return {str(m.id): str(m.string) for m in catalog if m.id in wanted and m.string}


def test_every_message_has_a_russian_text_with_the_same_placeholders() -> None:
    russian = _russian_texts()
    msgids = _msgids()
    assert len(msgids) >= 40
    for msgid in msgids:
        assert msgid in russian, msgid
        text = russian[msgid]
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", msgid)), msgid
        assert re.search(r"[а-яё]", text, re.I), msgid
    assert set(russian) == msgids


# ---------------------------------------------------------------- properties

LOCALES = st.sampled_from(["ru", "en"])


@st.composite
def typed_percent(draw: st.DrawFn) -> tuple[str, float]:
    tenths = draw(st.integers(0, 1000))
    whole, tenth = divmod(tenths, 10)
    if tenth == 0 and draw(st.booleans()):
        number = str(whole)
    else:
        number = f"{whole}{draw(st.sampled_from([',', '.']))}{tenth}"
    suffix = draw(st.sampled_from(["", "%", " %", f"{NBSP}%", "  %"]))
    left = draw(st.sampled_from(["", " ", "  ", "\t"]))
    right = draw(st.sampled_from(["", " ", "  ", "\n"]))
    return f"{left}{number}{suffix}{right}", tenths / 10


@FAST
@given(typed_percent())
def test_any_typed_percentage_reads_back(case: tuple[str, float]) -> None:
    text, percent = case
    assert parse("first_category", text) == {"percent": percent}


@FAST
@given(
    st.integers(0, 10000).flatmap(lambda y: st.tuples(st.integers(0, y), st.just(y))),
    st.sampled_from(["{x} из {y}", "{x}/{y}", "{x} / {y}", "{x} of {y}"]),
    st.booleans(),
)
def test_any_count_of_a_total_keeps_both_numbers(
    xy: tuple[int, int], form: str, base_known: bool
) -> None:
    x, y = xy
    assume(y > 0)
    bases = {"teachers": y} if base_known else {}
    value = parse("first_category", form.format(x=x, y=y), **bases)
    assert value == {"percent": 100 * x / y, "count": x, "base": y}  # exact; rounded when shown


@FAST
@given(
    st.integers(1, 10000).flatmap(lambda x: st.tuples(st.just(x), st.integers(0, x - 1))),
    st.sampled_from(["{x} из {y}", "{x}/{y}", "{x} of {y}"]),
    st.none() | st.integers(1, 10000),
)
def test_a_part_larger_than_the_total_is_always_refused(
    xy: tuple[int, int], form: str, base: int | None
) -> None:
    x, y = xy
    bases = {"teachers": base} if base else {}
    with pytest.raises(AnswerError):
        parse("first_category", form.format(x=x, y=y), **bases)


@FAST
@given(st.integers(0, A.MAX_COUNT), st.sampled_from([" ", NBSP, "\u202f", ""]), st.booleans())
def test_counts_with_thousands_spaces_read_back(n: int, space: str, unit: bool) -> None:
    text = f"{n:,}".replace(",", space) + (" чел." if unit else "")
    assert parse(PLAIN_COUNT, text) == {"count": n}
    if 1 <= n <= A.MAX_BASE:
        assert parse_base(text) == n


@FAST
@given(st.integers(0, 1000), LOCALES)
def test_a_shown_percentage_reads_back(tenths: int, locale: str) -> None:
    value = {"percent": tenths / 10}
    assert parse("first_category", show("first_category", value, locale)) == value


@FAST
@given(
    st.integers(1, 10000).flatmap(lambda y: st.tuples(st.integers(0, y), st.just(y))),
    LOCALES,
    st.booleans(),
)
def test_a_shown_count_of_a_total_reads_back(
    xy: tuple[int, int], locale: str, base_known: bool
) -> None:
    x, y = xy
    bases = {"teachers": y} if base_known else {}
    value = parse("first_category", f"{x} из {y}", **bases)
    assert parse("first_category", show("first_category", value, locale), **bases) == value


@FAST
@given(st.integers(0, A.MAX_COUNT), LOCALES)
def test_a_shown_count_reads_back(n: int, locale: str) -> None:
    value = {"count": n}
    assert parse(PLAIN_COUNT, show(PLAIN_COUNT, value, locale)) == value


@FAST
@given(st.booleans(), LOCALES)
def test_a_shown_yes_or_no_reads_back(yes: bool, locale: str) -> None:
    value = {"yes": yes}
    assert parse("university_agreements", show("university_agreements", value, locale)) == value
    russian = _russian_texts()[A.YES if yes else A.NO]
    assert parse("university_agreements", russian) == value


@FAST
@given(st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300)), LOCALES)
def test_shown_level_counts_read_back(numbers: tuple[int, int, int], locale: str) -> None:
    value = dict(zip(("federal", "regional", "municipal"), numbers, strict=True))
    text = show("contest_winners", value, locale)
    assert parse("contest_winners", text) == value
    assert parse("contest_winners", " ".join(map(str, numbers))) == value


WORD = st.text(
    alphabet="абвгдеёжзийклмнопрстуфхцчшщыьэюяabcdefghijklmnopqrstuvwxyzАБВМУ",
    min_size=1,
    max_size=12,
)
ITEM = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


@FAST
@given(st.lists(ITEM, max_size=6), st.integers(0, 3), LOCALES)
def test_shown_count_lists_read_back(items: list[str], extra: int, locale: str) -> None:
    assume(all(norm(item) not in A.LIST_TOPICS for item in items))
    value = {"count": len(items) + extra if items else 0, "items": items}
    text = show("vacancies", value, locale)
    assert parse("vacancies", text) == value
    if items:
        assert parse("vacancies", show("vacancies", parse("vacancies", text), locale)) == value


GARBAGE = (
    st.text(max_size=80)
    | st.from_regex(r"[-–—0-9 ,./:;%()x×a-zа-яё«»\"'+\n]{0,40}", fullmatch=True)
    | st.from_regex(r"[a-z]{0,8}:/{0,3}[a-zа-я0-9.@:\[\]%-]{0,30}", fullmatch=True)
)
INDICATORS = st.sampled_from([*CATALOG.indicators, COUNT, PLAIN_COUNT, PROJECTS_ONLY])


@settings(max_examples=400, deadline=None)
@given(INDICATORS, GARBAGE, st.none() | st.integers(1, 200))
def test_garbage_raises_only_answer_errors(
    indicator: Indicator, text: str, base: int | None
) -> None:
    bases = {"teachers": base, "managers_and_teachers": base, "grade4": base} if base else {}
    try:
        value = parse_answer(indicator, text, CATALOG, bases)
    except AnswerError as error:
        found = error.message
        assert found.msgid in _msgids()
        for locale in ("ru", "en"):
            assert found.render(locale)
        return
    json.dumps(value)  # stored as JSON
    for locale in ("ru", "en"):
        assert isinstance(show(indicator, value, locale), str)


@FAST
@given(GARBAGE)
def test_garbage_bases_raise_only_answer_errors(text: str) -> None:
    try:
        assert 1 <= parse_base(text) <= A.MAX_BASE
    except AnswerError:
        pass


@FAST
@given(st.text(max_size=40), st.integers(-5, 40 * MB), st.none() | st.text(max_size=30))
def test_any_file_is_accepted_or_refused_politely(name: str, size: int, mime: str | None) -> None:
    try:
        value = check_document(name, size, mime)
    except AnswerError:
        return
    assert 0 < value["size"] <= A.MAX_DOCUMENT_BYTES
    json.dumps(value)


def test_a_full_option_title_with_brackets_leaves_nothing_over() -> None:
    catalog = load_catalog()
    indicator = catalog.indicator("federal_projects")
    value = parse_answer(indicator, "Tochka Rosta (Point of Growth)", catalog, {})
    assert value == {"options": ["tochka_rosta"], "other": None}
