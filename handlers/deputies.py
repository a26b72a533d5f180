"""A principal's deputies: invite one (the position, then a one-time link), see the
deputies and the invitations not used yet, revoke either.

A deputy acts for the school as the principal does (the form, reminders, notices: see
``Roles.principal_school_id``), but only the principal reaches this router
(:class:`bot.filters.IsSchoolHead`); every button is checked against the principal's own
school when pressed. Coordinators invite deputies from ``handlers/invites.py``.
"""

from __future__ import annotations

import logging
from html import escape

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import DeputyCallback, MenuCallback
from bot.clock import Clock, from_db
from bot.commands import set_person_commands
from bot.deputy_notices import notify_deputy_revoked
from bot.filters import IsSchoolHead
from bot.people.acting import DEFAULT_POSITION, clean_position, short_name, signature
from bot.people.invitations import create_invitation
from bot.replies import refuse_button
from bot.settings import Settings
from handlers.invites import position_prompt, position_refused, ready_text
from storage.models import Actor, Person, Role, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="deputies")
router.message.filter(IsSchoolHead())
router.callback_query.filter(IsSchoolHead())


class DeputyForm(StatesGroup):
    position = State()  # "Another position" pressed: a typed text is the new deputy's position


class NotACommand(Filter):
    """A typed text that is not a command (a command typed meanwhile goes to its router)."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.text) and not (message.text or "").startswith("/")


@router.message(Command("invite"))
async def invite_command(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    school_id: int,
    locale: str,
) -> None:
    await _end_position(state)
    text, markup = await deputies_screen(repo, settings, school_id, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "deputies"))
async def deputies_button(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    school_id: int,
    locale: str,
) -> None:
    await callback.answer()
    await _end_position(state)
    text, markup = await deputies_screen(repo, settings, school_id, locale)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


async def deputies_screen(
    repo: Repo, settings: Settings, school_id: int, locale: str, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The school's deputies and unused invitations, with the buttons to revoke them, and
    the question that starts a new invitation."""
    school = await repo.schools.get(school_id)
    deputies = await repo.people.deputies_of(school_id)
    pending = await repo.invitations.pending_deputies(school_id)
    lines = []
    if note:
        lines += [note, ""]
    lines += [
        _("<b>Deputies: {school}</b>").format(school=escape(school.display_name if school else "")),
        _(
            "A deputy fills in and sends the school's forms on its behalf, as you do, and gets "
            "its reminders and the coordinator's decisions; the history shows who did what."
        ),
        "",
    ]
    if deputies:
        lines += [f"• {escape(signature(Actor(d, Role.DEPUTY), locale))}" for d in deputies]
    else:
        lines.append(_("No deputies yet."))
    if pending:
        lines += ["", _("Invitations not used yet:")]
        for invitation in pending:
            until = from_db(invitation.expires_at).astimezone(settings.zone).strftime("%d.%m.%Y")
            lines.append(
                _("• {position}, valid until {date}").format(
                    position=escape(invitation.position or ""), date=until
                )
            )
    lines += [
        "",
        _(
            "To invite a deputy, press the button with their position, or «Another position» "
            "to type it."
        ),
    ]
    builder = InlineKeyboardBuilder()
    builder.button(text=_(DEFAULT_POSITION), callback_data=DeputyCallback(action="position"))
    builder.button(text=_("✏️ Another position"), callback_data=DeputyCallback(action="other"))
    for deputy in deputies:
        builder.button(
            text=_("❌ Revoke: {name}").format(name=short_name(deputy.full_name)),
            callback_data=DeputyCallback(action="revoke", person_id=deputy.id),
        )
    for invitation in pending:
        builder.button(
            text=_("❌ Withdraw the invitation: {position}").format(
                position=invitation.position or ""
            ),
            callback_data=DeputyCallback(action="withdraw", invitation_id=invitation.id),
        )
    builder.button(text=_("Close"), callback_data=DeputyCallback(action="cancel"))
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


# --- a new invitation ---------------------------------------------------------------------


@router.callback_query(DeputyCallback.filter(F.action == "position"))
async def usual_position(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    school_id: int,
) -> None:
    await callback.answer()
    text = await _invite(state, repo, settings, clock, person, school_id, _(DEFAULT_POSITION))
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text)


@router.callback_query(DeputyCallback.filter(F.action == "other"))
async def other_position(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await state.set_state(DeputyForm.position)
    builder = InlineKeyboardBuilder()
    builder.button(text=_(DEFAULT_POSITION), callback_data=DeputyCallback(action="position"))
    builder.button(text=_("Cancel"), callback_data=DeputyCallback(action="cancel"))
    builder.adjust(1)
    if isinstance(callback.message, Message):
        await callback.message.answer(position_prompt(), reply_markup=builder.as_markup())


@router.message(StateFilter(DeputyForm.position), NotACommand())
async def position_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    school_id: int,
) -> None:
    position = clean_position(message.text or "")
    if position is None:
        await message.answer(position_refused())
        return
    await message.answer(await _invite(state, repo, settings, clock, person, school_id, position))


