"""The Russian words availability is written with: days of the week, months, connectors.

Every form a person is likely to type: all cases of the weekday and month names, the
plural forms («по вторникам», «по средам»), the usual abbreviations («пн», «вт», «дек»).
Words are compared after lower-casing and «ё» → «е».
"""

from __future__ import annotations

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WORKDAYS = (MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY)
WEEKEND = (SATURDAY, SUNDAY)
EVERY_DAY = tuple(range(7))


def _weekday_forms() -> tuple[dict[str, int], frozenset[str]]:
    """Each weekday form → its number (0 = Monday), and the plural forms among them.

    A plural form («вторники», «по средам», «субботам») says the day repeats.
    """
    masculine = {"понедельник": MONDAY, "вторник": TUESDAY, "четверг": THURSDAY}
    feminine = {"сред": WEDNESDAY, "пятниц": FRIDAY, "суббот": SATURDAY}
    forms: dict[str, int] = {}
    plural: set[str] = set()
    for stem, day in masculine.items():
        forms.update(dict.fromkeys((stem + e for e in ("", "а", "у", "ом", "е")), day))
        many = {stem + e for e in ("и", "ов", "ам", "ами", "ах")}
        forms.update(dict.fromkeys(many, day))
        plural |= many
    for stem, day in feminine.items():
        instrumental = "ей" if stem == "пятниц" else "ой"
        forms.update(dict.fromkeys((stem + e for e in ("а", "ы", "е", "у", instrumental)), day))
        # «среды», «пятницы», «субботы» are also the genitive singular: not counted as plural
        many = {stem, stem + "ам", stem + "ами", stem + "ах"}
        forms.update(dict.fromkeys(many, day))
        plural |= many
    sunday = ("воскресенье", "воскресенья", "воскресенью", "воскресеньем", "воскресении")
    forms.update(dict.fromkeys(sunday, SUNDAY))
    many_sundays = {"воскресений", "воскресеньям", "воскресеньями", "воскресеньях"}
    forms.update(dict.fromkeys(many_sundays, SUNDAY))
    plural |= many_sundays
    abbreviations = {
        MONDAY: ("пн", "пон", "понед"),
        TUESDAY: ("вт", "втр", "вто"),
        WEDNESDAY: ("ср", "срд"),
        THURSDAY: ("чт", "чтв", "чет", "четв"),
        FRIDAY: ("пт", "птн", "пят"),
        SATURDAY: ("сб", "суб", "сбт"),
        SUNDAY: ("вс", "вск", "воскр"),
    }
    for day, words in abbreviations.items():
        forms.update(dict.fromkeys(words, day))
    return forms, frozenset(plural)


WEEKDAYS, PLURAL_WEEKDAYS = _weekday_forms()


def _month_forms() -> dict[str, int]:
    """Every case of every month name («декабрь», «декабря», «декабре»...) and abbreviations."""
    stems = (
        "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
        "ноябр", "декабр",
    )  # fmt: skip
    forms: dict[str, int] = {}
    for number, stem in enumerate(stems, start=1):
        if stem in ("март", "август"):
            endings: tuple[str, ...] = ("", "а", "е", "у", "ом")
        elif stem == "ма":
            endings = ("й", "я", "е", "ю", "ем")
        else:
            endings = ("ь", "я", "е", "ю", "ем")
        forms.update({stem + ending: number for ending in endings})
    forms.update(
        {"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8,
         "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12}
    )  # fmt: skip
    return forms


MONTHS = _month_forms()

TODAY_WORDS = {"сегодня": 0, "завтра": 1, "послезавтра": 2, "завтрашнего": 1}
EACH = frozenset({"каждый", "каждую", "каждое", "каждые", "каждого", "каждой", "каждая"})
WEEKLY = frozenset({"еженедельно"})
DAILY = frozenset({"ежедневно"})
# «будни», «по будням», «в будние дни», «по рабочим дням»
WORKDAY_WORDS = frozenset(
    {"будни", "будням", "будние", "будний", "будним", "рабочий", "рабочим", "рабочие"}
)
WEEKEND_WORDS = frozenset({"выходные", "выходным"})
DAY_WORDS = frozenset({"день", "дни", "дням", "дня"})
FROM = frozenset({"с", "со"})
UNTIL = frozenset({"до", "по"})
STARTING = frozenset({"начиная"})
ON = frozenset({"в", "во"})
END_WORDS = frozenset({"конца", "конец"})
WEEK_WORDS = frozenset({"неделе", "недели", "неделю", "неделя"})
MONTH_WORDS = frozenset({"месяца", "месяц", "месяце"})
YEAR_WORDS = frozenset({"г", "год", "года", "году"})
NEW_YEAR = frozenset({"нового"})
THIS = frozenset({"этого", "этой", "этом", "эту", "текущего", "текущей", "текущем", "сего"})
NEXT = frozenset({"следующего", "следующей", "следующем", "следующую"})
HOUR_WORDS = frozenset({"ч", "час", "часа", "часов"})
AND = frozenset({"и"})
NOT_LATER = ("не", "позднее")  # «не позднее 20 декабря»: the same as «до 20 декабря»
AT = frozenset({"на"})  # «на следующей неделе»; elsewhere a filler («на 5 декабря»)
# Harmless words around a schedule: «Консультации по вторникам 15–17», «по 20 декабря
# включительно».
FILLERS = frozenset(
    {"консультации", "консультация", "консультаций", "прием", "приема", "время", "часы",
     "включительно"}
)  # fmt: skip
ORDINAL_SUFFIXES = frozenset({"го", "е", "й", "ое", "ого", "м", "ому", "ти", "ми", "х"})

KNOWN = frozenset(
    {
        *WEEKDAYS, *MONTHS, *TODAY_WORDS, *EACH, *WEEKLY, *DAILY, *WORKDAY_WORDS,
        *WEEKEND_WORDS, *DAY_WORDS, *FROM, *UNTIL, *STARTING, *ON, *END_WORDS, *WEEK_WORDS,
        *MONTH_WORDS, *YEAR_WORDS, *NEW_YEAR, *THIS, *NEXT, *HOUR_WORDS, *AND, *NOT_LATER,
        *AT, *FILLERS,
    }
)  # fmt: skip
