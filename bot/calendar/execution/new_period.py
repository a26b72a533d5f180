"""The new period of a postponed action, as a person types it: «до 15 декабря»,
«ноябрь – декабрь», «15.12.2026», «1–15 декабря 2026».

Read by the roadmap's own period reader (:func:`bot.calendar.period_reader.read_period`):
a phrase without a year is this year's, or next year's when this year's has already
passed («до 15 января» typed in December). Several spans become one from the first start
to the last end. The new period must end today or later; a recurrence or «в течение года»
is not a period to move to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.calendar.period import Period, PeriodKind
from bot.calendar.period_reader import read_period
from bot.calendar.roadmap.reasons import describe_reason
from bot.i18n import N_, LocalizedError

EXAMPLES = "«до 15 декабря», «ноябрь – декабрь», «15.12.2026»"


class NewPeriodError(LocalizedError):
    """A new period that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class NewPeriod:
    starts_on: date
    ends_on: date
    text: str  # as typed


def read_new_period(text: str, today: date) -> NewPeriod:
    """Raises :class:`NewPeriodError`; see the module docstring."""
    text = " ".join(text.split())
    if not text:
        raise NewPeriodError(
            N_("Please write the new period, for example {examples}."), examples=EXAMPLES
        )
    reading = read_period(text, default_year=today.year)
    if reading.kind is PeriodKind.UNREADABLE:
        raise NewPeriodError(
            N_(
                "I could not read «{text}» as a period: {reason}. Write it, for example, "
                "{examples}."
            ),
            text=text,
            reason=describe_reason(reading.reason),
            examples=EXAMPLES,
        )
    if reading.kind in (PeriodKind.NO_FIXED_DATE, PeriodKind.RECURRING) or not reading.ranges:
        raise NewPeriodError(
            N_("«{text}» has no end date: write when it will be done, for example {examples}."),
            text=text,
            examples=EXAMPLES,
        )
    if reading.annual and _end(reading) < today:
        reading = read_period(text, default_year=today.year + 1)
    end = _end(reading)
    if end < today:
        raise NewPeriodError(
            N_("«{text}» has already passed: the new period must end today or later."),
            text=text,
        )
    start = min(span.start for span in reading.ranges)
    return NewPeriod(start, end, text)


def _end(reading: Period) -> date:
    return max(span.end for span in reading.ranges)
