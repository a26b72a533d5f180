"""The recipients' side of an announcement: «Приду» / «Не смогу» under it (changeable until
the event starts), how many of the school's staff a principal brings, and an announcement
opened from /calendar.

Who answers is always the person pressing: a button carries the announcement only, and an
answer is taken only from someone it was sent to; anything else (a forged button, one of
an announcement that was not sent to them) is refused like any stale button.
"""

from __future__ import annotations

import logging
from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.announcements.access import manages
from bot.announcements.message import announcement_text, started
from bot.callbacks import CalendarCallback, RsvpCallback
from bot.clock import Clock
from bot.filters import IsRegistered
from bot.replies import refuse_button
from bot.rsvp_buttons import rsvp_markup, staff_markup
from bot.settings import Settings
from storage.announcements import Announcement, Recipient, Status
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="rsvp")
router.message.filter(IsRegistered())
router.callback_query.filter(IsRegistered())

STAFF_MAX = 500


class RsvpStates(StatesGroup):
    staff = State()


async def _recipient(
    repo: Repo, announcement_id: int, person: Person
) -> tuple[Announcement | None, Recipient | None]:
    announcement = await repo.announcements.get(announcement_id)
    if announcement is None:
        return None, None
    return announcement, await repo.announcements.recipient(announcement_id, person.id)


def _for_principal(recipient: Recipient | None, roles: Roles) -> bool:
    """Sent to this person as the principal of a school they still lead: only they say how
    many of its staff will come."""
    return (
        recipient is not None
        and recipient.school_id is not None
        and recipient.school_id == roles.principal_school_id
    )


def _markup(
    announcement: Announcement, recipient: Recipient, locale: str, answer: tuple[str, int | None]
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup.model_validate(
        rsvp_markup(
            announcement.id,
            locale,
            answer=answer[0],
            staff=answer[1],
            principal=recipient.school_id is not None,
        )
    )


@router.callback_query(RsvpCallback.filter(F.action.in_({"yes", "no"})))
async def answer_button(
    callback: CallbackQuery,
    callback_data: RsvpCallback,
    repo: Repo,
    person: Person,
    roles: Roles,
    clock: Clock,
    locale: str,
) -> None:
    announcement, recipient = await _recipient(repo, callback_data.announcement_id, person)
    if announcement is not None and announcement.status.open and manages(roles, announcement):
        await callback.answer(
            _("This is the preview: the people you send it to will answer with these buttons."),
            show_alert=True,
        )
        return
    if announcement is None or recipient is None:
        await refuse_button(callback, person.id)
        return
    if started(announcement, clock()):
        await callback.answer(
            _("It has started already: answers are closed. Thank you!"), show_alert=True
        )
        return
    await repo.announcements.answer(announcement.id, person.id, callback_data.action)
    log.info(
        "person %s answered %s to announcement %s", person.id, callback_data.action, announcement.id
    )
    if callback_data.action == "yes":
        toast = _("Noted: you will come. You can change it until it starts.")
    else:
        toast = _("Noted: you cannot come. You can change it until it starts.")
    await callback.answer(toast)
    answer = await repo.announcements.answer_of(announcement.id, person.id)
    if isinstance(callback.message, Message) and answer is not None:
        await callback.message.edit_reply_markup(
            reply_markup=_markup(announcement, recipient, locale, answer)
        )


@router.callback_query(RsvpCallback.filter(F.action == "staff"))
async def staff_button(
    callback: CallbackQuery,
    callback_data: RsvpCallback,
    state: FSMContext,
    repo: Repo,
    person: Person,
    roles: Roles,
    clock: Clock,
) -> None:
    """A principal coming: how many of the school's staff will come (with them)?"""
    announcement, recipient = await _recipient(repo, callback_data.announcement_id, person)
    if announcement is None or not _for_principal(recipient, roles):
        await refuse_button(callback, person.id)
        return
    if started(announcement, clock()):
        await callback.answer(
            _("It has started already: answers are closed. Thank you!"), show_alert=True
        )
        return
    await callback.answer()
    await state.set_state(RsvpStates.staff)
    await state.set_data({"announcement_id": announcement.id})
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _(
                "How many of the school's staff will come to «{title}», you included? Choose "
                "or write a number."
            ).format(title=escape(announcement.title)),
            reply_markup=InlineKeyboardMarkup.model_validate(staff_markup(announcement.id)),
        )


