"""Choosing a time: a principal books a curator, a curator books one of their schools
directly, either side moves a consultation.

The steps are the same for the three: a curator (a principal's choice), a month of the
curator's free days (full and past days hidden), a day's free times, then the topic (a
booking) or the reason (a move). Every button carries the whole of its choice (mode,
curator, school or consultation, day, start) and is checked again on the server
(:class:`TimeFor`); the booking itself is decided by the storage's transaction, so a
time taken meanwhile is refused with the nearest free ones. What was typed (a topic, a
reason) is kept when the time is refused, and used for the time chosen next.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ConsultCallback, SlotCallback, TopicCallback
from bot.consultation_notices import booked, moved, proposed
from bot.consultation_screens import show
from bot.consultation_session import ConsultStates, WithDesk
from bot.consultation_time_screens import (
    MAX_TOPIC,
    MonthView,
    day_screen,
    from_minute,
    hosts_screen,
    minute_of,
    month_screen,
    refused_screen,
    schools_screen,
    topic_screen,
)
from bot.consultations.desk import Desk
from bot.consultations.offer import Offer
from bot.consultations.slots import BookingProblem, Refusal
from bot.consultations.texts import moment_in_zone
from bot.filters import IsCurator, IsPrincipal, IsRegistered
from bot.replies import refuse_button
from bot.telegram_limits import shorten
from storage.consultations import (
    BookingRequest,
    Consultation,
    Done,
    Gone,
    Refused,
    Status,
)

log = logging.getLogger(__name__)
router = Router(name="consultation_booking")
router.message.filter(IsRegistered(), WithDesk())
router.callback_query.filter(IsRegistered(), WithDesk())

FIRST_YEAR, LAST_YEAR = 2000, 2100
LAST_MINUTE = minute_of(datetime(LAST_YEAR, 1, 1, tzinfo=UTC))  # a start beyond is forged


@dataclass(frozen=True, slots=True)
class Flow:
    """What a time button is for, as checked: ``b`` a principal books, ``d`` the curator
    books a school directly, ``m`` a consultation is moved."""

    mode: str
    host_id: int
    school_id: int
    consultation: Consultation | None
    host_action: bool  # the curator acts on their own time: no notice applies

    @property
    def ref(self) -> int:
        if self.consultation is not None:
            return self.consultation.id
        return self.school_id if self.mode == "d" else 0

    @property
    def without(self) -> int | None:
        return self.consultation.id if self.consultation is not None else None

    @property
    def key(self) -> str:
        return f"{self.mode}:{self.host_id}:{self.ref}"


class TimeFor(Filter):
    """A time button the person may press: gives the ``flow``. A principal books for
    their own school; a curator books only their own schools; a consultation is moved by
    its curator, or by its school (the notice is checked at each step)."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: SlotCallback, desk: Desk
    ) -> bool | dict[str, Any]:
        roles = desk.roles
        mode = callback_data.mode
        if mode == "b" and roles.principal_school_id is not None and callback_data.host:
            return {"flow": Flow("b", callback_data.host, roles.principal_school_id, None, False)}
        if mode == "d" and callback_data.ref in roles.curator_school_ids:
            return {"flow": Flow("d", desk.me.id, callback_data.ref, None, True)}
        if mode == "m":
            consultation = await desk.repo.consultations.get(callback_data.ref)
            if consultation is None or not consultation.upcoming:
                return False
            access = await desk.access(consultation)
            if access.host:
                flow = Flow("m", consultation.host_id, consultation.school_id, consultation, True)
                return {"flow": flow}
            if access.school and consultation.status is Status.BOOKED:
                flow = Flow("m", consultation.host_id, consultation.school_id, consultation, False)
                return {"flow": flow}
        return False


async def _still_movable(callback: CallbackQuery, desk: Desk, flow: Flow) -> bool:
    """A move by the school stops at the notice; anyone's stops at the start."""
    consultation = flow.consultation
    if consultation is None:
        return True
    now = desk.now()
    if consultation.starts_at <= now or (
        not flow.host_action and not consultation.school_may_change(now)
    ):
        await callback.answer(
            _(
                "It is too late to change this consultation here: please get in touch with "
                "the curator."
            ),
            show_alert=True,
        )
        return False
    return True


# --- whom: a curator, or (the curator) a school ---------------------------------------------


@router.callback_query(ConsultCallback.filter(F.action == "book"), IsPrincipal())
async def book_button(
    callback: CallbackQuery, state: FSMContext, desk: Desk, school_id: int
) -> None:
    await callback.answer()
    await state.set_state(None)
    await show(callback, hosts_screen(await desk.hosts_for_school(school_id)))


