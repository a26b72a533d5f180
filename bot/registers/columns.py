"""The columns of the registers of schools and people: their names in templates and the
many ways real registers spell them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.registers.report import Kind
from bot.xlsx.cells import compact


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    header: str  # the canonical Russian name, used in templates and messages
    aliases: tuple[str, ...]


_NUMBER = _Column("number", "№ п/п", ("№", "№ п/п", "п/п", "№п/п", "N", "No", "номер"))
_MUNICIPALITY_ALIASES = (
    "Муниципалитет",
    "Муниципальное образование",
    "Район",
    "МОУО",
    "Городской округ",
    "Муниципальный район",
    "Муниципальный округ",
    "Муниципальный район/городской округ",
    "Наименование муниципального образования",
    "Наименование муниципалитета",
    "Наименование района",
    "МО",
    "Территория",
)

SCHOOL_COLUMNS = (
    _NUMBER,
    _Column(
        "name",
        "Наименование ОО",
        (
            "Наименование ОО",
            "Полное наименование",
            "Полное наименование ОО",
            "Название школы",
            "Название ОО",
            "Образовательная организация",
            "Общеобразовательная организация",
            "ОО",
            "Школа",
            "Наименование",
            "Наименование образовательной организации",
            "Наименование общеобразовательной организации",
            "Полное наименование образовательной организации",
            "Наименование организации",
        ),
    ),
    _Column(
        "short_name",
        "Краткое наименование",
        (
            "Краткое наименование",
            "Сокращённое наименование",
            "Краткое название",
            "Сокращённое название",
            "Краткое наименование ОО",
            "Сокращённое наименование ОО",
        ),
    ),
    _Column("municipality", "Муниципалитет", _MUNICIPALITY_ALIASES),
    _Column("inn", "ИНН", ("ИНН", "ИНН ОО", "ИНН организации")),
    _Column(
        "shnor",
        "ШНОР",
        ("ШНОР", "Является ШНОР", "Признак ШНОР", "Школа с низкими образовательными результатами"),
    ),
    _Column(
        "shssu",
        "ШССУ",
        (
            "ШССУ",
            "Является ШССУ",
            "Признак ШССУ",
            "Школа в сложных социальных условиях",
            "Школа, функционирующая в неблагоприятных социальных условиях",
        ),
    ),
    _Column(
        "category",
        "Категория",
        (
            "Категория",
            "Статус",
            "Тип",
            "Категория ОО",
            "Категория школы",
            "Статус ОО",
            "ШНОР/ШССУ",
            "ШНОР, ШССУ",
            "ШНОР или ШССУ",
        ),
    ),
)

PEOPLE_COLUMNS = (
    _NUMBER,
    _Column(
        "full_name",
        "ФИО",
        (
            "ФИО",
            "Ф.И.О.",
            "Фамилия Имя Отчество",
            "Фамилия, имя, отчество",
            "ФИО участника",
            "ФИО сотрудника",
            "Участник",
            "Сотрудник",
        ),
    ),
    _Column("last_name", "Фамилия", ("Фамилия",)),
    _Column("first_name", "Имя", ("Имя",)),
    _Column("middle_name", "Отчество", ("Отчество",)),
    _Column(
        "role",
        "Роль",
        ("Роль", "Роль в проекте", "Роль в программе", "Статус участника", "Функция"),
    ),
    _Column(
        "school",
        "ОО",
        (
            "ОО",
            "Школа",
            "Школы",
            "Образовательная организация",
            "Наименование ОО",
            "Закреплённые ОО",
            "Закреплённые школы",
            "Курируемые ОО",
            "Курируемые школы",
        ),
    ),
    _Column("municipality", "Муниципалитет", _MUNICIPALITY_ALIASES),
    _Column(
        "telegram_id",
        "Telegram ID",
        (
            "Telegram ID",
            "Telegram",
            "Телеграм",
            "Телеграм ID",
            "Телеграмм",
            "ID Telegram",
            "ID в Telegram",
            "TG ID",
            "Идентификатор Telegram",
            "Telegram user id",
        ),
    ),
    _Column(
        "email",
        "E-mail",
        (
            "E-mail",
            "Электронная почта",
            "Эл. почта",
            "Адрес электронной почты",
            "Почта",
            "Email адрес",
        ),
    ),
    _Column(
        "phone",
        "Телефон",
        ("Телефон", "Контактный телефон", "Тел.", "Мобильный телефон", "Номер телефона"),
    ),
    _Column("position", "Должность", ("Должность", "Занимаемая должность")),
)

_COLUMNS: dict[str, tuple[_Column, ...]] = {"schools": SCHOOL_COLUMNS, "people": PEOPLE_COLUMNS}
# Alternatives: one of these sets of columns must be present.
REQUIRED: dict[str, tuple[tuple[frozenset[str], ...], ...]] = {
    "schools": ((frozenset({"name"}),), (frozenset({"municipality"}),)),
    "people": (
        (frozenset({"full_name"}), frozenset({"last_name", "first_name"})),
        (frozenset({"role"}),),
    ),
}
HEADERS = {
    kind: {column.key: column.header for column in columns} for kind, columns in _COLUMNS.items()
}
_PARENS = re.compile(r"\([^)]*\)")


def _header_key(text: str) -> str:
    without_notes = compact(_PARENS.sub(" ", text))
    return without_notes or compact(text)


_ALIASES: dict[str, list[tuple[str, str]]] = {
    kind: sorted(
        ((compact(alias), column.key) for column in columns for alias in column.aliases),
        key=lambda pair: -len(pair[0]),
    )
    for kind, columns in _COLUMNS.items()
}


def match_header(text: str, kind: Kind) -> tuple[str, bool] | None:
    """The column a header cell names, and whether it matched exactly (not as a prefix)."""
    key = _header_key(text)
    if not key:
        return None
    for alias, column in _ALIASES[kind]:
        if key == alias:
            return column, True
    for alias, column in _ALIASES[kind]:  # longest first
        if len(alias) >= 3 and key.startswith(alias):
            return column, False
    return None
