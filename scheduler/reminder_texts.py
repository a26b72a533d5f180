"""What reminders say: the texts the reminder jobs queue, in each recipient's language
(HTML; people's text escaped; lists cut to fit one Telegram message)."""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date
from typing import Any

from bot.callbacks import CampaignCallback
from bot.i18n import translate, translate_plural
from bot.indicators.assessments import report_title
from bot.indicators.catalog import Catalog
from bot.texts import long_date
from scheduler.jobs import OVERDUE, JobSpec
from storage.calendar import Event, Occurrence
from storage.models import School
from storage.submissions import Campaign

# a digest or an event list stops growing at about this many characters (Telegram: 4096)
TEXT_BUDGET = 3500


def campaign_name(locale: str, campaign: Campaign, catalog: Catalog | None = None) -> str:
    """The campaign's title in ``locale`` (as :func:`bot.texts.campaign_title`)."""
    procedure = catalog.procedure_of(campaign.deadline_key) if catalog else None
    if procedure is not None:
        return report_title(locale, procedure, campaign.year)
    if campaign.due_date is None:
        return translate(locale, "Assessment results {year} (on schedule)", year=campaign.year)
    return translate(locale, "Indicators due {date}", date=long_date(campaign.due_date, locale))


def form_button(locale: str, campaign_id: int) -> dict[str, Any]:
    """The button that opens the campaign's form (handlers/submit.py, open_campaign)."""
    data = CampaignCallback(campaign_id=campaign_id).pack()
    return {
        "inline_keyboard": [[{"text": translate(locale, "Open the form"), "callback_data": data}]]
    }


def principal_text(
    locale: str,
    spec: JobSpec,
    campaign: Campaign,
    days: int | None,
    catalog: Catalog | None = None,
) -> str:
    """The notice after the deadline, or a reminder with the days left when it arrives."""
    title = html.escape(campaign_name(locale, campaign, catalog))
    if spec.kind == OVERDUE:
        return translate(
            locale,
            "⚠️ The deadline for «{campaign}» has passed, and your school has not "
            "submitted yet. Please submit as soon as you can: late submissions are "
            "still accepted.",
            campaign=title,
        )
    return deadline_text(locale, title, spec.days if days is None else days)


def deadline_text(locale: str, title: str, days: int) -> str:
    if days == 0:
        return translate(
            locale,
            "⏰ Today is the last day for «{campaign}», and your school has not submitted yet.",
            campaign=title,
        )
    return translate_plural(
        locale,
        "⏰ Reminder: «{campaign}» — {n} day left, and your school has not submitted yet.",
        "⏰ Reminder: «{campaign}» — {n} days left, and your school has not submitted yet.",
        days,
        campaign=title,
    )


def digest_text(
    locale: str, campaign: Campaign, schools: list[School], catalog: Catalog | None = None
) -> str:
    title = html.escape(campaign_name(locale, campaign, catalog))
    lines = [
        translate_plural(
            locale,
            "📋 «{campaign}» is overdue: {n} school has not submitted.",
            "📋 «{campaign}» is overdue: {n} schools have not submitted.",
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


def event_text(locale: str, edges: list[tuple[Occurrence, Event]], target: date) -> str:
    lines = [translate(locale, "📅 Roadmap actions coming up:")]
    size = len(lines[0])
    shown = 0
    for occurrence, event in edges:
        when = long_date(target, locale)
        if occurrence.starts_on == occurrence.ends_on:
            phrase = translate(locale, "takes place on {date}", date=when)
        elif occurrence.starts_on == target:
            phrase = translate(locale, "starts on {date}", date=when)
        else:
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
