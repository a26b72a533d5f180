"""Shared wording: campaign titles and state names, in the person's language."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from html import escape
from typing import Any

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import Catalog
from bot.indicators.form import CampaignState, Step
from storage.submissions import Campaign


def long_date(day: date, locale: str | None = None) -> str:
    """ "1 октября 2026" / "1 October 2026"."""
    return _long_date(day, locale or get_i18n().current_locale)


@lru_cache(maxsize=1024)
def _long_date(day: date, locale: str) -> str:
    # Babel takes ~40 µs a date; the form shows the same few deadlines again and again
    return format_date(day, "d MMMM y", locale=locale)


def campaign_title(campaign: Campaign) -> str:
    if campaign.due_date is None:
        return _("Assessment results {year} (on schedule)").format(year=campaign.year)
    return _("Indicators due {date}").format(date=long_date(campaign.due_date))


def state_name(state: CampaignState) -> str:
    names = {
        CampaignState.NOT_STARTED: _("not started"),
        CampaignState.DRAFT: _("draft"),
        CampaignState.SUBMITTED: _("submitted"),
        CampaignState.RETURNED: _("returned for correction"),
        CampaignState.ACCEPTED: _("accepted"),
        CampaignState.OVERDUE: _("overdue"),
    }
    return names[state]


def answer_lines(
    catalog: Catalog,
    steps: list[Step],
    bases: dict[str, int],
    answers: dict[str, Any],
    locale: str,
) -> list[str]:
    """The numbered list of a submission's answers, as the principal's review screen and
    the coordinator's review card show it (HTML, people's text escaped)."""
    lines = []
    for number, step in enumerate(steps, start=1):
        if step.is_base:
            title = catalog.base(step.code).title.get(locale)
            value = bases.get(step.code)
            shown = str(value) if value is not None else "—"
        else:
            indicator = catalog.indicator(step.code)
            title = indicator.short.get(locale)
            value = answers.get(step.code)
            shown = format_answer(indicator, value, catalog, locale) if value is not None else "—"
        lines.append(f"{number}. {escape(title)}: <b>{escape(shown)}</b>")
    return lines
