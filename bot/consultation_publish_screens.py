"""The screens of publishing time: the preview's settings, their choices, the builder
with buttons, and the curator's published time."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ConsultCallback, PublishCallback
from bot.consultation_screens import Screen, fit
from bot.consultations.publishing import (
    BUFFERS,
    BUILDER_HOURS,
    BUILDER_WEEKS,
    LENGTHS,
    NOTICES,
    Builder,
    Setup,
)
from bot.consultations.texts import (
    duration,
    place_text,
    weekday_names,
)
from bot.telegram_limits import shorten
from storage.consultations import Publication

# --------------------------------------------------------------------------- publishing


def preview_markup(setup: Setup, locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✅ Publish"), callback_data=PublishCallback(action="save"))
    builder.button(
        text=_("⏱ Length: {time}").format(time=duration(setup.length_min, locale)),
        callback_data=PublishCallback(action="length"),
    )
    builder.button(
        text=_("↔️ Break: {time}").format(time=duration(setup.buffer_min, locale)),
        callback_data=PublishCallback(action="buffer"),
    )
    builder.button(
        text=_("⏳ Booked ahead: {time}").format(time=duration(setup.notice_min, locale)),
        callback_data=PublishCallback(action="notice"),
    )
    builder.button(text=_("💻 Online: link"), callback_data=PublishCallback(action="online"))
    builder.button(text=_("🏫 In person: place"), callback_data=PublishCallback(action="inperson"))
    builder.adjust(1, 3, 2)
    return builder.as_markup()


CHOICES = {"length": LENGTHS, "buffer": BUFFERS, "notice": NOTICES}


def choice_screen(what: str, locale: str) -> Screen:
    questions = {
        "length": _("How long is one consultation?"),
        "buffer": _("How much free time to keep between two consultations?"),
        "notice": _("How long before its start may a consultation still be booked?"),
    }
    builder = InlineKeyboardBuilder()
    for value in CHOICES[what]:
        builder.button(
            text=duration(value, locale),
            callback_data=PublishCallback(action="set", what=what, value=value),
        )
    builder.button(text=_("Back"), callback_data=PublishCallback(action="back"))
    count = len(CHOICES[what])
    builder.adjust(*([4] * (count // 4) + ([count % 4] if count % 4 else [])), 1)
    return questions[what], builder.as_markup()


def builder_screen(builder_state: Builder, locale: str) -> Screen:
    """Availability with buttons: days, from, to, how many weeks; then Done."""
    builder = InlineKeyboardBuilder()
    names = [weekday_names([day], locale) for day in range(7)]
    for day, name in enumerate(names):
        mark = "✅" if day in builder_state.weekdays else ""
        builder.button(
            text=f"{mark}{name}", callback_data=PublishCallback(action="bday", value=day)
        )
    for hour in BUILDER_HOURS:
        mark = "▶️" if hour == builder_state.start_hour else ""
        builder.button(
            text=f"{mark}{hour}:00", callback_data=PublishCallback(action="bfrom", value=hour)
        )
    for hour in (*BUILDER_HOURS[1:], 21):
        mark = "⏹" if hour == builder_state.end_hour else ""
        builder.button(
            text=f"{mark}{hour}:00", callback_data=PublishCallback(action="bto", value=hour)
        )
    for weeks in BUILDER_WEEKS:
        mark = "✅" if weeks == builder_state.weeks else ""
        label = ngettext("{n} week", "{n} weeks", weeks).format(n=weeks)
        builder.button(
            text=f"{mark}{label}", callback_data=PublishCallback(action="bweeks", value=weeks)
        )
    builder.button(text=_("Done"), callback_data=PublishCallback(action="bdone"))
    hours = len(BUILDER_HOURS)
    builder.adjust(
        7, *([7] * (hours // 7) + [hours % 7]), *([7] * (hours // 7) + [hours % 7]), 4, 1
    )
    lines = [
        _("<b>Your time, with buttons</b>"),
        _("1. Days of the week: {days}").format(
            days=weekday_names(sorted(builder_state.weekdays), locale) or "—"
        ),
        _("2. From (▶️): {hour}").format(
            hour=f"{builder_state.start_hour}:00" if builder_state.start_hour is not None else "—"
        ),
        _("3. Until (⏹): {hour}").format(
            hour=f"{builder_state.end_hour}:00" if builder_state.end_hour is not None else "—"
        ),
        _("4. For: {weeks}").format(
            weeks=ngettext("{n} week", "{n} weeks", builder_state.weeks).format(
                n=builder_state.weeks
            )
            if builder_state.weeks
            else "—"
        ),
        _("Then press Done: I will show the times before saving."),
    ]
    return "\n".join(lines), builder.as_markup()


def times_screen(
    publications: list[tuple[Publication, int, int]], zone: ZoneInfo, locale: str
) -> Screen:
    """The curator's publications with time ahead: (publication, free slots, booked)."""
    builder = InlineKeyboardBuilder()
    if not publications:
        builder.button(text=_("🕒 Publish time"), callback_data=ConsultCallback(action="publish"))
        builder.button(text=_("Back"), callback_data=ConsultCallback(action="home"))
        builder.adjust(1)
        return _("You have no time published from today on."), builder.as_markup()
    lines = [_("<b>Your published time</b>"), ""]
    for number, (publication, free, booked) in enumerate(publications, start=1):
        lines.append(
            _("{number}. «{text}» — {place}; free: {free}, booked: {booked}").format(
                number=number,
                text=escape(shorten(publication.text, 120)),
                place=place_text(publication.format, publication.place, locale),
                free=free,
                booked=booked,
            )
        )
        builder.button(
            text=_("Withdraw {number}").format(number=number),
            callback_data=PublishCallback(action="withdraw", pub=publication.id),
        )
    builder.button(text=_("🕒 Publish time"), callback_data=ConsultCallback(action="publish"))
    builder.button(text=_("Back"), callback_data=ConsultCallback(action="home"))
    builder.adjust(
        *(
            [3] * (len(publications) // 3)
            + ([len(publications) % 3] if len(publications) % 3 else [])
        ),
        1,
        1,
    )
    lines += ["", _("Withdrawing time keeps the consultations already booked in it.")]
    return fit("\n".join(lines)), builder.as_markup()
