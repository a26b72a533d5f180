"""The last resort: log the failure with its context and reassure the person."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

log = logging.getLogger(__name__)
router = Router(name="errors")


@router.errors()
async def on_error(event: ErrorEvent) -> bool:
    update = event.update
    if isinstance(event.exception, TelegramBadRequest) and "not modified" in str(event.exception):
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
        event.exception,
        exc_info=event.exception,
    )
    text = _(
        "Sorry, something went wrong on our side. Everything you entered is saved. "
        "Please try again in a minute; if it happens again, /cancel and start the step anew."
    )
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message is not None:
            await update.message.answer(text)
    except TelegramAPIError as error:
        log.warning("could not tell user about the failure: %s", error)
    return True
