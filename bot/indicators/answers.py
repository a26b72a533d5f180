"""Answers to indicators: reading what people type, showing it back, checking across answers.

Principals answer in a chat, and they type answers the way people do: «30,5 %»,
«12 из 40», «1 200 чел.», «2: учитель математики, учитель физики», «фед. 0,
рег. 1, мун. 3», «Да.», «Точка роста и Успех каждого ребёнка». This module turns
such text into plain JSON-able values (stored as JSON, exported to Excel), shows a
value back to a person, and checks answers against each other and against the
school's base counts (the number of teachers, of pupils...).

Everything here is pure: no aiogram, no I/O. A wrong answer raises
:class:`AnswerError` carrying a :class:`Msg`: an English message id with
named parameters that says what is wrong, repeats what was typed and says how to
fix it. Nothing is escaped; the caller escapes HTML.

Values by kind:

- link: ``{"url": "https://school.ru/page"}``
- share: ``{"percent": 30.5}`` or ``{"percent": 30.0, "count": 12, "base": 40}``
- count: ``{"count": 3}``
- count_list: ``{"count": 2, "items": ["учитель математики", "учитель физики"]}``
- level_counts: ``{"federal": 0, "regional": 1, "municipal": 3}`` (the indicator's levels)
- yes_no: ``{"yes": True}``
- choice: ``{"options": ["tochka_rosta"], "other": "Моя школа"}`` (``other`` may be None)
- document: ``{"file_name": "справка.pdf", "size": 123456, "mime_type": "application/pdf"}``
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import PurePosixPath
from typing import Any, NoReturn
from urllib.parse import urlsplit

from bot.i18n import N_, LocalizedError, Msg, format_number, translate
from bot.indicators.catalog import Catalog, Indicator, Kind, Text, UnknownCode

MAX_TEXT = 4096  # a Telegram message is at most 4096 characters
MAX_URL = 2000
MAX_BASE = 100_000
MAX_COUNT = 1_000_000  # no count a school reports comes near this
MAX_DIGITS = 12
MAX_ITEM = 200
MAX_DOCUMENT_MB = 20
MAX_DOCUMENT_BYTES = MAX_DOCUMENT_MB * 1024 * 1024
QUOTE_LIMIT = 120  # how much of the typed text a message repeats

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENT_TYPE_LIST = "PDF, DOC, DOCX, XLS, XLSX"

# Words that mean "none" / "zero" (compared after _norm: lower case, ё → е).
NONE_WORDS = frozenset(
    {"нет", "нету", "no", "none", "ноль", "zero", "nothing", "-", "–", "—"}
    | {"отсутствует", "отсутствуют", "не имеется", "не имеются", "не было"}
)
YES_WORDS = frozenset(
    {"да", "д", "yes", "y", "yeah", "yep", "+", "есть", "имеется", "имеются", "конечно"}
    | {"заключен", "заключены", "true"}
)
NO_WORDS = frozenset(
    {"нет", "н", "no", "n", "nope", "-", "–", "—", "нету", "отсутствует", "отсутствуют"}
    | {"не имеется", "не имеются", "не заключены", "не заключен", "false"}
)
NOT_TAKING_PART = frozenset(
    {"не участвует", "не участвуем", "не участвуют", "не принимает участия"}
    | {"не принимаем участия", "нигде", "none of them", "does not take part"}
)
# Words around option names that name no option («участвуем в проекте ...»).
CHOICE_FILLER = frozenset(
    {"и", "а", "также", "в", "во", "на", "and", "also", "in", "the", "of", "project", "projects"}
    | {"проект", "проекта", "проекте", "проекты", "проектах", "проектов", "фп"}
    | {"федеральный", "федеральном", "федеральных", "федеральные", "национальный"}
    | {"участвуем", "участвует", "участвуют", "участие", "участвовали", "we", "take", "part"}
)
# Words naming what a count list counts («2 вакансии»): not positions themselves.
LIST_TOPICS = frozenset(
    {"вакансия", "вакансии", "вакансий", "ставка", "ставки", "ставок", "шт", "штук"}
    | {"vacancy", "vacancies", "position", "positions", "open"}
)
BARE_CYRILLIC_ZONES = frozenset({"рф", "рус", "дети", "москва", "онлайн", "орг"})

_QUOTES = "«»\"“”„‟'’‘`"
_DASHES = "-–—−"
_INT = r"[0-9]{1,3}(?: [0-9]{3})+|[0-9]+"
_SIGN = rf"(?P<sign>[{_DASHES}])? ?"


# --------------------------------------------------------------------------- problems


class AnswerError(LocalizedError, ValueError):
    """An answer that cannot be accepted; its message says why and how to fix it."""


def _fail(msgid: str, localized: dict[str, Text] | None = None, **params: Any) -> NoReturn:
    """Refuse the answer: ``params`` are plain, ``localized`` hold texts in each language."""
    raise AnswerError(Msg(msgid, {**params, **(localized or {})}))


# --------------------------------------------------------------------------- messages

EMPTY = N_("The answer is empty. Please type it again.")
TOO_LONG = N_(
    "The answer is too long ({length} characters). Please keep it within {limit} characters."
)
NOT_A_NUMBER = N_("“{text}” is not a number. Please type a whole number, for example {example}.")
NOT_WHOLE = N_(
    "“{text}” is not a whole number. People and positions are counted in whole numbers: "
    "please type, for example, {example}."
)
NEGATIVE = N_("A count cannot be negative (you typed “{text}”). Please type 0 or more.")
TOO_LARGE = N_("“{text}” is too large: the number here cannot exceed {limit}. Please check it.")
COUNT_ABOVE_BASE = N_(
    "{count} is more than {base}, the number you gave for “{base_title}”. Please check the number."
)
BASE_NOT_POSITIVE = N_(
    "The number must be more than zero (you typed “{text}”). "
    "Please type how many there are, for example 40."
)

SHARE_NOT_UNDERSTOOD = N_(
    "“{text}” is not a share. Please type a percentage, such as 30 or 30.5 %, "
    "or a count, such as 12 of 40."
)
SHARE_OVER_100 = N_(
    "A share cannot exceed 100 % (you typed “{text}”). "
    "Please type a percentage from 0 to 100, or a count, such as 12 of 40."
)
SHARE_NEGATIVE = N_(
    "A share cannot be negative (you typed “{text}”). Please type a percentage from 0 to 100."
)
SHARE_FRACTIONAL_COUNT = N_(
    "In “{text}” the numbers must be whole: people are counted in whole numbers. "
    "Please type, for example, 12 of 40, or a percentage."
)
SHARE_ZERO_TOTAL = N_(
    "In “{text}” the total is zero. Please type the total after “of”, for example 12 of 40, "
    "or a percentage."
)
SHARE_PART_OVER_TOTAL = N_(
    "In “{text}” the part ({count}) is larger than the total ({total}). "
    "Please type the part first and the total second, for example 12 of 40."
)
SHARE_COUNT_OVER_BASE = N_(
    "“{text}” is impossible: {count} is more than {base}, the number you gave for "
    "“{base_title}”. Please check the numbers."
)
SHARE_TOTAL_NOT_BASE = N_(
    "“{text}” counts out of {total}, but you gave {base} for “{base_title}”. "
    "Please type how many out of {base} (for example, {count} of {base}) or a percentage. "
    "If {base} is wrong, please correct that number first."
)

LIST_COUNT_BELOW_ITEMS = N_(
    "You wrote {count}, but the list names {listed}: {items}. "
    "Please correct the number or the list."
)
LIST_NO_ITEMS = N_(
    "You wrote {count}; please name the positions too, for example: "
    "“{count}: maths teacher, physics teacher”. If there are none, type 0."
)
LIST_ITEM_TOO_LONG = N_(
    "The position “{item}” is too long ({length} characters). "
    "Please name it more briefly, within {limit} characters."
)
LIST_NOT_UNDERSTOOD = N_(
    "“{text}” is not understood. Please type the number and the positions, for example: "
    "“2: maths teacher, physics teacher”. If there are none, type 0."
)

LEVELS_NOT_UNDERSTOOD = N_(
    "“{text}” is not understood. Please type {number} numbers, one for each level in this "
    "order: {levels} — for example “{example}”. If there are none, type 0."
)
LEVEL_UNKNOWN = N_(
    "“{word}” is not one of the levels: {levels}. "
    "Please type the numbers in this order, for example “{example}”."
)
LEVEL_REPEATED = N_("The level “{level}” is given twice in “{text}”. Please give each level once.")
LEVEL_WITHOUT_NUMBER = N_(
    "There is no number for the level “{level}” in “{text}”. "
    "Please add it, for example “{example}”."
)
LEVELS_TOTAL_OVER_BASE = N_(
    "Together that is {total} people, more than {base}, the number you gave for “{base_title}”. "
    "Please check the numbers."
)

YES_NO_NOT_UNDERSTOOD = N_("Please answer “yes” or “no” (you typed “{text}”).")

CHOICE_UNKNOWN = N_(
    "“{text}” is not one of the options: {options}. Please choose from them or use the buttons."
)
CHOICE_AMBIGUOUS = N_(
    "“{text}” fits several options: {options}. Please type the name in full or use the buttons."
)
CHOICE_NONE_AND_OPTIONS = N_(
    "The answer says both “none” and names options (“{text}”). "
    "Please either list the options or answer “no”."
)
CHOICE_NOTHING = N_("“{text}” names no option. Please choose from: {options}, or answer “no”.")

LINK_NOT_URL = N_(
    "“{text}” does not look like a link. Please send the address of the page, "
    "for example https://school.ru/page."
)
LINK_SPACES = N_(
    "A link cannot contain spaces (you sent “{text}”). "
    "Please send the address as one piece, for example https://school.ru/page."
)
LINK_SCHEME = N_(
    "Only web links starting with http:// or https:// are accepted; “{text}” is not one. "
    "Please send the address of the page on the school's website."
)
LINK_NO_HOST = N_(
    "“{text}” has no site name. Please send the full address, for example https://school.ru/page."
)
LINK_TOO_LONG = N_(
    "The link is too long ({length} characters, at most {limit}). "
    "Please send a shorter address, for example the address of the section of the site."
)

DOCUMENT_AS_TEXT = N_(
    "Please send the note as a file ({types}, up to {limit} MB) rather than as text."
)
DOCUMENT_TYPE = N_(
    "“{file_name}” is a {extension} file, which cannot be accepted. "
    "Please send a file of one of these types: {types}."
)
DOCUMENT_NO_TYPE = N_(
    "The type of “{file_name}” is unknown. Please send a file of one of these types: {types}, "
    "with the extension in its name (for example, note.pdf)."
)
DOCUMENT_TOO_BIG = N_(
    "“{file_name}” is {size} MB, more than the limit of {limit} MB. "
    "Please send a smaller file, for example the note saved as PDF."
)
DOCUMENT_EMPTY = N_("“{file_name}” is empty. Please send the file again.")

CROSS_SUM = N_(
    "{names} add up to {total} %, but together these shares cannot exceed 100 %. Please check them."
)
CROSS_SUM_COUNTS = N_(
    "{names} add up to {total} people, more than {base}, the number you gave for "
    "“{base_title}”. Please check them."
)
CROSS_NOT_MORE_THAN = N_(
    "“{first}” ({first_value} %) cannot be more than “{second}” ({second_value} %). "
    "Please check them."
)
CROSS_COUNT_OVER_BASE = N_(
    "“{indicator}”: {count} is more than {base}, the number you gave for “{base_title}”. "
    "Please correct the answer."
)
CROSS_BASE_CHANGED = N_(
    "“{indicator}” was answered as {count} of {total}, but the number for “{base_title}” "
    "is now {base}. Please answer it again."
)

SHARE_OF = N_("{count} of {base} ({percent} %)")
YES = N_("yes")
NO = N_("no")
NONE = N_("none")
FILE_MB = N_("{name} ({size} MB)")
FILE_KB = N_("{name} ({size} KB)")


# --------------------------------------------------------------------------- text helpers


def _clean(text: str) -> str:
    """Fullwidth digits and odd spaces made plain, one space between words, none at the ends."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


