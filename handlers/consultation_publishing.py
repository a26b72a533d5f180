"""A curator publishes time for consultations (typed as people write it, or built with
buttons), sets its length, break, notice and format, and withdraws it.

What was typed is read by :func:`bot.consultations.availability.read_availability`;
what it cannot read is refused with an example, never guessed. What it understood is
shown before anything is saved; the settings are changed on that screen, and only
"Publish" saves. Time already published is left out (it keeps its settings).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ConsultCallback, PublishCallback
from bot.consultation_publish_screens import (
    CHOICES,
    builder_screen,
    choice_screen,
    preview_markup,
    times_screen,
)
from bot.consultation_screens import show
from bot.consultation_session import ConsultStates, WithDesk
from bot.consultations.availability import Availability, AvailabilityError, read_availability
from bot.consultations.desk import Desk
from bot.consultations.offer import offers
from bot.consultations.publishing import (
    IN_PERSON,
    ONLINE,
    Builder,
    PlaceError,
    Setup,
    builder_text,
    check_link,
    check_place,
    slot_count,
    uncovered,
)
from bot.consultations.texts import (
    AVAILABILITY_HINT,
    LINK_HINT,
    PLACE_HINT,
    consultation_line,
    understood,
)
from bot.filters import IsCurator
from bot.replies import refuse_button
from bot.telegram_limits import shorten
from bot.texts import zone_phrase
from storage.consultations import Publication

log = logging.getLogger(__name__)
router = Router(name="consultation_publishing")
router.message.filter(IsCurator(), WithDesk())
router.callback_query.filter(IsCurator(), WithDesk())

TEXT_STATES = (ConsultStates.availability, ConsultStates.preview)


async def _setup(state: FSMContext, desk: Desk) -> Setup:
    """The settings being prepared; at first the curator's latest ones."""
    data = await state.get_data()
    if data.get("cons_setup"):
        return Setup.from_dict(data["cons_setup"])
    latest = await desk.repo.consultations.latest_publication(desk.me.id)
    if latest is None:
        return Setup()
    return Setup(
        latest.length_min, latest.buffer_min, latest.notice_min, latest.format, latest.place
    )


def _hint(desk: Desk) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🧩 Build it with buttons"), callback_data=PublishCallback(action="build")
    )
    text = _(AVAILABILITY_HINT).format(zone=zone_phrase(desk.zone.key, desk.locale))
    return text, builder.as_markup()


