"""Roadmap actions carried out: answering a request («Выполнено» with evidence, «Перенести»
with a new period, «Не выполнено» with a reason), and the coordinators' progress screens,
files and the Excel report (/progress).

Every button names an action, a part and a point by ids; each press is checked again
(:func:`resolve`): only the people of a part answer for it, only coordinators of the
territory see it. Answers are saved at once and said back as stored; a conversation
survives a restart (its step lives in the database).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.calendar.audience import sees_roadmap
from bot.calendar.execution.evidence import (
    Evidence,
    EvidenceError,
    evidence_example,
    read_reason,
    read_typed_evidence,
)
from bot.calendar.execution.export import execution_report
from bot.calendar.execution.ledger import Ledger, load_ledger
from bot.calendar.execution.new_period import NewPeriodError, read_new_period
from bot.calendar.execution.parts import Part, confirms, part_at, sees
from bot.calendar.execution.screens import (
    Screen,
    action_screen,
    calendar_note,
    overview_screen,
    own_block,
    roadmap_screen,
)
from bot.calendar.execution.status import current_point
from bot.calendar.execution.texts import (
    POINTS_HINT,
    POSTPONE_HINT,
    action_name,
    answer_words,
    new_period_words,
    part_label,
    point_words,
)
from bot.calendar.roadmap.dates import read_dates
from bot.calendar.view import long_date, shorten
from bot.callbacks import ExecutionCallback, MenuCallback
from bot.clock import Clock
from bot.filters import IsCoordinator, IsRegistered
from bot.i18n import LocalizedError
from bot.indicators.form import local_today
from bot.replies import refuse_button
from bot.settings import Settings
from handlers.roadmap import manages
from scheduler.reminders import ReminderScheduler
from storage.calendar import Event, Roadmap
from storage.execution import Confirmation, NewConfirmation
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="execution")

FILE_LINK = r"^file-(\d{1,18})$"


class ExecutionStates(StatesGroup):
    evidence = State()  # «Выполнено»: a file, a link or a sentence
    new_period = State()  # «Перенести»: the new period
    move_reason = State()  # after a postponement: why (optional)
    reason = State()  # «Не выполнено»: why
    points = State()  # a coordinator's reporting points


# --------------------------------------------------------------------------- the target


@dataclass(frozen=True, slots=True)
class Target:
    """An action's part at a point that the person may answer for."""

    ledger: Ledger
    event: Event
    roadmap: Roadmap
    part: Part
    point: date | None

    def label(self, locale: str) -> str:
        return part_label(self.part, self.ledger.schools, locale)


async def resolve(
    repo: Repo, roles: Roles, today: date, event_id: int, school_id: int, muni: int, point: int
) -> Target | None:
    """The part a button (or a conversation) names, if the person may answer for it now;
    ``point`` 0: the point an answer given now is about."""
    event = await repo.calendar.event(event_id)
    if event is None:
        return None
    ledger = await load_ledger(repo, [event.roadmap_id])
    event = ledger.event(event_id)
    if event is None:
        return None
    roadmap = ledger.roadmap_of(event)
    part = part_at(ledger.parts(event), school_id, muni)
    if part is None or not confirms(roles, part, event.roles, roadmap.municipality, ledger.schools):
        return None
    points = ledger.points.get(event.id, [])
    if point:
        try:
            day: date | None = date.fromordinal(point)
        except (ValueError, OverflowError):
            return None
        if day not in points:
            return None
    else:
        day = current_point(points, ledger.latest(event, part), today)
    return Target(ledger, event, roadmap, part, day)


class Answering(Filter):
    """A «Выполнено» / «Перенести» / «Не выполнено» button the person may press: gives
    ``target``; anything else (forged, stale, someone else's part) goes to the refusal."""

    async def __call__(
        self,
        callback: CallbackQuery,
        callback_data: ExecutionCallback,
        repo: Repo,
        roles: Roles,
        settings: Settings,
        clock: Clock,
    ) -> bool | dict[str, Any]:
        today = local_today(settings.zone, clock())
        target = await resolve(
            repo,
            roles,
            today,
            callback_data.event_id,
            callback_data.school_id,
            callback_data.muni,
            callback_data.point,
        )
        return False if target is None else {"target": target}


