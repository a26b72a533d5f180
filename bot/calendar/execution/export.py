"""The execution report for a person (their territory's parts) or the command line."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.calendar.execution.ledger import load_ledger, viewer_filter, visible_roadmaps
from bot.calendar.execution.progress import roadmap_progress
from bot.calendar.execution.report import history_rows, report_rows
from bot.calendar.execution.workbook import ReportHeading, write_report
from bot.i18n import translate
from storage.calendar import Roadmap
from storage.models import Roles
from storage.repo import Repo


def report_year(roadmap: Roadmap, today: date) -> int | None:
    """The year a report asked for in chat covers: a roadmap of a year or a school year
    whole (None), a longer one this year's part (the December report), or whole when
    today is outside it."""
    if (roadmap.ends_on - roadmap.starts_on).days <= 400:
        return None
    return today.year if roadmap.starts_on.year <= today.year <= roadmap.ends_on.year else None


def report_title(titles: list[str], year: int | None, locale: str) -> str:
    if len(titles) == 1:
        if year is None:
            return translate(locale, "Execution of the roadmap «{title}»", title=titles[0])
        return translate(
            locale, "Execution of the roadmap «{title}» in {year}", title=titles[0], year=year
        )
    if year is None:
        return translate(locale, "Execution of the roadmaps")
    return translate(locale, "Execution of the roadmaps in {year}", year=year)


async def execution_report(
    repo: Repo,
    roles: Roles,
    today: date,
    locale: str,
    zone: ZoneInfo,
    made_at: datetime,
    *,
    year: int | None = None,
    roadmap_ids: Collection[int] | None = None,
    bot_username: str | None = None,
) -> bytes | None:
    """The workbook of the roadmaps the person sees (these ones; those covering ``year``),
    with the parts of their territory; None when there is no such roadmap."""
    ledger = await load_ledger(repo, roadmap_ids)
    roadmaps = [
        roadmap
        for roadmap in visible_roadmaps(ledger, roles)
        if year is None or roadmap.starts_on.year <= year <= roadmap.ends_on.year
    ]
    if not roadmaps:
        return None
    rows, history, totals = [], [], []
    for roadmap in roadmaps:  # each counted over the viewer's parts of it
        keep = viewer_filter(roles, ledger.schools, roadmap)
        rows += report_rows(
            ledger, [roadmap], today, locale, zone, year=year, keep=keep, bot_username=bot_username
        )
        history += history_rows(
            ledger, [roadmap], locale, zone, year=year, keep=keep, bot_username=bot_username
        )
        totals.append((roadmap.title, roadmap_progress(ledger, roadmap.id, today, keep)))
    history.sort(key=lambda row: row.answered_at)
    heading = ReportHeading(
        title=report_title([roadmap.title for roadmap in roadmaps], year, locale),
        made_at=made_at.astimezone(zone).replace(tzinfo=None),
        zone_name=str(zone),
        has_bot_link=bot_username is not None,
    )
    return await asyncio.to_thread(write_report, heading, rows, history, totals, locale)
