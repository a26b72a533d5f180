"""/announce (coordinators): the list of announcements, and composing one step by step —
the title (or a prepared message forwarded first), when, online with a link or in person
with a place; then its card: change a part, preview it as recipients will see it. A
roadmap action in /calendar can start one («📣 Announce»). The text and the file are in
``handlers/announce_text.py``, the audience and the sending in ``handlers/announce_send.py``,
what happens after sending in ``handlers/announce_results.py``.

Every answer is saved to the draft at once (nothing typed is lost); a step refused says
why and asks again. Every button names the announcement and is checked against the
coordinator's territory (``Managed`` in ``bot/announcement_steps.py``); a forged or foreign
one goes to the fallback's refusal.
"""

from __future__ import annotations

import logging
from datetime import date
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.announcement_screens import (
    FIELDS,
    list_screen,
)
from bot.announcement_steps import (
    AnnounceStates,
    Composing,
    Managed,
    ask_attachment,
    ask_description,
    ask_format,
    back_to_card,
    card_screen,
    draft_gone,
    edit,
    prepared_parts,
    say,
    typed,
    when_question,
)
from bot.announcements.access import manages
from bot.announcements.message import IN_PERSON, ONLINE, announcement_text, length_problem
from bot.announcements.ready import (
    ADDRESS_PROMPT,
    NEW_PROMPT,
    read_place,
    read_title,
)
from bot.announcements.when import format_moment, read_when
from bot.callbacks import AnnounceCallback, MenuCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.i18n import LocalizedError
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
            + when_question(),
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
        prepared = prepared_parts(message)
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
    await message.answer(when_question() + "\n\n" + _("/cancel to stop: the draft is kept."))


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
    await ask_format(message, state, announcement.id)


@router.message(StateFilter(AnnounceStates.format), ~F.text.startswith("/"), Composing())
async def format_typed(
    message: Message, state: FSMContext, announcement: Announcement | None
) -> None:
    """Typed instead of pressed: the buttons again, under this answer."""
    if announcement is None:
        await draft_gone(message, state)
        return
    question = _("Please choose with a button: online or in person. Or /cancel.")
    await ask_format(message, state, announcement.id, question)


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
    await ask_description(message, state, announcement.id)


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
        await callback.message.answer(when_question())
    elif field == "place":
        await ask_format(callback.message, state, announcement.id)
    elif field == "description":
        await ask_description(callback.message, state, announcement.id)
    else:
        await ask_attachment(callback.message, state, announcement)


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
