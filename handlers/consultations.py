"""/consultations: the overview for each role, a consultation and what may be done with
it (cancel, accept or decline a proposal, mark it held or missed and note the outcome),
the school's card before it.

Choosing a time (booking, booking a school directly, moving) is in
``handlers/consultation_booking.py``; publishing time in
``handlers/consultation_publishing.py``; the coordinators' report in
``handlers/consultation_report.py``. Every button is checked on the server
(:class:`Reachable` and :class:`bot.consultations.desk.Access`): a forged or foreign id
reaches the fallback's refusal.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ConsultCallback, MenuCallback
from bot.consultation_notices import accepted, cancelled, declined
from bot.consultation_screens import (
    MAX_OUTCOME,
    MAX_REASON,
    Home,
    consultation_screen,
    home_screen,
    mine_screen,
    show,
)
from bot.consultation_session import ConsultStates, WithDesk
from bot.consultations.desk import Access, Desk
from bot.consultations.school_card import school_card
from bot.filters import IsRegistered
from bot.replies import refuse_button
from bot.telegram_limits import shorten
from handlers.consultation_booking import finish_move
from storage.consultations import UPCOMING, Consultation, Gone, Status

log = logging.getLogger(__name__)
router = Router(name="consultations")
router.message.filter(IsRegistered(), WithDesk())
router.callback_query.filter(IsRegistered(), WithDesk())

SHOWN_ON_HOME = 5
AHEAD = timedelta(days=400)  # "upcoming" reaches this far


class Reachable(Filter):
    """A button about consultation ``cid`` the person may see: gives ``consultation`` and
    ``access``; a forged or foreign id is not reached (the fallback refuses it)."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: ConsultCallback, desk: Desk
    ) -> bool | dict[str, Any]:
        consultation = await desk.repo.consultations.get(callback_data.cid)
        if consultation is None:
            return False
        access = await desk.access(consultation)
        if not access.sees:
            return False
        return {"consultation": consultation, "access": access}


async def leave_steps(state: FSMContext) -> None:
    """A new screen ends a consultation step still waiting for text."""
    current = await state.get_state()
    if current is not None and current.startswith(ConsultStates.__name__):
        await state.set_state(None)


# --- the overview ---------------------------------------------------------------------------


async def home(desk: Desk) -> tuple[str, Any]:
    now = desk.now()
    roles = desk.roles
    school: list[tuple[Consultation, str]] = []
    hosting: list[tuple[Consultation, str]] = []
    unmarked = publications = 0
    if roles.principal_school_id is not None:
        found = await desk.repo.consultations.between(
            now, now + AHEAD, school_ids=[roles.principal_school_id], statuses=UPCOMING
        )
        school = [(c, await desk.name(c.host_id)) for c in found[:SHOWN_ON_HOME]]
    if roles.curator_school_ids:
        found = await desk.repo.consultations.between(
            now, now + AHEAD, host_id=desk.me.id, statuses=UPCOMING
        )
        hosting = [(c, await desk.school_name(c.school_id)) for c in found[:SHOWN_ON_HOME]]
        unmarked = len(await desk.repo.consultations.unmarked(desk.me.id, now))
        publications = len(await desk.repo.consultations.publications(desk.me.id, since=now))
    return home_screen(Home(roles, school, hosting, unmarked, publications), desk.zone, desk.locale)


@router.message(Command("consultations"))
async def consultations_command(message: Message, state: FSMContext, desk: Desk) -> None:
    await leave_steps(state)
    text, markup = await home(desk)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "consultations"))