@router.callback_query(ConsultCallback.filter(F.action == "schools"), IsCurator())
async def schools_button(
    callback: CallbackQuery, callback_data: ConsultCallback, state: FSMContext, desk: Desk
) -> None:
    await callback.answer()
    await state.set_state(None)
    await show(callback, schools_screen(await desk.own_schools(), callback_data.page))


@router.callback_query(ConsultCallback.filter(F.action == "move"))
async def move_button(
    callback: CallbackQuery, callback_data: ConsultCallback, state: FSMContext, desk: Desk
) -> None:
    """Moving starts at the curator's month with the consultation's own time left free."""
    data = SlotCallback(action="month", mode="m", ref=callback_data.cid)
    found = await TimeFor()(callback, data, desk)
    if not isinstance(found, dict):
        await refuse_button(callback, desk.me.id)
        return
    await _month(callback, state, desk, found["flow"], 0, 0)


# --- when: a month, a day, a time -----------------------------------------------------------


@router.callback_query(SlotCallback.filter(F.action == "month"), TimeFor())
async def month_button(
    callback: CallbackQuery,
    callback_data: SlotCallback,
    state: FSMContext,
    desk: Desk,
    flow: Flow,
) -> None:
    if callback_data.year and not (
        FIRST_YEAR <= callback_data.year <= LAST_YEAR and 1 <= callback_data.month <= 12
    ):
        await refuse_button(callback, desk.me.id)
        return
    await _month(callback, state, desk, flow, callback_data.year, callback_data.month)


async def _month(
    callback: CallbackQuery, state: FSMContext, desk: Desk, flow: Flow, year: int, month: int
) -> None:
    if not await _still_movable(callback, desk, flow):
        return
    await callback.answer()
    if await state.get_state() in (ConsultStates.topic.state, ConsultStates.reason.state):
        await state.set_state(None)
    today = desk.today()
    if not year:
        first = await desk.first_month(
            flow.host_id, host_action=flow.host_action, without=flow.without
        )
        year, month = first or (today.year, today.month)
    if (year, month) < (today.year, today.month):
        year, month = today.year, today.month
    days = await desk.month(
        flow.host_id, year, month, host_action=flow.host_action, without=flow.without
    )
    view = MonthView(
        flow.mode,
        flow.host_id,
        flow.ref,
        await desk.name(flow.host_id),
        year,
        month,
        days,
        earlier=(year, month) > (today.year, today.month),
        later=await desk.has_later(flow.host_id, year, month),
    )
    await show(callback, month_screen(view, desk.zone, desk.locale))


@router.callback_query(SlotCallback.filter(F.action == "day"), TimeFor())
async def day_button(
    callback: CallbackQuery, callback_data: SlotCallback, desk: Desk, flow: Flow
) -> None:
    try:
        day = date(callback_data.year, callback_data.month, callback_data.day)
    except ValueError:
        await refuse_button(callback, desk.me.id)
        return
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        await refuse_button(callback, desk.me.id)
        return
    if not await _still_movable(callback, desk, flow):
        return
    days = await desk.month(
        flow.host_id, day.year, day.month, host_action=flow.host_action, without=flow.without
    )
    offers = days.get(day)
    if not offers:
        await callback.answer(_("There is no free time left on this day."), show_alert=True)
        return
    await callback.answer()
    formats = await desk.formats({offer.block_id for offer in offers})
    screen = day_screen(
        flow.mode,
        flow.host_id,
        flow.ref,
        await desk.name(flow.host_id),
        day,
        offers,
        formats,
        desk.zone,
        desk.locale,
    )
    await show(callback, screen)


