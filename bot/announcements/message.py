"""The announcement as recipients read it, in their language: the title, when (in the
program's zone, named), online with its link or in person with its place, the
coordinator's text; and the later messages about it (a correction, a reminder).

Everything but the coordinator's own text (already checked Telegram HTML) is escaped here.
A message with an attachment carries the text as its caption, which Telegram limits to
1,024 characters (4,096 without one): :func:`length_problem` says when it is too long.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.announcements.formatting import check_html
from bot.i18n import N_, Msg, translate, translate_plural
from bot.telegram_limits import CAPTION_LIMIT, MESSAGE_LIMIT
from bot.texts import zone_phrase
from storage.announcements import Announcement

ONLINE, IN_PERSON = "online", "in_person"
TOO_LONG = N_(
    "The announcement would be {length} characters long, and Telegram allows {limit} "
    "{what}. Please shorten the description by {over} characters."
)
WITH_FILE = N_("in a caption under a file")
WITHOUT_FILE = N_("in a message")


def when_text(announcement: Announcement, zone_name: str, locale: str) -> str:
    """ "15 марта 2026, 14:00–16:00 по московскому времени"."""
    if announcement.starts_at is None:
        return "—"
    zone = ZoneInfo(zone_name)
    start = announcement.starts_at.astimezone(zone)
    text = f"{format_date(start.date(), 'd MMMM y', locale=locale)}, {start:%H:%M}"
    if announcement.ends_at is not None:
        text += f"–{announcement.ends_at.astimezone(zone):%H:%M}"
    return f"{text} {zone_phrase(zone_name, locale)}"


def short_when(announcement: Announcement, zone_name: str, locale: str) -> str:
    """ "15 марта, 14:00" (a list's line); "—" without a date."""
    if announcement.starts_at is None:
        return "—"
    start = announcement.starts_at.astimezone(ZoneInfo(zone_name))
    return f"{format_date(start.date(), 'd MMMM', locale=locale)}, {start:%H:%M}"


def place_line(announcement: Announcement, locale: str) -> str:
    place = escape(announcement.place, quote=True)
    if announcement.format == ONLINE:
        link = f'<a href="{place}">{place}</a>'
        return translate(locale, "💻 Online: {link}", link=link)
    if announcement.format == IN_PERSON:
        return translate(locale, "📍 Place: {place}", place=place)
    return ""


def announcement_text(
    announcement: Announcement, zone_name: str, locale: str, *, rsvp: bool = True
) -> str:
    """The message (or caption) every recipient gets; ``rsvp``: with the line asking them
    to answer with the buttons below."""
    lines = [
        f"📣 <b>{escape(announcement.title)}</b>",
        "🗓 " + when_text(announcement, zone_name, locale),
    ]
    place = place_line(announcement, locale)
    if place:
        lines.append(place)
    if announcement.description:
        lines += ["", announcement.description]
    if rsvp:
        lines += [
            "",
            translate(
                locale,
                "Will you come? Answer with the buttons below; you can change your answer "
                "until it starts.",
            ),
        ]
    return "\n".join(lines)


def length_problem(announcement: Announcement, zone_name: str) -> Msg | None:
    """Why the announcement would not fit in one Telegram message (in any language), or
    None when it fits."""
    limit = CAPTION_LIMIT if announcement.attachment_file_id else MESSAGE_LIMIT
    length = max(
        len(check_html(announcement_text(announcement, zone_name, locale)).plain.strip())
        for locale in ("ru", "en")
    )
    if length <= limit:
        return None
    what = Msg(WITH_FILE if announcement.attachment_file_id else WITHOUT_FILE)
    return Msg(TOO_LONG, {"length": length, "limit": limit, "what": what, "over": length - limit})


def correction_text(
    announcement: Announcement, correction: str, zone_name: str, locale: str
) -> str:
    """A short correction sent to the same people: which announcement, then its text."""
    return "\n".join(
        [
            translate(
                locale,
                "✏️ A correction to the announcement «{title}» ({when}):",
                title=escape(announcement.title),
                when=when_text(announcement, zone_name, locale),
            ),
            "",
            correction,
        ]
    )


def reminder_text(announcement: Announcement, hours: int, zone_name: str, locale: str) -> str:
    """To those who said they will come, ``hours`` before it starts."""
    if hours >= 24 and hours % 24 == 0:
        ahead = translate_plural(locale, "in {n} day", "in {n} days", hours // 24)
    else:
        ahead = translate_plural(locale, "in {n} hour", "in {n} hours", hours)
    lines = [
        translate(
            locale,
            "⏰ A reminder: «{title}» starts {ahead}, {when}.",
            title=escape(announcement.title),
            ahead=ahead,
            when=when_text(announcement, zone_name, locale),
        )
    ]
    place = place_line(announcement, locale)
    if place:
        lines.append(place)
    lines.append(
        translate(
            locale, "You said you would come. If your plans change, say so under the announcement."
        )
    )
    return "\n".join(lines)


def started(announcement: Announcement, now: datetime) -> bool:
    """The event has started: answers are closed, attendance can be marked."""
    return announcement.starts_at is not None and announcement.starts_at <= now