@router.callback_query(RsvpCallback.filter(F.action == "n"))
async def staff_chosen(
    callback: CallbackQuery,
    callback_data: RsvpCallback,
    state: FSMContext,
    repo: Repo,
    person: Person,
    roles: Roles,
    clock: Clock,
) -> None:
    announcement, recipient = await _recipient(repo, callback_data.announcement_id, person)
    if (
        announcement is None
        or not _for_principal(recipient, roles)
        or not 1 <= callback_data.staff <= STAFF_MAX
    ):
        await refuse_button(callback, person.id)
        return
    if started(announcement, clock()):
        await callback.answer(
            _("It has started already: answers are closed. Thank you!"), show_alert=True
        )
        return
    await _save_staff(repo, announcement, person, callback_data.staff)
    await state.set_state(None)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_text(_staff_saved(announcement, callback_data.staff))


@router.message(StateFilter(RsvpStates.staff), F.text, ~F.text.startswith("/"))
async def staff_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    person: Person,
    roles: Roles,
    clock: Clock,
) -> None:
    data = await state.get_data()
    announcement, recipient = await _recipient(repo, int(data.get("announcement_id") or 0), person)
    if (
        announcement is None
        or not _for_principal(recipient, roles)
        or started(announcement, clock())
    ):
        await state.set_state(None)
        await message.answer(_("Answers to this announcement are closed. Thank you!"))
        return
    text = (message.text or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= STAFF_MAX:
        await message.answer(
            _("Please write a whole number from 1 to {limit}, or /cancel.").format(limit=STAFF_MAX)
        )
        return
    await _save_staff(repo, announcement, person, int(text))
    await state.set_state(None)
    await message.answer(_staff_saved(announcement, int(text)))


async def _save_staff(repo: Repo, announcement: Announcement, person: Person, staff: int) -> None:
    await repo.announcements.answer(announcement.id, person.id, "yes", staff)


def _staff_saved(announcement: Announcement, staff: int) -> str:
    return ngettext(
        "Noted: {n} of the school's staff will come to «{title}».",
        "Noted: {n} of the school's staff will come to «{title}».",
        staff,
    ).format(n=staff, title=escape(announcement.title))


@router.message(StateFilter(RsvpStates.staff))
async def staff_not_text(message: Message) -> None:
    await message.answer(_("Please write the number as text, or /cancel."))


@router.callback_query(CalendarCallback.filter(F.action == "ann"))
async def calendar_announcement(
    callback: CallbackQuery,
    callback_data: CalendarCallback,
    repo: Repo,
    person: Person,
    roles: Roles,
    settings: Settings,
    locale: str,
) -> None:
    """An announcement opened from /calendar: to a recipient with their answer's buttons,
    to a coordinator managing it as it reads."""
    announcement, recipient = await _recipient(repo, callback_data.event_id, person)
    managing = announcement is not None and manages(roles, announcement)
    if (
        announcement is None
        or announcement.status is Status.CANCELLED
        or (recipient is None and not managing)
    ):
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    text = announcement_text(announcement, settings.timezone, locale, rsvp=recipient is not None)
    markup = None
    if recipient is not None:
        answer = await repo.announcements.answer_of(announcement.id, person.id) or (None, None)
        markup = _markup(announcement, recipient, locale, answer)  # type: ignore[arg-type]
    await callback.message.answer(text, reply_markup=markup)