async def consultations_button(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    await callback.answer()
    await leave_steps(state)
    await show(callback, await home(desk), new=True)


@router.callback_query(ConsultCallback.filter(F.action == "home"))
async def home_button(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    await callback.answer()
    await leave_steps(state)
    await show(callback, await home(desk))


@router.callback_query(ConsultCallback.filter(F.action == "mine"))
async def mine_button(
    callback: CallbackQuery, callback_data: ConsultCallback, state: FSMContext, desk: Desk
) -> None:
    """The person's upcoming consultations (held and school's), and the ones waiting
    for the curator's mark."""
    await callback.answer()
    await leave_steps(state)
    now = desk.now()
    roles = desk.roles
    me = desk.me.id if roles.curator_school_ids else None
    schools = [roles.principal_school_id] if roles.principal_school_id is not None else None
    items: list[Consultation] = []
    if me is not None:
        items += await desk.repo.consultations.unmarked(me, now)
    if me is not None or schools is not None:
        items += await desk.repo.consultations.between(
            now, now + AHEAD, host_id=me, school_ids=schools, statuses=UPCOMING
        )
    unique = {c.id: c for c in items}
    listed = [(c, await desk.other_side(c)) for c in sorted(unique.values(), key=_by_time)]
    await show(callback, mine_screen(listed, callback_data.page, desk.zone, desk.locale))


def _by_time(consultation: Consultation) -> datetime:
    return consultation.starts_at


# --- one consultation -----------------------------------------------------------------------


async def consultation_view(desk: Desk, consultation: Consultation, access: Access) -> Any:
    return consultation_screen(
        consultation,
        await desk.school_name(consultation.school_id),
        await desk.name(consultation.host_id),
        access,
        desk.now(),
        desk.zone,
        desk.locale,
    )


@router.callback_query(ConsultCallback.filter(F.action == "open"), Reachable())
async def open_button(
    callback: CallbackQuery,
    state: FSMContext,
    desk: Desk,
    consultation: Consultation,
    access: Access,
) -> None:
    await callback.answer()
    await leave_steps(state)
    await show(callback, await consultation_view(desk, consultation, access), new=True)


@router.callback_query(ConsultCallback.filter(F.action == "card"), Reachable())
async def card_button(
    callback: CallbackQuery, desk: Desk, consultation: Consultation, access: Access
) -> None:
    if not (access.host or access.overseer):
        await refuse_button(callback, desk.me.id)
        return
    await callback.answer()
    school = await desk.repo.schools.get(consultation.school_id)
    assert school is not None
    text = await school_card(
        desk.repo, desk.catalog, school, consultation, desk.now(), desk.zone, desk.locale
    )
    if isinstance(callback.message, Message):
        await callback.message.answer(text)


@router.callback_query(ConsultCallback.filter(F.action == "cancel"), Reachable())
async def cancel_button(
    callback: CallbackQuery,
    state: FSMContext,
    desk: Desk,
    consultation: Consultation,
    access: Access,
) -> None:
    if not await _may_change(callback, desk, consultation, access):
        return
    await callback.answer()
    await state.set_state(ConsultStates.reason)
    await state.update_data(cons_cancel=consultation.id, cons_move=None)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _(
                "Why is the consultation cancelled? Write the reason in a sentence: the other "
                "side will read it. /cancel to keep the consultation."
            )
        )


async def _may_change(
    callback: CallbackQuery, desk: Desk, consultation: Consultation, access: Access
) -> bool:
    """The host may move or cancel an upcoming consultation until it starts; the school
    until the notice. Says why not when the person is one of them."""
    now = desk.now()
    if access.host and consultation.upcoming and consultation.starts_at > now:
        return True
    if access.school and consultation.status is Status.BOOKED:
        if consultation.school_may_change(now):
            return True
        await callback.answer(
            _(
                "It is too late to change this consultation here: please get in touch with "
                "the curator."
            ),
            show_alert=True,
        )
        return False
    await refuse_button(callback, desk.me.id)
    return False


@router.callback_query(ConsultCallback.filter(F.action == "accept"), Reachable())
async def accept_button(
    callback: CallbackQuery, desk: Desk, consultation: Consultation, access: Access
) -> None:
    if not _proposal_for(desk, consultation, access):
        await _answer_gone(callback, desk, consultation, access)
        return
    parties = await desk.parties(consultation.school_id, consultation.host_id)
    try:
        done = await desk.repo.consultations.accept(
            consultation.id,
            by=desk.me.id,
            now=desk.now(),
            notices=accepted(parties, desk.me, desk.now()),
        )
    except Gone:
        await _answer_gone(callback, desk, consultation, access)
        return
    await desk.replan()
    await callback.answer(_("Accepted: the confirmation with a calendar file follows."))
    log.info("person %s accepted consultation %s", desk.me.id, done.id)
    await show(callback, await consultation_view(desk, done, access))


@router.callback_query(ConsultCallback.filter(F.action == "decline"), Reachable())
async def decline_button(
    callback: CallbackQuery, desk: Desk, consultation: Consultation, access: Access
) -> None:
    if not _proposal_for(desk, consultation, access):
        await _answer_gone(callback, desk, consultation, access)
        return
    parties = await desk.parties(consultation.school_id, consultation.host_id)
    try:
        done = await desk.repo.consultations.cancel(
            consultation.id,
            by=desk.me.id,
            reason=None,
            status=Status.DECLINED,
            now=desk.now(),
            notices=declined(parties),
            only=(Status.PROPOSED,),
        )
    except Gone:
        await _answer_gone(callback, desk, consultation, access)
        return
    await desk.replan()
    await callback.answer(_("Declined: the curator is told."))
    await show(callback, await consultation_view(desk, done, access))


def _proposal_for(desk: Desk, consultation: Consultation, access: Access) -> bool:
    return (
        access.school
        and consultation.status is Status.PROPOSED
        and consultation.starts_at > desk.now()
    )


async def _answer_gone(
    callback: CallbackQuery, desk: Desk, consultation: Consultation, access: Access
) -> None:
    """A button on a consultation that has changed since: the fresh screen instead."""
    if not access.school and not access.host:
        await refuse_button(callback, desk.me.id)
        return
    fresh = await desk.repo.consultations.get(consultation.id) or consultation
    await callback.answer(
        _("This consultation has changed meanwhile: here it is as it is now."), show_alert=True
    )
    await show(callback, await consultation_view(desk, fresh, access), new=True)


# --- afterwards: held or missed, and the outcome --------------------------------------------


@router.callback_query(ConsultCallback.filter(F.action.in_({"held", "missed"})), Reachable())
async def mark_button(
    callback: CallbackQuery,
    callback_data: ConsultCallback,
    state: FSMContext,
    desk: Desk,
    consultation: Consultation,
    access: Access,
) -> None:
    if not access.host:
        await refuse_button(callback, desk.me.id)
        return
    status = Status.HELD if callback_data.action == "held" else Status.MISSED
    try:
        marked = await desk.repo.consultations.mark(
            consultation.id, status, by=desk.me.id, now=desk.now()
        )
    except Gone:
        if consultation.starts_at > desk.now():
            await callback.answer(
                _("It has not started yet: mark it once it has taken place (or not)."),
                show_alert=True,
            )
        else:
            await _answer_gone(callback, desk, consultation, access)
        return
    await callback.answer()
    await state.set_state(ConsultStates.outcome)
    await state.update_data(cons_outcome=marked.id)
    if isinstance(callback.message, Message):
        await callback.message.answer(_outcome_question(marked), reply_markup=_skip(marked.id))


def _outcome_question(consultation: Consultation) -> str:
    if consultation.status is Status.HELD:
        return _(
            "✅ Marked: held. In a sentence or two, what came of it? (The school's next "
            "curator will read it.)"
        )
    return _("❌ Marked: did not take place. What happened? A sentence is enough.")


def _skip(consultation_id: int) -> Any:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Skip"), callback_data=ConsultCallback(action="skip", cid=consultation_id)
    )
    return builder.as_markup()


