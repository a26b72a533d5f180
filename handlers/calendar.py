"""/calendar: roadmap actions and indicator deadlines coming up, the month view, an action.

Everyone registered sees the actions meant for one of their roles (coordinators see all)
and the indicator deadlines: a principal with their school's state, a curator or a
coordinator with how many of their schools have not submitted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, Filter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.announcement_screens import announce_this
from bot.announcements.in_calendar import announcement_entries
from bot.calendar.audience import shows
from bot.calendar.execution.calendar_marks import calendar_block, calendar_notes
from bot.calendar.view import (
    Entry,
    action_entries,
    button_title,
    deadline_title,
    empty_text,
    event_details,
    month_heading,
    month_name,
    month_window,
    overseer_note,
    principal_note,
    render_page,
    roadmap_hint,
    shift_month,
    sort_entries,
    upcoming_heading,
    upcoming_window,
)
from bot.callbacks import CalendarCallback, MenuCallback
from bot.clock import Clock
from bot.consultations.calendar import consultation_entries
from bot.filters import IsRegistered
from bot.indicators.catalog import Catalog
from bot.indicators.form import campaign_deadlines, local_today
from bot.indicators.titles import campaign_name
from bot.keyboards import pager, screen_markup
from bot.replies import refuse_button
from bot.settings import Settings
from bot.telegram_limits import MESSAGE_LIMIT
from handlers.roadmap import manages as manages_roadmap
from storage.calendar import Event
from storage.models import Person, Roles, Status
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="calendar")
router.message.filter(IsRegistered())
router.callback_query.filter(IsRegistered())

FIRST_YEAR, LAST_YEAR = 2000, 2100  # months outside are not offered (a forged button)


@router.message(Command("calendar"))
async def calendar_command(message: Message, view: CalendarView) -> None:
    text, markup = await view.build(month=None, page=0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "calendar"))
async def calendar_button(callback: CallbackQuery, view: CalendarView) -> None:
    await callback.answer()
    text, markup = await view.build(month=None, page=0)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


@router.callback_query(CalendarCallback.filter(F.action == "up"))
async def upcoming_page(
    callback: CallbackQuery, callback_data: CalendarCallback, view: CalendarView
) -> None:
    await callback.answer()
    text, markup = await view.build(month=None, page=callback_data.page)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


@router.callback_query(CalendarCallback.filter(F.action == "month"))
async def month_page(
    callback: CallbackQuery, callback_data: CalendarCallback, view: CalendarView, person: Person
) -> None:
    if not (FIRST_YEAR <= callback_data.year <= LAST_YEAR and 1 <= callback_data.month <= 12):
        await refuse_button(callback, person.id)
        return
    await callback.answer()
    month = (callback_data.year, callback_data.month)
    text, markup = await view.build(month=month, page=callback_data.page)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


@router.callback_query(CalendarCallback.filter(F.action == "event"))
async def event_button(
    callback: CallbackQuery,
    callback_data: CalendarCallback,
    repo: Repo,
    person: Person,
    roles: Roles,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    event = await repo.calendar.event(callback_data.event_id)
    roadmap = await repo.calendar.roadmap(event.roadmap_id) if event else None
    if event is None or not (await visibility(repo, roles))(event):
        await refuse_button(callback, person.id)
        return
    occurrences = await repo.calendar.occurrences(event.id)
    await callback.answer()
    text = event_details(event, occurrences, roadmap.title if roadmap else "", locale)
    # the person's own part (answer with buttons), a coordinator's way to its progress and,
    # for the roadmap's managers, «📣 Announce»: a draft with its title and dates
    today = local_today(settings.zone, clock())
    screen = await calendar_block(repo, roles, event, today, locale, settings.zone)
    block = screen.text
    rows = list((screen_markup(screen) or InlineKeyboardMarkup(inline_keyboard=[])).inline_keyboard)
    if roadmap is not None and roles.coordinator and manages_roadmap(roles, roadmap):
        rows += announce_this(event.id).inline_keyboard
    markup = InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
    if not isinstance(callback.message, Message):
        return
    if block and len(text) + len(block) < MESSAGE_LIMIT - 2:
        await callback.message.answer(text + "\n\n" + block, reply_markup=markup)
        return
    await callback.message.answer(text, reply_markup=None if block else markup)
    if block:
        await callback.message.answer(block, reply_markup=markup)


@dataclass
class CalendarView:
    """What one person's calendar is built from (given to handlers as ``view``)."""

    repo: Repo
    catalog: Catalog
    settings: Settings
    clock: Clock
    roles: Roles
    locale: str
    person: Person | None = None

    async def build(
        self, *, month: tuple[int, int] | None, page: int
    ) -> tuple[str, InlineKeyboardMarkup]:
        return await calendar_view(
            self.repo,
            self.catalog,
            self.roles,
            local_today(self.settings.zone, self.clock()),
            self.locale,
            month=month,
            page=page,
            person_id=self.person.id if self.person else None,
            zone=self.settings.zone,
        )


class WithView(Filter):
    async def __call__(
        self,
        event: TelegramObject,
        repo: Repo,
        catalog: Catalog,
        settings: Settings,
        clock: Clock,
        roles: Roles,
        locale: str,
        person: Person | None,
    ) -> dict[str, Any]:
        return {"view": CalendarView(repo, catalog, settings, clock, roles, locale, person)}


router.message.filter(WithView())
router.callback_query.filter(WithView())