def _lower(text: str) -> str:
    """Lower case with ё → е, keeping the length (so spans map back to the original)."""
    out = []
    for char in text:
        low = char.lower()
        out.append(low if len(low) == 1 else char)
    return "".join(out).replace("ё", "е")


def _norm(text: str) -> str:
    """For comparing with word lists: clean, lower case, no quotes or end punctuation."""
    text = _lower(_clean(text))
    for quote in _QUOTES:
        text = text.replace(quote, "")
    return text.strip().rstrip(".!?,;:)").strip()


def _quote(text: str) -> str:
    """What the person typed, as a message repeats it: cleaned and not too long."""
    text = _clean(text)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"


def _prepare(text: str) -> str:
    """The answer's text, refused when empty or longer than a chat message."""
    if len(text) > MAX_TEXT:
        _fail(TOO_LONG, length=len(text), limit=MAX_TEXT)
    if not text.strip():
        _fail(EMPTY)
    return text


def _to_int(digits: str, typed: str, limit: int = MAX_COUNT) -> int:
    digits = digits.replace(" ", "")
    if len(digits) > MAX_DIGITS or int(digits) > limit:
        _fail(TOO_LARGE, text=_quote(typed), limit=limit)
    return int(digits)


def _base_of(indicator: Indicator, bases: Mapping[str, int]) -> int | None:
    if indicator.base is None:
        return None
    value = bases.get(indicator.base)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _base_title(catalog: Catalog, code: str | None) -> dict[str, Text]:
    try:
        return {"base_title": catalog.base(code or "").title}
    except UnknownCode:
        return {"base_title": Text(ru=code or "—", en=code or "—")}


