"""Whom an announcement reaches: everyone in the author's territory, or a combination of
roles, municipalities, ШНОР / ШССУ schools and schools picked by name.

The choice names *schools* (municipalities, kinds, picked ones) and *roles*. The schools:
those of the chosen municipalities and kinds (both when both are chosen), plus the picked
ones; with no municipality and no kind, the picked ones only; with nothing chosen, every
school. Always within the author's territory (:meth:`Roles.coordinates`): a municipal
coordinator's audience never leaves their municipality. The people: the principals of
those schools, their curators, and the municipal coordinators of their municipalities
(only the roles chosen, all when none is). Regional coordinators are reached only by a
regional coordinator's announcement to the whole region. The author is never a recipient.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.i18n import N_, translate, translate_plural
from storage.models import Person, Roles, School, in_municipalities


class Who(StrEnum):
    PRINCIPALS = "principal"
    CURATORS = "curator"
    COORDINATORS = "coordinator"


class Kind(StrEnum):
    SHNOR = "shnor"
    SHSSU = "shssu"


WHO_NAMES = {
    Who.PRINCIPALS: N_("principals"),
    Who.CURATORS: N_("curators"),
    Who.COORDINATORS: N_("coordinators"),
}
KIND_NAMES = {Kind.SHNOR: N_("ШНОР schools"), Kind.SHSSU: N_("ШССУ schools")}
NAMED_SCHOOLS = 3  # picked schools named in a description; the rest counted


@dataclass(frozen=True, slots=True)
class Choice:
    roles: frozenset[Who] = frozenset()
    municipalities: frozenset[str] = frozenset()
    kinds: frozenset[Kind] = frozenset()
    school_ids: frozenset[int] = frozenset()

    @property
    def everyone(self) -> bool:
        return not (self.roles or self.municipalities or self.kinds or self.school_ids)

    @property
    def restricted(self) -> bool:
        """Some schools only (not the author's whole territory)."""
        return bool(self.municipalities or self.kinds or self.school_ids)

    def to_json(self) -> str:
        return json.dumps(
            {
                "roles": sorted(self.roles),
                "municipalities": sorted(self.municipalities),
                "kinds": sorted(self.kinds),
                "schools": sorted(self.school_ids),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Choice:
        data = json.loads(text or "{}")
        return cls(
            frozenset(Who(value) for value in data.get("roles", ())),
            frozenset(data.get("municipalities", ())),
            frozenset(Kind(value) for value in data.get("kinds", ())),
            frozenset(int(value) for value in data.get("schools", ())),
        )

    def toggled(
        self,
        *,
        role: Who | None = None,
        municipality: str | None = None,
        kind: Kind | None = None,
        school_id: int | None = None,
    ) -> Choice:
        """The choice with one role, municipality, kind or school added, or taken out."""

        def flip(values: frozenset, value: object) -> frozenset:
            return values - {value} if value in values else values | {value}

        if role is not None:
            return replace(self, roles=flip(self.roles, role))
        if municipality is not None:
            return replace(self, municipalities=flip(self.municipalities, municipality))
        if kind is not None:
            return replace(self, kinds=flip(self.kinds, kind))
        if school_id is not None:
            return replace(self, school_ids=flip(self.school_ids, school_id))
        return self


@dataclass(frozen=True, slots=True)
class Reach:
    """Who a choice reaches: people the bot can send to, and those it cannot."""

    recipients: list[tuple[Person, int | None]] = field(default_factory=list)  # (person, school)
    blocked: list[Person] = field(default_factory=list)  # blocked the bot
    not_started: list[Person] = field(default_factory=list)  # never started it

    @property
    def total(self) -> int:
        return len(self.recipients) + len(self.blocked) + len(self.not_started)


def territory(author: Roles, schools: Iterable[School]) -> list[School]:
    """The schools an author's announcement may reach."""
    return [school for school in schools if author.coordinates(school)]


def chosen_schools(choice: Choice, author: Roles, schools: Iterable[School]) -> set[int]:
    """The ids of the schools the choice names, within the author's territory."""
    mine = territory(author, schools)
    picked = {school.id for school in mine if school.id in choice.school_ids}
    if not choice.municipalities and not choice.kinds:
        return picked if choice.school_ids else {school.id for school in mine}
    found = set(picked)
    for school in mine:
        if choice.municipalities and not in_municipalities(
            school.municipality, choice.municipalities
        ):
            continue
        if choice.kinds and not (
            (Kind.SHNOR in choice.kinds and school.is_shnor)
            or (Kind.SHSSU in choice.kinds and school.is_shssu)
        ):
            continue
        found.add(school.id)
    return found


def reaches(
    choice: Choice,
    author: Roles,
    person: Roles,
    chosen: set[int],
    schools: Mapping[int, School],
) -> tuple[bool, int | None]:
    """Whether the choice reaches a person with these roles, and the school they are
    reached for (a principal's), if any."""
    wanted = choice.roles or frozenset(Who)
    if Who.PRINCIPALS in wanted and person.principal_school_id in chosen:
        return True, person.principal_school_id
    if Who.CURATORS in wanted and person.curator_school_ids & chosen:
        return True, None
    if Who.COORDINATORS in wanted and person.coordinator:
        if person.regional:
            return author.regional and not choice.restricted, None
        municipalities = {schools[school_id].municipality for school_id in chosen}
        if any(in_municipalities(name, person.municipalities) for name in municipalities):
            return True, None
    return False, None


def reach(
    choice: Choice,
    author: Roles,
    author_id: int | None,
    people: Iterable[tuple[Person, Roles]],
    schools: Iterable[School],
) -> Reach:
    """Everyone the choice reaches, split by whether the bot can send to them."""
    by_id = {school.id: school for school in schools}
    chosen = chosen_schools(choice, author, by_id.values())
    found = Reach()
    for person, roles in people:
        if person.id == author_id:
            continue
        reached, school_id = reaches(choice, author, roles, chosen, by_id)
        if not reached:
            continue
        if person.telegram_id is None:
            found.not_started.append(person)
        elif not person.is_active:
            found.blocked.append(person)
        else:
            found.recipients.append((person, school_id))
    return found


def describe(choice: Choice, schools: Mapping[int, School], locale: str) -> str:
    """ "everyone" / "principals, curators · Ливенский район · ШНОР schools · Казанская СОШ"."""
    if choice.everyone:
        return translate(locale, "everyone")
    parts = []
    if choice.roles:
        parts.append(", ".join(translate(locale, WHO_NAMES[who]) for who in sorted(choice.roles)))
    if choice.municipalities:
        parts.append(", ".join(sorted(choice.municipalities)))
    if choice.kinds:
        parts.append(
            ", ".join(translate(locale, KIND_NAMES[kind]) for kind in sorted(choice.kinds))
        )
    if choice.school_ids:
        names = sorted(
            schools[school_id].display_name
            for school_id in choice.school_ids
            if school_id in schools
        )
        shown = ", ".join(names[:NAMED_SCHOOLS])
        if len(names) > NAMED_SCHOOLS:
            more = len(names) - NAMED_SCHOOLS
            shown += " " + translate_plural(locale, "and {n} more", "and {n} more", more)
        if not choice.municipalities and not choice.kinds:
            parts.append(shown)
        else:
            parts.append(translate(locale, "and {schools}", schools=shown))
    return " · ".join(parts)
