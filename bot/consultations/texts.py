"""How consultations are worded, in the reader's language: times, formats, states, what a
curator's typed time was read as, and one line per consultation.

Shared by the consultation screens, the notices the bot sends on its own initiative, the
reminders and the calendar, so a consultation reads the same everywhere. Every function
takes the reader's ``locale``; times are shown in the program's ``zone``.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names

from bot.calendar.view import format_span
from bot.consultations.availability import Availability, Repeat
from bot.consultations.intervals import Interval
from bot.consultations.publishing import IN_PERSON, Setup, slot_count
from bot.i18n import N_, translate, translate_plural
from bot.telegram_limits import shorten
from bot.texts import zone_phrase
from storage.consultations import Consultation, Status

WINDOWS_SHOWN = 8  # windows of a publication listed before «и ещё N»
TOPIC_IN_LINE = 80  # characters of a topic in a one-line list

# texts with Russian examples (people type them): kept here, out of the handlers
AVAILABILITY_HINT = N_(
    "Write when you can hold consultations, the way you would say it, for example:\n"
    "• «вт, чт 15:00–17:00 до 20 декабря»\n"
    "• «каждую среду с 10 до 12»\n"
    "• «5 декабря 14:00–16:00»\n"
    "Times are {zone}. Or build it with buttons. /cancel to stop."
)
LINK_HINT = N_(
    "Send the link to the online meeting, for example: https://telemost.yandex.ru/j/12345678"
)
PLACE_HINT = N_("Write where the consultations take place, for example: «ИРО, каб. 214».")

STATUS_NAMES = {
    Status.PROPOSED: N_("waiting for the school's answer"),
    Status.BOOKED: N_("booked"),
    Status.CANCELLED: N_("consultation: cancelled"),
    Status.DECLINED: N_("declined by the school"),
    Status.HELD: N_("held"),
    Status.MISSED: N_("did not take place"),
}
STATUS_ICONS = {
    Status.PROPOSED: "❔",
    Status.BOOKED: "🗓",
    Status.CANCELLED: "✖️",
    Status.DECLINED: "✖️",
    Status.HELD: "✅",
    Status.MISSED: "❌",
}


def status_name(status: Status, locale: str) -> str:
    return translate(locale, STATUS_NAMES[status])


def day_text(day: date, locale: str) -> str:
    """ "сб, 5 декабря 2026" / "Sat, 5 December 2026"."""
    return format_date(day, "EEE, d MMMM y", locale=locale)


def short_day(day: date, locale: str) -> str:
    """ "сб, 5 дек." / "Sat, 5 Dec": a button's day."""
    return format_date(day, "EEE, d MMM", locale=locale)


def weekday_names(days: tuple[int, ...] | list[int], locale: str) -> str:
    """ "вт, чт" / "Tue, Thu"."""
    names = get_day_names("abbreviated", locale=locale)
    return ", ".join(names[day] for day in days)


def clock_time(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%H:%M}"


def when(start: datetime, end: datetime, zone: ZoneInfo, locale: str) -> str:
    """ "сб, 5 декабря 2026, 15:00–15:30" in the program's zone."""
    local = start.astimezone(zone)
    return f"{day_text(local.date(), locale)}, {clock_time(start, zone)}–{clock_time(end, zone)}"


def when_in_zone(start: datetime, end: datetime, zone: ZoneInfo, locale: str) -> str:
    """:func:`when` with the zone named: «… по московскому времени»."""
    return f"{when(start, end, zone, locale)} {zone_phrase(zone.key, locale)}"


def moment_in_zone(start: datetime, zone: ZoneInfo, locale: str) -> str:
    """ "сб, 5 декабря 2026, 15:00 по московскому времени": a start alone."""
    local = start.astimezone(zone)
    return f"{day_text(local.date(), locale)}, {local:%H:%M} {zone_phrase(zone.key, locale)}"


def duration(minutes: int, locale: str) -> str:
    """ "30 мин", "2 ч", "1 ч 30 мин"; "0 min" reads "no"."""
    if minutes <= 0:
        return translate(locale, N_("none"))
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(translate(locale, N_("{n} h"), n=hours))
    if rest:
        parts.append(translate(locale, N_("{n} min"), n=rest))
    return " ".join(parts)


def place_text(fmt: str, place: str, locale: str) -> str:
    """ "онлайн: https://…" / "очно: ИРО, каб. 214" (HTML-escaped); "" when not given."""
    if fmt == IN_PERSON:
        if not place:
            return translate(locale, N_("in person, the place is not given yet"))
        return translate(locale, N_("in person: {place}"), place=escape(place))
    if not place:
        return translate(locale, N_("online, the link is not given yet"))
    return translate(locale, N_("online: {link}"), link=escape(place))


def setup_lines(setup: Setup, locale: str) -> list[str]:
    """The settings of a publication, one per line."""
    return [
        translate(
            locale,
            N_("Length: {length} · break between: {buffer} · booked at least {notice} ahead"),
            length=duration(setup.length_min, locale),
            buffer=duration(setup.buffer_min, locale),
            notice=duration(setup.notice_min, locale),
        ),
        translate(
            locale, N_("Format: {place}"), place=place_text(setup.format, setup.place, locale)
        ),
    ]