@router.callback_query(SlotCallback.filter(F.action == "slot"), TimeFor())
async def slot_button(
    callback: CallbackQuery,
    callback_data: SlotCallback,
    state: FSMContext,
    desk: Desk,
    flow: Flow,
) -> None:
    if not 0 < callback_data.at < LAST_MINUTE:
        await refuse_button(callback, desk.me.id)
        return
    if not await _still_movable(callback, desk, flow):
        return
    start = from_minute(callback_data.at)
    refusal = await desk.check_slot(
        flow.host_id,
        callback_data.block,
        start,
        host_action=flow.host_action,
        without=flow.without,
    )
    if refusal is not None:
        await callback.answer()
        await _refuse(callback, desk, flow, refusal, start)
        return
    await callback.answer()
    data = await state.get_data()
    chosen = {"key": flow.key, "at": callback_data.at, "block": callback_data.block}
    kept = data.get("cons_kept") or {}
    if flow.mode == "m":
        await state.update_data(cons_move={**chosen, "cid": flow.ref}, cons_cancel=None)
        if kept.get("key") == flow.key and kept.get("reason"):
            await _move(callback, state, desk, flow, str(kept["reason"]))
            return
        await state.set_state(ConsultStates.reason)
        if isinstance(callback.message, Message):
            await show(
                callback,
                (
                    "\n".join(
                        [
                            _("New time: {when}.").format(
                                when=moment_in_zone(start, desk.zone, desk.locale)
                            ),
                            _(
                                "Why is the consultation moved? Write the reason in a sentence: "
                                "the other side will read it. /cancel to keep the old time."
                            ),
                        ]
                    ),
                    None,
                ),
            )
        return
    slot = {**chosen, "mode": flow.mode, "host": flow.host_id, "school": flow.school_id}
    await state.update_data(cons_slot={**slot, "uid": secrets.token_hex(12)})
    if kept.get("key") == flow.key and "topic" in kept:
        await _book(callback, state, desk, str(kept["topic"]), kept.get("indicator"))
        return
    await state.set_state(ConsultStates.topic)
    chosen_text = moment_in_zone(start, desk.zone, desk.locale)
    await show(callback, topic_screen(desk.catalog, 0, desk.locale, chosen_text))


async def _refuse(
    source: CallbackQuery | Message,
    desk: Desk,
    flow: Flow,
    refusal: Refusal,
    start: datetime,
    alternatives: list[Offer] | None = None,
) -> None:
    if alternatives is None:
        alternatives = await desk.nearest(
            flow.host_id, start, host_action=flow.host_action, without=flow.without
        )
    screen = refused_screen(
        refusal,
        alternatives,
        flow.mode,
        flow.host_id,
        flow.ref,
        start,
        desk.zone,
        desk.locale,
        taken=refusal.reason is BookingProblem.OVERLAP,
    )
    if isinstance(source, CallbackQuery):
        await show(source, screen, new=True)
    else:
        await source.answer(screen[0], reply_markup=screen[1])


# --- the topic, and booking -----------------------------------------------------------------


@router.message(StateFilter(ConsultStates.topic), F.text, ~F.text.startswith("/"))
async def topic_typed(message: Message, state: FSMContext, desk: Desk) -> None:
    topic = " ".join((message.text or "").split())
    if len(topic) > MAX_TOPIC:
        await message.answer(
            _(
                "The topic is {length} characters long; please keep it within {limit} (the "
                "details can wait for the consultation) and send it again."
            ).format(length=len(topic), limit=MAX_TOPIC)
        )
        return
    await _book(message, state, desk, topic, None)


@router.message(StateFilter(ConsultStates.topic))
async def topic_not_text(message: Message) -> None:
    await message.answer(_("Please write the topic as text, choose an indicator, or /cancel."))


@router.callback_query(TopicCallback.filter(), StateFilter(ConsultStates.topic))
async def topic_button(
    callback: CallbackQuery, callback_data: TopicCallback, state: FSMContext, desk: Desk
) -> None:
    indicators = list(desk.catalog.indicators)
    if callback_data.action == "page":
        await callback.answer()
        slot = (await state.get_data()).get("cons_slot") or {}
        start = from_minute(int(slot.get("at") or 0))
        chosen = moment_in_zone(start, desk.zone, desk.locale)
        await show(callback, topic_screen(desk.catalog, callback_data.page, desk.locale, chosen))
        return
    if callback_data.action == "none":
        await _book(callback, state, desk, "", None)
        return
    if callback_data.action != "pick" or not 0 <= callback_data.index < len(indicators):
        await refuse_button(callback, desk.me.id)
        return
    indicator = indicators[callback_data.index]
    await _book(callback, state, desk, indicator.short.get(desk.locale), indicator.code)


