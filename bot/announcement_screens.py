"""The coordinator's screens of /announce: the list, an announcement's card (a draft with
what it still needs and whom it reaches, or what was sent with its delivery and answers),
the audience, and a page of schools to pick. Each returns (text, keyboard)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.announcements.access import manages
from bot.announcements.answers import count, counts_line
from bot.announcements.audience import (
    KIND_NAMES,
    WHO_NAMES,
    Choice,
    Kind,
    Reach,
    Who,
    describe,
    territory,
)
from bot.announcements.message import IN_PERSON, ONLINE, short_when, started, when_text
from bot.announcements.progress import Progress
from bot.announcements.when import format_moment
from bot.callbacks import AnnounceCallback
from bot.i18n import translate
from bot.keyboards import Keyboard, pager, paginate
from bot.settings import Settings
from bot.telegram_limits import shorten
from scheduler.announcement_delivery import AnnouncementSender
from storage.announcements import Announcement, Status, batch_name
from storage.models import Roles, School, in_municipalities
from storage.repo import Repo

PER_PAGE = 8
SCHOOLS_PER_PAGE = 8
# the order of the lists a button names by number (AnnounceCallback.value)
FIELDS = ("title", "when", "place", "description", "attachment")
WHO = (Who.PRINCIPALS, Who.CURATORS, Who.COORDINATORS)
KINDS = (Kind.SHNOR, Kind.SHSSU)


def button(
    action: str, announcement_id: int = 0, *, page: int = 0, value: int = 0
) -> AnnounceCallback:
    return AnnounceCallback(action=action, announcement_id=announcement_id, page=page, value=value)


def status_name(announcement: Announcement, zone: str) -> str:
    if announcement.status is Status.SCHEDULED and announcement.send_at is not None:
        return _("scheduled for {moment}").format(
            moment=format_moment(announcement.send_at, ZoneInfo(zone))
        )
    names = {
        Status.DRAFT: _("draft"),
        Status.SCHEDULED: _("scheduled"),
        Status.SENDING: _("being sent"),
        Status.SENT: _("sent out"),
        Status.CANCELLED: _("cancelled"),
    }
    return names[announcement.status]


async def list_screen(
    repo: Repo, roles: Roles, page: int, settings: Settings, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    mine = [a for a in await repo.announcements.listed() if manages(roles, a)]
    shown, page, pages = paginate(mine, page, PER_PAGE)
    keyboard = Keyboard()
    keyboard.button(text=_("➕ New announcement"), callback_data=button("new"))
    sizes = [1]
    lines = [_("<b>Announcements</b>"), ""]
    if not mine:
        lines.append(
            _(
                "None yet. Announce a seminar, a webinar or a round table: the people you "
                "choose get it with «I will come» / «I cannot come» buttons, and you see who "
                "is coming."
            )
        )
    for announcement in shown:
        lines.append(
            f"• {short_when(announcement, settings.timezone, locale)} — "
            f"{escape(shorten(announcement.title, 80))} "
            f"({status_name(announcement, settings.timezone)})"
        )
        keyboard.button(
            text=shorten(announcement.title, 40), callback_data=button("open", announcement.id)
        )
        sizes.append(1)
    navigation = pager(keyboard, page, pages, lambda to: button("list", page=to))
    if navigation:
        sizes.append(navigation)
    keyboard.adjust(*sizes)
    return "\n".join(lines), keyboard.as_markup()


def reach_line(found: Reach) -> str:
    """ "124 people will get it; 3 more blocked the bot and 10 have not started it." """
    text = ngettext(
        "{n} person will get it", "{n} people will get it", len(found.recipients)
    ).format(n=len(found.recipients))
    if found.blocked or found.not_started:
        text += "; " + _(
            "not to {blocked} who blocked the bot and {not_started} who have not started it"
        ).format(blocked=len(found.blocked), not_started=len(found.not_started))
    return text + "."


async def card(
    repo: Repo,
    sender: AnnouncementSender,
    announcement: Announcement,
    settings: Settings,
    now: datetime,
    locale: str,
) -> tuple[str, InlineKeyboardMarkup]:
    """A draft (or a scheduled one): its fields, what it lacks, whom it reaches; an
    announcement out: its delivery and its answers."""
    schools = {school.id: school for school in await repo.schools.list()}
    choice = Choice.from_json(announcement.audience)
    lines = [
        f"<b>{escape(announcement.title)}</b> — {status_name(announcement, settings.timezone)}",
        _("When: {when}").format(
            when=when_text(announcement, settings.timezone, locale)
            if announcement.starts_at
            else _("not set")
        ),
        _("Where: {place}").format(place=_place(announcement)),
    ]
    keyboard = Keyboard()
    sizes: list[int] = []
    if announcement.status.open:
        description = (
            ngettext("{n} character", "{n} characters", len(announcement.description)).format(
                n=len(announcement.description)
            )
            if announcement.description
            else _("none")
        )
        lines.append(_("Description: {description}").format(description=description))
        lines.append(
            _("Attachment: {name}").format(
                name=escape(announcement.attachment_name or "") or _("none")
            )
        )
        found = await sender.reach(announcement)
        lines.append(
            _("To: {audience} — {reach}").format(
                audience=escape(describe(choice, schools, locale)), reach=reach_line(found)
            )
        )
        missing = _missing(announcement)
        if missing:
            lines += ["", _("Still needed: {fields}.").format(fields=", ".join(missing))]
        keyboard.button(text=_("👁 Preview"), callback_data=button("preview", announcement.id))
        keyboard.button(text=_("👥 Audience"), callback_data=button("aud", announcement.id))
        sizes.append(2)
        names = [_("✏️ Title"), _("✏️ When"), _("✏️ Place"), _("✏️ Text"), _("✏️ File")]
        for index, name in enumerate(names):
            keyboard.button(text=name, callback_data=button("field", announcement.id, value=index))
        sizes += [3, 2]
        keyboard.button(text=_("📤 Send now"), callback_data=button("send", announcement.id))
        if announcement.status is Status.SCHEDULED:
            keyboard.button(
                text=_("↩️ Do not send on schedule"),
                callback_data=button("unsched", announcement.id),
            )
        else:
            keyboard.button(text=_("🕒 Send later"), callback_data=button("later", announcement.id))
        sizes.append(2)
        keyboard.button(text=_("🗑 Delete"), callback_data=button("delete", announcement.id))
        sizes.append(1)
    else:
        lines.append(_("To: {audience}").format(audience=escape(describe(choice, schools, locale))))
        progress = Progress.of(
            await repo.announcements.delivery_counts(batch_name(announcement.id))
        )
        lines.append(
            _(
                "Delivered: {sent} of {total} · not delivered: {failed} · "
                "blocked the bot: {blocked}"
            ).format(
                sent=progress.sent,
                total=progress.total,
                failed=progress.failed,
                blocked=progress.blocked,
            )
        )
        if not progress.done:
            lines.append(_("Waiting to be sent: {n}").format(n=progress.waiting))
        lines.append(counts_line(count(await repo.announcements.answers(announcement.id)), locale))
        if announcement.version > 1:
            edits = announcement.version - 1
            lines.append(
                ngettext(
                    "The text was edited after sending ({n} time).",
                    "The text was edited after sending ({n} times).",
                    edits,
                ).format(n=edits)
            )
        keyboard.button(
            text=_("📋 Answers by school"), callback_data=button("answers", announcement.id)
        )
        keyboard.button(
            text=_("🧾 Attendance"), callback_data=button("attendance", announcement.id)
        )
        sizes.append(2)
        if not started(announcement, now):
            keyboard.button(
                text=_("✏️ Edit the text"), callback_data=button("retext", announcement.id)
            )
            keyboard.button(
                text=_("✉️ Send a correction"), callback_data=button("fix", announcement.id)
            )
            sizes.append(2)
        keyboard.button(
            text=_("📥 Excel: this event"), callback_data=button("xev", announcement.id)
        )
        keyboard.button(
            text=_("📥 Excel: schools this year"), callback_data=button("xsch", announcement.id)
        )
        sizes.append(2)
    keyboard.button(text=_("To the list"), callback_data=button("list"))
    sizes.append(1)
    keyboard.adjust(*sizes)
    return "\n".join(lines), keyboard.as_markup()


def _place(announcement: Announcement) -> str:
    if announcement.format == ONLINE:
        return _("online, {link}").format(link=escape(announcement.place))
    if announcement.format == IN_PERSON:
        return _("in person, {place}").format(place=escape(announcement.place))
    return _("not set")


def _missing(announcement: Announcement) -> list[str]:
    missing = []
    if announcement.starts_at is None:
        missing.append(_("the date and time"))
    if not announcement.format or not announcement.place:
        missing.append(_("the link or the place"))
    return missing


async def audience_screen(
    repo: Repo,
    sender: AnnouncementSender,
    announcement: Announcement,
    roles: Roles,
    locale: str,
) -> tuple[str, InlineKeyboardMarkup]:
    schools = await repo.schools.list()
    by_id = {school.id: school for school in schools}
    choice = Choice.from_json(announcement.audience)
    found = await sender.reach(announcement)
    lines = [
        _("<b>To: {audience}</b>").format(audience=escape(describe(choice, by_id, locale))),
        reach_line(found),
        "",
        _(
            "Choose roles, municipalities, kinds of schools or single schools; they combine "
            "(principals of ШНОР schools of one district, say). Nothing chosen: everyone."
        ),
    ]
    keyboard = Keyboard()
    sizes = []
    for index, who in enumerate(WHO):
        mark = "✅ " if who in choice.roles else ""
        keyboard.button(
            text=mark + _capital(translate(locale, WHO_NAMES[who])),
            callback_data=button("who", announcement.id, value=index),
        )
    sizes.append(3)
    for index, kind in enumerate(KINDS):
        mark = "✅ " if kind in choice.kinds else ""
        keyboard.button(
            text=mark + _capital(translate(locale, KIND_NAMES[kind])),
            callback_data=button("kind", announcement.id, value=index),
        )
    sizes.append(2)
    municipalities = municipality_list(schools, roles)
    if len(municipalities) > 1:
        for index, name in enumerate(municipalities):
            mark = "✅ " if in_municipalities(name, choice.municipalities) else ""
            keyboard.button(
                text=mark + name, callback_data=button("muni", announcement.id, value=index)
            )
            sizes.append(1)
    keyboard.button(
        text=_("🏫 Single schools ({n})").format(n=len(choice.school_ids)),
        callback_data=button("schools", announcement.id),
    )
    keyboard.button(text=_("Everyone"), callback_data=button("everyone", announcement.id))
    sizes.append(2)
    keyboard.button(text=_("✅ Done"), callback_data=button("open", announcement.id))
    sizes.append(1)
    keyboard.adjust(*sizes)
    return "\n".join(lines), keyboard.as_markup()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def municipality_list(schools: list[School], roles: Roles) -> list[str]:
    """The municipalities of the coordinator's territory, by name (buttons name them by
    their number in this list)."""
    return sorted({school.municipality for school in territory(roles, schools)})


def school_page(
    schools: list[School],
    selected: set[int],
    page: int,
    *,
    announcement_id: int,
    toggle: str,
    turn: str,
    done: str,
    heading: str,
    notes: dict[int, str] | None = None,
    extra: list[tuple[str, AnnounceCallback]] | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of schools to tick (``toggle``), turn (``turn``), ``extra`` buttons, and a
    button back (``done``)."""
    shown, page, pages = paginate(schools, page, SCHOOLS_PER_PAGE)
    keyboard = Keyboard()
    sizes = []
    for school in shown:
        mark = "✅ " if school.id in selected else ""
        note = (notes or {}).get(school.id, "")
        keyboard.button(
            text=f"{mark}{school.display_name} · {school.municipality}{note}",
            callback_data=button(toggle, announcement_id, page=page, value=school.id),
        )
        sizes.append(1)
    navigation = pager(keyboard, page, pages, lambda to: button(turn, announcement_id, page=to))
    if navigation:
        sizes.append(navigation)
    for text, data in extra or []:
        keyboard.button(text=text, callback_data=data)
        sizes.append(1)
    keyboard.button(text=_("✅ Done"), callback_data=button(done, announcement_id))
    sizes.append(1)
    keyboard.adjust(*sizes)
    text = heading
    if pages > 1:
        text += "\n" + _("Page {page} of {pages}").format(page=page + 1, pages=pages)
    return text, keyboard.as_markup()


def announce_this(event_id: int) -> InlineKeyboardMarkup:
    keyboard = Keyboard()
    keyboard.button(text=_("📣 Announce"), callback_data=button("fromev", value=event_id))
    return keyboard.as_markup()
