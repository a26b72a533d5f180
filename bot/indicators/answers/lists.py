"""Answers that are lists: a count with what it counts («2: учитель математики, учитель
физики»), and counts per level («фед. 0, рег. 1, мун. 3»)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NoReturn

from bot.indicators.answers.messages import (
    DASHES,
    INT,
    LEVEL_REPEATED,
    LEVEL_UNKNOWN,
    LEVEL_WITHOUT_NUMBER,
    LEVELS_NOT_UNDERSTOOD,
    LEVELS_TOTAL_OVER_BASE,
    LIST_COUNT_BELOW_ITEMS,
    LIST_ITEM_TOO_LONG,
    LIST_NO_ITEMS,
    LIST_NOT_UNDERSTOOD,
    LIST_TOPICS,
    MAX_ITEM,
    NEGATIVE,
    NONE_WORDS,
    NOT_WHOLE,
    refuse,
)
from bot.indicators.answers.text import base_title, joined, norm, prepare, quote_typed, to_int
from bot.indicators.catalog import Catalog, Indicator, Text, UnknownCode

# ----------------------------------------------------------------- count lists

_LIST_HEAD = re.compile(
    rf"^(?P<sign>[{DASHES}](?=[0-9]))?(?P<count>{INT})(?P<fraction>[.,][0-9]+)?(?![0-9])"
    r"(?P<rest>.*)$",
    re.S,
)
_BULLET = re.compile(r"^(?:[-–—•*·▪]+|[0-9]{1,2}[.)])\s*")
_TIMES = re.compile(r"(?:\((?P<a>[0-9]{1,3})\)|[x×х] ?(?P<b>[0-9]{1,3}))$", re.I)


def split_outside_parentheses(text: str, separators: str) -> list[str]:
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


def parse_count_list(text: str) -> dict[str, Any]:
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
    typed = prepare(text)
    normalized = unicodedata.normalize("NFKC", typed)
    lines = [re.sub(r"\s+", " ", line).strip() for line in normalized.splitlines()]
    body = "\n".join(line for line in lines if line).strip().rstrip(".;,")
    low = norm(body)
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
            refuse(NOT_WHOLE, text=quote_typed(typed), example=2)
        count = to_int(head["count"], typed)
        if head["sign"] and count > 0:
            refuse(NEGATIVE, text=quote_typed(typed))
        rest = _after_count(head["rest"])
        if count == 0 and all(w in LIST_TOPICS | NONE_WORDS for w in norm(rest).split()):
            return {"count": 0, "items": []}
    items, listed = _items(rest, typed)
    if count is None:
        count = listed
    if count < listed:
        refuse(
            LIST_COUNT_BELOW_ITEMS,
            count=count,
            listed=listed,
            items=", ".join(items),
        )
    if count > 0 and not items:
        refuse(LIST_NO_ITEMS, count=count)
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
            if norm(label) in LIST_TOPICS:
                return (after + rest[len(first_line) :]).strip()
    return rest


def _items(rest: str, typed: str) -> tuple[list[str], int]:
    """The listed positions and how many vacancies they name at least."""
    items: list[str] = []
    listed = 0
    for piece in split_outside_parentheses(rest, ",;\n"):
        item = _BULLET.sub("", piece.strip()).strip().rstrip(".").strip()
        if not item or norm(item) in LIST_TOPICS:
            continue
        if not re.search(r"[^\W\d_]", item):
            refuse(LIST_NOT_UNDERSTOOD, text=quote_typed(typed))
        if len(item) > MAX_ITEM:
            refuse(LIST_ITEM_TOO_LONG, item=quote_typed(item), length=len(item), limit=MAX_ITEM)
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


def stem_match(word: str, name_word: str) -> bool:
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
        names.update(re.findall(r"[^\W\d_]+", norm(text)))
    return names


def _level_examples(indicator: Indicator, catalog: Catalog) -> tuple[Text, Text, str]:
    """The levels in order, a named example ("федеральный 0, ..."), a positional one."""
    titles = [level_title(catalog, code) for code in indicator.levels]
    names = joined(titles)
    numbers = [str(i % 4) for i in range(len(titles))]
    named = Text(
        ru=", ".join(f"{t.ru} {n}" for t, n in zip(titles, numbers, strict=True)),
        en=", ".join(f"{t.en} {n}" for t, n in zip(titles, numbers, strict=True)),
    )
    return names, named, " ".join(numbers)


def level_title(catalog: Catalog, code: str) -> Text:
    try:
        return catalog.level(code).title
    except UnknownCode:
        return Text(ru=code, en=code)


def parse_level_counts(
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
    typed = prepare(text)
    codes = indicator.levels
    low = norm(typed)
    names, named_example, example = _level_examples(indicator, catalog)
    quoted = quote_typed(typed)
    if low in NONE_WORDS or low == "0":
        return dict.fromkeys(codes, 0)
    if _POSITIONAL.match(low):
        numbers = re.findall(r"(?:(?<![0-9])[-–—])?[0-9]+", low)
        if len(numbers) != len(codes):
            refuse(
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
        refuse(
            LEVELS_TOTAL_OVER_BASE,
            base_title(catalog, indicator.base),
            total=total,
            base=maximum,
        )
    return values


def _level_number(number: str, typed: str) -> int:
    if re.search(r"[.,]", number):
        refuse(NOT_WHOLE, text=quote_typed(typed), example=3)
    if number[0] in DASHES:
        if to_int(number[1:], typed) > 0:
            refuse(NEGATIVE, text=quote_typed(typed))
        return 0
    return to_int(number, typed)


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
    quoted = quote_typed(typed)

    def level_of(word: str) -> str | None:
        found = {
            code
            for code, words in level_names.items()
            if any(stem_match(word, name) for name in words)
        }
        return found.pop() if len(found) == 1 else None

    values: dict[str, int] = {}

    def put(code: str, number: str) -> None:
        if code in values:
            refuse(LEVEL_REPEATED, {"level": level_title(catalog, code)}, text=quoted)
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
                    refuse(
                        LEVEL_WITHOUT_NUMBER,
                        {"level": level_title(catalog, pending_level), "example": named_example},
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
            refuse(
                LEVEL_WITHOUT_NUMBER,
                {"level": level_title(catalog, pending_level), "example": named_example},
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
        refuse(LEVEL_UNKNOWN, {"levels": names, "example": named_example}, word=word)
    refuse(LEVELS_NOT_UNDERSTOOD, {"levels": names}, text=quoted, number=number, example=example)
