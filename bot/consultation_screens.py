"""The consultation screens: texts and keyboards, built from plain data in the person's
language (the handlers gather the data and send what these return).

Every screen made from people's data fits Telegram's limits: lists are paged, long
texts shortened, and a screen still too long is cut at a line (:func:`fit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.calendar.view import month_name, shift_month
from bot.callbacks import ConsultCallback, PublishCallback, SlotCallback, TopicCallback
from bot.consultations.desk import Access
from bot.consultations.offer import Offer
from bot.consultations.publishing import (
    BUFFERS,
    BUILDER_HOURS,
    BUILDER_WEEKS,
    IN_PERSON,
    LENGTHS,
    NOTICES,
    Builder,
    Setup,
)
from bot.consultations.report import Report
from bot.consultations.slots import Refusal
from bot.consultations.texts import (
    consultation_line,
    details,
    duration,
    place_text,
    short_day,
    weekday_names,
)
from bot.indicators.catalog import Catalog
from bot.keyboards import pager, paginate
from bot.telegram_limits import MESSAGE_LIMIT, shorten
from bot.texts import zone_phrase
from storage.consultations import Consultation, Publication, Status
from storage.models import Person, Roles, School

PER_PAGE = 8
SCHOOLS_PER_PAGE = 8
TOPICS_PER_PAGE = 6
REPORT_LINES = 40
MAX_TOPIC = 300
MAX_REASON = 300
MAX_OUTCOME = 500

Screen = tuple[str, InlineKeyboardMarkup | None]


def fit(text: str) -> str:
    """A screen within one message: cut at a line, with «…»."""
    if len(text) <= MESSAGE_LIMIT:
        return text
    cut = text[: MESSAGE_LIMIT - 2]
    return cut[: cut.rfind("\n")] + "\n…"


def minute_of(moment: datetime) -> int:
    """A start as a button carries it: whole minutes since 1970 (UTC)."""
    return int(moment.timestamp() // 60)


def from_minute(value: int) -> datetime:
    return datetime.fromtimestamp(value * 60, tz=UTC)


# --------------------------------------------------------------------------- home


@dataclass(frozen=True, slots=True)
class Home:
    roles: Roles
    school_upcoming: list[tuple[Consultation, str]]  # the principal's school's, with the curator
    hosting: list[tuple[Consultation, str]]  # the curator's upcoming, with the school
    unmarked: int  # the curator's consultations waiting to be marked
    publications: int  # the curator's publications with time ahead


def home_screen(home: Home, zone: ZoneInfo, locale: str) -> Screen:
    roles = home.roles
    lines = [_("<b>Consultations</b>")]
    builder = InlineKeyboardBuilder()
    if roles.principal_school_id is not None:
        lines += ["", _("<b>Your school</b>")]
        if home.school_upcoming:
            lines += [consultation_line(c, who, zone, locale) for c, who in home.school_upcoming]
        else:
            lines.append(_("No consultations booked."))
        builder.button(
            text=_("➕ Book a consultation"), callback_data=ConsultCallback(action="book")
        )
    if roles.curator_school_ids:
        lines += ["", _("<b>You hold</b>")]
        if home.hosting:
            lines += [consultation_line(c, who, zone, locale) for c, who in home.hosting]
        else:
            lines.append(_("No upcoming consultations."))
        if home.unmarked:
            lines.append(
                ngettext(
                    "⚠️ {n} consultation is waiting for your mark: was it held?",
                    "⚠️ {n} consultations are waiting for your mark: were they held?",
                    home.unmarked,
                ).format(n=home.unmarked)
            )
        if not home.publications:
            lines.append(_("You have no time published: schools cannot book you yet."))
        builder.button(text=_("🕒 Publish time"), callback_data=ConsultCallback(action="publish"))
        builder.button(text=_("🗂 My published time"), callback_data=ConsultCallback(action="times"))
        builder.button(text=_("🏫 Book a school"), callback_data=ConsultCallback(action="schools"))
    if roles.principal_school_id is not None or roles.curator_school_ids:
        builder.button(
            text=_("📋 All my consultations"), callback_data=ConsultCallback(action="mine")
        )
    if roles.coordinator:
        lines += ["", _("Consultations held per school against the target: the report.")]
        builder.button(text=_("📊 Report"), callback_data=ConsultCallback(action="report"))
        builder.button(text=_("📥 Report to Excel"), callback_data=ConsultCallback(action="excel"))
    builder.adjust(1)
    return fit("\n".join(lines)), builder.as_markup()


def mine_screen(
    items: list[tuple[Consultation, str]], page: int, zone: ZoneInfo, locale: str
) -> Screen:
    """The person's consultations from today on, and the past ones still unmarked."""
    shown, page, pages = paginate(items, page, PER_PAGE)
    builder = InlineKeyboardBuilder()
    if not items:
        builder.button(text=_("Back"), callback_data=ConsultCallback(action="home"))
        return _("You have no upcoming consultations."), builder.as_markup()
    lines = [_("<b>Your consultations</b>")]
    if pages > 1:
        lines.append(_("Page {page} of {pages}").format(page=page + 1, pages=pages))
    lines.append("")
    for number, (consultation, who) in enumerate(shown, start=page * PER_PAGE + 1):
        lines.append(f"{number}. {consultation_line(consultation, who, zone, locale)}")
        local = consultation.starts_at.astimezone(zone)
        builder.button(
            text=f"{number}. {short_day(local.date(), locale)} {local:%H:%M} · {shorten(who, 30)}",
            callback_data=ConsultCallback(action="open", cid=consultation.id),
        )
    sizes = [1] * len(shown)
    navigation = pager(builder, page, pages, lambda to: ConsultCallback(action="mine", page=to))
    if navigation:
        sizes.append(navigation)
    builder.button(text=_("Back"), callback_data=ConsultCallback(action="home"))
    sizes.append(1)
    builder.adjust(*sizes)
    return fit("\n".join(lines)), builder.as_markup()


