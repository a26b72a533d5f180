"""End-to-end plumbing: the sandbox Bot API and the real bot polling it over HTTP.

``async with bot_under_test(tmp_path) as env:`` starts a sandbox on a free
127.0.0.1 port and the bot (the same ``open_app`` that ``python -m bot`` uses) in
the test's event loop; ``env.restart()`` stops the bot and starts a new one on the
same database, as a process restart would.

Limits are off unless a test is about them, so that a test waits for the bot's work and
not for Telegram's clock: the sandbox does not hold the bot to Telegram's one message a
second per chat (``sandbox_config(paced=True)`` does), the outbox worker does not pause
between two messages to a chat (a test of its pacing passes ``delivery``), and the bot's
per-person flood guard lets a thousand updates through at once (a test of the guard
passes ``flood_burst`` and ``flood_rate``).

Below the plumbing are the steps tests share: pressing a button, answering, reading a
keyboard, opening a campaign as a principal.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Dispatcher

from bot.app import App, open_app
from bot.clock import Clock, system_clock
from bot.people.invitations import create_invitation
from bot.settings import Settings
from sandbox.client import SandboxClient
from sandbox.server import RunningSandbox, SandboxConfig, start_sandbox
from scheduler.delivery import DeliverySettings
from storage.db import Database
from storage.models import Role
from storage.repo import Repo
from storage.schools import SchoolData

TOKEN = "123456789:AAHsandboxTOKENforTESTSonly_0123456789"
BOT_USERNAME = "school_support_test_bot"


def make_settings(tmp_path: Path, api_base: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "bot_api_base": api_base,
        "database_path": tmp_path / "bot.sqlite3",
        "timezone": "Europe/Moscow",
        "default_locale": "ru",
        # the flood guard at its highest: only a test of the guard sets it lower
        "flood_burst": 1000,
        "flood_rate": 1000.0,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


#: The outbox worker without its second between two messages to a chat (Telegram's pace);
#: a test of its pacing passes settings of its own.
UNPACED_DELIVERY = DeliverySettings(chat_interval=0)


def sandbox_config(*, paced: bool = False, **overrides: Any) -> SandboxConfig:
    """The sandbox of an end-to-end test: no flood limits, or with ``paced`` Telegram's
    (about 30 messages a second overall, one a second per chat after a burst of 3: the
    defaults of :class:`SandboxConfig`), for a test of how the bot lives with them."""
    limits: dict[str, Any] = {} if paced else {"global_rate": 0, "chat_rate": 0}
    return SandboxConfig(bot_username=BOT_USERNAME, **{**limits, **overrides})


class ShiftedClock:
    """A clock that starts at ``start`` and runs with real time from there; ``jump`` moves
    it on. For end-to-end tests of time-driven features: retries and pacing still see
    time pass, while the test decides the date and the hour."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)

    def jump(self, to: datetime) -> None:
        self._start, self._origin = to, time.monotonic()


@dataclass
class BotEnv:
    tmp_path: Path
    sandbox: RunningSandbox
    client: SandboxClient
    settings: Settings
    app: App | None = None
    clock: Clock = system_clock
    delivery: DeliverySettings = UNPACED_DELIVERY  # the outbox worker's rates
    _task: asyncio.Task[None] | None = None
    _users: int = field(default=1000)

    @property
    def repo(self) -> Repo:
        assert self.app is not None
        return self.app.repo

    async def start(self) -> None:
        assert self.app is None
        self.app = await open_app(self.settings, self.clock, delivery=self.delivery)
        ready = asyncio.Event()

        async def mark_ready(dispatcher: Dispatcher) -> None:
            if (planning := dispatcher.get("reminders_planned")) is not None:
                await planning  # the bot plans reminders once polling runs; tests wait
            ready.set()

        self.app.dp.startup.register(mark_ready)
        self._task = asyncio.create_task(
            self.app.dp.start_polling(
                self.app.bot, handle_signals=False, close_bot_session=False, polling_timeout=1
            )
        )
        waiter = asyncio.create_task(ready.wait())
        done, _ = await asyncio.wait(
            {waiter, self._task}, timeout=10, return_when="FIRST_COMPLETED"
        )
        if waiter not in done:
            waiter.cancel()
            if self._task.done():
                self._task.result()
            raise TimeoutError("the bot did not start")

    async def stop(self) -> None:
        if self.app is None:
            return
        assert self._task is not None
        try:
            await self.app.dp.stop_polling()
        except RuntimeError:
            pass
        await asyncio.wait_for(self._task, 10)
        # the feature routers are module-level, as in any aiogram bot; a process restart
        # gives them a new dispatcher, so in one test process they are detached by hand
        for router in self.app.dp.sub_routers:
            router._parent_router = None
        self.app.dp.sub_routers.clear()
        # aiogram's session, once closed, waits 0.25 s for TLS connections to wind down; the
        # sandbox speaks plain HTTP, so its connections are closed here and the wait skipped
        await (await self.app.bot.session.create_session()).close()
        await self.app.close()
        self.app = None
        self._task = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    # --- data set-up through the same repositories the bot uses ---------------
    async def add_school(self, name: str, municipality: str = "Ливенский район", **kw: Any) -> int:
        school, _ = await self.repo.schools.upsert(SchoolData(name, municipality, **kw))
        return school.id

    async def invite(self, role: Role, school_ids: list[int] | None = None, **kw: Any) -> str:
        code, _ = await create_invitation(self.repo, role, school_ids or [], **kw)
        return code

    def new_user_id(self) -> int:
        self._users += 1
        return self._users

    async def register(
        self,
        role: Role,
        school_ids: list[int] | None = None,
        first_name: str = "Мария",
        last_name: str = "Иванова",
        municipalities: tuple[str, ...] = (),
    ) -> int:
        """A person who has joined through an invitation (a coordinator with
        ``municipalities``: a municipal one); returns their Telegram id."""
        user_id = self.new_user_id()
        code = await self.invite(role, school_ids, municipalities=municipalities)
        await self.say(
            user_id, f"/start {code}", expect=2, first_name=first_name, last_name=last_name
        )
        return user_id

    async def say(self, user_id: int, text: str, expect: int = 1, **user: Any) -> list[dict]:
        """Send a text and wait for ``expect`` new bot messages; return them."""
        before = await self.visible(user_id)
        await self.client.send_text(user_id, text, **user)
        messages = await self.client.wait_for_messages(user_id, len(before) + expect)
        return [m for m in messages if not m.get("deleted")][len(before) :]

    async def visible(self, user_id: int) -> list[dict]:
        return [m for m in await self.client.messages(user_id) if not m.get("deleted")]


