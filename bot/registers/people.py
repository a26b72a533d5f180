"""Importing the register of people: find each person (Telegram ID, e-mail, name), their
role and schools; plan every row, write, and optionally make personal invitations."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from bot.i18n import N_
from bot.people.invitations import DEFAULT_EXPIRES_DAYS, create_invitation, deep_link
from bot.registers.report import Action, ImportReport, Refused, RowResult
from bot.registers.table import RegisterRow, RegisterTable, read_table
from bot.registers.values import read_email, read_full_name, read_phone, read_role, read_telegram_id
from bot.xlsx.cells import one_line
from storage.models import Person, Role, School, match_key
from storage.people import PersonData
from storage.repo import Repo


@dataclass(slots=True)
class _Slot:
    """One person as this import sees them: stored already, or to be created."""

    person: Person | None
    full_name: str
    telegram_id: int | None
    email: str | None
    phone: str | None
    position: str | None
    principal_school: int | None = None
    curator_schools: set[int] = field(default_factory=set)
    coordinator: bool = False
    created_in_file: bool = False
    principal_row: int | None = None
    grants_seen: dict[tuple[Role, tuple[int, ...]], int] = field(default_factory=dict)
    person_id: int | None = None
    invite_role: Role | None = None
    invite_row: int | None = None


@dataclass(slots=True)
class _PersonPlan:
    row: int
    slot: _Slot
    data: PersonData
    role: Role
    school_ids: list[int]
    details_changed: bool
    grant_changed: bool
    action: Action


class _PeoplePlanner:
    """Checks people rows against the database and each other before anything is written."""

    def __init__(self, repo: Repo, table: RegisterTable) -> None:
        self.repo = repo
        self.table = table
        self.slots: list[_Slot] = []
        self.by_person: dict[int, _Slot] = {}
        self.by_telegram: dict[int, tuple[_Slot, int]] = {}
        self.by_email: dict[str, tuple[_Slot, int]] = {}
        self.by_name: dict[str, list[_Slot]] = {}
        self.school_cache: dict[tuple[str, str | None], list[School]] = {}
        self.school_names: dict[int, str] = {}

    async def plan(self, row: RegisterRow) -> _PersonPlan:
        text = row.text
        if self.table.has("full_name"):
            full_name = read_full_name(text["full_name"])
        else:
            parts = [text.get(key, "") for key in ("last_name", "first_name", "middle_name")]
            full_name = read_full_name(" ".join(part for part in parts if part))
        if not full_name:
            raise Refused(N_("The full name is empty"))
        role = read_role(text.get("role", ""))
        municipality = one_line(text.get("municipality", "")) or row.section
        school_ids = await self._schools(role, text.get("school", ""), municipality)
        telegram_id = read_telegram_id(text.get("telegram_id", ""))
        email = read_email(text.get("email", ""))
        phone = read_phone(text.get("phone", ""))
        position = one_line(text.get("position", "")) or None

        slot = await self._slot(full_name, telegram_id, email)
        if email is not None and email in self.by_email and self.by_email[email][0] is not slot:
            other, other_row = self.by_email[email]
            raise Refused(
                N_("E-mail {email} is already given to “{other}” in row {row}"),
                email=email,
                other=other.full_name,
                row=other_row,
            )
        if telegram_id is not None and telegram_id in self.by_telegram:
            other, other_row = self.by_telegram[telegram_id]
            if other is not slot:
                raise Refused(
                    N_("Telegram ID {telegram_id} is already given to “{other}” in row {row}"),
                    telegram_id=telegram_id,
                    other=other.full_name,
                    row=other_row,
                )
        grant_key = (role, tuple(sorted(school_ids)))
        if grant_key in slot.grants_seen:
            raise Refused(N_("Duplicate of row {row}"), row=slot.grants_seen[grant_key])
        if (
            role is Role.PRINCIPAL
            and slot.principal_row is not None
            and slot.principal_school != school_ids[0]
        ):
            raise Refused(
                N_(
                    "A principal belongs to one school, and row {row} already makes this person"
                    " the principal of “{school}”; if these are two people, add their e-mails"
                    " or Telegram IDs"
                ),
                row=slot.principal_row,
                school=self.school_names.get(slot.principal_school or 0, ""),
            )

        details_changed = (
            slot.full_name != full_name
            or (telegram_id is not None and slot.telegram_id != telegram_id)
            or (email is not None and (slot.email or "").casefold() != email)
            or (phone is not None and slot.phone != phone)
            or (position is not None and slot.position != position)
        )
        if role is Role.PRINCIPAL:
            grant_changed = slot.principal_school != school_ids[0]
        elif role is Role.CURATOR:
            grant_changed = not set(school_ids) <= slot.curator_schools
        else:
            grant_changed = not slot.coordinator
        is_new = slot.person is None and not slot.created_in_file
        if is_new:
            action: Action = "created"
        elif details_changed or grant_changed:
            action = "updated"
        else:
            action = "unchanged"

        # the row is accepted: record what it does, so later rows see it
        slot.full_name = full_name
        slot.telegram_id = telegram_id if telegram_id is not None else slot.telegram_id
        slot.email = email if email is not None else slot.email
        slot.phone = phone if phone is not None else slot.phone
        slot.position = position if position is not None else slot.position
        slot.created_in_file = slot.created_in_file or is_new
        slot.grants_seen[grant_key] = row.number
        if role is Role.PRINCIPAL:
            slot.principal_school = school_ids[0]
            slot.principal_row = row.number
        elif role is Role.CURATOR:
            slot.curator_schools.update(school_ids)
        else:
            slot.coordinator = True
        if slot.invite_role is None:
            slot.invite_role, slot.invite_row = role, row.number
        if telegram_id is not None:
            self.by_telegram.setdefault(telegram_id, (slot, row.number))
        if email is not None:
            self.by_email.setdefault(email, (slot, row.number))
        self.by_name.setdefault(match_key(full_name), [])
        if slot not in self.by_name[match_key(full_name)]:
            self.by_name[match_key(full_name)].append(slot)
        data = PersonData(
            full_name=full_name,
            telegram_id=telegram_id,
            email=email,
            phone=phone,
            position=position,
        )
        return _PersonPlan(
            row.number, slot, data, role, school_ids, details_changed, grant_changed, action
        )

    async def _schools(self, role: Role, text: str, municipality: str | None) -> list[int]:
        if role is Role.COORDINATOR:
            return []
        references = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
        if not references:
            if role is Role.PRINCIPAL:
                raise Refused(N_("A principal needs a school in column «ОО»"))
            raise Refused(N_("A curator needs at least one school in column «ОО»"))
        if role is Role.PRINCIPAL and len(references) > 1:
            raise Refused(
                N_("A principal belongs to one school, but the row names {count}"),
                count=len(references),
            )
        ids: list[int] = []
        for reference in references:
            key = (reference, municipality)
            if key not in self.school_cache:
                self.school_cache[key] = await self.repo.schools.find_by_reference(
                    reference, municipality
                )
            found = self.school_cache[key]
            if not found:
                if municipality:
                    raise Refused(
                        N_("School “{school}” not found in “{municipality}”"),
                        school=reference,
                        municipality=municipality,
                    )
                raise Refused(N_("School “{school}” not found"), school=reference)
            if len(found) > 1:
                raise Refused(
                    N_("“{school}” matches {count} schools; add the municipality or the INN"),
                    school=reference,
                    count=len(found),
                )
            self.school_names[found[0].id] = found[0].display_name
            if found[0].id not in ids:
                ids.append(found[0].id)
        return ids

    async def _slot(self, full_name: str, telegram_id: int | None, email: str | None) -> _Slot:
        """The person this row is about: by Telegram ID, else e-mail, else an unambiguous name."""
        people = self.repo.people
        person: Person | None = None
        if telegram_id is not None:
            person = await people.by_telegram_id(telegram_id)
        if email is not None:
            owner = await people.by_email(email)
            if owner is not None and person is not None and owner.id != person.id:
                raise Refused(
                    N_("E-mail {email} belongs to another person, “{other}”"),
                    email=email,
                    other=owner.full_name,
                )
            if owner is not None and person is None:
                if telegram_id is not None and owner.telegram_id not in (None, telegram_id):
                    raise Refused(
                        N_("E-mail {email} belongs to “{other}”, who has another Telegram ID"),
                        email=email,
                        other=owner.full_name,
                    )
                person = owner
        if person is None:
            namesakes = [
                p
                for p in await people.by_name(full_name)
                if _compatible(p.telegram_id, p.email, telegram_id, email)
            ]
            if len(namesakes) > 1:
                raise Refused(
                    N_(
                        "{count} people named “{name}” are registered; add an e-mail or a"
                        " Telegram ID to say which one"
                    ),
                    count=len(namesakes),
                    name=full_name,
                )
            if namesakes:
                person = namesakes[0]
        if person is not None:
            if person.id not in self.by_person:
                self.by_person[person.id] = await self._stored_slot(person)
            return self.by_person[person.id]
        # not stored yet: maybe an earlier row of this file introduced them
        if telegram_id is not None and telegram_id in self.by_telegram:
            return self.by_telegram[telegram_id][0]
        if email is not None and email in self.by_email:
            return self.by_email[email][0]
        candidates = [
            slot
            for slot in self.by_name.get(match_key(full_name), [])
            if slot.person is None and _compatible(slot.telegram_id, slot.email, telegram_id, email)
        ]
        if len(candidates) == 1:
            return candidates[0]
        slot = _Slot(None, full_name, telegram_id, email, None, None)
        self.slots.append(slot)
        return slot

    async def _stored_slot(self, person: Person) -> _Slot:
        roles = await self.repo.people.roles(person.id)
        slot = _Slot(
            person,
            person.full_name,
            person.telegram_id,
            person.email,
            person.phone,
            person.position,
            principal_school=roles.principal_school_id,
            curator_schools=set(roles.curator_school_ids),
            coordinator=roles.coordinator,
            person_id=person.id,
        )
        self.slots.append(slot)
        return slot


def _compatible(
    stored_tg: int | None, stored_email: str | None, tg: int | None, email: str | None
) -> bool:
    """A namesake may be this person unless their Telegram ID or e-mail says otherwise."""
    if tg is not None and stored_tg is not None and stored_tg != tg:
        return False
    return not (email is not None and stored_email is not None and stored_email.casefold() != email)


async def import_people(
    repo: Repo,
    source: Path | bytes,
    *,
    invite: bool = False,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    bot_username: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update people and grant their roles; with ``invite``, make personal links.

    A person who has not started the bot yet (no Telegram ID) gets one new invitation
    per import, for the role of their first row; their earlier unused invitations are
    revoked, so only the links in this report work.
    """
    table = read_table(source, "people")
    planner = _PeoplePlanner(repo, table)
    results: dict[int, RowResult] = {}
    plans: list[_PersonPlan] = []
    for row in table.rows:
        try:
            plan = await planner.plan(row)
        except Refused as refusal:
            subject = read_full_name(row.text.get("full_name", "")) or read_full_name(
                " ".join(row.text.get(k, "") for k in ("last_name", "first_name", "middle_name"))
            )
            results[row.number] = RowResult(row.number, "refused", subject, refusal.message)
            continue
        plans.append(plan)
        results[row.number] = RowResult(row.number, plan.action, plan.data.full_name)
    if dry_run:
        return _people_report(table, results, dry_run=True)

    for plan in plans:
        slot = plan.slot
        try:
            if slot.person_id is None:
                slot.person_id = (await repo.people.create(plan.data)).id
            elif plan.details_changed:
                await repo.people.update_details(slot.person_id, plan.data)
            if plan.grant_changed:
                await repo.people.grant(slot.person_id, plan.role, plan.school_ids)
        except sqlite3.IntegrityError as error:
            results[plan.row] = RowResult(
                plan.row,
                "refused",
                plan.data.full_name,
                N_("Conflicts with another person in the database ({error})"),
                {"error": str(error)},
            )
    if invite:
        await _invite(repo, planner.slots, plans, results, expires_days, bot_username)
    return _people_report(table, results, dry_run=False)


