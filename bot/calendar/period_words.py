"""The words of Russian roadmap periods (months in every case, «квартал», «ежегодно»,
«в течение года»…) and how a phrase, as PDF extraction leaves it, is cut into tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.calendar.period import (
    LAST_DAY,
    Frequency,
)

# ---------------------------------------------------------------------------
# Words


def _month_forms() -> dict[str, int]:
    """Every case of every month name («март», «марта», «марте»...) and the abbreviations."""
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


_MONTHS = _month_forms()

_ORDINAL = re.compile(
    r"^(?:(перв)(?:ый|ое|ая|ой|ого|ом|ому|ую|ые|ых)"
    r"|(втор)(?:ой|ое|ая|ого|ом|ому|ую|ые|ых)"
    r"|(трет)(?:ий|ье|ья|ьего|ьем|ьему|ью|ьей)"
    r"|(четверт)(?:ый|ое|ая|ого|ом|ому|ую))$"
)
_ORDINAL_STEMS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEARWORDS = {"г", "гг", "год", "года", "году", "годом", "годы", "годов", "годах", "годам"}
PLURAL_YEARWORDS = {"гг", "годы", "годов", "годах", "годам"}
_SCHOOL = {"учебный", "учебного", "учебном", "учебному", "учебным", "учебные", "учебных", "уч"}
_QUARTER = {"квартал", "квартала", "квартале", "кварталы", "кварталов", "кварталах", "кв"}
_HALF = {"полугодие", "полугодия", "полугодии", "полугодий", "полугодием"}
_CURRENT = {"текущего", "текущий", "текущем", "текущему", "текущим", "сего"}
RECUR = {
    "ежегодно": Frequency.YEARLY,
    "ежеполугодно": Frequency.HALF_YEARLY,
    "ежеквартально": Frequency.QUARTERLY,
    "поквартально": Frequency.QUARTERLY,
    "ежемесячно": Frequency.MONTHLY,
    "помесячно": Frequency.MONTHLY,
    "еженедельно": Frequency.WEEKLY,
    "ежедневно": Frequency.DAILY,
}
PER = {  # «раз в <...>», «каждый <...>»
    "год": Frequency.YEARLY,
    "полугодие": Frequency.HALF_YEARLY,
    "полгода": Frequency.HALF_YEARLY,
    "квартал": Frequency.QUARTERLY,
    "месяц": Frequency.MONTHLY,
    "неделю": Frequency.WEEKLY,
    "неделя": Frequency.WEEKLY,
    "день": Frequency.DAILY,
    "четверть": Frequency.TERM,
    "триместр": Frequency.TERM,
}
TIMES = {"раз", "раза"}
EACH = {"каждый", "каждую", "каждое", "каждого", "каждом", "каждой", "каждая"}
DAYWORD = {"числа", "число"}
MONTHWORD = {"месяц", "месяца", "месяце"}
DECADES = {  # «начало / середина / конец марта»
    **dict.fromkeys(("начало", "начала", "начале"), (1, 10)),
    **dict.fromkeys(("середина", "середины", "середине", "середину"), (11, 20)),
    **dict.fromkeys(("конец", "конца", "конце"), (21, LAST_DAY)),
}
END_WORDS = {"конец", "конца", "конце"}
HALFWORD = {"половина", "половины", "половине", "половину"}
SEPARATOR_WORDS = {"и", "а", "также"}
_ORDINAL_SUFFIXES = {"й", "я", "е", "го", "ого", "ый", "ой", "ое", "ая", "ий", "м", "ом", "х", "му"}

# A clause that names another schedule: no date of its own; the rest of it is free text.
NOTE_PREFIXES = sorted(
    [
        *(
            ("по", word)
            for word in (
                "плану", "планам", "графику", "графикам", "отдельному", "отдельным", "мере",
                "необходимости", "запросу", "запросам", "согласованию", "итогам",
                "результатам", "окончании", "завершении", "факту",
            )
        ),
        ("при", "необходимости"),
        ("в", "соответствии"),
        ("в", "рамках"),
        ("в", "установленные"),
        ("в", "сроки"),
        ("в", "постоянном"),
        ("в", "текущем"),
        ("весь", "период"),
        ("согласно",),
        ("после",),
        ("постоянно",),
        ("регулярно",),
        ("систематически",),
        *((word,) for word in _CURRENT),
    ],
    key=len,
    reverse=True,
)  # fmt: skip
# «в течение года» is a note, «в течение марта» a date.
THROUGHOUT = (("в", "течение"), ("в", "течении"), ("в", "период"), ("на", "протяжении"))
DEADLINE_PREFIXES = (
    ("в", "срок", "не", "позднее"),
    ("в", "срок", "до"),
    ("срок", "до"),
    ("не", "позднее"),
    ("не", "позже"),
    ("до",),
    ("к",),
    ("ко",),
    ("по",),  # «по 15 марта»; «по плану» is a note, tried first
)
_OTHER_WORDS = {
    "с", "со", "по", "до", "в", "во", "на", "к", "ко", "не", "позднее", "позже", "срок", "сроки",
    "течение", "течении", "период", "периода", "периоде", "начиная", "весь", "всего", "всей",
    "протяжении", "при", "после", "неделю", "неделя", "недели", "день", "полгода", "четверть",
    "четверти", "триместр", "реализации", "программы", "года",
}  # fmt: skip
_NOTE_WORDS = {word for prefix in NOTE_PREFIXES for word in prefix}


def _classify(word: str) -> tuple[str | None, int]:
    """A word's category and value; (None, 0) for a word this module does not know."""
    if word in _MONTHS:
        return "month", _MONTHS[word]
    if word in _ROMAN:
        return "ord", _ROMAN[word]
    match = _ORDINAL.match(word)
    if match:
        stem = next(group for group in match.groups() if group)
        return "ord", _ORDINAL_STEMS[stem]
    for category, words in (
        ("yearword", _YEARWORDS),
        ("school", _SCHOOL),
        ("quarter", _QUARTER),
        ("half", _HALF),
        ("current", _CURRENT),
    ):
        if word in words:
            return category, 0
    if word in RECUR:
        return "recur", 0
    if (
        word in TIMES
        or word in EACH
        or word in DAYWORD
        or word in MONTHWORD
        or word in DECADES
        or word in HALFWORD
        or word in SEPARATOR_WORDS
        or word in PER
        or word in _OTHER_WORDS
        or word in _NOTE_WORDS
    ):
        return "word", 0
    return None, 0


