"""Naming the school year a question is about.

A catalog is written once and used every year, so its texts never name a year: they say
``{last_school_year}`` or ``{school_year}``, filled in from the campaign's deadline. A
school year runs from 1 September to 31 August and is written «2025/26».

* ``{school_year}``: the school year the deadline falls in (2 May 2026 → 2025/26,
  1 October 2026 → 2026/27);
* ``{last_school_year}``: the one before it (1 October 2026 → 2025/26): what a report
  due in the autumn is about («выпускники 4-х классов 2025/26 учебного года»).

Where no deadline is known (a results report on the assessment schedule, a text shown
outside a campaign), the placeholders read as words: «текущего», «прошедшего».
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

SCHOOL_YEAR, LAST_SCHOOL_YEAR = "school_year", "last_school_year"
PLACEHOLDERS = (SCHOOL_YEAR, LAST_SCHOOL_YEAR)
FIRST_MONTH = 9  # a school year starts on 1 September
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# the placeholders where no deadline is known: "…4-х классов прошедшего учебного года"
UNDATED = {
    "ru": {SCHOOL_YEAR: "текущего", LAST_SCHOOL_YEAR: "прошедшего"},
    "en": {SCHOOL_YEAR: "current", LAST_SCHOOL_YEAR: "past"},
}


@dataclass(frozen=True, slots=True, order=True)
class SchoolYear:
    start: int  # the calendar year of its 1 September

    @property
    def label(self) -> str:
        """ "2025/26"."""
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    def previous(self) -> SchoolYear:
        return SchoolYear(self.start - 1)


def school_year_of(day: date) -> SchoolYear:
    return SchoolYear(day.year if day.month >= FIRST_MONTH else day.year - 1)


def named_years(due: date) -> dict[str, SchoolYear]:
    """The school year each placeholder names for a deadline."""
    current = school_year_of(due)
    return {SCHOOL_YEAR: current, LAST_SCHOOL_YEAR: current.previous()}


def placeholders_in(text: str) -> set[str]:
    """The ``{names}`` a text uses (known or not: the catalog refuses unknown ones)."""
    return set(_PLACEHOLDER.findall(text))


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with its known placeholders replaced; others are left as they are."""
    if "{" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def fill_dated(text: str, due: date) -> str:
    return fill(text, {name: year.label for name, year in named_years(due).items()})


def fill_undated(text: str, locale: str) -> str:
    return fill(text, UNDATED["en" if locale == "en" else "ru"])
