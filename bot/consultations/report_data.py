"""The coordinators' consultations report gathered from storage: the schools of a
territory, the year's consultations with them, and the workbook (in chat and on the
command line)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.consultations.publishing import IN_PERSON
from bot.consultations.report import Record, Report, SchoolInfo, build_report
from bot.consultations.texts import status_name
from bot.consultations.workbook import Row, write_workbook
from bot.i18n import N_, translate
from bot.settings import Settings
from storage.models import School
from storage.repo import Repo


async def consultation_report(
    repo: Repo, settings: Settings, year: int, in_scope: Callable[[School], bool]
) -> tuple[Report, list[Row]]:
    """The report of ``year`` over the schools ``in_scope`` (a coordinator's territory),
    and the year's consultations with them as rows for the workbook (in no language yet:
    :func:`report_workbook` words them)."""
    zone = settings.zone
    schools = {school.id: school for school in await repo.schools.list() if in_scope(school)}
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    consultations = [
        c for c in await repo.consultations.all_between(start, end) if c.school_id in schools
    ]
    names: dict[int, str] = {}
    for consultation in consultations:
        if consultation.host_id not in names:
            host = await repo.people.get(consultation.host_id)
            names[consultation.host_id] = host.full_name if host else f"#{consultation.host_id}"
    report = build_report(
        year,
        [SchoolInfo(s.id, s.display_name, s.municipality) for s in schools.values()],
        [Record(c.school_id, c.host_id, c.status.value, c.starts_at) for c in consultations],
        names,
        zone,
        settings.consultation_target,
    )
    rows = [
        Row(
            c.starts_at,
            c.ends_at,
            names[c.host_id],
            schools[c.school_id].display_name,
            schools[c.school_id].municipality,
            c.format,
            c.place,
            c.topic,
            c.status.value,
            c.reason or "",
            c.outcome or "",
        )
        for c in consultations
    ]
    return report, rows


async def report_workbook(report: Report, rows: list[Row], locale: str, zone: ZoneInfo) -> bytes:
    """The workbook, states and formats in ``locale`` (written in a thread)."""
    from storage.consultations import Status

    worded = [
        Row(
            row.starts_at,
            row.ends_at,
            row.host,
            row.school,
            row.municipality,
            translate(locale, N_("in person") if row.format == IN_PERSON else N_("online")),
            row.place,
            row.topic,
            status_name(Status(row.status), locale),
            row.reason,
            row.outcome,
        )
        for row in rows
    ]
    return await asyncio.to_thread(write_workbook, report, worded, locale, zone)