def _remember(target: Target) -> dict[str, int]:
    parts = target.ledger.parts(target.event)
    named = [p for p in parts if p.municipality is not None]
    muni = next((i for i, p in enumerate(named, start=1) if p.same(target.part)), 0)
    return {
        "event": target.event.id,
        "school": target.part.school_id or 0,
        "muni": muni,
        "point": target.point.toordinal() if target.point else 0,
    }


async def _recall(
    state: FSMContext, repo: Repo, roles: Roles, settings: Settings, clock: Clock
) -> Target | None:
    data = (await state.get_data()).get("execution") or {}
    if not data:
        return None
    today = local_today(settings.zone, clock())
    return await resolve(
        repo,
        roles,
        today,
        int(data.get("event", 0)),
        int(data.get("school", 0)),
        int(data.get("muni", 0)),
        int(data.get("point", 0)),
    )


async def _gone(message: Message, state: FSMContext) -> None:
    await state.set_state(None)
    await message.answer(
        _(
            "This action is no longer yours to confirm (the roadmap was imported again or your "
            "role changed). Please see /calendar."
        )
    )


def _heading(target: Target, locale: str) -> str:
    checkpoint = target.ledger.is_checkpoint(target.event, target.point)
    return "\n".join(
        [
            f"<b>{action_name(target.event, 300)}</b>",
            _("Your part: {part}").format(part=escape(target.label(locale)))
            + " · "
            + point_words(target.point, checkpoint, locale),
        ]
    )


# --------------------------------------------------------------------------- answering


@router.callback_query(ExecutionCallback.filter(F.action == "done"), IsRegistered(), Answering())
async def done_pressed(
    callback: CallbackQuery, state: FSMContext, target: Target, locale: str
) -> None:
    await callback.answer()
    await state.set_state(ExecutionStates.evidence)
    await state.update_data(execution=_remember(target))
    example = _(evidence_example(target.event.result))
    lines = [_heading(target, locale), "", _("✅ Done. Now send the evidence, one of:")]
    lines += [
        _("• a file — a document or a photo (a caption becomes a comment);"),
        _("• a link to the document on the school's or the authority's site;"),
        _("• a sentence naming the document, for example «{example}».").format(example=example),
    ]
    if target.event.result:
        lines.append(
            _("The roadmap expects: {result}").format(
                result=escape(shorten(target.event.result, 500))
            )
        )
    lines.append(_("/cancel — do not mark it now."))
    if isinstance(callback.message, Message):
        await callback.message.answer("\n".join(lines))


@router.callback_query(ExecutionCallback.filter(F.action == "move"), IsRegistered(), Answering())
async def move_pressed(
    callback: CallbackQuery, state: FSMContext, target: Target, locale: str
) -> None:
    await callback.answer()
    await state.set_state(ExecutionStates.new_period)
    await state.update_data(execution=_remember(target))
    text = "\n".join(
        [
            _heading(target, locale),
            "",
            _(POSTPONE_HINT),
        ]
    )
    if isinstance(callback.message, Message):
        await callback.message.answer(text)


@router.callback_query(ExecutionCallback.filter(F.action == "fail"), IsRegistered(), Answering())
async def fail_pressed(
    callback: CallbackQuery, state: FSMContext, target: Target, locale: str
) -> None:
    await callback.answer()
    await state.set_state(ExecutionStates.reason)
    await state.update_data(execution=_remember(target))
    text = "\n".join(
        [
            _heading(target, locale),
            "",
            _("❌ Not done: please write why, in one message. /cancel — do not mark it now."),
        ]
    )
    if isinstance(callback.message, Message):
        await callback.message.answer(text)


async def _save(
    repo: Repo, target: Target, person: Person, status: str, **fields: Any
) -> Confirmation:
    stored = await repo.execution.confirm(
        NewConfirmation(
            event_id=target.event.id,
            due_on=target.point,
            status=status,
            person_id=person.id,
            school_id=target.part.school_id,
            municipality=target.part.municipality,
            **fields,
        )
    )
    log.info(
        "person %s answered %s for action %s, part %s, point %s",
        person.id,
        status,
        target.event.id,
        target.part.key,
        target.point,
    )
    return stored


