"""How long the free slots of one month view take for a busy curator.

    python -m bench.slots [--bookings 500 --runs 200 --seed 1] [--json]

The curator: a year of weekly availability read from «по будням 9:00-13:00 и 14:00-18:00»
(52 weeks, Europe/Moscow), cut into 30-minute intervals as a storage layer might keep
them (about 4,100 intervals, the worst case for merging), and ``--bookings`` 30-minute
consultations spread over the year at random. Rules: 30-minute consultations, a
10-minute buffer, 24 hours' notice; "now" is the year's first morning. The month view is
the sixth month.

It times, as the median of ``--runs`` runs in one process:

(a) ``free_slots`` for the month: merging both lists, bisecting to the month and walking
    its candidates (the whole year is passed in, as a caller would);
(b) the plain loop: every candidate slot of every availability interval in the month
    checked against every booking, the obvious nested loop;
(c) ``free_days`` for the month keyboard (``free_slots`` plus grouping by local day).

Both (a) and (b) must give the same slots (checked). It prints the figures, the ratio
(a)/(b) and the goal: (a) under 20 ms. With ``--json`` the last line is one JSON object,
``{"month_view_ms": ..., "ratio": ...}``. Exit code 1 if the goal is missed. It takes a
few seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.consultations.availability import read_availability
from bot.consultations.intervals import Interval
from bot.consultations.slots import BookingRules, free_days, free_slots, month_window

ZONE = ZoneInfo("Europe/Moscow")
FIRST_DAY = date(2027, 1, 4)  # a Monday
PATTERN = "по будням 9:00-13:00 и 14:00-18:00"
SLOT = timedelta(minutes=30)
RULES = BookingRules(length=SLOT, buffer=timedelta(minutes=10), notice=timedelta(hours=24))
GOAL_MS = 20.0


def busy_curator(bookings: int, seed: int) -> tuple[list[Interval], list[Interval]]:
    """A year of availability in 30-minute intervals, and bookings spread over it."""
    year = read_availability(PATTERN, today=FIRST_DAY, zone=ZONE, horizon_weeks=52)
    pieces = []
    for stretch in year.intervals:
        start = stretch.start
        while start + SLOT <= stretch.end:
            pieces.append(Interval(start, start + SLOT))
            start += SLOT
    booked = sorted(random.Random(seed).sample(pieces, bookings))
    return pieces, booked


def plain_loop(
    availability: list[Interval],
    bookings: list[Interval],
    now: datetime,
    start: datetime,
    end: datetime,
    rules: BookingRules,
) -> list[datetime]:
    """Every candidate slot checked against every booking (the availability intervals are
    slot-aligned, so no merging is needed for the same answer)."""
    earliest = max(start, now + rules.notice)
    found = []
    for interval in availability:
        slot = interval.start
        while slot + rules.length <= interval.end:
            if earliest <= slot < end:
                stop = slot + rules.length
                free = True
                for booking in bookings:
                    if booking.start - rules.buffer < stop and slot < booking.end + rules.buffer:
                        free = False
                        break
                if free:
                    found.append(slot)
            slot += rules.grid
    return sorted(found)


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main(bookings: int, runs: int, seed: int, as_json: bool) -> int:
    availability, booked = busy_curator(bookings, seed)
    now = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=ZONE).astimezone(UTC)
    month = FIRST_DAY.replace(month=6, day=1)
    start, end = month_window(month.year, month.month, ZONE)

    def ours() -> list[datetime]:
        return free_slots(availability, booked, now=now, start=start, end=end, rules=RULES)

    def plain() -> list[datetime]:
        return plain_loop(availability, booked, now, start, end, RULES)

    def keyboard() -> tuple[date, ...]:
        return free_days(
            month.year, month.month, availability, booked, now=now, zone=ZONE, rules=RULES
        )

    slots = ours()
    if slots != plain():
        print("free_slots and the plain loop disagree", file=sys.stderr)
        return 2
    ours_ms = median_ms(ours, runs)
    plain_ms = median_ms(plain, max(5, runs // 10))
    days_ms = median_ms(keyboard, runs)
    ratio = ours_ms / plain_ms
    in_month = sum(1 for piece in availability if start <= piece.start < end)
    print(
        f"a busy curator: {len(availability)} availability intervals of 30 min over 52 weeks, "
        f"{len(booked)} bookings; month view {month:%Y-%m}: {in_month} candidate slots, "
        f"{len(slots)} free (buffer 10 min, notice 24 h)"
    )
    print(f"(a) free_slots, one month:   {ours_ms:7.3f} ms (median of {runs})")
    print(f"(b) the plain loop:          {plain_ms:7.3f} ms (median of {max(5, runs // 10)})")
    print(f"(c) free_days, one month:    {days_ms:7.3f} ms")
    print(f"ratio (a)/(b): {ratio:.4f}; goal: (a) under {GOAL_MS:g} ms per month view")
    if as_json:
        print(json.dumps({"month_view_ms": round(ours_ms, 4), "ratio": round(ratio, 5)}))
    return 0 if ours_ms < GOAL_MS else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bookings", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200, help="timed runs of (a) and (c)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    sys.exit(main(args.bookings, args.runs, args.seed, args.json))
