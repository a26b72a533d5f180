"""/announce, a draft's audience and its sending (coordinators): roles, municipalities,
ШНОР / ШССУ and single schools with the count of whom that reaches; send now (after a
confirmation naming the count) or at a chosen time (quiet hours said), take it off the
schedule, delete it. Buttons are checked like those of ``handlers/announce.py``
(``Managed`` in ``bot/announcement_steps.py``)."""

from __future__ import annotations

import logging
from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.announcement_screens import (
    KINDS,
    WHO,
    audience_screen,
    button,
    list_screen,
    municipality_list,
    reach_line,
    school_page,
)
from bot.announcement_steps import (
    AnnounceStates,
    Composing,
    Managed,
    back_to_card,
    card_screen,
    draft_gone,
    edit,
    say,
    typed,
)
from bot.announcements.audience import Choice, territory
from bot.announcements.ready import (
    SEND_AFTER_START,
    why_not_ready,
)
from bot.announcements.when import format_moment, read_moment
from bot.callbacks import AnnounceCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.i18n import LocalizedError, Msg
from bot.keyboards import Keyboard
from bot.settings import Settings
from scheduler.announcements import AnnouncementScheduler
from scheduler.quiet import quiet_until
from storage.announcements import Announcement
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="announce_send")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())


# --- the audience -----------------------------------------------------------------------