@router.callback_query(ConsultCallback.filter(F.action == "note"), Reachable())
async def note_button(
    callback: CallbackQuery,
    state: FSMContext,
    desk: Desk,
    consultation: Consultation,
    access: Access,
) -> None:
    if not access.host or consultation.status not in (Status.HELD, Status.MISSED):
        await refuse_button(callback, desk.me.id)
        return
    await callback.answer()
    await state.set_state(ConsultStates.outcome)
    await state.update_data(cons_outcome=consultation.id)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _outcome_question(consultation), reply_markup=_skip(consultation.id)
        )


@router.callback_query(ConsultCallback.filter(F.action == "skip"), Reachable())
async def skip_button(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await leave_steps(state)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(_("Fine: the mark is saved without a note."))


@router.message(StateFilter(ConsultStates.outcome), F.text, ~F.text.startswith("/"))
async def outcome_typed(message: Message, state: FSMContext, desk: Desk) -> None:
    text = " ".join((message.text or "").split())
    if len(text) > MAX_OUTCOME:
        await message.answer(
            _(
                "That is {length} characters; please keep the outcome within {limit} and "
                "send it again."
            ).format(length=len(text), limit=MAX_OUTCOME)
        )
        return
    consultation_id = int((await state.get_data()).get("cons_outcome") or 0)
    consultation = await desk.repo.consultations.get(consultation_id)
    await state.set_state(None)
    if consultation is None or not desk.person or consultation.host_id != desk.me.id:
        await message.answer(_("This step has ended. Please use /consultations."))
        return
    try:
        saved = await desk.repo.consultations.set_outcome(consultation.id, text, by=desk.me.id)
    except Gone:
        await message.answer(_("This consultation is not marked held or missed: nothing saved."))
        return
    await message.answer(
        _("📝 Saved: «{outcome}».").format(outcome=escape(shorten(saved.outcome or "", 600)))
    )


# --- typed reasons: cancelling (and moving, see consultation_booking) ------------------------


@router.message(StateFilter(ConsultStates.reason), F.text, ~F.text.startswith("/"))
async def reason_typed(message: Message, state: FSMContext, desk: Desk) -> None:
    reason = " ".join((message.text or "").split())
    if len(reason) > MAX_REASON:
        await message.answer(
            _(
                "That is {length} characters; please keep the reason within {limit} and send "
                "it again."
            ).format(length=len(reason), limit=MAX_REASON)
        )
        return
    if not reason:
        await message.answer(_("Please write the reason in words."))
        return
    data = await state.get_data()
    if data.get("cons_move"):
        await finish_move(message, state, desk, reason)
        return
    consultation = await desk.repo.consultations.get(int(data.get("cons_cancel") or 0))
    access = await desk.access(consultation) if consultation else None
    now = desk.now()
    allowed = (
        consultation is not None
        and access is not None
        and consultation.starts_at > now
        and (
            (access.host and consultation.upcoming)
            or (
                access.school
                and consultation.status is Status.BOOKED
                and consultation.school_may_change(now)
            )
        )
    )
    await state.set_state(None)
    if not allowed or consultation is None:
        await message.answer(
            _("This consultation can no longer be cancelled here. Please look at /consultations.")
        )
        return
    parties = await desk.parties(consultation.school_id, consultation.host_id)
    try:
        await desk.repo.consultations.cancel(
            consultation.id,
            by=desk.me.id,
            reason=reason,
            status=Status.CANCELLED,
            now=now,
            notices=cancelled(parties, desk.me, reason),
        )
    except Gone:
        await message.answer(_("This consultation has been cancelled already."))
        return
    await desk.replan()
    log.info("person %s cancelled consultation %s", desk.me.id, consultation.id)
    await message.answer(
        _("✖️ Cancelled, with the reason «{reason}». The other side is told.").format(
            reason=escape(reason)
        )
    )


@router.message(StateFilter(ConsultStates.reason, ConsultStates.outcome))
async def step_not_text(message: Message) -> None:
    await message.answer(_("Please write it as text, or /cancel."))
