"""/start: the welcome, registration through an invitation, and the main menu."""

from __future__ import annotations

import logging
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock, from_db
from bot.commands import set_person_commands
from bot.deputy_notices import notify_deputy_joined
from bot.keyboards import main_menu
from bot.people.invitations import CodeProblem, check_code, invitation_problem
from bot.people.names import clean_full_name, telegram_full_name
from bot.roles_text import describe_roles, role_name
from bot.settings import Settings
from storage.models import Invitation, Person, Role, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="start")


class Registration(StatesGroup):
    full_name = State()


async def show_menu(message: Message, repo: Repo, person: Person, roles: Roles) -> None:
    schools = {s.id: s for s in await repo.schools.list()}
    lines = "\n".join(f"• {escape(line)}" for line in describe_roles(roles, schools))
    await message.answer(
        _("<b>{name}</b>, you are:\n{roles}\n\nChoose an action:").format(
            name=escape(person.full_name), roles=lines
        ),
        reply_markup=main_menu(roles),
    )


def _refusal(problem: CodeProblem, invitation: Invitation | None, settings: Settings) -> str:
    if problem is CodeProblem.USED:
        return _(
            "This invitation has already been used: each invitation works only once. "
            "Please ask your coordinator for a new one."
        )
    if problem is CodeProblem.EXPIRED and invitation is not None:
        expired = from_db(invitation.expires_at).astimezone(settings.zone)
        return _(
            "This invitation expired on {date}. Please ask your coordinator for a new one."
        ).format(date=expired.strftime("%d.%m.%Y"))
    if problem is CodeProblem.REVOKED:
        return _("This invitation has been withdrawn. Please ask your coordinator for a new one.")
    return _(
        "I do not recognise this invitation code. Please open the link exactly as you "
        "received it, or ask your coordinator for a new invitation."
    )


@router.message(CommandStart(deep_link=True))
async def start_with_code(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    bot: Bot,
    person: Person | None,
    roles: Roles,
    clock: Clock,
    locale: str,
) -> None:
    assert message.from_user is not None
    code = (command.args or "").strip()
    check = await check_code(repo, code, clock())
    if not check.ok:
        assert check.problem is not None
        if (
            person is not None
            and check.invitation is not None
            and check.invitation.used_by == person.id
        ):
            await message.answer(_("You have already joined with this invitation."))
            await show_menu(message, repo, person, roles)
            return
        log.info("refused invitation code from %s: %s", message.from_user.id, check.problem)
        await message.answer(_refusal(check.problem, check.invitation, settings))
        return
    invitation = check.invitation
    assert invitation is not None
    if invitation.role is Role.DEPUTY and roles.head_school_id is not None:
        # accepting it would make nobody the principal: the link is for their deputy
        await message.answer(
            _(
                "You are a school's principal, and this is an invitation for a deputy. "
                "Please pass the link on to your deputy: it still works."
            )
        )
        return
    name = None
    if person is None and invitation.person_id is None:
        name = telegram_full_name(message.from_user.first_name, message.from_user.last_name)
        if name is None:
            await state.set_state(Registration.full_name)
            await state.update_data(invitation_id=invitation.id)
            await message.answer(
                _(
                    "Welcome! You are invited as {role}.\n\n"
                    "Please type your full name as colleagues know it, for example: "
                    "<i>Ivanova Maria Petrovna</i>."
                ).format(role=role_name(invitation.role))
            )
            return
    await _finish(message, state, repo, settings, bot, clock, locale, invitation.id, name)


@router.message(StateFilter(Registration.full_name), F.text)
async def registration_name(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    bot: Bot,
    clock: Clock,
    locale: str,
) -> None:
    name = clean_full_name(message.text or "")
    if name is None:
        await message.answer(
            _(
                "That does not look like a full name. Please type your surname, first name "
                "and patronymic in letters, for example: <i>Ivanova Maria Petrovna</i>."
            )
        )
        return
    invitation_id = (await state.get_data()).get("invitation_id")
    if invitation_id is None:
        await state.set_state(None)
        await message.answer(_("Please open your invitation link again to continue."))
        return
    await _finish(message, state, repo, settings, bot, clock, locale, int(invitation_id), name)


@router.message(StateFilter(Registration.full_name))
async def registration_name_not_text(message: Message) -> None:
    await message.answer(
        _("Please type your full name as text, for example: <i>Ivanova Maria Petrovna</i>.")
    )


async def _finish(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    bot: Bot,
    clock: Clock,
    locale: str,
    invitation_id: int,
    full_name: str | None,
) -> None:
    assert message.from_user is not None
    user = message.from_user
    person_id = await repo.invitations.accept(
        invitation_id, user.id, user.username, full_name, locale
    )
    await state.set_state(None)
    await state.set_data({})
    if person_id is None:
        invitation = await repo.invitations.get(invitation_id)
        problem = CodeProblem.UNKNOWN
        if invitation is not None:
            problem = invitation_problem(invitation, clock()) or CodeProblem.USED
        await message.answer(_refusal(problem, invitation, settings))
        return
    person = await repo.people.get(person_id)
    assert person is not None
    roles = await repo.people.roles(person_id)
    log.info("person %s registered through invitation %s", person_id, invitation_id)
    thanks = _("Thank you, {name}! You are registered.").format(name=escape(person.full_name))
    invitation = await repo.invitations.get(invitation_id)
    deputy = invitation is not None and invitation.role is Role.DEPUTY and roles.deputy
    if deputy:
        thanks += "\n\n" + _(
            "As a deputy you fill in and send your school's forms on its behalf (/submit), "
            "and get its reminders and the coordinator's decisions. The history shows who "
            "did what."
        )
    await message.answer(thanks)
    if deputy and invitation is not None:
        await notify_deputy_joined(repo, invitation, person)
    await set_person_commands(bot, repo, person, roles, person.locale or locale, force=True)
    await show_menu(message, repo, person, roles)


@router.message(CommandStart())
async def start_plain(message: Message, repo: Repo, person: Person | None, roles: Roles) -> None:
    if person is None:
        await message.answer(stranger_text())
        return
    await show_menu(message, repo, person, roles)


def stranger_text() -> str:
    return _(
        "Hello! This bot serves the program supporting schools with low educational results "
        "and schools in unfavourable social conditions: each school's responsible people (its "
        "principal and deputies) report its indicators, curators arrange consultations, "
        "coordinators send "
        "announcements and collect reports.\n\n"
        "The bot works by invitation. If you take part in the program, please ask your "
        "municipal or regional coordinator for an invitation link and open it."
    )
