"""The indicator catalog: what schools report, by when and in what form.

The catalog is data (``bot/data/indicators.toml``, or the file named by the
INDICATORS_PATH setting), validated here with pydantic. A broken file raises
:class:`CatalogError` naming the line and the problem, and the bot does not start.

Texts may name the school year with ``{school_year}`` or ``{last_school_year}``
(:mod:`bot.indicators.school_years`): :meth:`Catalog.for_year` gives the catalog with
them filled in from each indicator's deadline in that year, which is what a campaign's
form, its review and its workbook show.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from bot.indicators.school_years import (
    LAST_SCHOOL_YEAR,
    PLACEHOLDERS,
    SCHOOL_YEAR,
    SchoolYear,
    fill_dated,
    fill_undated,
    named_years,
    placeholders_in,
)

DEFAULT_CATALOG = Path(__file__).resolve().parents[1] / "data" / "indicators.toml"
ON_SCHEDULE = "on_schedule"
_CODE = r"^[a-z][a-z0-9_]{1,40}$"


class Kind(StrEnum):
    LINK = "link"
    SHARE = "share"
    COUNT = "count"
    COUNT_LIST = "count_list"
    LEVEL_COUNTS = "level_counts"
    YES_NO = "yes_no"
    CHOICE = "choice"
    DOCUMENT = "document"


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @model_validator(mode="after")
    def _placeholders(self) -> Text:
        unknown = sorted(placeholders_in(self.ru + self.en) - set(PLACEHOLDERS))
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {{{unknown[0]}}} (known: {known})")
        return self

    def get(self, locale: str) -> str:
        text = self.en if locale == "en" else self.ru
        # a text with its school year not filled in (no deadline known) reads as words
        return fill_undated(text, locale) if "{" in text else text

    @property
    def placeholders(self) -> set[str]:
        return placeholders_in(self.ru) | placeholders_in(self.en)

    def dated(self, due: date | None) -> Text:
        """The text naming the school years of a deadline (unchanged without one)."""
        if due is None or "{" not in self.ru + self.en:
            return self
        return Text(ru=fill_dated(self.ru, due), en=fill_dated(self.en, due))


class Named(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=_CODE)
    title: Text


class Option(Named):
    """An option of a choice; ``source``: where its official name comes from."""

    source: str | None = None


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=_CODE)
    kind: Kind
    deadline: str = Field(pattern=r"^(\d\d-\d\d|on_schedule)$")
    title: Text
    short: Text
    help: Text
    required: bool = True
    base: str | None = None
    levels: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # offered (buttons, typed names)
    # options offered in earlier years: no longer offered, still read and shown in answers
    earlier_options: tuple[str, ...] = ()
    allow_other: bool = False

    @model_validator(mode="after")
    def _shape(self) -> Indicator:
        if self.deadline != ON_SCHEDULE:
            month, day = (int(part) for part in self.deadline.split("-"))
            date(2024, month, day)  # a leap year, so 02-29 is allowed; raises on 13-40
        if self.kind is Kind.SHARE and self.base is None:
            raise ValueError("a share needs a base (what it is a share of)")
        if self.kind is Kind.LEVEL_COUNTS and not self.levels:
            raise ValueError("level_counts needs levels")
        if self.kind is Kind.CHOICE and not self.options:
            raise ValueError("choice needs options")
        both = sorted(set(self.options) & set(self.earlier_options))
        if both:
            raise ValueError(f"option {both[0]!r} is both offered and earlier")
        return self

    @property
    def readable_options(self) -> tuple[str, ...]:
        """The options an answer may hold: those offered now, then the earlier ones."""
        return self.options + self.earlier_options

    @property
    def placeholders(self) -> set[str]:
        return self.title.placeholders | self.short.placeholders | self.help.placeholders

    def due(self, year: int) -> date | None:
        """The deadline in ``year``; None for results reported on schedule."""
        if self.deadline == ON_SCHEDULE:
            return None
        month, day = (int(part) for part in self.deadline.split("-"))
        if (month, day) == (2, 29) and not _leap(year):
            day = 28
        return date(year, month, day)


class Check(BaseModel):
    """A rule across answers: the parts' sum within the base, or one not above another."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["sum_at_most_base", "not_more_than"]
    indicators: tuple[str, ...] = Field(min_length=2)


