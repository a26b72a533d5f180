"""The execution screens as text and button specifications: the roadmaps' progress, a
roadmap's actions, an action's parts with their evidence, a person's own parts of an
action (under its details in /calendar) and the marks of calendar lines.

Plain Python: the handler turns each :class:`Button` into a callback button, so what a
screen offers to whom is unit-tested here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from zoneinfo import ZoneInfo

from bot.calendar.execution.ledger import Ledger, viewer_filter, visible_roadmaps
from bot.calendar.execution.progress import action_lines, roadmap_progress
from bot.calendar.execution.status import Mark
from bot.calendar.execution.texts import (
    ICONS,
    action_name,
    answer_words,
    mark_word,
    marked,
    part_label,
    progress_words,
)
from bot.calendar.view import long_date, shorten
from bot.i18n import translate, translate_plural
from storage.calendar import Event, Roadmap
from storage.models import Roles

ACTIONS_PER_PAGE = 8
PARTS_PER_PAGE = 10
BUTTON_TITLE = 40
TEXT_BUDGET = 3800  # characters of a screen (Telegram: 4096)


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    action: str
    event_id: int = 0
    roadmap_id: int = 0
    page: int = 0
    item: int = 0
    school_id: int = 0
    muni: int = 0
    point: int = 0


@dataclass
class Screen:
    text: str
    rows: list[list[Button]] = field(default_factory=list)


def _years(roadmap: Roadmap) -> str:
    first, last = roadmap.starts_on.year, roadmap.ends_on.year
    return str(first) if first == last else f"{first}–{last}"


def _pages(count: int, per_page: int, page: int) -> tuple[int, int]:
    pages = max(1, -(-count // per_page))
    return min(max(page, 0), pages - 1), pages


def _pager(page: int, pages: int, make: Callable[[int], Button]) -> list[Button]:
    row = []
    if page > 0:
        row.append(make(page - 1))
    if page < pages - 1:
        row.append(make(page + 1))
    return row


# --------------------------------------------------------------------------- coordinators


def overview_screen(ledger: Ledger, roles: Roles, today: date, locale: str) -> Screen:
    """Every roadmap the coordinator sees, with its progress over their territory."""
    roadmaps = visible_roadmaps(ledger, roles)
    lines = [
        translate(locale, "<b>Roadmap progress</b> on {date}", date=long_date(today, locale)),
        "",
    ]
    if not roadmaps:
        lines.append(translate(locale, "No roadmap has been imported yet: see /roadmap."))
        return Screen("\n".join(lines))
    screen = Screen("")
    for roadmap in roadmaps:
        keep = viewer_filter(roles, ledger.schools, roadmap)
        progress = roadmap_progress(ledger, roadmap.id, today, keep)
        where = roadmap.municipality or translate(locale, "the region")
        lines.append(
            f"• <b>{escape(shorten(roadmap.title, 150))}</b> ({_years(roadmap)}, {escape(where)}):"
            f" {progress_words(progress, locale)}"
        )
        screen.rows.append(
            [
                Button(
                    f"📊 {shorten(roadmap.title, BUTTON_TITLE)}",
                    "rm",
                    roadmap_id=roadmap.id,
                )
            ]
        )
    lines += ["", translate(locale, "Open a roadmap to see its actions and their evidence.")]
    screen.text = "\n".join(lines)
    return screen


def roadmap_screen(
    ledger: Ledger, roles: Roles, roadmap: Roadmap, today: date, locale: str, page: int
) -> Screen:
    """A roadmap's actions with their marks, a page of them; the report's button."""
    keep = viewer_filter(roles, ledger.schools, roadmap)
    lines_all = action_lines(ledger, roadmap.id, today, keep)
    progress = roadmap_progress(ledger, roadmap.id, today, keep)
    page, pages = _pages(len(lines_all), ACTIONS_PER_PAGE, page)
    shown = lines_all[page * ACTIONS_PER_PAGE : (page + 1) * ACTIONS_PER_PAGE]
    text = [
        f"<b>{escape(shorten(roadmap.title, 300))}</b> ({_years(roadmap)})",
        translate(
            locale,
            "On {date}: {progress}.",
            date=long_date(today, locale),
            progress=progress_words(progress, locale),
        ),
    ]
    if pages > 1:
        text.append(translate(locale, "Page {page} of {pages}", page=page + 1, pages=pages))
    text.append("")
    screen = Screen("")
    for number, line in enumerate(shown, start=page * ACTIONS_PER_PAGE + 1):
        # the roadmap's own number («1.1.») where it has one, else the place in the list
        own = line.event.number.strip().rstrip(".") or str(number)
        entry = f"{ICONS[line.mark]} {own}. {escape(shorten(line.event.title, 90))}"
        if line.parts > 1:
            entry += f" · {line.done}/{line.parts}"
        text.append(entry)
        screen.rows.append(
            [
                Button(
                    f"{ICONS[line.mark]} {own}. {shorten(line.event.title, BUTTON_TITLE)}",
                    "act",
                    event_id=line.event.id,
                )
            ]
        )
    if not shown:
        text.append(translate(locale, "None of its actions concerns your territory."))
    text += ["", _legend(locale)]
    navigation = _pager(
        page,
        pages,
        lambda to: Button("◀️" if to < page else "▶️", "rmp", roadmap_id=roadmap.id, page=to),
    )
    if navigation:
        screen.rows.append(navigation)
    screen.rows.append(
        [Button(translate(locale, "📥 Report to Excel"), "xlsx", roadmap_id=roadmap.id)]
    )
    screen.rows.append([Button(translate(locale, "◀️ All roadmaps"), "list")])
    screen.text = "\n".join(text)
    return screen


def _legend(locale: str) -> str:
    return " · ".join(
        marked(mark, locale)
        for mark in (Mark.DONE, Mark.OVERDUE, Mark.NOT_DONE, Mark.POSTPONED, Mark.AWAITING)
    )


def action_screen(
    ledger: Ledger,
    roles: Roles,
    event: Event,
    today: date,
    locale: str,
    zone: ZoneInfo,
    page: int,
    *,
    manages: bool,
) -> Screen:
    """An action's parts in the coordinator's territory: each one's mark, latest answer and
    evidence; a button per file; for the roadmap's managers, reporting points and asking
    again."""
    roadmap = ledger.roadmap_of(event)
    keep = viewer_filter(roles, ledger.schools, roadmap)
    parts = [part for part in ledger.parts(event) if keep(part)]
    done, total = ledger.counted(event, today, keep)
    head = [f"<b>{action_name(event, 600)}</b>"]
    if event.period_text:
        head.append(
            translate(
                locale,
                "Period in the document: {period}",
                period=escape(shorten(event.period_text, 200)),
            )
        )
    points = ledger.points.get(event.id, [])
    if points:
        shown_points = ", ".join(
            long_date(point, locale) + (" 📍" if ledger.is_checkpoint(event, point) else "")
            for point in points[:12]
        )
        head.append(translate(locale, "To be confirmed on: {dates}", dates=shown_points))
    else:
        head.append(translate(locale, "No dates: confirmed when the people responsible mark it."))
    if event.responsible:
        head.append(
            translate(locale, "Responsible: {who}", who=escape(shorten(event.responsible, 300)))
        )
    if event.result:
        head.append(
            translate(
                locale, "Expected result: {result}", result=escape(shorten(event.result, 400))
            )
        )
    head.append(
        translate(
            locale, "Mark: {mark}", mark=marked(ledger.action_mark(event, today, keep), locale)
        )
        + " · "
        + translate_plural(
            locale, "{n} of {total} part done", "{n} of {total} parts done", done, total=total
        )
    )
    page, pages = _pages(len(parts), PARTS_PER_PAGE, page)
    shown = parts[page * PARTS_PER_PAGE : (page + 1) * PARTS_PER_PAGE]
    if pages > 1:
        head.append(translate(locale, "Page {page} of {pages}", page=page + 1, pages=pages))
    body: list[str] = []
    screen = Screen("")
    files: list[Button] = []
    waiting = False
    for part in parts:
        if ledger.part_mark(event, part, today) in (Mark.OVERDUE, Mark.AWAITING):
            waiting = True
    for part in shown:
        mark = ledger.part_mark(event, part, today)
        label = escape(part_label(part, ledger.schools, locale))
        answer = ledger.last_answer(event, part)
        if answer is not None and mark in (Mark.DONE, Mark.NOT_DONE, Mark.POSTPONED):
            entry = f"<b>{label}</b>: " + answer_words(answer, zone, locale)
        else:
            entry = f"{ICONS[mark]} <b>{label}</b> — {escape(mark_word(mark, locale))}"
            if answer is not None:
                entry += "\n" + answer_words(answer, zone, locale)
        entry = entry.replace("\n", "\n   ")
        if answer is not None and answer.file_id:
            files.append(
                Button(
                    f"📎 {shorten(part_label(part, ledger.schools, locale), BUTTON_TITLE)}",
                    "file",
                    item=answer.id,
                )
            )
        body.append(entry)
    text = "\n".join(head) + "\n\n" + "\n".join(body)
    if len(text) > TEXT_BUDGET:
        text = text[: TEXT_BUDGET - 1].rsplit("\n", 1)[0] + "\n…"
    for index in range(0, len(files), 2):
        screen.rows.append(files[index : index + 2])
    navigation = _pager(
        page,
        pages,
        lambda to: Button("◀️" if to < page else "▶️", "actp", event_id=event.id, page=to),
    )
    if navigation:
        screen.rows.append(navigation)
    if manages:
        screen.rows.append(
            [Button(translate(locale, "📍 Reporting points"), "points", event_id=event.id)]
        )
        if waiting:
            screen.rows.append(
                [
                    Button(
                        translate(locale, "🔔 Ask those who have not answered"),
                        "ask",
                        event_id=event.id,
                    )
                ]
            )
    screen.rows.append([Button(translate(locale, "◀️ To the roadmap"), "rm", roadmap_id=roadmap.id)])
    screen.text = text
    return screen
