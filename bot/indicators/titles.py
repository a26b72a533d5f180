"""How a campaign is named, the same everywhere (the form, lists, status, reminders, the
calendar, the workbook): the school year its questions are about, if any, and its last
day, which is included («Показатели за 2025/26 уч. г. — до 1 октября 2026
включительно»)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.i18n import N_, translate
from bot.indicators.catalog import Catalog
from bot.indicators.school_years import SchoolYear

ON_SCHEDULE_TITLE = N_("Assessment results {year} (on schedule)")
WITH_SCHOOL_YEAR = N_("Indicators for {school_year} — due by {date} inclusive")
WITHOUT_SCHOOL_YEAR = N_("Indicators — due by {date} inclusive")


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


def campaign_name(catalog: Catalog, year: int, deadline: str, due: date | None, locale: str) -> str:
    """The title of the campaign of ``deadline`` in ``year`` (due on ``due``)."""
    if due is None:
        return translate(locale, ON_SCHEDULE_TITLE, year=year)
    return deadline_name(due, locale, catalog.school_year(deadline, year))
