"""What the consultation screens are made from, for one person: who may do what with a
consultation, a curator's free days and slots, whom a school may book, and the parties
a change concerns. Handlers get it as ``desk`` (:class:`bot.consultation_session.WithDesk`).

The access rules, checked on the server for every button:

- the curator who holds a consultation (its host) sees it, moves and cancels it while it
  is upcoming, marks it held or missed once it has started, and opens the school's card;
- the school's principal sees it, accepts or declines a proposal, and moves or cancels
  it until the notice (the curator's minimum notice before the start);
- a coordinator whose territory holds the school sees it (and the card);
- a curator books directly only their own schools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.consultations.offer import Offer, check_offer, free_days, nearest_offers
from bot.consultations.parties import Parties
from bot.consultations.slots import BookingProblem, Refusal, month_window, refusal_for
from bot.indicators.catalog import Catalog
from bot.indicators.form import local_today
from bot.settings import Settings
from storage.consultations import Consultation
from storage.models import Person, Roles, School
from storage.repo import Repo

if TYPE_CHECKING:
    from scheduler.reminders import ReminderScheduler

MONTHS_AHEAD = 13  # how far the first month with free time is looked for
NEAR = timedelta(days=15)  # the nearest free times are looked for this far around


@dataclass(frozen=True, slots=True)
class Access:
    """What the person may do with one consultation."""

    host: bool  # they hold it
    school: bool  # it is their school's
    overseer: bool  # a coordinator of the school's territory, or its curator

    @property
    def sees(self) -> bool:
        return self.host or self.school or self.overseer


@dataclass
class Desk:
    repo: Repo
    settings: Settings
    catalog: Catalog
    clock: Clock
    person: Person | None
    roles: Roles
    locale: str
    reminders: ReminderScheduler | None = None
    _people: dict[int, Person | None] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return local_today(self.zone, self.now())

    async def replan(self) -> None:
        """A consultation changed: its reminders follow (the job list is derived again)."""
        if self.reminders is not None:
            await self.reminders.rebuild()

    @property
    def me(self) -> Person:
        assert self.person is not None
        return self.person

    # ------------------------------------------------------------------ who

    async def someone(self, person_id: int) -> Person | None:
        if person_id not in self._people:
            self._people[person_id] = await self.repo.people.get(person_id)
        return self._people[person_id]

    async def name(self, person_id: int) -> str:
        person = await self.someone(person_id)
        return person.full_name if person else f"#{person_id}"

    async def school_name(self, school_id: int) -> str:
        school = await self.repo.schools.get(school_id)
        return school.display_name if school else f"#{school_id}"

    async def access(self, consultation: Consultation) -> Access:
        school = await self.repo.schools.get(consultation.school_id)
        me = self.person.id if self.person else None
        return Access(
            host=consultation.host_id == me,
            school=consultation.school_id == self.roles.principal_school_id,
            overseer=school is not None
            and (self.roles.coordinates(school) or school.id in self.roles.curator_school_ids),
        )

    async def parties(self, school_id: int, host_id: int) -> Parties:
        school = await self.repo.schools.get(school_id)
        host = await self.someone(host_id)
        assert school is not None and host is not None
        principals = await self.repo.people.principals_of(school_id)
        return Parties(school, host, tuple(principals), self.zone, self.settings.default_locale)

    async def other_side(self, consultation: Consultation) -> str:
        """The name a list shows: the school for its curator, the curator for the school."""
        if self.person is not None and consultation.host_id == self.person.id:
            return await self.school_name(consultation.school_id)
        return await self.name(consultation.host_id)

    async def own_schools(self) -> list[School]:
        """The schools the curator may book directly."""
        return await self.repo.schools.list(sorted(self.roles.curator_school_ids))

    async def hosts_for_school(self, school_id: int) -> list[tuple[Person, bool]]:
        """Curators with free time from now on; the school's own curators first (True)."""
        own = await self.repo.consultations.curators_of(school_id)
        found = []
        for host_id in await self.repo.consultations.hosts_offering(self.now()):
            person = await self.someone(host_id)
            if person is not None and person.is_active:
                found.append((person, host_id in own))
        found.sort(key=lambda pair: (not pair[1], pair[0].full_name.casefold()))
        return found

    # ------------------------------------------------------------------ when

    async def month(
        self, host_id: int, year: int, month: int, *, host_action: bool, without: int | None
    ) -> dict[date, list[Offer]]:
        """The days of a month with free slots of the host, each with its slots."""
        start, end = month_window(year, month, self.zone)
        blocks = await self.repo.consultations.blocks(host_id, start, end)
        day = timedelta(days=1)
        busy = await self.repo.consultations.busy(host_id, start - day, end + day, without=without)
        return free_days(
            year, month, blocks, busy, now=self.now(), zone=self.zone, host=host_action
        )

    async def first_month(
        self, host_id: int, *, host_action: bool, without: int | None
    ) -> tuple[int, int] | None:
        """The first month from this one with free time of the host, or None."""
        year, month = self.today().year, self.today().month
        last = await self.repo.consultations.last_time(host_id)
        for _ in range(MONTHS_AHEAD):
            if last is None or month_window(year, month, self.zone)[0] > last:
                return None
            if await self.month(host_id, year, month, host_action=host_action, without=without):
                return year, month
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None

    async def has_later(self, host_id: int, year: int, month: int) -> bool:
        """Whether the host's published time reaches past this month."""
        last = await self.repo.consultations.last_time(host_id)
        return last is not None and last > month_window(year, month, self.zone)[1]

    async def check_slot(
        self,
        host_id: int,
        block_id: int,
        start: datetime,
        *,
        host_action: bool,
        without: int | None,
    ) -> Refusal | None:
        """Whether a start offered on a screen is still free (the booking itself checks
        again in its transaction)."""
        day = timedelta(days=1)
        blocks = await self.repo.consultations.blocks(host_id, start - day, start + day)
        block = next((b for b in blocks if b.id == block_id), None)
        if block is None:
            return refusal_for(BookingProblem.OUTSIDE_AVAILABILITY)
        busy = await self.repo.consultations.busy(
            host_id, start - day, start + day, without=without
        )
        return check_offer(start, block, busy, now=self.now(), host=host_action)

    async def nearest(
        self, host_id: int, wanted: datetime, *, host_action: bool, without: int | None
    ) -> list[Offer]:
        blocks = await self.repo.consultations.blocks(host_id, wanted - NEAR, wanted + NEAR)
        busy = await self.repo.consultations.busy(
            host_id, wanted - NEAR - NEAR, wanted + NEAR + NEAR, without=without
        )
        return nearest_offers(wanted, blocks, busy, now=self.now(), host=host_action)

    async def formats(self, block_ids: set[int]) -> dict[int, tuple[str, str]]:
        """Publication id → (format, place)."""
        found = {}
        for block_id in block_ids:
            publication = await self.repo.consultations.publication(block_id)
            if publication is not None:
                found[block_id] = (publication.format, publication.place)
        return found
