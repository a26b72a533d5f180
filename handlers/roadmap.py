"""/roadmap (coordinators): the imported roadmaps, uploading one as an .xlsx file, and
setting in chat the dates of the rows whose period the bot could not read.

Every message and button checks the coordinator role again; a file is refused politely
(wrong type, too large, broken, no roadmap table) and the bot keeps waiting for a good
one. After an import or a date fix the reminder jobs are rebuilt from the database.
"""

from __future__ import annotations

import asyncio
import logging
from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.calendar.audience import sees_roadmap
from bot.calendar.execution.parts import manages_roadmap
from bot.calendar.roadmap.dates import read_dates
from bot.calendar.roadmap.reading import import_roadmap
from bot.calendar.roadmap.reading import read_roadmap as read_roadmap_file
from bot.calendar.roadmap.reasons import describe_reason
from bot.calendar.roadmap.rendering import unmapped_lines
from bot.calendar.roadmap.sheet import RoadmapError, RoadmapSheet
from bot.calendar.view import DATES_HINT, UPLOAD_HINT, format_span
from bot.callbacks import ExecutionCallback, MenuCallback, RoadmapCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.i18n import LocalizedError
from bot.indicators.form import local_today
from bot.keyboards import pager, paginate
from bot.settings import Settings
from scheduler.reminders import ReminderScheduler
from storage.calendar import Event, Roadmap
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="roadmap")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())

MAX_FILE_BYTES = 10 * 1024 * 1024
ROWS_PER_PAGE = 8
TITLE_IN_LIST = 80


class RoadmapStates(StatesGroup):
    waiting_file = State()
    dates = State()


def _short(text: str, limit: int = TITLE_IN_LIST) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _reason(event: Event, locale: str) -> str:
    return describe_reason(event.reason).render(locale, html=True)


# --- /roadmap -------------------------------------------------------------------------------


def manages(roles: Roles, roadmap: Roadmap) -> bool:
    """A regional coordinator manages every roadmap; a municipal one their municipality's."""
    return manages_roadmap(roles, roadmap.municipality)


def upload_territory(roles: Roles) -> str | None:
    """Whose roadmap an upload is: the region's (a regional coordinator) or the municipal
    coordinator's municipality (the first by name when they coordinate several)."""
    return None if roles.regional else sorted(roles.municipalities)[0]


@router.message(Command("roadmap"))
async def roadmap_command(message: Message, state: FSMContext, repo: Repo, roles: Roles) -> None:
    text, markup = await overview(repo, roles)
    await state.set_state(RoadmapStates.waiting_file)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "roadmap"))
async def roadmap_button(
    callback: CallbackQuery, state: FSMContext, repo: Repo, roles: Roles
) -> None:
    await callback.answer()
    text, markup = await overview(repo, roles)
    await state.set_state(RoadmapStates.waiting_file)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


async def overview(repo: Repo, roles: Roles) -> tuple[str, InlineKeyboardMarkup]:
    """The roadmaps of the coordinator's territory with their counts (dates can be set in
    the ones they manage), and the request for a file."""
    schools = {school.id: school for school in await repo.schools.list()}
    roadmaps = [
        roadmap
        for roadmap in await repo.calendar.roadmaps()
        if sees_roadmap(roles, roadmap.municipality, schools)
    ]
    builder = InlineKeyboardBuilder()
    if not roadmaps:
        lines = [_("<b>Roadmaps</b>"), "", _("No roadmap has been imported yet.")]
    else:
        lines = [_("<b>Roadmaps</b>"), ""]
        for roadmap in roadmaps:
            actions = len(await repo.calendar.events(roadmap.id))
            unreadable = len(await repo.calendar.unreadable(roadmap.id))
            where = escape(roadmap.municipality or _("the region"))
            line = (
                f"• <b>{escape(_short(roadmap.title))}</b> ({_years(roadmap)}, {where}): "
                + ngettext("{n} action", "{n} actions", actions).format(n=actions)
            )
            if unreadable and manages(roles, roadmap):
                line += ", " + ngettext(
                    "{n} without dates", "{n} without dates", unreadable
                ).format(n=unreadable)
                builder.button(
                    text=_("📅 Set dates ({n}): {title}").format(
                        n=unreadable, title=_short(roadmap.title, 30)
                    ),
                    callback_data=RoadmapCallback(action="list", roadmap_id=roadmap.id),
                )
            lines.append(line)
    if roadmaps:
        builder.button(
            text=_("📋 Progress and the report"), callback_data=ExecutionCallback(action="list")
        )
    builder.button(text=_("📤 Upload a roadmap"), callback_data=RoadmapCallback(action="upload"))
    lines += [
        "",
        _(UPLOAD_HINT),
    ]
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


