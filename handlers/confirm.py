"""Answering a request to confirm a roadmap action: «Выполнено» and then the evidence (a
file, a link or a sentence), «Перенести» and then the new period (and why), «Не
выполнено» and then why.

Each press names an action's part and point by ids and is checked again (the
:class:`Answering` filter, :func:`bot.calendar.execution.target.resolve`): only the people
of a part answer for it. Answers are saved at once and said back as stored; a step
survives a restart (the ids live in the conversation's data) and is checked again when
the answer comes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.calendar.execution.evidence import (
    Evidence,
    EvidenceError,
    evidence_example,
    read_reason,
    read_typed_evidence,
)
from bot.calendar.execution.new_period import NewPeriodError, read_new_period
from bot.calendar.execution.target import Target, resolve, resolve_ids, save_answer
from bot.calendar.execution.texts import (
    POSTPONE_HINT,
    action_name,
    answer_words,
    new_period_words,
    point_words,
)
from bot.calendar.view import long_date, shorten
from bot.callbacks import ExecutionCallback
from bot.clock import Clock
from bot.filters import IsRegistered
from bot.indicators.form import local_today
from bot.settings import Settings
from scheduler.reminders import ReminderScheduler
from storage.execution import Confirmation
from storage.models import Person, Roles
from storage.repo import Repo

log = logging.getLogger(__name__)
router = Router(name="confirm")

CAPTION_LIMIT = 1000  # characters of a file's caption kept as a comment


class ConfirmStates(StatesGroup):
    evidence = State()  # «Выполнено»: a file, a link or a sentence
    new_period = State()  # «Перенести»: the new period
    move_reason = State()  # after a postponement: why (optional)
    reason = State()  # «Не выполнено»: why


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
        target = await resolve(
            repo,
            roles,
            local_today(settings.zone, clock()),
            callback_data.event_id,
            callback_data.school_id,
            callback_data.muni,
            callback_data.point,
        )
        return False if target is None else {"target": target}


async def _recall(
    state: FSMContext, repo: Repo, roles: Roles, settings: Settings, clock: Clock
) -> Target | None:
    ids = (await state.get_data()).get("execution") or {}
    return await resolve_ids(repo, roles, local_today(settings.zone, clock()), ids)


async def _gone(message: Message, state: FSMContext) -> None:
    await state.set_state(None)
    await message.answer(
        _(
            "This action is no longer yours to confirm (the roadmap was imported again or your "
            "role changed). Please see /calendar."
        )
    )


def _heading(target: Target, locale: str) -> str:
    return "\n".join(
        [
            f"<b>{action_name(target.event, 300)}</b>",
            _("Your part: {part}").format(part=escape(target.label(locale)))
            + " · "
            + point_words(target.point, target.is_checkpoint, locale),
        ]
    )


async def _open(callback: CallbackQuery, state: FSMContext, target: Target, step: State) -> None:
    await callback.answer()
    await state.set_state(step)
    await state.update_data(execution=target.ids())


# --------------------------------------------------------------------------- the buttons


@router.callback_query(ExecutionCallback.filter(F.action == "done"), IsRegistered(), Answering())
async def done_pressed(
    callback: CallbackQuery, state: FSMContext, target: Target, locale: str
) -> None:
    await _open(callback, state, target, ConfirmStates.evidence)
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
    await _open(callback, state, target, ConfirmStates.new_period)
    if isinstance(callback.message, Message):
        await callback.message.answer("\n".join([_heading(target, locale), "", _(POSTPONE_HINT)]))


@router.callback_query(ExecutionCallback.filter(F.action == "fail"), IsRegistered(), Answering())
async def fail_pressed(
    callback: CallbackQuery, state: FSMContext, target: Target, locale: str
) -> None:
    await _open(callback, state, target, ConfirmStates.reason)
    text = _("❌ Not done: please write why, in one message. /cancel — do not mark it now.")
    if isinstance(callback.message, Message):
        await callback.message.answer("\n".join([_heading(target, locale), "", text]))


# --------------------------------------------------------------------------- saving


async def _save(
    repo: Repo, target: Target, person: Person, status: str, **fields: Any
) -> Confirmation:
    stored = await save_answer(repo, target, person.id, status, **fields)
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


@dataclass(frozen=True, slots=True)
class Answerer:
    """Who answers, and what the saving needs of the middlewares' data."""

    repo: Repo
    roles: Roles
    person: Person
    settings: Settings
    clock: Clock
    locale: str


