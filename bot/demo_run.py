"""``python -m bot demo``: the whole bot in a browser, with no token and no Telegram.

In this one process: the sandbox (a local stand-in for the Bot API, which also serves the
web chat), a fresh database in a temporary folder (or ``--database``) loaded with the demo
region as it would stand today, and the bot polling the sandbox. The demo people are
already connected, each under a user id of their own, and listed in the web chat, except
one principal who joins with the invitation shown next to her name. One line is printed:
the web chat's address. Ctrl-C (or SIGTERM) stops the bot, then the sandbox, and removes
the temporary folder.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import webbrowser
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.demo import DemoData, load_demo_data
from bot.i18n import N_, translate
from bot.indicators.catalog import load_catalog
from bot.settings import Settings
from storage.db import Database
from storage.models import Role
from storage.repo import Repo

DEMO_TOKEN = "123456789:AAHdemoTOKENforTHEsandboxONLY_01234567"
DEMO_BOT = "shnor_demo_bot"
DEMO_NAME = "Помощник ШНОР и ШССУ (демо)"
FIRST_USER_ID = 1001
EXIT_USAGE = 2

_ROLE_WORDS = {
    Role.PRINCIPAL: N_("school principal"),
    Role.CURATOR: N_("curator"),
    Role.COORDINATOR: N_("coordinator"),
    Role.DEPUTY: N_("deputy principal"),
}


async def run_demo(
    port: int, database: Path | None, open_browser: bool, locale: str, timezone: str
) -> int:
    from bot.app import run_polling
    from sandbox.config import SandboxConfig
    from sandbox.server import start_sandbox

    logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="shnor-demo-") as folder:
        path = database or Path(folder) / "demo.sqlite3"
        try:
            starting = start_sandbox(
                "127.0.0.1", port, SandboxConfig(bot_username=DEMO_BOT, bot_first_name=DEMO_NAME)
            )
            sandbox = await starting
        except OSError:
            message = N_("Port {port} is taken on this computer: choose another with --port")
            print(translate(locale, message, port=port), file=sys.stderr)
            return EXIT_USAGE
        try:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                bot_token=DEMO_TOKEN,
                bot_api_base=sandbox.url,
                bot_username=DEMO_BOT,
                database_path=path,
                default_locale=locale,  # type: ignore[arg-type]
                timezone=timezone,
            )
            people = await prepare(settings, locale)
            sandbox.state.directory = [person.entry() for person in people]
            for person in people:
                if person.connected:  # they have talked to the bot before: it may write
                    sandbox.state.remember_user(person.user_id, person.entry())
            url = f"{sandbox.url}/"
            print(translate(locale, N_("Web chat with the demo bot: {url}"), url=url), flush=True)
            if open_browser:
                webbrowser.open(url)
            await run_polling(settings)
        finally:
            await sandbox.close()
    return 0


@dataclass(frozen=True)
class ChatPerson:
    """A demo person as the web chat lists them."""

    user_id: int
    first_name: str
    last_name: str
    subtitle: str
    connected: bool  # already in the bot; otherwise to join with their invitation

    def entry(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "subtitle": self.subtitle,
        }


async def prepare(settings: Settings, locale: str) -> list[ChatPerson]:
    """The demo database, and the web chat's people: everyone connected under a user id of
    their own but the last principal, who is to join with the invitation shown."""
    db = await Database.open(settings.database_path)
    try:
        await db.migrate()
        repo = Repo(db)
        today = datetime.now(settings.zone).date()
        demo = await load_demo_data(repo, catalog=load_catalog(), today=today)
        return await _connect(repo, demo, locale)
    finally:
        await db.close()


async def _connect(repo: Repo, demo: DemoData, locale: str) -> list[ChatPerson]:
    directory: list[ChatPerson] = []
    invited = max(
        (n for n, person in enumerate(demo.people) if person.role == Role.PRINCIPAL), default=-1
    )
    for number, person in enumerate(demo.people):
        user_id = FIRST_USER_ID + number
        last, first, *_rest = person.full_name.split()
        role = translate(locale, _ROLE_WORDS[person.role])
        where = ", ".join(person.schools or person.municipalities)
        subtitle = f"{role} · {where}" if where else role
        connected = not (number == invited and person.link)
        if not connected:
            subtitle += " · " + translate(
                locale, N_("not connected yet: send {command}"), command=person.link
            )
        else:
            linked = await repo.people.by_telegram_id(user_id)
            if linked is None or linked.id == person.person_id:
                await repo.people.link_telegram(person.person_id, user_id, None, None)
        directory.append(ChatPerson(user_id, first, last, subtitle, connected))
    return directory
