"""The screens of choosing a consultation's time: a curator, a school, a compact month of
free days, a day's free times, a refusal with the nearest free times, the topic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.calendar.view import month_name, shift_month
from bot.callbacks import ConsultCallback, SlotCallback, TopicCallback
from bot.consultation_screens import Screen, fit
from bot.consultations.offer import Offer
from bot.consultations.publishing import (
    IN_PERSON,
)
from bot.consultations.slots import Refusal
from bot.consultations.texts import (
    place_text,
    short_day,
)
from bot.indicators.catalog import Catalog
from bot.keyboards import pager, paginate
from bot.telegram_limits import shorten
from bot.texts import zone_phrase
from storage.models import Person, School

SCHOOLS_PER_PAGE = 8
TOPICS_PER_PAGE = 6
MAX_TOPIC = 300  # characters of a typed topic


def minute_of(moment: datetime) -> int:
    """A start as a button carries it: whole minutes since 1970 (UTC)."""
    return int(moment.timestamp() // 60)


def from_minute(value: int) -> datetime:
    return datetime.fromtimestamp(value * 60, tz=UTC)


# --------------------------------------------------------------------------- choosing a time


def _slot(mode: str, host: int, ref: int, **values: int) -> SlotCallback:
    return SlotCallback(mode=mode, host=host, ref=ref, **values)  # type: ignore[arg-type]


def hosts_screen(hosts: list[tuple[Person, bool]]) -> Screen:
    builder = InlineKeyboardBuilder()
    if not hosts:
        builder.button(text=_("Back"), callback_data=ConsultCallback(action="home"))
        return (
            _(
                "No curator has published free time yet. Please look again later, or ask "
                "your curator to publish their time in the bot."
            ),
            builder.as_markup(),
        )
    for person, own in hosts:
        mark = "⭐ " if own else ""
        builder.button(
            text=f"{mark}{shorten(person.full_name, 50)}",
            callback_data=_slot("b", person.id, 0, action="month"),
        )
    builder.button(text=_("Back"), callback_data=ConsultCallback(action="home"))
    builder.adjust(1)
    text = _("Whom would you like a consultation with? Your school's curators are marked ⭐.")
    return text, builder.as_markup()


def schools_screen(schools: list[School], page: int) -> Screen:
    """The curator's schools, to book one directly."""
    shown, page, pages = paginate(schools, page, SCHOOLS_PER_PAGE)
    builder = InlineKeyboardBuilder()
    for school in shown:
        builder.button(
            text=shorten(f"{school.display_name} · {school.municipality}", 60),
            callback_data=SlotCallback(action="month", mode="d", ref=school.id),
        )
    sizes = [1] * len(shown)
    navigation = pager(builder, page, pages, lambda to: ConsultCallback(action="schools", page=to))
    if navigation:
        sizes.append(navigation)
    builder.button(text=_("Back"), callback_data=ConsultCallback(action="home"))
    sizes.append(1)
    builder.adjust(*sizes)
    return _("Which school will you book a consultation for?"), builder.as_markup()


def _back_from_time(mode: str, ref: int) -> ConsultCallback:
    if mode == "m":
        return ConsultCallback(action="open", cid=ref)
    if mode == "d":
        return ConsultCallback(action="schools")
    return ConsultCallback(action="book")


@dataclass(frozen=True, slots=True)
class MonthView:
    mode: str
    host: int
    ref: int
    host_name: str
    year: int
    month: int
    days: dict[date, list[Offer]]
    earlier: bool  # a month before with time may exist (not before this month)
    later: bool


def month_screen(view: MonthView, zone: ZoneInfo, locale: str) -> Screen:
    """A compact month: the days with free time only (full and past days are hidden)."""
    builder = InlineKeyboardBuilder()
    title = month_name(view.year, view.month, locale)
    lines = [
        _("<b>{host}</b> — free days, {month} (times {zone}):").format(
            host=escape(view.host_name), month=title, zone=zone_phrase(zone.key, locale)
        )
    ]
    sizes: list[int] = []
    if view.days:
        lines.append(_("Choose a day:"))
        for day in sorted(view.days):
            count = len(view.days[day])
            builder.button(
                text=f"{short_day(day, locale)} ({count})",
                callback_data=_slot(
                    view.mode,
                    view.host,
                    view.ref,
                    action="day",
                    year=day.year,
                    month=day.month,
                    day=day.day,
                ),
            )
        full, rest = divmod(len(view.days), 3)
        sizes += [3] * full + ([rest] if rest else [])
    else:
        lines.append(_("There is no free time this month."))
    navigation = 0
    for (year, month), shown in ((shift_month(view.year, view.month, -1), view.earlier),
                                 (shift_month(view.year, view.month, 1), view.later)):  # fmt: skip
        if shown:
            label = month_name(year, month, locale)
            before = (year, month) < (view.year, view.month)
            builder.button(
                text=f"◀️ {label}" if before else f"{label} ▶️",
                callback_data=_slot(
                    view.mode, view.host, view.ref, action="month", year=year, month=month
                ),
            )
            navigation += 1
    if navigation:
        sizes.append(navigation)
    builder.button(text=_("Back"), callback_data=_back_from_time(view.mode, view.ref))
    sizes.append(1)
    builder.adjust(*sizes)
    return "\n".join(lines), builder.as_markup()


