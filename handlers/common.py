"""/menu, /help, /lang and /cancel: what every person can do, registered or not."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import LangCallback, MenuCallback
from bot.commands import set_person_commands
from bot.filters import IsRegistered
from bot.form_session import FormStates
from bot.i18n import N_, translate
from bot.indicators.catalog import Catalog
from bot.keyboards import language_keyboard
from bot.middlewares import show_current_question
from bot.settings import Settings
from handlers.start import show_menu, stranger_text
from storage.models import Person, Roles
from storage.repo import Repo

router = Router(name="common")

# kept across /cancel: a stranger's language choice lives in their chat state
_KEPT_KEYS = ("locale",)


@router.message(Command("menu"), IsRegistered())
async def menu(message: Message, repo: Repo, person: Person, roles: Roles) -> None:
    await show_menu(message, repo, person, roles)


def help_text(roles: Roles) -> str:
    if not roles:
        return stranger_text()
    parts = [
        _("Here is what you can do:"),
        _("/menu — the main menu"),
    ]
    if roles.principal_school_id is not None:
        parts.append(_("/submit — fill in and submit your school's indicators"))
    if roles.head_school_id is not None and not roles.coordinator:
        parts.append(_("/invite — invite a deputy who fills in and sends the school's forms"))
    if roles.coordinator or roles.curator_school_ids:
        parts.append(_("/status — who has reported and who has not"))
    if roles.coordinator:
        parts.append(_("/review — accept submissions or return them for correction"))
        parts.append(_("/export — all schools' indicators in an Excel file"))
        parts.append(_("/invite — invite a principal, a deputy, a curator or a coordinator"))
        parts.append(_("/roadmap — upload the roadmap and set dates the bot could not read"))
        parts.append(
            _("/assessments — when the analytical notes on VPR, GIA and other assessments are due")
        )
        parts.append(_("/progress — which roadmap actions are done, with evidence; the report"))
        parts.append(_("/announce — announce a seminar or a webinar and see who is coming"))
    if roles.curator_school_ids:
        parts.append(_("/consultations — publish your time, your consultations, mark them held"))
    elif roles.principal_school_id is not None:
        parts.append(_("/consultations — book a consultation with a curator, see your bookings"))
    elif roles.coordinator:
        parts.append(_("/consultations — consultations held per school against the target"))
    parts.append(_("/calendar — roadmap actions and indicator deadlines coming up"))
    parts.append(_("/charts — the indicators and the reports as charts"))
    parts.append(_("/reminders — which reminders you get and at what hour"))
    parts += [
        _("/lang — switch between Russian and English"),
        _("/cancel — stop the current step; nothing you saved is lost"),
        _("/help — this list"),
    ]
    return "\n".join(parts)


@router.message(Command("help"))
async def help_command(message: Message, roles: Roles) -> None:
    await message.answer(help_text(roles))


@router.callback_query(MenuCallback.filter(F.action == "help"), IsRegistered())
async def help_button(callback: CallbackQuery, roles: Roles) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(help_text(roles))


@router.message(Command("lang"))
async def lang_command(message: Message) -> None:
    await message.answer(_("Choose the language:"), reply_markup=language_keyboard())


@router.callback_query(MenuCallback.filter(F.action == "lang"), IsRegistered())
async def lang_button(callback: CallbackQuery) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(_("Choose the language:"), reply_markup=language_keyboard())


@router.callback_query(LangCallback.filter())
async def lang_chosen(
    callback: CallbackQuery,
    callback_data: LangCallback,
    state: FSMContext,
    repo: Repo,
    bot: Bot,
    person: Person | None,
    roles: Roles,
    catalog: Catalog,
    settings: Settings,
) -> None:
    data = {"repo": repo, "catalog": catalog, "settings": settings}
    data |= {"person": person, "roles": roles}
    code = callback_data.code
    if code not in get_i18n().available_locales:
        await callback.answer(_("This button is no longer active."), show_alert=True)
        return
    if person is not None:
        await repo.people.set_locale(person.id, code)
        person = await repo.people.get(person.id)
        assert person is not None
        await set_person_commands(bot, repo, person, roles, code)
    else:
        await state.update_data(locale=code)
    text = translate(code, N_("Language: English. You can change it any time with /lang."))
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text)
    with get_i18n().use_locale(code):  # the question on screen, now in this language
        await show_current_question(callback, state, data, locale=code)


@router.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(_("There is nothing to cancel. Use /menu or /help."))
        return
    in_form = await state.get_state() in (FormStates.answering.state, FormStates.reviewing.state)
    data = await state.get_data()
    await state.set_state(None)
    await state.set_data({key: data[key] for key in _KEPT_KEYS if key in data})
    if in_form:  # the same words as the form's own Cancel button
        await message.answer(
            _("Stopped. Your answers are saved as a draft; continue any time with /submit.")
        )
        return
    await message.answer(_("Stopped. Everything you saved before is kept. Use /menu to continue."))