def consultation_screen(
    consultation: Consultation,
    school: str,
    host: str,
    access: Access,
    now: datetime,
    zone: ZoneInfo,
    locale: str,
) -> Screen:
    """A consultation in full, with what this person may do with it now."""
    lines = details(consultation, school, host, zone, locale)
    builder = InlineKeyboardBuilder()
    cid = consultation.id
    started = consultation.starts_at <= now
    if access.host or access.overseer:
        builder.button(
            text=_("📋 School card"), callback_data=ConsultCallback(action="card", cid=cid)
        )
    if access.host and consultation.upcoming and not started:
        builder.button(text=_("🔁 Move"), callback_data=ConsultCallback(action="move", cid=cid))
        builder.button(text=_("✖️ Cancel"), callback_data=ConsultCallback(action="cancel", cid=cid))
    if access.host and started and consultation.status not in (Status.CANCELLED, Status.DECLINED):
        builder.button(
            text=_("✅ It was held"), callback_data=ConsultCallback(action="held", cid=cid)
        )
        builder.button(
            text=_("❌ It did not take place"),
            callback_data=ConsultCallback(action="missed", cid=cid),
        )
        if consultation.status in (Status.HELD, Status.MISSED):
            builder.button(
                text=_("📝 Write the outcome"),
                callback_data=ConsultCallback(action="note", cid=cid),
            )
    if access.school and not access.host and consultation.upcoming and not started:
        if consultation.status is Status.PROPOSED:
            builder.button(
                text=_("✅ Accept"), callback_data=ConsultCallback(action="accept", cid=cid)
            )
            builder.button(
                text=_("✖️ Decline"), callback_data=ConsultCallback(action="decline", cid=cid)
            )
        elif consultation.school_may_change(now):
            builder.button(text=_("🔁 Move"), callback_data=ConsultCallback(action="move", cid=cid))
            builder.button(
                text=_("✖️ Cancel"), callback_data=ConsultCallback(action="cancel", cid=cid)
            )
        else:
            lines += [
                "",
                _(
                    "It starts in less than {time}: it can no longer be moved or cancelled "
                    "here. Please get in touch with the curator."
                ).format(time=duration(consultation.notice_min, locale)),
            ]
    builder.button(text=_("📋 All my consultations"), callback_data=ConsultCallback(action="mine"))
    builder.adjust(1)
    return fit("\n".join(lines)), builder.as_markup()


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


# --------------------------------------------------------------------------- report


def report_screen(report: Report, page: int) -> Screen:
    """Schools below the target first, by municipality; then the curators."""
    lines = [
        _("<b>Consultations {year}</b>: the target is at least {target} held per school.").format(
            year=report.year, target=report.target
        ),
        ngettext(
            "Below the target: {n} school of {total}.",
            "Below the target: {n} schools of {total}.",
            len(report.below),
        ).format(n=len(report.below), total=len(report.schools)),
        "",
    ]
    rows, page, pages = paginate(report.schools, page, REPORT_LINES)
    municipality = None
    for row in rows:
        if row.school.municipality != municipality:
            municipality = row.school.municipality
            lines.append(f"<b>{escape(municipality)}</b>")
        mark = "⚠️" if row.below else "✅"
        line = _("{mark} {school}: held {held} of {target}").format(
            mark=mark, school=escape(row.school.name), held=row.counts.held, target=report.target
        )
        if row.counts.upcoming:
            line += _(", booked {n}").format(n=row.counts.upcoming)
        lines.append(line)
    if pages > 1:
        lines.append(_("Page {page} of {pages}").format(page=page + 1, pages=pages))
    if page == pages - 1:
        lines += ["", _("<b>Curators</b>: held · did not take place · cancelled · booked")]
        if not report.hosts:
            lines.append(_("No consultations this year yet."))
        for host in report.hosts:
            counts = host.counts
            lines.append(
                f"• {escape(host.name)}: {counts.held} · {counts.missed} · "
                f"{counts.cancelled} · {counts.upcoming}"
            )
    builder = InlineKeyboardBuilder()
    navigation = pager(builder, page, pages, lambda to: ConsultCallback(action="report", page=to))
    builder.button(text=_("📥 Report to Excel"), callback_data=ConsultCallback(action="excel"))
    builder.adjust(*([navigation] if navigation else []), 1)
    return fit("\n".join(lines)), builder.as_markup()


async def show(callback: CallbackQuery, screen: Screen, *, new: bool = False) -> None:
    """Show a screen in place of the message the button was on (a new message when that
    one cannot be edited: a document, or ``new``)."""
    text, markup = screen
    message = callback.message
    if not isinstance(message, Message):
        return
    if not new and message.text is not None:
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as error:
            if "not modified" in str(error):
                return
    await message.answer(text, reply_markup=markup)
