"""The card about a school a curator opens before a consultation: its latest indicators
next to the municipality's and the region's medians, what it has not submitted, and its
earlier consultations with their outcomes."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.calendar.view import deadline_title, long_date
from bot.consultations.card import indicator_rows
from bot.consultations.texts import day_text, status_name, when_in_zone
from bot.i18n import N_, format_number, translate
from bot.indicators.answers.showing import percent_text
from bot.indicators.catalog import Catalog
from bot.indicators.form import campaign_deadlines, local_today
from bot.telegram_limits import MESSAGE_LIMIT, shorten
from storage.consultations import Consultation
from storage.models import School
from storage.repo import Repo

EARLIER_SHOWN = 5
OUTCOME_SHOWN = 200


def _number(value: float | None, percent: bool, locale: str) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{percent_text(value, locale)} %"
    return format_number(round(value, 1), locale)


async def school_card(
    repo: Repo,
    catalog: Catalog,
    school: School,
    consultation: Consultation | None,
    now: datetime,
    zone: ZoneInfo,
    locale: str,
) -> str:
    flags = [
        name
        for name, on in (
            (translate(locale, N_("low results (ШНОР)")), school.is_shnor),
            (translate(locale, N_("unfavourable conditions (ШССУ)")), school.is_shssu),
        )
        if on
    ]
    lines = [f"📋 <b>{escape(school.name)}</b>", escape(school.municipality)]
    if flags:
        lines[-1] += " · " + ", ".join(flags)
    if consultation is not None:
        lines.append(
            translate(
                locale,
                N_("Consultation: {when}"),
                when=when_in_zone(consultation.starts_at, consultation.ends_at, zone, locale),
            )
        )
        if consultation.topic:
            lines.append(
                translate(
                    locale,
                    N_("Topic: {topic}"),
                    topic=escape(shorten(consultation.topic, 300)),
                )
            )
    lines += ["", *await _indicators(repo, catalog, school, now, zone, locale)]
    lines += ["", *await _not_submitted(repo, catalog, school, now, zone, locale)]
    lines += ["", *await _earlier(repo, school, consultation, now, zone, locale)]
    text = "\n".join(lines)
    return (
        text
        if len(text) <= MESSAGE_LIMIT
        else text[: MESSAGE_LIMIT - 96].rsplit("\n", 1)[0] + "\n…"
    )


async def _indicators(
    repo: Repo, catalog: Catalog, school: School, now: datetime, zone: ZoneInfo, locale: str
) -> list[str]:
    year = local_today(zone, now).year
    answers = await repo.submissions.answers_for_year(year)
    if not answers.get(school.id):
        year -= 1
        answers = await repo.submissions.answers_for_year(year)
    municipality_of = {s.id: s.municipality for s in await repo.schools.list()}
    rows = indicator_rows(
        [(indicator.code, indicator.kind.value) for indicator in catalog.indicators],
        school.id,
        municipality_of,
        answers,
    )
    if not rows:
        return [translate(locale, N_("No indicators with numbers reported yet."))]
    lines = [
        translate(
            locale,
            N_("<b>Indicators {year}</b>: the school · median of the municipality · of the region"),
            year=year,
        )
    ]
    for row in rows:
        title = catalog.indicator(row.code).short.get(locale)
        lines.append(
            f"• {escape(title)}: <b>{_number(row.value, row.percent, locale)}</b> · "
            f"{_number(row.municipality, row.percent, locale)} · "
            f"{_number(row.region, row.percent, locale)}"
        )
    return lines


async def _not_submitted(
    repo: Repo, catalog: Catalog, school: School, now: datetime, zone: ZoneInfo, locale: str
) -> list[str]:
    today = local_today(zone, now)
    campaigns = await repo.submissions.ensure_campaigns(
        today.year, campaign_deadlines(catalog, today.year)
    )
    missing = []
    for campaign in campaigns:
        if campaign.due_date is None:
            continue
        submission = await repo.submissions.get(campaign.id, school.id)
        if submission is not None and submission.status.reported:
            continue
        if campaign.due_date < today:
            missing.append(
                translate(
                    locale,
                    N_("• {campaign}: not sent, the deadline {date} has passed"),
                    campaign=deadline_title(campaign.due_date, locale),
                    date=long_date(campaign.due_date, locale),
                )
            )
        else:
            missing.append(
                translate(
                    locale,
                    N_("• {campaign}: not sent yet"),
                    campaign=deadline_title(campaign.due_date, locale),
                )
            )
    if not missing:
        return [translate(locale, N_("Every report of this year is sent."))]
    return [translate(locale, N_("<b>Not submitted</b>")), *missing]


async def _earlier(
    repo: Repo,
    school: School,
    consultation: Consultation | None,
    now: datetime,
    zone: ZoneInfo,
    locale: str,
) -> list[str]:
    before = consultation.starts_at if consultation is not None else now
    earlier = [
        c
        for c in await repo.consultations.history(school.id, before, EARLIER_SHOWN + 1)
        if consultation is None or c.id != consultation.id
    ][:EARLIER_SHOWN]
    if not earlier:
        return [translate(locale, N_("No earlier consultations."))]
    lines = [translate(locale, N_("<b>Earlier consultations</b>"))]
    for past in earlier:
        host = await repo.people.get(past.host_id)
        line = (
            f"• {day_text(past.starts_at.astimezone(zone).date(), locale)} — "
            f"{status_name(past.status, locale)} ({escape(host.full_name if host else '—')})"
        )
        if past.outcome:
            line += f": «{escape(shorten(past.outcome, OUTCOME_SHOWN))}»"
        lines.append(line)
    return lines