async def _invite(
    repo: Repo,
    slots: list[_Slot],
    plans: list[_PersonPlan],
    results: dict[int, RowResult],
    expires_days: int,
    bot_username: str | None,
) -> None:
    for slot in slots:
        if slot.person_id is None or slot.invite_role is None or slot.invite_row is None:
            continue
        person = await repo.people.get(slot.person_id)
        if person is None or person.telegram_id is not None:
            continue
        role = slot.invite_role
        school_ids: list[int] = []
        for plan in plans:
            if plan.slot is slot and plan.role is role:
                school_ids += [i for i in plan.school_ids if i not in school_ids]
        if role is Role.PRINCIPAL:
            school_ids = school_ids[-1:]
        await repo.invitations.revoke_pending_for(slot.person_id)
        code, _invitation = await create_invitation(
            repo, role, school_ids, person_id=slot.person_id, expires_days=expires_days
        )
        row = slot.invite_row
        old = results[row]
        results[row] = RowResult(
            old.row,
            old.action,
            old.subject,
            old.reason,
            deep_link(code, bot_username),
        )


def _people_report(
    table: RegisterTable, results: dict[int, RowResult], *, dry_run: bool
) -> ImportReport:
    return ImportReport(
        "people",
        table.sheet,
        table.header_row,
        [results[row.number] for row in table.rows],
        dry_run,
    )
