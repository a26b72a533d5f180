"""The consultation screens: texts and keyboards, built from plain data in the person's
language (the handlers gather the data and send what these return): the overview, a
consultation, the coordinators' report. Choosing a time is in
:mod:`bot.consultation_time_screens`, publishing time in
:mod:`bot.consultation_publish_screens`.

Every screen made from people's data fits Telegram's limits: lists are paged, long
texts shortened, and a screen still too long is cut at a line (:func:`fit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ConsultCallback
from bot.consultations.desk import Access
from bot.consultations.report import Report
from bot.consultations.texts import (
    consultation_line,
    details,
    duration,
    short_day,
)
from bot.keyboards import pager, paginate
from bot.telegram_limits import MESSAGE_LIMIT, shorten
from storage.consultations import Consultation, Status
from storage.models import Roles

PER_PAGE = 8
REPORT_LINES = 40
MAX_REASON = 300  # characters of a typed reason
MAX_OUTCOME = 500  # characters of a typed outcome

Screen = tuple[str, InlineKeyboardMarkup | None]


def fit(text: str) -> str:
    """A screen within one message: cut at a line, with «…»."""
    if len(text) <= MESSAGE_LIMIT:
        return text
    cut = text[: MESSAGE_LIMIT - 2]
    return cut[: cut.rfind("\n")] + "\n…"


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