async def visibility(repo: Repo, roles: Roles) -> Callable[[Event], bool]:
    """Whether the person's calendar shows an action: its roadmap's territory and its
    audience decide (:func:`bot.calendar.audience.shows`)."""
    schools = {school.id: school for school in await repo.schools.list()}
    territory = {roadmap.id: roadmap.municipality for roadmap in await repo.calendar.roadmaps()}

    def visible(event: Event) -> bool:
        if event.roadmap_id not in territory:
            return False
        return shows(roles, event.roles, territory[event.roadmap_id], schools)

    return visible


async def calendar_view(
    repo: Repo,
    catalog: Catalog,
    roles: Roles,
    today: date,
    locale: str,
    *,
    month: tuple[int, int] | None,
    page: int,
    zone: ZoneInfo,
    person_id: int | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The next 30 days (``month`` None) or a month, one page of it, with its buttons
    (with ``person_id``, the person's consultations too)."""
    if month is None:
        start, end = upcoming_window(today)
        heading = upcoming_heading(start, end, locale)
    else:
        start, end = month_window(*month)
        heading = month_heading(*month, locale)
    entries = action_entries(await repo.calendar.between(start, end), await visibility(repo, roles))
    notes = await calendar_notes(
        repo, roles, [(e.event_id, e.ends_on) for e in entries if e.event_id], today, locale
    )
    entries = [replace(e, note=notes.get((e.event_id or 0, e.ends_on), e.note)) for e in entries]
    entries += await _deadlines(repo, catalog, roles, start, end, today, locale)
    entries += await announcement_entries(repo, roles, start, end, zone)
    entries += await consultation_entries(repo, person_id, roles, start, end, zone, locale)
    entries = sort_entries(entries)

    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    if entries:
        shown = render_page(heading, entries, locale, page)
        text = shown.text
        for number, entry in shown.actions:
            builder.button(
                text=button_title(number, entry),
                callback_data=CalendarCallback(
                    action="ann" if entry.announcement_id else "event",
                    event_id=entry.announcement_id or entry.event_id or 0,
                ),
            )
            sizes.append(1)
        navigation = pager(builder, shown.page, shown.pages, _page_callback(month))
        if navigation:
            sizes.append(navigation)
    else:
        text = heading + "\n\n" + empty_text(locale, month=month is not None)
    if roles.coordinator:
        hint = roadmap_hint(await repo.calendar.roadmaps(), today, locale)
        if hint:
            text += "\n\n" + hint

    if month is None:
        builder.button(
            text=_("📅 This month"),
            callback_data=CalendarCallback(action="month", year=today.year, month=today.month),
        )
        sizes.append(1)
    else:
        before = shift_month(*month, -1)
        after = shift_month(*month, 1)
        for year, number in (before, after):
            if FIRST_YEAR <= year <= LAST_YEAR:
                label = month_name(year, number, locale)
                builder.button(
                    text=f"◀️ {label}" if (year, number) == before else f"{label} ▶️",
                    callback_data=CalendarCallback(action="month", year=year, month=number),
                )
        sizes.append(2)
        builder.button(text=_("🗓 Next 30 days"), callback_data=CalendarCallback(action="up"))
        sizes.append(1)
    builder.adjust(*sizes)
    return text, builder.as_markup()


def _page_callback(month: tuple[int, int] | None) -> Callable[[int], CalendarCallback]:
    def turn(to: int) -> CalendarCallback:
        if month is None:
            return CalendarCallback(action="up", page=to)
        return CalendarCallback(action="month", year=month[0], month=month[1], page=to)

    return turn


async def _deadlines(
    repo: Repo,
    catalog: Catalog,
    roles: Roles,
    start: date,
    end: date,
    today: date,
    locale: str,
) -> list[Entry]:
    """The indicator deadlines in [start, end]: with the principal's own state, and for
    curators and coordinators how many of their schools have not submitted."""
    overseer = roles.coordinator or bool(roles.curator_school_ids)
    if roles.principal_school_id is None and not overseer:
        return []
    if start.year <= today.year <= end.year:
        await repo.submissions.ensure_campaigns(today.year, campaign_deadlines(catalog, today.year))
    school_ids: set[int] = set()
    if roles.coordinator:
        school_ids = {school.id for school in await repo.schools.list()}
    elif roles.curator_school_ids:
        school_ids = set(roles.curator_school_ids)
    entries = []
    for year in range(start.year, end.year + 1):
        for key, fixed in campaign_deadlines(catalog, year):
            campaign = await repo.submissions.find_campaign(year, key)
            # a procedure's report: the date the coordinator set, if any
            due = fixed or (campaign.due_date if campaign else None)
            if due is None or not start <= due <= end:
                continue
            notes = []
            if roles.principal_school_id is not None:
                submission = (
                    await repo.submissions.get(campaign.id, roles.principal_school_id)
                    if campaign
                    else None
                )
                reported = submission is not None and submission.status in (
                    Status.SUBMITTED,
                    Status.ACCEPTED,
                )
                notes.append(principal_note(reported, today > due, locale))
            if overseer:
                submissions = await repo.submissions.for_campaign(campaign.id) if campaign else {}
                reported_ids = {
                    school_id
                    for school_id, submission in submissions.items()
                    if submission.status.reported
                }
                missing = len(school_ids - reported_ids)
                notes.append(overseer_note(missing, len(school_ids), locale))
            if catalog.procedure_of(key) is not None:
                title = campaign_name(catalog, year, key, due, locale)
            else:
                title = deadline_title(due, locale, catalog.school_year(key, year))
            entries.append(Entry(due, due, title, note=" · ".join(notes)))
    return entries
