"""The indicator form as plain data: campaigns, their states and the questions in order.

A campaign is the set of indicators with one deadline in one year ("indicators due
1 October 2026"). Its form asks first for the bases its shares are of (the number
of teachers, ...), once, then each indicator in catalog order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.indicators.catalog import Catalog
from storage.models import Status
from storage.submissions import Campaign, Submission


class CampaignState(StrEnum):
    """Where a school stands with a campaign; whether its deadline has passed is told
    apart (:func:`is_overdue`), so a late draft is still a draft."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"  # sent, waiting for the coordinator's review
    RETURNED = "returned"
    ACCEPTED = "accepted"


@dataclass(frozen=True, slots=True)
class Step:
    """One question of the form: a base count (``base``) or an indicator."""

    code: str
    is_base: bool

    @property
    def key(self) -> str:
        return f"base:{self.code}" if self.is_base else self.code


def local_today(zone: ZoneInfo, now: datetime) -> date:
    return now.astimezone(zone).date()


def campaign_deadlines(catalog: Catalog, year: int) -> list[tuple[str, date | None]]:
    """(deadline key, due date) for each of the year's campaigns, in calendar order."""
    found = []
    for key in catalog.deadlines():
        due = catalog.campaign_indicators(key)[0].due(year)
        found.append((key, due))
    return found


def campaign_state(submission: Submission | None, answered: int) -> CampaignState:
    """The state of a school's submission that has ``answered`` answers (bases too)."""
    if submission is not None:
        if submission.status == Status.SUBMITTED:
            return CampaignState.SUBMITTED
        if submission.status == Status.ACCEPTED:
            return CampaignState.ACCEPTED
        if submission.status == Status.RETURNED:
            return CampaignState.RETURNED
    if submission is None or answered == 0:
        return CampaignState.NOT_STARTED
    return CampaignState.DRAFT


def is_overdue(state: CampaignState, due: date | None, today: date) -> bool:
    """The deadline has passed and the school has not reported (a returned report counts
    as not reported)."""
    return not is_reported(state) and due is not None and today > due


def is_reported(state: CampaignState) -> bool:
    return state in (CampaignState.SUBMITTED, CampaignState.ACCEPTED)


def days_left(due: date | None, today: date) -> int | None:
    return None if due is None else (due - today).days


def form_steps(catalog: Catalog, campaign: Campaign) -> list[Step]:
    indicators = catalog.campaign_indicators(campaign.deadline_key)
    bases: list[str] = []
    for indicator in indicators:
        if indicator.base and indicator.base not in bases:
            bases.append(indicator.base)
    return [Step(code, True) for code in bases] + [Step(i.code, False) for i in indicators]


def first_unanswered(steps: list[Step], bases: dict[str, int], answers: dict[str, Any]) -> int:
    """Where a resumed form continues: the first question without an answer, or the review."""
    for index, step in enumerate(steps):
        done = step.code in bases if step.is_base else step.code in answers
        if not done:
            return index
    return len(steps)


def missing_required(
    catalog: Catalog, steps: list[Step], bases: dict[str, int], answers: dict[str, Any]
) -> list[Step]:
    """Questions that must be answered before the form can be submitted."""
    missing = []
    for step in steps:
        if step.is_base:
            if step.code not in bases:
                missing.append(step)
        elif catalog.indicator(step.code).required and step.code not in answers:
            missing.append(step)
    return missing


def carried_over(catalog: Catalog, previous: dict[str, Any]) -> dict[str, Any]:
    """Last year's answers a school may keep: not a choice naming an option no longer
    offered (a federal project of 2019–2024), which is asked afresh."""
    kept = {}
    for code, value in previous.items():
        try:
            indicator = catalog.indicator(code)
        except KeyError:
            continue
        options = value.get("options") if isinstance(value, dict) else None
        if options and any(option not in indicator.options for option in options):
            continue
        kept[code] = value
    return kept


def is_late(due: date | None, today: date) -> bool:
    return due is not None and today > due
