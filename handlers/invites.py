"""Coordinators invite people in chat: choose the role, the school(s) (and a deputy's
position), get a one-time link. A principal invites their own deputies in
``handlers/deputies.py``."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import InviteRoleCallback, InviteSchoolCallback, MenuCallback
from bot.clock import Clock, from_db
from bot.filters import IsCoordinator
from bot.keyboards import invite_roles, municipality_picker, school_picker
from bot.people.acting import DEFAULT_POSITION, MAX_POSITION, clean_position
from bot.people.invitations import DEFAULT_EXPIRES_DAYS, create_invitation, deep_link
from bot.replies import refuse_button
from bot.roles_text import role_name
from bot.settings import Settings
from storage.models import Invitation, Person, Role, Roles, School
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="invites")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())


class InviteForm(StatesGroup):
    role = State()
    schools = State()
    municipality = State()
    position = State()  # a deputy's position, typed or the usual one


async def bot_username(repo: Repo, settings: Settings) -> str | None:
    return settings.bot_username or await repo.meta.get("bot_username")


@router.message(Command("invite"))
async def invite_command(message: Message, state: FSMContext, roles: Roles) -> None:
    await state.set_state(InviteForm.role)
    await message.answer(_("Whom are you inviting?"), reply_markup=invite_roles(roles.regional))


@router.callback_query(MenuCallback.filter(F.action == "invite"))
async def invite_button(callback: CallbackQuery, state: FSMContext, roles: Roles) -> None:
    await callback.answer()
    await state.set_state(InviteForm.role)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _("Whom are you inviting?"), reply_markup=invite_roles(roles.regional)
        )


@router.callback_query(InviteRoleCallback.filter())
async def role_chosen(
    callback: CallbackQuery,
    callback_data: InviteRoleCallback,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    roles: Roles,
) -> None:
    if callback_data.role in (Role.COORDINATOR, "municipal") and not roles.regional:
        await refuse_button(callback, person.id)  # only a regional coordinator invites them
        return
    if callback_data.role == "municipal":
        municipalities = await repo.schools.municipalities()
        if not municipalities:
            await callback.answer(_("There are no schools yet."), show_alert=True)
            return
        await callback.answer()
        await state.set_state(InviteForm.municipality)
        await state.update_data(invite_municipalities=municipalities)
        await _reply(
            callback,
            _("Which municipality will the coordinator coordinate?"),
            municipality_picker(municipalities),
        )
        return
    try:
        role = Role(callback_data.role)
    except ValueError:
        await callback.answer(_("This button is no longer active."), show_alert=True)
        return
    await callback.answer()
    if role is Role.COORDINATOR:
        await _create(callback, state, repo, settings, clock, person, role, [])
        return
    schools = [school for school in await repo.schools.list() if roles.coordinates(school)]
    if not schools:
        await state.set_state(None)
        await _reply(
            callback,
            _(
                "There are no schools yet. Load the register of schools first: "
                "<code>python -m bot import schools FILE.xlsx</code>."
            ),
        )
        return
    await state.set_state(InviteForm.schools)
    await state.update_data(invite_role=role.value, invite_schools=[])
    prompts = {
        Role.PRINCIPAL: _("Choose the principal's school:"),
        Role.DEPUTY: _("Choose the deputy's school:"),
    }
    prompt = prompts.get(role) or _("Choose the curator's schools, then press Done:")
    await _reply(callback, prompt, school_picker(schools, set(), 0, role is Role.CURATOR))


@router.callback_query(InviteSchoolCallback.filter(F.action == "cancel"))
async def invite_cancel(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await state.set_state(None)
    await _reply(callback, _("The invitation was not created."))


@router.callback_query(InviteSchoolCallback.filter(F.action == "muni"), InviteForm.municipality)
async def municipality_chosen(
    callback: CallbackQuery,
    callback_data: InviteSchoolCallback,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
) -> None:
    listed = (await state.get_data()).get("invite_municipalities") or []
    if not 0 <= callback_data.page < len(listed):
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    municipality = str(listed[callback_data.page])
    await _create(
        callback, state, repo, settings, clock, person, Role.COORDINATOR, [], [municipality]
    )


class InviteDraft(Filter):
    """The invitation being made (from the conversation): gives ``role`` and the schools
    ``selected`` so far, and the register as ``schools``."""

    async def __call__(
        self, callback: CallbackQuery, state: FSMContext, repo: Repo, roles: Roles
    ) -> dict[str, Any]:
        data = await state.get_data()
        return {
            "role": Role(data["invite_role"]),
            "selected": set(data.get("invite_schools", [])),
            # the coordinator's territory only: a forged id from elsewhere is "not found"
            "schools": [s for s in await repo.schools.list() if roles.coordinates(s)],
        }


@router.callback_query(
    InviteSchoolCallback.filter(F.action == "pick"), InviteForm.schools, InviteDraft()
)
async def school_picked(
    callback: CallbackQuery,
    callback_data: InviteSchoolCallback,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    role: Role,
    selected: set[int],
    schools: list[School],
) -> None:
    if callback_data.school_id not in {school.id for school in schools}:
        log.warning("invite: unknown school %s from %s", callback_data.school_id, person.id)
        await callback.answer(_("This school is not in the register."), show_alert=True)
        return
    await callback.answer()
    if role is Role.PRINCIPAL:
        await _create(
            callback, state, repo, settings, clock, person, role, [callback_data.school_id]
        )
        return
    if role is Role.DEPUTY:
        await state.set_state(InviteForm.position)
        await state.update_data(invite_schools=[callback_data.school_id])
        await _reply(callback, position_prompt(), position_keyboard())
        return
    selected ^= {callback_data.school_id}
    await state.update_data(invite_schools=sorted(selected))
    await _picker_page(callback, schools, selected, callback_data.page, role)


@router.callback_query(
    InviteSchoolCallback.filter(F.action == "page"), InviteForm.schools, InviteDraft()
)
async def schools_page(
    callback: CallbackQuery,
    callback_data: InviteSchoolCallback,
    role: Role,
    selected: set[int],
    schools: list[School],
) -> None:
    await callback.answer()
    await _picker_page(callback, schools, selected, callback_data.page, role)


@router.callback_query(
    InviteSchoolCallback.filter(F.action == "done"), InviteForm.schools, InviteDraft()
)
async def schools_done(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    role: Role,
    selected: set[int],
    schools: list[School],
) -> None:
    chosen = sorted(selected & {school.id for school in schools})
    if not chosen:
        await callback.answer(_("Choose at least one school."), show_alert=True)
        return
    await callback.answer()
    await _create(callback, state, repo, settings, clock, person, role, chosen)


async def _picker_page(
    callback: CallbackQuery, schools: list[School], selected: set[int], page: int, role: Role
) -> None:
    if isinstance(callback.message, Message):
        markup = school_picker(schools, selected, page, role is Role.CURATOR)
        await callback.message.edit_reply_markup(reply_markup=markup)


def position_prompt() -> str:
    return _(
        "What is the deputy's position? Type it (for example, <i>deputy principal for "
        "educational work</i>) or press the button."
    )


def position_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_(DEFAULT_POSITION), callback_data=InviteSchoolCallback(action="position"))
    builder.button(text=_("Cancel"), callback_data=InviteSchoolCallback(action="cancel"))
    builder.adjust(1)
    return builder.as_markup()


async def _deputy_school(state: FSMContext, repo: Repo, roles: Roles) -> int | None:
    """The school chosen for the deputy, if it is still in the coordinator's territory."""
    chosen = (await state.get_data()).get("invite_schools") or []
    school = await repo.schools.get(int(chosen[0])) if chosen else None
    return school.id if school is not None and roles.coordinates(school) else None


