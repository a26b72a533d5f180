"""How a deputy's position is read and how people are named in "who did it"."""

from __future__ import annotations

import pytest

from bot.people.acting import clean_position, short_name, signature
from storage.models import Actor, Person, Role


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Заместитель директора по УВР", "заместитель директора по УВР"),
        ("  заместитель\u00a0директора\n по ВР ", "заместитель директора по ВР"),
        ("УВР", "УВР"),  # an abbreviation keeps its capitals
        ("Зам. по ВР", "зам. по ВР"),
    ],
)
def test_a_position_is_kept_on_one_line_as_typed(typed: str, kept: str) -> None:
    assert clean_position(typed) == kept


@pytest.mark.parametrize("typed", ["", "зм", "12345", "/menu", "—— ——", "д" * 101])
def test_what_is_not_a_position_is_refused(typed: str) -> None:
    assert clean_position(typed) is None


def person(name: str, position: str | None = None) -> Person:
    return Person(
        id=1,
        telegram_id=None,
        full_name=name,
        username=None,
        email=None,
        phone=None,
        position=position,
        locale=None,
        is_active=True,
    )


def test_people_are_named_with_what_they_are() -> None:
    assert short_name("Петрова Анна Сергеевна") == "Петрова А. С."
    assert short_name("Петрова") == "Петрова"
    deputy = Actor(person("Петрова Анна Сергеевна", "заместитель директора по УВР"), Role.DEPUTY)
    assert signature(deputy, "ru") == "Петрова А. С., заместитель директора по УВР"
    assert signature(deputy, "ru", full=True).startswith("Петрова Анна Сергеевна, ")
    principal = Actor(person("Иванова Мария"), Role.PRINCIPAL)
    assert signature(principal, "ru") == "Иванова М., руководитель ОО"
    assert signature(principal, "en") == "Иванова М., school principal"
    assert signature(Actor(person("Ким Анна"), None, coordinator=True), "ru") == (
        "Ким А., координатор"
    )
    assert signature(Actor(person("Ли Ян")), "ru") == "Ли Я."