async def _book(
    source: CallbackQuery | Message,
    state: FSMContext,
    desk: Desk,
    topic: str,
    indicator: str | None,
) -> None:
    """Book the chosen time with ``topic``: the storage decides; the confirmation (with the
    .ics) is queued in the same write and comes from the outbox."""
    slot = (await state.get_data()).get("cons_slot") or {}
    mode = slot.get("mode")
    school_id = int(slot.get("school") or 0)
    allowed = (mode == "b" and desk.roles.principal_school_id == school_id) or (
        mode == "d" and school_id in desk.roles.curator_school_ids
    )
    if not allowed or not slot.get("uid"):
        await state.set_state(None)
        await _say(source, _("This step has ended. Please use /consultations."))
        return
    host_id = int(slot["host"]) if mode == "b" else desk.me.id
    start = from_minute(int(slot["at"]))
    now = desk.now()
    parties = await desk.parties(school_id, host_id)
    request = BookingRequest(
        uid=str(slot["uid"]),
        host_id=host_id,
        school_id=school_id,
        availability_id=int(slot["block"]),
        start=start,
        topic=topic,
        indicator=indicator,
        booked_by=desk.me.id,
        status=Status.BOOKED if mode == "b" else Status.PROPOSED,
        host_action=mode == "d",
    )
    notices = booked(parties, desk.me, now) if mode == "b" else proposed(parties, now)
    result = await desk.repo.consultations.book(request, now, notices)
    flow = Flow(str(mode), host_id, school_id, None, mode == "d")
    if isinstance(result, Refused):
        await state.set_state(None)
        await state.update_data(
            cons_kept={"key": flow.key, "topic": topic, "indicator": indicator}, cons_slot=None
        )
        log.info("person %s: time %s of host %s refused", desk.me.id, start, host_id)
        await _refuse(source, desk, flow, result.refusal, start, list(result.alternatives))
        return
    await state.set_state(None)
    await state.update_data(cons_kept=None, cons_slot=None)
    if not result.new:
        await _say(
            source,
            _("You are already booked for this time: the confirmation is in this chat."),
        )
        return
    await desk.replan()
    log.info("person %s booked consultation %s", desk.me.id, result.consultation.id)
    if isinstance(source, CallbackQuery):
        await source.answer()
        said = (
            _("Topic: «{topic}».").format(topic=escape(shorten(topic, 300)))
            if topic
            else _("Without a topic.")
        )
        await show(source, (said, None))


async def _say(source: CallbackQuery | Message, text: str) -> None:
    if isinstance(source, CallbackQuery):
        await source.answer()
        if isinstance(source.message, Message):
            await source.message.answer(text)
    else:
        await source.answer(text)


# --- moving ---------------------------------------------------------------------------------


async def finish_move(message: Message, state: FSMContext, desk: Desk, reason: str) -> None:
    """The reason of a move was typed (``handlers/consultations.py`` reads the text)."""
    chosen = (await state.get_data()).get("cons_move") or {}
    consultation = await desk.repo.consultations.get(int(chosen.get("cid") or 0))
    flow = None
    if consultation is not None:
        found = await TimeFor()(
            message,  # type: ignore[arg-type]
            SlotCallback(action="slot", mode="m", ref=consultation.id),
            desk,
        )
        flow = found["flow"] if isinstance(found, dict) else None
    now = desk.now()
    if (
        flow is None
        or consultation is None
        or consultation.starts_at <= now
        or (not flow.host_action and not consultation.school_may_change(now))
    ):
        await state.set_state(None)
        await message.answer(
            _("This consultation can no longer be moved here. Please look at /consultations.")
        )
        return
    await _move(message, state, desk, flow, reason)


async def _move(
    source: CallbackQuery | Message, state: FSMContext, desk: Desk, flow: Flow, reason: str
) -> None:
    chosen = (await state.get_data()).get("cons_move") or {}
    consultation = flow.consultation
    assert consultation is not None
    start = from_minute(int(chosen.get("at") or 0))
    now = desk.now()
    parties = await desk.parties(consultation.school_id, consultation.host_id)
    try:
        result = await desk.repo.consultations.move(
            consultation.id,
            int(chosen.get("block") or 0),
            start,
            by=desk.me.id,
            reason=reason,
            now=now,
            host_action=flow.host_action,
            notices=moved(parties, desk.me, consultation.starts_at, reason, now),
        )
    except Gone:
        await state.set_state(None)
        await _say(source, _("This consultation can no longer be moved: it was cancelled."))
        return
    await state.set_state(None)
    if isinstance(result, Refused):
        await state.update_data(cons_kept={"key": flow.key, "reason": reason}, cons_move=None)
        await _refuse(source, desk, flow, result.refusal, start, list(result.alternatives))
        return
    assert isinstance(result, Done)
    await state.update_data(cons_kept=None, cons_move=None)
    await desk.replan()
    log.info("person %s moved consultation %s", desk.me.id, consultation.id)
    if isinstance(source, CallbackQuery):
        await show(
            source, (_("Moved, with the reason «{reason}».").format(reason=escape(reason)), None)
        )
