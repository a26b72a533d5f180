"""When an event takes place, as a coordinator types it: «15.03.2026 14:00», «15 марта в
14:00», «15.03 14:00–16:00», or only «14:00» when the day is known (an action of the
roadmap). Times are local to the program's zone; the result is in UTC.

A date without a year is the next such date from today. What cannot be read, a moment
already past and an end before the start are refused with a sentence saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_, LocalizedError

MAX_AHEAD = timedelta(days=2 * 366)  # an announcement is for the next two years at most

_MONTH_WORDS = {
    **{
        word: number
        for number, words in enumerate(
            (
                ("январь", "января", "янв", "january", "jan"),
                ("февраль", "февраля", "фев", "февр", "february", "feb"),
                ("март", "марта", "мар", "march", "mar"),
                ("апрель", "апреля", "апр", "april", "apr"),
                ("май", "мая", "may"),
                ("июнь", "июня", "июн", "june", "jun"),
                ("июль", "июля", "июл", "july", "jul"),
                ("август", "августа", "авг", "august", "aug"),
                ("сентябрь", "сентября", "сен", "сент", "september", "sep", "sept"),
                ("октябрь", "октября", "окт", "october", "oct"),
                ("ноябрь", "ноября", "ноя", "нояб", "november", "nov"),
                ("декабрь", "декабря", "дек", "december", "dec"),
            ),
            start=1,
        )
        for word in words
    }
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\s+([a-zа-яё]+)\.?(?:\s+(\d{4}))?", re.IGNORECASE)
_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})\b")
_FILLER = re.compile(
    r"\b(?:в|с|до|по|года?|г|at|from|to|on|of|ч|час(?:ов|а)?|мск)\b\.?|[,;–—\-]", re.IGNORECASE
)

NEEDS_TIME = N_("Please add the time it starts, for example «15.03.2026 14:00».")
NOT_READ = N_(
    "I could not read «{text}» as a date and time. Please write it like «15.03.2026 14:00», "
    "«15 марта 14:00» or «15.03.2026 14:00–16:00»."
)
NO_SUCH_DAY = N_("There is no such day as «{text}». Please check the date.")
IN_THE_PAST = N_("{moment} has already passed. Please write a moment in the future.")
TOO_FAR = N_("{moment} is more than two years away. Please check the year.")
END_BEFORE_START = N_("It ends ({end}) before it starts ({start}). Please check the times.")


@dataclass(frozen=True, slots=True)
class When:
    """A start and an optional end, in UTC."""

    starts_at: datetime
    ends_at: datetime | None = None


def read_when(text: str, now: datetime, zone: ZoneInfo, *, day: date | None = None) -> When:
    """The moment(s) ``text`` names, in UTC; ``day``: the date to use when the text gives only
    times. Raises :class:`LocalizedError` with the reason."""
    cleaned = " ".join(text.replace("\u00a0", " ").split()).lower()
    today = now.astimezone(zone).date()
    found_day, rest = _find_day(cleaned, today, text)
    if found_day is None:
        found_day = day
    times = [(int(h), int(m)) for h, m in _TIME.findall(rest)]
    leftover = _FILLER.sub(" ", _TIME.sub(" ", rest)).strip()
    if leftover or len(times) > 2:
        raise LocalizedError(NOT_READ, text=text.strip())
    if found_day is None:
        raise LocalizedError(NOT_READ, text=text.strip())
    if not times:
        raise LocalizedError(NEEDS_TIME)
    for hour, minute in times:
        if hour > 23 or minute > 59:
            raise LocalizedError(NOT_READ, text=text.strip())
    start = _utc(found_day, times[0], zone)
    end = _utc(found_day, times[1], zone) if len(times) == 2 else None
    shown = format_moment(start, zone)
    if start <= now:
        raise LocalizedError(IN_THE_PAST, moment=shown)
    if start - now > MAX_AHEAD:
        raise LocalizedError(TOO_FAR, moment=shown)
    if end is not None and end <= start:
        raise LocalizedError(
            END_BEFORE_START, end=f"{times[1][0]:02}:{times[1][1]:02}", start=shown
        )
    return When(start, end)


def read_moment(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """One moment (a scheduled sending time): as :func:`read_when`, an end is not allowed."""
    found = read_when(text, now, zone)
    if found.ends_at is not None:
        raise LocalizedError(NOT_READ, text=text.strip())
    return found.starts_at


def _find_day(cleaned: str, today: date, original: str) -> tuple[date | None, str]:
    """The date in the text (None if it names none) and the text without it. «14.00» may be a
    time: a numeric date is one whose month is 1–12, the one with a year first."""
    numeric = [m for m in _NUMERIC_DATE.finditer(cleaned) if 1 <= int(m.group(2)) <= 12]
    numeric.sort(key=lambda m: m.group(3) is None)
    words = [m for m in _WORD_DATE.finditer(cleaned) if m.group(2) in _MONTH_WORDS]
    if numeric:
        match = numeric[0]
        month = int(match.group(2))
    elif words:
        match = words[0]
        month = _MONTH_WORDS[match.group(2)]
    else:
        return None, cleaned
    day_number = int(match.group(1))
    year_text = match.group(3)
    rest = cleaned[: match.start()] + " " + cleaned[match.end() :]
    try:
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            return date(year, month, day_number), rest
        found = date(today.year, month, day_number)
        if found < today:
            found = date(today.year + 1, month, day_number)
        return found, rest
    except ValueError:
        raise LocalizedError(NO_SUCH_DAY, text=original.strip()) from None


def _utc(day: date, hour_minute: tuple[int, int], zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, time(*hour_minute), tzinfo=zone)
    return local.astimezone(UTC)


def format_moment(moment: datetime, zone: ZoneInfo) -> str:
    """ "15.03.2026 14:00" in the program's zone (the way people type it back)."""
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")