@router.callback_query(AnnounceCallback.filter(F.action == "aud"), Managed())
async def audience_button(
    callback: CallbackQuery,
    repo: Repo,
    roles: Roles,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    await callback.answer()
    await _show_audience(callback, announcements, roles, locale, announcement.id)


async def _show_audience(
    callback: CallbackQuery,
    announcements: AnnouncementScheduler,
    roles: Roles,
    locale: str,
    announcement_id: int,
) -> None:
    repo = announcements.repo
    announcement = await repo.announcements.get(announcement_id)
    assert announcement is not None
    text, markup = await audience_screen(repo, announcements.sender, announcement, roles, locale)
    await edit(callback, text, markup)


@router.callback_query(
    AnnounceCallback.filter(F.action.in_({"who", "kind", "muni", "everyone"})), Managed()
)
async def audience_toggle(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    repo: Repo,
    roles: Roles,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    if not announcement.status.open:
        await callback.answer(
            _("It has been sent already: its audience is fixed."), show_alert=True
        )
        return
    choice = Choice.from_json(announcement.audience)
    value = callback_data.value
    if callback_data.action == "who" and value < len(WHO):
        choice = choice.toggled(role=WHO[value])
    elif callback_data.action == "kind" and value < len(KINDS):
        choice = choice.toggled(kind=KINDS[value])
    elif callback_data.action == "muni":
        names = municipality_list(await repo.schools.list(), roles)
        if value >= len(names):
            await callback.answer(
                _("The list of municipalities has changed: look again."), show_alert=True
            )
            await _show_audience(callback, announcements, roles, locale, announcement.id)
            return
        choice = choice.toggled(municipality=names[value])
    elif callback_data.action == "everyone":
        choice = Choice()
    if not await repo.announcements.update(announcement.id, audience=choice.to_json()):
        await callback.answer(
            _("It has been sent already: its audience is fixed."), show_alert=True
        )
        return
    await callback.answer()
    await _show_audience(callback, announcements, roles, locale, announcement.id)


@router.callback_query(AnnounceCallback.filter(F.action.in_({"schools", "spick"})), Managed())
async def audience_schools(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    repo: Repo,
    roles: Roles,
    announcement: Announcement,
) -> None:
    """A page of the territory's schools to pick («spick» ticks ``value``)."""
    schools = territory(roles, await repo.schools.list())
    choice = Choice.from_json(announcement.audience)
    if callback_data.action == "spick":
        if not announcement.status.open or callback_data.value not in {s.id for s in schools}:
            await callback.answer(_("This school cannot be chosen here."), show_alert=True)
            return
        choice = choice.toggled(school_id=callback_data.value)
        if not await repo.announcements.update(announcement.id, audience=choice.to_json()):
            await callback.answer(
                _("It has been sent already: its audience is fixed."), show_alert=True
            )
            return
    await callback.answer()
    text, markup = school_page(
        schools,
        set(choice.school_ids),
        callback_data.page,
        announcement_id=announcement.id,
        toggle="spick",
        turn="schools",
        done="aud",
        heading=_("<b>Single schools</b>: tick the schools whose people should get it."),
    )
    await edit(callback, text, markup)


# --- sending ------------------------------------------------------------------------------


@router.callback_query(AnnounceCallback.filter(F.action == "send"), Managed())
async def send_button(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
    announcements: AnnouncementScheduler,
) -> None:
    """Check it can go, then ask to confirm (with how many people get it)."""
    if not announcement.status.open:
        await callback.answer(_("It has been sent already."), show_alert=True)
        return
    found = await announcements.sender.reach(announcement)
    problem = why_not_ready(announcement, len(found.recipients), clock(), settings.timezone)
    if problem is not None:
        await callback.answer()
        await say(callback, "⚠️ " + problem.render(locale, html=True))
        return
    await callback.answer()
    lines = [
        _("Send «{title}» now?").format(title=escape(announcement.title)),
        reach_line(found),
    ]
    quiet_end = quiet_until(clock(), settings.quiet, settings.zone)
    if quiet_end is not None:
        lines.append(
            _("It is quiet hours now: the messages go at {time}.").format(
                time=quiet_end.astimezone(settings.zone).strftime("%H:%M")
            )
        )
    keyboard = Keyboard()
    keyboard.button(text=_("📤 Yes, send"), callback_data=button("go", announcement.id))
    keyboard.button(text=_("Back"), callback_data=button("open", announcement.id))
    keyboard.adjust(2)
    await edit(callback, "\n".join(lines), keyboard.as_markup())


@router.callback_query(AnnounceCallback.filter(F.action == "go"), Managed())
async def go_button(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    person: Person,
    announcement: Announcement,
) -> None:
    found = await announcements.sender.reach(announcement)
    problem = why_not_ready(announcement, len(found.recipients), clock(), settings.timezone)
    if not announcement.status.open or problem is not None:
        await callback.answer(
            problem.render(locale) if problem else _("It has been sent already."), show_alert=True
        )
        return
    await callback.answer()
    queued = await announcements.send_now(announcement.id, callback.from_user.id, locale)
    log.info("person %s sent announcement %s: %s queued", person.id, announcement.id, queued)
    text, markup = await card_screen(announcements, announcement.id, locale)
    await edit(callback, text, markup)


@router.callback_query(AnnounceCallback.filter(F.action == "later"), Managed())
async def later_button(
    callback: CallbackQuery, state: FSMContext, settings: Settings, announcement: Announcement
) -> None:
    if not announcement.status.open:
        await callback.answer(_("It has been sent already."), show_alert=True)
        return
    await callback.answer()
    await state.set_state(AnnounceStates.schedule)
    await state.set_data({"announcement_id": announcement.id})
    await say(
        callback,
        _(
            "When should it be sent? Write the date and time, for example «10.03.2026 10:00». "
            "Until then you can change it or cancel the sending."
        ),
    )


@router.message(StateFilter(AnnounceStates.schedule), ~F.text.startswith("/"), Composing())
async def schedule_given(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement | None,
) -> None:
    if announcement is None or not announcement.status.open:
        await draft_gone(message, state)
        return
    if not typed(message):
        await message.answer(_("Please write the date and time as text, or /cancel."))
        return
    try:
        send_at = read_moment(message.text or "", clock(), settings.zone)
    except LocalizedError as error:
        await message.answer("⚠️ " + error.render(locale, html=True))
        return
    found = await announcements.sender.reach(announcement)
    problem = why_not_ready(announcement, len(found.recipients), clock(), settings.timezone)
    if problem is None and announcement.starts_at is not None and send_at >= announcement.starts_at:
        problem = Msg(SEND_AFTER_START)
    if problem is not None:
        await message.answer("⚠️ " + problem.render(locale, html=True))
        return
    if not await repo.announcements.schedule(announcement.id, send_at):
        await draft_gone(message, state)  # it started meanwhile
        return
    await announcements.rebuild()
    moment = format_moment(send_at, settings.zone)
    note = _("✅ It will be sent on {moment}.").format(moment=moment)
    quiet_end = quiet_until(send_at, settings.quiet, settings.zone)
    if quiet_end is not None:
        note += " " + _("That is in the quiet hours: the messages go at {time}.").format(
            time=quiet_end.astimezone(settings.zone).strftime("%H:%M")
        )
    await message.answer(note)
    await back_to_card(message, state, announcements, announcement.id, locale)


@router.callback_query(AnnounceCallback.filter(F.action == "unsched"), Managed())
async def unschedule_button(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement,
) -> None:
    if not await repo.announcements.unschedule(announcement.id):
        await callback.answer(
            _("It is no longer scheduled: it may be going already."), show_alert=True
        )
    else:
        await callback.answer(_("It will not be sent on schedule; it is a draft again."))
        await announcements.rebuild()
    text, markup = await card_screen(announcements, announcement.id, locale)
    await edit(callback, text, markup)


@router.callback_query(AnnounceCallback.filter(F.action == "delete"), Managed())
async def delete_button(callback: CallbackQuery, announcement: Announcement) -> None:
    if not announcement.status.open:
        await callback.answer(_("It has been sent already and stays in the list."), show_alert=True)
        return
    await callback.answer()
    keyboard = Keyboard()
    keyboard.button(text=_("🗑 Yes, delete"), callback_data=button("del", announcement.id))
    keyboard.button(text=_("Back"), callback_data=button("open", announcement.id))
    keyboard.adjust(2)
    await edit(
        callback,
        _("Delete «{title}»? It has not been sent, and will not be.").format(
            title=escape(announcement.title)
        ),
        keyboard.as_markup(),
    )


@router.callback_query(AnnounceCallback.filter(F.action == "del"), Managed())
async def deleted_button(
    callback: CallbackQuery,
    repo: Repo,
    roles: Roles,
    settings: Settings,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement,
) -> None:
    if not await repo.announcements.cancel(announcement.id):
        await callback.answer(_("It has been sent already and stays in the list."), show_alert=True)
        return
    await callback.answer(_("Deleted."))
    await announcements.rebuild()
    text, markup = await list_screen(repo, roles, 0, settings, locale)
    await edit(callback, text, markup)
