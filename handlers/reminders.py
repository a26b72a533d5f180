"""/reminders: a person sees and changes their own reminder preferences.

Which kinds reach them depends on their roles (principals: before a deadline, a missed
deadline, roadmap actions; curators and coordinators: the daily digest of overdue schools,
roadmap actions). Each kind can be turned off and on; the hour can be any hour outside
the quiet hours, or the program's default. Every change is saved at once and the
scheduler's job list is rebuilt from the database.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import MenuCallback, ReminderCallback
from bot.filters import IsRegistered
from bot.replies import refuse_button
from bot.settings import Settings
from scheduler.reminders import ReminderScheduler, allowed_hours
from storage.calendar import ReminderPrefs
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="reminders")
router.message.filter(IsRegistered())
router.callback_query.filter(IsRegistered())

HOURS_PER_ROW = 4


def reminder_kinds(roles: Roles) -> list[str]:
    """The kinds of reminders that reach a person with these roles, in a fixed order."""
    kinds = []
    if roles.principal_school_id is not None:
        kinds.append("deadline")
    if roles:
        kinds += ["overdue", "event"]
    return kinds


def kind_name(kind: str, roles: Roles) -> str:
    principal = roles.principal_school_id is not None
    overseer = roles.coordinator or bool(roles.curator_school_ids)
    if kind == "deadline":
        return _("before indicator deadlines")
    if kind == "overdue":
        if principal and overseer:
            return _(
                "missed deadlines: notices and the digest of overdue schools (daily for two "
                "weeks after a deadline, then weekly; for coordinators, with the progress chart)"
            )
        if principal:
            return _("a missed deadline of your school")
        return _(
            "the digest of overdue schools (daily for two weeks after a deadline, then weekly; "
            "for coordinators, with the progress chart)"
        )
    return _("roadmap actions: before they start and end")


def hour_text(hour: int) -> str:
    return f"{hour:02d}:00"


def prefs_text(prefs: ReminderPrefs, roles: Roles, settings: Settings) -> str:
    lines = [_("<b>Your reminders</b>"), ""]
    for kind in reminder_kinds(roles):
        if kind in prefs.muted:
            lines.append(_("🔕 {kind}: off").format(kind=kind_name(kind, roles)))
        else:
            lines.append(_("🔔 {kind}: on").format(kind=kind_name(kind, roles)))
    lines.append("")
    if prefs.hour is None:
        lines.append(
            _("Reminders come at {hour} (the program's usual hour).").format(
                hour=hour_text(settings.reminder_hour)
            )
        )
    else:
        lines.append(
            _("Reminders come at {hour} (your choice).").format(hour=hour_text(prefs.hour))
        )
    quiet = settings.quiet
    if quiet is None:
        lines.append(_("There are no quiet hours."))
    else:
        lines.append(
            _("Quiet hours: {start}–{end}, nothing is sent then.").format(
                start=quiet[0].strftime("%H:%M"), end=quiet[1].strftime("%H:%M")
            )
        )
    lines.append(_("Times are in the program's time zone ({zone}).").format(zone=settings.timezone))
    return "\n".join(lines)


def prefs_keyboard(prefs: ReminderPrefs, roles: Roles, settings: Settings) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in reminder_kinds(roles):
        name = kind_name(kind, roles)
        if kind in prefs.muted:
            text = _("🔔 Turn on: {kind}").format(kind=name)
        else:
            text = _("🔕 Turn off: {kind}").format(kind=name)
        builder.button(text=text, callback_data=ReminderCallback(action="toggle", kind=kind))
    builder.button(text=_("🕙 Change the hour"), callback_data=ReminderCallback(action="hours"))
    if prefs.hour is not None:
        builder.button(
            text=_("Back to the usual hour ({hour})").format(
                hour=hour_text(settings.reminder_hour)
            ),
            callback_data=ReminderCallback(action="default"),
        )
    builder.adjust(1)
    return builder.as_markup()


def hours_keyboard(prefs: ReminderPrefs, settings: Settings) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    current = prefs.hour_or(settings.reminder_hour)
    hours = allowed_hours(settings)
    for hour in hours:
        mark = "✅ " if hour == current else ""
        builder.button(
            text=f"{mark}{hour_text(hour)}",
            callback_data=ReminderCallback(action="hour", hour=hour),
        )
    builder.button(text=_("◀️ Back"), callback_data=ReminderCallback(action="show"))
    rows = [HOURS_PER_ROW] * (-(-len(hours) // HOURS_PER_ROW))
    builder.adjust(*rows, 1)
    return builder.as_markup()


@router.message(Command("reminders"))
async def reminders_command(
    message: Message, repo: Repo, settings: Settings, person: Person, roles: Roles
) -> None:
    prefs = await repo.calendar.prefs(person.id)
    await message.answer(
        prefs_text(prefs, roles, settings), reply_markup=prefs_keyboard(prefs, roles, settings)
    )


@router.callback_query(MenuCallback.filter(F.action == "reminders"))
async def reminders_button(
    callback: CallbackQuery, repo: Repo, settings: Settings, person: Person, roles: Roles
) -> None:
    await callback.answer()
    prefs = await repo.calendar.prefs(person.id)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            prefs_text(prefs, roles, settings), reply_markup=prefs_keyboard(prefs, roles, settings)
        )


@router.callback_query(ReminderCallback.filter(F.action == "hours"))
async def hours_button(
    callback: CallbackQuery, repo: Repo, settings: Settings, person: Person
) -> None:
    await callback.answer()
    prefs = await repo.calendar.prefs(person.id)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(
            _(
                "At what hour should reminders come? These are the hours outside the quiet "
                "hours, in the program's time zone ({zone})."
            ).format(zone=settings.timezone),
            reply_markup=hours_keyboard(prefs, settings),
        )


@router.callback_query(ReminderCallback.filter(F.action == "show"))
async def show_button(
    callback: CallbackQuery, repo: Repo, settings: Settings, person: Person, roles: Roles
) -> None:
    await callback.answer()
    await _show(callback, repo, settings, person, roles, done=None)


@router.callback_query(ReminderCallback.filter(F.action == "toggle"))
async def toggle_button(
    callback: CallbackQuery,
    callback_data: ReminderCallback,
    repo: Repo,
    settings: Settings,
    reminders: ReminderScheduler,
    person: Person,
    roles: Roles,
) -> None:
    kind = callback_data.kind
    if kind not in reminder_kinds(roles):
        await refuse_button(callback, person.id)
        return
    muted = kind not in (await repo.calendar.prefs(person.id)).muted
    await repo.calendar.set_muted(person.id, kind, muted)
    name = kind_name(kind, roles)
    done = (_("Turned off: {kind}.") if muted else _("Turned on: {kind}.")).format(kind=name)
    await _changed(callback, repo, settings, reminders, person, roles, done)


@router.callback_query(ReminderCallback.filter(F.action == "hour"))
async def hour_button(
    callback: CallbackQuery,
    callback_data: ReminderCallback,
    repo: Repo,
    settings: Settings,
    reminders: ReminderScheduler,
    person: Person,
    roles: Roles,
) -> None:
    if callback_data.hour not in allowed_hours(settings):
        await refuse_button(callback, person.id)
        return
    await repo.calendar.set_hour(person.id, callback_data.hour)
    done = _("Reminders will come at {hour}.").format(hour=hour_text(callback_data.hour))
    await _changed(callback, repo, settings, reminders, person, roles, done)


@router.callback_query(ReminderCallback.filter(F.action == "default"))
async def default_hour_button(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    reminders: ReminderScheduler,
    person: Person,
    roles: Roles,
) -> None:
    await repo.calendar.set_hour(person.id, None)
    done = _("Reminders will come at the usual hour, {hour}.").format(
        hour=hour_text(settings.reminder_hour)
    )
    await _changed(callback, repo, settings, reminders, person, roles, done)


async def _changed(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    reminders: ReminderScheduler,
    person: Person,
    roles: Roles,
    done: str,
) -> None:
    """A preference changed: the job list follows, the screen says what changed."""
    await reminders.preferences_changed(person.id)
    log.info("person %s changed reminder preferences", person.id)
    await callback.answer()
    await _show(callback, repo, settings, person, roles, done=done)


async def _show(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    person: Person,
    roles: Roles,
    *,
    done: str | None,
) -> None:
    prefs = await repo.calendar.prefs(person.id)
    text = prefs_text(prefs, roles, settings)
    if done is not None:
        text = f"✅ {done}\n\n{text}"
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=prefs_keyboard(prefs, roles, settings))
