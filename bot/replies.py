"""Small reply helpers shared by the feature routers."""

from __future__ import annotations

import logging

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

log = logging.getLogger(__name__)


async def refuse_button(callback: CallbackQuery, person_id: int | None = None) -> None:
    """A stale or forged button, or one for a role the person does not have: log it and
    tell the person politely; never act on it."""
    log.warning(
        "refused callback %r from %s (person %s)", callback.data, callback.from_user.id, person_id
    )
    await callback.answer(
        _("This button is no longer active or not available to you. Please use /menu."),
        show_alert=True,
    )
