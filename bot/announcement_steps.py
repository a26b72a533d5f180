"""The steps of composing an announcement (``handlers/announce*.py``): the states, the
filters that give a button or a step its announcement (checked against the coordinator's
territory on every use), the questions the steps ask with their buttons, and the card a
finished step returns to. Like ``bot/form_screens.py`` for the indicator form."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.announcement_screens import button, card
from bot.announcements.access import manages
from bot.announcements.formatting import as_plain, check_html
from bot.announcements.ready import WHEN_PROMPT
from bot.callbacks import AnnounceCallback
from bot.i18n import LocalizedError
from bot.keyboards import Keyboard
from scheduler.announcements import AnnouncementScheduler
from storage.announcements import Announcement
from storage.models import Roles
from storage.repo import Repo

# entities Telegram adds by itself: a text with only these has no formatting of its own
AUTOMATIC = frozenset(
    {"url", "email", "mention", "hashtag", "cashtag", "bot_command", "phone_number"}
)


class AnnounceStates(StatesGroup):
    title = State()
    when = State()
    format = State()
    place = State()
    description = State()
    attachment = State()
    schedule = State()


class Managed(Filter):
    """A button about an announcement the coordinator manages: gives ``announcement``."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: AnnounceCallback, repo: Repo, roles: Roles
    ) -> bool | dict[str, Any]:
        announcement = await repo.announcements.get(callback_data.announcement_id)
        if announcement is None or not manages(roles, announcement):
            return False
        return {"announcement": announcement}


class Composing(Filter):
    """A message in a step of composing: gives the draft it belongs to (a draft the
    coordinator still manages and that is not sent yet), else the step ends politely."""

    async def __call__(
        self, message: Message, state: FSMContext, repo: Repo, roles: Roles
    ) -> bool | dict[str, Any]:
        data = await state.get_data()
        announcement = await repo.announcements.get(int(data.get("announcement_id") or 0))
        if announcement is None or not manages(roles, announcement):
            return {"announcement": None}
        return {"announcement": announcement}


def typed(message: Message) -> bool:
    return bool(message.text) and not (message.text or "").startswith("/")


def when_question() -> str:
    return _(WHEN_PROMPT)


async def ask_format(
    message: Message, state: FSMContext, announcement_id: int, question: str = ""
) -> None:
    await state.set_state(AnnounceStates.format)
    keyboard = Keyboard()
    keyboard.button(text=_("💻 Online"), callback_data=button("format", announcement_id, value=0))
    keyboard.button(
        text=_("📍 In person"), callback_data=button("format", announcement_id, value=1)
    )
    keyboard.adjust(2)
    await message.answer(
        question or _("How will it take place?"), reply_markup=keyboard.as_markup()
    )


async def ask_description(message: Message, state: FSMContext, announcement_id: int) -> None:
    await state.set_state(AnnounceStates.description)
    keyboard = Keyboard()
    keyboard.button(
        text=_("Without a text"), callback_data=button("skip", announcement_id, value=3)
    )
    await message.answer(
        _(
            "Write the text of the announcement: the programme, the speakers, what to prepare. "
            "Formatting made in Telegram (bold, italics, links) is kept; tags such as "
            "&lt;b&gt; typed by hand are checked. You can also forward a prepared message."
        ),
        reply_markup=keyboard.as_markup(),
    )


async def ask_attachment(message: Message, state: FSMContext, announcement: Announcement) -> None:
    await state.set_state(AnnounceStates.attachment)
    keyboard = Keyboard()
    keyboard.button(
        text=_("Without a file"), callback_data=button("skip", announcement.id, value=4)
    )
    if announcement.attachment_file_id:
        keyboard.button(text=_("Remove the file"), callback_data=button("nofile", announcement.id))
    keyboard.adjust(1)
    await message.answer(
        _(
            "Attach a file if there is one: the programme (PDF, Word) or an image. It goes "
            "with the announcement, the text as its caption."
        ),
        reply_markup=keyboard.as_markup(),
    )


async def back_to_card(
    message: Message,
    state: FSMContext,
    announcements: AnnouncementScheduler,
    announcement_id: int,
    locale: str,
) -> None:
    """The step is done: the card of the draft as a new message."""
    await state.set_state(None)
    await state.set_data({})
    text, markup = await card_screen(announcements, announcement_id, locale)
    await message.answer(text, reply_markup=markup)


async def card_screen(
    announcements: AnnouncementScheduler, announcement_id: int, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    repo = announcements.repo
    announcement = await repo.announcements.get(announcement_id)
    assert announcement is not None
    return await card(
        repo,
        announcements.sender,
        announcement,
        announcements.settings,
        announcements.clock(),
        locale,
    )


async def draft_gone(message: Message, state: FSMContext) -> None:
    await state.set_state(None)
    await message.answer(
        _("This announcement is no longer a draft you can change. Please look at /announce.")
    )


async def say(callback: CallbackQuery, text: str) -> None:
    if isinstance(callback.message, Message):
        await callback.message.answer(text)


async def edit(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    if isinstance(callback.message, Message):
        if callback.message.text is None:  # a file's caption (the preview): a new message
            await callback.message.answer(text, reply_markup=markup)
        else:
            await callback.message.edit_text(text, reply_markup=markup)


def prepared_parts(message: Message) -> dict[str, Any] | None:
    """The text (as HTML) and the file of a forwarded or captioned message."""
    found: dict[str, Any] = {}
    if message.text or message.caption:
        text = message.html_text
        try:
            found["description"] = check_html(text).html
        except LocalizedError:
            found["description"] = as_plain(message.text or message.caption or "").html
    if message.document is not None:
        found |= {
            "kind": "document",
            "file_id": message.document.file_id,
            "name": message.document.file_name or "",
        }
    elif message.photo:
        found |= {"kind": "photo", "file_id": message.photo[-1].file_id, "name": "photo"}
    return found or None
