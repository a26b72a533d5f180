"""The last resort: log the failure with its context and tell the person the truth.

What they are told depends on what failed: when the database cannot write (a full disk,
a read-only file, an I/O error) their last step was not saved, and the coordinators are
warned once; any other failure leaves what was saved before this step as it was. The
person always hears something: a button too old to answer gets a message instead.
"""

from __future__ import annotations

import logging
import sqlite3

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from bot.i18n import N_, translate
from storage.reminders import ReminderRepo
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="errors")

# SQLite's words for "cannot write" (sqlite3.OperationalError carries no code before 3.11.x)
_CANNOT_WRITE = ("disk", "full", "readonly", "read-only", "i/o", "locked", "no such table")


def cannot_write(error: BaseException) -> bool:
    """The database refused a write (full disk, read-only, I/O error): not a bug to retry."""
    if not isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError):
        return False
    text = str(error).lower()
    return any(word in text for word in _CANNOT_WRITE)


@router.errors()
async def on_error(event: ErrorEvent, bot: Bot, repo: Repo) -> bool:
    update = event.update
    error = event.exception
    if isinstance(error, TelegramBadRequest) and "not modified" in str(error):
        # a button pressed twice, or a page that has not changed: the screen is already right
        log.debug("update %s: the message was already up to date", update.update_id)
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramAPIError:
                pass
        return True
    user = None
    if update.message is not None:
        user = update.message.from_user
    elif update.callback_query is not None:
        user = update.callback_query.from_user
    log.error(
        "update %s (%s) from user %s failed: %r",
        update.update_id,
        update.event_type,
        user.id if user else None,
        error,
        exc_info=error,
    )
    if cannot_write(error):
        text = _(
            "Sorry: the bot cannot save anything right now (a problem with its storage). "
            "Your last answer was NOT saved. Please try again later; what you saved "
            "before it is kept."
        )
        await _warn_coordinators(bot, repo, error)
    else:
        text = _(
            "Sorry, something went wrong on our side, and this last step may not have been "
            "saved; what you saved before it is kept. Please try again in a minute; if it "
            "happens again, /cancel and start the step anew."
        )
    await _tell(bot, update, user.id if user else None, text)
    return True


async def _tell(bot: Bot, update: object, user_id: int | None, text: str) -> None:
    callback = getattr(update, "callback_query", None)
    message = getattr(update, "message", None)
    if callback is not None:
        try:
            await callback.answer(text, show_alert=True)
            return
        except TelegramAPIError as error:  # too old to answer: say it in the chat instead
            log.info("callback answer failed (%s); telling the person in the chat", error)
    try:
        if message is not None:
            await message.answer(text)
        elif user_id is not None:
            await bot.send_message(user_id, text)
    except TelegramAPIError as error:
        log.warning("could not tell user %s about the failure: %s", user_id, error)


async def _warn_coordinators(bot: Bot, repo: Repo, error: BaseException) -> None:
    """Once until the bot restarts: a log line and a message to every coordinator (read,
    not written: the outbox cannot take it)."""
    if repo.cannot_write_reported:
        return
    repo.cannot_write_reported = True
    log.critical("the database cannot write: %s; answers are not being saved", error)
    try:
        people = await ReminderRepo(repo.db).recipients()
    except sqlite3.Error:
        return
    for person, roles in people:
        if not roles.coordinator or person.telegram_id is None:
            continue
        text = translate(
            person.locale or "ru",
            N_(
                "⚠️ The bot cannot save to its database ({error}). People's answers are not "
                "being saved. Please tell the administrator: free disk space or check the "
                "database file."
            ),
            error=str(error)[:200],
        )
        try:
            await bot.send_message(person.telegram_id, text, parse_mode=None)
        except TelegramAPIError as failure:
            log.warning("could not warn coordinator %s: %s", person.id, failure)
