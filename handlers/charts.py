"""/charts: quick charts as pictures, a few buttons deep: what to see → which indicator →
which school, municipality, year or campaign. The last chart asked for is one tap away.

Who sees what: a school over the years — a principal their own school, a curator theirs,
a coordinator any school of their territory; schools side by side — a principal the
schools of their municipality (their own highlighted), a curator their schools, a
coordinator a municipality of their territory; a campaign's progress — curators (their
schools) and coordinators (their territory); who came to an event, per municipality —
coordinators, for the events they manage, once attendance is marked. Every button is
checked again when pressed.
"""

from __future__ import annotations

import logging
from datetime import date
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.announcements.access import manages
from bot.calendar.view import deadline_title
from bot.callbacks import ChartCallback, MenuCallback
from bot.chart_renderer import ChartRenderer, ChartUnavailable
from bot.charts import build
from bot.charts.data import (
    Attendance,
    ChartData,
    Labels,
    MunicipalityAttendance,
    NoData,
    ProgressLabels,
)
from bot.charts.order import comparison_names
from bot.charts.values import NUMERIC_KINDS
from bot.clock import Clock
from bot.filters import IsRegistered
from bot.indicators.catalog import Catalog, Indicator
from bot.indicators.form import campaign_deadlines, local_today
from bot.keyboards import pager, paginate
from bot.replies import refuse_button
from bot.settings import Settings
from bot.telegram_limits import CAPTION_LIMIT, shorten
from bot.texts import campaign_title, long_date
from storage.announcements import Announcement
from storage.models import Roles, School, in_municipalities
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="charts")
router.message.filter(IsRegistered())
router.callback_query.filter(IsRegistered())

SCHOOLS_PER_PAGE = 8
YEARS_BACK = 4
EVENTS_SHOWN = 20  # the latest events with attendance marked
BUTTON_TEXT_LIMIT = 60


def numeric_indicators(catalog: Catalog) -> list[Indicator]:
    """The indicators a chart can plot, in the form's order (by campaign)."""
    return [i for i in catalog.indicators if i.kind.value in NUMERIC_KINDS]


def territory(roles: Roles, schools: list[School]) -> list[School]:
    """The schools whose data the person may chart."""
    return [school for school in schools if roles.can_see(school)]


def municipalities(roles: Roles, schools: list[School]) -> list[str]:
    """The municipalities whose schools the person may compare, by name."""
    if roles.coordinator:
        found = {s.municipality for s in schools if roles.coordinates(s)}
    else:
        own = [s for s in schools if s.id == roles.principal_school_id]
        found = {s.municipality for s in own}
    return sorted(found)


# --- the picker -----------------------------------------------------------------------------


@router.message(Command("charts"))
async def charts_command(message: Message, state: FSMContext, roles: Roles, repo: Repo) -> None:
    text, markup = await _kinds(state, roles, repo)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "charts"))
async def charts_button(
    callback: CallbackQuery, state: FSMContext, roles: Roles, repo: Repo
) -> None:
    await callback.answer()
    text, markup = await _kinds(state, roles, repo)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


@router.callback_query(ChartCallback.filter(F.action == "menu"))
async def back_to_kinds(
    callback: CallbackQuery, state: FSMContext, roles: Roles, repo: Repo
) -> None:
    await callback.answer()
    text, markup = await _kinds(state, roles, repo)
    await _edit(callback, text, markup)


async def _kinds(state: FSMContext, roles: Roles, repo: Repo) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    last = (await state.get_data()).get("last_chart")
    if isinstance(last, str):
        builder.button(text=_("↩️ The last chart again"), callback_data=last)
    builder.button(
        text=_("📈 An indicator over the years"),
        callback_data=ChartCallback(action="kind", kind="h"),
    )
    builder.button(
        text=_("📊 Schools side by side"), callback_data=ChartCallback(action="kind", kind="c")
    )
    if sees_progress(roles):
        builder.button(
            text=_("📤 How a campaign is going"),
            callback_data=ChartCallback(action="kind", kind="p"),
        )
    if await attended_events(repo, roles):  # offered once an event's attendance is marked
        builder.button(
            text=_("🎓 Who came to an event"),
            callback_data=ChartCallback(action="kind", kind="a"),
        )
    builder.adjust(1)
    return _("What would you like to see?"), builder.as_markup()


