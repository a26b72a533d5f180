"""Roadmap periods: reading the «Сроки» column of a roadmap, written as free Russian text.

A roadmap (дорожная карта, план-график) gives each action a period as a phrase,
not a date: «март», «апрель - май», «апрель, май, сентябрь», «Октябрь-ноябрь 2019
года», «До 1 октября текущего года», «2 раза в год (май, декабрь)», «в течение
года», «по отдельному графику». :func:`read_period` turns such a phrase into a
:class:`Period`; :meth:`Period.occurrences` gives its concrete date ranges inside a
window, for a calendar or reminders. Pure Python: no I/O, no user-visible text
(a phrase that cannot be read carries a machine-readable reason code, and the
caller shows it to a person to fix).

Kinds:

- ``range``: one span: «март», «февраль - апрель 2023», «II квартал 2021»,
  «2019-2020 учебный год», «15.03.2023», «с 1 по 15 марта»;
- ``ranges``: several: «апрель, май, сентябрь», «май и декабрь», «июнь, август»;
- ``deadline``: a day something is due: «до 1 октября текущего года», «до
  01.10.2023», «не позднее 15 мая» (the range is that one day);
- ``recurring``: «ежегодно», «Сентябрь, ежегодно», «1 раз в квартал», «2 раза в
  год (май, декабрь)», «ежемесячно, до 5 числа», «еженедельно»;
- ``no_fixed_date``: «в течение года», «в течение всего периода», «по
  отдельному графику», «по плану работы ...», «по мере необходимости»,
  «постоянно», «по итогам четверти»;
- ``unreadable``: anything else, with :attr:`Period.reason`; never guessed.

Decisions (each one is a rule a coordinator can predict):

- Years. A phrase without a year («март», «до 1 октября текущего года») is
  placed by the context: with ``program_years=(2019, 2021)`` it happens in every
  year of the program (``ranges`` lists each), with only ``default_year`` in that
  year, with neither in every year of the window asked for. «текущего года» means
  exactly that: the context's year. A year written once covers the items before
  it (``«март, апрель 2023»``, ``«Март-апрель 2023 г.»``); items are read in
  chronological order, so «декабрь – январь 2020» is December 2019 – January 2020
  and a yearless «сентябрь – май» ends in May of the next year.
- School year («2019-2020 учебный год», «2019/2020 уч. г.», a bare «2019/2020»):
  1 September 2019 – 31 August 2020 (:data:`SCHOOL_YEAR_START`,
  :data:`SCHOOL_YEAR_END`), so school years tile the calendar without gaps and a
  summer action of the year's plan falls inside it. «2019-2020» with a dash and no
  «учебный» is two calendar years. «до конца учебного года» is unreadable
  (people mean the end of May, the bounds say August).
- Quarters and half-years are calendar ones: «II квартал» = 1 April – 30 June,
  «I полугодие» = 1 January – 30 June. «начало/середина/конец марта» are days
  1–10, 11–20 and 21–31; «первая/вторая половина марта» are 1–15 and 16–31.
- «до 1 октября» is due on 1 October itself; «до конца марта» on 31 March; «до
  марта» (no day) is unreadable (the last day of February or 1 March?).
- «в течение года», «в течение учебного года», «в течение всего периода» are
  ``no_fixed_date`` (work that goes on, not a dated event), even when the year is
  known; «в течение 2023 года» or «в течение марта» name a span, so they are
  ``range``.
- Recurrences (:class:`Recurrence`): an occurrence is the window the action
  falls due in. With months or days given («Сентябрь, ежегодно», «2 раза в год
  (май, декабрь)», «Ежегодно, до 20 декабря») those spans, each year. Without
  («ежегодно», «2 раза в год», «1 раз в квартал», «ежемесячно», «еженедельно»):
  every calendar year, half-year, quarter, month or ISO week (Monday – Sunday),
  with ``times`` saying how many times within it; ``Recurrence.dated`` tells a
  calendar whether dates were given. «1 раз в четверть» (school terms vary by
  region) has no occurrences. A count that disagrees with the months listed («2
  раза в год (май)») is unreadable. A recurrence is bounded by the program's
  years and by years it states («ежегодно с 2020 года», «ежегодно, 2019-2021 гг.»);
  ``default_year`` does not bound it.
- «постоянно» is ``no_fixed_date``. «по итогам ...», «по плану ...», «по
  графику ...», «в соответствии с ...» refer to another schedule: the rest of the
  clause is free text, but a date in it («по согласованию с министерством 5
  числа», «по итогам I полугодия 2024») makes the phrase unreadable rather than
  dropped. Such a clause next to a date or recurrence is a remark:
  «По плану работы Управления образования, 2-3 раза в год» is recurring.
- «с марта 2023 года» (no end) runs to 31 December of the program's last year; it
  is unreadable without ``program_years``.
- :meth:`Period.occurrences` clips ranges to the window; ``ranges`` keeps them
  whole. A yearless 29 February falls on 28 February in common years.

Noise from PDF extraction does not matter: case, spaces, non-breaking spaces,
line breaks, dots («г.», «гг.», «уч. г.»), quotes, trailing commas, any dash (-,
–, —), words hyphenated across lines («ап-\\nрель», «по отдель-\\nному гра-\\nфику»),
a number glued to a word («1мая», «2023гг»), ordinal endings («1-й квартал»).

Reason codes of ``unreadable`` (``reason``, the part before ``:`` is
:attr:`Period.reason_code`): ``empty``, ``too_long``, ``unknown_word:<word>``,
``unexpected:<token>`` (known words in an order not understood), ``bad_date:<text>``,
``bad_year:<year>``, ``reversed`` (ends before it starts), ``open_range``, and
``ambiguous:<what>`` with what one of ``date_in_note``, ``deadline_without_day``,
``day_without_month``, ``day_of_month``, ``count_mismatch``, ``two_recurrences``,
``dated_recurrence``, ``school_year``, ``school_year_end``, ``times``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from bot.calendar.period import (
    LAST_DAY,
    MAX_TEXT,
    MAX_YEAR,
    MIN_YEAR,
    SCHOOL_YEAR_END,
    SCHOOL_YEAR_START,
    AnnualSpan,
    DateRange,
    Frequency,
    Period,
    PeriodKind,
    Recurrence,
    month_days,
)
from bot.calendar.period_words import (
    DAYWORD,
    DEADLINE_PREFIXES,
    DECADES,
    EACH,
    END_WORDS,
    HALFWORD,
    MONTHWORD,
    NOTE_PREFIXES,
    PER,
    PLURAL_YEARWORDS,
    RECUR,
    SEPARATOR_WORDS,
    THROUGHOUT,
    TIMES,
    Token,
    normalize,
    tokenize,
)

# ---------------------------------------------------------------------------
# Tokens to units


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Span:
    """A span as written: start year (None: not said), month-day start and end."""

    y: int | None
    start: tuple[int, int]
    end: tuple[int, int]
    off: int = 0  # the end's year minus the start's
    level: str = "month"  # bare (a day number alone), day, month, part, year, school


_SMALL = ("day", "month", "part")


@dataclass(frozen=True)
class _Item:
    span: _Span
    deadline: bool = False


@dataclass(frozen=True)
class _DayOfMonth:
    day: int


@dataclass(frozen=True)
class _Since:
    span: _Span


class _Note:
    pass


_NOTE = _Note()
_Unit = _Item | _DayOfMonth | _Since | _Note | Recurrence
_Parsed = tuple[_Unit, int] | None


def _check_day(year: int | None, month: int, day: int, raw: str) -> None:
    if not 1 <= month <= 12 or not 1 <= day <= month_days(year or 2000, month):
        raise _Unreadable(f"bad_date:{raw}")


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.toks = tokens

    # -- looking at tokens
    def tok(self, i: int) -> Token | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def kind(self, i: int) -> str | None:
        tok = self.tok(i)
        return tok.kind if tok else None

    def word(self, i: int) -> str | None:
        tok = self.tok(i)
        return tok.text if tok and tok.kind == "word" else None

    def cat(self, i: int) -> str | None:
        tok = self.tok(i)
        return tok.cat if tok and tok.kind == "word" else None

    def starts(self, i: int, words: tuple[str, ...]) -> bool:
        return all(self.word(i + k) == word for k, word in enumerate(words))

    def fail(self, i: int) -> _Unreadable:
        """Why the clause at ``i`` cannot be read: its first unknown word, or the token."""
        k = i
        while k < len(self.toks) and self.toks[k].kind != "sep":
            tok = self.toks[k]
            if tok.kind == "other" or (tok.kind == "word" and tok.cat is None):
                return _Unreadable(f"unknown_word:{tok.text}")
            k += 1
        tok = self.tok(i)
        return _Unreadable(f"unexpected:{tok.text if tok else 'end'}")

    # -- the phrase
    def units(self) -> list[_Unit]:
        found: list[_Unit] = []
        i = 0
        while i < len(self.toks):
            tok = self.toks[i]
            if tok.kind in ("sep", "dash", "slash") or tok.text in SEPARATOR_WORDS:
                i += 1
                continue
            unit, i = self.unit(i)
            found.append(unit)
        return found

    def unit(self, i: int) -> tuple[_Unit, int]:
        parsers: tuple[Callable[[int], _Parsed], ...] = (
            self.note,
            self.recurrence,
            self.deadline,
            self.dates,
        )
        for parse in parsers:
            parsed = parse(i)
            if parsed is not None:
                return parsed
        raise self.fail(i)

    # -- a clause naming another schedule
    def note(self, i: int) -> _Parsed:
        for prefix in THROUGHOUT:
            if self.starts(i, prefix):
                j = i + len(prefix)
                dated = self.dates(j)
                return dated if dated is not None else self.note_tail(j)
        for prefix in NOTE_PREFIXES:
            if self.starts(i, prefix):
                return self.note_tail(i + len(prefix))
        return None

    def note_tail(self, j: int) -> tuple[_Note, int]:
        """Free text up to the next clause that reads as a period: «по итогам ГИА-9,
        ГИА-11» is one note, «По плану работы, 2-3 раза в год» a note and a recurrence."""
        while j < len(self.toks):
            if self.toks[j].kind == "sep":
                k = j
                while self.kind(k) == "sep":
                    k += 1
                if k == len(self.toks) or self.starts_unit(k):
                    return _NOTE, k
                j = k
            if self.dateish(j):
                raise _Unreadable("ambiguous:date_in_note")
            j += 1
        return _NOTE, j

    def starts_unit(self, k: int) -> bool:
        """Whether a period (not free text) starts at ``k``; a broken one raises."""
        if any(self.starts(k, prefix) for prefix in (*THROUGHOUT, *NOTE_PREFIXES)):
            return True
        parsers = (self.recurrence, self.deadline, self.dates)
        return any(parse(k) is not None for parse in parsers)

    def dateish(self, j: int) -> bool:
        tok = self.toks[j]
        if tok.kind == "date" or (tok.kind == "word" and tok.cat in ("month", "ord", "recur")):
            return True
        if tok.kind != "num":
            return False
        # a label like «ГИА-9» is not a date
        dash, before = self.tok(j - 1), self.tok(j - 2)
        return not (
            len(tok.text) <= 2
            and dash is not None
            and before is not None
            and dash.text == "-"
            and dash.end == tok.start
            and before.kind == "word"
            and before.end == dash.start
        )

    # -- «ежегодно», «2 раза в год», «1 раз в квартал», «каждый месяц»
    def recurrence(self, i: int) -> _Parsed:
        tok = self.tok(i)
        if tok is None:
            return None
        if tok.kind == "word" and tok.cat == "recur":
            return Recurrence(RECUR[tok.text]), i + 1
        if tok.kind == "word" and tok.text in EACH and self.word(i + 1) in PER:
            return Recurrence(PER[self.word(i + 1) or ""]), i + 2
        j, times = i, (1, 1)
        if tok.kind == "num":
            if self.kind(i + 1) == "dash" and self.kind(i + 2) == "num":
                times, j = (tok.val, self.toks[i + 2].val), i + 3
            else:
                times, j = (tok.val, tok.val), i + 1
            if self.word(j) not in TIMES:
                return None
            if not 1 <= times[0] <= times[1] <= 366:
                raise _Unreadable("ambiguous:times")
        if self.word(j) not in TIMES:
            return None
        j += 1
        if self.word(j) in ("в", "во"):
            j += 1
        frequency = PER.get(self.word(j) or "")
        if frequency is None:
            raise self.fail(j)
        return Recurrence(frequency, times=times), j + 1

    # -- «до 1 октября текущего года», «не позднее 15.05.2024», «до конца марта»
    def deadline(self, i: int) -> _Parsed:
        for prefix in DEADLINE_PREFIXES:
            if self.starts(i, prefix):
                j = i + len(prefix)
                break
        else:
            return None
        if self.word(j) in END_WORDS:
            return self.end_of(j + 1)
        if self.kind(j) == "num" and self.word(j + 1) in DAYWORD:
            return self.day_of_month(j)
        point = self.point(j)
        if point is None:
            raise self.fail(j)
        span, k = point
        if span.level != "day":
            raise _Unreadable("ambiguous:deadline_without_day")
        return _Item(span, deadline=True), k

    def end_of(self, j: int) -> _Parsed:
        """«до конца <марта | года | 2024 года | I квартала>»: the last day of it."""
        if self.cat(j) == "current" and self.cat(j + 1) == "yearword":
            j += 1
        if self.cat(j) == "yearword":
            return _Item(_Span(None, (12, 31), (12, 31), 0, "day"), deadline=True), j + 1
        if self.cat(j) == "school":
            raise _Unreadable("ambiguous:school_year_end")
        point = self.point(j)
        if point is None:
            raise self.fail(j)
        span, k = point
        if span.level == "school":
            raise _Unreadable("ambiguous:school_year_end")
        year = None if span.y is None else span.y + span.off
        end = span.end
        if year is not None:
            end = (end[0], min(end[1], month_days(year, end[0])))
        return _Item(_Span(year, end, end, 0, "day"), deadline=True), k

    def day_of_month(self, j: int) -> tuple[_DayOfMonth, int]:
        """«5 числа», «5 числа каждого месяца»."""
        tok = self.toks[j]
        if not 1 <= tok.val <= 31:
            raise _Unreadable(f"bad_date:{tok.text}")
        k = j + 2
        if self.word(k) in EACH:
            k += 1
        if self.word(k) in MONTHWORD:
            k += 1
        return _DayOfMonth(tok.val), k

    # -- «март», «апрель - май 2023», «с 1 по 15 марта», «в 2020 году», «с 2020 года»
    def dates(self, i: int) -> _Parsed:
        j = i
        if self.word(j) in ("в", "во", "на"):
            j += 1
        since = False
        if self.word(j) == "начиная" and self.word(j + 1) in ("с", "со"):
            j, since = j + 2, True
        elif self.word(j) in ("с", "со"):
            j, since = j + 1, True
        first = self.point(j, bare=True)
        if first is None:
            if j != i:
                raise self.fail(j)
            return None
        span, k = first
        if since:
            if self.word(k) in ("по", "до") or self.kind(k) == "dash":
                second = self.point(k + 1)
                if second is None or not _compatible(span, second[0]):
                    raise self.fail(k + 1)
                return _Item(_join(span, second[0])), second[1]
            if span.level == "bare":
                raise _Unreadable("ambiguous:day_without_month")
            return _Since(span), k
        if self.kind(k) == "dash":
            second = self.point(k + 1)
            if second is not None and _compatible(span, second[0]):
                return _Item(_join(span, second[0])), second[1]
        if span.level == "bare":
            if self.word(k) in DAYWORD:
                return self.day_of_month(j)
            raise self.fail(j)
        return _Item(span), k

    def point(self, j: int, *, bare: bool = False) -> tuple[_Span, int] | None:
        """One date-ish thing: a day, a month, a quarter, a year, a school year."""
        tok = self.tok(j)
        if tok is None:
            return None
        if tok.kind == "date":
            return self.date_point(j)
        if tok.kind == "num":
            if len(tok.text) == 4:
                return self.year_point(j)
            if self.cat(j + 1) == "month":
                month = self.toks[j + 1].val
                year, k = self.yearpart(j + 2, month)
                _check_day(year, month, tok.val, f"{tok.text} {self.toks[j + 1].text}")
                return _Span(year, (month, tok.val), (month, tok.val), 0, "day"), k
            part = self.part_point(j)
            if part is not None:
                return part
            if bare and 1 <= tok.val <= 31:
                return _Span(None, (0, tok.val), (0, tok.val), 0, "bare"), j + 1
            return None
        if tok.kind != "word":
            return None
        if tok.cat == "month":
            year, k = self.yearpart(j + 1, tok.val)
            return _Span(year, (tok.val, 1), (tok.val, LAST_DAY), 0, "month"), k
        if tok.cat == "ord":
            return self.part_point(j)
        if tok.text in DECADES and self.cat(j + 1) == "month":
            month = self.toks[j + 1].val
            first, last = DECADES[tok.text]
            year, k = self.yearpart(j + 2, month)
            return _Span(year, (month, first), (month, last), 0, "month"), k
        return None

    def ordinal(self, j: int) -> int | None:
        tok = self.tok(j)
        if tok is None:
            return None
        if tok.kind == "word" and tok.cat == "ord":
            return tok.val
        if tok.kind == "num" and len(tok.text) == 1 and 1 <= tok.val <= 4:
            return tok.val
        return None

    def part_point(self, j: int) -> tuple[_Span, int] | None:
        """«II квартал 2021», «I-II кварталы», «1 полугодие», «вторая половина марта»."""
        first = self.ordinal(j)
        if first is None:
            return None
        last, k = first, j + 1
        if self.kind(k) == "dash" and self.ordinal(k + 1) is not None:
            last, k = self.ordinal(k + 1) or first, k + 2
        if self.cat(k) == "quarter":
            if first > last:
                raise _Unreadable("reversed")
            year, k = self.yearpart(k + 1, 3 * first)
            return _Span(year, (3 * first - 2, 1), (3 * last, LAST_DAY), 0, "part"), k
        if self.cat(k) == "half" and last <= 2:
            if first > last:
                raise _Unreadable("reversed")
            year, k = self.yearpart(k + 1, 6 * first)
            return _Span(year, (6 * first - 5, 1), (6 * last, LAST_DAY), 0, "part"), k
        if self.word(k) in HALFWORD and first == last <= 2:
            if self.cat(k + 1) == "month":  # «первая половина марта»
                month = self.toks[k + 1].val
                year, k = self.yearpart(k + 2, month)
                days = (1, 15) if first == 1 else (16, LAST_DAY)
                return _Span(year, (month, days[0]), (month, days[1]), 0, "month"), k
            year, after = self.yearpart(k + 1, 6 * first)  # «вторая половина 2024 года»
            if after == k + 1:
                if self.cat(k + 1) != "yearword":
                    return None
                after += 1
            return _Span(year, (6 * first - 5, 1), (6 * first, LAST_DAY), 0, "part"), after
        return None

    def year(self, j: int) -> int:
        tok = self.toks[j]
        if not MIN_YEAR <= tok.val <= MAX_YEAR:
            raise _Unreadable(f"bad_year:{tok.text}")
        return tok.val

    def yearpart(self, j: int, month: int) -> tuple[int | None, int]:
        """The year after a day or month, if any: «2023», «2023 г.», «текущего года»,
        «2019/2020 учебного года» (September–December in the first year)."""
        tok = self.tok(j)
        if tok is not None and tok.kind == "num" and len(tok.text) == 4:
            year, k = self.year(j), j + 1
            if (
                self.kind(k) in ("dash", "slash")
                and self.kind(k + 1) == "num"
                and self.cat(k + 2) == "school"
            ):
                second = self.second_year(year, k)
                if second != year + 1:
                    raise _Unreadable("ambiguous:school_year")
                year, k = (year if month >= SCHOOL_YEAR_START[0] else second), k + 2
            while self.cat(k) in ("yearword", "school"):
                k += 1
            return year, k
        if self.cat(j) == "current" and self.cat(j + 1) == "yearword":
            return None, j + 2
        return None, j

    def second_year(self, first: int, k: int) -> int | None:
        """The year after a dash or slash at ``k``: «2020», or «20» in «2019/20»."""
        tok = self.toks[k + 1]
        if len(tok.text) == 4:
            return self.year(k + 1)
        if len(tok.text) == 2:
            second = first // 100 * 100 + tok.val
            return second if second > first else second + 100
        return None

    def year_point(self, j: int) -> tuple[_Span, int]:
        """«2019», «2019 год», «2019-2021 гг.», «2019/2020 учебный год», «2019/20»."""
        first, k = self.year(j), j + 1
        second, slash = None, False
        if self.kind(k) in ("dash", "slash") and self.kind(k + 1) == "num":
            second = self.second_year(first, k)
            if second is not None:
                slash, k = self.toks[k].kind == "slash", k + 2
        school = plural = False
        while self.cat(k) in ("yearword", "school"):
            school = school or self.cat(k) == "school"
            plural = plural or self.toks[k].text in PLURAL_YEARWORDS
            k += 1
        if second is None:
            if school:
                raise _Unreadable("ambiguous:school_year")
            return _Span(first, (1, 1), (12, LAST_DAY), 0, "year"), k
        if second <= first:
            raise _Unreadable("reversed")
        if school or (slash and second == first + 1 and not plural):
            return _Span(first, SCHOOL_YEAR_START, SCHOOL_YEAR_END, second - first, "school"), k
        return _Span(first, (1, 1), (12, LAST_DAY), second - first, "year"), k

    def date_point(self, j: int) -> tuple[_Span, int]:
        """«15.03.2023», «01.10.23», «16.02» (+ a year after it), «2023-03-15»."""
        raw = self.toks[j].text
        if "-" in raw:
            y_text, m_text, d_text = raw.split("-")
        else:
            d_text, m_text, *rest = raw.split(".")
            y_text = rest[0] if rest else ""
        day, month = int(d_text), int(m_text)
        year: int | None = int(y_text) if y_text else None
        k = j + 1
        if year is not None and len(y_text) == 2:
            year += 2000
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise _Unreadable(f"bad_year:{year}")
        if year is None:
            year, k = self.yearpart(k, month if 1 <= month <= 12 else 1)
        while self.cat(k) == "yearword":
            k += 1
        _check_day(year, month, day, raw)
        return _Span(year, (month, day), (month, day), 0, "day"), k


def _compatible(first: _Span, second: _Span) -> bool:
    if first.level == "bare":
        return second.level == "day"
    if first.level in _SMALL:
        return second.level in _SMALL
    return first.level == second.level


def _join(first: _Span, second: _Span) -> _Span:
    """``first`` – ``second``, a year said on one side placing the other side too."""
    if first.level == "bare":
        month, day = second.start[0], first.start[1]
        _check_day(second.y, month, day, f"{day:02d}.{month:02d}")
        first = _Span(second.y, (month, day), (month, day), 0, "day")
    if first.y is None and second.y is not None:
        first = replace(first, y=second.y if first.start[0] <= second.start[0] else second.y - 1)
    elif first.y is not None and second.y is None:
        second = replace(second, y=first.y if second.start[0] >= first.start[0] else first.y + 1)
    if first.y is None or second.y is None:  # neither side has a year
        off = second.off + (0 if second.start[0] >= first.start[0] else 1)
    else:
        off = second.y + second.off - first.y
    if off < 0 or (off == 0 and second.end < first.start):
        raise _Unreadable("reversed")
    level = first.level if first.level == second.level in ("year", "school") else "month"
    return _Span(first.y, first.start, second.end, off, level)


# ---------------------------------------------------------------------------
# Units to a period


def _infer_years(items: list[_Item]) -> list[_Item]:
    """A year said for some items of a list places the others, in chronological order:
    «март, апрель 2023»; «ноябрь, декабрь, январь 2020»; «декабрь 2019, январь»."""
    spans = [item.span for item in items]
    small = [span.level in _SMALL for span in spans]
    for k in range(len(spans) - 2, -1, -1):
        this, after = spans[k], spans[k + 1]
        if this.y is None and small[k] and after.y is not None and small[k + 1]:
            year = after.y if this.start[0] <= after.start[0] else after.y - 1
            spans[k] = replace(this, y=year)
    for k in range(1, len(spans)):
        before, this = spans[k - 1], spans[k]
        if this.y is None and small[k] and before.y is not None and small[k - 1]:
            base = before.y + before.off
            ref = before.start[0] if before.off == 0 else before.end[0]
            spans[k] = replace(this, y=base if this.start[0] >= ref else base + 1)
    return [replace(item, span=span) for item, span in zip(items, spans, strict=True)]


def _annual(item: _Item) -> AnnualSpan:
    span = item.span
    return AnnualSpan(*span.start, *span.end, span.off, item.deadline)


def _dated(span: _Span) -> DateRange:
    assert span.y is not None
    (start_month, start_day), (end_month, end_day) = span.start, span.end
    end_year = span.y + span.off
    if start_day > month_days(span.y, start_month):  # a 29 February placed in a common year
        raise _Unreadable(f"bad_date:{start_day}.{start_month:02d}.{span.y}")
    return DateRange(
        date(span.y, start_month, start_day),
        date(end_year, end_month, min(end_day, month_days(end_year, end_month))),
    )


def _recurring(
    text: str,
    recurrences: list[Recurrence],
    items: list[_Item],
    days: list[_DayOfMonth],
    sinces: list[_Since],
    program_years: tuple[int, int] | None,
) -> Period:
    rec = recurrences[0]
    for other in recurrences[1:]:  # «ежегодно, 1 раз в год»
        if other.frequency is not rec.frequency or None not in (rec.times, other.times):
            raise _Unreadable("ambiguous:two_recurrences")
        rec = replace(rec, times=rec.times or other.times)
    spans: list[AnnualSpan] = []
    since = until = None
    for item in items:
        span = item.span
        if span.y is None:
            spans.append(_annual(item))
        elif span.level in ("year", "school") and since is None:
            since, until = span.y, span.y + span.off
        else:
            raise _Unreadable("ambiguous:dated_recurrence")
    for start in sinces:
        if start.span.level != "year" or start.span.y is None or since is not None:
            raise _Unreadable("ambiguous:dated_recurrence")
        since = start.span.y
    day_of_month = None
    if days:
        if len(days) > 1 or rec.frequency is not Frequency.MONTHLY:
            raise _Unreadable("ambiguous:day_of_month")
        day_of_month = days[0].day
    if (
        rec.frequency is Frequency.YEARLY
        and spans
        and rec.times is not None
        and rec.times[0] == rec.times[1]
        and rec.times[0] != len(spans)
    ):
        raise _Unreadable("ambiguous:count_mismatch")
    rec = replace(rec, spans=tuple(spans), day_of_month=day_of_month, since=since, until=until)
    return Period(PeriodKind.RECURRING, text, recurrence=rec, years=program_years)


def _combine(
    text: str,
    units: list[_Unit],
    context: tuple[int, int] | None,
    program_years: tuple[int, int] | None,
) -> Period:
    if not units:
        raise _Unreadable("empty")
    items = _infer_years([unit for unit in units if isinstance(unit, _Item)])
    recurrences = [unit for unit in units if isinstance(unit, Recurrence)]
    days = [unit for unit in units if isinstance(unit, _DayOfMonth)]
    sinces = [unit for unit in units if isinstance(unit, _Since)]
    if recurrences:
        return _recurring(text, recurrences, items, days, sinces, program_years)
    if days:
        raise _Unreadable("ambiguous:day_without_month")
    if sinces:
        span = sinces[0].span
        if items or len(sinces) > 1 or span.y is None or program_years is None:
            raise _Unreadable("open_range")
        start = _dated(span).start
        end = date(program_years[1], 12, 31)
        if end < start:
            raise _Unreadable("open_range")
        return Period(PeriodKind.RANGE, text, ranges=(DateRange(start, end),))
    if not items:
        return Period(PeriodKind.NO_FIXED_DATE, text)
    if all(item.deadline for item in items):
        kind = PeriodKind.DEADLINE
    else:
        kind = PeriodKind.RANGE if len(items) == 1 else PeriodKind.RANGES
    ranges = {_dated(item.span) for item in items if item.span.y is not None}
    annual = tuple(_annual(item) for item in items if item.span.y is None)
    years = context if annual else None
    if years is not None:
        ranges.update(span.in_year(y) for y in range(years[0], years[1] + 1) for span in annual)
    return Period(kind, text, ranges=tuple(sorted(ranges)), annual=annual, years=years)


def read_period(
    text: str,
    *,
    default_year: int | None = None,
    program_years: tuple[int, int] | None = None,
) -> Period:
    """Read a roadmap period phrase. Never raises for any text; see the module docstring.

    ``program_years`` (first, last) places a yearless phrase in every year of the
    program and bounds recurrences; without it, ``default_year`` places a yearless
    phrase in that one year.
    """
    if program_years is not None and program_years[0] > program_years[1]:
        raise ValueError(f"program_years must be (first, last), not {program_years}")
    if program_years is not None:
        context: tuple[int, int] | None = program_years
    elif default_year is not None:
        context = (default_year, default_year)
    else:
        context = None
    if len(text) > MAX_TEXT:
        return Period(PeriodKind.UNREADABLE, text, reason="too_long")
    try:
        units = _Parser(tokenize(normalize(text))).units()
        return _combine(text, units, context, program_years)
    except _Unreadable as problem:
        return Period(PeriodKind.UNREADABLE, text, reason=problem.reason)