def day_screen(
    mode: str,
    host: int,
    ref: int,
    host_name: str,
    day: date,
    offers: list[Offer],
    formats: dict[int, tuple[str, str]],
    zone: ZoneInfo,
    locale: str,
) -> Screen:
    """The free slots of a day; ``formats``: block id → (format, place)."""
    builder = InlineKeyboardBuilder()
    lines = [
        _("<b>{host}</b>, {day}: free times ({zone}).").format(
            host=escape(host_name), day=short_day(day, locale), zone=zone_phrase(zone.key, locale)
        )
    ]
    used = sorted({offer.block_id for offer in offers})
    for block in used:
        fmt, place = formats.get(block, ("online", ""))
        lines.append(place_text(fmt, place, locale))
    lines.append(_("Choose a time:"))
    for offer in offers:
        local = offer.start.astimezone(zone)
        mark = (
            " 🏫" if formats.get(offer.block_id, ("", ""))[0] == IN_PERSON and len(used) > 1 else ""
        )
        builder.button(
            text=f"{local:%H:%M}{mark}",
            callback_data=_slot(
                mode, host, ref, action="slot", at=minute_of(offer.start), block=offer.block_id
            ),
        )
    full, rest = divmod(len(offers), 4)
    sizes = [4] * full + ([rest] if rest else [])
    builder.button(
        text=_("◀️ Other days"),
        callback_data=_slot(mode, host, ref, action="month", year=day.year, month=day.month),
    )
    sizes.append(1)
    builder.adjust(*sizes)
    return fit("\n".join(lines)), builder.as_markup()


def refused_screen(
    refusal: Refusal,
    alternatives: Sequence[Offer],
    mode: str,
    host: int,
    ref: int,
    wanted: datetime,
    zone: ZoneInfo,
    locale: str,
    *,
    taken: bool,
) -> Screen:
    """This time cannot be had: why (a time just taken says so), and the nearest free
    times as buttons."""
    builder = InlineKeyboardBuilder()
    if taken:
        head = _("This time was just taken.")
    else:
        head = _(refusal.msgid).format(**refusal.params)
    lines = [f"⚠️ {head}"]
    if alternatives:
        lines.append(_("The nearest free times:"))
        for offer in alternatives:
            local = offer.start.astimezone(zone)
            builder.button(
                text=f"{short_day(local.date(), locale)} {local:%H:%M}",
                callback_data=_slot(
                    mode, host, ref, action="slot", at=minute_of(offer.start), block=offer.block_id
                ),
            )
    else:
        lines.append(_("There is no free time near it; please look at other days."))
    local = wanted.astimezone(zone)
    builder.button(
        text=_("🗓 Other days"),
        callback_data=_slot(mode, host, ref, action="month", year=local.year, month=local.month),
    )
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


def topic_screen(catalog: Catalog, page: int, locale: str, chosen: str) -> Screen:
    """Ask for the topic: typed, or one of the indicators (paged)."""
    indicators = list(catalog.indicators)
    shown, page, pages = paginate(list(enumerate(indicators)), page, TOPICS_PER_PAGE)
    builder = InlineKeyboardBuilder()
    for index, indicator in shown:
        builder.button(
            text=shorten(indicator.short.get(locale), 60),
            callback_data=TopicCallback(action="pick", index=index),
        )
    sizes = [1] * len(shown)
    navigation = pager(builder, page, pages, lambda to: TopicCallback(action="page", page=to))
    if navigation:
        sizes.append(navigation)
    builder.button(text=_("Without a topic"), callback_data=TopicCallback(action="none"))
    sizes.append(1)
    builder.adjust(*sizes)
    text = "\n".join(
        [
            _("Time chosen: {when}.").format(when=chosen),
            _(
                "What would you like to discuss? Write the topic in a sentence or two, "
                "or choose an indicator below. /cancel to stop."
            ),
        ]
    )
    return text, builder.as_markup()
