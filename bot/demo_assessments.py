"""The demo region's assessment procedures: a few of this year's analytical notes dated
from today, the rest left for the coordinator to set (see :mod:`bot.demo`)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.calendar.workdays import previous_working_day
from bot.indicators.assessments import procedure_key
from bot.indicators.catalog import Catalog
from storage.repo import Repo

#: procedure -> days from today its note is due in the demo (the others have no date yet)
DEMO_DUE_IN = {"vpr": 12, "gia9": 26, "gia11": 26}


async def date_demo_assessments(repo: Repo, catalog: Catalog, today: date) -> None:
    """Date this year's ВПР, ГИА-9 and ГИА-11 notes a few weeks from ``today`` (never past
    the year's end), so /assessments, /submit and /calendar show dated reports with their
    reminders coming, and the other procedures «срок не назначен»."""
    last = date(today.year, 12, 31)
    known = {procedure.code for procedure in catalog.procedures}
    for code, days in DEMO_DUE_IN.items():
        if code in known:
            # a working day, as a coordinator would set it (not a Sunday or a holiday)
            due = previous_working_day(min(today + timedelta(days=days), last))
            await repo.assessments.set_due(today.year, procedure_key(code), due, None)
