"""The command lists Telegram shows in the menu, per role and language.

Strangers see the default list; each registered person gets a list for their own
chat (``BotCommandScopeChat``) that matches their roles and language. A key of
what was last set is kept per person, so start-up only calls Telegram for people
whose list changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import N_, SUPPORTED_LOCALES, translate
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)

_STRANGER = [
    ("start", N_("start or join with an invitation")),
    ("help", N_("what this bot does")),
    ("lang", N_("change the language")),
]
_MEMBER = [
    ("menu", N_("main menu")),
    ("help", N_("what I can do for you")),
    ("lang", N_("change the language")),
    ("cancel", N_("stop the current step")),
]
_PRINCIPAL = [("submit", N_("fill in the school's indicators"))]
_HEAD = [("invite", N_("invite a deputy"))]  # a principal who does not coordinate
_OVERSEER = [("status", N_("who has reported"))]
_COORDINATOR = [
    ("review", N_("review submissions")),
    ("export", N_("indicators to Excel")),
    ("invite", N_("invite a person")),
    ("roadmap", N_("the roadmap: upload, fix dates")),
    ("assessments", N_("assessment reports: VPR, GIA dates")),
    ("progress", N_("the roadmap's execution and report")),
    ("announce", N_("announce a seminar, see who is coming")),
]
_EVERYONE = [
    ("consultations", N_("consultations: book, hold, report")),
    ("calendar", N_("what is coming up")),
    ("charts", N_("charts of the indicators")),
    ("reminders", N_("my reminders")),
]


def command_list(roles: Roles | None) -> list[tuple[str, str]]:
    if not roles:
        return list(_STRANGER)
    commands = list(_MEMBER[:1])
    if roles.principal_school_id is not None:
        commands += _PRINCIPAL
    if roles.head_school_id is not None and not roles.coordinator:
        commands += _HEAD
    if roles.coordinator or roles.curator_school_ids:
        commands += _OVERSEER
    if roles.coordinator:
        commands += _COORDINATOR
    commands += _EVERYONE
    return commands + list(_MEMBER[1:])


def bot_commands(roles: Roles | None, locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=translate(locale, text))
        for name, text in command_list(roles)
    ]


def commands_key(roles: Roles, locale: str) -> str:
    text = "|".join(f"{c.command}={c.description}" for c in bot_commands(roles, locale))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


async def set_default_commands(bot: Bot, default_locale: str) -> None:
    await bot.set_my_commands(bot_commands(None, default_locale), BotCommandScopeDefault())
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(
            bot_commands(None, locale), BotCommandScopeDefault(), language_code=locale
        )


async def set_person_commands(
    bot: Bot, repo: Repo, person: Person, roles: Roles, locale: str, *, force: bool = False
) -> bool:
    """Set this person's list if it changed; True if Telegram was called."""
    if person.telegram_id is None:
        return False
    key = commands_key(roles, locale)
    if not force and await repo.people.commands_key(person.id) == key:
        return False
    await bot.set_my_commands(
        bot_commands(roles, locale), BotCommandScopeChat(chat_id=person.telegram_id)
    )
    await repo.people.set_commands_key(person.id, key)
    return True


async def sync_all_commands(bot: Bot, repo: Repo, default_locale: str) -> int:
    """Bring every registered person's list up to date; run in the background at start-up."""
    updated = 0
    for person, roles in await repo.people.with_telegram():
        locale = person.locale or default_locale
        for _attempt in range(3):
            try:
                updated += await set_person_commands(bot, repo, person, roles, locale)
                break
            except TelegramRetryAfter as error:
                await asyncio.sleep(error.retry_after)
            except TelegramAPIError as error:
                log.warning("commands for person %s not set: %s", person.id, error)
                break
    return updated
