"""The files schools send as answers (analytical notes): which questions take one, who
may open a school's file, and the files of a campaign's sent reports."""

from __future__ import annotations

from typing import Any

from bot.indicators.catalog import Catalog, Indicator, Kind
from storage.models import Roles, School
from storage.repo import Repo
from storage.submissions import Campaign, Submission


def document_indicators(catalog: Catalog, campaign: Campaign) -> list[Indicator]:
    """The campaign's questions answered with a file, in the form's order (a file button
    names one by its number here)."""
    return [
        i for i in catalog.campaign_indicators(campaign.deadline_key) if i.kind is Kind.DOCUMENT
    ]


def may_open(roles: Roles, school: School, submission: Submission) -> bool:
    """A school's principal opens its files any time; a coordinator (their territory) and a
    curator (their own schools) those of sent reports, not drafts."""
    if school.id == roles.principal_school_id:
        return True
    return submission.status.reported and (
        roles.coordinates(school) or school.id in roles.curator_school_ids
    )


async def sent_files(
    repo: Repo, catalog: Catalog, schools: list[School], campaign: Campaign
) -> list[tuple[Submission, School, int, dict[str, Any]]]:
    """The files of the campaign's sent reports from ``schools``: (submission, school, the
    question's number among the campaign's documents, the stored answer)."""
    numbers = {i.code: n for n, i in enumerate(document_indicators(catalog, campaign))}
    if not numbers:
        return []
    by_id = {school.id: school for school in schools}
    found = []
    for submission, code, value in await repo.submissions.sent_answers(campaign.id, list(numbers)):
        school = by_id.get(submission.school_id)
        if school is not None and isinstance(value, dict) and value.get("file_id"):
            found.append((submission, school, numbers[code], value))
    return found
