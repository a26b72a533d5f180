"""Publishing a curator's time: the settings of its consultations, the place or link,
leaving out time published before, and the line the button builder writes.

The settings (:class:`Setup`): the length of one consultation (30 minutes unless
chosen), the buffer kept free between two, the minimum notice before booking, and the
format: online with a link, or in person with a place. The choices offered are short
lists (:data:`LENGTHS`, :data:`BUFFERS`, :data:`NOTICES`): a button each.

Built with buttons, availability is the same typed line a person would write
(:func:`builder_text`: «пн, ср 15:00–17:00 до 31.12.2026»), read by the same reader, so
the two ways can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.consultations.intervals import Interval, merge
from bot.consultations.slots import BookingRules
from bot.i18n import N_, LocalizedError

ONLINE, IN_PERSON = "online", "in_person"
FORMATS = (ONLINE, IN_PERSON)
LENGTHS = (15, 20, 30, 45, 60, 90)  # minutes
BUFFERS = (0, 5, 10, 15, 30)
NOTICES = (0, 60, 120, 240, 720, 1440, 2880)
DEFAULT_LENGTH, DEFAULT_BUFFER, DEFAULT_NOTICE = 30, 0, 120
MAX_PLACE = 200
MAX_LINK = 300
# builder: the hours offered, the weekday words the reader knows, the spans offered
BUILDER_HOURS = tuple(range(8, 21))
BUILDER_WEEKS = (1, 2, 4, 8)
_WEEKDAY_WORDS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
_LINK = re.compile(r"^https?://[^\s\"<>\\^`{|}]+\.[^\s\"<>\\^`{|}]+$", re.IGNORECASE)


class PlaceError(LocalizedError):
    """A link or a place that cannot be used, with an example that works."""


def publication_rules(length_min: int, buffer_min: int, notice_min: int) -> BookingRules:
    """The booking rules of a publication: consultations start every length plus break
    (15:00, 15:40, 16:20 for 30 minutes with a 10-minute break), so every slot offered
    can be booked next to its neighbours."""
    return BookingRules(
        length=timedelta(minutes=length_min),
        buffer=timedelta(minutes=buffer_min),
        notice=timedelta(minutes=notice_min),
        step=timedelta(minutes=length_min + buffer_min),
    )


@dataclass(frozen=True, slots=True)
class Setup:
    """The settings of a publication's consultations."""

    length_min: int = DEFAULT_LENGTH
    buffer_min: int = DEFAULT_BUFFER
    notice_min: int = DEFAULT_NOTICE
    format: str = ONLINE
    place: str = ""  # the link (online) or the address (in person); "" not given yet

    @property
    def rules(self) -> BookingRules:
        return publication_rules(self.length_min, self.buffer_min, self.notice_min)

    @property
    def complete(self) -> bool:
        return bool(self.place)

    def with_format(self, fmt: str, place: str) -> Setup:
        return replace(self, format=fmt, place=place)

    def as_dict(self) -> dict[str, int | str]:
        return {
            "length_min": self.length_min,
            "buffer_min": self.buffer_min,
            "notice_min": self.notice_min,
            "format": self.format,
            "place": self.place,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> Setup:
        """A setup kept with a conversation; anything odd falls back to the default."""
        data = data or {}

        def pick(name: str, allowed: Sequence[int], default: int) -> int:
            value = data.get(name)
            return value if isinstance(value, int) and value in allowed else default

        fmt = data.get("format")
        place = data.get("place")
        return cls(
            pick("length_min", LENGTHS, DEFAULT_LENGTH),
            pick("buffer_min", BUFFERS, DEFAULT_BUFFER),
            pick("notice_min", NOTICES, DEFAULT_NOTICE),
            fmt if fmt in FORMATS else ONLINE,  # type: ignore[arg-type]
            place if isinstance(place, str) else "",
        )


def check_link(text: str) -> str:
    """The link of online consultations, as it will be stored; raises :class:`PlaceError`."""
    link = " ".join(text.split())
    if len(link) > MAX_LINK:
        raise PlaceError(
            N_("The link is too long ({length} characters; at most {limit})."),
            length=len(link),
            limit=MAX_LINK,
        )
    if not _LINK.match(link):
        raise PlaceError(
            N_(
                "This does not look like a link. Please send the whole address of the "
                "meeting, for example: https://telemost.yandex.ru/j/12345678"
            )
        )
    return link


def check_place(text: str) -> str:
    """The place of in-person consultations, as it will be stored."""
    place = " ".join(text.split())
    if not place:
        raise PlaceError(
            N_("Please write where the consultations take place, for example: «ИРО, каб. 214».")
        )
    if len(place) > MAX_PLACE:
        raise PlaceError(
            N_("The place is too long ({length} characters; at most {limit}). Please shorten it."),
            length=len(place),
            limit=MAX_PLACE,
        )
    return place


def uncovered(new: Iterable[Interval], covered: Iterable[Interval]) -> list[Interval]:
    """The parts of ``new`` that ``covered`` does not cover, sorted and merged: a new
    publication leaves out the time published before (its settings stay as they were)."""
    taken = merge(covered)
    result: list[Interval] = []
    k = 0
    for piece in merge(new):
        start = piece.start
        while k < len(taken) and taken[k].end <= start:
            k += 1
        j = k
        while j < len(taken) and taken[j].start < piece.end:
            if taken[j].start > start:
                result.append(Interval(start, taken[j].start))
            start = max(start, taken[j].end)
            j += 1
        if start < piece.end:
            result.append(Interval(start, piece.end))
    return result


def slot_count(intervals: Iterable[Interval], length_min: int, buffer_min: int = 0) -> int:
    """Consultations of ``length_min`` with ``buffer_min`` between them that fit, with no
    bookings."""
    length = timedelta(minutes=length_min)
    step = timedelta(minutes=length_min + buffer_min)
    return sum((i.length - length) // step + 1 for i in intervals if i.length >= length)


@dataclass(frozen=True, slots=True)
class Builder:
    """Availability chosen with buttons: days of the week, hours, how many weeks."""

    weekdays: frozenset[int] = frozenset()
    start_hour: int | None = None
    end_hour: int | None = None
    weeks: int | None = None

    def toggle(self, day: int) -> Builder:
        return replace(self, weekdays=self.weekdays ^ {day})

    @property
    def ready(self) -> bool:
        return bool(self.weekdays) and None not in (self.start_hour, self.end_hour, self.weeks)

    def as_dict(self) -> dict[str, object]:
        return {
            "weekdays": sorted(self.weekdays),
            "start_hour": self.start_hour,
            "end_hour": self.end_hour,
            "weeks": self.weeks,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> Builder:
        data = data or {}
        days = data.get("weekdays")
        weekdays = (
            frozenset(d for d in days if isinstance(d, int) and 0 <= d < 7)
            if isinstance(days, list)
            else frozenset()
        )

        def hour(name: str) -> int | None:
            value = data.get(name)
            return value if isinstance(value, int) and 0 <= value <= 24 else None

        weeks = data.get("weeks")
        return cls(
            weekdays,
            hour("start_hour"),
            hour("end_hour"),
            weeks if isinstance(weeks, int) and weeks in BUILDER_WEEKS else None,
        )


def builder_text(builder: Builder, today: date) -> str:
    """The line the buttons stand for, in the words the reader understands: «пн, ср
    15:00–17:00 до 31.12.2026» (the period ends ``weeks`` weeks from today)."""
    days = ", ".join(_WEEKDAY_WORDS[day] for day in sorted(builder.weekdays))
    last = today + timedelta(weeks=builder.weeks or 1, days=-1)
    return (
        f"{days} {builder.start_hour or 0:02d}:00–{builder.end_hour or 0:02d}:00 до {last:%d.%m.%Y}"
    )
