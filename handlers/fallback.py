"""The last router: whatever no feature handled gets a polite way forward."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.replies import refuse_button
from handlers.start import stranger_text
from storage.models import Person

log = logging.getLogger(__name__)
router = Router(name="fallback")


def _kind(message: Message) -> str:
    kinds = [
        (message.photo, _("photos")),
        (message.sticker, _("stickers")),
        (message.voice or message.audio, _("voice messages and audio")),
        (message.video or message.video_note or message.animation, _("videos")),
        (message.document, _("files")),
        (message.location or message.venue, _("locations")),
        (message.contact, _("contacts")),
        (message.poll, _("polls")),
    ]
    for present, name in kinds:
        if present:
            return name
    return _("this kind of message")


@router.message(F.text)
async def unknown_text(message: Message, person: Person | None) -> None:
    if person is None:
        await message.answer(stranger_text())
        return
    await message.answer(
        _("I did not understand that. Please choose an action in /menu or see /help.")
    )


@router.message()
async def unexpected_content(message: Message, person: Person | None) -> None:
    if person is None:
        await message.answer(stranger_text())
        return
    await message.answer(
        _(
            "Thank you, but I cannot use {kind} here. Please choose an action in /menu "
            "or see /help."
        ).format(kind=_kind(message))
    )


@router.callback_query()
async def stale_button(callback: CallbackQuery, person: Person | None) -> None:
    """A button from an old message, for a role the person no longer has, or forged data."""
    await refuse_button(callback, person.id if person else None)