class Base(Named):
    """A number a school gives once per campaign (its teachers...), that shares are of;
    ``includes``: another base it contains, which it cannot be smaller than; ``help``:
    shown under the question (who counts); ``earlier_titles``: its titles in earlier
    catalogs, still read as its column's header in a workbook."""

    includes: str | None = None
    help: Text | None = None
    earlier_titles: tuple[Text, ...] = ()


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    bases: tuple[Base, ...] = ()
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    options: tuple[Option, ...] = ()
    levels: tuple[Named, ...] = ()
    checks: tuple[Check, ...] = ()
    # indicators by code, filled once validated (the form looks them up many times an answer)
    _by_code: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    # for_year: the catalog as written (None: this is it), and its year catalogs made so far
    _written: Catalog | None = PrivateAttr(default=None)
    _years: dict[int, Catalog] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> Catalog:
        codes = [indicator.code for indicator in self.indicators]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"indicator code repeated: {', '.join(duplicates)}")
        bases = {base.code for base in self.bases}
        for base in self.bases:
            if base.includes is not None and base.includes not in bases - {base.code}:
                raise ValueError(f"base {base.code}: unknown included base {base.includes!r}")
        included = {base.code: base.includes for base in self.bases}
        for base in self.bases:
            seen, code = {base.code}, base.includes
            while code is not None:
                if code in seen:
                    raise ValueError(f"base {base.code}: included in itself (through {code})")
                seen.add(code)
                code = included.get(code)
        options = {option.code for option in self.options}
        levels = {level.code for level in self.levels}
        for indicator in self.indicators:
            if indicator.base and indicator.base not in bases:
                raise ValueError(f"{indicator.code}: unknown base {indicator.base!r}")
            for option in indicator.readable_options:
                if option not in options:
                    raise ValueError(f"{indicator.code}: unknown option {option!r}")
            for level in indicator.levels:
                if level not in levels:
                    raise ValueError(f"{indicator.code}: unknown level {level!r}")
        for check in self.checks:
            for code in check.indicators:
                if code not in codes:
                    raise ValueError(f"check {check.kind}: unknown indicator {code!r}")
        self._by_code = {indicator.code: indicator for indicator in self.indicators}
        for base in self.bases:
            deadlines = {i.deadline for i in self.indicators if i.base == base.code}
            named = base.title.placeholders | (base.help.placeholders if base.help else set())
            if named and len(deadlines) > 1:
                raise ValueError(
                    f"base {base.code} names a school year but is asked in campaigns with"
                    f" different deadlines ({', '.join(sorted(deadlines))})"
                )
        return self

    def for_year(self, year: int) -> Catalog:
        """The catalog of ``year``'s campaigns: each indicator's texts (and its base's)
        name the school years of its deadline in that year («2025/26»)."""
        written = self._written or self
        found = written._years.get(year)
        if found is None:
            found = written._dated(year)
            written._years[year] = found
        return found

    def _dated(self, year: int) -> Catalog:
        indicators = tuple(
            indicator.model_copy(
                update={
                    "title": indicator.title.dated(indicator.due(year)),
                    "short": indicator.short.dated(indicator.due(year)),
                    "help": indicator.help.dated(indicator.due(year)),
                }
            )
            for indicator in self.indicators
        )
        due_of_base: dict[str, date | None] = {}
        for indicator in self.indicators:
            if indicator.base:
                due_of_base.setdefault(indicator.base, indicator.due(year))
        bases = tuple(
            base.model_copy(
                update={
                    "title": base.title.dated(due_of_base.get(base.code)),
                    "help": base.help and base.help.dated(due_of_base.get(base.code)),
                }
            )
            for base in self.bases
        )
        dated = self.model_copy(update={"indicators": indicators, "bases": bases})
        dated._by_code = {indicator.code: indicator for indicator in indicators}
        dated._written = self
        dated._years = {}
        return dated

    def school_year(self, deadline: str, year: int) -> SchoolYear | None:
        """The school year the campaign of ``deadline`` in ``year`` is about, when its
        questions name one: the last school year if any names it, else the current one."""
        written = self._written or self
        indicators = written.campaign_indicators(deadline)
        due = indicators[0].due(year) if indicators else None
        if due is None:
            return None
        names: set[str] = set()
        for indicator in indicators:
            names |= indicator.placeholders
            if indicator.base:
                names |= written.base(indicator.base).title.placeholders
        for name in (LAST_SCHOOL_YEAR, SCHOOL_YEAR):
            if name in names:
                return named_years(due)[name]
        return None

    def indicator(self, code: str) -> Indicator:
        if code not in self._by_code:
            raise UnknownCode("indicator", code)
        return self._by_code[code]

    def base(self, code: str) -> Base:
        found = _named(self.bases, "base", code)
        assert isinstance(found, Base)
        return found

    def option(self, code: str) -> Option:
        found = _named(self.options, "option", code)
        assert isinstance(found, Option)
        return found

    def level(self, code: str) -> Named:
        return _named(self.levels, "level", code)

    def deadlines(self) -> list[str]:
        """The catalog's deadlines in calendar order, "on_schedule" last: one campaign each."""
        found = sorted({i.deadline for i in self.indicators} - {ON_SCHEDULE})
        if any(i.deadline == ON_SCHEDULE for i in self.indicators):
            found.append(ON_SCHEDULE)
        return found

    def campaign_indicators(self, deadline: str) -> list[Indicator]:
        return [i for i in self.indicators if i.deadline == deadline]


class UnknownCode(KeyError):
    """A code the catalog does not have (a stored answer of an indicator since removed,
    forged callback data): callers that may meet one catch it."""

    def __init__(self, kind: str, code: str) -> None:
        super().__init__(f"the catalog has no {kind} {code!r}")
        self.kind = kind
        self.code = code


def _named(entries: tuple[Named, ...], kind: str, code: str) -> Named:
    for entry in entries:
        if entry.code == code:
            return entry
    raise UnknownCode(kind, code)


class CatalogError(Exception):
    """The catalog cannot be used; ``line`` is where the problem is, when known."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


def load_catalog(path: Path = DEFAULT_CATALOG) -> Catalog:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(path, None, f"cannot read the file ({error.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise CatalogError(path, int(match.group(1)) if match else None, str(error)) from None
    try:
        return Catalog.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = [str(part) for part in first["loc"]]
        problem = first["msg"].removeprefix("Value error, ")
        if location:
            problem = f"{'.'.join(location)}: {problem}"
        raise CatalogError(path, _line_of(text, first["loc"]), problem) from None


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Find the line a pydantic error location points at: the Nth [[table]], then its key."""
    if len(loc) < 2 or not isinstance(loc[1], int):
        return None
    table, index = str(loc[0]), loc[1]
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if line.strip() == f"[[{table}]]"]
    if index >= len(starts):
        return None
    start = starts[index]
    end = next(
        (n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("[")),
        len(lines),
    )
    if len(loc) >= 3 and isinstance(loc[2], str):
        key = re.compile(rf"^\s*{re.escape(loc[2])}\s*[.=]")
        for n in range(start + 1, end):
            if key.match(lines[n]):
                return n + 1
    return start + 1


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
