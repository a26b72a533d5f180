"""/announce (coordinators): compose a seminar announcement step by step — title, when,
online with a link or in person with a place, a text (formatted in Telegram, or typed
with HTML tags, checked against Telegram's rules), a file — or forward a prepared
message; then its card: change a part, preview it as recipients will see it. A roadmap
action in /calendar can start one («📣 Announce»). The audience and the sending are in
``handlers/announce_send.py``.

Every answer is saved to the draft at once (nothing typed is lost); a step refused says
why and asks again. Every button names the announcement and is checked against the
coordinator's territory (:class:`Managed`); a forged or foreign one goes to the fallback's
refusal. What happens after sending is in ``handlers/announce_results.py``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.announcement_screens import (
    FIELDS,
    button,
    card,
    list_screen,
)
from bot.announcements.access import manages
from bot.announcements.formatting import Checked, as_plain, check_html
from bot.announcements.message import IN_PERSON, ONLINE, announcement_text, length_problem
from bot.announcements.ready import (
    ADDRESS_PROMPT,
    NEW_PROMPT,
    WHEN_PROMPT,
    read_place,
    read_title,
)
from bot.announcements.when import format_moment, read_when
from bot.callbacks import AnnounceCallback, MenuCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.i18n import LocalizedError
from bot.keyboards import Keyboard
from bot.replies import refuse_button
from bot.rsvp_buttons import rsvp_markup
from bot.settings import Settings
from handlers.roadmap import manages as manages_roadmap
from scheduler.announcements import AnnouncementScheduler
from storage.announcements import Announcement, Status
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="announce")
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


# --- the list ---------------------------------------------------------------------------


@router.message(Command("announce"))
async def announce_command(
    message: Message, state: FSMContext, repo: Repo, roles: Roles, settings: Settings, locale: str
) -> None:
    await state.set_state(None)
    text, markup = await list_screen(repo, roles, 0, settings, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "announce"))
async def announce_button(
    callback: CallbackQuery, repo: Repo, roles: Roles, settings: Settings, locale: str
) -> None:
    await callback.answer()
    text, markup = await list_screen(repo, roles, 0, settings, locale)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


@router.callback_query(AnnounceCallback.filter(F.action == "list"))
async def list_page(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    settings: Settings,
    locale: str,
) -> None:
    await callback.answer()
    await state.set_state(None)
    text, markup = await list_screen(repo, roles, callback_data.page, settings, locale)
    await edit(callback, text, markup)


# --- composing ------------------------------------------------------------------------


@router.callback_query(AnnounceCallback.filter(F.action == "new"))
async def new_button(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await state.set_state(AnnounceStates.title)
    await state.set_data({})
    await say(
        callback,
        _(NEW_PROMPT),
    )


@router.callback_query(AnnounceCallback.filter(F.action == "fromev"))
async def from_roadmap_action(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    state: FSMContext,
    repo: Repo,
    person: Person,
    roles: Roles,
    settings: Settings,
    clock: Clock,
) -> None:
    """«📣 Announce» under a roadmap action: its title and its next date are filled in."""
    event = await repo.calendar.event(callback_data.value)
    roadmap = await repo.calendar.roadmap(event.roadmap_id) if event else None
    if event is None or roadmap is None or not manages_roadmap(roles, roadmap):
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    today = clock().astimezone(settings.zone).date()
    upcoming = [o for o in await repo.calendar.occurrences(event.id) if o.ends_on >= today]
    day = max(upcoming[0].starts_on, today) if upcoming else None
    title = " ".join(event.title.split())[:200]
    announcement = await repo.announcements.create(
        person.id, _territory(roles), title, roadmap_event_id=event.id
    )
    await state.set_state(AnnounceStates.when)
    await state.set_data(
        {"announcement_id": announcement.id, "day": day.isoformat() if day else None}
    )
    if day is None:
        await say(
            callback,
            _("The title is taken from the roadmap: «{title}».").format(title=escape(title))
            + "\n\n"
            + _when_question(),
        )
        return
    await say(
        callback,
        _(
            "The title is taken from the roadmap: «{title}», and the day: {day}. Write the "
            "time it starts, for example «14:00» or «14:00–16:00», or another date and time."
        ).format(title=escape(title), day=day.strftime("%d.%m.%Y")),
    )


def _territory(roles: Roles) -> list[str] | None:
    """The author's territory kept with the announcement: None for the region."""
    return None if roles.regional else sorted(roles.municipalities)


