"""The demo region's deputy: the deputy for academic affairs of the first demo school
(Казанская СОШ, in ``bot.demo.DEMO_PEOPLE``) fills in her school's reports this year, so
the principal's /invite lists her and the review card, the form and the export name who
did it («Фролова И. П., заместитель директора по УВР»)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from storage.models import Role
from storage.submissions import ImportedForm


class _Person(Protocol):
    person_id: int
    role: Role
    schools: tuple[str, ...]


def reporter(
    people: Iterable[_Person], short_names: dict[int, str], form: ImportedForm
) -> int | None:
    """Who wrote this year's ``form`` in the demo: the school's deputy when it has one,
    else nobody in particular (None: an import)."""
    school = short_names.get(form.school_id)
    return next(
        (p.person_id for p in people if p.role is Role.DEPUTY and school in p.schools), None
    )
