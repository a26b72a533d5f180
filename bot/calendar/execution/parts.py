"""Whose part of an action is whose: who confirms it, and who oversees it.

An action is confirmed in parts, one per party its «Ответственные» names (read into its
audience, :mod:`bot.calendar.audience`), within its roadmap's territory:

- the schools (principals): one part per school — each school confirms its own;
- the municipal authorities: one part per municipality (a municipal roadmap: its own);
- the regional bodies, the curators, or nobody recognised in a regional roadmap: one part,
  the action as a whole.

A part is answered by the people its party means (:func:`answers_for`): a school's by its
principal, a municipality's by its municipal coordinators, the whole action by the
regional coordinators (regional bodies) or the curators of the territory's schools
(curators). Where a municipality or the whole action has nobody of its own in the bot (a
region without municipal coordinators), the roadmap's coordinators answer for it
(:func:`confirms`; the scheduler asks them then). A school's part is only ever its own.
Coordinators oversee the parts of their territory (:meth:`Roles.coordinates`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from storage.models import Audience, Roles, School, in_municipalities, match_key


@dataclass(frozen=True, slots=True)
class Part:
    """A school's part, a municipality's part, or (both None) the action as a whole."""

    school_id: int | None = None
    municipality: str | None = None

    @property
    def is_whole(self) -> bool:
        return self.school_id is None and self.municipality is None

    @property
    def key(self) -> str:
        """A stable text key: ``s12``, ``m:ливенский район``, ``all``."""
        if self.school_id is not None:
            return f"s{self.school_id}"
        if self.municipality is not None:
            return "m:" + match_key(self.municipality)
        return "all"

    def same(self, other: Part) -> bool:
        return self.key == other.key


WHOLE = Part()


def wanted(audience: Iterable[Audience], municipality: str | None) -> set[Audience]:
    """The audience, or the roadmap's own coordinators when nobody was recognised."""
    found = set(audience)
    return found or {Audience.MUNICIPAL if municipality else Audience.REGIONAL}


def in_territory(school: School, municipality: str | None) -> bool:
    return municipality is None or in_municipalities(school.municipality, {municipality})


def parts_of(
    audience: Iterable[Audience], municipality: str | None, schools: Mapping[int, School]
) -> list[Part]:
    """The parts of an action of a roadmap of ``municipality`` (None: the region's):
    the whole action first, then the municipalities, then the schools by name."""
    who = wanted(audience, municipality)
    parts: list[Part] = []
    if Audience.REGIONAL in who or Audience.CURATORS in who:
        parts.append(WHOLE)
    if Audience.MUNICIPAL in who:
        if municipality is not None:
            parts.append(Part(municipality=municipality))
        else:
            names: dict[str, str] = {}
            for school in schools.values():
                names.setdefault(match_key(school.municipality), school.municipality)
            parts += [Part(municipality=names[key]) for key in sorted(names)]
    if Audience.PRINCIPALS in who:
        territory = [s for s in schools.values() if in_territory(s, municipality)]
        territory.sort(key=lambda s: (s.display_name.casefold(), s.id))
        parts += [Part(school_id=school.id) for school in territory]
    return parts


def confirms(
    roles: Roles,
    part: Part,
    audience: Iterable[Audience],
    municipality: str | None,
    schools: Mapping[int, School],
) -> bool:
    """The person may confirm this part of the action (checked on every button): its own
    people, or for a municipality's part or the whole action the roadmap's coordinators
    (on behalf of a party with nobody in the bot)."""
    if answers_for(roles, part, audience, municipality, schools):
        return True
    return part.school_id is None and manages_roadmap(roles, municipality)


def manages_roadmap(roles: Roles, municipality: str | None) -> bool:
    """A regional coordinator manages every roadmap; a municipal one their municipality's."""
    if roles.regional:
        return True
    return (
        roles.coordinator
        and municipality is not None
        and in_municipalities(municipality, roles.municipalities)
    )


def answers_for(
    roles: Roles,
    part: Part,
    audience: Iterable[Audience],
    municipality: str | None,
    schools: Mapping[int, School],
) -> bool:
    """The person is of the party the part means (they are asked about it)."""
    who = wanted(audience, municipality)
    if part.school_id is not None:
        school = schools.get(part.school_id)
        return (
            Audience.PRINCIPALS in who
            and school is not None
            and roles.principal_school_id == school.id
            and in_territory(school, municipality)
        )
    if part.municipality is not None:
        return (
            Audience.MUNICIPAL in who
            and roles.coordinator
            and not roles.regional
            and in_municipalities(part.municipality, roles.municipalities)
            and (municipality is None or in_municipalities(part.municipality, {municipality}))
        )
    if Audience.REGIONAL in who and roles.regional:
        return True
    return Audience.CURATORS in who and any(
        school_id in schools and in_territory(schools[school_id], municipality)
        for school_id in roles.curator_school_ids
    )


def oversees(
    roles: Roles, part: Part, schools: Mapping[int, School], municipality: str | None = None
) -> bool:
    """The part is in the person's territory as a coordinator: a school they coordinate, a
    municipality of theirs (every one for a regional coordinator), the whole action of a
    roadmap they manage (of ``municipality``; None: the region's)."""
    if not roles.coordinator:
        return False
    if part.school_id is not None:
        school = schools.get(part.school_id)
        return school is not None and roles.coordinates(school)
    if part.municipality is not None:
        return roles.regional or in_municipalities(part.municipality, roles.municipalities)
    return manages_roadmap(roles, municipality)


def sees(
    roles: Roles, part: Part, schools: Mapping[int, School], municipality: str | None = None
) -> bool:
    """The person may see the part and its evidence: overseen (in a roadmap of
    ``municipality``), or their own school's or a school they curate."""
    if oversees(roles, part, schools, municipality):
        return True
    return part.school_id is not None and (
        part.school_id == roles.principal_school_id or part.school_id in roles.curator_school_ids
    )


def part_of(school_id: int | None, municipality: str | None) -> Part:
    return Part(school_id=school_id, municipality=municipality)


def municipality_index(parts: list[Part], part: Part) -> int:
    """The number (from 1) of a municipality's part among the action's municipality parts:
    what a button carries instead of the name; 0 for any other part."""
    named = [p for p in parts if p.municipality is not None]
    for index, candidate in enumerate(named, start=1):
        if candidate.same(part):
            return index
    return 0


def part_at(parts: list[Part], school_id: int, muni: int) -> Part | None:
    """The part a button names (``school_id``, or ``muni`` from :func:`municipality_index`,
    or neither: the whole action), if the action has it."""
    if school_id:
        found = Part(school_id=school_id)
    elif muni:
        named = [p for p in parts if p.municipality is not None]
        if muni > len(named):
            return None
        found = named[muni - 1]
    else:
        found = WHOLE
    return next((p for p in parts if p.same(found)), None)