def _years(roadmap: Roadmap) -> str:
    first, last = roadmap.starts_on.year, roadmap.ends_on.year
    return str(first) if first == last else f"{first}–{last}"


# --- the file -------------------------------------------------------------------------------


@router.message(StateFilter(RoadmapStates.waiting_file), F.document)
async def roadmap_file(
    message: Message,
    state: FSMContext,
    repo: Repo,
    settings: Settings,
    bot: Bot,
    reminders: ReminderScheduler,
    person: Person,
    roles: Roles,
    clock: Clock,
    locale: str,
) -> None:
    document = message.document
    assert document is not None
    name = document.file_name or ""
    again = _("Please send the roadmap as an Excel file (.xlsx), or /cancel.")
    if name.lower().endswith(".xls"):
        await message.answer(
            _(
                "«{name}» is in the old Excel format (.xls). Please open it in Excel, save it "
                "as an Excel workbook (.xlsx) and send it again."
            ).format(name=escape(name))
        )
        return
    if not name.lower().endswith(".xlsx"):
        await message.answer(
            _("«{name}» is not an Excel file.").format(name=escape(name or "?")) + " " + again
        )
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await message.answer(
            _(
                "The file is too large ({size} MB): a roadmap fits within {limit} MB. Please "
                "remove pictures or other sheets and send it again."
            ).format(
                size=f"{(document.file_size or 0) / 1024 / 1024:.1f}",
                limit=MAX_FILE_BYTES // 1024 // 1024,
            )
        )
        return
    try:
        downloaded = await bot.download(document)
    except (TelegramAPIError, OSError, TimeoutError) as error:
        log.warning("roadmap file %r not downloaded: %s", name, error)
        await message.answer(_("I could not download the file. Please send it again."))
        return
    assert downloaded is not None
    content = downloaded.read()
    today = local_today(settings.zone, clock())
    try:
        sheet = await asyncio.to_thread(read_roadmap_file, content, today=today, name=name)
    except RoadmapError as error:
        await message.answer("⚠️ " + error.render(locale, html=True) + "\n\n" + again)
        return
    except Exception:  # a damaged workbook can fail deep inside openpyxl
        log.exception("roadmap file %r could not be read", name)
        await message.answer(
            _("I could not read «{name}» as an Excel workbook.").format(name=escape(name))
            + " "
            + again
        )
        return
    roadmap_id = await import_roadmap(
        repo, sheet, source=name, person_id=person.id, municipality=upload_territory(roles)
    )
    await reminders.rebuild()
    await state.set_state(None)
    log.info("person %s imported roadmap %s from %r", person.id, roadmap_id, name)
    await message.answer(import_summary(sheet, locale))
    text, markup = await unreadable_page(repo, roadmap_id, 0, locale)
    await message.answer(text, reply_markup=markup)


@router.message(StateFilter(RoadmapStates.waiting_file), ~F.text.startswith("/"))
async def roadmap_not_a_file(message: Message) -> None:
    await message.answer(_("Please send the roadmap as an Excel file (.xlsx), or /cancel."))


UNMAPPED_SHOWN = 10  # rows with «Ответственные» the bot cannot map, named in the summary


