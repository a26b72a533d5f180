"""Short names for chart labels: «МБОУ «Казанская средняя общеобразовательная школа»» →
«Казанская СОШ».

A chart has room for about two dozen characters of a name. The short name drops the
legal form (МБОУ, МАОУ, ГБОУ... or the words «муниципальное бюджетное
общеобразовательное учреждение») and the quotes, writes the school's type the way
people say it (СОШ, ООШ, НОШ, гимназия, лицей), and is cut at a word with «…» only if
still too long. The full names go to the caption the caller writes; :func:`short_names`
gives both, and makes short names unique so the caption can tell them apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

MAX_LENGTH = 24
ELLIPSIS = "…"

_LEGAL_WORDS = re.compile(
    r"^(?:(?:муниципальное|государственное|областное|краевое|частное|автономное|бюджетное|"
    r"казённое|казенное|некоммерческое|негосударственное|общеобразовательное|образовательное)\s+)+"
    r"(?:учреждение|организация)\b",
    re.IGNORECASE,
)
# Longest first: «средняя общеобразовательная школа» before «средняя школа».
_TYPES: tuple[tuple[str, str], ...] = (
    (r"средн(?:яя|ей)\s+общеобразовательн(?:ая|ой)\s+школ[аы]", "СОШ"),
    (r"основн(?:ая|ой)\s+общеобразовательн(?:ая|ой)\s+школ[аы]", "ООШ"),
    (r"начальн(?:ая|ой)\s+общеобразовательн(?:ая|ой)\s+школ[аы]", "НОШ"),
    (r"средн(?:яя|ей)\s+школ[аы]", "СШ"),
    (r"основн(?:ая|ой)\s+школ[аы]", "ОШ"),
    (r"с\s+углубл[её]нным\s+изучением\s+отдельных\s+предметов", "с УИОП"),
    (r"имени\b", "им."),
)
_TYPE_PATTERNS = tuple((re.compile(rf"\b{p}", re.IGNORECASE), short) for p, short in _TYPES)
_WORD_TYPES = re.compile(r"\b(гимназия|лицей)\b", re.IGNORECASE)
# «им. Героя Советского Союза И. И. Иванова» up to a place («с. Долгоруково»)
_HONORIFIC = re.compile(r" им\. .*?(?= (?:с|д|п|г|пос|ст|х|рп|пгт)\. )")
_QUOTES = re.compile(r"[«»\"“”„]")
# Words a cut name should not end on: «СОШ №…», «СОШ с…».
_DANGLING = {"№", "им.", "имени", "с", "с.", "д.", "п.", "г.", "и", "в", "на", "по", "-", "–", "—"}


def short_school_name(name: str, max_length: int = MAX_LENGTH) -> str:
    """A school's name the way a chart label needs it (see the module's docstring)."""
    text = " ".join(_QUOTES.sub(" ", name).replace("\u00a0", " ").split())
    text = _strip_legal_form(text)
    for pattern, short in _TYPE_PATTERNS:
        text = pattern.sub(short, text)
    text = re.sub(r"№\s*(\d)", r"№ \1", text)
    if _WORD_TYPES.match(text):
        text = text[0].upper() + text[1:]
    if len(text) > max_length:
        # the place tells schools apart better than whose name the school bears
        text = _HONORIFIC.sub("", text)
    return cut(text or name.strip(), max_length)


def short_municipality_name(name: str, max_length: int = MAX_LENGTH) -> str:
    """«Липецкий муниципальный район» → «Липецкий р-н», «городской округ город Елец» → «ГО
    город Елец», cut at a word if still too long."""
    text = " ".join(name.replace("\u00a0", " ").split())
    for pattern, short in (
        (r"муниципальн(?:ый|ого)\s+район[а]?", "р-н"),
        (r"муниципальн(?:ый|ого)\s+округ[а]?", "МО"),
        (r"городско(?:й|го)\s+округ[а]?", "ГО"),
    ):
        text = re.sub(rf"\b{pattern}", short, text, flags=re.IGNORECASE)
    return cut(text, max_length)


def cut(text: str, max_length: int = MAX_LENGTH) -> str:
    """``text`` if it fits, else as many whole words as fit before «…» (a dangling «№» or
    preposition dropped); if that is less than half the limit, cut inside a word."""
    if len(text) <= max_length:
        return text
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) + len(ELLIPSIS) > max_length:
            break
        kept.append(word)
    while kept and kept[-1].lower() in _DANGLING:
        kept.pop()
    if len(" ".join(kept)) < max_length // 2:
        # whole words would leave too little («ООШ…»): cut inside a long word instead
        return text[: max_length - len(ELLIPSIS)].rstrip(" ,;:") + ELLIPSIS
    return " ".join(kept).rstrip(",;:") + ELLIPSIS


def short_names(
    names: Iterable[str],
    max_length: int = MAX_LENGTH,
    shorten: Callable[[str, int], str] = short_school_name,
) -> list[tuple[str, str]]:
    """(short name, full name) for each name, in order. Short names that would be equal get
    « (1)», « (2)»... so a reader can tell the bars apart and find each in the caption."""
    names = list(names)
    shorts = [shorten(name, max_length) for name in names]
    clashes = {short for short, count in Counter(shorts).items() if count > 1}
    seen: Counter[str] = Counter()
    result = []
    for name, short in zip(names, shorts, strict=True):
        if short in clashes:
            seen[short] += 1
            suffix = f" ({seen[short]})"
            short = shorten(name, max_length - len(suffix)) + suffix
        result.append((short, name))
    return result


def _strip_legal_form(text: str) -> str:
    words = _LEGAL_WORDS.match(text)
    if words:
        return text[words.end() :].strip(" ,-–—")
    words = [word for word in text.split(" ") if not _is_legal_abbreviation(word)]
    return " ".join(words).strip(" ,-–—") if words else text


def _is_legal_abbreviation(word: str) -> bool:
    """МБОУ, МАОУ, МКОУ, МОУ, ГБОУ, ГОБОУ, ЧОУ, АНОО...: an upper-case word of Cyrillic
    letters ending in «ОУ» or «ОО»."""
    return bool(re.fullmatch(r"[А-ЯЁ]{1,5}(?:ОУ|ОО)", word))