def _joined(texts: Sequence[Text], quoted: bool = False) -> Text:
    if quoted:
        return Text(
            ru=", ".join(f"«{t.ru.strip('«»')}»" for t in texts) or "—",
            en=", ".join(f"“{t.en}”" for t in texts) or "—",
        )
    return Text(ru=", ".join(t.ru for t in texts) or "—", en=", ".join(t.en for t in texts) or "—")


# --------------------------------------------------------------------------- parsing


def parse_answer(
    indicator: Indicator, text: str, catalog: Catalog, bases: Mapping[str, int]
) -> dict[str, Any]:
    """Read a typed answer to ``indicator``; raise :class:`AnswerError` if it cannot be used.

    ``bases`` maps a base code ("teachers", ...) to the count the school gave in
    this form; a missing base means it is not known yet, and the checks against
    it are left to :func:`cross_check`.
    """
    text = _prepare(text)
    base = _base_of(indicator, bases)
    if indicator.kind is Kind.LINK:
        return _parse_link(text)
    if indicator.kind is Kind.SHARE:
        return _parse_share(text, base, _base_title(catalog, indicator.base))
    if indicator.kind is Kind.COUNT:
        return {"count": _parse_count(text, base, _base_title(catalog, indicator.base))}
    if indicator.kind is Kind.COUNT_LIST:
        return _parse_count_list(text)
    if indicator.kind is Kind.LEVEL_COUNTS:
        return _parse_level_counts(indicator, text, catalog, base)
    if indicator.kind is Kind.YES_NO:
        return _parse_yes_no(text)
    if indicator.kind is Kind.CHOICE:
        return _parse_choice(indicator, text, catalog)
    _fail(DOCUMENT_AS_TEXT, types=DOCUMENT_TYPE_LIST, limit=MAX_DOCUMENT_MB)


def parse_base(text: str) -> int:
    """The number of teachers, pupils...: a whole number from 1 to 100 000 ("1 200 чел." too)."""
    text = _prepare(text)
    value = _count(text, example=40, limit=MAX_BASE)
    if value <= 0:
        _fail(BASE_NOT_POSITIVE, text=_quote(text))
    return value


# ----------------------------------------------------------------- counts

_COUNT = re.compile(
    rf"^{_SIGN}(?P<number>{_INT})(?P<fraction>[.,][0-9]+)?"
    r"(?: ?(?P<words>[^\W\d_][^\d]*))?$"
)


def _count(text: str, example: int = 3, limit: int = MAX_COUNT) -> int:
    """A whole number, maybe with thousands spaces and a word after it ("1 200 чел.")."""
    cleaned = _clean(text).rstrip(".!;, ")
    if _norm(text) in NONE_WORDS:
        return 0
    match = _COUNT.match(cleaned)
    if not match:
        _fail(NOT_A_NUMBER, text=_quote(text), example=example)
    if match["fraction"] and match["fraction"].strip(".,").strip("0"):
        _fail(NOT_WHOLE, text=_quote(text), example=example)
    value = _to_int(match["number"], text, limit)
    if match["sign"] and value > 0:
        _fail(NEGATIVE, text=_quote(text))
    return value


def _parse_count(text: str, maximum: int | None, localized: dict[str, Text]) -> int:
    """A count of people or things: "3", "3 чел.", "1 200", "нет" (0); at most ``maximum``.

    ``localized`` names the maximum for the message ("base_title": the base's title).
    """
    value = _count(_prepare(text))
    if maximum is not None and value > maximum:
        _fail(COUNT_ABOVE_BASE, localized, count=value, base=maximum)
    return value


# ----------------------------------------------------------------- shares

_PERCENT = re.compile(
    rf"^{_SIGN}(?P<number>{_INT}(?:[.,][0-9]+)?) ?(?P<unit>%|процент\w*|percent|pct)?$"
)
_WORDS = r"[^\W\d_][\w.]*(?: [^\W\d_][\w.]*){0,3}"
_RATIO = re.compile(
    rf"^{_SIGN}(?P<part>{_INT}(?:[.,][0-9]+)?)(?: (?:{_WORDS}))? ?"
    r"(?:из|out of|of|от|/) ?"
    rf"(?P<total>{_INT}(?:[.,][0-9]+)?)(?: (?:{_WORDS}))?(?: ?\([^()]*\))?$"
)


