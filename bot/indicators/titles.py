"""How a campaign is named, the same everywhere (the form, lists, status, reminders, the
calendar, the workbook): the school year its questions are about, if any, and its last
day, which is included («Показатели за 2025/26 уч. г. — до 1 октября 2026
включительно»)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.i18n import N_, translate
from bot.indicators.catalog import Catalog, Procedure
from bot.indicators.school_years import SchoolYear

ON_SCHEDULE_TITLE = N_("Assessment results {year} (on schedule)")
WITH_SCHOOL_YEAR = N_("Indicators for {school_year} — due by {date} inclusive")
WITHOUT_SCHOOL_YEAR = N_("Indicators — due by {date} inclusive")
PROCEDURE_TITLE = N_("Analytical note: {procedure} {year}")
PROCEDURE_DUE = N_("{title} — due by {date} inclusive")


def day_text(day: date, locale: str) -> str:
    """ "1 октября 2026" / "1 October 2026"."""
    return format_date(day, "d MMMM y", locale=locale)


def deadline_name(due: date, locale: str, school_year: SchoolYear | None = None) -> str:
    """A campaign with a date, named by its last day (and its school year)."""
    if school_year is None:
        return translate(locale, WITHOUT_SCHOOL_YEAR, date=day_text(due, locale))
    return translate(
        locale, WITH_SCHOOL_YEAR, school_year=school_year.label, date=day_text(due, locale)
    )


def procedure_title(locale: str, procedure: Procedure, year: int) -> str:
    """«Аналитическая справка: ВПР 2026»: an assessment procedure's report, without its date
    (which the coordinator sets and may move)."""
    return translate(locale, PROCEDURE_TITLE, procedure=procedure.short.get(locale), year=year)


def campaign_name(catalog: Catalog, year: int, deadline: str, due: date | None, locale: str) -> str:
    """The title of the campaign of ``deadline`` in ``year`` (due on ``due``); a procedure's
    report «Аналитическая справка: ВПР 2026 — до 15 июня 2026 включительно» (without the
    date until the coordinator sets one)."""
    procedure = catalog.procedure_of(deadline)
    if procedure is not None:
        title = procedure_title(locale, procedure, year)
        if due is None:
            return title
        return translate(locale, PROCEDURE_DUE, title=title, date=day_text(due, locale))
    if due is None:
        return translate(locale, ON_SCHEDULE_TITLE, year=year)
    return deadline_name(due, locale, catalog.school_year(deadline, year))
