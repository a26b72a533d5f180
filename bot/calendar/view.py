"""The calendar as a person sees it: which roadmap actions and indicator deadlines fall in
a window (the next 30 days, a month), numbered and paged, and an action's details.

Plain Python: the handler gathers the data (storage, campaigns) and this module turns it
into text in the person's language, so the wording and the choices are unit-tested.
Dates are calendar dates in the program's time zone (the caller's ``today``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from babel.dates import format_date

from bot.i18n import N_, translate, translate_plural
from bot.indicators.school_years import SchoolYear
from bot.indicators.titles import deadline_name
from storage.calendar import Event, Occurrence, Roadmap

UPCOMING_DAYS = 30
ENTRIES_PER_PAGE = 10
BUTTON_TITLE = 32  # characters of an action's title on its button
LINE_TITLE = 140  # characters of an action's title in a calendar line
DETAIL_SPANS = 12  # occurrences listed in an action's details

# texts with the Russian words a coordinator types or sees in the file (not in handlers/)
UPLOAD_HINT = N_(
    "To import a roadmap, send it to me now as an Excel file (.xlsx): a table with "
    "columns such as «№ п/п», «Мероприятие», «Сроки», «Ответственные», «Ожидаемый "
    "результат». A roadmap with the same title and years replaces its earlier import; "
    "dates you set by hand are kept. /cancel to stop."
)
DATES_HINT = N_(
    "Write the dates of this action, for example: «15.03.2026», «01.03.2026 – 15.04.2026» "
    "or «март – апрель 2026». Several periods: separate them with «;». /cancel to stop."
)

KIND_NAMES = {
    "range": N_("a date range"),
    "ranges": N_("several date ranges"),
    "recurring": N_("recurring"),
    "deadline": N_("a deadline"),
    "no_fixed_date": N_("no fixed date"),
    "unreadable": N_("could not be read"),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the calendar: a roadmap action's occurrence or an indicator deadline."""

    starts_on: date
    ends_on: date
    title: str
    event_id: int | None = None  # None: an indicator deadline
    note: str = ""  # already in the reader's language (a campaign's state, a count)
    announcement_id: int | None = None  # an announced event (its title holds the time)

    @property
    def is_deadline(self) -> bool:
        return self.event_id is None and self.announcement_id is None


@dataclass(frozen=True, slots=True)
class CalendarPage:
    text: str
    actions: list[tuple[int, Entry]]  # (number shown, entry) of the actions on this page
    page: int
    pages: int


def upcoming_window(today: date) -> tuple[date, date]:
    """Today and the next 30 days."""
    return today, today + timedelta(days=UPCOMING_DAYS)


