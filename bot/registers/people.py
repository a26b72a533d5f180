"""Importing the register of people: find each person (Telegram ID, e-mail, name), their
role and schools; plan every row, then write them all in one transaction (all or nothing),
with personal invitations if asked for."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from bot.clock import to_db
from bot.i18n import N_, Msg
from bot.people.invitations import (
    DEFAULT_EXPIRES_DAYS,
    check_invitation,
    deep_link,
    hash_code,
    new_code,
)
from bot.registers.report import (
    Action,
    ImportReport,
    Refused,
    RowResult,
)
from bot.registers.table import RegisterRow, RegisterTable, read_table
from bot.registers.values import read_email, read_full_name, read_phone, read_role, read_telegram_id
from bot.write_refusals import database_refused, not_written, write_refusal
from bot.xlsx.cells import one_line
from storage.errors import WriteAborted
from storage.models import Person, Role, School, match_key
from storage.people import PersonalInvitation, PersonData, PersonRow
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
    stored_curated: frozenset[int] = frozenset()  # the schools they curate in the database
    listed_curated: set[int] = field(default_factory=set)  # ... and in this file
    curator_row: int | None = None  # their first curator row in this file
    invite_code: str | None = None  # the code of the invitation made for them


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
            slot.listed_curated.update(school_ids)
            if slot.curator_row is None:
                slot.curator_row = row.number
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
            stored_curated=roles.curator_school_ids,
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

    A curator the file lists with fewer schools than they have loses the others, unless a
    row of the file that may be theirs was refused. The accepted rows are written together
    with the invitations: should the database refuse one, nothing is written and the
    report says which row and why.

    A person who has not started the bot yet (no Telegram ID) gets one new invitation
    per import, for the role of their first row; their earlier unused invitations are
    revoked, so only the links in this report work.
    """
    table = read_table(source, "people")
    planner = _PeoplePlanner(repo, table)
    results: dict[int, RowResult] = {}
    plans: list[_PersonPlan] = []
    refused: set[str] = set()  # who the refused rows may be about
    for row in table.rows:
        try:
            plan = await planner.plan(row)
        except Refused as refusal:
            subject = _row_name(row)
            results[row.number] = RowResult(row.number, "refused", subject, refusal.message)
            refused |= _row_identities(row, subject)
            continue
        plans.append(plan)
        results[row.number] = RowResult(row.number, plan.action, plan.data.full_name)
    dropped = await _dropped_curated(repo, planner.slots, refused, results)
    report = ImportReport("people", table.sheet, table.header_row, [], dry_run)
    if not dry_run and plans:
        await _write(repo, planner.slots, plans, dropped, results, report, invite, expires_days)
        if report.not_written is None:
            _add_links(planner.slots, results, bot_username)
    report.rows = [results[row.number] for row in table.rows]
    return report


def _row_name(row: RegisterRow) -> str:
    return read_full_name(row.text.get("full_name", "")) or read_full_name(
        " ".join(row.text.get(k, "") for k in ("last_name", "first_name", "middle_name"))
    )


def _row_identities(row: RegisterRow, name: str) -> set[str]:
    """What may tell the person of a row: their name, e-mail and Telegram ID, if readable."""
    found = {f"name:{match_key(name)}"} if name else set()
    for column, reader in (("email", read_email), ("telegram_id", read_telegram_id)):
        try:
            value = reader(row.text.get(column, ""))
        except Refused:
            continue
        if value is not None:
            found.add(f"{column}:{value}")
    return found


def _slot_identities(slot: _Slot) -> set[str]:
    names = {slot.full_name, slot.person.full_name if slot.person else slot.full_name}
    found = {f"name:{match_key(name)}" for name in names}
    if slot.email:
        found.add(f"email:{slot.email.casefold()}")
    if slot.telegram_id is not None:
        found.add(f"telegram_id:{slot.telegram_id}")
    return found


async def _dropped_curated(
    repo: Repo, slots: list[_Slot], refused: set[str], results: dict[int, RowResult]
) -> dict[int, tuple[int, ...]]:
    """The schools each listed curator no longer curates, by the row that says so (their
    first curator row, which is marked updated and names each school)."""
    dropped: dict[int, tuple[int, ...]] = {}
    for slot in slots:
        if slot.curator_row is None or _slot_identities(slot) & refused:
            continue
        missing = sorted(slot.stored_curated - slot.listed_curated)
        if not missing:
            continue
        dropped[slot.curator_row] = tuple(missing)
        names = [school.display_name for school in await repo.schools.list(missing)]
        old = results[slot.curator_row]
        notes = tuple(
            Msg(N_("School “{school}” is no longer assigned to this curator"), {"school": name})
            for name in names
        )
        results[slot.curator_row] = replace(old, action="updated", notes=old.notes + notes)
    return dropped


async def _write(
    repo: Repo,
    slots: list[_Slot],
    plans: list[_PersonPlan],
    dropped: dict[int, tuple[int, ...]],
    results: dict[int, RowResult],
    report: ImportReport,
    invite: bool,
    expires_days: int,
) -> None:
    """Every accepted row, then the invitations, in one transaction."""
    number = {id(slot): index for index, slot in enumerate(slots)}
    rows = [
        PersonRow(
            person=number[id(plan.slot)],
            person_id=plan.slot.person_id,
            data=plan.data,
            update=plan.details_changed,
            grant=(plan.role, tuple(plan.school_ids)) if plan.grant_changed else None,
            drop_curated=dropped.get(plan.row, ()),
        )
        for plan in plans
    ]
    invitations = _invitations(repo, slots, plans, expires_days) if invite else []
    try:
        imported = await repo.people.import_rows(rows, [item for item, _code in invitations])
    except WriteAborted as aborted:
        plan = plans[aborted.index]
        reason = write_refusal(aborted.cause)
        results[plan.row] = RowResult(plan.row, "refused", plan.data.full_name, reason)
        report.not_written = not_written(plan.row)
        return
    except sqlite3.Error as error:
        report.not_written = database_refused(error)
        return
    codes = {item.person: code for item, code in invitations}
    for slot in slots:
        if number[id(slot)] in imported.invited:
            slot.invite_code = codes[number[id(slot)]]


def _invitations(
    repo: Repo, slots: list[_Slot], plans: list[_PersonPlan], expires_days: int
) -> list[tuple[PersonalInvitation, str]]:
    """An invitation (and its code) for each person without a Telegram ID, for the role of
    their first row and the schools their rows name for it (a principal: the last one)."""
    expires_at = to_db(repo.db.clock() + timedelta(days=expires_days))
    found = []
    for index, slot in enumerate(slots):
        if slot.invite_role is None or slot.telegram_id is not None:
            continue
        role = slot.invite_role
        school_ids: list[int] = []
        for plan in plans:
            if plan.slot is slot and plan.role is role:
                school_ids += [i for i in plan.school_ids if i not in school_ids]
        if role is Role.PRINCIPAL:
            school_ids = school_ids[-1:]
        check_invitation(role, school_ids, expires_days)
        code = new_code()
        invitation = PersonalInvitation(index, hash_code(code), role, tuple(school_ids), expires_at)
        found.append((invitation, code))
    return found


def _add_links(slots: list[_Slot], results: dict[int, RowResult], bot_username: str | None) -> None:
    for slot in slots:
        if slot.invite_code is not None and slot.invite_row is not None:
            old = results[slot.invite_row]
            results[slot.invite_row] = replace(
                old, invite_link=deep_link(slot.invite_code, bot_username)
            )