@router.callback_query(ConsultCallback.filter(F.action == "publish"))
async def publish_button(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    await callback.answer()
    await state.set_state(ConsultStates.availability)
    setup = await _setup(state, desk)
    await state.update_data(cons_setup=setup.as_dict(), cons_text=None, cons_builder=None)
    await show(callback, _hint(desk), new=True)


# --- reading what was typed, and the preview ------------------------------------------------


async def _read(desk: Desk, text: str) -> Availability:
    return read_availability(text, today=desk.today(), zone=desk.zone, now=desk.now())


async def _kept(desk: Desk, availability: Availability) -> list:
    pieces = list(availability.intervals)
    covered = await desk.repo.consultations.covered(desk.me.id, pieces[0].start, pieces[-1].end)
    return uncovered(pieces, covered)


async def _preview(desk: Desk, text: str, setup: Setup) -> tuple[str, InlineKeyboardMarkup]:
    availability = await _read(desk, text)
    kept = await _kept(desk, availability)
    body = understood(availability, kept, setup, desk.zone, desk.locale)
    if not kept:
        body += "\n\n" + _("⚠️ All of this time is published already: there is nothing to add.")
    body += "\n\n" + _("Press «Publish» to save it, or type the time again.")
    return body, preview_markup(setup, desk.locale)


@router.message(StateFilter(*TEXT_STATES), F.text, ~F.text.startswith("/"))
async def availability_typed(message: Message, state: FSMContext, desk: Desk) -> None:
    text = (message.text or "").strip()
    setup = await _setup(state, desk)
    try:
        screen = await _preview(desk, text, setup)
    except AvailabilityError as error:
        await message.answer(
            "⚠️ "
            + error.render(desk.locale, html=True)
            + "\n\n"
            + _("Nothing is saved. Please write the time again, or /cancel.")
        )
        return
    await state.set_state(ConsultStates.preview)
    await state.update_data(cons_text=text, cons_setup=setup.as_dict())
    await message.answer(screen[0], reply_markup=screen[1])


@router.message(StateFilter(*TEXT_STATES))
async def availability_not_text(message: Message) -> None:
    await message.answer(_("Please write the time as text, or /cancel."))


async def _show_preview(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    data = await state.get_data()
    text = data.get("cons_text")
    if not text:
        await _ended(callback)
        return
    try:
        screen = await _preview(desk, str(text), Setup.from_dict(data.get("cons_setup")))
    except AvailabilityError as error:  # the time passed meanwhile
        await show(callback, ("⚠️ " + error.render(desk.locale, html=True), None))
        await state.set_state(ConsultStates.availability)
        return
    await state.set_state(ConsultStates.preview)
    await show(callback, screen)


async def _ended(callback: CallbackQuery) -> None:
    await callback.answer(
        _("This step has ended. Please start again from /consultations."), show_alert=True
    )


# --- the settings ---------------------------------------------------------------------------


@router.callback_query(
    PublishCallback.filter(F.action.in_(set(CHOICES))), StateFilter(ConsultStates.preview)
)
async def choice_button(
    callback: CallbackQuery, callback_data: PublishCallback, desk: Desk
) -> None:
    await callback.answer()
    await show(callback, choice_screen(callback_data.action, desk.locale))


@router.callback_query(
    PublishCallback.filter(F.action == "set"), StateFilter(ConsultStates.preview)
)
async def set_button(
    callback: CallbackQuery, callback_data: PublishCallback, state: FSMContext, desk: Desk
) -> None:
    what, value = callback_data.what, callback_data.value
    if what not in CHOICES or value not in CHOICES[what]:
        await refuse_button(callback, desk.me.id)
        return
    await callback.answer()
    setup = Setup.from_dict({**(await _setup(state, desk)).as_dict(), f"{what}_min": value})
    await state.update_data(cons_setup=setup.as_dict())
    await _show_preview(callback, state, desk)


@router.callback_query(
    PublishCallback.filter(F.action == "back"), StateFilter(ConsultStates.preview)
)
async def back_button(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    await callback.answer()
    await _show_preview(callback, state, desk)


@router.callback_query(
    PublishCallback.filter(F.action.in_({"online", "inperson"})),
    StateFilter(ConsultStates.preview),
)
async def format_button(
    callback: CallbackQuery, callback_data: PublishCallback, state: FSMContext
) -> None:
    await callback.answer()
    online = callback_data.action == "online"
    await state.set_state(ConsultStates.link if online else ConsultStates.place)
    if isinstance(callback.message, Message):
        await callback.message.answer(_(LINK_HINT if online else PLACE_HINT))


@router.message(
    StateFilter(ConsultStates.link, ConsultStates.place), F.text, ~F.text.startswith("/")
)
async def place_typed(message: Message, state: FSMContext, desk: Desk) -> None:
    online = await state.get_state() == ConsultStates.link.state
    try:
        place = check_link(message.text or "") if online else check_place(message.text or "")
    except PlaceError as error:
        await message.answer("⚠️ " + error.render(desk.locale, html=True))
        return
    setup = (await _setup(state, desk)).with_format(ONLINE if online else IN_PERSON, place)
    await state.update_data(cons_setup=setup.as_dict())
    text = (await state.get_data()).get("cons_text")
    await state.set_state(ConsultStates.preview)
    if not text:
        await message.answer(_("This step has ended. Please start again from /consultations."))
        return
    try:
        screen = await _preview(desk, str(text), setup)
    except AvailabilityError as error:
        await state.set_state(ConsultStates.availability)
        await message.answer("⚠️ " + error.render(desk.locale, html=True))
        return
    await message.answer(screen[0], reply_markup=screen[1])


@router.message(StateFilter(ConsultStates.link, ConsultStates.place))
async def place_not_text(message: Message) -> None:
    await message.answer(_("Please write it as text, or /cancel."))


# --- saving ---------------------------------------------------------------------------------


@router.callback_query(
    PublishCallback.filter(F.action == "save"), StateFilter(ConsultStates.preview)
)
async def save_button(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    data = await state.get_data()
    setup = Setup.from_dict(data.get("cons_setup"))
    text = data.get("cons_text")
    if not text:
        await _ended(callback)
        return
    if not setup.complete:
        await callback.answer(
            _(
                "Please add the link for online consultations (💻) or the place for "
                "in-person ones (🏫) first."
            ),
            show_alert=True,
        )
        return
    try:
        availability = await _read(desk, str(text))
    except AvailabilityError as error:
        await callback.answer()
        await state.set_state(ConsultStates.availability)
        await show(callback, ("⚠️ " + error.render(desk.locale, html=True), None), new=True)
        return
    saved = await desk.repo.consultations.publish(
        desk.me.id,
        availability.text,
        availability.first_day,
        availability.last_day,
        availability.intervals,
        length_min=setup.length_min,
        buffer_min=setup.buffer_min,
        notice_min=setup.notice_min,
        fmt=setup.format,
        place=setup.place,
    )
    await callback.answer()
    await state.set_state(None)
    await state.update_data(cons_text=None, cons_builder=None)
    if saved is None:
        await show(callback, (_("All of this time was published already: nothing to add."), None))
        return
    publication, kept = saved
    log.info("curator %s published time %s", desk.me.id, publication.id)
    count = slot_count(kept, setup.length_min, setup.buffer_min)
    await show(
        callback,
        (
            "\n".join(
                [
                    _("✅ Published: «{text}».").format(text=escape(publication.text)),
                    ngettext(
                        "{n} consultation can be booked in it.",
                        "{n} consultations can be booked in it.",
                        count,
                    ).format(n=count),
                    _("Schools see it when they book; you can withdraw it in /consultations."),
                ]
            ),
            None,
        ),
    )


# --- built with buttons ---------------------------------------------------------------------


@router.callback_query(PublishCallback.filter(F.action == "build"))
async def build_button(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    await callback.answer()
    await state.set_state(ConsultStates.availability)
    builder = Builder.from_dict((await state.get_data()).get("cons_builder"))
    await state.update_data(cons_builder=builder.as_dict())
    await show(callback, builder_screen(builder, desk.locale))


@router.callback_query(
    PublishCallback.filter(F.action.in_({"bday", "bfrom", "bto", "bweeks"})),
    StateFilter(ConsultStates.availability),
)
async def builder_choice(
    callback: CallbackQuery, callback_data: PublishCallback, state: FSMContext, desk: Desk
) -> None:
    builder = Builder.from_dict((await state.get_data()).get("cons_builder"))
    value = callback_data.value
    action = callback_data.action
    if action == "bday" and value < 7:
        builder = builder.toggle(value)
    elif action == "bfrom" and value <= 23:
        builder = Builder(builder.weekdays, value, builder.end_hour, builder.weeks)
    elif action == "bto" and 1 <= value <= 24:
        builder = Builder(builder.weekdays, builder.start_hour, value, builder.weeks)
    elif action == "bweeks":
        builder = Builder(builder.weekdays, builder.start_hour, builder.end_hour, value)
        builder = Builder.from_dict(builder.as_dict())  # weeks not offered become None
    else:
        await refuse_button(callback, desk.me.id)
        return
    await callback.answer()
    await state.update_data(cons_builder=builder.as_dict())
    await show(callback, builder_screen(builder, desk.locale))


@router.callback_query(
    PublishCallback.filter(F.action == "bdone"), StateFilter(ConsultStates.availability)
)
async def builder_done(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    builder = Builder.from_dict((await state.get_data()).get("cons_builder"))
    if not builder.ready:
        await callback.answer(
            _("Please choose the days, the start, the end and how many weeks."), show_alert=True
        )
        return
    assert builder.start_hour is not None and builder.end_hour is not None
    if builder.end_hour <= builder.start_hour:
        await callback.answer(
            _("The end comes before the start: please choose a later end."), show_alert=True
        )
        return
    text = builder_text(builder, desk.today())
    setup = await _setup(state, desk)
    try:
        screen = await _preview(desk, text, setup)
    except AvailabilityError as error:
        await callback.answer(error.render(desk.locale), show_alert=True)
        return
    await callback.answer()
    await state.set_state(ConsultStates.preview)
    await state.update_data(cons_text=text, cons_setup=setup.as_dict())
    await show(callback, screen)


# --- the published time, and withdrawing it -------------------------------------------------


@router.callback_query(ConsultCallback.filter(F.action == "times"))
async def times_button(callback: CallbackQuery, state: FSMContext, desk: Desk) -> None:
    await callback.answer()
    await show(callback, await _times(desk))


async def _times(desk: Desk) -> tuple[str, InlineKeyboardMarkup]:
    now = desk.now()
    listed = []
    for publication in await desk.repo.consultations.publications(desk.me.id, since=now):
        free = await _free(desk, publication, now)
        booked = await desk.repo.consultations.booked_in(publication.id, now)
        listed.append((publication, free, booked))
    return times_screen(listed, desk.zone, desk.locale)


async def _free(desk: Desk, publication: Publication, now: datetime) -> int:
    """Free slots left in a publication."""
    pieces = await desk.repo.consultations.intervals(publication.id, since=now)
    if not pieces:
        return 0
    start, end = pieces[0].start, pieces[-1].end
    blocks = [
        b
        for b in await desk.repo.consultations.blocks(desk.me.id, start, end)
        if b.id == publication.id
    ]
    day = timedelta(days=1)
    busy = await desk.repo.consultations.busy(desk.me.id, start - day, end + day)
    return len(offers(blocks, busy, now=now, start=max(start, now), end=end))


@router.callback_query(PublishCallback.filter(F.action == "withdraw"))
async def withdraw_button(
    callback: CallbackQuery, callback_data: PublishCallback, desk: Desk
) -> None:
    publication = await desk.repo.consultations.publication(callback_data.pub)
    if publication is None or publication.host_id != desk.me.id or publication.withdrawn_at:
        await refuse_button(callback, desk.me.id)
        return
    await callback.answer()
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, withdraw it"),
        callback_data=PublishCallback(action="withdrawn", pub=publication.id),
    )
    builder.button(text=_("Back"), callback_data=ConsultCallback(action="times"))
    builder.adjust(1)
    text = _(
        "Withdraw «{text}»? Schools will no longer see this time; consultations already "
        "booked in it stay."
    ).format(text=escape(shorten(publication.text, 200)))
    await show(callback, (text, builder.as_markup()))


@router.callback_query(PublishCallback.filter(F.action == "withdrawn"))
async def withdrawn_button(
    callback: CallbackQuery, callback_data: PublishCallback, desk: Desk
) -> None:
    kept = await desk.repo.consultations.withdraw(callback_data.pub, desk.me.id)
    if kept is None:
        await refuse_button(callback, desk.me.id)
        return
    await callback.answer()
    lines = [_("✅ Withdrawn: schools no longer see this time.")]
    if kept:
        lines.append(
            ngettext(
                "{n} consultation booked in it stays:",
                "{n} consultations booked in it stay:",
                len(kept),
            ).format(n=len(kept))
        )
        for consultation in kept[:20]:
            school = await desk.school_name(consultation.school_id)
            lines.append(consultation_line(consultation, school, desk.zone, desk.locale))
        if len(kept) > 20:
            lines.append(
                ngettext("and {n} more", "and {n} more", len(kept) - 20).format(n=len(kept) - 20)
            )
    await show(callback, ("\n".join(lines), None))