def month_window(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def action_entries(
    found: list[tuple[Occurrence, Event]], visible: Callable[[Event], bool]
) -> list[Entry]:
    """The occurrences of the actions ``visible`` lets the person see."""
    return [
        Entry(occurrence.starts_on, occurrence.ends_on, event.title, event.id)
        for occurrence, event in found
        if visible(event)
    ]


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    """By date; on one day, deadlines first (they are what people must not miss)."""
    return sorted(
        entries, key=lambda e: (e.starts_on, not e.is_deadline, e.ends_on, e.title.casefold())
    )


def short_date(day: date, locale: str) -> str:
    return format_date(day, "d MMMM", locale=locale)


def long_date(day: date, locale: str) -> str:
    return format_date(day, "d MMMM y", locale=locale)


def format_span(start: date, end: date, locale: str) -> str:
    """ "15 марта 2026", "1–15 марта 2026", "1 марта – 15 апреля 2026"."""
    if start == end:
        return long_date(start, locale)
    if start.year != end.year:
        return f"{long_date(start, locale)} – {long_date(end, locale)}"
    if start.month == end.month:
        return f"{start.day}–{long_date(end, locale)}"
    return f"{short_date(start, locale)} – {long_date(end, locale)}"


def month_name(year: int, month: int, locale: str) -> str:
    """ "Март 2026" / "March 2026"."""
    text = format_date(date(year, month, 1), "LLLL y", locale=locale)
    return text[:1].upper() + text[1:]


def deadline_title(due: date, locale: str, school_year: SchoolYear | None = None) -> str:
    """An indicator deadline as the campaign is named everywhere: its school year, if it is
    about one, and its last day, included (:mod:`bot.indicators.titles`)."""
    return deadline_name(due, locale, school_year)


def principal_note(reported: bool, overdue: bool, locale: str) -> str:
    if reported:
        return translate(locale, "✅ sent")
    if overdue:
        return translate(locale, "⚠️ the deadline has passed, not sent")
    return translate(locale, "⏳ not sent")


def overseer_note(missing: int, total: int, locale: str) -> str:
    if total and not missing:
        return translate(locale, "✅ every school has sent")
    return translate_plural(
        locale,
        "{n} of {total} school has not sent",
        "{n} of {total} schools have not sent",
        missing,
        total=total,
    )


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut at a word to at most ``limit`` characters with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def _cap(text: str, limit: int) -> str:
    """The text as written (line breaks kept) when it fits, else shortened."""
    return text if len(text) <= limit else shorten(text, limit)


def button_title(number: int, entry: Entry) -> str:
    return f"{number}. {shorten(entry.title, BUTTON_TITLE)}"


def render_page(
    heading: str, entries: list[Entry], locale: str, page: int, per_page: int = ENTRIES_PER_PAGE
) -> CalendarPage:
    """A page of the calendar: the heading, then one line per entry, numbered actions."""
    pages = max(1, -(-len(entries) // per_page))
    page = min(max(page, 0), pages - 1)
    shown = entries[page * per_page : (page + 1) * per_page]
    lines = [heading]
    if pages > 1:
        lines.append(translate(locale, "Page {page} of {pages}", page=page + 1, pages=pages))
    lines.append("")
    actions: list[tuple[int, Entry]] = []
    for index, entry in enumerate(shown, start=page * per_page + 1):
        when = f"<b>{format_span(entry.starts_on, entry.ends_on, locale)}</b>"
        if entry.is_deadline:
            line = f"📌 {when} — {escape(entry.title)}"
        else:
            # the whole title (often a paragraph) is in the action's details
            mark = "📣" if entry.announcement_id is not None else "🗓"
            line = f"{mark} {when} — {index}. {escape(shorten(entry.title, LINE_TITLE))}"
            actions.append((index, entry))
        if entry.note:
            line += f" · {entry.note}"
        lines.append(line)
    return CalendarPage("\n".join(lines).rstrip(), actions, page, pages)


def upcoming_heading(start: date, end: date, locale: str) -> str:
    return translate(locale, "<b>Coming up: {span}</b>", span=format_span(start, end, locale))


def month_heading(year: int, month: int, locale: str) -> str:
    return translate(locale, "<b>Calendar: {month}</b>", month=month_name(year, month, locale))


def empty_text(locale: str, *, month: bool) -> str:
    if month:
        return translate(locale, "Nothing is planned for this month.")
    return translate(
        locale, "Nothing is planned for the next 30 days. Have a look at the month view."
    )


def roadmap_hint(roadmaps: list[Roadmap], today: date, locale: str) -> str | None:
    """For a coordinator whose calendar lacks a current roadmap: none imported yet, or every
    one imported is over (say which, and when it ended); None while one is current."""
    if not roadmaps:
        return translate(
            locale,
            "Roadmap actions appear here once a roadmap is imported: send /roadmap and then "
            "the roadmap's Excel file.",
        )
    if any(roadmap.ends_on >= today for roadmap in roadmaps):
        return None
    last = max(roadmaps, key=lambda roadmap: roadmap.ends_on)
    return translate(
        locale,
        "The roadmap «{title}» ended on {date}. To see the next actions here, send /roadmap "
        "and then the new roadmap's Excel file.",
        title=escape(_cap(last.title, 300)),
        date=long_date(last.ends_on, locale),
    )


def event_details(
    event: Event, occurrences: list[Occurrence], roadmap_title: str, locale: str
) -> str:
    """An action in full: title, section, period as written and as read, who, what result
    (each field capped, so that the whole stays within one Telegram message)."""
    lines = [f"<b>{escape(_cap(event.title, 1200))}</b>"]
    if event.section:
        section = escape(_cap(event.section, 300))
        lines.append(translate(locale, "Section: {section}", section=section))
    period = escape(_cap(event.period_text, 300) or "—")
    lines.append(translate(locale, "Period as written: {period}", period=period))
    kind = translate(locale, KIND_NAMES.get(event.kind, KIND_NAMES["unreadable"]))
    if event.dates_set_by is not None:
        kind = translate(locale, "dates set by a coordinator")
    spans = [format_span(o.starts_on, o.ends_on, locale) for o in occurrences]
    if not spans:
        lines.append(translate(locale, "Read as: {kind}, no dates", kind=kind))
    else:
        listed = "; ".join(spans[:DETAIL_SPANS])
        if len(spans) > DETAIL_SPANS:
            listed += " " + translate_plural(
                locale, "and {n} more", "and {n} more", len(spans) - DETAIL_SPANS
            )
        lines.append(translate(locale, "Read as: {kind} — {dates}", kind=kind, dates=listed))
    if event.responsible:
        who = escape(_cap(event.responsible, 500))
        lines.append(translate(locale, "Responsible: {who}", who=who))
    if event.result:
        result = escape(_cap(event.result, 900))
        lines.append(translate(locale, "Expected result: {result}", result=result))
    lines.append(translate(locale, "Roadmap: {title}", title=escape(_cap(roadmap_title, 300))))
    return "\n".join(lines)