def sees_progress(roles: Roles) -> bool:
    return roles.coordinator or bool(roles.curator_school_ids)


async def attended_events(repo: Repo, roles: Roles) -> list[Announcement]:
    """The events with attendance marked that this coordinator manages (none for others)."""
    if not roles.coordinator:
        return []
    return [event for event in await repo.announcements.with_attendance() if manages(roles, event)]


def _back(builder: InlineKeyboardBuilder) -> None:
    builder.button(text=_("⬅️ Back"), callback_data=ChartCallback(action="menu"))


def _back_only() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _back(builder)
    return builder.as_markup()


@router.callback_query(ChartCallback.filter(F.action == "kind"))
async def kind_chosen(
    callback: CallbackQuery,
    callback_data: ChartCallback,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
    locale: str,
) -> None:
    kind = callback_data.kind
    today = local_today(settings.zone, clock())
    if kind == "p" and sees_progress(roles):
        await callback.answer()
        campaigns = await repo.submissions.ensure_campaigns(
            today.year, campaign_deadlines(catalog, today.year)
        )
        builder = InlineKeyboardBuilder()
        for campaign in campaigns:
            if campaign.due_date is not None:
                builder.button(
                    text=campaign_title(campaign, catalog),
                    callback_data=ChartCallback(action="draw", kind="p", campaign_id=campaign.id),
                )
        _back(builder)
        builder.adjust(1)
        await _edit(callback, _("Which campaign?"), builder.as_markup())
        return
    if kind == "a" and (events := await attended_events(repo, roles)):
        await callback.answer()
        builder = InlineKeyboardBuilder()
        for event in events[:EVENTS_SHOWN]:
            when = event.starts_at.astimezone(settings.zone).date() if event.starts_at else None
            label = f"{long_date(when, locale)} · {event.title}" if when else event.title
            builder.button(
                text=shorten(label, BUTTON_TEXT_LIMIT),
                callback_data=ChartCallback(action="draw", kind="a", event_id=event.id),
            )
        _back(builder)
        builder.adjust(1)
        await _edit(callback, _("Which event?"), builder.as_markup())
        return
    if kind not in ("h", "c"):
        await refuse_button(callback)
        return
    await callback.answer()
    groups = indicator_groups(catalog)
    if len(groups) == 1:
        await _edit(callback, _("Which indicator?"), _indicator_picker(catalog, kind, 0, locale))
        return
    builder = InlineKeyboardBuilder()
    for number, key in enumerate(groups):
        due = catalog.campaign_indicators(key)[0].due(today.year)
        builder.button(
            text=deadline_title(due, locale, catalog.school_year(key, today.year)) if due else key,
            callback_data=ChartCallback(action="group", kind=kind, group=number),
        )
    _back(builder)
    builder.adjust(1)
    await _edit(callback, _("Which form?"), builder.as_markup())


@router.callback_query(ChartCallback.filter(F.action == "group"))
async def group_chosen(
    callback: CallbackQuery, callback_data: ChartCallback, catalog: Catalog, locale: str
) -> None:
    if callback_data.kind not in ("h", "c") or not 0 <= callback_data.group < len(
        indicator_groups(catalog)
    ):
        await refuse_button(callback)
        return
    await callback.answer()
    markup = _indicator_picker(catalog, callback_data.kind, callback_data.group, locale)
    await _edit(callback, _("Which indicator?"), markup)


def indicator_groups(catalog: Catalog) -> list[str]:
    """The forms (deadlines) that have something to plot, in the form's order."""
    return [
        key
        for key in catalog.deadlines()
        if any(i.deadline == key for i in numeric_indicators(catalog))
    ]


def _indicator_picker(catalog: Catalog, kind: str, group: int, locale: str) -> InlineKeyboardMarkup:
    key = indicator_groups(catalog)[group]
    builder = InlineKeyboardBuilder()
    for number, indicator in enumerate(numeric_indicators(catalog)):
        if indicator.deadline == key:
            builder.button(
                text=indicator.short.get(locale),
                callback_data=ChartCallback(action="ind", kind=kind, indicator=number),
            )
    _back(builder)
    builder.adjust(1)
    return builder.as_markup()


