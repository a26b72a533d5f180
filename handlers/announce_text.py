"""The text and the file of an announcement being composed (coordinators): the text as
formatted in Telegram or typed with tags (checked against Telegram's rules, with a way to
take it without formatting), a programme or a picture attached, or none. The steps and
their checks are in ``bot/announcement_steps.py``."""

from __future__ import annotations

import logging
from dataclasses import replace
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.announcement_screens import (
    button,
)
from bot.announcement_steps import (
    AUTOMATIC,
    AnnounceStates,
    Composing,
    Managed,
    ask_attachment,
    back_to_card,
    draft_gone,
    prepared_parts,
)
from bot.announcements.formatting import Checked, as_plain, check_html
from bot.announcements.message import length_problem
from bot.callbacks import AnnounceCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.i18n import LocalizedError
from bot.keyboards import Keyboard
from bot.settings import Settings
from scheduler.announcements import AnnouncementScheduler
from storage.announcements import Announcement
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="announce_text")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())

MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download and send again
FILE_TYPES = (
    ".pdf",
    ".doc",
    ".docx",
    ".ppt",
    ".pptx",
    ".xls",
    ".xlsx",
    ".odt",
    ".jpg",
    ".jpeg",
    ".png",
)


@router.message(StateFilter(AnnounceStates.description), Composing())
async def description_given(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement | None,
    announcements: AnnouncementScheduler,
) -> None:
    if message.text and message.text.startswith("/"):
        return  # a command no router took: the fallback would not help here either
    if announcement is None or not announcement.status.open:
        await draft_gone(message, state)
        return
    prepared = prepared_parts(message)
    if prepared is None or not prepared.get("description"):
        await message.answer(
            _("Please write the text, or forward a message with text. Or /cancel.")
        )
        return
    checked = await _checked_description(message, state, locale)
    if checked is None:
        return
    changes: dict[str, Any] = {"description": checked.html}
    if prepared.get("file_id") and not announcement.attachment_file_id:
        changes |= {
            "attachment_kind": prepared["kind"],
            "attachment_file_id": prepared["file_id"],
            "attachment_name": prepared.get("name"),
        }
    if not await _save_description(message, repo, announcement, changes, settings, locale):
        return
    data = await state.get_data()
    if data.get("field") or announcement.attachment_file_id or "attachment_file_id" in changes:
        await back_to_card(message, state, announcements, announcement.id, locale)
        return
    await ask_attachment(message, state, announcement)


async def _checked_description(message: Message, state: FSMContext, locale: str) -> Checked | None:
    """The text as Telegram HTML; None after saying what is wrong with hand-typed tags
    (the text waits in the conversation for «send without formatting»)."""
    raw = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    if any(entity.type not in AUTOMATIC for entity in entities):
        source = message.html_text  # formatted in Telegram: valid by construction
    elif "<" in raw or "&" in raw:
        source = raw  # tags typed by hand
    else:
        return as_plain(raw)
    try:
        return check_html(source)
    except LocalizedError as error:
        await state.update_data(raw=raw)
        keyboard = Keyboard()
        data = await state.get_data()
        keyboard.button(
            text=_("Send it without formatting"),
            callback_data=button("plain", int(data.get("announcement_id") or 0)),
        )
        await message.answer(
            "⚠️ "
            + _("Telegram would not accept this text: {problem}").format(
                problem=error.render(locale, html=True)
            )
            + "\n\n"
            + _("Correct it and send it again, or use it as it is, without formatting."),
            reply_markup=keyboard.as_markup(),
        )
        return None


async def _save_description(
    message: Message,
    repo: Repo,
    announcement: Announcement,
    changes: dict[str, Any],
    settings: Settings,
    locale: str,
) -> bool:
    """Save the text unless the whole would not fit one Telegram message (then say by how
    much, and keep asking)."""
    candidate = replace(announcement, **changes)
    problem = length_problem(candidate, settings.timezone)
    if problem is not None:
        await message.answer("⚠️ " + problem.render(locale, html=True))
        return False
    if not await repo.announcements.update(announcement.id, **changes):
        await message.answer(
            _("This announcement is no longer a draft you can change. Please look at /announce.")
        )
        return False
    return True


@router.callback_query(AnnounceCallback.filter(F.action == "plain"), Managed())
async def plain_button(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    raw = (await state.get_data()).get("raw")
    if not raw or not announcement.status.open:
        await callback.answer(
            _("This text is no longer waiting: please send it again."), show_alert=True
        )
        return
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    changes = {"description": as_plain(raw).html}
    if not await _save_description(callback.message, repo, announcement, changes, settings, locale):
        return
    await state.update_data(raw=None)
    data = await state.get_data()
    if data.get("field") or announcement.attachment_file_id:
        await back_to_card(callback.message, state, announcements, announcement.id, locale)
        return
    await ask_attachment(callback.message, state, announcement)


@router.message(StateFilter(AnnounceStates.attachment), F.document | F.photo, Composing())
async def attachment_given(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement | None,
    announcements: AnnouncementScheduler,
) -> None:
    if announcement is None or not announcement.status.open:
        await draft_gone(message, state)
        return
    if message.document is not None:
        name = message.document.file_name or ""
        if not name.lower().endswith(FILE_TYPES):
            await message.answer(
                _(
                    "«{name}» is not a document people can open everywhere. Please send a PDF, "
                    "a Word or PowerPoint file or an image, or press «Without a file»."
                ).format(name=escape(name or "?"))
            )
            return
        if (message.document.file_size or 0) > MAX_FILE_BYTES:
            await message.answer(
                _("The file is larger than {limit} MB. Please send a smaller one.").format(
                    limit=MAX_FILE_BYTES // 1024 // 1024
                )
            )
            return
        changes = {
            "attachment_kind": "document",
            "attachment_file_id": message.document.file_id,
            "attachment_name": name,
        }
    else:
        assert message.photo
        changes = {
            "attachment_kind": "photo",
            "attachment_file_id": message.photo[-1].file_id,
            "attachment_name": _("a picture"),
        }
    if not await _save_description(message, repo, announcement, changes, settings, locale):
        await message.answer(
            _(
                "The file is not attached. Shorten the text (press «✏️ Text» on the card) and "
                "send the file again, or send the announcement without it."
            )
        )
        await back_to_card(message, state, announcements, announcement.id, locale)
        return
    await back_to_card(message, state, announcements, announcement.id, locale)


@router.message(StateFilter(AnnounceStates.attachment), ~F.text.startswith("/"), Composing())
async def attachment_not_a_file(
    message: Message, state: FSMContext, announcement: Announcement | None
) -> None:
    """Not a file: said, and the question again with its buttons."""
    if announcement is None:
        await draft_gone(message, state)
        return
    await message.answer(_("Please send a file or a picture, or press «Without a file»."))
    await ask_attachment(message, state, announcement)


@router.callback_query(AnnounceCallback.filter(F.action == "skip"), Managed())
async def skip_button(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if callback_data.value == 3 and not (await state.get_data()).get("field"):
        await ask_attachment(callback.message, state, announcement)
        return
    await back_to_card(callback.message, state, announcements, announcement.id, locale)


@router.callback_query(AnnounceCallback.filter(F.action == "nofile"), Managed())
async def no_file_button(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    removed = await repo.announcements.update(
        announcement.id, attachment_kind=None, attachment_file_id=None, attachment_name=None
    )
    if not removed:
        await callback.answer(_("It has been sent already."), show_alert=True)
        return
    await callback.answer()
    if isinstance(callback.message, Message):
        await back_to_card(callback.message, state, announcements, announcement.id, locale)
