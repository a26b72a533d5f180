"""An announcement after sending (coordinators): who is coming, by municipality and school;
marking attendance after the event; editing the delivered text or sending a short
correction to the same people (both through the outbox, at Telegram's rates, with a
progress message); and the Excel files — the event (answers, attendance, delivery) and
the year's attendance per school.

Buttons are checked like those of ``handlers/announce.py`` (``Managed`` in
``bot/announcement_steps.py``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.announcement_screens import button, school_page
from bot.announcement_steps import AUTOMATIC, Managed
from bot.announcements.access import manages
from bot.announcements.answers import answers_text, expected_staff
from bot.announcements.audience import territory
from bot.announcements.formatting import Checked, as_plain, check_html
from bot.announcements.message import length_problem, started
from bot.announcements.workbook import Attended, event_workbook, schools_workbook
from bot.callbacks import AnnounceCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.i18n import LocalizedError
from bot.keyboards import Keyboard
from bot.settings import Settings
from bot.telegram_limits import split_message
from scheduler.announcements import AnnouncementScheduler
from storage.announcements import Announcement, batch_name
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="announce_results")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())

CORRECTION_MAX = 1000  # characters of a correction: a short note, not a new announcement


class ResultStates(StatesGroup):
    retext = State()
    correction = State()


class SentOne(Filter):
    """A typed text for an announcement already out that the coordinator manages."""

    async def __call__(
        self, message: Message, state: FSMContext, repo: Repo, roles: Roles
    ) -> dict[str, Any]:
        data = await state.get_data()
        announcement = await repo.announcements.get(int(data.get("announcement_id") or 0))
        if announcement is None or not manages(roles, announcement):
            return {"announcement": None}
        return {"announcement": announcement}


# --- answers ------------------------------------------------------------------------------


@router.callback_query(AnnounceCallback.filter(F.action == "answers"), Managed())
async def answers_button(
    callback: CallbackQuery, repo: Repo, locale: str, announcement: Announcement
) -> None:
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    schools = {school.id: school for school in await repo.schools.list()}
    rows = await repo.announcements.answers(announcement.id)
    pieces = split_message(answers_text(announcement.title, rows, schools, locale))
    keyboard = Keyboard()
    keyboard.button(
        text=_("Back to the announcement"), callback_data=button("open", announcement.id)
    )
    for number, piece in enumerate(pieces, start=1):
        last = number == len(pieces)
        await callback.message.answer(piece, reply_markup=keyboard.as_markup() if last else None)


# --- attendance ---------------------------------------------------------------------------


@router.callback_query(
    AnnounceCallback.filter(F.action.in_({"attendance", "mark", "others", "omark"})), Managed()
)
async def attendance_button(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    repo: Repo,
    person: Person,
    roles: Roles,
    clock: Clock,
    announcement: Announcement,
) -> None:
    """The schools expected (someone said they would come) and those marked: tick who came
    («mark»); «others» is a page of every school of the territory to add one («omark»)."""
    if not announcement.status.out or not started(announcement, clock()):
        await callback.answer(
            _("Attendance can be marked once the event has started."), show_alert=True
        )
        return
    schools = territory(roles, await repo.schools.list())
    rows = await repo.announcements.answers(announcement.id)
    expected = expected_staff(rows)
    attendance = await repo.announcements.attendance(announcement.id)
    action = callback_data.action
    if action in ("mark", "omark"):
        school_id = callback_data.value
        if school_id not in {school.id for school in schools}:
            await callback.answer(_("This school cannot be marked here."), show_alert=True)
            return
        present = school_id not in attendance
        await repo.announcements.mark_attendance(
            announcement.id, school_id, present, expected.get(school_id), person.id
        )
        attendance = await repo.announcements.attendance(announcement.id)
    await callback.answer()
    marked = set(attendance)
    if action in ("others", "omark"):
        listed = schools
        heading = _("<b>Attendance: other schools</b> — tick those whose staff came.")
        toggle, turn = "omark", "others"
    else:
        listed = [school for school in schools if school.id in expected or school.id in marked]
        heading = _(
            "<b>Attendance at «{title}»</b>: tick the schools whose staff came. Listed: the "
            "schools whose people said they would come, and those marked. «{others}»: any "
            "other school."
        ).format(title=escape(announcement.title), others=_("➕ Other schools"))
        toggle, turn = "mark", "attendance"
    notes = {
        school_id: " · " + _("{n} expected").format(n=staff)
        for school_id, staff in expected.items()
    }
    text, markup = school_page(
        listed,
        marked,
        callback_data.page,
        announcement_id=announcement.id,
        toggle=toggle,
        turn=turn,
        done="open",
        heading=heading + "\n" + _("Marked: {n}").format(n=len(marked)),
        notes=notes,
        extra=[(_("➕ Other schools"), button("others", announcement.id))]
        if toggle == "mark"
        else [],
    )
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


# --- editing the text, a correction -----------------------------------------------------


@router.callback_query(AnnounceCallback.filter(F.action.in_({"retext", "fix"})), Managed())
async def change_button(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    state: FSMContext,
    clock: Clock,
    announcement: Announcement,
) -> None:
    if not announcement.status.out or started(announcement, clock()):
        await callback.answer(
            _("The event has started: its announcement stays as it is."), show_alert=True
        )
        return
    await callback.answer()
    await state.set_data({"announcement_id": announcement.id})
    if callback_data.action == "retext":
        await state.set_state(ResultStates.retext)
        question = _(
            "Write the new text of the announcement (it replaces the description; the title, "
            "the time and the place stay). Every delivered copy will be edited; copies still "
            "waiting go with the new text. /cancel to stop."
        )
    else:
        await state.set_state(ResultStates.correction)
        question = _(
            "Write a short correction (up to {limit} characters): it goes as a new message to "
            "everyone who got the announcement. /cancel to stop."
        ).format(limit=CORRECTION_MAX)
    if isinstance(callback.message, Message):
        await callback.message.answer(question)


@router.message(StateFilter(ResultStates.retext), ~F.text.startswith("/"), SentOne())
async def retext_given(
    message: Message,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement | None,
) -> None:
    checked = await _checked(message, state, locale, "rplain")
    if checked is None:
        return
    await _apply_retext(
        message, state, settings, clock, locale, announcements, announcement, checked
    )


@router.message(StateFilter(ResultStates.correction), ~F.text.startswith("/"), SentOne())
async def correction_given(
    message: Message,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement | None,
) -> None:
    checked = await _checked(message, state, locale, "fplain")
    if checked is None:
        return
    await _apply_correction(
        message, state, settings, clock, locale, announcements, announcement, checked
    )


@router.callback_query(AnnounceCallback.filter(F.action.in_({"rplain", "fplain"})), Managed())
async def plain_button(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement,
) -> None:
    raw = (await state.get_data()).get("raw")
    if not raw or not isinstance(callback.message, Message):
        await callback.answer(
            _("This text is no longer waiting: please send it again."), show_alert=True
        )
        return
    await callback.answer()
    if callback_data.action == "rplain":
        await _apply_retext(
            callback.message,
            state,
            settings,
            clock,
            locale,
            announcements,
            announcement,
            as_plain(raw),
        )
    else:
        await _apply_correction(
            callback.message,
            state,
            settings,
            clock,
            locale,
            announcements,
            announcement,
            as_plain(raw),
        )


async def _checked(message: Message, state: FSMContext, locale: str, plain: str) -> Checked | None:
    if not message.text and not message.caption:
        await message.answer(_("Please write it as text, or /cancel."))
        return None
    raw = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    if any(entity.type not in AUTOMATIC for entity in entities):
        source = message.html_text
    elif "<" in raw or "&" in raw:
        source = raw
    else:
        return as_plain(raw)
    try:
        return check_html(source)
    except LocalizedError as error:
        data = await state.get_data()
        await state.update_data(raw=raw)
        keyboard = Keyboard()
        keyboard.button(
            text=_("Send it without formatting"),
            callback_data=button(plain, int(data.get("announcement_id") or 0)),
        )
        await message.answer(
            "⚠️ "
            + _("Telegram would not accept this text: {problem}").format(
                problem=error.render(locale, html=True)
            )
            + "\n\n"
            + _("Correct it and send it again, or use it as it is, without formatting."),
            reply_markup=keyboard.as_markup(),
        )
        return None


async def _apply_retext(
    message: Message,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement | None,
    checked: Checked,
) -> None:
    if announcement is None or not announcement.status.out or started(announcement, clock()):
        await state.set_state(None)
        await message.answer(
            _("This announcement can no longer be edited. Please look at /announce.")
        )
        return
    problem = length_problem(replace(announcement, description=checked.html), settings.timezone)
    if problem is not None:
        await message.answer("⚠️ " + problem.render(locale, html=True))
        return
    await state.set_state(None)
    await state.set_data({})
    queued = await announcements.edit(announcement.id, checked.html, message.chat.id, locale)
    if queued is None:
        await message.answer(
            _("This announcement can no longer be edited. Please look at /announce.")
        )
        return
    await message.answer(
        _(
            "✅ The new text is saved. Copies still waiting go with it; delivered copies are "
            "being edited ({n}) at Telegram's rates — see the progress below."
        ).format(n=queued)
    )


async def _apply_correction(
    message: Message,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcements: AnnouncementScheduler,
    announcement: Announcement | None,
    checked: Checked,
) -> None:
    if announcement is None or not announcement.status.out or started(announcement, clock()):
        await state.set_state(None)
        await message.answer(
            _("This announcement can no longer be corrected. Please look at /announce.")
        )
        return
    if len(checked.plain) > CORRECTION_MAX:
        await message.answer(
            _("The correction is {length} characters long; please keep it within {limit}.").format(
                length=len(checked.plain), limit=CORRECTION_MAX
            )
        )
        return
    await state.set_state(None)
    await state.set_data({})
    queued = await announcements.correct(announcement.id, checked.html, message.chat.id, locale)
    await message.answer(
        _("✅ The correction is going to {n} people, at Telegram's rates.").format(n=queued)
    )


# --- Excel --------------------------------------------------------------------------------


@router.callback_query(AnnounceCallback.filter(F.action == "xev"), Managed())
async def event_export(
    callback: CallbackQuery,
    repo: Repo,
    settings: Settings,
    locale: str,
    announcement: Announcement,
) -> None:
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    store = repo.announcements
    schools = {school.id: school for school in await repo.schools.list()}
    recipients = await store.recipients(announcement.id)
    content = event_workbook(
        announcement,
        await store.answers(announcement.id),
        await store.attendance(announcement.id),
        await store.deliveries(batch_name(announcement.id)),
        schools,
        {recipient.person.id: recipient.person.full_name for recipient in recipients},
        locale,
        settings.zone,
    )
    name = _("announcement-{id}.xlsx").format(id=announcement.id)
    await callback.message.answer_document(
        BufferedInputFile(content, filename=name),
        caption=_("«{title}»: answers, attendance by school, delivery.").format(
            title=escape(announcement.title)
        ),
    )


@router.callback_query(AnnounceCallback.filter(F.action == "xsch"), Managed())
async def schools_export(
    callback: CallbackQuery,
    repo: Repo,
    roles: Roles,
    settings: Settings,
    clock: Clock,
    locale: str,
    announcement: Announcement,
) -> None:
    """The year of this event: every school of the coordinator's territory and the events
    it attended."""
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    moment = announcement.starts_at or clock()
    year = moment.astimezone(settings.zone).year
    start = datetime(year, 1, 1, tzinfo=settings.zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=settings.zone).astimezone(UTC)
    schools = territory(roles, await repo.schools.list())
    attended = [
        Attended(school_id, event, staff)
        for school_id, event, staff in await repo.announcements.attended_by(
            [school.id for school in schools], start, end
        )
    ]
    content = schools_workbook(year, schools, attended, locale, settings.zone)
    await callback.message.answer_document(
        BufferedInputFile(content, filename=_("attendance-{year}.xlsx").format(year=year)),
        caption=_("Attendance of the program's events in {year}, per school.").format(year=year),
    )
