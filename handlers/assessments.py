"""/assessments (coordinators): the assessment procedures (ВПР, ГИА-9, ГИА-11...) of a year,
when each one's analytical note is due and how many schools have sent it; a regional
coordinator sets or moves each date here (also on the command line: ``python -m bot
assessment set-date``).

A procedure's report has no date until one is set: the school sees «срок не назначен» and
no reminder goes out. Once set, the reminder jobs are rebuilt, so principals are reminded
and overseers get digests as for any other campaign.
"""

from __future__ import annotations

import logging
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import AssessmentCallback, MenuCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.i18n import LocalizedError
from bot.indicators.assessments import (
    ProcedureReport,
    due_with_weekday,
    example_date,
    procedure_reports,
    read_report_date,
    report_title,
)
from bot.indicators.catalog import Catalog
from bot.indicators.form import local_today
from bot.replies import refuse_button
from bot.settings import Settings
from scheduler.reminders import ReminderScheduler
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="assessments")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())


class AssessmentStates(StatesGroup):
    date = State()


def settable_years(today_year: int) -> tuple[int, int]:
    """The years whose dates may be set: this one and the next (in December, next year's)."""
    return today_year, today_year + 1


@router.message(Command("assessments"))
async def assessments_command(
    message: Message,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
    locale: str,
) -> None:
    today = local_today(settings.zone, clock())
    text, markup = await procedures_screen(repo, catalog, roles, today.year, today.year, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "assessments"))
async def assessments_button(
    callback: CallbackQuery,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
    locale: str,
) -> None:
    await callback.answer()
    today = local_today(settings.zone, clock())
    text, markup = await procedures_screen(repo, catalog, roles, today.year, today.year, locale)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


@router.callback_query(AssessmentCallback.filter(F.action == "list"))
async def assessments_year(
    callback: CallbackQuery,
    callback_data: AssessmentCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
    locale: str,
) -> None:
    today = local_today(settings.zone, clock())
    if abs(callback_data.year - today.year) > 1:
        await refuse_button(callback)
        return
    await callback.answer()
    if await state.get_state() == AssessmentStates.date.state:
        await state.set_state(None)
    text, markup = await procedures_screen(
        repo, catalog, roles, callback_data.year, today.year, locale
    )
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