def _parse_share(text: str, base: int | None, localized: dict[str, Text]) -> dict[str, Any]:
    """A share: a percentage ("30", "30,5 %", "30.5%") or a count ("12 из 40", "12/40").

    A percentage is kept to one decimal (rounded half up; more decimals are
    accepted and rounded) and cannot exceed 100 or be negative. A count keeps
    both numbers; its percent is ``round(100 * part / total, 1)``. When the
    school's ``base`` (its number of teachers...) is known, the part cannot
    exceed it and the total must be it. A bare number is a percentage even when
    the base is known: "12" is 12 %, shown back as such for the person to see.
    """
    typed = _prepare(text)
    cleaned = _lower(_clean(typed)).rstrip(".!;, ")
    quoted = _quote(typed)
    if match := _PERCENT.match(cleaned):
        number = match["number"].replace(" ", "").replace(",", ".")
        if len(number.split(".")[0]) > MAX_DIGITS:
            _fail(SHARE_OVER_100, text=quoted)
        value = Decimal(number)
        if match["sign"] and value > 0:
            _fail(SHARE_NEGATIVE, text=quoted)
        if value > 100:
            _fail(SHARE_OVER_100, text=quoted)
        return {"percent": float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))}
    match = _RATIO.match(cleaned)
    if not match:
        _fail(SHARE_NOT_UNDERSTOOD, text=quoted)
    if match["sign"]:
        _fail(SHARE_NEGATIVE, text=quoted)
    part_text, total_text = match["part"], match["total"]
    if re.search(r"[.,]", part_text + total_text):
        _fail(SHARE_FRACTIONAL_COUNT, text=quoted)
    part, total = _to_int(part_text, typed), _to_int(total_text, typed)
    if total == 0:
        _fail(SHARE_ZERO_TOTAL, text=quoted)
    if base is not None:
        if part > base:
            _fail(SHARE_COUNT_OVER_BASE, localized, text=quoted, count=part, base=base)
        if total != base:
            _fail(SHARE_TOTAL_NOT_BASE, localized, text=quoted, count=part, total=total, base=base)
    if part > total:
        _fail(SHARE_PART_OVER_TOTAL, text=quoted, count=part, total=total)
    return {"percent": round(100 * part / total, 1), "count": part, "base": total}


# ----------------------------------------------------------------- count lists

_LIST_HEAD = re.compile(
    rf"^(?P<sign>[{_DASHES}](?=[0-9]))?(?P<count>{_INT})(?P<fraction>[.,][0-9]+)?(?![0-9])"
    r"(?P<rest>.*)$",
    re.S,
)
_BULLET = re.compile(r"^(?:[-–—•*·▪]+|[0-9]{1,2}[.)])\s*")
_TIMES = re.compile(r"(?:\((?P<a>[0-9]{1,3})\)|[x×х] ?(?P<b>[0-9]{1,3}))$", re.I)


