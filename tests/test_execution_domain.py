"""The execution of roadmap actions as plain Python: evidence and reasons as typed, a new
period, the marks and how they combine, whose part is whose, the day a request goes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.calendar.execution.evidence import (
    EvidenceError,
    evidence_example,
    read_reason,
    read_typed_evidence,
)
from bot.calendar.execution.new_period import NewPeriodError, read_new_period
from bot.calendar.execution.parts import (
    WHOLE,
    Part,
    answers_for,
    confirms,
    municipality_index,
    part_at,
    parts_of,
    sees,
)
from bot.calendar.execution.status import Mark, combine, point_mark, request_day
from storage.execution import Confirmation
from storage.models import Audience, Roles, School

LIVNY, VERKHOVYE = "Ливенский район", "Верховский район"
SCHOOLS = {
    1: School(1, "МБОУ «Казанская СОШ»", "Казанская СОШ", LIVNY, True, False, None),
    2: School(2, "МБОУ «Речицкая СОШ»", "Речицкая СОШ", LIVNY, True, False, None),
    3: School(3, "МБОУ «Верховская СОШ»", None, VERKHOVYE, False, True, None),
}


def answer(status: str, due: date | None = date(2026, 3, 31), **fields: object) -> Confirmation:
    values: dict[str, object] = {
        "id": 1,
        "event_id": 1,
        "due_on": due,
        "status": status,
        "school_id": None,
        "municipality": None,
        "file_id": None,
        "file_name": None,
        "file_kind": None,
        "link": None,
        "evidence": None,
        "comment": None,
        "new_starts_on": None,
        "new_ends_on": None,
        "new_period": None,
        "person_id": None,
        "person_name": "",
        "created_at": datetime(2026, 3, 31, 7, tzinfo=UTC),
        **fields,
    }
    return Confirmation(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- evidence


def test_a_link_is_kept_apart_from_the_words_around_it() -> None:
    found = read_typed_evidence("Приказ № 45 от 12.03.2026 — school.example.ru/prikaz45.pdf.")
    assert found.link == "https://school.example.ru/prikaz45.pdf"
    assert found.text == "Приказ № 45 от 12.03.2026"
    bare = read_typed_evidence("https://docs.example.org/a?b=1")
    assert (bare.link, bare.text) == ("https://docs.example.org/a?b=1", None)


@pytest.mark.parametrize("text", ["да", "ок", "+", "123", "  "])
def test_a_word_that_names_no_document_is_not_evidence(text: str) -> None:
    with pytest.raises(EvidenceError):
        read_typed_evidence(text)


def test_evidence_and_reasons_have_a_length_limit() -> None:
    with pytest.raises(EvidenceError):
        read_typed_evidence("приказ " * 200)
    assert read_reason("  нет   специалиста  ") == "нет специалиста"
    with pytest.raises(EvidenceError):
        read_reason("нет")


@pytest.mark.parametrize(
    ("result", "example"),
    [
        ("Приказ об утверждении плана", "order No. 45 of 12.03.2026"),
        ("Аналитическая справка", "analytical report of 12.03.2026"),
        ("Протокол совещания", "minutes No. 3 of 12.03.2026"),
        ("", "order No. 45 of 12.03.2026"),
    ],
)
def test_the_example_fits_the_expected_result(result: str, example: str) -> None:
    assert evidence_example(result) == example


# --------------------------------------------------------------------------- new period


def test_a_new_period_is_read_like_the_roadmaps() -> None:
    today = date(2026, 3, 31)
    by = read_new_period("до 15 апреля", today)
    assert (by.starts_on, by.ends_on) == (date(2026, 4, 15), date(2026, 4, 15))
    span = read_new_period("апрель – май", today)
    assert (span.starts_on, span.ends_on) == (date(2026, 4, 1), date(2026, 5, 31))
    assert read_new_period("15.05.2026", today).ends_on == date(2026, 5, 15)
    # typed in December without a year: January is next year's
    assert read_new_period("до 15 января", date(2026, 12, 20)).ends_on == date(2027, 1, 15)


@pytest.mark.parametrize("text", ["", "когда-нибудь", "в течение года", "01.03.2026"])
def test_a_new_period_must_be_a_period_that_has_not_passed(text: str) -> None:
    with pytest.raises(NewPeriodError):
        read_new_period(text, date(2026, 3, 31))


# --------------------------------------------------------------------------- marks

TODAY = date(2026, 4, 10)


def test_the_mark_of_a_point() -> None:
    point = date(2026, 3, 31)
    assert point_mark(point, None, TODAY) is Mark.OVERDUE
    assert point_mark(point, None, point) is Mark.AWAITING
    assert point_mark(point, None, date(2026, 3, 1)) is Mark.UPCOMING
    assert point_mark(None, None, TODAY) is Mark.NO_DATES
    assert point_mark(point, answer("done"), TODAY) is Mark.DONE
    assert point_mark(point, answer("not_done"), TODAY) is Mark.NOT_DONE
    moved = answer("postponed", new_starts_on=date(2026, 4, 15), new_ends_on=date(2026, 4, 15))
    assert point_mark(point, moved, TODAY) is Mark.POSTPONED
    assert point_mark(point, moved, date(2026, 4, 16)) is Mark.OVERDUE  # the new period passed


def test_marks_combine_by_what_needs_attention_first() -> None:
    assert combine([Mark.DONE, Mark.OVERDUE, Mark.NOT_DONE]) is Mark.OVERDUE
    assert combine([Mark.DONE, Mark.NOT_DONE, Mark.POSTPONED]) is Mark.NOT_DONE
    assert combine([Mark.DONE, Mark.DONE]) is Mark.DONE
    assert combine([Mark.DONE, Mark.UPCOMING]) is Mark.IN_PROGRESS
    assert combine([]) is Mark.NO_DATES


def test_a_request_due_on_a_day_off_goes_on_the_working_day_before() -> None:
    assert request_day(date(2026, 3, 31)) == date(2026, 3, 31)  # a Tuesday
    assert request_day(date(2026, 5, 31)) == date(2026, 5, 29)  # Sunday → Friday
    assert request_day(date(2026, 5, 1)) == date(2026, 4, 30)  # Labour Day
    # the New Year holidays, and 31 December 2025 made a day off by the decree
    assert request_day(date(2026, 1, 4)) == date(2025, 12, 30)


# --------------------------------------------------------------------------- parts

PRINCIPAL_1 = Roles(principal_school_id=1)
REGIONAL = Roles(coordinator=True)
LIVNY_COORDINATOR = Roles(coordinator=True, municipalities=frozenset({LIVNY}))
CURATOR = Roles(curator_school_ids=frozenset({3}))


def test_the_parts_of_an_action_follow_its_responsible() -> None:
    schools = parts_of([Audience.PRINCIPALS], None, SCHOOLS)
    # by the names people see: «Казанская СОШ», «МБОУ «Верховская СОШ»», «Речицкая СОШ»
    assert [part.school_id for part in schools] == [1, 3, 2]
    districts = parts_of([Audience.MUNICIPAL], None, SCHOOLS)
    assert {part.municipality for part in districts} == {LIVNY, VERKHOVYE}
    assert parts_of([Audience.REGIONAL], None, SCHOOLS) == [WHOLE]
    # a municipal roadmap: its own district and its own schools only
    own = parts_of([Audience.PRINCIPALS, Audience.MUNICIPAL], LIVNY, SCHOOLS)
    assert own == [Part(municipality=LIVNY), Part(school_id=1), Part(school_id=2)]
    # nobody recognised: the roadmap's own coordinators, as a whole or as its district
    assert parts_of([], None, SCHOOLS) == [WHOLE]
    assert parts_of([], LIVNY, SCHOOLS) == [Part(municipality=LIVNY)]


def test_a_school_answers_only_for_its_own_part() -> None:
    who = [Audience.PRINCIPALS]
    assert confirms(PRINCIPAL_1, Part(school_id=1), who, None, SCHOOLS)
    assert not confirms(PRINCIPAL_1, Part(school_id=2), who, None, SCHOOLS)
    # nobody answers for a school on its behalf, not even the region
    assert not confirms(REGIONAL, Part(school_id=1), who, None, SCHOOLS)
    # a school of another district is not in a municipal roadmap's parts
    assert not confirms(Roles(principal_school_id=3), Part(school_id=3), who, LIVNY, SCHOOLS)


def test_a_district_answers_for_itself_and_the_region_may_on_its_behalf() -> None:
    who = [Audience.MUNICIPAL]
    livny, verkhovye = Part(municipality=LIVNY), Part(municipality=VERKHOVYE)
    assert answers_for(LIVNY_COORDINATOR, livny, who, None, SCHOOLS)
    assert not confirms(LIVNY_COORDINATOR, verkhovye, who, None, SCHOOLS)
    assert not answers_for(REGIONAL, livny, who, None, SCHOOLS)
    assert confirms(REGIONAL, livny, who, None, SCHOOLS)  # when the district has nobody
    assert not confirms(PRINCIPAL_1, livny, who, None, SCHOOLS)


def test_the_whole_action_is_the_regions_or_the_curators() -> None:
    assert answers_for(REGIONAL, WHOLE, [Audience.REGIONAL], None, SCHOOLS)
    assert answers_for(CURATOR, WHOLE, [Audience.CURATORS], None, SCHOOLS)
    assert not answers_for(CURATOR, WHOLE, [Audience.CURATORS], LIVNY, SCHOOLS)
    assert not confirms(PRINCIPAL_1, WHOLE, [Audience.REGIONAL], None, SCHOOLS)
    assert not confirms(LIVNY_COORDINATOR, WHOLE, [Audience.REGIONAL], None, SCHOOLS)


def test_a_button_names_a_part_by_numbers_checked_against_the_action() -> None:
    parts = parts_of([Audience.MUNICIPAL, Audience.PRINCIPALS], None, SCHOOLS)
    verkhovye = Part(municipality=VERKHOVYE)
    index = municipality_index(parts, verkhovye)
    assert part_at(parts, 0, index) == verkhovye
    assert part_at(parts, 0, 99) is None
    assert part_at(parts, 2, 0) == Part(school_id=2)
    assert part_at(parts, 77, 0) is None
    assert part_at(parts, 0, 0) is None  # no whole action here


def test_the_action_as_a_whole_is_overseen_by_who_manages_the_roadmap() -> None:
    assert sees(REGIONAL, WHOLE, SCHOOLS, None)
    assert not sees(LIVNY_COORDINATOR, WHOLE, SCHOOLS, None)  # the region's roadmap
    assert sees(LIVNY_COORDINATOR, WHOLE, SCHOOLS, LIVNY)  # their own district's roadmap
    assert sees(LIVNY_COORDINATOR, Part(school_id=1), SCHOOLS, None)
    assert not sees(LIVNY_COORDINATOR, Part(school_id=3), SCHOOLS, None)
    assert sees(PRINCIPAL_1, Part(school_id=1), SCHOOLS, None)
    assert not sees(PRINCIPAL_1, Part(school_id=2), SCHOOLS, None)
