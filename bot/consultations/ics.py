"""An iCalendar (RFC 5545) file for one consultation, to add it to any calendar.

:func:`consultation_ics` writes a VCALENDAR with ``METHOD:PUBLISH`` and one VEVENT whose
DTSTART/DTEND carry the program's zone as TZID, with a VTIMEZONE for that zone built
from zoneinfo: the observance in force when the event's first year begins and every
change of offset up to the end of its last year (a STANDARD or DAYLIGHT block each,
with its exact local onset). A zone without changes since then, such as
Europe/Moscow since 2014, gets a single STANDARD block.

Text values are escaped (``\\``, ``;``, ``,``, line breaks; other control characters
are dropped), lines end with CRLF and are folded at 75 octets without splitting a
UTF-8 sequence. An online consultation's link goes in URL and in LOCATION (calendar
apps show LOCATION, few show URL). People in the bot have no e-mail address, so the
ORGANIZER is the curator's name with the address ``invalid:nomail`` unless one is given.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.consultations.intervals import utc

PRODID = "-//school-support-bot//consultations//RU"
NO_ADDRESS = "invalid:nomail"
LINE_OCTETS = 75
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_URI_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def _param(value: str) -> str:
    """A quoted parameter value; a quote or line break is written as RFC 6868 says."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    return f'"{value}"'


def _uri(value: str) -> str:
    value = value.strip()
    if not value or _URI_FORBIDDEN.search(value):
        raise ValueError(f"not a URI: {value!r}")
    return value


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded so that no physical line exceeds 75 octets
    (a continuation starts with a space, which counts), never inside a character."""
    chunks: list[bytes] = []
    current = b""
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > LINE_OCTETS:
            chunks.append(current)
            current = b" "
        current += octets
    chunks.append(current)
    return b"\r\n".join(chunks)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _stamp(moment: datetime) -> str:
    return utc(moment).strftime("%Y%m%dT%H%M%SZ")


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _offset_at(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _change_in(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first second in (low, high] with the offset of ``high`` (the offset differs at
    ``low``)."""
    target = _offset_at(zone, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            middle = low + timedelta(seconds=1)
        if _offset_at(zone, middle) == target:
            high = middle
        else:
            low = middle
    return high


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The UTC instants in (start, end] at which the zone's offset changes."""
    found: list[datetime] = []
    step = timedelta(days=1)
    low = start
    while low < end:
        high = min(low + step, end)
        if _offset_at(zone, low) != _offset_at(zone, high):
            found.append(_change_in(zone, low, high))
        low = high
    return found


def _last_change_before(zone: ZoneInfo, moment: datetime) -> datetime | None:
    """The latest change of offset before ``moment`` (back to 1970), or None."""
    step = timedelta(days=7)  # offsets change at most twice a year, months apart
    high = moment
    while high > _EPOCH:
        low = max(high - step, _EPOCH)
        if _offset_at(zone, low) != _offset_at(zone, high):
            inside = transitions(zone, low, high)
            return inside[-1]
        high = low
    return None


def vtimezone(zone_name: str, first_year: int, last_year: int) -> list[str]:
    """The content lines of a VTIMEZONE covering ``first_year`` to ``last_year``."""
    zone = ZoneInfo(zone_name)
    year_start = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    year_end = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    onsets = transitions(zone, year_start, year_end)
    before = _last_change_before(zone, year_start + timedelta(seconds=1))
    if before is not None and (not onsets or before < onsets[0]):
        onsets.insert(0, before)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone_name}"]
    if not onsets:  # the same offset since 1970
        offset = _offset_at(zone, year_start)
        name = year_start.astimezone(zone).tzname() or zone_name
        lines += _observance("STANDARD", _EPOCH.replace(tzinfo=None), offset, offset, name)
    for onset in onsets:
        previous = _offset_at(zone, onset - timedelta(seconds=1))
        after = onset.astimezone(zone)
        offset = after.utcoffset()
        assert offset is not None
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        local_onset = (onset + previous).replace(tzinfo=None)
        lines += _observance(kind, local_onset, previous, offset, after.tzname() or zone_name)
    lines.append("END:VTIMEZONE")
    return lines


def _observance(
    kind: str, onset: datetime, before: timedelta, after: timedelta, name: str
) -> list[str]:
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{_local(onset)}",
        f"TZOFFSETFROM:{_offset(before)}",
        f"TZOFFSETTO:{_offset(after)}",
        f"TZNAME:{escape_text(name)}",
        f"END:{kind}",
    ]


def consultation_ics(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str = "",
    location: str | None = None,
    url: str | None = None,
    zone_name: str,
    organizer_name: str,
    now: datetime,
    organizer_address: str = NO_ADDRESS,
    sequence: int = 0,
) -> bytes:
    """The .ics file of one consultation (bytes, UTF-8, CRLF).

    ``start``/``end``: aware datetimes, written as local times of ``zone_name``;
    ``uid``: stable for the booking (the same consultation, moved, keeps it and gets a
    higher ``sequence``); ``now``: the DTSTAMP.
    """
    start, end = utc(start), utc(end)
    if end <= start:
        raise ValueError(f"a consultation must end after it starts: {start} – {end}")
    if not uid.strip() or _CONTROL.search(uid) or "\n" in uid:
        raise ValueError(f"a UID must be one line of text: {uid!r}")
    if sequence < 0:
        raise ValueError(f"SEQUENCE cannot be negative: {sequence}")
    zone = ZoneInfo(zone_name)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *vtimezone(zone_name, local_start.year, local_end.year),
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid)}",
        f"DTSTAMP:{_stamp(now)}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;TZID={zone_name}:{_local(local_start)}",
        f"DTEND;TZID={zone_name}:{_local(local_end)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location is not None:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url is not None:
        link = _uri(url)
        if location is None:
            lines.append(f"LOCATION:{escape_text(link)}")
        lines.append(f"URL:{link}")
    lines += [
        f"ORGANIZER;CN={_param(organizer_name)}:{_uri(organizer_address)}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return b"\r\n".join(fold(line) for line in lines) + b"\r\n"