def _when_question() -> str:
    return _(WHEN_PROMPT)


@router.message(StateFilter(AnnounceStates.title), ~F.text.startswith("/"))
async def title_given(
    message: Message,
    state: FSMContext,
    repo: Repo,
    person: Person,
    roles: Roles,
    locale: str,
    announcements: AnnouncementScheduler,
) -> None:
    data = await state.get_data()
    editing = data.get("field") == "title"
    if not editing and (not typed(message) or message.forward_origin is not None):
        # a prepared message: its text and file are kept, the title comes next
        prepared = _prepared(message)
        if prepared is None:
            await message.answer(_("Please write the title as text, or /cancel."))
            return
        await state.update_data(prepared=prepared)
        await message.answer(
            _("I have taken the text{file} from that message. Now write the event's title.").format(
                file=_(" and the file") if prepared.get("file_id") else ""
            )
        )
        return
    if not typed(message):
        await message.answer(_("Please write the title as text, or /cancel."))
        return
    try:
        title = read_title(message.text or "")
    except LocalizedError as error:
        await message.answer("⚠️ " + error.render(locale, html=True))
        return
    if editing:
        announcement_id = int(data.get("announcement_id") or 0)
        current = await repo.announcements.get(announcement_id)
        if current is None or not manages(roles, current) or not current.status.open:
            await draft_gone(message, state)
            return
        if not await repo.announcements.update(announcement_id, title=title):
            await draft_gone(message, state)  # it started meanwhile
            return
        await back_to_card(message, state, announcements, announcement_id, locale)
        return
    prepared = data.get("prepared") or {}
    fields = {}
    if prepared.get("description"):
        fields["description"] = prepared["description"]
    if prepared.get("file_id"):
        fields |= {
            "attachment_kind": prepared["kind"],
            "attachment_file_id": prepared["file_id"],
            "attachment_name": prepared.get("name"),
        }
    announcement = await repo.announcements.create(
        person.id, _territory(roles), title, fields=fields
    )
    log.info("person %s started announcement %s", person.id, announcement.id)
    await state.set_state(AnnounceStates.when)
    await state.set_data({"announcement_id": announcement.id, "prepared": prepared})
    await message.answer(_when_question() + "\n\n" + _("/cancel to stop: the draft is kept."))


def _prepared(message: Message) -> dict[str, Any] | None:
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