async def _invite(
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    school_id: int,
    position: str,
) -> str:
    await state.set_state(None)
    code, invitation = await create_invitation(
        repo, Role.DEPUTY, [school_id], created_by=person.id, now=clock(), position=position
    )
    log.info("principal %s invited a deputy (invitation %s)", person.id, invitation.id)
    text = await ready_text(repo, settings, code, invitation)
    return text + "\n\n" + _("You will be told when they join; /invite shows your deputies.")


@router.message(StateFilter(DeputyForm.position), ~F.text)
async def position_not_text(message: Message) -> None:
    await message.answer(position_refused())


# --- revoking -----------------------------------------------------------------------------


@router.callback_query(DeputyCallback.filter(F.action == "revoke"))
async def revoke_asked(
    callback: CallbackQuery,
    callback_data: DeputyCallback,
    repo: Repo,
    person: Person,
    school_id: int,
    locale: str,
) -> None:
    deputy = await _deputy(repo, school_id, callback_data.person_id)
    if deputy is None:
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, revoke"),
        callback_data=DeputyCallback(action="revoked", person_id=deputy.id),
    )
    builder.button(text=_("No"), callback_data=DeputyCallback(action="list"))
    builder.adjust(2)
    text = _(
        "Revoke the access of {deputy}? They will no longer fill in, send or see the "
        "school's forms. Their answers so far stay, with their name in the history."
    ).format(deputy=escape(signature(Actor(deputy, Role.DEPUTY), locale)))
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=builder.as_markup())


@router.callback_query(DeputyCallback.filter(F.action == "revoked"))
async def revoke_confirmed(
    callback: CallbackQuery,
    callback_data: DeputyCallback,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    bot: Bot,
    person: Person,
    school_id: int,
    locale: str,
) -> None:
    deputy = await _deputy(repo, school_id, callback_data.person_id)
    if deputy is None or not await repo.people.revoke_deputy(school_id, deputy.id):
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    log.info("principal %s revoked deputy %s of school %s", person.id, deputy.id, school_id)
    school = await repo.schools.get(school_id)
    await notify_deputy_revoked(repo, deputy, school.display_name if school else "", repo.db.now())
    await _refresh_commands(bot, repo, deputy, settings)
    name = escape(short_name(deputy.full_name))
    note = "✅ " + _("Access revoked: {deputy}.").format(deputy=name)
    await _show_list(callback, state, repo, settings, school_id, locale, note)


@router.callback_query(DeputyCallback.filter(F.action == "withdraw"))
async def withdraw_invitation(
    callback: CallbackQuery,
    callback_data: DeputyCallback,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    person: Person,
    school_id: int,
    locale: str,
) -> None:
    invitation = await repo.invitations.get(callback_data.invitation_id)
    if (
        invitation is None
        or invitation.role is not Role.DEPUTY
        or invitation.school_ids != (school_id,)
        or not await repo.invitations.revoke(invitation.id)
    ):
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    note = "✅ " + _("The invitation is withdrawn: its link no longer works.")
    await _show_list(callback, state, repo, settings, school_id, locale, note)


@router.callback_query(DeputyCallback.filter(F.action == "list"))
async def back_to_list(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    school_id: int,
    locale: str,
) -> None:
    await callback.answer()
    await _show_list(callback, state, repo, settings, school_id, locale)


@router.callback_query(DeputyCallback.filter(F.action == "cancel"))
async def close(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await _end_position(state)
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)


async def _show_list(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    school_id: int,
    locale: str,
    note: str | None = None,
) -> None:
    await _end_position(state)
    text, markup = await deputies_screen(repo, settings, school_id, locale, note)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


async def _end_position(state: FSMContext) -> None:
    """Typed text is a position only right after "Another position"."""
    if await state.get_state() == DeputyForm.position.state:
        await state.set_state(None)


async def _deputy(repo: Repo, school_id: int, person_id: int) -> Person | None:
    """The school's deputy with this id; None for anyone else (a forged or stale button)."""
    return next((d for d in await repo.people.deputies_of(school_id) if d.id == person_id), None)


async def _refresh_commands(bot: Bot, repo: Repo, person: Person, settings: Settings) -> None:
    """The former deputy's command menu without /submit (best effort: the bot refuses them
    anyway)."""
    roles: Roles = await repo.people.roles(person.id)
    try:
        await set_person_commands(
            bot, repo, person, roles, person.locale or settings.default_locale
        )
    except TelegramAPIError as error:
        log.warning("commands of former deputy %s not updated: %s", person.id, error)
