"""What reminders say: the texts the reminder jobs queue, in each recipient's language
(HTML; people's text escaped; lists cut to fit one Telegram message)."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from babel.dates import format_date

from bot.calendar.workdays import is_working_day, previous_working_day
from bot.callbacks import CampaignCallback
from bot.i18n import N_, translate, translate_plural
from bot.indicators.catalog import Catalog
from bot.indicators.titles import campaign_name as named
from bot.texts import long_date
from scheduler.jobs import OVERDUE, JobSpec
from storage.calendar import Event, Occurrence
from storage.models import School
from storage.submissions import Campaign

# a digest or an event list stops growing at about this many characters (Telegram: 4096)
TEXT_BUDGET = 3500


def campaign_name(locale: str, catalog: Catalog, campaign: Campaign) -> str:
    """The campaign's title in ``locale`` (as :func:`bot.texts.campaign_title`)."""
    return named(catalog, campaign.year, campaign.deadline_key, campaign.due_date, locale)


def form_button(locale: str, campaign_id: int) -> dict[str, Any]:
    """The button that opens the campaign's form (handlers/submit.py, open_campaign)."""
    data = CampaignCallback(campaign_id=campaign_id).pack()
    return {
        "inline_keyboard": [[{"text": translate(locale, "Open the form"), "callback_data": data}]]
    }


def principal_text(
    locale: str, catalog: Catalog, spec: JobSpec, campaign: Campaign, sent_on: date
) -> str:
    """The notice after the deadline, or a reminder with the days left on the day it
    arrives (``sent_on``); each says who gets it: the school's responsible people (its
    principal and deputies)."""
    title = html.escape(campaign_name(locale, catalog, campaign))
    if spec.kind == OVERDUE or campaign.due_date is None:
        text = translate(
            locale,
            "⚠️ The deadline for «{campaign}» has passed, and your school has not sent the"
            " report yet. Please send it as soon as you can: it can still be sent, and it"
            " will be marked as sent late.",
            campaign=title,
        )
    else:
        text = deadline_text(locale, title, campaign.due_date, sent_on)
    return text + "\n" + translate(locale, SCHOOL_AUDIENCE)


# «ответственный от ОО»: either may act, so both are reminded
SCHOOL_AUDIENCE = N_(
    "This reaches the school's responsible people: the principal and any deputies."
)


def deadline_text(locale: str, title: str, due: date, sent_on: date) -> str:
    """A reminder on ``sent_on``; when the last day is a day off and this is the last
    working day before it, it says so."""
    days = (due - sent_on).days
    if days == 0:
        return translate(
            locale,
            "⏰ Today is the last day for «{campaign}», and your school has not sent the"
            " report yet.",
            campaign=title,
        )
    text = translate_plural(
        locale,
        "⏰ Reminder: «{campaign}» — {n} day left, and your school has not sent the report yet.",
        "⏰ Reminder: «{campaign}» — {n} days left, and your school has not sent the report yet.",
        days,
        campaign=title,
    )
    if not is_working_day(due) and previous_working_day(due) == sent_on:
        text += "\n" + translate(
            locale,
            "The last day ({date}) is a day off: today is the last working day before it.",
            date=format_date(due, "EEEE, d MMMM", locale=locale),
        )
    return text


def digest_text(locale: str, catalog: Catalog, campaign: Campaign, schools: list[School]) -> str:
    title = html.escape(campaign_name(locale, catalog, campaign))
    lines = [
        translate_plural(
            locale,
            "📋 The deadline for «{campaign}» has passed: {n} school has not sent the report.",
            "📋 The deadline for «{campaign}» has passed: {n} schools have not sent the report.",
            len(schools),
            campaign=title,
        )
    ]
    by_place: dict[str, list[School]] = defaultdict(list)
    for school in schools:
        by_place[school.municipality].append(school)
    size = len(lines[0])
    shown = 0
    for place in sorted(by_place):
        group = sorted(by_place[place], key=lambda s: s.display_name.casefold())
        heading = f"\n<b>{html.escape(place)}</b>"
        if size + len(heading) > TEXT_BUDGET:
            break
        lines.append(heading)
        size += len(heading) + 1
        for school in group:
            line = f"• {html.escape(school.display_name)}"
            if size + len(line) > TEXT_BUDGET:
                break
            lines.append(line)
            size += len(line) + 1
            shown += 1
        else:
            continue
        break
    if shown < len(schools):
        lines.append(
            translate_plural(
                locale,
                "… and {n} more school: see /status.",
                "… and {n} more schools: see /status.",
                len(schools) - shown,
            )
        )
    return "\n".join(lines)


def event_text(
    locale: str, edges: list[tuple[Occurrence, Event]], targets: Collection[date]
) -> str:
    """The actions that start or end on one of the ``targets`` days."""
    lines = [translate(locale, "📅 Roadmap actions coming up:")]
    size = len(lines[0])
    shown = 0
    for occurrence, event in edges:
        if occurrence.starts_on == occurrence.ends_on:
            when = long_date(occurrence.starts_on, locale)
            phrase = translate(locale, "takes place on {date}", date=when)
        elif occurrence.starts_on in targets:
            when = long_date(occurrence.starts_on, locale)
            phrase = translate(locale, "starts on {date}", date=when)
        else:
            when = long_date(occurrence.ends_on, locale)
            phrase = translate(locale, "ends on {date}", date=when)
        line = f"• <b>{html.escape(event.title)}</b> — {phrase}"
        if size + len(line) > TEXT_BUDGET:
            break
        lines.append(line)
        size += len(line) + 1
        shown += 1
    if shown < len(edges):
        lines.append(
            translate_plural(
                locale,
                "… and {n} more action: see /calendar.",
                "… and {n} more actions: see /calendar.",
                len(edges) - shown,
            )
        )
    lines.append(translate(locale, "Details: /calendar"))
    return "\n".join(lines)
