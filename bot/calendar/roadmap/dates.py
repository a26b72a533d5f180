"""Dates a coordinator types for an action whose period could not be read."""

from __future__ import annotations

import re
from datetime import date

from bot.calendar.period import PeriodKind
from bot.calendar.period_reader import read_period
from bot.calendar.roadmap.reasons import describe_reason
from bot.i18n import N_, LocalizedError


class DatesError(LocalizedError):
    """Dates typed for an action that cannot be used; the message says why."""


# --------------------------------------------------------------------------- dates typed


_EXAMPLES = "15.03.2026, 01.03.2026 – 15.04.2026"


def read_dates(text: str, *, starts_on: date, ends_on: date) -> list[tuple[date, date]]:
    """Dates a coordinator types for an action whose period could not be read.

    Accepts what :func:`read_period` reads, placed in the program's years («март -
    апрель», «1-15 марта 2026»), and dates («15.03.2026», «01.03.2026 –
    15.04.2026»), several separated by «;» or «,». Raises :class:`DatesError`.
    """
    text = text.strip()
    if not text:
        raise DatesError(N_("Please write the dates, for example {examples}."), examples=_EXAMPLES)
    years = (starts_on.year, ends_on.year)
    reading = read_period(text, program_years=years)
    if reading.kind is PeriodKind.UNREADABLE:
        parts = [part for part in re.split(r"[;,]", text) if part.strip()]
        if len(parts) > 1:
            spans: list[tuple[date, date]] = []
            for part in parts:
                spans += read_dates(part, starts_on=starts_on, ends_on=ends_on)
            return sorted(set(spans))
        code = reading.reason_code
        if code in ("unknown_word", "unexpected", "empty", "too_long"):
            raise DatesError(
                N_("«{text}» is not a date or a period: write, for example, {examples}."),
                text=text,
                examples=_EXAMPLES,
            )
        if code == "bad_date":
            raise DatesError(
                N_("There is no such date: {date}."), date=(reading.reason or "").split(":")[1]
            )
        if code == "reversed":
            raise DatesError(N_("«{text}» ends before it starts."), text=text)
        raise DatesError(
            N_("Still cannot read «{text}»: {reason}. Write dates, for example {examples}."),
            text=text,
            reason=describe_reason(reading.reason),
            examples=_EXAMPLES,
        )
    if reading.kind is PeriodKind.NO_FIXED_DATE:
        raise DatesError(
            N_("«{text}» has no dates: write them, for example {examples}."),
            text=text,
            examples=_EXAMPLES,
        )
    outside = [span for span in reading.ranges if span.start < starts_on or span.end > ends_on]
    found = reading.occurrences(starts_on, ends_on)
    if outside or not found:
        raise DatesError(
            N_("«{text}» is outside the roadmap's years ({start} – {end})."),
            text=text,
            start=starts_on.strftime("%d.%m.%Y"),
            end=ends_on.strftime("%d.%m.%Y"),
        )
    return [(span.start, span.end) for span in found]