def _split_outside_parentheses(text: str, separators: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char in separators and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _parse_count_list(text: str) -> dict[str, Any]:
    """A number with a list: vacancies and their positions.

    Accepted: "2: учитель математики, учитель физики", "2 — учитель математики;
    учитель физики", "2 вакансии: ...", "2 (учитель математики, учитель физики)",
    one position a line (bullets and "1)" or "1." numbering are dropped), or only the
    list ("учитель математики, учитель физики": the count is the number of
    positions). "0", "нет", "no", "нет вакансий" mean none.

    A count may exceed the number of listed positions: one position can have
    several vacancies ("3: учитель математики (2), учитель физики"; "(2)" or
    "x2" after a position counts it twice when the count is left out). A count
    smaller than the listed positions is refused, and so is a count above zero
    with no positions (the question asks for them).
    """
    typed = _prepare(text)
    normalized = unicodedata.normalize("NFKC", typed)
    lines = [re.sub(r"\s+", " ", line).strip() for line in normalized.splitlines()]
    body = "\n".join(line for line in lines if line).strip().rstrip(".;,")
    low = _norm(body)
    if low in NONE_WORDS or low == "0" or _means_no_vacancies(low):
        return {"count": 0, "items": []}
    count: int | None = None
    rest = body
    lines = body.split("\n")
    numbered = all(re.match(r"[0-9]{1,2}[.)] ?[^\W\d_]", line) for line in lines) and (
        len(lines) > 1 or re.match(r"[0-9]{1,2}\)", body)
    )
    head = None if numbered else _LIST_HEAD.match(body)
    if head:
        if head["fraction"]:
            _fail(NOT_WHOLE, text=_quote(typed), example=2)
        count = _to_int(head["count"], typed)
        if head["sign"] and count > 0:
            _fail(NEGATIVE, text=_quote(typed))
        rest = _after_count(head["rest"])
        if count == 0 and all(w in LIST_TOPICS | NONE_WORDS for w in _norm(rest).split()):
            return {"count": 0, "items": []}
    items, listed = _items(rest, typed)
    if count is None:
        count = listed
    if count < listed:
        _fail(
            LIST_COUNT_BELOW_ITEMS,
            count=count,
            listed=listed,
            items=", ".join(items),
        )
    if count > 0 and not items:
        _fail(LIST_NO_ITEMS, count=count)
    return {"count": count, "items": items}


def _means_no_vacancies(low: str) -> bool:
    words = low.split()
    if len(words) == 2:
        first, second = words
        return (first in NONE_WORDS and second in LIST_TOPICS) or (
            first in LIST_TOPICS and second in NONE_WORDS
        )
    return False


def _after_count(rest: str) -> str:
    """What follows the count: separators and a word like «вакансии» before a colon go."""
    rest = rest.strip()
    if rest[:1] in (":", "—", "–", "-", "."):
        return rest[1:].strip()
    if rest.startswith("(") and rest.endswith(")"):
        return rest[1:-1].strip()
    first_line, _, _ = rest.partition("\n")
    label, colon, after = first_line.partition(":")
    if colon and not re.search(r"[0-9,;]", label) and len(label.split()) <= 3:
        return (after + rest[len(first_line) :]).strip()
    for dash in (" — ", " – ", " - "):
        label, found, after = first_line.partition(dash)
        if found and not re.search(r"[0-9,;]", label) and len(label.split()) <= 2:
            if _norm(label) in LIST_TOPICS:
                return (after + rest[len(first_line) :]).strip()
    return rest


def _items(rest: str, typed: str) -> tuple[list[str], int]:
    """The listed positions and how many vacancies they name at least."""
    items: list[str] = []
    listed = 0
    for piece in _split_outside_parentheses(rest, ",;\n"):
        item = _BULLET.sub("", piece.strip()).strip().rstrip(".").strip()
        if not item or _norm(item) in LIST_TOPICS:
            continue
        if not re.search(r"[^\W\d_]", item):
            _fail(LIST_NOT_UNDERSTOOD, text=_quote(typed))
        if len(item) > MAX_ITEM:
            _fail(LIST_ITEM_TOO_LONG, item=_quote(item), length=len(item), limit=MAX_ITEM)
        times = _TIMES.search(item)
        listed += max(1, int(times["a"] or times["b"])) if times else 1
        items.append(item)
    return items, listed


# ----------------------------------------------------------------- level counts

_POSITIONAL = re.compile(r"^[0-9\s,;/|+\-–—]+$")
_LEVEL_TOKEN = re.compile(
    r"(?P<num>(?:(?<!\w)[-–—](?=[0-9]))?[0-9]+(?:[.,][0-9]+)?)|(?P<word>[^\W\d_]+)"
)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _stem_match(word: str, name_word: str) -> bool:
    """Russian and English inflections: «федерального» ~ «федеральный», «рег» ~ «региональный»."""
    if len(word) < 3 or len(name_word) < 3:
        return word == name_word
    common = _common_prefix(word, name_word)
    return common >= max(3, min(len(word), len(name_word)) - 3)


def _level_names(catalog: Catalog, code: str) -> set[str]:
    names = {code}
    try:
        title = catalog.level(code).title
    except UnknownCode:
        return names
    for text in (title.ru, title.en):
        names.update(re.findall(r"[^\W\d_]+", _norm(text)))
    return names


def _level_examples(indicator: Indicator, catalog: Catalog) -> tuple[Text, Text, str]:
    """The levels in order, a named example ("федеральный 0, ..."), a positional one."""
    titles = [_level_title(catalog, code) for code in indicator.levels]
    names = _joined(titles)
    numbers = [str(i % 4) for i in range(len(titles))]
    named = Text(
        ru=", ".join(f"{t.ru} {n}" for t, n in zip(titles, numbers, strict=True)),
        en=", ".join(f"{t.en} {n}" for t, n in zip(titles, numbers, strict=True)),
    )
    return names, named, " ".join(numbers)


def _level_title(catalog: Catalog, code: str) -> Text:
    try:
        return catalog.level(code).title
    except UnknownCode:
        return Text(ru=code, en=code)


def _parse_level_counts(
    indicator: Indicator, text: str, catalog: Catalog, maximum: int | None = None
) -> dict[str, int]:
    """A count per level, e.g. contest winners at the federal, regional, municipal levels.

    Accepted: the numbers in the indicator's order ("0 1 3", "0, 1, 3", "0/1/3"),
    or named in any order, the name before or after the number, in Russian or
    English, inflected or cut short ("федеральный 0, региональный 1,
    муниципальный 3", "3 муниципальных, 1 регионального", "фед. 0; рег. 1"); a
    level not named is 0, "нет" after a name is 0. "0", "нет", "no" alone mean
    none at all. The total cannot exceed ``maximum`` (the number of teachers).
    """
    typed = _prepare(text)
    codes = indicator.levels
    low = _norm(typed)
    names, named_example, example = _level_examples(indicator, catalog)
    quoted = _quote(typed)
    if low in NONE_WORDS or low == "0":
        return dict.fromkeys(codes, 0)
    if _POSITIONAL.match(low):
        numbers = re.findall(r"(?:(?<![0-9])[-–—])?[0-9]+", low)
        if len(numbers) != len(codes):
            _fail(
                LEVELS_NOT_UNDERSTOOD,
                {"levels": names},
                text=quoted,
                number=len(codes),
                example=example,
            )
        values = {
            code: _level_number(number, typed) for code, number in zip(codes, numbers, strict=True)
        }
    else:
        values = _named_levels(indicator, low, catalog, typed, names, named_example, example)
    total = sum(values.values())
    if maximum is not None and total > maximum:
        _fail(
            LEVELS_TOTAL_OVER_BASE,
            _base_title(catalog, indicator.base),
            total=total,
            base=maximum,
        )
    return values


def _level_number(number: str, typed: str) -> int:
    if re.search(r"[.,]", number):
        _fail(NOT_WHOLE, text=_quote(typed), example=3)
    if number[0] in _DASHES:
        if _to_int(number[1:], typed) > 0:
            _fail(NEGATIVE, text=_quote(typed))
        return 0
    return _to_int(number, typed)


def _named_levels(
    indicator: Indicator,
    low: str,
    catalog: Catalog,
    typed: str,
    names: Text,
    named_example: Text,
    example: str,
) -> dict[str, int]:
    codes = indicator.levels
    level_names = {code: _level_names(catalog, code) for code in codes}
    quoted = _quote(typed)

    def level_of(word: str) -> str | None:
        found = {
            code
            for code, words in level_names.items()
            if any(_stem_match(word, name) for name in words)
        }
        return found.pop() if len(found) == 1 else None

    values: dict[str, int] = {}

    def put(code: str, number: str) -> None:
        if code in values:
            _fail(LEVEL_REPEATED, {"level": _level_title(catalog, code)}, text=quoted)
        values[code] = _level_number(number, typed)

    for segment in re.split(r"[;\n]|,(?![0-9])|(?<![0-9]),", low):
        pending_level: str | None = None
        pending_number: str | None = None
        unknown: str | None = None
        for token in _LEVEL_TOKEN.finditer(segment):
            word = token["word"]
            number = token["num"]
            if word is not None and word in NONE_WORDS:
                word, number = None, "0"
            if word is not None:
                code = level_of(word)
                if code is None:
                    unknown = unknown or word
                    continue
                if pending_level is not None:
                    _fail(
                        LEVEL_WITHOUT_NUMBER,
                        {"level": _level_title(catalog, pending_level), "example": named_example},
                        text=quoted,
                    )
                if pending_number is not None:
                    put(code, pending_number)
                    pending_number = None
                else:
                    pending_level = code
            elif number is not None:
                if pending_level is not None:
                    put(pending_level, number)
                    pending_level = None
                elif pending_number is not None:
                    _fail_unknown(unknown, quoted, names, named_example, example, len(codes))
                else:
                    pending_number = number
        if pending_level is not None:
            _fail(
                LEVEL_WITHOUT_NUMBER,
                {"level": _level_title(catalog, pending_level), "example": named_example},
                text=quoted,
            )
        if pending_number is not None:
            _fail_unknown(unknown, quoted, names, named_example, example, len(codes))
    if not values:
        _fail_unknown(None, quoted, names, named_example, example, len(codes))
    return {code: values.get(code, 0) for code in codes}


def _fail_unknown(
    word: str | None, quoted: str, names: Text, named_example: Text, example: str, number: int
) -> NoReturn:
    if word is not None:
        _fail(LEVEL_UNKNOWN, {"levels": names, "example": named_example}, word=word)
    _fail(LEVELS_NOT_UNDERSTOOD, {"levels": names}, text=quoted, number=number, example=example)


# ----------------------------------------------------------------- yes / no


def _parse_yes_no(text: str) -> dict[str, bool]:
    """Yes or no: да/нет, yes/no, д/н, y/n, есть/имеется/отсутствует, +/-, "да, есть"."""
    typed = _prepare(text)
    low = _norm(typed).strip(".!?,;:()").strip()
    parts = [part.strip() for part in re.split(r"[,;]|\s+[-–—]\s+", low) if part.strip()]
    answers = set()
    for part in parts or [low]:
        if part in YES_WORDS:
            answers.add(True)
        elif part in NO_WORDS:
            answers.add(False)
        else:
            answers.add(None)
    if len(answers) != 1 or None in answers:
        _fail(YES_NO_NOT_UNDERSTOOD, text=_quote(typed))
    return {"yes": answers.pop()}


# ----------------------------------------------------------------- choice


def _option_words(names: set[str], code: str) -> set[str]:
    """The words of an option's titles, for matching a name typed in part (not its code)."""
    return {
        word
        for name in names
        if name != code
        for word in re.findall(r"[^\W_]+", name)
        if word not in CHOICE_FILLER
    }


def _option_names(catalog: Catalog, code: str) -> set[str]:
    names = {code}
    try:
        title = catalog.option(code).title
    except UnknownCode:
        return names
    for text in (title.ru, title.en):
        # brackets are split off before _norm, which would drop a closing one
        full = _lower(_clean(text))
        for quote in _QUOTES:
            full = full.replace(quote, "")
        names.update({full.strip(), _norm(full)})
        names.update(_norm(part) for part in re.findall(r"\(([^()]*)\)", full))
        names.add(_norm(re.sub(r"\s+", " ", re.sub(r"\([^()]*\)", " ", full))))
    return {name for name in names if len(name) >= 3}


def _option_title(catalog: Catalog, code: str) -> Text:
    try:
        return catalog.option(code).title
    except UnknownCode:
        return Text(ru=code, en=code)


def _parse_choice(indicator: Indicator, text: str, catalog: Catalog) -> dict[str, Any]:
    """Options named in typed text: "Точка роста", "«Точка роста», Успех каждого ребёнка".

    Names are matched without regard to case, quotes or ё/е, in Russian or in
    English; a piece that names one option in part («точка», «цифровая среда»,
    «успех каждого ребенка») counts as that option, one that fits several is
    refused with the candidates. What names no option is kept in ``other`` (the
    pieces joined with ", ") when the indicator allows it, and refused
    otherwise. "нет", "no", "не участвует" mean no options.
    """
    typed = _prepare(text)
    source = unicodedata.normalize("NFKC", typed)
    for quote in _QUOTES:
        source = source.replace(quote, " ")
    source = re.sub(r"[^\S\n]+", " ", source).strip()
    low_all = _norm(source)
    if low_all in NONE_WORDS or low_all in NOT_TAKING_PART:
        return {"options": [], "other": None}
    quoted = _quote(typed)
    codes = indicator.options
    all_titles = _joined([_option_title(catalog, code) for code in codes], quoted=True)
    names = {code: _option_names(catalog, code) for code in codes}
    words = {code: _option_words(names[code], code) for code in codes}

    found: set[str] = set()
    low = _lower(source)
    masked = list(source)
    everything = sorted(
        ((name, code) for code in codes for name in names[code]), key=lambda p: -len(p[0])
    )
    for name, code in everything:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        for match in pattern.finditer(low):
            if all(c != "\0" for c in masked[match.start() : match.end()]):
                found.add(code)
                masked[match.start() : match.end()] = ["\0"] * (match.end() - match.start())
    rest = "".join(masked).replace("\0", ";")

    other: list[str] = []
    saw_none = False
    for piece in _split_outside_parentheses(rest, ",;\n"):
        kept = piece.split()
        while kept and _lower(kept[0]).strip(".:") in CHOICE_FILLER:
            kept.pop(0)
        while kept and _lower(kept[-1]).strip(".:") in CHOICE_FILLER:
            kept.pop()
        piece = " ".join(kept).strip(" .:-–—")
        if not piece:
            continue
        piece_low = _norm(piece)
        if piece_low in NONE_WORDS or piece_low in NOT_TAKING_PART:
            saw_none = True
            continue
        piece_words = [w for w in re.findall(r"[^\W_]+", piece_low) if w not in CHOICE_FILLER]
        candidates = [
            code
            for code in codes
            if piece_words
            and all(any(_stem_match(w, nw) for nw in words[code]) for w in piece_words)
        ]
        if len(candidates) == 1:
            found.add(candidates[0])
        elif len(candidates) > 1:
            titles = _joined([_option_title(catalog, code) for code in candidates], quoted=True)
            _fail(CHOICE_AMBIGUOUS, {"options": titles}, text=_quote(piece))
        elif not indicator.allow_other:
            _fail(CHOICE_UNKNOWN, {"options": all_titles}, text=_quote(piece))
        else:
            other.append(piece)
    if saw_none and (found or other):
        _fail(CHOICE_NONE_AND_OPTIONS, text=quoted)
    if not found and not other:
        if saw_none:
            return {"options": [], "other": None}
        _fail(CHOICE_NOTHING, {"options": all_titles}, text=quoted)
    other_text = ", ".join(other) or None
    return {"options": [code for code in codes if code in found], "other": other_text}


# ----------------------------------------------------------------- links

_SCHEME = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*):")
_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")
_LOOKS_LIKE_URL = re.compile(r"://|^www\.|\.[a-zа-я]{2,}(?:[/:?#]|$)", re.I)


