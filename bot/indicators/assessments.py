"""The assessment procedures' reports (ВПР, ГИА-9, ГИА-11...): one campaign per procedure a
year, whose date a coordinator sets (in chat with /assessments, or on the command line).

Plain data and rules, no I/O: which campaigns are procedure reports, and reading the date
a coordinator types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from bot.calendar.period import PeriodKind
from bot.calendar.period_reader import read_period
from bot.i18n import N_, LocalizedError
from bot.indicators.catalog import PROCEDURE_KEY, Catalog, Procedure
from bot.indicators.titles import procedure_title
from storage.submissions import Campaign

# what read_period may give for a date typed: one day (or, refused, several)
_DAYS = (PeriodKind.RANGE, PeriodKind.RANGES, PeriodKind.DEADLINE)


class DateRefused(LocalizedError):
    """A report date that cannot be set; the message says why and what to write."""


@dataclass(frozen=True, slots=True)
class ProcedureReport:
    """A procedure and its report campaign in a year (None: not created yet, no date)."""

    procedure: Procedure
    key: str
    campaign: Campaign | None

    @property
    def due(self) -> date | None:
        return self.campaign.due_date if self.campaign else None


def procedure_key(code: str) -> str:
    return PROCEDURE_KEY + code


def procedure_reports(
    catalog: Catalog, campaigns: list[Campaign], year: int
) -> list[ProcedureReport]:
    """The year's procedure reports in catalog order, with their campaigns where they exist."""
    by_key = {c.deadline_key: c for c in campaigns if c.year == year}
    keys = set(catalog.deadlines())
    return [
        ProcedureReport(procedure, key, by_key.get(key))
        for procedure in catalog.procedures
        if (key := procedure_key(procedure.code)) in keys
    ]


def report_title(locale: str, procedure: Procedure, year: int) -> str:
    """«Аналитическая справка: ВПР 2026»: a procedure report's campaign title, dateless."""
    return procedure_title(locale, procedure, year)


def due_with_weekday(due: date, locale: str) -> str:
    """«15 июня 2026 (понедельник)»: a report date said back as stored."""
    return format_date(due, "d MMMM y (EEEE)", locale=locale)


def example_date(year: int) -> str:
    return f"15.06.{year}"


def read_report_date(text: str, year: int, today: date) -> date:
    """The day a procedure's report of ``year`` is due, as a coordinator types it:
    «15.06.2026», «15.06», «15 июня», «2026-06-15» (what :func:`read_period` reads as one
    day). Refused with :class:`DateRefused`: not a date, a date that does not exist, a
    period rather than a day, a day outside ``year``, a day before ``today``."""
    typed = " ".join(text.split())
    example = example_date(year)
    if not typed:
        raise DateRefused(N_("Please write the date, for example {example}."), example=example)
    reading = read_period(typed, program_years=(year, year))
    if reading.kind is PeriodKind.UNREADABLE and reading.reason_code == "bad_date":
        raise DateRefused(N_("There is no such date: {date}."), date=typed)
    if reading.kind not in _DAYS or not reading.ranges:
        raise DateRefused(
            N_("«{text}» is not a date: write it, for example {example}."),
            text=typed,
            example=example,
        )
    if len(reading.ranges) > 1 or reading.ranges[0].start != reading.ranges[0].end:
        raise DateRefused(
            N_("«{text}» is a period, not a day: write the one day, for example {example}."),
            text=typed,
            example=example,
        )
    due = reading.ranges[0].start
    if due.year != year:
        raise DateRefused(
            N_("{date} is not in {year}: the reports of {year} are due in {year}."),
            date=due.strftime("%d.%m.%Y"),
            year=year,
        )
    if due < today:
        raise DateRefused(
            N_("{date} has already passed: choose a day from {today} on."),
            date=due.strftime("%d.%m.%Y"),
            today=today.strftime("%d.%m.%Y"),
        )
    return due
