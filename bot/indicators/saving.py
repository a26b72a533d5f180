"""Saving one answer of the form when two people (or two devices) may edit the same
school's report: the rule, apart from how it is shown.

Every save names the version of the submission the person's screen was built on. When
somebody saved in between:

- if they changed *other* answers, this one is saved on top of their version (their
  changes stay, nobody is asked);
- if they changed *this very* answer (its stored value is no longer the one this person
  was shown), nothing is saved and the caller asks which value should stay
  (:class:`Clash`), showing both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.indicators.form import Step
from storage.submissions import Conflict, Submission, SubmissionRepo


@dataclass(frozen=True, slots=True)
class Saved:
    submission: Submission  # at its new version
    # the answers after this save, when nobody else saved in between (else None: read them)
    answers: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Clash:
    """Someone else changed this answer meanwhile: nothing was saved."""

    submission: Submission  # as it is now
    stored: Any  # the value they saved


async def write(
    submissions: SubmissionRepo,
    submission_id: int,
    step: Step,
    value: Any,
    person_id: int,
    version: int | None,
) -> Submission:
    """Store one answer (or base count) on ``version`` (None: whatever the version is)."""
    if step.is_base:
        return await submissions.save_base(submission_id, step.code, value, person_id, version)
    return await submissions.save_answer(submission_id, step.code, value, person_id, version)


async def stored_value(submissions: SubmissionRepo, submission: Submission, step: Step) -> Any:
    if step.is_base:
        return submission.bases.get(step.code)
    return (await submissions.answers(submission.id)).get(step.code)


async def save_answer(
    submissions: SubmissionRepo,
    submission: Submission,
    step: Step,
    value: Any,
    person_id: int,
    *,
    seen_version: int,
    seen_value: Any,
    known_answers: dict[str, Any] | None = None,
) -> Saved | Clash:
    """Save ``value`` for ``step`` as the person saw the submission (``seen_version``, the
    answer then being ``seen_value``); ``known_answers`` are the answers at that version,
    to hand back updated when nobody saved in between."""
    try:
        saved = await write(submissions, submission.id, step, value, person_id, seen_version)
    except Conflict as conflict:
        current = conflict.current
        stored = await stored_value(submissions, current, step)
        if stored != seen_value:
            return Clash(current, stored)
        try:  # others changed other answers: save on top of their version
            saved = await write(submissions, submission.id, step, value, person_id, current.version)
        except Conflict as again:  # and now this answer too: ask
            return Clash(again.current, await stored_value(submissions, again.current, step))
        return Saved(saved)
    if known_answers is not None and saved.version == seen_version + 1:
        # nobody saved in between: the answers are the known ones plus this one
        answers = known_answers if step.is_base else {**known_answers, step.code: value}
        return Saved(saved, answers)
    return Saved(saved)