def _known(word: str) -> bool:
    return _classify(word)[0] is not None


# ---------------------------------------------------------------------------
# Text to tokens

_DROP = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width characters
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(map(ord, _DROP), None),
        **dict.fromkeys(map(ord, "\u2010\u2011"), "-"),  # hyphens
        **dict.fromkeys(map(ord, "\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58"), "–"),
        ord("ё"): "е",
        ord("і"): "i",  # a Cyrillic «І» in «І квартал»
    }
)
_HYPHENATED = re.compile(r"([a-zа-я]+)-(\s*)(?=([a-zа-я]+))")
_TOKEN = re.compile(
    r"(?P<date>(?<![\d.])(?:\d{1,2}\.\d{1,2}(?:\.\d{4}|\.\d{2})?|\d{4}-\d{2}-\d{2})(?![\d]))"
    r"|(?P<num>\d+)"
    r"|(?P<word>[a-zа-я]+)"
    r"|(?P<dash>[-–])"
    r"|(?P<slash>/)"
    r"|(?P<sep>[,;:()\[\]])"
    r"|(?P<noise>[\s.«»\"'“”„*])"
    r"|(?P<other>.)",
    re.S,
)


def normalize(text: str) -> str:
    # NFKC folds non-breaking spaces, «Ⅱ», full-width digits; it would also make «№» «No».
    text = unicodedata.normalize("NFKC", text.replace("№", "\0")).replace("\0", "№")
    text = text.lower().translate(_TRANSLATE)
    return _HYPHENATED.sub(_unhyphenate, text)


def _unhyphenate(match: re.Match[str]) -> str:
    """Join a word hyphenated across a line («ап-\\nрель»); keep a dash between words."""
    left, space, right = match.group(1), match.group(2), match.group(3)
    if _known(left) and _known(right):
        return match.group(0)  # «март-апрель»
    if _known(left + right) or ("\n" in space and not _known(left) and not _known(right)):
        return left
    return match.group(0)


@dataclass(frozen=True)
class Token:
    kind: str  # date, num, word, dash, slash, sep, other
    text: str
    start: int
    end: int
    cat: str | None = None  # a word's category (None: unknown word)
    val: int = 0


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "noise":
            continue
        word = match.group()
        cat, val = None, 0
        if kind == "word":
            cat, val = _classify(word)
        elif kind == "num":
            val = int(word)
        tokens.append(Token(kind, word, match.start(), match.end(), cat, val))
    # «1-й квартал», «2-е полугодие», «1-го октября»: drop the ordinal ending.
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        out.append(tok)
        if (
            tok.kind == "num"
            and i + 2 < len(tokens)
            and tokens[i + 1].text == "-"
            and tokens[i + 1].start == tok.end
            and tokens[i + 2].kind == "word"
            and tokens[i + 2].start == tokens[i + 1].end
            and tokens[i + 2].text in _ORDINAL_SUFFIXES
        ):
            i += 3
        else:
            i += 1
    return out