async def procedures_screen(
    repo: Repo, catalog: Catalog, roles: Roles, year: int, this_year: int, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The year's procedures with their dates and how many of the coordinator's schools have
    sent the note; a regional coordinator gets a button per procedure to set its date."""
    reports = procedure_reports(catalog, await repo.submissions.campaigns(year), year)
    schools = {s.id for s in await repo.schools.list() if roles.coordinates(s)}
    lines = [_("<b>Assessment procedures {year}: analytical notes</b>").format(year=year), ""]
    builder = InlineKeyboardBuilder()
    settable = roles.regional and year in settable_years(this_year)
    for number, report in enumerate(reports):
        lines.append(await _report_line(repo, report, schools, locale))
        if settable and not (report.campaign and report.campaign.closed_at):
            builder.button(
                text=f"📅 {report.procedure.short.get(locale)}",
                callback_data=AssessmentCallback(action="date", year=year, procedure=number),
            )
    if not reports:
        lines.append(_("The indicator catalog has no assessment procedures."))
    lines.append("")
    if settable:
        lines.append(_("Choose a procedure to set or move the date of its analytical note."))
    elif roles.regional:
        lines.append(_("The dates of past years stay as they were."))
    else:
        lines.append(_("The dates are set by the regional coordinator."))
    sizes = [2] * (len(reports) // 2) + [1] * (len(reports) % 2) if settable else []
    navigation = 0
    if year > this_year - 1:
        builder.button(
            text=f"◀️ {year - 1}", callback_data=AssessmentCallback(action="list", year=year - 1)
        )
        navigation += 1
    if year < this_year + 1:
        builder.button(
            text=f"{year + 1} ▶️", callback_data=AssessmentCallback(action="list", year=year + 1)
        )
        navigation += 1
    builder.adjust(*sizes, navigation or 1)
    return "\n".join(lines), builder.as_markup()


async def _report_line(repo: Repo, report: ProcedureReport, schools: set[int], locale: str) -> str:
    name = escape(report.procedure.short.get(locale))
    if report.due is None:
        when = _("no date set yet")
    else:
        when = _("due: {date}").format(date=due_with_weekday(report.due, locale))
    sent = 0
    if report.campaign is not None:
        submissions = await repo.submissions.for_campaign(report.campaign.id)
        sent = sum(
            1 for school_id, s in submissions.items() if school_id in schools and s.status.reported
        )
    count = _("sent by {sent} of {total}").format(sent=sent, total=len(schools))
    return f"• <b>{name}</b> — {when} · {count}"


@router.callback_query(AssessmentCallback.filter(F.action == "date"))
async def ask_date(
    callback: CallbackQuery,
    callback_data: AssessmentCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    person: Person,
    roles: Roles,
    locale: str,
) -> None:
    """A procedure's date button: checked again (a regional coordinator, this year or the
    next, a procedure of the catalog, a campaign still open), then the date is asked for."""
    today = local_today(settings.zone, clock())
    year = callback_data.year
    reports = procedure_reports(catalog, await repo.submissions.campaigns(year), year)
    number = callback_data.procedure
    if not roles.regional or year not in settable_years(today.year) or number >= len(reports):
        await refuse_button(callback, person.id)
        return
    report = reports[number]
    if report.campaign is not None and report.campaign.closed_at:
        await callback.answer(_("This campaign is closed: no more changes."), show_alert=True)
        return
    await callback.answer()
    await state.set_state(AssessmentStates.date)
    await state.update_data(assessment_year=year, assessment_key=report.key)
    now = _("no date set yet") if report.due is None else due_with_weekday(report.due, locale)
    text = "\n".join(
        [
            f"<b>{escape(report_title(locale, report.procedure, year))}</b>",
            escape(report.procedure.title.get(locale)),
            "",
            _("Now: {date}.").format(date=now),
            _(
                "Write the day schools send the analytical note by, for example {example}. "
                "Principals who have not sent it will be reminded before that day."
            ).format(example=example_date(year)),
        ]
    )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("To the list"), callback_data=AssessmentCallback(action="list", year=year)
    )
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=builder.as_markup())


@router.message(StateFilter(AssessmentStates.date), F.text, ~F.text.startswith("/"))
async def date_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    reminders: ReminderScheduler,
    person: Person,
    roles: Roles,
    locale: str,
) -> None:
    data = await state.get_data()
    year = int(data.get("assessment_year") or 0)
    key = str(data.get("assessment_key") or "")
    procedure = catalog.procedure_of(key)
    today = local_today(settings.zone, clock())
    if procedure is None or not roles.regional or year not in settable_years(today.year):
        await state.set_state(None)
        await message.answer(
            _("This step is for coordinators, so it has ended here. Please use /menu.")
        )
        return
    campaign = await repo.submissions.find_campaign(year, key)
    if campaign is not None and campaign.closed_at:
        await state.set_state(None)
        await message.answer(_("This campaign is closed: no more changes."))
        return
    try:
        due = read_report_date(message.text or "", year, today)
    except LocalizedError as error:
        await message.answer(
            "⚠️ "
            + error.render(locale, html=True)
            + "\n\n"
            + _("Please write the date again, or /cancel.")
        )
        return
    stored, before = await repo.assessments.set_due(year, key, due, person.id)
    await state.set_state(None)
    assert stored.due_date is not None
    title = escape(report_title(locale, procedure, year))
    said = due_with_weekday(stored.due_date, locale)
    if before == stored.due_date:
        await message.answer(
            _("The date of «{title}» is already {date}.").format(title=title, date=said)
        )
    else:
        await reminders.rebuild()
        log.info("person %s set %s %s due %s", person.id, year, key, stored.due_date)
        lines = [_("✅ «{title}» is due {date}.").format(title=title, date=said)]
        if before is not None:
            lines.append(_("It was {date}.").format(date=due_with_weekday(before, locale)))
        lines.append(_("Principals who have not sent the note will be reminded before that day."))
        await message.answer("\n".join(lines))
    text, markup = await procedures_screen(repo, catalog, roles, year, today.year, locale)
    await message.answer(text, reply_markup=markup)


@router.message(StateFilter(AssessmentStates.date), ~F.text)
async def date_not_text(message: Message) -> None:
    await message.answer(_("Please write the date as text, or /cancel."))
