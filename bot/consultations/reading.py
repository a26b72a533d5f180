"""Availability text to parts: the tokenizer and the parser behind ``read_availability``.

The parser turns «вт, чт 15:00–17:00 до 20 декабря» into a flat list of parts: days
(:class:`Days`, :class:`Dates`), hours (:class:`Hours`), the bounds of the period
(:class:`Bound`) and the word «еженедельно» (:class:`Weekly`). Putting them together
(which hours go with which days, one-off or weekly, the years of the dates) is
:mod:`.availability`'s job. What cannot be read raises :class:`Unreadable` with a
reason code and its details; nothing is guessed.

Numbers are hours unless a month follows them: «10–12» and «с 10 до 12» are hours,
«10–12 декабря» and «с 10 по 12 декабря» are dates, «с 10 по 12» is refused
(``ambiguous_numbers``). A number with a dot is a time when its second part is 00 or
13–59 («15.00», «9.30»), otherwise a date («5.12», «24.12»): write 10:05 with a colon.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.consultations import words as w

MAX_TEXT = 300  # a schedule is a line or two; anything longer is not one
MINUTES_PER_DAY = 24 * 60


class Unreadable(Exception):
    """Why a text is not availability: a reason code and the details for the message."""

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason, details)
        self.reason = reason
        self.details = details


# --------------------------------------------------------------------------- parts


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date as written. ``year`` None: not written (placed by the reader);
    ``fixed``: a date already known («завтра», «до конца месяца»); ``month_end``: the
    last day of the month, whatever its length («до конца ноября», «в феврале»)."""

    day: int
    month: int
    year: int | None
    text: str
    fixed: date | None = None
    month_end: bool = False


@dataclass(frozen=True, slots=True)
class Days:
    """Days of the week (0 = Monday); ``weekly``: the text says they repeat."""

    weekdays: frozenset[int]
    weekly: bool
    text: str


@dataclass(frozen=True, slots=True)
class Dates:
    """One-off dates: «5 и 12 декабря», «5.12», «завтра»."""

    dates: tuple[DateRef, ...]