async def _said_back(
    message: Message, target: Target, stored: Confirmation, settings: Settings, locale: str
) -> None:
    text = "\n".join(
        [
            _("Saved for «{title}» ({part}):").format(
                title=action_name(target.event), part=escape(target.label(locale))
            ),
            answer_words(stored, settings.zone, locale, who=False),
            _(
                "You can change it any time: the buttons of the request, or the action in "
                "/calendar."
            ),
        ]
    )
    await message.answer(text)


async def _save_evidence(
    message: Message,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    person: Person,
    settings: Settings,
    clock: Clock,
    evidence: Evidence,
    comment: str | None,
    locale: str,
) -> None:
    target = await _recall(state, repo, roles, settings, clock)
    if target is None:
        await _gone(message, state)
        return
    stored = await _save(
        repo,
        target,
        person,
        "done",
        file_id=evidence.file_id,
        file_name=evidence.file_name,
        file_kind=evidence.file_kind,
        link=evidence.link,
        evidence=evidence.text,
        comment=comment,
    )
    await state.set_state(None)
    await _said_back(message, target, stored, settings, locale)


def _caption(message: Message) -> str | None:
    text = " ".join((message.caption or "").split())
    return text[:1000] or None


@router.message(StateFilter(ExecutionStates.evidence), F.document)
async def evidence_file(
    message: Message,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    person: Person,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    document = message.document
    assert document is not None
    evidence = Evidence(
        file_id=document.file_id,
        file_name=document.file_name or "document",
        file_kind="document",
    )
    await _save_evidence(
        message, state, repo, roles, person, settings, clock, evidence, _caption(message), locale
    )


@router.message(StateFilter(ExecutionStates.evidence), F.photo)
async def evidence_photo(
    message: Message,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    person: Person,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    assert message.photo
    largest = message.photo[-1]
    evidence = Evidence(file_id=largest.file_id, file_kind="photo")
    await _save_evidence(
        message, state, repo, roles, person, settings, clock, evidence, _caption(message), locale
    )


@router.message(StateFilter(ExecutionStates.evidence), F.text, ~F.text.startswith("/"))
async def evidence_text(
    message: Message,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    person: Person,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    try:
        evidence = read_typed_evidence(message.text or "")
    except EvidenceError as error:
        await message.answer("⚠️ " + error.render(locale, html=True))
        return
    await _save_evidence(
        message, state, repo, roles, person, settings, clock, evidence, None, locale
    )


@router.message(StateFilter(ExecutionStates.evidence), ~F.text)
async def evidence_other(message: Message) -> None:
    await message.answer(
        _("Please send a file (a document or a photo), a link or a sentence, or /cancel.")
    )


@router.message(StateFilter(ExecutionStates.new_period), F.text, ~F.text.startswith("/"))
async def new_period_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    person: Person,
    settings: Settings,
    clock: Clock,
    reminders: ReminderScheduler,
    locale: str,
) -> None:
    target = await _recall(state, repo, roles, settings, clock)
    if target is None:
        await _gone(message, state)
        return
    today = local_today(settings.zone, clock())
    try:
        period = read_new_period(message.text or "", today)
    except NewPeriodError as error:
        await message.answer("⚠️ " + error.render(locale, html=True))
        return
    stored = await _save(
        repo,
        target,
        person,
        "postponed",
        new_starts_on=period.starts_on,
        new_ends_on=period.ends_on,
        new_period=period.text,
    )
    await reminders.rebuild()  # the request follows the new period
    await state.set_state(ExecutionStates.move_reason)
    await state.update_data(moved=stored.id)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("No comment"),
        callback_data=ExecutionCallback(action="nocomment", item=stored.id),
    )
    words = new_period_words(period.starts_on, period.ends_on, locale)
    await message.answer(
        "\n".join(
            [
                _("↪️ Saved: «{title}» ({part}) is postponed, new period {period}.").format(
                    title=action_name(target.event),
                    part=escape(target.label(locale)),
                    period=words,
                ),
                _("You will be asked again on {date}.").format(
                    date=long_date(period.ends_on, locale)
                ),
                "",
                _("Why is it postponed? Write it in one message, or press «No comment»."),
            ]
        ),
        reply_markup=builder.as_markup(),
    )


@router.message(StateFilter(ExecutionStates.move_reason), F.text, ~F.text.startswith("/"))
async def move_reason_typed(
    message: Message, state: FSMContext, repo: Repo, person: Person, locale: str
) -> None:
    try:
        reason = read_reason(message.text or "")
    except EvidenceError as error:
        await message.answer("⚠️ " + error.render(locale, html=True))
        return
    moved = int((await state.get_data()).get("moved") or 0)
    stored = await repo.execution.confirmation(moved)
    await state.set_state(None)
    if stored is None or stored.person_id != person.id:
        await message.answer(_("This postponement is no longer there. Please see /calendar."))
        return
    if not await repo.execution.add_comment(moved, reason):
        await message.answer(_("This postponement already has a reason. Please see /calendar."))
        return
    await message.answer(_("Saved the reason: «{reason}».").format(reason=escape(reason)))


@router.callback_query(ExecutionCallback.filter(F.action == "nocomment"), IsRegistered())
async def no_comment(
    callback: CallbackQuery, callback_data: ExecutionCallback, state: FSMContext, person: Person
) -> None:
    data = await state.get_data()
    if (
        await state.get_state() != ExecutionStates.move_reason.state
        or int(data.get("moved") or 0) != callback_data.item
    ):
        await callback.answer(_("Nothing to do here any more."))
        return
    await callback.answer()
    await state.set_state(None)
    if isinstance(callback.message, Message):
        await callback.message.answer(_("Fine: the postponement is saved without a comment."))


@router.message(StateFilter(ExecutionStates.reason), F.text, ~F.text.startswith("/"))
async def reason_typed(
    message: Message,
    state: FSMContext,
    repo: Repo,
    roles: Roles,
    person: Person,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> None:
    try:
        reason = read_reason(message.text or "")
    except EvidenceError as error:
        await message.answer("⚠️ " + error.render(locale, html=True))
        return
    target = await _recall(state, repo, roles, settings, clock)
    if target is None:
        await _gone(message, state)
        return
    stored = await _save(repo, target, person, "not_done", comment=reason)
    await state.set_state(None)
    await _said_back(message, target, stored, settings, locale)


@router.message(
    StateFilter(ExecutionStates.new_period, ExecutionStates.move_reason, ExecutionStates.reason),
    ~F.text,
)
async def text_wanted(message: Message) -> None:
    await message.answer(_("Please write it as text, or /cancel."))


# --------------------------------------------------------------------------- coordinators


def _markup(screen: Screen) -> InlineKeyboardMarkup | None:
    if not screen.rows:
        return None
    rows = [
        [
            {
                "text": button.text,
                "callback_data": ExecutionCallback(
                    action=button.action,
                    event_id=button.event_id,
                    roadmap_id=button.roadmap_id,
                    page=button.page,
                    item=button.item,
                    school_id=button.school_id,
                    muni=button.muni,
                    point=button.point,
                ).pack(),
            }
            for button in row
        ]
        for row in screen.rows
    ]
    return InlineKeyboardMarkup.model_validate({"inline_keyboard": rows})


async def _show(target: Message | CallbackQuery, screen: Screen, *, edit: bool = False) -> None:
    message = target.message if isinstance(target, CallbackQuery) else target
    if not isinstance(message, Message):
        return
    if edit:
        await message.edit_text(screen.text, reply_markup=_markup(screen))
    else:
        await message.answer(screen.text, reply_markup=_markup(screen))


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
    year = today.year if roadmap.starts_on.year <= today.year <= roadmap.ends_on.year else None
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
    await state.set_state(ExecutionStates.points)
    await state.update_data(points_event=event.id)
    current = ledger.checkpoints.get(event.id, [])
    lines = [
        f"<b>{action_name(event, 300)}</b>",
        _("Period: {period}").format(period=escape(event.period_text or "—")),
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


@router.message(
    StateFilter(ExecutionStates.points), IsCoordinator(), F.text, ~F.text.startswith("/")
)
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


@router.message(StateFilter(ExecutionStates.points), ~F.text)
async def points_not_text(message: Message) -> None:
    await message.answer(_("Please write the dates as text, or /cancel."))


# --------------------------------------------------------------------------- files


async def _send_file(
    message: Message, repo: Repo, roles: Roles, answer_id: int, locale: str
) -> bool:
    """Send an answer's file to the person if they may see its part; False if not."""
    answer = await repo.execution.confirmation(answer_id)
    if answer is None or not answer.file_id:
        return False
    ledger = await load_ledger(repo, [(await _roadmap_id(repo, answer.event_id)) or 0])
    event = ledger.event(answer.event_id)
    if event is None:
        return False
    roadmap = ledger.roadmap_of(event)
    part = Part(answer.school_id, answer.municipality)
    allowed = sees_roadmap(roles, roadmap.municipality, ledger.schools) and (
        sees(roles, part, ledger.schools)
        or confirms(roles, part, event.roles, roadmap.municipality, ledger.schools)
    )
    if not allowed:
        return False
    caption = shorten(
        _("«{file}» — {part}, {title}, answered {date}").format(
            file=escape(answer.file_name or _("photo")),
            part=escape(part_label(part, ledger.schools, locale)),
            title=action_name(event, 200),
            date=long_date(answer.created_at.date(), locale),
        ),
        1000,
    )
    try:
        if answer.file_kind == "photo":
            await message.answer_photo(answer.file_id, caption=caption)
        else:
            await message.answer_document(answer.file_id, caption=caption)
    except TelegramAPIError as error:
        log.warning("file of answer %s not sent: %s", answer.id, error)
        await message.answer(
            _("Telegram could not send this file again. Please ask the school for it.")
        )
    return True


async def _roadmap_id(repo: Repo, event_id: int) -> int | None:
    event = await repo.calendar.event(event_id)
    return event.roadmap_id if event else None


@router.callback_query(ExecutionCallback.filter(F.action == "file"), IsRegistered())
async def file_button(
    callback: CallbackQuery,
    callback_data: ExecutionCallback,
    repo: Repo,
    roles: Roles,
    person: Person,
    locale: str,
) -> None:
    if not isinstance(callback.message, Message) or not await _send_file(
        callback.message, repo, roles, callback_data.item, locale
    ):
        await refuse_button(callback, person.id)
        return
    await callback.answer()


@router.message(CommandStart(deep_link=True, magic=F.args.regexp(FILE_LINK)))
async def file_link(
    message: Message, command: CommandObject, repo: Repo, roles: Roles, locale: str
) -> None:
    """A file's link in the Excel report: the bot sends the file to whom may see it."""
    answer_id = int((command.args or "file-0").split("-", 1)[1])
    if not roles or not await _send_file(message, repo, roles, answer_id, locale):
        await message.answer(
            _(
                "This file is not available to you. Files of the roadmap report are sent to "
                "the coordinators of the territory and to the school itself."
            )
        )


# --------------------------------------------------------------------------- /calendar


async def calendar_block(
    repo: Repo, roles: Roles, event: Event, settings: Settings, clock: Clock, locale: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Under an action's details in /calendar: the person's own part with its buttons, and a
    coordinator's way to the action's progress."""
    ledger = await load_ledger(repo, [event.roadmap_id])
    found = ledger.event(event.id)
    if found is None:
        return "", None
    screen = own_block(ledger, roles, found, _today(settings, clock), locale, settings.zone)
    return screen.text, _markup(screen)


async def calendar_notes(
    repo: Repo, roles: Roles, actions: list[tuple[int, date]], today: date, locale: str
) -> dict[tuple[int, date], str]:
    """The marks of calendar lines (action, end of its period): ✅ done, ⚠️ overdue, ..."""
    if not actions:
        return {}
    ledger = await load_ledger(repo)
    notes = {}
    for event_id, point in actions:
        event = ledger.event(event_id)
        if event is not None:
            note = calendar_note(ledger, roles, event, point, today, locale)
            if note:
                notes[(event_id, point)] = note
    return notes