def import_summary(sheet: RoadmapSheet, locale: str) -> str:
    counts = sheet.counts()
    years = (
        str(sheet.starts_on.year)
        if sheet.starts_on.year == sheet.ends_on.year
        else f"{sheet.starts_on.year}–{sheet.ends_on.year}"
    )
    kinds = [
        (_("date ranges"), counts.get("range", 0) + counts.get("ranges", 0)),
        (_("deadlines"), counts.get("deadline", 0)),
        (_("recurring"), counts.get("recurring", 0)),
        (_("no fixed date"), counts.get("no_fixed_date", 0)),
        (_("could not be read"), counts.get("unreadable", 0)),
    ]
    lines = [
        _("✅ Roadmap imported: <b>{title}</b> ({years}).").format(
            title=escape(_short(sheet.title, 200)), years=years
        ),
        ngettext("{n} action", "{n} actions", len(sheet.rows)).format(n=len(sheet.rows))
        + " · "
        + ngettext("{n} section", "{n} sections", len(sheet.sections)).format(
            n=len(sheet.sections)
        ),
        _("Periods read as: {kinds}.").format(
            kinds=", ".join(f"{name} {count}" for name, count in kinds if count)
        ),
        _("The actions are in /calendar and reminders follow them."),
    ]
    # «Ответственные» it cannot map: shown to the coordinator, never guessed
    unmapped = unmapped_lines(sheet, locale, UNMAPPED_SHOWN)
    if unmapped:
        lines += ["", *(escape(line) for line in unmapped)]
    return "\n".join(lines)


