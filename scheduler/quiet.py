"""Quiet hours: the local night when nothing bulk is sent (by default 21:00–09:00).

Plain functions of a moment, the window and the program's zone; the window may cross
midnight. The end of the window is taken in the zone on that date, so it stays right
across a change of the zone's offset.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

QuietWindow = tuple[time, time]


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def in_quiet(local: time, window: QuietWindow | None) -> bool:
    """Whether the local time of day ``local`` falls inside the window."""
    if window is None:
        return False
    start, end = _minutes(window[0]), _minutes(window[1])
    minute = _minutes(local)
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def quiet_until(now: datetime, window: QuietWindow | None, zone: ZoneInfo) -> datetime | None:
    """When the quiet hours around ``now`` end (UTC), or None when ``now`` is not quiet."""
    local = now.astimezone(zone)
    if not in_quiet(local.time(), window):
        return None
    assert window is not None
    end = window[1]
    day = local.date()
    if _minutes(local.time()) >= _minutes(end):  # the evening part: it ends tomorrow
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
