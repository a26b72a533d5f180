"""Who a roadmap action reaches and whose calendar shows it: the audience its «Ответственные»
names, within the territory of its roadmap (the region's or a municipality's)."""

from __future__ import annotations

from bot.calendar.audience import reaches, sees_roadmap, shows
from storage.models import Audience, Roles, School

LIVNY_DISTRICT, LIVNY_CITY = "Ливенский район", "город Ливны"
SCHOOLS = {
    1: School(1, "МБОУ «Казанская СОШ»", "Казанская СОШ", LIVNY_DISTRICT, True, False, None),
    2: School(2, "МБОУ «Гимназия»", "Гимназия", LIVNY_CITY, False, True, None),
}
REGIONAL = Roles(coordinator=True)
DISTRICT = Roles(coordinator=True, municipalities=frozenset({LIVNY_DISTRICT}))
CITY = Roles(coordinator=True, municipalities=frozenset({"Город Ливны"}))  # spelled otherwise
PRINCIPAL_1 = Roles(principal_school_id=1)
PRINCIPAL_2 = Roles(principal_school_id=2)
CURATOR_2 = Roles(curator_school_ids=frozenset({2}))
P, C, M, R = Audience.PRINCIPALS, Audience.CURATORS, Audience.MUNICIPAL, Audience.REGIONAL


def test_a_regional_action_reaches_the_roles_it_names_everywhere() -> None:
    assert reaches(PRINCIPAL_1, (P,), None, SCHOOLS)
    assert reaches(PRINCIPAL_2, (P,), None, SCHOOLS)
    assert not reaches(CURATOR_2, (P,), None, SCHOOLS)
    assert reaches(CURATOR_2, (C,), None, SCHOOLS)
    # «муниципальные координаторы» in a regional roadmap: each municipality's
    assert reaches(DISTRICT, (M,), None, SCHOOLS) and reaches(CITY, (M,), None, SCHOOLS)
    assert not reaches(REGIONAL, (M,), None, SCHOOLS)
    assert reaches(REGIONAL, (R,), None, SCHOOLS) and not reaches(DISTRICT, (R,), None, SCHOOLS)


def test_a_municipal_action_reaches_only_the_people_of_its_municipality() -> None:
    assert reaches(PRINCIPAL_1, (P, M), LIVNY_DISTRICT, SCHOOLS)
    assert not reaches(PRINCIPAL_2, (P, M), LIVNY_DISTRICT, SCHOOLS)
    assert reaches(DISTRICT, (P, M), LIVNY_DISTRICT, SCHOOLS)
    assert not reaches(CITY, (P, M), LIVNY_DISTRICT, SCHOOLS)
    assert not reaches(CURATOR_2, (C,), LIVNY_DISTRICT, SCHOOLS)
    assert reaches(CURATOR_2, (C,), LIVNY_CITY, SCHOOLS)


def test_nobody_named_means_the_roadmaps_own_coordinators() -> None:
    assert reaches(REGIONAL, (), None, SCHOOLS) and not reaches(DISTRICT, (), None, SCHOOLS)
    assert reaches(DISTRICT, (), LIVNY_DISTRICT, SCHOOLS)
    assert not reaches(CITY, (), LIVNY_DISTRICT, SCHOOLS)
    assert not reaches(PRINCIPAL_1, (), LIVNY_DISTRICT, SCHOOLS)


def test_each_person_sees_the_regional_roadmap_and_their_municipalitys() -> None:
    for roles in (REGIONAL, DISTRICT, CITY, PRINCIPAL_1, PRINCIPAL_2, CURATOR_2):
        assert sees_roadmap(roles, None, SCHOOLS)
    assert sees_roadmap(REGIONAL, LIVNY_DISTRICT, SCHOOLS)
    assert sees_roadmap(DISTRICT, LIVNY_DISTRICT, SCHOOLS)
    assert not sees_roadmap(CITY, LIVNY_DISTRICT, SCHOOLS)
    assert sees_roadmap(PRINCIPAL_1, LIVNY_DISTRICT, SCHOOLS)
    assert not sees_roadmap(PRINCIPAL_2, LIVNY_DISTRICT, SCHOOLS)


def test_a_coordinators_calendar_shows_every_action_of_their_roadmaps() -> None:
    assert shows(DISTRICT, (P,), LIVNY_DISTRICT, SCHOOLS)  # not addressed to them: shown
    assert shows(DISTRICT, (P,), None, SCHOOLS)
    assert not shows(CITY, (P,), LIVNY_DISTRICT, SCHOOLS)
    assert shows(PRINCIPAL_1, (P,), None, SCHOOLS) and not shows(PRINCIPAL_1, (C,), None, SCHOOLS)
