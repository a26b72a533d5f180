"""What the execution screens and messages say, in the reader's language (HTML; people's
text escaped): marks, answers said back, requests, progress lines.

Plain Python over plain data, so the wording is unit-tested; the handlers and the
scheduler only assemble it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.calendar.execution.parts import Part
from bot.calendar.execution.progress import ActionLine, Progress
from bot.calendar.execution.status import Mark
from bot.calendar.view import format_span, long_date, shorten
from bot.i18n import N_, translate, translate_plural
from storage.calendar import Event, Roadmap
from storage.execution import Confirmation
from storage.models import School

ICONS = {
    Mark.DONE: "✅",
    Mark.NOT_DONE: "❌",
    Mark.POSTPONED: "↪️",
    Mark.OVERDUE: "⚠️",
    Mark.AWAITING: "⏳",
    Mark.IN_PROGRESS: "🔄",
    Mark.UPCOMING: "🕓",
    Mark.NO_DATES: "▫️",
}
_WORDS = {
    Mark.DONE: N_("done"),
    Mark.NOT_DONE: N_("not done"),
    Mark.POSTPONED: N_("postponed"),
    Mark.OVERDUE: N_("overdue, not confirmed"),
    Mark.AWAITING: N_("waiting for confirmation"),
    Mark.IN_PROGRESS: N_("in progress"),
    Mark.UPCOMING: N_("not due yet"),
    Mark.NO_DATES: N_("no dates, not confirmed"),
}
STATUS_WORDS = {
    "done": N_("done"),
    "postponed": N_("postponed"),
    "not_done": N_("not done"),
}
# texts with the Russian words people type (not in handlers/)
POSTPONE_HINT = N_(
    "📅 Postpone: write the new period, for example «до 15 декабря», «ноябрь – декабрь» or "
    "«15.12.2026». /cancel — do not mark it now."
)
POINTS_HINT = N_(
    "📍 Reporting points: on these days the people responsible are asked how the action goes, "
    "besides the end of its period. Write the dates, for example «30.06.2026; 31.12.2026» or "
    "«июнь, декабрь» (the last day of each month). /cancel to stop."
)
TITLE_IN_LINE = 90
TITLE_IN_REQUEST = 600


def mark_word(mark: Mark, locale: str) -> str:
    return translate(locale, _WORDS[mark])


def marked(mark: Mark, locale: str) -> str:
    """ "✅ выполнено"."""
    return f"{ICONS[mark]} {mark_word(mark, locale)}"


def action_name(event: Event, limit: int = TITLE_IN_LINE) -> str:
    """ "3.1. Создание банка данных…" (escaped)."""
    number = event.number.strip()
    if number and not number.endswith("."):
        number += "."
    title = shorten(event.title, limit)
    return escape(f"{number} {title}" if number else title)


def part_label(part: Part, schools: Mapping[int, School], locale: str) -> str:
    """Whose part (plain text): a school's short name, a municipality, the whole action."""
    if part.school_id is not None:
        school = schools.get(part.school_id)
        return school.display_name if school else translate(locale, "a school no longer listed")
    if part.municipality is not None:
        return part.municipality
    return translate(locale, "the action as a whole")


def new_period_words(start: date | None, end: date, locale: str) -> str:
    """ "до 15 декабря 2026" for a day («до 15 декабря», «15.12.2026»), else "1 ноября –
    15 декабря 2026"."""
    if start is None or start == end:
        return translate(locale, "by {date}", date=long_date(end, locale))
    return format_span(start, end, locale)


def point_words(point: date | None, checkpoint: bool, locale: str) -> str:
    if point is None:
        return translate(locale, "no dates")
    if checkpoint:
        return translate(locale, "reporting point {date}", date=long_date(point, locale))
    return translate(locale, "period ends {date}", date=long_date(point, locale))


def local_moment(moment: datetime, zone: ZoneInfo, locale: str) -> str:
    """ "2 октября 2026, 10:15"."""
    local = moment.astimezone(zone)
    return f"{long_date(local.date(), locale)}, {local:%H:%M}"


def evidence_words(answer: Confirmation, locale: str) -> str:
    """The evidence of an answer, one line (escaped): file, link, text."""
    parts = []
    if answer.file_id:
        name = answer.file_name or translate(locale, "photo")
        parts.append(translate(locale, "file «{name}»", name=escape(name)))
    if answer.link:
        parts.append(f'<a href="{escape(answer.link, quote=True)}">{escape(answer.link)}</a>')
    if answer.evidence:
        parts.append(f"«{escape(shorten(answer.evidence, 300))}»")
    return "; ".join(parts)


def answer_words(answer: Confirmation, zone: ZoneInfo, locale: str, *, who: bool = True) -> str:
    """An answer in one or two lines: status, when and by whom, evidence or reason."""
    when = local_moment(answer.created_at, zone, locale)
    if answer.status == "done":
        head = "✅ " + translate(locale, "done")
    elif answer.status == "not_done":
        head = "❌ " + translate(locale, "not done")
    else:
        assert answer.new_ends_on is not None
        moved = new_period_words(answer.new_starts_on, answer.new_ends_on, locale)
        head = "↪️ " + translate(locale, "postponed: new period {period}", period=moved)
    line = head + f" · {when}"
    if who and answer.person_name:
        line += f" · {escape(answer.person_name)}"
    details = []
    evidence = evidence_words(answer, locale)
    if evidence:
        details.append(translate(locale, "Evidence: {evidence}", evidence=evidence))
    if answer.comment:
        comment = escape(shorten(answer.comment, 300))
        if answer.status == "done":
            details.append(translate(locale, "Comment: {comment}", comment=comment))
        else:
            details.append(translate(locale, "Reason: {reason}", reason=comment))
    return "\n".join([line, *("   " + detail for detail in details)])