def _parse_link(text: str) -> dict[str, str]:
    """A web address: http or https; "school.ru/page" gets https:// in front.

    Refused: spaces inside, no site name, other schemes (ftp:, javascript:,
    mailto:, file:), a user name before the site (a phishing trick), text that
    is not an address, more than 2000 characters.
    """
    typed = _prepare(text)
    link = typed.strip().strip("<>" + _QUOTES).strip().rstrip(".,;!")
    quoted = _quote(typed)
    if not link:
        _fail(EMPTY)
    if re.search(r"\s", link):
        if any(_LOOKS_LIKE_URL.search(piece) for piece in link.split()):
            _fail(LINK_SPACES, text=quoted)
        _fail(LINK_NOT_URL, text=quoted)
    scheme_match = _SCHEME.match(link)
    bare = False
    if scheme_match and not re.match(r"^[^:/]*:[0-9]", link):
        scheme = scheme_match["scheme"].lower()
        if scheme not in ("http", "https"):
            _fail(LINK_SCHEME, text=quoted)
        if not link[scheme_match.end() :].startswith("//"):
            _fail(LINK_NOT_URL, text=quoted)
        link = scheme + link[len(scheme) :]
    else:
        if link.startswith("//"):
            link = link[2:]
        link = "https://" + link
        bare = True
    if len(link) > MAX_URL:
        _fail(LINK_TOO_LONG, length=len(link), limit=MAX_URL)
    try:
        parts = urlsplit(link)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        _fail(LINK_NOT_URL, text=quoted)
    if not parts.netloc or not host:
        _fail(LINK_NO_HOST if not bare else LINK_NOT_URL, text=quoted)
    if "@" in parts.netloc or not _valid_host(host, bare):
        _fail(LINK_NOT_URL, text=quoted)
    return {"url": link}


