"""Shared wording: campaign titles and state names, in the person's language."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import Catalog
from bot.indicators.form import CampaignState, Step, is_reported
from bot.indicators.titles import campaign_name
from bot.telegram_limits import shorten
from storage.submissions import Campaign

SHOWN_IN_LIST = 300  # characters of an answer a list of all answers shows


def long_date(day: date, locale: str | None = None) -> str:
    """ "1 октября 2026" / "1 October 2026"."""
    return _long_date(day, locale or get_i18n().current_locale)


@lru_cache(maxsize=1024)
def _long_date(day: date, locale: str) -> str:
    # Babel takes ~40 µs a date; the form shows the same few deadlines again and again
    return format_date(day, "d MMMM y", locale=locale)


def campaign_title(campaign: Campaign, catalog: Catalog) -> str:
    """«Показатели за 2025/26 уч. г. — до 1 октября 2026 включительно» (see
    :mod:`bot.indicators.titles`), in the current language."""
    locale = get_i18n().current_locale
    return campaign_name(catalog, campaign.year, campaign.deadline_key, campaign.due_date, locale)


def state_name(state: CampaignState) -> str:
    """The documents' own words: «не представлено», «черновик», «представлено, на
    проверке», «возвращено на доработку», «принято» (by the coordinator); a report sent
    after the deadline is «представлено с опозданием» until it is reviewed."""
    names = {
        CampaignState.NOT_STARTED: _("not sent"),
        CampaignState.DRAFT: _("draft"),
        CampaignState.SUBMITTED: _("sent, waiting for review"),
        CampaignState.RETURNED: _("returned for correction"),
        CampaignState.ACCEPTED: _("accepted"),
    }
    return names[state]


def progress_line(
    state: CampaignState,
    answered: int,
    total: int,
    due: date | None,
    today: date,
    *,
    late: bool = False,
) -> str:
    """A campaign's state as the principal's list shows it: «черновик, отвечено 5 из 17,
    срок прошёл (последний день — 1 октября 2026)», «не представлено, осталось 3 дня»,
    «представлено с опозданием, на проверке»."""
    parts = [state_name(state)]
    if state is CampaignState.SUBMITTED and late:
        parts = [_("sent late, waiting for review")]
    if state in (CampaignState.DRAFT, CampaignState.RETURNED):
        parts.append(_("{answered} of {total} answered").format(answered=answered, total=total))
    if due is not None and not is_reported(state):
        left = (due - today).days
        if left < 0:
            parts.append(
                _("the deadline has passed (the last day was {date})").format(date=long_date(due))
            )
        elif left == 0:
            parts.append(_("today is the last day"))
        else:
            parts.append(ngettext("{n} day left", "{n} days left", left).format(n=left))
    return ", ".join(parts)


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
        # a long answer is shortened here; the whole of it is a tap away (✏️ and 📄)
        lines.append(f"{number}. {escape(title)}: <b>{escape(shorten(shown, SHOWN_IN_LIST))}</b>")
    return lines


# the program's time zone as Russian speech says it (the zones of Russia); elsewhere UTC±
_ZONES_RU = {
    "Europe/Kaliningrad": "калининградскому",
    "Europe/Moscow": "московскому",
    "Europe/Simferopol": "московскому",
    "Europe/Kirov": "московскому",
    "Europe/Volgograd": "московскому",
    "Europe/Samara": "самарскому",
    "Europe/Ulyanovsk": "самарскому",
    "Europe/Saratov": "самарскому",
    "Europe/Astrakhan": "самарскому",
    "Asia/Yekaterinburg": "екатеринбургскому",
    "Asia/Omsk": "омскому",
    "Asia/Novosibirsk": "новосибирскому",
    "Asia/Barnaul": "новосибирскому",
    "Asia/Tomsk": "новосибирскому",
    "Asia/Novokuznetsk": "красноярскому",
    "Asia/Krasnoyarsk": "красноярскому",
    "Asia/Irkutsk": "иркутскому",
    "Asia/Chita": "якутскому",
    "Asia/Yakutsk": "якутскому",
    "Asia/Khandyga": "якутскому",
    "Asia/Vladivostok": "владивостокскому",
    "Asia/Ust-Nera": "владивостокскому",
    "Asia/Magadan": "магаданскому",
    "Asia/Sakhalin": "сахалинскому",
    "Asia/Srednekolymsk": "магаданскому",
    "Asia/Kamchatka": "камчатскому",
    "Asia/Anadyr": "камчатскому",
}
_ZONES_EN = {"Europe/Moscow": "Moscow time", "Europe/Kaliningrad": "Kaliningrad time"}


def zone_phrase(zone_name: str, locale: str) -> str:
    """ "по московскому времени" / "Moscow time" rather than "Europe/Moscow"; a zone without
    a name of its own reads "(UTC+05:00)"."""
    if locale == "ru" and zone_name in _ZONES_RU:
        return f"по {_ZONES_RU[zone_name]} времени"
    if locale != "ru" and zone_name in _ZONES_EN:
        return f"({_ZONES_EN[zone_name]})"
    offset = datetime.now(ZoneInfo(zone_name)).strftime("%z")
    return f"(UTC{offset[:3]}:{offset[3:]})"