@router.message(StateFilter(AnnounceStates.when), ~F.text.startswith("/"), Composing())
async def when_given(
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
    if not typed(message):
        await message.answer(_("Please write the date and time as text, or /cancel."))
        return
    data = await state.get_data()
    day = date.fromisoformat(data["day"]) if data.get("day") else None
    try:
        when = read_when(message.text or "", clock(), settings.zone, day=day)
    except LocalizedError as error:
        await message.answer(
            "⚠️ "
            + error.render(locale, html=True)
            + "\n\n"
            + _("Please write it again, or /cancel.")
        )
        return
    send_at = announcement.send_at if announcement.status is Status.SCHEDULED else None
    if send_at is not None and when.starts_at <= send_at:
        await message.answer(
            "⚠️ "
            + _(
                "It is to be sent on {moment}, after this start. Write a later start, or "
                "/cancel and change the sending time first."
            ).format(moment=format_moment(send_at, settings.zone))
        )
        return
    changes = {"starts_at": when.starts_at, "ends_at": when.ends_at}
    if not await repo.announcements.update(announcement.id, **changes):
        await draft_gone(message, state)  # it started meanwhile
        return
    if data.get("field"):
        await back_to_card(message, state, announcements, announcement.id, locale)
        return
    await _ask_format(message, state, announcement.id)


async def _ask_format(
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


@router.message(StateFilter(AnnounceStates.format), ~F.text.startswith("/"), Composing())
async def format_typed(
    message: Message, state: FSMContext, announcement: Announcement | None
) -> None:
    """Typed instead of pressed: the buttons again, under this answer."""
    if announcement is None:
        await draft_gone(message, state)
        return
    question = _("Please choose with a button: online or in person. Or /cancel.")
    await _ask_format(message, state, announcement.id, question)


@router.callback_query(AnnounceCallback.filter(F.action == "format"), Managed())
async def format_chosen(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    state: FSMContext,
    repo: Repo,
    announcement: Announcement,
) -> None:
    if not announcement.status.open:
        await callback.answer(_("It has been sent already."), show_alert=True)
        return
    chosen = ONLINE if callback_data.value == 0 else IN_PERSON
    if not await repo.announcements.update(announcement.id, format=chosen):
        await callback.answer(_("It has been sent already."), show_alert=True)
        return
    await callback.answer()
    data = await state.get_data()
    await state.set_state(AnnounceStates.place)
    await state.set_data({**data, "announcement_id": announcement.id, "format": chosen})
    if chosen == ONLINE:
        question = _("Send the link to join, for example https://meet.example.ru/seminar")
    else:
        question = _(ADDRESS_PROMPT)
    await say(callback, question)


@router.message(StateFilter(AnnounceStates.place), ~F.text.startswith("/"), Composing())
async def place_given(
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
    if not typed(message):
        await message.answer(_("Please write it as text, or /cancel."))
        return
    data = await state.get_data()
    try:
        place = read_place(message.text or "", data.get("format") or announcement.format or ONLINE)
    except LocalizedError as error:
        await message.answer("⚠️ " + error.render(locale, html=True))
        return
    if not await repo.announcements.update(announcement.id, place=place):
        await draft_gone(message, state)  # it started meanwhile
        return
    if data.get("field") or (data.get("prepared") or {}).get("description"):
        # a prepared message gave the text already: the card shows what is left
        await back_to_card(message, state, announcements, announcement.id, locale)
        return
    await _ask_description(message, state, announcement.id)


async def _ask_description(message: Message, state: FSMContext, announcement_id: int) -> None:
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
    prepared = _prepared(message)
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
    await _ask_attachment(message, state, announcement)


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
    await _ask_attachment(callback.message, state, announcement)


async def _ask_attachment(message: Message, state: FSMContext, announcement: Announcement) -> None:
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
    await _ask_attachment(message, state, announcement)


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
        await _ask_attachment(callback.message, state, announcement)
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


# --- the card ---------------------------------------------------------------------------


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


@router.callback_query(AnnounceCallback.filter(F.action == "open"), Managed())
async def open_button(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    await callback.answer()
    await state.set_state(None)
    text, markup = await card_screen(announcements, announcement.id, locale)
    await edit(callback, text, markup)


@router.callback_query(AnnounceCallback.filter(F.action == "field"), Managed())
async def field_button(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    state: FSMContext,
    announcement: Announcement,
) -> None:
    if not announcement.status.open:
        await callback.answer(
            _("It has been sent already: use «✏️ Edit the text»."), show_alert=True
        )
        return
    if callback_data.value >= len(FIELDS):
        await callback.answer()
        return
    await callback.answer()
    field = FIELDS[callback_data.value]
    await state.set_data({"announcement_id": announcement.id, "field": field})
    if not isinstance(callback.message, Message):
        return
    if field == "title":
        await state.set_state(AnnounceStates.title)
        await callback.message.answer(_("Write the new title, or /cancel."))
    elif field == "when":
        await state.set_state(AnnounceStates.when)
        await callback.message.answer(_when_question())
    elif field == "place":
        await _ask_format(callback.message, state, announcement.id)
    elif field == "description":
        await _ask_description(callback.message, state, announcement.id)
    else:
        await _ask_attachment(callback.message, state, announcement)


@router.callback_query(AnnounceCallback.filter(F.action == "preview"), Managed())
async def preview_button(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    """The announcement exactly as a recipient gets it (the same text, file and buttons)."""
    await callback.answer()
    message = callback.message
    if not isinstance(message, Message) or message.bot is None:
        return
    text = announcement_text(announcement, settings.timezone, locale)
    markup = InlineKeyboardMarkup.model_validate(rsvp_markup(announcement.id, locale))
    problem = length_problem(announcement, settings.timezone)
    if problem is not None:
        await message.answer("⚠️ " + problem.render(locale, html=True))
    elif announcement.attachment_kind == "photo":
        await message.answer_photo(
            announcement.attachment_file_id or "", caption=text, reply_markup=markup
        )
    elif announcement.attachment_kind == "document":
        await message.answer_document(
            announcement.attachment_file_id or "", caption=text, reply_markup=markup
        )
    else:
        await message.answer(text, reply_markup=markup)
    text, card_markup = await card_screen(announcements, announcement.id, locale)
    await message.answer(
        _("↑ This is how recipients will see it.") + "\n\n" + text, reply_markup=card_markup
    )


# --- small helpers ----------------------------------------------------------------------


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
