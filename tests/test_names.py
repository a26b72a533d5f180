"""Real names are accepted and tidied; nicknames are not taken for names."""

from __future__ import annotations

import pytest

from bot.people.names import MAX_LENGTH, clean_full_name, telegram_full_name


@pytest.mark.parametrize(
    ("typed", "tidied"),
    [
        ("иванова мария петровна", "Иванова Мария Петровна"),
        ("ИВАНОВА МАРИЯ ПЕТРОВНА", "Иванова Мария Петровна"),
        ("  Иванова   Мария\u00a0Петровна ", "Иванова Мария Петровна"),
        ("салтыков-щедрин михаил евграфович", "Салтыков-Щедрин Михаил Евграфович"),
        ("Римский-Корсаков Николай", "Римский-Корсаков Николай"),
        ("ёлкина анна", "Ёлкина Анна"),
        ("Петров Пётр", "Петров Пётр"),
        ("john smith", "John Smith"),
        ("Maria McDonald", "Maria McDonald"),
        ("O'Neil Sean", "O'Neil Sean"),
        ("Оглы Мамед Гусейн Али Бек", "Оглы Мамед Гусейн Али Бек"),
    ],
)
def test_real_names_are_accepted_and_tidied(typed: str, tidied: str) -> None:
    assert clean_full_name(typed) == tidied


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "Мария",
        "masha_2010",
        "Иванова Мария 2",
        "Мария 🌸 Иванова",
        "🌸🌸 🌸🌸",
        "Иванова М.П.",
        "@mivanova Мария",
        "Иванова-- Мария",
        "-Иванова Мария",
        "один два три четыре пять шесть",
    ],
)
def test_nicknames_emoji_digits_and_single_words_are_refused(typed: str) -> None:
    assert clean_full_name(typed) is None


def test_a_name_longer_than_the_limit_is_refused() -> None:
    word = "Константинопольская"
    fits = " ".join([word] * 5)
    assert len(fits) <= MAX_LENGTH
    assert clean_full_name(fits) == fits
    too_long = " ".join(["А" * 40, "Б" * 40, "В" * 40])
    assert len(too_long) > MAX_LENGTH
    assert clean_full_name(too_long.lower()) is None


def test_telegram_name_needs_both_first_and_last_name() -> None:
    assert telegram_full_name("мария", "иванова") == "Иванова Мария"
    assert telegram_full_name("Maria", "Ivanova") == "Ivanova Maria"
    assert telegram_full_name("Мария", None) is None
    assert telegram_full_name(None, "Иванова") is None
    assert telegram_full_name("Мария", "") is None
    assert telegram_full_name("Машенька 🌸", "!") is None
    assert telegram_full_name("Мария Петровна", "Иванова") == "Иванова Мария Петровна"
