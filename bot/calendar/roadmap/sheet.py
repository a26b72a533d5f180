"""A roadmap as read from a workbook: its rows (each action with its period as written and
as read) and the error for a file that is not a usable roadmap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.calendar.period import DateRange, Period, PeriodKind
from bot.xlsx.sheets import WorkbookError
from storage.models import Audience

HEADER_SEARCH_ROWS = 40
TITLE_MAX = 500
DEMO_ROADMAP = Path(__file__).resolve().parents[2] / "data" / "demo_roadmap.toml"


class RoadmapError(WorkbookError):
    """A file that cannot be used as a roadmap; nothing was written."""


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class RoadmapRow:
    row: int  # the row number Excel shows
    number: str
    section: str
    title: str
    period: str  # as written (lines joined)
    responsible: str
    result: str
    reading: Period
    occurrences: list[DateRange]
    roles: tuple[Audience, ...]  # whom it reaches (none: the roadmap's coordinators)
    unmapped: tuple[str, ...] = ()  # parts of «Ответственные» naming nobody the bot reminds


@dataclass(frozen=True, slots=True)
class RoadmapSheet:
    title: str
    sheet: str
    starts_on: date
    ends_on: date
    rows: list[RoadmapRow] = field(default_factory=list)

    @property
    def sections(self) -> list[str]:
        found: list[str] = []
        for row in self.rows:
            if row.section and row.section not in found:
                found.append(row.section)
        return found

    def counts(self) -> dict[str, int]:
        """How many rows were read as each kind, every kind listed."""
        counts = {kind.value: 0 for kind in PeriodKind}
        for row in self.rows:
            counts[row.reading.kind.value] += 1
        return counts

    @property
    def unreadable(self) -> list[RoadmapRow]:
        return [row for row in self.rows if row.reading.kind is PeriodKind.UNREADABLE]