def _valid_host(host: str, bare: bool) -> bool:
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}", host):
        return all(int(part) <= 255 for part in host.split(".")) and not bare
    labels = host.removesuffix(".").split(".")
    if len(labels) < 2 or any(len(label) > 63 or not _LABEL.match(label) for label in labels):
        return False
    zone = labels[-1]
    if zone.startswith("xn--"):
        return True
    if not zone.isalpha() or len(zone) < 2:
        return False
    if bare and not zone.isascii():
        return zone in BARE_CYRILLIC_ZONES
    return True


# ----------------------------------------------------------------- documents


def check_document(file_name: str, size: int | None, mime_type: str | None) -> dict[str, Any]:
    """A file sent as the answer: PDF, DOC, DOCX, XLS or XLSX, up to 20 MB.

    The type is the file name's extension (any case); the MIME type is only a
    hint, used when the name has no extension. A missing MIME type is filled in
    from the extension. A size Telegram did not report (None) is not checked.
    The caller adds Telegram's file ids.
    """
    name = (file_name or "").strip()
    shown = name or "—"
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    hint = (mime_type or "").split(";")[0].strip().lower()
    if suffix:
        if suffix not in DOCUMENT_TYPES:
            _fail(
                DOCUMENT_TYPE, file_name=shown, extension=suffix.upper(), types=DOCUMENT_TYPE_LIST
            )
        extension = suffix
    else:
        by_mime = {mime: ext for ext, mime in DOCUMENT_TYPES.items()}
        if hint not in by_mime:
            _fail(DOCUMENT_NO_TYPE, file_name=shown, types=DOCUMENT_TYPE_LIST)
        extension = by_mime[hint]
    if size is not None and size <= 0:
        _fail(DOCUMENT_EMPTY, file_name=shown)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        megabytes = math.ceil(size / (1024 * 1024) * 10) / 10
        _fail(DOCUMENT_TOO_BIG, file_name=shown, size=megabytes, limit=MAX_DOCUMENT_MB)
    return {
        "file_name": file_name,
        "size": size,
        "mime_type": mime_type or DOCUMENT_TYPES[extension],
    }


# --------------------------------------------------------------------------- showing


def format_answer(
    indicator: Indicator, value: dict[str, Any], catalog: Catalog, locale: str
) -> str:
    """An answer as a person reads it back; parsing it again gives the same value.

    "30,5 %" (ru) / "30.5 %" (en); "12 из 40 (30 %)"; "да" / "yes"; "2:
    учитель математики, учитель физики" ("0" for none); "федеральный 0,
    региональный 1, муниципальный 3"; option titles and the other text; a link
    as is; a document's name and size.
    """
    kind = indicator.kind
    if kind is Kind.LINK:
        return str(value.get("url", ""))
    if kind is Kind.SHARE:
        percent = format_number(float(value.get("percent", 0.0)), locale)
        if "count" in value and "base" in value:
            return translate(
                locale, SHARE_OF, count=value["count"], base=value["base"], percent=percent
            )
        return f"{percent} %"
    if kind is Kind.COUNT:
        return str(value.get("count", 0))
    if kind is Kind.COUNT_LIST:
        items = value.get("items") or []
        count = value.get("count", len(items))
        return f"{count}: {', '.join(items)}" if items else str(count)
    if kind is Kind.LEVEL_COUNTS:
        return ", ".join(
            f"{_level_title(catalog, code).get(locale)} {value.get(code, 0)}"
            for code in indicator.levels
        )
    if kind is Kind.YES_NO:
        return translate(locale, YES if value.get("yes") else NO)
    if kind is Kind.CHOICE:
        shown = [_option_title(catalog, code).get(locale) for code in value.get("options") or []]
        if value.get("other"):
            shown.append(str(value["other"]))
        return ", ".join(shown) if shown else translate(locale, NONE)
    size = value.get("size")
    name = str(value.get("file_name") or "—")
    if not isinstance(size, int) or size <= 0:
        return name
    if size >= 1024 * 1024:
        megabytes = format_number(round(size / (1024 * 1024), 1), locale)
        return translate(locale, FILE_MB, name=name, size=megabytes)
    return translate(locale, FILE_KB, name=name, size=max(1, math.ceil(size / 1024)))