@dataclass(frozen=True, slots=True)
class Hours:
    """A time range in minutes from midnight; ``end`` may be 24 × 60 (midnight)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Bound:
    """The start and/or end of the period the days fall in.

    ``shared_month``: the start's month was taken from the end («с 1 по 19 декабря»).
    """

    start: DateRef | None
    end: DateRef | None
    text: str
    shared_month: bool = False


@dataclass(frozen=True, slots=True)
class Weekly:
    """«еженедельно», «каждую неделю»."""


Part = Days | Dates | Hours | Bound | Weekly


# --------------------------------------------------------------------------- tokens

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None),
        **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58"), "-"),
        ord("ё"): "е",
    }
)
_TOKEN = re.compile(
    r"(?P<date3>(?<![\d.:])\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?![\d]))"
    r"|(?P<colon>(?<![\d.:])\d{1,2}:\d{2}(?![\d:]))"
    r"|(?P<dotted>(?<![\d.:])\d{1,2}\.\d{1,2}(?![\d]))"
    r"|(?P<num>\d+)"
    r"|(?P<word>[a-zа-я]+)"
    r"|(?P<dash>-)"
    r"|(?P<sep>[,;/+&])"
    r"|(?P<noise>[\s.()\[\]«»\"'“”„!?:])"
    r"|(?P<other>.)",
    re.S,
)


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # time, date, num, word, dash, sep
    text: str
    a: int = 0  # time: hour; date: day; num: the value
    b: int = 0  # time: minute; date: month
    year: int | None = None  # a date's year, if written


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(_TRANSLATE)


def tokenize(text: str) -> list[Tok]:
    """Tokens of normalized text; an unknown word or sign raises ``unknown_word``."""
    tokens: list[Tok] = []
    for match in _TOKEN.finditer(text):
        kind, raw = match.lastgroup or "other", match.group()
        if kind == "noise":
            continue
        if kind == "other" or (kind == "word" and raw not in w.KNOWN | w.ORDINAL_SUFFIXES):
            raise Unreadable("unknown_word", word=raw)
        if kind == "date3":
            day, month, year = (int(part) for part in raw.split("."))
            year += 2000 if year < 100 else 0
            tokens.append(Tok("date", raw, day, month, year))
        elif kind == "colon":
            hour, minute = (int(part) for part in raw.split(":"))
            tokens.append(Tok("time", raw, hour, minute))
        elif kind == "dotted":
            left, right = raw.split(".")
            if len(right) == 2 and (int(right) == 0 or int(right) > 12):
                tokens.append(Tok("time", raw, int(left), int(right)))
            else:
                tokens.append(Tok("date", raw, int(left), int(right)))
        elif kind == "num":
            tokens.append(Tok("num", raw, int(raw) if len(raw) <= 6 else -1))
        else:
            tokens.append(Tok(kind, raw))
    tokens = _drop_ordinal_endings(tokens)
    for tok in tokens:  # an ordinal ending is a word only after a number
        if tok.kind == "word" and tok.text not in w.KNOWN:
            raise Unreadable("unknown_word", word=tok.text)
    return tokens


def _drop_ordinal_endings(tokens: list[Tok]) -> list[Tok]:
    """«20-го декабря», «с 10-ти до 12-ти»: the number alone."""
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        out.append(tokens[i])
        if (
            tokens[i].kind == "num"
            and i + 2 < len(tokens)
            and tokens[i + 1].kind == "dash"
            and tokens[i + 2].kind == "word"
            and tokens[i + 2].text in w.ORDINAL_SUFFIXES
        ):
            i += 3
        else:
            i += 1
    return out


# --------------------------------------------------------------------------- dates


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _sunday(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


@dataclass(slots=True)
class _Atom:
    ref: DateRef | None  # None: a bare day number, its month comes later
    day: int
    text: str
    then: str = ""  # the connector after it: "list", "range" or ""


# --------------------------------------------------------------------------- parser

_BETWEEN = w.AND | w.FILLERS | w.HOUR_WORDS  # skipped between parts


class Parser:
    def __init__(self, tokens: list[Tok], today: date) -> None:
        self.toks = tokens
        self.today = today

    # -- looking
    def tok(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def word(self, i: int) -> str | None:
        tok = self.tok(i)
        return tok.text if tok is not None and tok.kind == "word" else None

    def is_word(self, i: int, words: frozenset[str] | dict[str, Any]) -> bool:
        word = self.word(i)
        return word is not None and word in words

    def kind(self, i: int) -> str | None:
        tok = self.tok(i)
        return tok.kind if tok is not None else None

    def text(self, i: int, j: int) -> str:
        return " ".join(tok.text for tok in self.toks[i:j])

    def unexpected(self, i: int) -> Unreadable:
        tok = self.tok(i)
        return Unreadable("unexpected", text=tok.text if tok else self.text(i - 1, i))

    def skip(self, i: int, words: frozenset[str]) -> int:
        while self.is_word(i, words):
            i += 1
        return i

    # -- the phrase
    def parts(self) -> list[Part]:
        found: list[Part] = []
        i = 0
        while i < len(self.toks):
            tok = self.toks[i]
            if tok.kind == "sep" or self.is_word(i, _BETWEEN):
                i += 1
                continue
            part, i = self.part(i)
            if part is not None:
                found.append(part)
        return found

    def part(self, i: int) -> tuple[Part | None, int]:
        word = self.word(i)
        if word is None:
            return self.numbers(i)
        if word in w.EACH:
            return self.each(i + 1)
        if word in w.WEEKLY:
            return Weekly(), i + 1
        if word in w.DAILY:
            return Days(frozenset(w.EVERY_DAY), True, word), i + 1
        if word in w.WORKDAY_WORDS or word in w.WEEKEND_WORDS:
            return self.day_class(i)
        if word in w.STARTING and self.is_word(i + 1, w.FROM):
            return self.since(i + 1)
        if word in w.FROM:
            return self.since(i)
        if word in w.UNTIL:
            return self.until(i, i + 1)
        if word == w.NOT_LATER[0] and self.word(i + 1) == w.NOT_LATER[1]:
            return self.until(i, i + 2)
        if word in w.ON:
            return self.on(i)
        if word in w.AT:
            return self.at(i)
        if word in w.WEEKDAYS:
            return self.weekdays(i, weekly=False)
        if word in w.TODAY_WORDS:
            return self.numbers(i)
        raise self.unexpected(i)

    # -- days of the week
    def weekdays(self, i: int, *, weekly: bool) -> tuple[Days, int]:
        """«вт, чт», «пн-пт», «вторник и четверг», «по средам и по пятницам», «вт чт»."""
        days: set[int] = set()
        j = i
        while True:
            word = self.word(j) or ""
            first = w.WEEKDAYS[word]
            weekly = weekly or word in w.PLURAL_WEEKDAYS
            j += 1
            if self.kind(j) == "dash" and self.is_word(j + 1, w.WEEKDAYS):
                last_word = self.word(j + 1) or ""
                last = w.WEEKDAYS[last_word]
                if last < first:
                    raise Unreadable("reversed_weekdays", text=self.text(j - 1, j + 2))
                weekly = weekly or last_word in w.PLURAL_WEEKDAYS
                days.update(range(first, last + 1))
                j += 2
            else:
                days.add(first)
            k = j  # what comes next: «, чт», «и чт», «и по четвергам», «чт»
            if self.kind(k) == "sep":
                k += 1
            if self.is_word(k, w.AND):
                k += 1
            repeats = self.word(k) == "по" or self.is_word(k, w.EACH)
            if repeats or self.is_word(k, w.ON):
                k += 1
            if not self.is_word(k, w.WEEKDAYS):
                break
            weekly = weekly or repeats
            j = k
        return Days(frozenset(days), weekly, self.text(i, j)), j

    def each(self, i: int) -> tuple[Part, int]:
        """After «каждый»: days of the week, «день», «будний день», «неделю»."""
        if self.is_word(i, w.WEEKDAYS):
            return self.weekdays(i, weekly=True)
        if self.is_word(i, w.WORKDAY_WORDS):
            return self.day_class(i)
        if self.is_word(i, w.DAY_WORDS):
            return Days(frozenset(w.EVERY_DAY), True, self.text(i - 1, i + 1)), i + 1
        if self.is_word(i, w.WEEK_WORDS):
            return Weekly(), i + 1
        raise self.unexpected(i)

    def day_class(self, i: int) -> tuple[Days, int]:
        """«будни», «будние дни», «рабочие дни», «выходные»: always repeating."""
        word = self.word(i) or ""
        days = w.WORKDAYS if word in w.WORKDAY_WORDS else w.WEEKEND
        j = i + 1
        if self.is_word(j, w.DAY_WORDS):
            j += 1
        elif word.startswith("рабоч") or word in ("будний", "будним", "будние"):
            raise self.unexpected(j)
        return Days(frozenset(days), True, self.text(i, j)), j

    # -- prepositions
    def since(self, i: int) -> tuple[Part, int]:
        """After «с»: a start date, a date range, hours, or «с понедельника по пятницу»."""
        j = i + 1
        if self.is_word(j, w.WEEKDAYS):
            word = self.word(j) or ""
            if self.is_word(j + 1, w.UNTIL) and self.is_word(j + 2, w.WEEKDAYS):
                first, last = w.WEEKDAYS[word], w.WEEKDAYS[self.word(j + 2) or ""]
                if last < first:
                    raise Unreadable("reversed_weekdays", text=self.text(i, j + 3))
                return Days(frozenset(range(first, last + 1)), False, self.text(i, j + 3)), j + 3
            raise self.unexpected(j + 1)
        dated = self.dates(j, range_words=w.UNTIL)
        if dated is not None:
            atoms, k = dated
            if len(atoms) == 1:
                return Bound(atoms[0].ref, None, self.text(i, k)), k
            return self.bound(atoms, i, k), k
        if self.kind(j) in ("num", "time"):
            if self.word(j + 1) == "по" and self.kind(j + 2) in ("num", "time"):
                raise Unreadable("ambiguous_numbers", text=self.text(i, j + 3))
            hours = self.hours(j)
            if hours is None:
                raise Unreadable("incomplete_time", time=self.toks[j].text)
            return hours
        raise self.unexpected(j)

    def until(self, i: int, j: int) -> tuple[Part, int]:
        """After «до», «по», «не позднее»: the end of the period (or «по средам»)."""
        if self.word(i) == "по":
            if self.is_word(j, w.WEEKDAYS):
                return self.weekdays(j, weekly=True)
            if self.is_word(j, w.WORKDAY_WORDS | w.WEEKEND_WORDS):
                return self.day_class(j)
        if self.is_word(j, w.END_WORDS):
            end, k = self.end_of(j + 1)
            return Bound(None, end, self.text(i, k)), k
        if self.is_word(j, w.NEW_YEAR) and self.is_word(j + 1, w.YEAR_WORDS):
            end = date(self.today.year, 12, 31)
            return Bound(None, self.fixed(end, i, j + 2), self.text(i, j + 2)), j + 2
        dated = self.dates(j)
        if dated is not None:
            atoms, k = dated
            if len(atoms) > 1:
                raise self.unexpected(j)
            return Bound(None, atoms[0].ref, self.text(i, k)), k
        tok = self.tok(j)
        if tok is not None and tok.kind == "time":
            raise Unreadable("incomplete_time", time=tok.text)
        if tok is not None and tok.kind == "num":
            raise Unreadable("ambiguous_numbers", text=self.text(i, j + 1))
        raise self.unexpected(j)

    def end_of(self, i: int) -> tuple[DateRef, int]:
        """After «до конца»: «месяца», «этого месяца», «следующего месяца», «недели»,
        «года», «декабря»."""
        today = self.today
        month = self.word(i)
        if month is not None and month in w.MONTHS:
            return DateRef(31, w.MONTHS[month], None, month, month_end=True), i + 1
        j = i
        later = False
        if self.is_word(j, w.THIS):
            j += 1
        elif self.is_word(j, w.NEXT):
            later, j = True, j + 1
        if self.is_word(j, w.MONTH_WORDS):
            year, number = today.year, today.month
            if later:
                year, number = (year + 1, 1) if number == 12 else (year, number + 1)
            end = date(year, number, last_day(year, number))
        elif self.is_word(j, w.WEEK_WORDS):
            end = _sunday(today) + timedelta(days=7 if later else 0)
        elif self.is_word(j, w.YEAR_WORDS) and not later:
            end = date(today.year, 12, 31)
        else:
            raise self.unexpected(j)
        return self.fixed(end, i, j + 1), j + 1

    def on(self, i: int) -> tuple[Part, int]:
        """After «в»: «в среду», «в декабре», «в этом месяце», «в будние дни»."""
        j = i + 1
        if self.is_word(j, w.WEEKDAYS):
            return self.weekdays(j, weekly=False)
        if self.is_word(j, w.WORKDAY_WORDS | w.WEEKEND_WORDS):
            return self.day_class(j)
        month = self.word(j)
        if month is not None and month in w.MONTHS:
            number = w.MONTHS[month]
            year = None
            k = j + 1
            if self.kind(k) == "num" and len(self.toks[k].text) == 4:
                year, k = self.toks[k].a, self.skip(k + 1, w.YEAR_WORDS)
            start = DateRef(1, number, year, month)
            end = DateRef(31, number, year, month, month_end=True)
            return Bound(start, end, self.text(i, k), shared_month=True), k
        if self.is_word(j, w.THIS | w.NEXT) and self.is_word(j + 1, w.MONTH_WORDS):
            today = self.today
            if self.is_word(j, w.THIS):
                start = today
                end = date(today.year, today.month, last_day(today.year, today.month))
            else:
                year, number = today.year, today.month + 1
                if number == 13:
                    year, number = year + 1, 1
                start, end = date(year, number, 1), date(year, number, last_day(year, number))
            text = self.text(i, j + 2)
            return Bound(self.fixed(start, i, j + 2), self.fixed(end, i, j + 2), text), j + 2
        tok = self.tok(j)
        if tok is not None and tok.kind in ("time", "num"):
            raise Unreadable("incomplete_time", time=tok.text)
        raise self.unexpected(j)

    def at(self, i: int) -> tuple[Part | None, int]:
        """«на этой неделе», «на следующей неделе», «на неделе»; else a filler."""
        j = i + 1
        later = self.is_word(j, w.NEXT)
        if self.is_word(j, w.THIS | w.NEXT):
            j += 1
        if not self.is_word(j, w.WEEK_WORDS):
            return None, i + 1
        monday = self.today - timedelta(days=self.today.weekday())
        start = monday + timedelta(days=7) if later else self.today
        end = _sunday(start)
        text = self.text(i, j + 1)
        return Bound(self.fixed(start, i, j + 1), self.fixed(end, i, j + 1), text), j + 1

    # -- numbers: dates or hours
    def numbers(self, i: int) -> tuple[Part, int]:
        dated = self.dates(i)
        if dated is not None:
            atoms, j = dated
            if any(atom.then == "range" for atom in atoms[:-1]):
                if len(atoms) != 2:
                    raise self.unexpected(i)
                return self.bound(atoms, i, j), j
            return Dates(tuple(atom.ref for atom in atoms if atom.ref is not None)), j
        hours = self.hours(i)
        if hours is not None:
            return hours
        tok = self.toks[i]
        if tok.kind in ("num", "time"):
            raise Unreadable("incomplete_time", time=tok.text)
        raise self.unexpected(i)

    def bound(self, atoms: list[_Atom], i: int, j: int) -> Bound:
        if len(atoms) != 2 or atoms[0].then != "range":
            raise self.unexpected(i)
        first, second = atoms
        if first.ref is None or second.ref is None:
            raise self.unexpected(i)
        return Bound(first.ref, second.ref, self.text(i, j), shared_month=first.text.isdigit())

    def fixed(self, day: date, i: int, j: int) -> DateRef:
        return DateRef(day.day, day.month, day.year, self.text(i, j), fixed=day)

    def atom(self, i: int) -> tuple[_Atom, int] | None:
        """One date: «5 декабря [2026 г.]», «5.12», «05.12.2026», «завтра», or a bare day."""
        tok = self.tok(i)
        if tok is None:
            return None
        if tok.kind == "word" and tok.text in w.TODAY_WORDS:
            j = i + 1
            if tok.text == "завтрашнего":
                if not self.is_word(j, w.DAY_WORDS):
                    raise self.unexpected(j)
                j += 1
            day = self.today + timedelta(days=w.TODAY_WORDS[tok.text])
            return _Atom(self.fixed(day, i, j), day.day, tok.text), j
        if tok.kind == "date":
            ref = DateRef(tok.a, tok.b, tok.year, tok.text)
            return _Atom(ref, tok.a, tok.text), self.year_word(i + 1, tok.year is not None)
        if tok.kind != "num" or len(tok.text) > 2:
            return None
        month = self.word(i + 1)
        if month is None or month not in w.MONTHS:
            return _Atom(None, tok.a, tok.text), i + 1
        j = i + 2
        year = None
        nxt = self.tok(j)
        if nxt is not None and nxt.kind == "num" and len(nxt.text) == 4:
            year, j = nxt.a, self.year_word(j + 1, True)
        ref = DateRef(tok.a, w.MONTHS[month], year, self.text(i, j))
        return _Atom(ref, tok.a, ref.text), j

    def year_word(self, i: int, has_year: bool) -> int:
        return self.skip(i, w.YEAR_WORDS) if has_year else i

    def dates(
        self, i: int, *, range_words: frozenset[str] = frozenset()
    ) -> tuple[list[_Atom], int] | None:
        """Dates from ``i``: one, a list («5, 12 и 19 декабря»), or a range («1–19 декабря»,
        and with ``range_words`` «1 по 19 декабря»). A bare day takes the month (and
        year) of the next date; the list ends at its last complete date, so in «5
        декабря, 14-16» the hours stay hours. None if no complete date starts at ``i``.
        """
        atoms: list[_Atom] = []
        best: tuple[list[_Atom], int] | None = None
        j = i
        while True:
            read = self.atom(j)
            if read is None:
                break
            atom, j = read
            atoms.append(atom)
            if atom.ref is not None:
                best = (self._fill(atoms), j)
            k = j
            if len(atoms) > 1 and atoms[-2].then == "range":
                break  # a range is two dates: «с 10 до 12 до 18 декабря» is hours, then an end
            if self.kind(k) == "sep" or self.is_word(k, w.AND):
                atom.then, k = "list", k + 1
            elif self.kind(k) == "dash" or self.is_word(k, range_words):
                atom.then, k = "range", k + 1
            else:
                break
            if self.atom(k) is None:
                atom.then = ""
                break
            j = k
        if best is None:
            return None
        found, end = best
        found[-1].then = ""
        return found, end

    def _fill(self, atoms: list[_Atom]) -> list[_Atom]:
        """Copies of ``atoms`` with bare days given the month and year of the date after."""
        filled: list[_Atom] = []
        month_of: DateRef | None = None
        for atom in reversed(atoms):
            ref = atom.ref
            if ref is None:
                assert month_of is not None
                ref = DateRef(atom.day, month_of.month, month_of.year, atom.text)
            else:
                if month_of is not None and ref.year is None and ref.fixed is None:
                    if month_of.year is not None and atom.then == "list":
                        ref = DateRef(ref.day, ref.month, month_of.year, ref.text)
                month_of = ref
            filled.append(_Atom(ref, atom.day, atom.text, atom.then))
        filled.reverse()
        return filled

    def hours(self, i: int) -> tuple[Hours, int] | None:
        """«15:00–17:00», «15.00-17.00», «10-12», «10 до 12 ч»; None if no range starts here."""
        start = self.time(i)
        if start is None:
            return None
        j = self.skip(i + 1, w.HOUR_WORDS)
        if not (self.kind(j) == "dash" or self.word(j) == "до"):
            return None
        end = self.time(j + 1)
        if end is None:
            return None
        k = self.skip(j + 2, w.HOUR_WORDS)
        if self.is_word(k, w.MONTHS):
            raise self.unexpected(k)
        text = self.text(i, k)
        if end == start:
            raise Unreadable("empty_time_range", start=_hhmm(start), end=_hhmm(end))
        if end < start:
            raise Unreadable("reversed_time_range", start=_hhmm(start), end=_hhmm(end))
        return Hours(start, end, text), k

    def time(self, i: int) -> int | None:
        """Minutes from midnight of a time token or an hour number; past 24:00 raises."""
        tok = self.tok(i)
        if tok is None:
            return None
        if tok.kind == "time":
            hour, minute = tok.a, tok.b
        elif tok.kind == "num":
            if len(tok.text) > 2:
                raise Unreadable("bad_time", time=tok.text)
            hour, minute = tok.a, 0
        else:
            return None
        if hour > 24 or minute > 59 or (hour == 24 and minute > 0):
            raise Unreadable("bad_time", time=tok.text)
        return hour * 60 + minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def read_parts(text: str, today: date) -> list[Part]:
    """The parts of an availability text; raises :class:`Unreadable`."""
    normalized = normalize(text)
    if not normalized.strip():
        raise Unreadable("empty")
    if len(normalized) > MAX_TEXT:
        raise Unreadable("too_long", length=len(normalized), limit=MAX_TEXT)
    tokens = tokenize(normalized)
    if not tokens:
        raise Unreadable("empty")
    return Parser(tokens, today).parts()
