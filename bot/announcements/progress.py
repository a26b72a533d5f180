"""What the coordinator sees while an announcement goes out and when it is done: the
counts (delivered, waiting, not delivered, blocked the bot), the time left, and the final
report naming who did not get it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from bot.i18n import N_, translate, translate_plural

NAMED = 20  # people named in the final report's lists; the rest are in the Excel file

SENDING = N_("📤 Sending «{title}»")
EDITING = N_("✏️ Editing the delivered «{title}»")
CORRECTING = N_("✏️ Sending the correction to «{title}»")
HEADINGS = {"sending": SENDING, "editing": EDITING, "correcting": CORRECTING}
DONE = {
    "sending": N_("✅ «{title}» has been sent"),
    "editing": N_("✅ The delivered «{title}» has been edited"),
    "correcting": N_("✅ The correction to «{title}» has been sent"),
}


@dataclass(frozen=True, slots=True)
class Progress:
    sent: int
    waiting: int  # queued or on its way
    failed: int
    blocked: int

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> Progress:
        return cls(
            counts.get("sent", 0),
            counts.get("pending", 0) + counts.get("sending", 0),
            counts.get("failed", 0),
            counts.get("blocked", 0),
        )

    @property
    def total(self) -> int:
        return self.sent + self.waiting + self.failed + self.blocked

    @property
    def done(self) -> bool:
        return self.waiting == 0


def seconds_left(waiting: int, rate: float) -> float | None:
    """At ``rate`` messages a second (None when nothing is known yet)."""
    if waiting <= 0:
        return 0.0
    if rate <= 0:
        return None
    return waiting / rate


def duration_text(seconds: float, locale: str) -> str:
    """ "less than a minute", "about 3 minutes", "about 2 hours"."""
    if seconds < 60:
        return translate(locale, "less than a minute")
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return translate_plural(locale, "about {n} minute", "about {n} minutes", minutes)
    hours = round(minutes / 60)
    return translate_plural(locale, "about {n} hour", "about {n} hours", hours)


def progress_text(
    kind: str,
    title: str,
    progress: Progress,
    locale: str,
    *,
    left: float | None = None,
    held_until: str | None = None,
) -> str:
    """The progress message: ``kind`` is sending, editing or correcting; ``left``: seconds
    to go; ``held_until``: the local time the quiet hours end, when they hold it."""
    heading = DONE[kind] if progress.done else HEADINGS[kind]
    lines = [
        translate(locale, heading, title=escape(title)),
        translate(
            locale,
            "Delivered: {sent} of {total}",
            sent=progress.sent,
            total=progress.total,
        ),
    ]
    details = []
    if progress.waiting:
        details.append(translate(locale, "waiting: {n}", n=progress.waiting))
    details.append(translate(locale, "not delivered: {n}", n=progress.failed))
    details.append(translate(locale, "blocked the bot: {n}", n=progress.blocked))
    lines.append(" · ".join(details))
    if not progress.done:
        if held_until is not None:
            lines.append(
                translate(
                    locale,
                    "Quiet hours: the sending goes on at {time}.",
                    time=held_until,
                )
            )
        elif left is not None:
            lines.append(translate(locale, "Time left: {left}.", left=duration_text(left, locale)))
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Missed:
    """Someone the announcement did not reach, and why (Telegram's words, for a failure)."""

    name: str
    school: str
    reason: str = ""


def report_text(
    title: str,
    blocked: Sequence[Missed],
    failed: Sequence[Missed],
    locale: str,
    *,
    blocked_before: int = 0,
    not_started: int = 0,
) -> str:
    """The final report: who did not get it, named (the first :data:`NAMED` of each list)."""
    lines = [translate(locale, "<b>Who did not get «{title}»</b>", title=escape(title))]
    if not blocked and not failed and not blocked_before and not not_started:
        lines.append(translate(locale, "Everyone got it."))
        return "\n".join(lines)
    if blocked:
        lines += ["", translate(locale, "Blocked the bot ({n}):", n=len(blocked))]
        lines += _named(blocked, locale)
    if failed:
        lines += ["", translate(locale, "Could not be delivered ({n}):", n=len(failed))]
        lines += _named(failed, locale)
    if blocked_before or not_started:
        lines += [
            "",
            translate(
                locale,
                "Not sent to: {blocked} had blocked the bot before, {not_started} have not "
                "started it yet.",
                blocked=blocked_before,
                not_started=not_started,
            ),
        ]
    lines += ["", translate(locale, "The full list is in the Excel file (the button below).")]
    return "\n".join(lines)


def _named(people: Sequence[Missed], locale: str) -> list[str]:
    lines = []
    for missed in people[:NAMED]:
        line = f"• {escape(missed.name)}"
        if missed.school:
            line += f" ({escape(missed.school)})"
        if missed.reason:
            line += f" — {escape(missed.reason)}"
        lines.append(line)
    if len(people) > NAMED:
        lines.append(translate_plural(locale, "and {n} more", "and {n} more", len(people) - NAMED))
    return lines
