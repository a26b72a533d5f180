"""Who a roadmap action reaches: the people named by its «Ответственные» cell, within the
territory of its roadmap (the region's, or one municipality's).

An action's audience is a set of :class:`~storage.models.Audience` words kept with the
action. An empty audience (nobody recognised in the cell) means the roadmap's own
coordinators: the regional ones for a regional roadmap, the municipality's for a
municipal one. «муниципальные координаторы» in a regional roadmap reach every
municipality's coordinators; in a municipal roadmap, that municipality's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.calendar.responsible import Responsible
from storage.models import Audience, Roles, School, in_municipalities


def audience_of(responsible: Responsible) -> tuple[Audience, ...]:
    """The audience words for a read «Ответственные» cell (empty: nobody recognised)."""
    found = []
    if responsible.principals:
        found.append(Audience.PRINCIPALS)
    if responsible.curators:
        found.append(Audience.CURATORS)
    if responsible.municipal_coordinators:
        found.append(Audience.MUNICIPAL)
    if responsible.regional_coordinators:
        found.append(Audience.REGIONAL)
    return tuple(found)


def sees_roadmap(roles: Roles, municipality: str | None, schools: Mapping[int, School]) -> bool:
    """A roadmap is the person's to see: the region's to everyone, a municipality's to the
    people there (its schools' principals and curators, its coordinators) and to the
    regional coordinators."""
    if municipality is None or roles.regional:
        return True
    territory = {municipality}
    if roles.coordinator and in_municipalities(municipality, roles.municipalities):
        return True
    own = [roles.principal_school_id, *roles.curator_school_ids]
    return any(
        school_id in schools and in_municipalities(schools[school_id].municipality, territory)
        for school_id in own
        if school_id is not None
    )


def reaches(
    roles: Roles,
    audience: Iterable[Audience],
    municipality: str | None,
    schools: Mapping[int, School],
) -> bool:
    """The action (with this ``audience``, in a roadmap of ``municipality`` or the region's)
    is for this person: a reminder goes to them, and their calendar shows it."""
    if not sees_roadmap(roles, municipality, schools):
        return False
    wanted = set(audience) or {Audience.MUNICIPAL if municipality else Audience.REGIONAL}
    territory = {municipality} if municipality else None

    def in_territory(school_id: int | None) -> bool:
        if school_id is None or school_id not in schools:
            return False
        return territory is None or in_municipalities(schools[school_id].municipality, territory)

    if Audience.PRINCIPALS in wanted and in_territory(roles.principal_school_id):
        return True
    if Audience.CURATORS in wanted and any(map(in_territory, roles.curator_school_ids)):
        return True
    if Audience.REGIONAL in wanted and roles.regional:
        return True
    if Audience.MUNICIPAL in wanted and roles.coordinator and not roles.regional:
        return territory is None or in_municipalities(municipality or "", roles.municipalities)
    return False


def shows(
    roles: Roles,
    audience: Iterable[Audience],
    municipality: str | None,
    schools: Mapping[int, School],
) -> bool:
    """The calendar shows the action: a coordinator every action of a roadmap of their
    territory, anyone else the actions that reach them."""
    if roles.coordinator and sees_roadmap(roles, municipality, schools):
        return True
    return reaches(roles, audience, municipality, schools)