def progress_words(progress: Progress, locale: str) -> str:
    """ "исполнено 11 из 18, просрочено 3, не выполнено 1, перенесено 2"."""
    parts = [translate(locale, "done {done} of {total}", done=progress.done, total=progress.total)]
    for mark, message in (
        (Mark.OVERDUE, N_("overdue {n}")),
        (Mark.NOT_DONE, N_("not done {n}")),
        (Mark.POSTPONED, N_("postponed {n}")),
        (Mark.AWAITING, N_("waiting for confirmation {n}")),
    ):
        count = progress.count(mark)
        if count:
            parts.append(translate(locale, message, n=count))
    return ", ".join(parts)


def parts_done_words(done: int, total: int, locale: str) -> str:
    """ "3 из 8 школ" style counter of parts done."""
    return translate_plural(
        locale, "{n} of {total} part confirmed", "{n} of {total} parts confirmed", done, total=total
    )


def request_text(
    locale: str,
    event: Event,
    roadmap_title: str,
    point: date | None,
    checkpoint: bool,
    part: str,
    example: str,
    moved: Confirmation | None = None,
) -> str:
    """The request to confirm an action (its buttons are added by the caller)."""
    lines = [translate(locale, "📋 <b>Roadmap action: please confirm how it went</b>"), ""]
    lines.append(f"<b>{action_name(event, TITLE_IN_REQUEST)}</b>")
    if event.period_text:
        lines.append(
            translate(
                locale,
                "Period in the document: {period}",
                period=escape(shorten(event.period_text, 200)),
            )
        )
    if moved is not None and moved.new_ends_on is not None:
        lines.append(
            translate(
                locale,
                "You moved it to {period}, and that period ends now.",
                period=new_period_words(moved.new_starts_on, moved.new_ends_on, locale),
            )
        )
    elif point is not None:
        lines.append(point_words(point, checkpoint, locale).capitalize())
    if event.result:
        lines.append(
            translate(
                locale, "Expected result: {result}", result=escape(shorten(event.result, 400))
            )
        )
    lines.append(translate(locale, "Your part: {part}", part=escape(part)))
    lines.append(translate(locale, "Roadmap: {title}", title=escape(shorten(roadmap_title, 200))))
    lines += [
        "",
        translate(
            locale,
            "Done? Send the evidence next: a file, a link or a sentence such as «{example}».",
            example=translate(locale, example),
        ),
    ]
    return "\n".join(lines)


def heads_up_text(locale: str, event: Event, moved: Confirmation, part: str) -> str:
    """A reminder before the end of a period someone moved an action to."""
    assert moved.new_ends_on is not None
    return "\n".join(
        [
            translate(
                locale,
                "⏰ The new period of «{title}» ({period}) ends {date}.",
                title=action_name(event),
                date=long_date(moved.new_ends_on, locale),
                period=new_period_words(moved.new_starts_on, moved.new_ends_on, locale),
            ),
            translate(locale, "Your part: {part}", part=escape(part)),
            translate(locale, "You will be asked to confirm it then; details: /calendar"),
        ]
    )


DIGEST_BUDGET = 3500  # characters (Telegram: 4096)


def digest_text(
    locale: str,
    sections: list[tuple[Roadmap, Progress, list[tuple[ActionLine, tuple[int, int]]]]],
) -> str:
    """The weekly digest: per roadmap its progress and the actions overdue without
    confirmation, with how many of their parts have not answered."""
    lines = [translate(locale, "📋 <b>Roadmap actions overdue without confirmation</b>")]
    size = len(lines[0])
    left = sum(len(overdue) for _, _, overdue in sections)
    for roadmap, progress, overdue in sections:
        heading = (
            f"\n<b>{escape(shorten(roadmap.title, 150))}</b>: {progress_words(progress, locale)}"
        )
        if size + len(heading) > DIGEST_BUDGET:
            break
        lines.append(heading)
        size += len(heading) + 1
        for line, (late, total) in overdue:
            text = f"⚠️ {action_name(line.event)}"
            if line.event.period_text:
                text += " — " + escape(shorten(line.event.period_text, 60))
            if total > 1:
                text += " · " + translate_plural(
                    locale,
                    "{n} of {total} part has not confirmed",
                    "{n} of {total} parts have not confirmed",
                    late,
                    total=total,
                )
            if size + len(text) > DIGEST_BUDGET:
                break
            lines.append(text)
            size += len(text) + 1
            left -= 1
    if left > 0:
        lines.append(
            translate_plural(
                locale,
                "… and {n} more action: see the progress.",
                "… and {n} more actions: see the progress.",
                left,
            )
        )
    return "\n".join(lines)
