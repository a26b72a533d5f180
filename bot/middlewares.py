"""Outer middlewares: handled-update guard, the current person, the locale, the flood guard."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from aiogram.utils.i18n import gettext as _

from bot.form_screens import show_question
from bot.form_session import FormStates, open_form
from bot.i18n import pick_locale
from bot.token_bucket import TokenBucket
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class HandledUpdatesMiddleware(BaseMiddleware):
    """Skip an update handled before a crash that Telegram delivers again."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        if await self.repo.handled_updates.seen(event.update_id):
            log.info("update %s was handled already; skipped", event.update_id)
            return None
        try:
            return await handler(event, data)
        finally:
            try:
                await self.repo.handled_updates.remember(event.update_id)
            except sqlite3.Error as error:  # bookkeeping: the person has had their answer
                log.warning("update %s not remembered as handled: %s", event.update_id, error)


class PersonMiddleware(BaseMiddleware):
    """Put the registered person (or None) and their roles into the handler's data."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        person: Person | None = None
        roles = Roles()
        if user is not None:
            person, roles = await self.repo.people.with_roles(user.id)
            if person is not None:
                if not person.is_active:
                    # they wrote to us, so they have unblocked the bot
                    await self.repo.people.set_active(person.id, True)
        data["person"] = person if roles else None
        data["roles"] = roles
        return await handler(event, data)


class LocaleMiddleware(I18nMiddleware):
    """The person's chosen language, else a stranger's choice kept with their chat state,
    else Telegram's language, else the program's default."""

    def __init__(self, i18n: I18n, default_locale: str) -> None:
        super().__init__(i18n)
        self.default_locale = default_locale

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        """The locale, also handed to handlers as ``locale``."""
        person: Person | None = data.get("person")
        user: User | None = data.get("event_from_user")
        stored = person.locale if person else None
        if stored is None:
            state: FSMContext | None = data.get("state")
            if state is not None:
                stored = (await state.get_data()).get("locale")
        locale = pick_locale(stored, user.language_code if user else None, self.default_locale)
        data["locale"] = locale
        return locale


class FloodGuardMiddleware(BaseMiddleware):
    """A token bucket per person: a burst is fine, hammering is slowed down politely.

    Updates beyond the bucket are dropped; the person is told once per cool-down to
    wait a moment and send again. Other people have their own buckets.
    """

    def __init__(self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic):
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: dict[int, TokenBucket] = {}
        self._warned_until: dict[int, float] = {}

    def allow(self, user_id: int) -> bool:
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = TokenBucket(self.rate, self.burst, self.clock)
        allowed = bucket.try_take()
        if len(self._buckets) > 10_000:
            self._forget_idle(self.clock())
        return allowed

    def _forget_idle(self, now: float) -> None:
        """Buckets full again are the same as new ones: forget them (memory stays bounded)."""
        for user_id, bucket in list(self._buckets.items()):
            if now - bucket.updated > bucket.full_after():
                del self._buckets[user_id]
                self._warned_until.pop(user_id, None)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or self.allow(user.id):
            return await handler(event, data)
        now = self.clock()
        log.info("flood guard: update from %s dropped", user.id)
        if self._warned_until.get(user.id, 0.0) <= now:
            self._warned_until[user.id] = now + max(5.0, self.burst / self.rate)
            text = _(
                "You are sending messages very fast. Please wait a few seconds, then send "
                "your last message again — everything before it is saved."
            )
            if isinstance(event, Message):
                await event.answer(text)
            elif isinstance(event, CallbackQuery):
                await event.answer(text, show_alert=True)
        elif isinstance(event, CallbackQuery):
            await event.answer()
        return None


class FormStillOpenMiddleware(BaseMiddleware):
    """A command typed in the middle of the indicator form (/menu, /help, /calendar…) is
    handled as a command; then the question is shown again below it, so the form stays
    visibly open and the next text answers the question the person can see."""

    # commands that leave the form or show it themselves
    PASSING = frozenset({"cancel", "submit", "start", "lang"})

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        result = await handler(event, data)
        if not isinstance(event, Message) or not (event.text or "").startswith("/"):
            return result
        command = (event.text or "/")[1:].split(maxsplit=1)[0].split("@")[0].lower()
        state: FSMContext | None = data.get("state")
        if command in self.PASSING or state is None:
            return result
        await show_current_question(event, state, data)
        return result


async def show_current_question(
    event: Message | CallbackQuery, state: FSMContext, data: dict[str, Any], locale: str = ""
) -> bool:
    """Show the question the person is answering again (after a command, or in a new
    language); False when no form is open."""
    if await state.get_state() != FormStates.answering.state:
        return False
    conversation = await state.get_data()
    saved = conversation.get("form") or {}
    form = await open_form(
        state,
        data["repo"],
        data["catalog"],
        data["settings"],
        data.get("person"),
        data.get("roles") or Roles(),
        int(saved.get("submission_id") or 0),
        locale or data.get("locale") or "ru",
        conversation,
    )
    index = int(saved.get("step", -1))
    if form is None or not 0 <= index < len(form.steps):
        return False
    note = _("You are still answering this question: answer it below, or press Cancel.")
    await show_question(form, event, index, note="↩️ " + note)
    return True
