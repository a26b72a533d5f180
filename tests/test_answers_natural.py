"""Answers as principals really type them: a detail after yes or no, an approximate number,
a word for none, a label before a link; shares kept exact and rounded only when shown."""

from __future__ import annotations

from typing import Any

import pytest

from bot.indicators.answers import messages as A
from bot.indicators.answers.messages import AnswerError
from bot.indicators.answers.numbers import count_or_percent
from bot.indicators.answers.reading import parse_answer
from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import DEFAULT_CATALOG, load_catalog
from bot.indicators.workbook.export import share_fraction

CATALOG = load_catalog(DEFAULT_CATALOG)


def parse(code: str, text: str, **bases: int) -> dict[str, Any]:
    return parse_answer(CATALOG.indicator(code), text, CATALOG, bases)


def show(code: str, value: dict[str, Any], locale: str = "ru") -> str:
    return format_answer(CATALOG.indicator(code), value, CATALOG, locale)


@pytest.mark.parametrize(
    ("text", "yes", "comment"),
    [
        ("да, с ЛГТУ и Елецким колледжем", True, "с ЛГТУ и Елецким колледжем"),
        (
            "Да — с Елецким государственным университетом",
            True,
            "с Елецким государственным университетом",
        ),
        ("нет, но планируем в 2027 году", False, "но планируем в 2027 году"),
        ("да (с Ливенским техникумом)", True, "с Ливенским техникумом"),
    ],
)
def test_yes_or_no_with_a_detail_keeps_the_detail(text: str, yes: bool, comment: str) -> None:
    value = parse("university_agreements", text)
    assert value == {"yes": yes, "comment": comment}
    shown = show("university_agreements", value)
    assert comment in shown
    assert parse("university_agreements", shown) == value  # what is shown reads back the same


@pytest.mark.parametrize("text", ["да нет", "да, нет", "может быть", "наверное"])
def test_yes_and_no_at_once_or_neither_is_refused(text: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse("university_agreements", text)
    assert caught.value.msgid == A.YES_NO_NOT_UNDERSTOOD


@pytest.mark.parametrize(
    ("text", "percent"),
    [("около 20 %", 20.0), ("примерно 35", 35.0), ("~12,5%", 12.5), ("приблизительно 40 %", 40.0)],
)
def test_an_approximate_share_is_taken_as_written(text: str, percent: float) -> None:
    assert parse("young_teachers", text) == {"percent": percent}


@pytest.mark.parametrize("text", ["нет таких", "ни одного", "таких нет", "никого"])
def test_a_word_for_none_is_zero(text: str) -> None:
    assert parse("young_teachers", text)["percent"] == 0.0
    assert parse("young_teachers", text, teachers=40) == {"percent": 0.0, "count": 0, "base": 40}
    assert parse("contest_winners", "0 0 0")  # level counts unchanged
    assert parse("vacancies", text)["count"] == 0


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Ссылка: https://school.ru/plan", "https://school.ru/plan"),
        ("сайт — school.ru/docs/plan.pdf", "https://school.ru/docs/plan.pdf"),
        ("Адрес страницы: http://kazan-sosh.ru/prog", "http://kazan-sosh.ru/prog"),
        ("Link: https://school.ru/a", "https://school.ru/a"),
    ],
)
def test_a_label_before_a_link_is_dropped(text: str, url: str) -> None:
    assert parse("development_program", text) == {"url": url}


def test_a_space_inside_the_address_is_named_as_the_cause() -> None:
    with pytest.raises(AnswerError) as caught:
        parse("development_program", "Ссылка: https://school.ru/ plan")
    assert caught.value.msgid == A.LINK_SPACES
    with pytest.raises(AnswerError) as caught:
        parse("development_program", "mailto:school@school.ru")
    assert caught.value.msgid == A.LINK_SCHEME


def test_a_share_given_as_a_count_is_kept_exact_and_rounded_half_up_when_shown() -> None:
    value = parse("first_category", "5 из 16")
    assert value == {"percent": 31.25, "count": 5, "base": 16}
    assert show("first_category", value) == "5 из 16 (31,3 %)"
    assert show("first_category", value, "en").endswith("(31.3 %)")


def test_the_export_writes_shares_without_binary_noise() -> None:
    assert share_fraction({"percent": 72.9}) == 0.729
    assert share_fraction({"percent": 100 * 12 / 40, "count": 12, "base": 40}) == 0.3
    assert share_fraction({"percent": 31.25, "count": 5, "base": 16}) == 0.3125


@pytest.mark.parametrize(
    ("text", "base", "asked"),
    [("8", 40, 8), ("8", None, None), ("8 %", 40, None), ("8 из 40", 40, None), ("45", 40, None)],
)
def test_a_bare_number_on_a_share_may_be_a_count(
    text: str, base: int | None, asked: int | None
) -> None:
    assert count_or_percent(text, base) == asked