@router.callback_query(InviteSchoolCallback.filter(F.action == "position"), InviteForm.position)
async def usual_position_chosen(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    roles: Roles,
) -> None:
    school_id = await _deputy_school(state, repo, roles)
    if school_id is None:
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    position = _(DEFAULT_POSITION)
    await _create(
        callback, state, repo, settings, clock, person, Role.DEPUTY, [school_id], None, position
    )


@router.message(StateFilter(InviteForm.position), F.text)
async def position_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    roles: Roles,
) -> None:
    position = clean_position(message.text or "")
    if position is None:
        await message.answer(position_refused(), reply_markup=position_keyboard())
        return
    school_id = await _deputy_school(state, repo, roles)
    await state.set_state(None)
    if school_id is None:
        await message.answer(_("This action is not available to you. Please use /menu."))
        return
    code, invitation = await create_invitation(
        repo,
        Role.DEPUTY,
        [school_id],
        created_by=person.id,
        now=clock(),
        position=position,
    )
    log.info("person %s created invitation %s (deputy)", person.id, invitation.id)
    await message.answer(await ready_text(repo, settings, code, invitation))


@router.message(StateFilter(InviteForm.position))
async def position_not_text(message: Message) -> None:
    await message.answer(position_refused(), reply_markup=position_keyboard())


def position_refused() -> str:
    return _(
        "That does not read as a position: please type it in words, up to {limit} "
        "characters, or press the button."
    ).format(limit=MAX_POSITION)


@router.callback_query(InviteSchoolCallback.filter())
async def stale_school_button(callback: CallbackQuery) -> None:
    await callback.answer(_("This choice is finished. Start again with /invite."), show_alert=True)


async def _create(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    person: Person,
    role: Role,
    school_ids: list[int],
    municipalities: list[str] | None = None,
    position: str | None = None,
) -> None:
    await state.set_state(None)
    await state.set_data({})
    code, invitation = await create_invitation(
        repo,
        role,
        school_ids,
        expires_days=DEFAULT_EXPIRES_DAYS,
        created_by=person.id,
        now=clock(),
        municipalities=municipalities or (),
        position=position,
    )
    log.info("person %s created invitation %s (%s)", person.id, invitation.id, role)
    await _reply(callback, await ready_text(repo, settings, code, invitation))


async def ready_text(repo: Repo, settings: Settings, code: str, invitation: Invitation) -> str:
    """The invitation made: for whom, where, until when, and the link to pass on."""
    schools = await repo.schools.list(list(invitation.school_ids)) if invitation.school_ids else []
    names = ", ".join(escape(school.display_name) for school in schools)
    expires = from_db(invitation.expires_at).astimezone(settings.zone).strftime("%d.%m.%Y")
    link = deep_link(code, await bot_username(repo, settings))
    lines = [_("Invitation for a {role} is ready.").format(role=role_name(invitation.role))]
    if invitation.municipalities:
        lines.append(
            _("Municipal coordinator of: {municipalities}").format(
                municipalities=escape(", ".join(invitation.municipalities))
            )
        )
    if invitation.position:
        lines.append(_("Position: {position}").format(position=escape(invitation.position)))
    if names:
        lines.append(_("Schools: {schools}").format(schools=names))
    lines += [
        _("Valid until {date}; it works once.").format(date=expires),
        "",
        _("Send this link to the person:"),
        f"<code>{escape(link)}</code>",
    ]
    return "\n".join(lines)


async def _reply(
    callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the message with the buttons pressed; a message too old to edit gets a new one."""
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)
    elif callback.bot is not None:
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
