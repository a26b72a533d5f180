"""Reading a roadmap workbook: the table, every action's period expanded over the
program's years, and storing the result."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bot.calendar.audience import audience_of
from bot.calendar.period_reader import read_period
from bot.calendar.responsible import read_responsible
from bot.calendar.roadmap.header import LABELS, find_headers
from bot.calendar.roadmap.rows import Raw, raw_rows, title_above, years_in
from bot.calendar.roadmap.sheet import RoadmapError, RoadmapRow, RoadmapSheet
from bot.i18n import N_
from bot.xlsx.sheets import load_sheets
from storage.calendar import NewEvent
from storage.repo import Repo

# --------------------------------------------------------------------------- reading


def read_roadmap(
    source: Path | bytes,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    name: str | None = None,
) -> RoadmapSheet:
    """Find the roadmap table in a workbook and read every action's period.

    ``name`` is the file's name when ``source`` is bytes (a title of last resort).
    Raises :class:`RoadmapError` for a file that is not a usable roadmap.
    """
    sheets = load_sheets(source, error=RoadmapError)
    headers = find_headers(sheets)
    if not headers:
        raise RoadmapError(
            N_(
                "No roadmap table found: expected a header row with columns such as «№ п/п»,"
                " «Мероприятие», «Сроки», «Ответственные», «Ожидаемый результат»."
            )
        )
    best_score = max(header.score() for header in headers)
    best = [header for header in headers if header.score() == best_score]
    raws = {id(header): raw_rows(sheets[header.sheet], header) for header in best}
    header = max(best, key=lambda h: len([r for r in raws[id(h)] if not r.section]))
    sheet = sheets[header.sheet]
    if not header.complete:
        missing = "title" if "title" not in header.columns else "period"
        message = (
            N_(
                "The table on sheet “{sheet}” (header in row {row}) has no column of actions:"
                " expected a header such as {expected}."
            )
            if missing == "title"
            else N_(
                "The table on sheet “{sheet}” (header in row {row}) has no column of periods:"
                " expected a header such as {expected}."
            )
        )
        raise RoadmapError(
            message, sheet=sheet.title, row=header.last + 1, expected=LABELS[missing]
        )
    rows = raws[id(header)]
    if not any(not raw.section for raw in rows):
        raise RoadmapError(
            N_("There are no actions under the header (row {row} of sheet “{sheet}”)."),
            row=header.last + 1,
            sheet=sheet.title,
        )
    title = title_above(sheet, header)
    if not title:
        title = Path(name).stem if name else (Path(source).stem if isinstance(source, Path) else "")
        title = title or sheet.title
    return build(title, sheet.title, rows, start=start, end=end, today=today)


def _window(
    named: list[int], start: date | None, end: date | None, today: date | None
) -> tuple[date, date]:
    if named:
        first, last = min(named), max(named)
    else:
        first = last = (today or date.today()).year
    starts_on = start or date(min(first, end.year) if end else first, 1, 1)
    ends_on = end or date(max(last, starts_on.year), 12, 31)
    if ends_on < starts_on:
        raise RoadmapError(
            N_("The program ends ({end}) before it starts ({start})."),
            start=starts_on.isoformat(),
            end=ends_on.isoformat(),
        )
    return starts_on, ends_on


def _named_years(title: str, raws: list[Raw]) -> list[int]:
    years = years_in(title)
    for raw in raws:
        if raw.years:
            years += list(raw.years)
        if raw.section or not raw.period:
            continue
        reading = read_period(raw.period)
        for span in reading.ranges:
            years += [span.start.year, span.end.year]
        if reading.recurrence is not None:
            years += [y for y in (reading.recurrence.since, reading.recurrence.until) if y]
    return years


def build(
    title: str,
    sheet_name: str,
    raws: list[Raw],
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> RoadmapSheet:
    starts_on, ends_on = _window(_named_years(title, raws), start, end, today)
    program = (starts_on.year, ends_on.year)
    rows: list[RoadmapRow] = []
    section = ""
    for raw in raws:
        if raw.section:
            section = raw.title
            continue
        years = program
        if raw.years is not None:
            years = (max(raw.years[0], program[0]), min(raw.years[1], program[1]))
            if years[0] > years[1]:
                years = raw.years
        reading = read_period(raw.period, program_years=years)
        rows.append(
            RoadmapRow(
                row=raw.row,
                number=raw.number,
                section=section,
                title=raw.title,
                period=raw.period,
                responsible=raw.responsible,
                result=raw.result,
                reading=reading,
                occurrences=reading.occurrences(starts_on, ends_on),
                roles=audience_of(responsible := read_responsible(raw.responsible)),
                unmapped=responsible.unmapped,
            )
        )
    return RoadmapSheet(title, sheet_name, starts_on, ends_on, rows)


# --------------------------------------------------------------------------- out


def dry_run_rows(sheet: RoadmapSheet) -> list[dict[str, Any]]:
    """Every action as ``{"row", "title", "period", "kind", "occurrences"}`` (the issue's JSON)."""
    return [
        {
            "row": row.row,
            "title": row.title,
            "period": row.period,
            "kind": row.reading.kind.value,
            "occurrences": [span.to_json() for span in row.occurrences],
        }
        for row in sheet.rows
    ]


def to_new_events(sheet: RoadmapSheet) -> list[NewEvent]:
    return [
        NewEvent(
            row_no=row.row,
            title=row.title,
            period_text=row.period,
            kind=row.reading.kind.value,
            occurrences=[(span.start, span.end) for span in row.occurrences],
            number=row.number,
            section=row.section,
            reason=row.reading.reason,
            responsible=row.responsible,
            roles=row.roles,
            result=row.result,
        )
        for row in sheet.rows
    ]


async def import_roadmap(
    repo: Repo,
    sheet: RoadmapSheet,
    *,
    source: str,
    person_id: int | None,
    municipality: str | None = None,
) -> int:
    """Store the roadmap as the region's or ``municipality``'s (replacing an earlier import
    of the same title, years and territory)."""
    return await repo.calendar.save_roadmap(
        sheet.title,
        sheet.starts_on,
        sheet.ends_on,
        to_new_events(sheet),
        source=source,
        imported_by=person_id,
        municipality=municipality,
    )
