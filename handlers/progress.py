"""The roadmaps' execution for coordinators (/progress): the progress of each roadmap
("исполнено 11 из 18, просрочено 3"), a roadmap's actions with their marks, an action's
parts with their answers and evidence files, the Excel report; for a roadmap's managers,
reporting points on a long action and asking again those who have not answered. Also the
evidence files themselves, sent again to whom may see them (a button, or the link in the
report).

The screens are built in :mod:`bot.calendar.execution.screens`; every button is checked
again when pressed (:class:`SeenRoadmap`, :func:`bot.calendar.execution.files.evidence_file`).
"""

from __future__ import annotations

import logging
from datetime import date
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.calendar.audience import sees_roadmap
from bot.calendar.execution.export import execution_report, report_year
from bot.calendar.execution.files import EvidenceFile, evidence_file
from bot.calendar.execution.ledger import Ledger, load_ledger
from bot.calendar.execution.screens import (
    Screen,
    action_screen,
    overview_screen,
    roadmap_screen,
)
from bot.calendar.execution.texts import POINTS_HINT, action_name
from bot.calendar.roadmap.dates import read_dates
from bot.calendar.view import long_date, shorten
from bot.callbacks import ExecutionCallback, MenuCallback
from bot.clock import Clock
from bot.filters import IsCoordinator, IsRegistered
from bot.i18n import LocalizedError
from bot.indicators.form import local_today
from bot.keyboards import screen_markup
from bot.replies import refuse_button
from bot.settings import Settings
from handlers.roadmap import manages
from scheduler.reminders import ReminderScheduler
from storage.calendar import Event, Roadmap
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="progress")

FILE_LINK = r"^file-(\d{1,18})$"  # /start file-12: the report's link to an answer's file


class PointsStates(StatesGroup):
    points = State()  # a coordinator's reporting points of an action


# --------------------------------------------------------------------------- coordinators


async def _show(target: Message | CallbackQuery, screen: Screen, *, edit: bool = False) -> None:
    message = target.message if isinstance(target, CallbackQuery) else target
    if not isinstance(message, Message):
        return
    if edit:
        await message.edit_text(screen.text, reply_markup=screen_markup(screen))
    else:
        await message.answer(screen.text, reply_markup=screen_markup(screen))


def _today(settings: Settings, clock: Clock) -> date:
    return local_today(settings.zone, clock())


@router.message(Command("progress"), IsCoordinator())
async def progress_command(
    message: Message, repo: Repo, roles: Roles, settings: Settings, clock: Clock, locale: str
) -> None:
    ledger = await load_ledger(repo)
    await _show(message, overview_screen(ledger, roles, _today(settings, clock), locale))


@router.callback_query(MenuCallback.filter(F.action == "progress"), IsCoordinator())
@router.callback_query(ExecutionCallback.filter(F.action == "list"), IsCoordinator())
async def progress_button(
    callback: CallbackQuery, repo: Repo, roles: Roles, settings: Settings, clock: Clock, locale: str
) -> None:
    await callback.answer()
    ledger = await load_ledger(repo)
    await _show(callback, overview_screen(ledger, roles, _today(settings, clock), locale))


