"""A campaign's progress chart and its caption, in a given language: drawn on request in
/charts and, every week, with a coordinator's digest."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.charts import build
from bot.charts.data import Labels, Progress, ProgressLabels
from bot.i18n import N_, translate
from bot.indicators.catalog import Catalog
from bot.indicators.titles import campaign_name
from bot.texts import long_date
from storage.repo import Repo
from storage.submissions import Campaign


async def progress_chart(
    repo: Repo,
    catalog: Catalog,
    campaign: Campaign,
    school_ids: Iterable[int],
    today: date,
    locale: str,
) -> tuple[Progress, str]:
    """The chart's data (sent, draft, not started by day, ``school_ids`` only) and its
    caption (plain text: what is shown, for which date, where the numbers come from)."""
    assert campaign.due_date is not None
    name = campaign_name(catalog, campaign.year, campaign.deadline_key, campaign.due_date, locale)
    title = translate(locale, N_("How «{campaign}» is going"), campaign=name)
    data = build.progress(
        await repo.submissions.timeline(campaign.id),
        school_ids,
        campaign.due_date,
        today,
        Labels(title, "", translate(locale, N_("schools"))),
        locale,
        ProgressLabels(
            translate(locale, N_("sent")),
            translate(locale, N_("draft")),
            translate(locale, N_("not started")),
            translate(locale, N_("deadline")),
        ),
    )
    source = translate(
        locale,
        N_("Source: the schools' reports in the bot, as of {date}."),
        date=long_date(today, locale),
    )
    return data, f"{title}.\n{source}"