class WithAnswerer(Filter):
    """Gives ``who``: an :class:`Answerer` from the middlewares' data."""

    async def __call__(
        self,
        message: Message,
        repo: Repo,
        roles: Roles,
        person: Person,
        settings: Settings,
        clock: Clock,
        locale: str,
    ) -> dict[str, Any]:
        return {"who": Answerer(repo, roles, person, settings, clock, locale)}


async def _save_evidence(
    message: Message, state: FSMContext, who: Answerer, evidence: Evidence, comment: str | None
) -> None:
    target = await _recall(state, who.repo, who.roles, who.settings, who.clock)
    if target is None:
        await _gone(message, state)
        return
    stored = await _save(
        who.repo,
        target,
        who.person,
        "done",
        file_id=evidence.file_id,
        file_name=evidence.file_name,
        file_kind=evidence.file_kind,
        link=evidence.link,
        evidence=evidence.text,
        comment=comment,
    )
    await state.set_state(None)
    await _said_back(message, target, stored, who.settings, who.locale)


def _caption(message: Message) -> str | None:
    text = " ".join((message.caption or "").split())
    return text[:CAPTION_LIMIT] or None


@router.message(StateFilter(ConfirmStates.evidence), F.document, WithAnswerer())
async def evidence_file(message: Message, state: FSMContext, who: Answerer) -> None:
    document = message.document
    assert document is not None
    evidence = Evidence(
        file_id=document.file_id,
        file_name=document.file_name or "document",
        file_kind="document",
    )
    await _save_evidence(message, state, who, evidence, _caption(message))


@router.message(StateFilter(ConfirmStates.evidence), F.photo, WithAnswerer())
async def evidence_photo(message: Message, state: FSMContext, who: Answerer) -> None:
    assert message.photo
    evidence = Evidence(file_id=message.photo[-1].file_id, file_kind="photo")
    await _save_evidence(message, state, who, evidence, _caption(message))


@router.message(
    StateFilter(ConfirmStates.evidence), F.text, ~F.text.startswith("/"), WithAnswerer()
)
async def evidence_text(message: Message, state: FSMContext, who: Answerer) -> None:
    try:
        evidence = read_typed_evidence(message.text or "")
    except EvidenceError as error:
        await message.answer("⚠️ " + error.render(who.locale, html=True))
        return
    await _save_evidence(message, state, who, evidence, None)


@router.message(StateFilter(ConfirmStates.evidence), ~F.text)
async def evidence_other(message: Message) -> None:
    await message.answer(
        _("Please send a file (a document or a photo), a link or a sentence, or /cancel.")
    )


@router.message(StateFilter(ConfirmStates.new_period), F.text, ~F.text.startswith("/"))
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
    try:
        period = read_new_period(message.text or "", local_today(settings.zone, clock()))
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
    await state.set_state(ConfirmStates.move_reason)
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


@router.message(StateFilter(ConfirmStates.move_reason), F.text, ~F.text.startswith("/"))
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
    callback: CallbackQuery, callback_data: ExecutionCallback, state: FSMContext
) -> None:
    data = await state.get_data()
    if (
        await state.get_state() != ConfirmStates.move_reason.state
        or int(data.get("moved") or 0) != callback_data.item
    ):
        await callback.answer(_("Nothing to do here any more."))
        return
    await callback.answer()
    await state.set_state(None)
    if isinstance(callback.message, Message):
        await callback.message.answer(_("Fine: the postponement is saved without a comment."))


@router.message(StateFilter(ConfirmStates.reason), F.text, ~F.text.startswith("/"))
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
    StateFilter(ConfirmStates.new_period, ConfirmStates.move_reason, ConfirmStates.reason),
    ~F.text,
)
async def text_wanted(message: Message) -> None:
    await message.answer(_("Please write it as text, or /cancel."))