@router.callback_query(ChartCallback.filter(F.action.in_({"ind", "page"})))
async def indicator_chosen(
    callback: CallbackQuery,
    callback_data: ChartCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
    locale: str,
    chart_renderer: ChartRenderer,
) -> None:
    indicators = numeric_indicators(catalog)
    if not 0 <= callback_data.indicator < len(indicators) or callback_data.kind not in ("h", "c"):
        await refuse_button(callback)
        return
    schools = await repo.schools.list()
    if callback_data.kind == "h":
        mine = territory(roles, schools)
        if len(mine) == 1:  # nothing to choose: the chart straight away
            spec = ChartCallback(
                action="draw", kind="h", indicator=callback_data.indicator, school_id=mine[0].id
            )
            await draw_chart(
                callback, spec, state, repo, catalog, settings, clock, roles, locale, chart_renderer
            )
            return
        await callback.answer()
        await _edit(callback, _("Which school?"), _school_picker(mine, callback_data))
        return
    await callback.answer()
    indicator = indicators[callback_data.indicator]
    years = sorted(
        {
            year
            for year, _school, _value in await repo.submissions.indicator_answers(indicator.code)
        },
        reverse=True,
    )[:YEARS_BACK] or [local_today(settings.zone, clock()).year]
    targets: list[tuple[str, dict[str, Any]]] = [
        (place, {"muni": number}) for number, place in enumerate(municipalities(roles, schools))
    ]
    if roles.curator_school_ids and not roles.coordinator:
        targets.insert(0, (_("my schools"), {"mine": True}))
    builder = InlineKeyboardBuilder()
    for year in years:
        for label, extra in targets:
            builder.button(
                text=f"{year} · {label}",
                callback_data=ChartCallback(
                    action="draw", kind="c", indicator=callback_data.indicator, year=year, **extra
                ),
            )
    _back(builder)
    builder.adjust(*([1 if len(targets) > 1 else 2] * len(years) * len(targets)), 1)
    await _edit(callback, _("Which year?"), builder.as_markup())


def _school_picker(schools: list[School], data: ChartCallback) -> InlineKeyboardMarkup:
    shown, page, pages = paginate(schools, data.page, SCHOOLS_PER_PAGE)
    builder = InlineKeyboardBuilder()
    for school in shown:
        builder.button(
            text=f"{school.display_name} · {school.municipality}",
            callback_data=ChartCallback(
                action="draw", kind="h", indicator=data.indicator, school_id=school.id
            ),
        )
    sizes = [1] * len(shown)
    navigation = pager(
        builder,
        page,
        pages,
        lambda to: ChartCallback(action="page", kind="h", indicator=data.indicator, page=to),
    )
    if navigation:
        sizes.append(navigation)
    _back(builder)
    builder.adjust(*sizes, 1)
    return builder.as_markup()


# --- drawing --------------------------------------------------------------------------------


@router.callback_query(ChartCallback.filter(F.action == "draw"))
async def draw_chart(
    callback: CallbackQuery,
    callback_data: ChartCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
    locale: str,
    chart_renderer: ChartRenderer,
) -> None:
    today = local_today(settings.zone, clock())
    found = await chart_for(callback_data, repo, catalog, roles, today, locale)
    if found is None:
        await refuse_button(callback)
        return
    await callback.answer(_("Drawing…"))
    data, caption = found
    try:
        picture = await chart_renderer.png(data)
    except NoData:
        text = _(
            "There is nothing to draw yet: no school has answered this for that time. "
            "Please choose another year or indicator."
        )
        await _edit(callback, text, _back_only())
        return
    except ChartUnavailable:
        text = _("The chart could not be drawn just now. Please try again in a minute.")
        await _edit(callback, text, _back_only())
        return
    await state.update_data(last_chart=callback_data.pack())
    if isinstance(callback.message, Message):
        await callback.message.answer_photo(
            BufferedInputFile(picture, filename="chart.png"),
            caption=escape(shorten(caption, CAPTION_LIMIT)),
        )