class SeenRoadmap(Filter):
    """A coordinator's button about a roadmap (``roadmap_id``) or an action (``event_id``)
    of their territory: gives ``roadmap``, ``event`` (or None) and ``ledger``."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: ExecutionCallback, repo: Repo, roles: Roles
    ) -> bool | dict[str, Any]:
        if not roles.coordinator:
            return False
        event = (
            await repo.calendar.event(callback_data.event_id) if callback_data.event_id else None
        )
        roadmap_id = event.roadmap_id if event else callback_data.roadmap_id
        if callback_data.event_id and event is None:
            return False
        ledger = await load_ledger(repo, [roadmap_id])
        roadmap = ledger.roadmaps.get(roadmap_id)
        if roadmap is None or not sees_roadmap(roles, roadmap.municipality, ledger.schools):
            return False
        return {
            "roadmap": roadmap,
            "event": ledger.event(event.id) if event else None,
            "ledger": ledger,
        }


@router.callback_query(ExecutionCallback.filter(F.action.in_({"rm", "rmp"})), SeenRoadmap())
async def roadmap_button(
    callback: CallbackQuery,
    callback_data: ExecutionCallback,
    ledger: Ledger,
    roadmap: Roadmap,
    roles: Roles,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    await callback.answer()
    screen = roadmap_screen(
        ledger, roles, roadmap, _today(settings, clock), locale, callback_data.page
    )
    await _show(callback, screen, edit=callback_data.action == "rmp")  # a page turned in place


@router.callback_query(ExecutionCallback.filter(F.action.in_({"act", "actp"})), SeenRoadmap())
async def action_button(
    callback: CallbackQuery,
    callback_data: ExecutionCallback,
    ledger: Ledger,
    roadmap: Roadmap,
    event: Event | None,
    roles: Roles,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    if event is None:
        await refuse_button(callback)
        return
    await callback.answer()
    screen = action_screen(
        ledger,
        roles,
        event,
        _today(settings, clock),
        locale,
        settings.zone,
        callback_data.page,
        manages=manages(roles, roadmap),
    )
    await _show(callback, screen, edit=callback_data.action == "actp")


@router.callback_query(ExecutionCallback.filter(F.action == "xlsx"), SeenRoadmap())
async def report_button(
    callback: CallbackQuery,
    repo: Repo,
    roadmap: Roadmap,
    roles: Roles,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    await callback.answer()
    today = _today(settings, clock)
    year = report_year(roadmap, today)
    username = settings.bot_username or await repo.meta.get("bot_username")
    content = await execution_report(
        repo,
        roles,
        today,
        locale,
        settings.zone,
        clock(),
        year=year,
        roadmap_ids=[roadmap.id],
        bot_username=username,
    )
    if content is None or not isinstance(callback.message, Message):
        return
    name = (
        _("roadmap-execution-{year}.xlsx").format(year=year)
        if year
        else _("roadmap-execution.xlsx")
    )
    caption = _(
        "Execution of «{title}»{year}: a row per action and part with the status, the date, the "
        "evidence and the comments; totals; the history of answers."
    ).format(
        title=escape(shorten(roadmap.title, 300)),
        year=_(" in {year}").format(year=year) if year else "",
    )
    await callback.message.answer_document(
        BufferedInputFile(content, filename=name), caption=shorten(caption, 1000)
    )


@router.callback_query(ExecutionCallback.filter(F.action == "ask"), SeenRoadmap())
async def ask_button(
    callback: CallbackQuery,
    roadmap: Roadmap,
    event: Event | None,
    roles: Roles,
    reminders: ReminderScheduler,
    clock: Clock,
) -> None:
    if event is None or not manages(roles, roadmap):
        await refuse_button(callback)
        return
    queued = await reminders.confirmations.ask_again(event.id, clock())
    if queued:
        await callback.answer(
            ngettext(
                "Asked again: {n} request is on its way.",
                "Asked again: {n} requests are on their way.",
                queued,
            ).format(n=queued),
            show_alert=True,
        )
    else:
        await callback.answer(
            _("Nobody to ask now: they have answered, or were asked again today."),
            show_alert=True,
        )


@router.callback_query(ExecutionCallback.filter(F.action == "points"), SeenRoadmap())
async def points_button(
    callback: CallbackQuery,
    state: FSMContext,
    ledger: Ledger,
    roadmap: Roadmap,
    event: Event | None,
    roles: Roles,
    locale: str,
) -> None:
    if event is None or not manages(roles, roadmap):
        await refuse_button(callback)
        return
    await callback.answer()
    await state.set_state(PointsStates.points)
    await state.update_data(points_event=event.id)
    current = ledger.checkpoints.get(event.id, [])
    lines = [
        f"<b>{action_name(event, 300)}</b>",
        _("Period in the document: {period}").format(period=escape(event.period_text or "—")),
        "",
        _(POINTS_HINT),
    ]
    if current:
        lines.append(
            _("Now: {dates}.").format(dates=", ".join(long_date(day, locale) for day in current))
        )
    builder = InlineKeyboardBuilder()
    if current:
        builder.button(
            text=_("Remove the reporting points"),
            callback_data=ExecutionCallback(action="nopoints", event_id=event.id),
        )
    if isinstance(callback.message, Message):
        await callback.message.answer("\n".join(lines), reply_markup=builder.as_markup())


@router.callback_query(ExecutionCallback.filter(F.action == "nopoints"), SeenRoadmap())
async def no_points_button(
    callback: CallbackQuery,
    state: FSMContext,
    repo: Repo,
    roadmap: Roadmap,
    event: Event | None,
    roles: Roles,
    person: Person,
    reminders: ReminderScheduler,
) -> None:
    if event is None or not manages(roles, roadmap):
        await refuse_button(callback)
        return
    await callback.answer()
    await repo.execution.set_checkpoints(event.id, [], person.id)
    await reminders.rebuild()
    await state.set_state(None)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _("✅ «{title}» has no reporting points now.").format(title=action_name(event))
        )


@router.message(StateFilter(PointsStates.points), IsCoordinator(), F.text, ~F.text.startswith("/"))
async def points_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    person: Person,
    reminders: ReminderScheduler,
    locale: str,
) -> None:
    event_id = int((await state.get_data()).get("points_event") or 0)
    event = await repo.calendar.event(event_id)
    roadmap = await repo.calendar.roadmap(event.roadmap_id) if event else None
    if event is None or roadmap is None or not manages(roles, roadmap):
        await state.set_state(None)
        await message.answer(
            _(
                "This action is no longer there (the roadmap was imported again). Please use "
                "/progress."
            )
        )
        return
    try:
        spans = read_dates(message.text or "", starts_on=roadmap.starts_on, ends_on=roadmap.ends_on)
    except LocalizedError as error:
        await message.answer(
            "⚠️ "
            + error.render(locale, html=True)
            + "\n\n"
            + _("Please write the dates again, or /cancel.")
        )
        return
    days = await repo.execution.set_checkpoints(event.id, [end for _, end in spans], person.id)
    await reminders.rebuild()
    await state.set_state(None)
    await message.answer(
        _(
            "✅ Reporting points of «{title}»: {dates}. On these days the people responsible "
            "are asked how it goes."
        ).format(title=action_name(event), dates=", ".join(long_date(day, locale) for day in days))
    )


@router.message(StateFilter(PointsStates.points), ~F.text)
async def points_not_text(message: Message) -> None:
    await message.answer(_("Please write the dates as text, or /cancel."))


# --------------------------------------------------------------------------- files


async def _send_file(message: Message, found: EvidenceFile) -> None:
    try:
        if found.is_photo:
            await message.answer_photo(found.file_id, caption=found.caption)
        else:
            await message.answer_document(found.file_id, caption=found.caption)
    except TelegramAPIError as error:
        log.warning("file of answer %s not sent: %s", found.answer.id, error)
        await message.answer(
            _("Telegram could not send this file again. Please ask the school for it.")
        )


@router.callback_query(ExecutionCallback.filter(F.action == "file"), IsRegistered())
async def file_button(
    callback: CallbackQuery,
    callback_data: ExecutionCallback,
    repo: Repo,
    roles: Roles,
    person: Person,
    locale: str,
) -> None:
    found = await evidence_file(repo, roles, callback_data.item, locale)
    if found is None or not isinstance(callback.message, Message):
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    await _send_file(callback.message, found)


@router.message(CommandStart(deep_link=True, magic=F.args.regexp(FILE_LINK)))
async def file_link(
    message: Message, command: CommandObject, repo: Repo, roles: Roles, locale: str
) -> None:
    """A file's link in the Excel report: the bot sends the file to whom may see it."""
    answer_id = int((command.args or "file-0").split("-", 1)[1])
    found = await evidence_file(repo, roles, answer_id, locale) if roles else None
    if found is None:
        await message.answer(
            _(
                "This file is not available to you. Files of the roadmap report are sent to "
                "the coordinators of the territory and to the school itself."
            )
        )
        return
    await _send_file(message, found)
