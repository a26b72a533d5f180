"""Yes or no, and a choice among the indicator's options (buttons or typed names)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.indicators.answers.lists import split_outside_parentheses, stem_match
from bot.indicators.answers.messages import (
    CHOICE_AMBIGUOUS,
    CHOICE_FILLER,
    CHOICE_NONE_AND_OPTIONS,
    CHOICE_NOTHING,
    CHOICE_UNKNOWN,
    MAX_ITEM,
    NO_WORDS,
    NONE_WORDS,
    NOT_TAKING_PART,
    QUOTES,
    YES_NO_NOT_UNDERSTOOD,
    YES_WORDS,
    refuse,
)
from bot.indicators.answers.text import clean, joined, lower, norm, prepare, quote_typed
from bot.indicators.catalog import Catalog, Indicator, Text, UnknownCode

# ----------------------------------------------------------------- yes / no


_YES_NO_HEAD = re.compile(r"^(?P<word>[^\s,;:.!()—–-]+(?: [^\s,;:.!()—–-]+)?)")


def parse_yes_no(text: str) -> dict[str, Any]:
    """Yes or no: да/нет, yes/no, д/н, y/n, есть/имеется/отсутствует, +/-, "да, есть";
    with a detail after it ("да, с Елецким университетом и колледжем") the detail is kept
    as ``comment``."""
    typed = prepare(text)
    low = norm(typed).strip(".!?,;:()").strip()
    parts = [part.strip() for part in re.split(r"[,;]|\s+[-–—]\s+", low) if part.strip()]
    answers = set()
    for part in parts or [low]:
        if part in YES_WORDS:
            answers.add(True)
        elif part in NO_WORDS:
            answers.add(False)
        else:
            answers.add(None)
    if len(answers) == 1 and None not in answers:
        return {"yes": answers.pop()}
    found = _with_detail(typed)
    if found is None:
        refuse(YES_NO_NOT_UNDERSTOOD, text=quote_typed(typed))
    return found


def _with_detail(typed: str) -> dict[str, Any] | None:
    """ "да, с Елецким университетом" → yes with the comment; None when the answer does not
    start with yes or no, or its detail says yes or no again (a contradiction)."""
    cleaned = clean(typed)
    for words in (2, 1):  # «не имеется, ...» before «не ...»
        head = " ".join(cleaned.split(" ")[:words])
        key = norm(head).strip(".!?,;:()—–-").strip()
        if key in YES_WORDS or key in NO_WORDS:
            rest = cleaned[len(head) :].strip(" ,;:.!—–-").strip()
            if rest.startswith("(") and rest.endswith(")"):  # as the form shows it back
                rest = rest[1:-1].strip()
            detail_words = {norm(word) for word in re.split(r"[\s,;]+", rest) if word}
            if not rest or detail_words & (YES_WORDS | NO_WORDS) - {"+", "-", "–", "—"}:
                return None
            return {"yes": key in YES_WORDS, "comment": rest[:MAX_ITEM]}
    return None


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
        # brackets are split off before norm, which would drop a closing one
        full = lower(clean(text))
        for quote in QUOTES:
            full = full.replace(quote, "")
        names.update({full.strip(), norm(full)})
        names.update(norm(part) for part in re.findall(r"\(([^()]*)\)", full))
        names.add(norm(re.sub(r"\s+", " ", re.sub(r"\([^()]*\)", " ", full))))
    return {name for name in names if len(name) >= 3}


def option_title(catalog: Catalog, code: str) -> Text:
    try:
        return catalog.option(code).title
    except UnknownCode:
        return Text(ru=code, en=code)


def parse_choice(indicator: Indicator, text: str, catalog: Catalog) -> dict[str, Any]:
    """Options named in typed text: "Точка роста", "«Точка роста», Успех каждого ребёнка".

    Names are matched without regard to case, quotes or ё/е, in Russian or in
    English; a piece that names one option in part («точка», «цифровая среда»,
    «успех каждого ребенка») counts as that option, one that fits several is
    refused with the candidates. What names no option is kept in ``other`` (the
    pieces joined with ", ") when the indicator allows it, and refused
    otherwise. "нет", "no", "не участвует" mean no options.
    """
    typed = prepare(text)
    source = unicodedata.normalize("NFKC", typed)
    for quote in QUOTES:
        source = source.replace(quote, " ")
    source = re.sub(r"[^\S\n]+", " ", source).strip()
    low_all = norm(source)
    if low_all in NONE_WORDS or low_all in NOT_TAKING_PART:
        return {"options": [], "other": None}
    quoted = quote_typed(typed)
    codes = indicator.options
    all_titles = joined([option_title(catalog, code) for code in codes], quoted=True)
    names = {code: _option_names(catalog, code) for code in codes}
    words = {code: _option_words(names[code], code) for code in codes}

    found: set[str] = set()
    low = lower(source)
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
    for piece in split_outside_parentheses(rest, ",;\n"):
        kept = piece.split()
        while kept and lower(kept[0]).strip(".:") in CHOICE_FILLER:
            kept.pop(0)
        while kept and lower(kept[-1]).strip(".:") in CHOICE_FILLER:
            kept.pop()
        piece = " ".join(kept).strip(" .:-–—")
        if not piece:
            continue
        piece_low = norm(piece)
        if piece_low in NONE_WORDS or piece_low in NOT_TAKING_PART:
            saw_none = True
            continue
        piece_words = [w for w in re.findall(r"[^\W_]+", piece_low) if w not in CHOICE_FILLER]
        candidates = [
            code
            for code in codes
            if piece_words
            and all(any(stem_match(w, nw) for nw in words[code]) for w in piece_words)
        ]
        if len(candidates) == 1:
            found.add(candidates[0])
        elif len(candidates) > 1:
            titles = joined([option_title(catalog, code) for code in candidates], quoted=True)
            refuse(CHOICE_AMBIGUOUS, {"options": titles}, text=quote_typed(piece))
        elif not indicator.allow_other:
            refuse(CHOICE_UNKNOWN, {"options": all_titles}, text=quote_typed(piece))
        else:
            other.append(piece)
    if saw_none and (found or other):
        refuse(CHOICE_NONE_AND_OPTIONS, text=quoted)
    if not found and not other:
        if saw_none:
            return {"options": [], "other": None}
        refuse(CHOICE_NOTHING, {"options": all_titles}, text=quoted)
    other_text = ", ".join(other) or None
    return {"options": [code for code in codes if code in found], "other": other_text}