async def chart_for(
    spec: ChartCallback,
    repo: Repo,
    catalog: Catalog,
    roles: Roles,
    today: date,
    locale: str,
) -> tuple[ChartData, str] | None:
    """The chart's data and its caption (plain text), or None when the button asks for something the
    person may not see (checked here, whatever the button says)."""
    schools = await repo.schools.list()
    by_id = {school.id: school for school in schools}
    source = _("Source: the schools' reports in the bot, as of {date}.").format(
        date=long_date(today, locale)
    )
    if spec.kind == "a":
        return await _attendance_chart(spec.event_id, repo, roles, schools, today, locale)
    if spec.kind == "p":
        campaign = await repo.submissions.campaign(spec.campaign_id)
        if campaign is None or campaign.due_date is None:
            return None
        if not (roles.coordinator or roles.curator_school_ids):
            return None
        ids = [s.id for s in schools if roles.coordinates(s) or s.id in roles.curator_school_ids]
        title = _("How «{campaign}» is going").format(campaign=campaign_title(campaign, catalog))
        data = build.progress(
            await repo.submissions.timeline(campaign.id),
            ids,
            campaign.due_date,
            today,
            Labels(title, "", _("schools")),
            locale,
            ProgressLabels(_("sent"), _("draft"), _("not started"), _("deadline")),
        )
        return data, f"{title}.\n{source}"
    indicators = numeric_indicators(catalog)
    if not 0 <= spec.indicator < len(indicators):
        return None
    indicator = indicators[spec.indicator]
    answers = await repo.submissions.indicator_answers(indicator.code)
    unit = "%" if indicator.kind.value == "share" else ""
    if spec.kind == "h":
        school = by_id.get(spec.school_id)
        if school is None or not roles.can_see(school):
            return None
        title = f"{indicator.short.get(locale)} · {school.display_name}"
        data = build.history(
            indicator.kind.value,
            answers,
            school.id,
            {s.id: s.municipality for s in schools},
            Labels(title, _("year"), unit),
            locale,
            (school.display_name, _("median of the municipality"), _("median of the region")),
        )
        caption = f"{title}.\n{school.name}, {school.municipality}.\n"
        return data, caption + source
    if spec.kind != "c":
        return None
    if spec.mine:
        shown = [by_id[i] for i in sorted(roles.curator_school_ids) if i in by_id]
        where = _("my schools")
    else:
        places = municipalities(roles, schools)
        if not 0 <= spec.muni < len(places):
            return None
        where = places[spec.muni]
        shown = [s for s in schools if in_municipalities(s.municipality, {where})]
    if not shown:
        return None
    title = f"{indicator.short.get(locale)} · {where} · {spec.year}"
    data = build.comparison(
        indicator.kind.value,
        answers,
        spec.year,
        [(s.id, s.name) for s in shown],
        roles.principal_school_id,
        Labels(title, unit, ""),
        locale,
        _("median of the region"),
    )
    full = "; ".join(f"{short} — {name}" for short, name in comparison_names(data) if short != name)
    caption = f"{title}.\n{source}"
    if full:
        caption += "\n" + _("Full names: {names}").format(names=full)
    return data, caption


async def _edit(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


async def _attendance_chart(
    event_id: int,
    repo: Repo,
    roles: Roles,
    schools: list[School],
    today: date,
    locale: str,
) -> tuple[ChartData, str] | None:
    """Schools that came to an event per municipality of the coordinator's territory,
    against the schools it was sent to (when it was sent through the bot)."""
    event = await repo.announcements.get(event_id)
    if event is None or not roles.coordinator or not manages(roles, event):
        return None
    present = await repo.announcements.attendance(event.id)
    invited = {r.school_id for r in await repo.announcements.recipients(event.id) if r.school_id}
    places = []
    for name in municipalities(roles, schools):
        here = [s for s in schools if s.municipality == name]
        came = sum(1 for s in here if s.id in present)
        expected = sum(1 for s in here if s.id in invited) if invited else None
        if came or expected:
            places.append(MunicipalityAttendance(name, came, expected))
    title = _("Who came: {event}").format(event=event.title)
    data = Attendance(
        Labels(title, _("schools"), ""),
        locale,
        tuple(places),
        _("schools that came"),
        _("schools it was sent to"),
    )
    mine = [s.id for s in schools if roles.coordinates(s) and s.id in present]
    staff = sum(present[school_id] or 0 for school_id in mine)
    counted = _("Schools that came: {schools}; their staff counted: {staff}.").format(
        schools=len(mine), staff=staff
    )
    source = _("Source: the attendance marked in the bot, as of {date}.").format(
        date=long_date(today, locale)
    )
    return data, f"{title}.\n{counted}\n{source}"
