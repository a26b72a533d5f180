"""What the charts draw: plain frozen input types, and the signal that there is nothing to draw.

Every label is a ready string in the reader's language (the caller translates);
``locale`` ("ru" or "en") only chooses how numbers and dates are written. A value
of None is a missing value (not reported), never a zero. Sequences are stored as
tuples, so the data is hashable and picklable (it may cross to a worker process).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


class NoData(ValueError):
    """Nothing to draw: the caller says so in a sentence instead of sending an empty frame."""


def _freeze(instance: Any, *names: str) -> None:
    for name in names:
        object.__setattr__(instance, name, tuple(getattr(instance, name)))


@dataclass(frozen=True)
class Labels:
    """The chart's title and its axes' labels (an empty string leaves an axis unlabelled)."""

    title: str
    x_label: str = ""
    y_label: str = ""


@dataclass(frozen=True)
class Line:
    """One line of a chart over the years: its legend label and a value (or None) per year."""

    label: str
    values: tuple[float | None, ...]

    def __post_init__(self) -> None:
        _freeze(self, "values")


@dataclass(frozen=True)
class History:
    """Chart 1: a school's indicator over the years, against the municipality's and the
    region's medians. ``percent`` marks a share (values 0–100, shown with «%»)."""

    labels: Labels
    locale: str
    years: tuple[int, ...]
    school: Line
    municipality: Line
    region: Line
    percent: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "years")
        if list(self.years) != sorted(set(self.years)):
            raise ValueError("years must be increasing, each once")
        for line in (self.school, self.municipality, self.region):
            if len(line.values) != len(self.years):
                raise ValueError(
                    f"{line.label!r}: {len(line.values)} values for {len(self.years)} years"
                )


@dataclass(frozen=True)
class SchoolValue:
    """One school's value in a comparison; ``highlighted`` marks the school that asked."""

    name: str
    value: float | None
    highlighted: bool = False


@dataclass(frozen=True)
class Comparison:
    """Chart 2: schools side by side on one indicator for a year, with the region's median.

    Schools without a value are listed last with «—» and no bar.
    """

    labels: Labels
    locale: str
    schools: tuple[SchoolValue, ...]
    region_median: float | None
    median_label: str
    percent: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "schools")


@dataclass(frozen=True)
class DayCounts:
    """How many schools stood where in a campaign at the end of one day."""

    day: date
    submitted: int
    draft: int
    not_started: int


@dataclass(frozen=True)
class ProgressLabels:
    submitted: str
    draft: str
    not_started: str
    deadline: str


@dataclass(frozen=True)
class Progress:
    """Chart 3: a campaign's submissions by day, up to the deadline and after."""

    labels: Labels
    locale: str
    days: tuple[DayCounts, ...]
    deadline: date
    states: ProgressLabels

    def __post_init__(self) -> None:
        _freeze(self, "days")


@dataclass(frozen=True)
class SchoolCount:
    """Consultations held with one school."""

    name: str
    count: int


@dataclass(frozen=True)
class Consultations:
    """Chart 4: consultations held per school against a target (at least ``target`` each).

    ``target_label`` names the target line (the target's number is added to it);
    ``below_label`` names the hatched bars of schools below the target.
    """

    labels: Labels
    locale: str
    schools: tuple[SchoolCount, ...]
    target: int
    target_label: str
    below_label: str

    def __post_init__(self) -> None:
        _freeze(self, "schools")


@dataclass(frozen=True)
class MunicipalityAttendance:
    """People from one municipality who came to an event, and optionally how many were
    expected (registered or invited)."""

    name: str
    attended: int
    expected: int | None = None


@dataclass(frozen=True)
class Attendance:
    """Chart 5: attendance of an event per municipality. When any municipality has an
    ``expected`` count, it is drawn as a hatched bar behind the attended one and the legend
    names both (``attended_label``, ``expected_label``)."""

    labels: Labels
    locale: str
    municipalities: tuple[MunicipalityAttendance, ...]
    attended_label: str
    expected_label: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "municipalities")


ChartData = History | Comparison | Progress | Consultations | Attendance