# --------------------------------------------------------------------------- cross-checks

_SUM_TOLERANCE = 0.05  # each percent is rounded to 0.1: it may be off by 0.05


def _percent(value: Any) -> float | None:
    if not isinstance(value, Mapping):
        return None
    percent = value.get("percent")
    if isinstance(percent, bool) or not isinstance(percent, int | float):
        return None
    return float(percent)


def _counted(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, Mapping):
        return None
    count, base = value.get("count"), value.get("base")
    if all(isinstance(n, int) and not isinstance(n, bool) for n in (count, base)):
        return count, base
    return None


def _short(catalog: Catalog, code: str) -> Text:
    return catalog.indicator(code).short


def cross_check(
    catalog: Catalog,
    answers: Mapping[str, dict[str, Any]],
    bases: Mapping[str, int],
    involving: str | None = None,
) -> list[tuple[str, Msg]]:
    """Msgs across answers, as (indicator code to fix, problem) pairs.

    First each answer against its base, in catalog order: a share's count (or a
    count, or the total of level counts) above the school's base; a share given
    as "X of Y" when the base is now another number. Then the catalog's
    [[checks]]: "sum_at_most_base" (the listed shares add up to at most 100 %:
    exactly by counts when all are counts of the same total, else by percents
    with 0.05 per share allowed for rounding; the last listed indicator is to
    fix) and "not_more_than" (each listed share is not above the next one:
    exactly by counts of the same total, else by percents with 0.1 allowed; the
    first of the pair is to fix). Unanswered indicators, unknown codes and values
    of an unexpected shape are skipped.

    With ``involving`` (an indicator code), only the checks that involve that
    indicator: what a change of its answer can add or remove.
    """
    problems: list[tuple[str, Msg]] = []
    indicators = catalog.indicators if involving is None else [catalog.indicator(involving)]
    for indicator in indicators:
        value = answers.get(indicator.code)
        base = _base_of(indicator, bases)
        if not isinstance(value, Mapping) or base is None:
            continue
        found: tuple[str, dict[str, Any]] | None = None
        if indicator.kind is Kind.SHARE and (counted := _counted(value)):
            count, total = counted
            if count > base:
                found = CROSS_COUNT_OVER_BASE, {"count": count, "base": base}
            elif total != base:
                found = CROSS_BASE_CHANGED, {"count": count, "total": total, "base": base}
        elif indicator.kind is Kind.COUNT or indicator.kind is Kind.LEVEL_COUNTS:
            if indicator.kind is Kind.COUNT:
                numbers = [value.get("count")]
            else:
                numbers = [value.get(code) for code in indicator.levels]
            count = sum(n for n in numbers if isinstance(n, int) and not isinstance(n, bool))
            if count > base:
                found = CROSS_COUNT_OVER_BASE, {"count": count, "base": base}
        if found is not None:
            titles = {"indicator": indicator.short, **_base_title(catalog, indicator.base)}
            problems.append((indicator.code, Msg(found[0], {**found[1], **titles})))
    for check in catalog.checks:
        if involving is not None and involving not in check.indicators:
            continue
        codes = [code for code in check.indicators if _known(catalog, code)]
        values = [answers.get(code) for code in codes]
        if len(codes) < 2 or any(_percent(value) is None for value in values):
            continue
        if check.kind == "sum_at_most_base":
            problems.extend(_check_sum(catalog, codes, values, bases))
        else:
            problems.extend(_check_not_more_than(catalog, codes, values))
    return problems


def _known(catalog: Catalog, code: str) -> bool:
    try:
        catalog.indicator(code)
    except KeyError:
        return False
    return True


def _check_sum(
    catalog: Catalog, codes: list[str], values: list[Any], bases: Mapping[str, int]
) -> list[tuple[str, Msg]]:
    counted = [_counted(value) for value in values]
    totals = {c[1] for c in counted if c is not None}
    if all(c is not None for c in counted) and len(totals) == 1:
        total = totals.pop()
        people = sum(c[0] for c in counted if c is not None)
        if people > total:
            base_code = catalog.indicator(codes[0]).base or ""
            localized = {**_names(catalog, codes), **_base_title(catalog, base_code)}
            params = {"total": people, "base": total}
            return [(codes[-1], Msg(CROSS_SUM_COUNTS, {**params, **localized}))]
        return []
    percents = [_percent(value) or 0.0 for value in values]
    total_percent = sum(percents)
    if total_percent > 100 + _SUM_TOLERANCE * len(percents) + 1e-9:
        params = {"total": float(round(total_percent, 1))}
        return [(codes[-1], Msg(CROSS_SUM, {**params, **_names(catalog, codes)}))]
    return []


def _names(catalog: Catalog, codes: list[str]) -> dict[str, Text]:
    return {"names": _joined([_short(catalog, code) for code in codes], quoted=True)}


def _check_not_more_than(
    catalog: Catalog, codes: list[str], values: list[Any]
) -> list[tuple[str, Msg]]:
    problems = []
    for (first, first_value), (second, second_value) in pairwise(zip(codes, values, strict=True)):
        a, b = _counted(first_value), _counted(second_value)
        pa, pb = _percent(first_value) or 0.0, _percent(second_value) or 0.0
        if a and b and a[1] == b[1]:
            wrong = a[0] > b[0]
        else:
            wrong = pa > pb + 2 * _SUM_TOLERANCE + 1e-9
        if wrong:
            localized = {"first": _short(catalog, first), "second": _short(catalog, second)}
            params = {"first_value": float(pa), "second_value": float(pb)}
            problems.append((first, Msg(CROSS_NOT_MORE_THAN, {**params, **localized})))
    return problems