def _rule_line(days: str, times: str) -> str:
    return f"• {days} — {times}"


def understood(
    availability: Availability,
    kept: list[Interval],
    setup: Setup,
    zone: ZoneInfo,
    locale: str,
) -> str:
    """What a typed line was read as, to be confirmed before it is saved: the days and
    hours, the period, the windows and how many consultations they hold."""
    lines = [translate(locale, N_("<b>I understood:</b> «{text}»"), text=escape(availability.text))]
    for rule in availability.rules:
        times = ", ".join(str(span) for span in rule.times)
        if availability.repeat is Repeat.WEEKLY:
            days = translate(locale, N_("every {days}"), days=weekday_names(rule.weekdays, locale))
        else:
            days = ", ".join(day_text(day, locale) for day in rule.dates)
        lines.append(_rule_line(days, times))
    if availability.repeat is Repeat.WEEKLY:
        period = format_span(availability.first_day, availability.last_day, locale)
        lines.append(translate(locale, N_("Period: {period}"), period=period))
        if availability.default_end:
            lines.append(
                translate_plural(
                    locale,
                    "(no end was given, so {n} week from the start)",
                    "(no end was given, so {n} weeks from the start)",
                    availability.horizon_weeks,
                )
            )
    lines.append(translate(locale, N_("Times are {zone}."), zone=zone_phrase(zone.key, locale)))
    lines.append("")
    count = slot_count(kept, setup.length_min, setup.buffer_min)
    lines.append(
        translate_plural(
            locale,
            "{n} window, {count} consultations of {length}:",
            "{n} windows, {count} consultations of {length}:",
            len(kept),
            count=count,
            length=duration(setup.length_min, locale),
        )
    )
    for piece in kept[:WINDOWS_SHOWN]:
        lines.append(f"• {when(piece.start, piece.end, zone, locale)}")
    if len(kept) > WINDOWS_SHOWN:
        more = len(kept) - WINDOWS_SHOWN
        lines.append(translate_plural(locale, "and {n} more", "and {n} more", more))
    if list(availability.intervals) != kept:
        lines.append(
            translate(
                locale,
                N_("Time you had already published is left out: it keeps its own settings."),
            )
        )
    lines.append("")
    lines += setup_lines(setup, locale)
    return "\n".join(lines)


def topic_text(consultation: Consultation, locale: str, limit: int = 300) -> str:
    """The topic as written (escaped), shortened to ``limit``; «—» when there is none."""
    if not consultation.topic:
        return "—"
    return escape(shorten(consultation.topic, limit))


def consultation_line(
    consultation: Consultation,
    other_side: str,
    zone: ZoneInfo,
    locale: str,
) -> str:
    """ "🗓 сб, 5 декабря 2026, 15:00–15:30 — Казанская СОШ · «Программа развития»"."""
    icon = STATUS_ICONS[consultation.status]
    line = (
        f"{icon} {when(consultation.starts_at, consultation.ends_at, zone, locale)} — "
        f"{escape(other_side)}"
    )
    if consultation.topic:
        line += f" · «{escape(shorten(consultation.topic, TOPIC_IN_LINE))}»"
    if consultation.status is Status.PROPOSED:
        line += " · " + status_name(consultation.status, locale)
    return line


def details(
    consultation: Consultation,
    school: str,
    host: str,
    zone: ZoneInfo,
    locale: str,
) -> list[str]:
    """A consultation in full, one fact per line (HTML)."""
    lines = [
        translate(
            locale,
            N_("<b>Consultation</b> · {status}"),
            status=status_name(consultation.status, locale),
        ),
        translate(
            locale,
            N_("When: {when}"),
            when=when_in_zone(consultation.starts_at, consultation.ends_at, zone, locale),
        ),
        translate(locale, N_("School: {school}"), school=escape(school)),
        translate(locale, N_("Curator: {host}"), host=escape(host)),
        translate(
            locale,
            N_("Format: {place}"),
            place=place_text(consultation.format, consultation.place, locale),
        ),
        translate(locale, N_("Topic: {topic}"), topic=topic_text(consultation, locale, 1000)),
    ]
    if consultation.reason and consultation.status in (Status.CANCELLED, Status.DECLINED):
        lines.append(
            translate(
                locale, N_("Reason: {reason}"), reason=escape(shorten(consultation.reason, 500))
            )
        )
    elif consultation.reason and consultation.sequence:
        lines.append(
            translate(
                locale,
                N_("Moved; the reason: {reason}"),
                reason=escape(shorten(consultation.reason, 500)),
            )
        )
    if consultation.outcome:
        lines.append(
            translate(
                locale, N_("Outcome: {outcome}"), outcome=escape(shorten(consultation.outcome, 800))
            )
        )
    return lines


def notice_phrase(minutes: int, locale: str) -> str:
    """ "at least 2 h before it starts"."""
    return translate(locale, N_("at least {time} before it starts"), time=duration(minutes, locale))