async def unreadable_page(
    repo: Repo, roadmap_id: int, page: int, locale: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    roadmap = await repo.calendar.roadmap(roadmap_id)
    title = escape(_short(roadmap.title)) if roadmap else ""
    rows = await repo.calendar.unreadable(roadmap_id)
    if not rows:
        return _("Every action of «{title}» has dates or needs none.").format(title=title), None
    shown, page, pages = paginate(rows, page, ROWS_PER_PAGE)
    lines = [
        ngettext(
            "<b>{n} row of «{title}» has a period I could not read.</b>",
            "<b>{n} rows of «{title}» have a period I could not read.</b>",
            len(rows),
        ).format(n=len(rows), title=title),
        _("Set their dates so that they appear in the calendar and reminders follow them."),
    ]
    if pages > 1:
        lines.append(_("Page {page} of {pages}").format(page=page + 1, pages=pages))
    lines.append("")
    builder = InlineKeyboardBuilder()
    for event in shown:
        lines.append(
            _("• Row {row}: {title} — «{period}»: {reason}").format(
                row=event.row_no,
                title=escape(_short(event.title, 60)),
                period=escape(event.period_text),
                reason=_reason(event, locale),
            )
        )
        builder.button(
            text=_("📅 Set dates: row {row}").format(row=event.row_no),
            callback_data=RoadmapCallback(action="dates", event_id=event.id),
        )
    sizes = [1] * len(shown)
    navigation = pager(
        builder,
        page,
        pages,
        lambda to: RoadmapCallback(action="unread", roadmap_id=roadmap_id, page=to),
    )
    if navigation:
        sizes.append(navigation)
    builder.adjust(*sizes)
    return "\n".join(lines), builder.as_markup()


# --- buttons --------------------------------------------------------------------------------


@router.callback_query(RoadmapCallback.filter(F.action == "upload"))
async def upload_button(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await state.set_state(RoadmapStates.waiting_file)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _("Send me the roadmap as an Excel file (.xlsx), or /cancel to stop.")
        )


@router.callback_query(RoadmapCallback.filter(F.action == "stop"))
async def stop_button(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await state.set_state(None)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _("Stopped. The rows still without dates are listed in /roadmap.")
        )


class Managed(Filter):
    """A button about a roadmap (``roadmap_id``) or one of its actions (``event_id``) the
    coordinator manages: gives ``roadmap`` and ``event`` (or None); a forged or foreign id
    is not reached (the fallback refuses it)."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: RoadmapCallback, repo: Repo, roles: Roles
    ) -> bool | dict[str, Any]:
        event = (
            await repo.calendar.event(callback_data.event_id) if callback_data.event_id else None
        )
        roadmap_id = event.roadmap_id if event else callback_data.roadmap_id
        roadmap = await repo.calendar.roadmap(roadmap_id)
        if roadmap is None or not manages(roles, roadmap):
            return False
        return {"roadmap": roadmap, "event": event}


@router.callback_query(RoadmapCallback.filter(F.action.in_({"list", "unread"})), Managed())
async def unreadable_button(
    callback: CallbackQuery, callback_data: RoadmapCallback, repo: Repo, locale: str
) -> None:
    """``list`` (from the overview: a new message) or ``unread`` (turn a page in place)."""
    await callback.answer()
    text, markup = await unreadable_page(repo, callback_data.roadmap_id, callback_data.page, locale)
    if not isinstance(callback.message, Message):
        return
    if callback_data.action == "list":
        await callback.message.answer(text, reply_markup=markup)
    else:
        await callback.message.edit_text(text, reply_markup=markup)


@router.callback_query(RoadmapCallback.filter(F.action == "dates"), Managed())
async def dates_button(
    callback: CallbackQuery, state: FSMContext, event: Event | None, locale: str
) -> None:
    if event is None:
        await callback.answer()
        return
    await callback.answer()
    await _ask_dates(callback, state, event, locale)


@router.callback_query(RoadmapCallback.filter(F.action == "skip"), Managed())
async def skip_button(
    callback: CallbackQuery, state: FSMContext, repo: Repo, event: Event | None, locale: str
) -> None:
    await callback.answer()
    if event is None:
        return
    following = await _next_unreadable(repo, event)
    if following is None:
        await state.set_state(None)
        if isinstance(callback.message, Message):
            await callback.message.answer(
                _("No more rows without dates after this one. /roadmap lists them all.")
            )
        return
    await _ask_dates(callback, state, following, locale)


async def _ask_dates(
    event_source: CallbackQuery | Message, state: FSMContext, event: Event, locale: str
) -> None:
    await state.set_state(RoadmapStates.dates)
    await state.update_data(roadmap_event=event.id)
    text = "\n".join(
        [
            _("<b>Row {row}</b>: {title}").format(row=event.row_no, title=escape(event.title)),
            _("Period as written: «{period}» — {reason}.").format(
                period=escape(event.period_text), reason=_reason(event, locale)
            ),
            "",
            _(DATES_HINT),
        ]
    )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Skip this row"), callback_data=RoadmapCallback(action="skip", event_id=event.id)
    )
    builder.button(text=_("Stop"), callback_data=RoadmapCallback(action="stop"))
    builder.adjust(2)
    target = event_source.message if isinstance(event_source, CallbackQuery) else event_source
    if isinstance(target, Message):
        await target.answer(text, reply_markup=builder.as_markup())


async def _next_unreadable(repo: Repo, event: Event) -> Event | None:
    """The next row of the same roadmap still without dates, after this one."""
    for candidate in await repo.calendar.unreadable(event.roadmap_id):
        if candidate.row_no > event.row_no:
            return candidate
    return None


# --- the dates ------------------------------------------------------------------------------


@router.message(StateFilter(RoadmapStates.dates), F.text, ~F.text.startswith("/"))
async def dates_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    reminders: ReminderScheduler,
    person: Person,
    roles: Roles,
    locale: str,
) -> None:
    event_id = int((await state.get_data()).get("roadmap_event") or 0)
    event = await repo.calendar.event(event_id)
    roadmap = await repo.calendar.roadmap(event.roadmap_id) if event else None
    if event is None or roadmap is None or not manages(roles, roadmap):
        await state.set_state(None)
        await message.answer(
            _("This row is no longer there (the roadmap was imported again). Please use /roadmap.")
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
    await repo.calendar.set_dates(event.id, spans, person.id)
    await reminders.rebuild()
    log.info("person %s set the dates of roadmap action %s", person.id, event.id)
    shown = "; ".join(format_span(start, end, locale) for start, end in spans)
    await message.answer(
        _("✅ Saved: «{title}» — {dates}. It is in /calendar now.").format(
            title=escape(_short(event.title)), dates=shown
        )
    )
    following = await _next_unreadable(repo, event)
    if following is None:
        remaining = await repo.calendar.unreadable(event.roadmap_id)
        if remaining:
            following = remaining[0]
    if following is None:
        await state.set_state(None)
        await message.answer(
            _("Every row of «{title}» has dates now.").format(title=escape(_short(roadmap.title)))
        )
        return
    await _ask_dates(message, state, following, locale)


@router.message(StateFilter(RoadmapStates.dates), ~F.text)
async def dates_not_text(message: Message) -> None:
    await message.answer(_("Please write the dates as text, or /cancel."))
