"""What the administrator's commands share: the database opened and migrated, the bot's
username, municipalities as the register spells them, the catalog, this year's campaigns."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.i18n import N_, translate
from bot.indicators.catalog import DEFAULT_CATALOG, Catalog, load_catalog
from bot.settings import Settings
from storage.db import Database
from storage.models import match_key
from storage.repo import Repo

EXIT_FAILED = 1
EXIT_USAGE = 2


async def with_repo(settings: Settings, action: Callable[[Repo], Awaitable[int]]) -> int:
    db = await Database.open(settings.database_path)
    try:
        await db.migrate()
        return await action(Repo(db))
    finally:
        await db.close()


async def bot_username(repo: Repo, settings: Settings) -> str | None:
    return settings.bot_username or await repo.meta.get("bot_username")


async def find_municipalities(repo: Repo, locale: str, wanted: list[str]) -> list[str] | None:
    """The municipalities named on the command line, as the register spells them; None
    (after saying so) when one is not in the register."""
    known = await repo.schools.municipalities()
    found = []
    for name in wanted:
        match = next((m for m in known if match_key(m) == match_key(name)), None)
        if match is None:
            print(
                translate(
                    locale,
                    N_("There is no municipality «{name}» in the register of schools: {known}"),
                    name=name,
                    known=", ".join(known) or "—",
                ),
                file=sys.stderr,
            )
            return None
        if match not in found:
            found.append(match)
    return found


def catalog_of(settings: Settings) -> Catalog:
    return load_catalog(settings.indicators_path or DEFAULT_CATALOG)


async def year_campaigns(repo: Repo, settings: Settings, year: int) -> bool:
    """Whether ``year`` has campaigns; this year's exist as soon as the catalog does (the
    bot creates them when it plans reminders; the command line may come first)."""
    from bot.indicators.form import campaign_deadlines

    if year == datetime.now(settings.zone).year:
        await repo.submissions.ensure_campaigns(
            year, campaign_deadlines(catalog_of(settings), year)
        )
    return bool(await repo.submissions.campaigns(year))
