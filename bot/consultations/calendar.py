"""A person's consultations as lines of their /calendar: the ones they hold (a curator)
and their school's (a principal), with the time and the other side."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.view import Entry
from bot.consultations.texts import clock_time
from bot.i18n import N_, translate
from storage.consultations import LIVE
from storage.models import Roles
from storage.repo import Repo


async def consultation_entries(
    repo: Repo,
    person_id: int | None,
    roles: Roles,
    start: date,
    end: date,
    zone: ZoneInfo,
    locale: str,
) -> list[Entry]:
    """The person's consultations (not cancelled or declined) on the days ``[start, end]``."""
    curator = person_id is not None and bool(roles.curator_school_ids)
    school = roles.principal_school_id
    if not curator and school is None:
        return []
    since = datetime.combine(start, time(0), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    found = await repo.consultations.between(
        since,
        until,
        host_id=person_id if curator else None,
        school_ids=[school] if school is not None else None,
        statuses=LIVE,
    )
    entries = []
    for consultation in found:
        if curator and consultation.host_id == person_id:
            held = await repo.schools.get(consultation.school_id)
            other = held.display_name if held else ""
        else:
            host = await repo.people.get(consultation.host_id)
            other = host.full_name if host else ""
        day = consultation.starts_at.astimezone(zone).date()
        times = (
            f"{clock_time(consultation.starts_at, zone)}–{clock_time(consultation.ends_at, zone)}"
        )
        title = translate(locale, N_("{time} consultation: {other}"), time=times, other=other)
        entries.append(Entry(day, day, title, consultation=True))
    return entries
