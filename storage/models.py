"""Plain records the repositories return; no behaviour beyond small helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Where a school's submission for a campaign stands (``submissions.status``)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # sent, waiting for the coordinator's review
    RETURNED = "returned"  # returned for correction with a comment
    ACCEPTED = "accepted"

    @property
    def reported(self) -> bool:
        """Sent or accepted: the school has reported (reminders stop)."""
        return self in (Status.SUBMITTED, Status.ACCEPTED)


class Audience(StrEnum):
    """Whom a roadmap action is for (its «Ответственные», read)."""

    PRINCIPALS = "principal"  # the principals of the schools in the roadmap's territory
    CURATORS = "curator"
    MUNICIPAL = "municipal"  # municipal coordinators (of the roadmap's municipality)
    REGIONAL = "regional"  # regional coordinators


class Role(StrEnum):
    PRINCIPAL = "principal"
    CURATOR = "curator"
    COORDINATOR = "coordinator"
    # a principal's deputy («заместитель директора по УВР»): acts for one school as its
    # principal does, but invites nobody; stored as a principal's grant marked ``deputy``
    DEPUTY = "deputy"


_QUOTES = re.compile(r"[«»\"“”„'`]")
_SPACES = re.compile(r"\s+")


def in_municipalities(municipality: str, names: frozenset[str] | set[str]) -> bool:
    """``municipality`` is one of ``names``, however spelled (case, ё, quotes, spaces)."""
    key = match_key(municipality)
    return any(match_key(name) == key for name in names)


def match_key(*parts: str) -> str:
    """A spelling-insensitive key: case, ё/е, quotes and spacing do not matter."""
    cleaned = []
    for part in parts:
        text = _QUOTES.sub(" ", part).casefold().replace("ё", "е")
        cleaned.append(_SPACES.sub(" ", text).strip())
    return "|".join(cleaned)


@dataclass(frozen=True, slots=True)
class School:
    id: int
    name: str
    short_name: str | None
    municipality: str
    is_shnor: bool
    is_shssu: bool
    inn: str | None

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    telegram_id: int | None
    full_name: str
    username: str | None
    email: str | None
    phone: str | None
    position: str | None
    locale: str | None
    is_active: bool


@dataclass(frozen=True, slots=True)
class Roles:
    """What a person may do: their roles and the schools each role reaches.

    A coordinator is regional (every school) unless ``municipalities`` names the
    municipalities they coordinate. Whether a role reaches a school is decided here, once:
    :meth:`coordinates` and :meth:`can_see` are the scope check every feature uses.

    ``principal_school_id`` is the school the person answers for («ответственный от ОО»):
    as its principal, or with ``deputy`` as a deputy the principal invited. Both fill in
    and send the school's forms and get its reminders and notices; only the principal
    (:attr:`head_school_id`) invites and revokes deputies.
    """

    principal_school_id: int | None = None
    curator_school_ids: frozenset[int] = field(default_factory=frozenset)
    coordinator: bool = False
    municipalities: frozenset[str] = field(default_factory=frozenset)
    deputy: bool = False

    @property
    def head_school_id(self) -> int | None:
        """The school this person is the principal of (not a deputy's)."""
        return None if self.deputy else self.principal_school_id

    @property
    def regional(self) -> bool:
        """A regional coordinator: every school of the region."""
        return self.coordinator and not self.municipalities

    def coordinates(self, school: School) -> bool:
        """The school is in this coordinator's territory."""
        if not self.coordinator:
            return False
        return self.regional or in_municipalities(school.municipality, self.municipalities)

    def can_see(self, school: School) -> bool:
        """The school's data is this person's to see: coordinated, curated or their own."""
        return (
            self.coordinates(school)
            or school.id in self.curator_school_ids
            or school.id == self.principal_school_id
        )

    @property
    def names(self) -> list[Role]:
        found = []
        if self.coordinator:
            found.append(Role.COORDINATOR)
        if self.curator_school_ids:
            found.append(Role.CURATOR)
        if self.principal_school_id is not None:
            found.append(Role.DEPUTY if self.deputy else Role.PRINCIPAL)
        return found

    def __bool__(self) -> bool:
        return bool(self.names)

    def can_see_school(self, school_id: int) -> bool:
        return (
            self.coordinator
            or school_id in self.curator_school_ids
            or school_id == self.principal_school_id
        )


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    role: Role
    school_ids: tuple[int, ...]
    person_id: int | None
    created_by: int | None
    created_at: str
    expires_at: str
    used_at: str | None
    used_by: int | None
    revoked_at: str | None
    municipalities: tuple[str, ...] = ()  # a municipal coordinator's; none: regional
    position: str | None = None  # a deputy's, as the inviting principal wrote it


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something, as history and notices name them: the person, and how they
    answer for a school now (``Role.PRINCIPAL``, ``Role.DEPUTY`` or None) or coordinate."""

    person: Person
    school_role: Role | None = None
    coordinator: bool = False
