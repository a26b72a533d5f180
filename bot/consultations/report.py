"""The coordinators' report: consultations held per school against the program's target,
and per curator what became of their consultations.

Plain data in, plain data out: the caller passes the schools in the coordinator's
territory, the year's consultations (:class:`Record`) and the curators' names, in any
order. A consultation counts for the year its start falls in (in the program's zone).

- Per school: held this year, against ``target`` (at least four a year unless the
  program says otherwise); booked and still to come; missed; cancelled (declined
  included). Schools below the target come first, by municipality, the fewest held
  first; then the schools that reached it, by municipality.
- Per curator (host): held, missed, cancelled, still to come — of the consultations with
  the schools in the territory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

DEFAULT_TARGET = 4
HELD, MISSED = "held", "missed"
CANCELLED = frozenset({"cancelled", "declined"})
UPCOMING = frozenset({"proposed", "booked"})


@dataclass(frozen=True, slots=True)
class SchoolInfo:
    id: int
    name: str
    municipality: str


@dataclass(frozen=True, slots=True)
class Record:
    """One consultation, as the report needs it."""

    school_id: int
    host_id: int
    status: str
    starts_at: datetime


@dataclass(slots=True)
class Counts:
    held: int = 0
    missed: int = 0
    cancelled: int = 0
    upcoming: int = 0

    def add(self, status: str) -> None:
        if status == HELD:
            self.held += 1
        elif status == MISSED:
            self.missed += 1
        elif status in CANCELLED:
            self.cancelled += 1
        elif status in UPCOMING:
            self.upcoming += 1


@dataclass(frozen=True, slots=True)
class SchoolRow:
    school: SchoolInfo
    counts: Counts
    target: int

    @property
    def below(self) -> bool:
        return self.counts.held < self.target


@dataclass(frozen=True, slots=True)
class HostRow:
    host_id: int
    name: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class Report:
    year: int
    target: int
    schools: list[SchoolRow] = field(default_factory=list)
    hosts: list[HostRow] = field(default_factory=list)

    @property
    def below(self) -> list[SchoolRow]:
        return [row for row in self.schools if row.below]

    @property
    def held(self) -> int:
        return sum(row.counts.held for row in self.schools)


def build_report(
    year: int,
    schools: Iterable[SchoolInfo],
    records: Iterable[Record],
    host_names: Mapping[int, str],
    zone: ZoneInfo,
    target: int = DEFAULT_TARGET,
) -> Report:
    """The report of ``year`` over ``schools`` (records of other schools are left out)."""
    by_school = {school.id: (school, Counts()) for school in schools}
    by_host: dict[int, Counts] = {}
    for record in records:
        if record.school_id not in by_school or record.starts_at.astimezone(zone).year != year:
            continue
        by_school[record.school_id][1].add(record.status)
        by_host.setdefault(record.host_id, Counts()).add(record.status)
    rows = [SchoolRow(school, counts, target) for school, counts in by_school.values()]
    rows.sort(
        key=lambda row: (
            not row.below,
            row.school.municipality.casefold(),
            row.counts.held if row.below else 0,
            row.school.name.casefold(),
        )
    )
    hosts = [
        HostRow(host_id, host_names.get(host_id, f"#{host_id}"), counts)
        for host_id, counts in by_host.items()
    ]
    hosts.sort(key=lambda row: row.name.casefold())
    return Report(year, target, rows, hosts)