@asynccontextmanager
async def bot_under_test(
    tmp_path: Path,
    sandbox: SandboxConfig | None = None,
    clock: Clock = system_clock,
    *,
    delivery: DeliverySettings = UNPACED_DELIVERY,
    **settings: Any,
) -> AsyncIterator[BotEnv]:
    async with start_sandbox(config=sandbox or sandbox_config()) as running:
        # every wait polls the sandbox: at 5 ms rather than the client's 20 ms, a step of a
        # test ends about when the bot's reply lands
        async with SandboxClient(running.url, poll_interval=0.005) as client:
            env = BotEnv(
                tmp_path,
                running,
                client,
                make_settings(tmp_path, running.url, **settings),
                clock=clock,
                delivery=delivery,
            )
            await env.start()
            try:
                yield env
            finally:
                await env.stop()


async def open_repo(path: Path) -> tuple[Database, Repo]:
    db = await Database.open(path)
    await db.migrate()
    return db, Repo(db)


# --- steps the end-to-end tests share ---------------------------------------------------

SEPTEMBER = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)  # 11 days before the 1 October deadline


def buttons(message: dict) -> dict[str, str]:
    """The inline buttons of a message: text to callback data."""
    markup = message.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


async def press(env: BotEnv, user: int, text: str, expect: int = 1) -> list[dict]:
    """Press a button on the latest message that has it; wait for ``expect`` new or edited ones."""

    def look(message: dict) -> tuple:
        return message.get("text"), str(message.get("reply_markup"))

    before = {m["message_id"]: look(m) for m in await env.visible(user)}
    await env.client.press(user, button_text=text)

    async def changed() -> list[dict] | None:
        now = await env.visible(user)
        fresh = [
            m for m in now if m["message_id"] not in before or before[m["message_id"]] != look(m)
        ]
        return fresh if len(fresh) >= expect else None

    return await env.client.wait_for(changed, timeout=10)


async def answer(env: BotEnv, user: int, text: str) -> dict:
    """Send a text; return the bot's reply."""
    return (await env.say(user, text))[-1]


async def callback_answer(env: BotEnv, callback_id: str) -> dict | None:
    """The bot's answerCallbackQuery to the press ``callback_id``, if it has answered."""
    for item in await env.client.callback_answers():
        if item["callback_query_id"] == callback_id:
            return item
    return None


async def principal_of_new_school(
    env: BotEnv, name: str = "МБОУ «Казанская СОШ»"
) -> tuple[int, int]:
    """A school and its registered principal: (school id, the principal's Telegram id)."""
    school = await env.add_school(name, short_name=name.split("«")[1].rstrip("»"))
    user = await env.register(Role.PRINCIPAL, [school])
    return school, user


async def open_campaign(env: BotEnv, user: int, fragment: str) -> dict:
    """/submit, then the campaign whose button mentions ``fragment``; returns its first screen."""
    listing = await env.say(user, "/submit")
    title = next(t for t in buttons(listing[0]) if fragment in t)
    return (await press(env, user, title))[-1]


async def open_october(env: BotEnv, user: int) -> dict:
    return await open_campaign(env, user, "1 октября")


async def fill_may_first(env: BotEnv, user: int) -> dict:
    return await open_campaign(env, user, "1 мая")


async def forge(env: BotEnv, user: int, data: str) -> str:
    """Press a button the bot never showed this person; return the bot's answer to it."""
    latest = (await env.visible(user))[-1]
    update = await env.client.press(
        user, callback_data=data, message_id=latest["message_id"], force=True
    )

    found = await env.client.wait_for(
        lambda: callback_answer(env, update["callback_query_id"]), timeout=10
    )
    return str(found.get("text") or "")  # "" when the press was answered without a word
