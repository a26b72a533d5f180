"""A curator's free time over all their publications, each with its own settings.

A curator may publish time more than once («по вторникам 15–17», later «5 декабря
10–12» in person): each publication (:class:`Block`) has its own length, buffer, notice
and format. A slot is offered by the block whose time it lies in, under that block's
rules, and must keep clear of every consultation of the curator (whatever block it was
booked in). Blocks never overlap (time already published is left out of a new
publication, :func:`bot.consultations.publishing.uncovered`), so a start belongs to one
block; should two blocks offer the same start, the earlier block's offer is kept.

The host's own actions (booking a school directly, moving a consultation) are not held
to the notice: it protects the curator from last-minute bookings by others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.consultations.intervals import Interval, utc
from bot.consultations.slots import (
    BookingRules,
    Refusal,
    by_day,
    check_booking,
    free_slots,
    month_window,
)

NEAREST_WITHIN = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Block:
    """One publication as the slot search needs it: its id, rules and intervals."""

    id: int
    rules: BookingRules
    intervals: tuple[Interval, ...]


@dataclass(frozen=True, slots=True, order=True)
class Offer:
    """A free slot: when it starts (UTC) and the publication it belongs to."""

    start: datetime
    block_id: int


def _rules(block: Block, host: bool) -> BookingRules:
    return replace(block.rules, notice=timedelta(0)) if host else block.rules


def offers(
    blocks: Iterable[Block],
    bookings: Sequence[Interval],
    *,
    now: datetime,
    start: datetime,
    end: datetime,
    host: bool = False,
) -> list[Offer]:
    """The free slots starting in ``[start, end)`` of every block, in time order."""
    found: dict[datetime, Offer] = {}
    for block in sorted(blocks, key=lambda b: b.id):
        rules = _rules(block, host)
        for slot in free_slots(
            block.intervals, bookings, now=now, start=start, end=end, rules=rules
        ):
            found.setdefault(slot, Offer(slot, block.id))
    return sorted(found.values())


def check_offer(
    start: datetime,
    block: Block,
    bookings: Sequence[Interval],
    *,
    now: datetime,
    host: bool = False,
) -> Refusal | None:
    """None if a consultation of ``block`` may start at ``start``; else why not."""
    return check_booking(start, block.intervals, bookings, now=now, rules=_rules(block, host))


def nearest_offers(
    wanted: datetime,
    blocks: Iterable[Block],
    bookings: Sequence[Interval],
    *,
    now: datetime,
    count: int = 3,
    host: bool = False,
) -> list[Offer]:
    """Up to ``count`` free slots closest to ``wanted`` (within two weeks either side), in
    time order; of two equally close, the earlier."""
    wanted = utc(wanted)
    free = offers(
        blocks,
        bookings,
        now=now,
        start=wanted - NEAREST_WITHIN,
        end=wanted + NEAREST_WITHIN,
        host=host,
    )
    free.sort(key=lambda offer: (abs(offer.start - wanted), offer.start))
    return sorted(free[:count])


def free_days(
    year: int,
    month: int,
    blocks: Iterable[Block],
    bookings: Sequence[Interval],
    *,
    now: datetime,
    zone: ZoneInfo,
    host: bool = False,
) -> dict[date, list[Offer]]:
    """The local days of a month with free slots, each with its slots: a month keyboard
    shows these days and hides full and past ones."""
    start, end = month_window(year, month, zone)
    found = offers(blocks, bookings, now=now, start=start, end=end, host=host)
    by_start = {offer.start: offer for offer in found}
    return {
        day: [by_start[slot] for slot in slots]
        for day, slots in by_day((offer.start for offer in found), zone).items()
    }
