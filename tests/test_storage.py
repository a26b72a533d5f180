"""Repositories over a real SQLite file: schools, people and roles, invitations,
transactions, concurrent writers and the online backup."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.clock import to_db
from storage.batching import AiosqliteChanged, check_internals
from storage.calendar import NewEvent
from storage.db import Database, backup
from storage.errors import DuplicateError
from storage.models import Role, Roles
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@asynccontextmanager
async def opened(path: Path, clock: FakeClock | None = None) -> AsyncIterator[Repo]:
    db = await Database.open(path, clock=clock or FakeClock())
    try:
        await db.migrate()
        yield Repo(db)
    finally:
        await db.close()


KAZANSKAYA = SchoolData(
    "МБОУ «Казанская средняя общеобразовательная школа»",
    "Ливенский район",
    short_name="Казанская СОШ",
    is_shnor=True,
)


async def count(repo: Repo, table: str) -> int:
    row = await repo.db.fetch_one(f"SELECT count(*) FROM {table}")
    assert row is not None
    return int(row[0])


# --- schools ---------------------------------------------------------------------------


async def test_school_upsert_is_idempotent(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        school, outcome = await repo.schools.upsert(KAZANSKAYA)
        assert outcome == "created"
        assert school.name == KAZANSKAYA.name and school.is_shnor and not school.is_shssu
        again, outcome = await repo.schools.upsert(KAZANSKAYA)
        assert (again.id, outcome) == (school.id, "unchanged")
        assert await repo.schools.count() == 1


@pytest.mark.parametrize(
    "spelling",
    [
        'МБОУ "Казанская средняя общеобразовательная школа"',
        "мбоу казанская средняя общеобразовательная школа",
        "  МБОУ   «Казанская  средняя общеобразовательная   школа» ",
        "МБОУ “КАЗАНСКАЯ СРЕДНЯЯ ОБЩЕОБРАЗОВАТЕЛЬНАЯ ШКОЛА”",
    ],
)
async def test_school_upsert_finds_the_same_school_however_it_is_spelled(
    tmp_path: Path, spelling: str
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        school, _ = await repo.schools.upsert(KAZANSKAYA)
        again, outcome = await repo.schools.upsert(
            SchoolData(spelling, "  ливенский   РАЙОН", short_name="Казанская СОШ", is_shnor=True)
        )
        assert again.id == school.id
        assert outcome == "updated"
        assert await repo.schools.count() == 1


async def test_school_upsert_treats_yo_and_ye_alike(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        school, _ = await repo.schools.upsert(SchoolData("МБОУ «Ёлецкая СОШ»", "Город Елец"))
        again, _ = await repo.schools.upsert(SchoolData("МБОУ «Елецкая СОШ»", "Город Ёлец"))
        assert again.id == school.id
        assert await repo.schools.count() == 1


async def test_school_upsert_matches_by_inn_first_so_a_renamed_school_is_kept(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        school, _ = await repo.schools.upsert(
            SchoolData("МБОУ СОШ №1", "Ливенский район", inn="5702001234")
        )
        other, _ = await repo.schools.upsert(SchoolData("МБОУ СОШ №2", "Ливенский район"))
        renamed, outcome = await repo.schools.upsert(
            SchoolData("МБОУ «Лицей №1»", "Ливенский район", inn="5702001234")
        )
        assert (renamed.id, outcome) == (school.id, "updated")
        assert renamed.name == "МБОУ «Лицей №1»"
        assert await repo.schools.count() == 2
        # a row without an INN does not wipe the one the register had
        same, outcome = await repo.schools.upsert(SchoolData("МБОУ «Лицей №1»", "Ливенский район"))
        assert (same.id, outcome, same.inn) == (school.id, "unchanged", "5702001234")
        assert other.id != school.id


async def test_a_school_given_another_schools_inn_is_refused_naming_that_school(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        await repo.schools.upsert(SchoolData("МБОУ «Казанская СОШ»", "Ливенский район"))
        sosnovka, _ = await repo.schools.upsert(
            SchoolData("МБОУ «Сосновская СОШ»", "Ливенский район", inn="5702001234")
        )
        before = await repo.schools.list()
        with pytest.raises(DuplicateError) as raised:
            await repo.schools.upsert(
                SchoolData("МБОУ «Казанская СОШ»", "Ливенский район", inn="5702001234")
            )
        clash = raised.value
        assert (clash.field, clash.value, clash.holder_id, clash.holder) == (
            "inn",
            "5702001234",
            sosnovka.id,
            "МБОУ «Сосновская СОШ»",
        )
        assert await repo.schools.list() == before


async def test_find_by_reference_by_id_inn_full_and_short_name(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        school, _ = await repo.schools.upsert(
            SchoolData(KAZANSKAYA.name, KAZANSKAYA.municipality, "Казанская СОШ", inn="5702009999")
        )
        await repo.schools.upsert(SchoolData("МБОУ «Речицкая СОШ»", "Ливенский район"))
        assert [s.id for s in await repo.schools.find_by_reference(str(school.id))] == [school.id]
        assert [s.id for s in await repo.schools.find_by_reference("5702009999")] == [school.id]
        by_full = await repo.schools.find_by_reference(
            "мбоу казанская средняя общеобразовательная школа"
        )
        assert [s.id for s in by_full] == [school.id]
        assert [s.id for s in await repo.schools.find_by_reference(" «казанская сош» ")] == [
            school.id
        ]
        assert await repo.schools.find_by_reference("Несуществующая школа") == []
        assert await repo.schools.find_by_reference("987654") == []


async def test_find_by_reference_tells_same_named_schools_apart_by_municipality(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        livny, _ = await repo.schools.upsert(SchoolData("МБОУ СОШ №1", "Ливенский район"))
        yelets, _ = await repo.schools.upsert(SchoolData("МБОУ СОШ №1", "Город Елец"))
        assert livny.id != yelets.id
        both = await repo.schools.find_by_reference("мбоу сош №1")
        assert {s.id for s in both} == {livny.id, yelets.id}
        only = await repo.schools.find_by_reference("МБОУ СОШ №1", municipality="город ёлец")
        assert [s.id for s in only] == [yelets.id]


# --- people and roles -----------------------------------------------------------------


async def test_people_are_found_by_telegram_id_email_and_name(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        maria = await repo.people.create(
            PersonData("Иванова Мария Петровна", telegram_id=501, email="M.Ivanova@School.ru")
        )
        await repo.people.create(PersonData("Петров Пётр Петрович", email="petrov@school.ru"))
        assert maria.full_name == "Иванова Мария Петровна" and maria.is_active
        found = await repo.people.by_telegram_id(501)
        assert found is not None and found.id == maria.id
        assert await repo.people.by_telegram_id(502) is None
        found = await repo.people.by_email("  m.ivanova@SCHOOL.RU ")
        assert found is not None and found.id == maria.id
        assert await repo.people.by_email("nobody@school.ru") is None
        assert [p.id for p in await repo.people.by_name("иванова  мария петровна")] == [maria.id]
        assert len(await repo.people.by_name("Петров Петр Петрович")) == 1
        assert await repo.people.by_name("Сидоров Иван") == []


async def test_an_email_belongs_to_one_person_whatever_its_case(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        maria = await repo.people.create(PersonData("Иванова Мария", email="m.ivanova@school.ru"))
        with pytest.raises(DuplicateError) as raised:
            await repo.people.create(PersonData("Иванов Марк", email="M.Ivanova@School.RU"))
        assert await repo.people.count() == 1
        clash = raised.value
        assert (clash.field, clash.value, clash.holder_id, clash.holder) == (
            "email",
            "M.Ivanova@School.RU",
            maria.id,
            "Иванова Мария",
        )


async def schools(repo: Repo, n: int) -> list[int]:
    ids = []
    for i in range(n):
        school, _ = await repo.schools.upsert(SchoolData(f"МБОУ СОШ №{i + 1}", "Ливенский район"))
        ids.append(school.id)
    return ids


async def test_a_principal_has_exactly_one_school_and_a_new_grant_replaces_it(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        first, second = await schools(repo, 2)
        person = await repo.people.create(PersonData("Иванова Мария Петровна"))
        assert await repo.people.grant(person.id, Role.PRINCIPAL, [first]) is True
        assert (await repo.people.roles(person.id)).principal_school_id == first
        assert await repo.people.grant(person.id, Role.PRINCIPAL, [first]) is False
        assert await repo.people.grant(person.id, Role.PRINCIPAL, [second]) is True
        roles = await repo.people.roles(person.id)
        assert roles.principal_school_id == second
        assert roles.names == [Role.PRINCIPAL]
        assert await count(repo, "role_grants") == 1
        with pytest.raises(ValueError):
            await repo.people.grant(person.id, Role.PRINCIPAL, [first, second])
        with pytest.raises(ValueError):
            await repo.people.grant(person.id, Role.PRINCIPAL, [])
        assert (await repo.people.roles(person.id)).principal_school_id == second


async def test_a_curator_may_have_many_schools_and_a_coordinator_is_granted_once(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        a, b, c = await schools(repo, 3)
        person = await repo.people.create(PersonData("Смирнова Ольга Ивановна"))
        assert await repo.people.roles(person.id) == Roles()
        assert not await repo.people.roles(person.id)
        assert await repo.people.grant(person.id, Role.CURATOR, [a, b]) is True
        assert await repo.people.grant(person.id, Role.CURATOR, [b, c]) is True
        assert await repo.people.grant(person.id, Role.CURATOR, [a, c]) is False
        with pytest.raises(ValueError):
            await repo.people.grant(person.id, Role.CURATOR, [])
        assert await repo.people.grant(person.id, Role.COORDINATOR, []) is True
        assert await repo.people.grant(person.id, Role.COORDINATOR, []) is False
        roles = await repo.people.roles(person.id)
        assert roles.curator_school_ids == {a, b, c}
        assert roles.coordinator and roles.principal_school_id is None
        assert roles.names == [Role.COORDINATOR, Role.CURATOR]
        assert await count(repo, "role_grants") == 4


def test_can_see_school_follows_the_roles() -> None:
    principal = Roles(principal_school_id=1)
    curator = Roles(curator_school_ids=frozenset({2, 3}))
    coordinator = Roles(coordinator=True)
    assert principal.can_see_school(1) and not principal.can_see_school(2)
    assert curator.can_see_school(2) and curator.can_see_school(3)
    assert not curator.can_see_school(1)
    assert all(coordinator.can_see_school(i) for i in (1, 2, 3, 999))
    assert not Roles().can_see_school(1)
    both = Roles(principal_school_id=1, curator_school_ids=frozenset({2}))
    assert both.can_see_school(1) and both.can_see_school(2) and not both.can_see_school(3)


async def test_a_grant_for_a_missing_school_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        (real,) = await schools(repo, 1)
        person = await repo.people.create(PersonData("Иванова Мария Петровна"))
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            await repo.people.grant(person.id, Role.CURATOR, [real, 999])
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            await repo.people.grant(person.id, Role.PRINCIPAL, [999])
        assert await count(repo, "role_grants") == 0
        assert not await repo.people.roles(person.id)


# --- invitations ----------------------------------------------------------------------


async def make_invitation(
    repo: Repo,
    role: Role,
    school_ids: list[int],
    *,
    code_hash: str = "a" * 64,
    days: int = 14,
    person_id: int | None = None,
):
    expires = to_db(repo.db.clock() + timedelta(days=days))
    return await repo.invitations.create(code_hash, role, school_ids, expires, person_id=person_id)


async def test_an_invitation_is_found_by_its_hash_and_consumed_once(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        a, b = await schools(repo, 2)
        invitation = await make_invitation(repo, Role.CURATOR, [b, a], code_hash="h1")
        found = await repo.invitations.by_hash("h1")
        assert found == invitation
        assert found.role is Role.CURATOR and set(found.school_ids) == {a, b}
        assert found.used_at is None
        assert await repo.invitations.by_hash("h2") is None
        person = await repo.people.create(PersonData("Иванова Мария Петровна"))
        assert await repo.invitations.consume(invitation.id, person.id) is True
        assert await repo.invitations.consume(invitation.id, person.id) is False
        used = await repo.invitations.get(invitation.id)
        assert used is not None and used.used_by == person.id and used.used_at is not None


async def test_an_expired_or_revoked_invitation_cannot_be_consumed(tmp_path: Path) -> None:
    clock = FakeClock()
    async with opened(tmp_path / "bot.sqlite3", clock) as repo:
        person = await repo.people.create(PersonData("Иванова Мария Петровна"))
        expiring = await make_invitation(repo, Role.COORDINATOR, [], code_hash="e", days=1)
        revoked = await make_invitation(
            repo, Role.COORDINATOR, [], code_hash="r", person_id=person.id
        )
        assert await repo.invitations.revoke_pending_for(person.id) == 1
        assert await repo.invitations.consume(revoked.id, person.id) is False
        clock.advance(days=1)
        assert await repo.invitations.consume(expiring.id, person.id) is False
        for invitation_id in (expiring.id, revoked.id):
            stored = await repo.invitations.get(invitation_id)
            assert stored is not None and stored.used_at is None and stored.used_by is None


async def test_accept_registers_a_new_person_with_the_role_and_schools(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        a, b = await schools(repo, 2)
        invitation = await make_invitation(repo, Role.CURATOR, [a, b])
        person_id = await repo.invitations.accept(
            invitation.id, 777, "mivanova", "Иванова Мария Петровна", "ru"
        )
        assert person_id is not None
        person = await repo.people.by_telegram_id(777)
        assert person is not None and person.id == person_id
        assert (person.full_name, person.username, person.locale) == (
            "Иванова Мария Петровна",
            "mivanova",
            "ru",
        )
        assert (await repo.people.roles(person_id)).curator_school_ids == {a, b}
        used = await repo.invitations.get(invitation.id)
        assert used is not None and used.used_by == person_id and used.used_at is not None
        assert [p.id for p in await repo.people.by_name("иванова мария петровна")] == [person_id]


async def test_accept_uses_the_person_the_invitation_was_made_for(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        (school,) = await schools(repo, 1)
        imported = await repo.people.create(
            PersonData("Иванова Мария Петровна", email="m@school.ru", locale="en")
        )
        await repo.people.set_active(imported.id, False)
        invitation = await make_invitation(repo, Role.PRINCIPAL, [school], person_id=imported.id)
        person_id = await repo.invitations.accept(invitation.id, 778, "masha", None, "ru")
        assert person_id == imported.id
        assert await repo.people.count() == 1
        person = await repo.people.get(imported.id)
        assert person is not None
        assert (person.telegram_id, person.username, person.is_active) == (778, "masha", True)
        assert person.full_name == "Иванова Мария Петровна"
        assert person.email == "m@school.ru"
        assert person.locale == "en"  # their own choice is kept
        assert (await repo.people.roles(imported.id)).principal_school_id == school


async def test_accept_adds_a_role_to_someone_already_registered(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        first, second = await schools(repo, 2)
        person = await repo.people.create(PersonData("Иванова Мария Петровна", telegram_id=779))
        await repo.people.grant(person.id, Role.CURATOR, [first])
        invitation = await make_invitation(repo, Role.COORDINATOR, [])
        assert await repo.invitations.accept(invitation.id, 779, None, None, None) == person.id
        again = await make_invitation(repo, Role.PRINCIPAL, [second], code_hash="b" * 64)
        assert await repo.invitations.accept(again.id, 779, None, None, None) == person.id
        roles = await repo.people.roles(person.id)
        assert roles.coordinator
        assert roles.curator_school_ids == {first}
        assert roles.principal_school_id == second
        assert await repo.people.count() == 1


@pytest.mark.parametrize("problem", ["used", "expired", "revoked"])
async def test_accept_refuses_an_unusable_invitation_and_writes_nothing(
    tmp_path: Path, problem: str
) -> None:
    clock = FakeClock()
    async with opened(tmp_path / "bot.sqlite3", clock) as repo:
        (school,) = await schools(repo, 1)
        owner = await repo.people.create(PersonData("Петров Пётр Петрович", telegram_id=100))
        invitation = await make_invitation(
            repo, Role.PRINCIPAL, [school], days=1, person_id=owner.id
        )
        if problem == "used":
            assert await repo.invitations.accept(invitation.id, 100, None, None, None)
        elif problem == "expired":
            clock.advance(days=1, seconds=1)
        else:
            await repo.invitations.revoke_pending_for(owner.id)
        grants_before = await count(repo, "role_grants")
        before = await repo.invitations.get(invitation.id)

        result = await repo.invitations.accept(
            invitation.id, 555, "stranger", "Сидоров Иван Иванович", "ru"
        )
        assert result is None
        assert await repo.people.by_telegram_id(555) is None
        assert await repo.people.count() == 1
        assert await count(repo, "role_grants") == grants_before
        assert await repo.invitations.get(invitation.id) == before


async def test_accept_without_a_name_for_a_new_person_leaves_the_invitation_unused(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        invitation = await make_invitation(repo, Role.COORDINATOR, [])
        with pytest.raises(ValueError):
            await repo.invitations.accept(invitation.id, 780, None, None, "ru")
        stored = await repo.invitations.get(invitation.id)
        assert stored is not None and stored.used_at is None
        assert await repo.people.count() == 0
        assert await repo.invitations.accept(invitation.id, 780, None, "Иванова Мария", "ru")


# --- transactions and concurrency -----------------------------------------------------


async def test_a_read_never_sees_a_write_that_is_later_rolled_back(tmp_path: Path) -> None:
    """Someone opens the calendar while a roadmap is being stored; its last action breaks
    a constraint, so nothing of the roadmap is kept, and no read may have shown it."""
    async with opened(tmp_path / "bot.sqlite3") as repo:
        may = [(date(2026, 5, 1), date(2026, 5, 31))]
        events = [
            NewEvent(
                row_no=n, title=f"Семинар {n}", period_text="май", kind="range", occurrences=may
            )
            for n in range(1, 30)
        ]
        events.append(NewEvent(row_no=30, title="Сломанная строка", period_text="?", kind="?"))
        saving = asyncio.create_task(
            repo.calendar.save_roadmap("План-график", date(2026, 1, 1), date(2026, 12, 31), events)
        )
        seen: list[int] = []
        while not saving.done():
            seen.append(len(await repo.calendar.roadmaps()))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            await saving
        assert await repo.calendar.roadmaps() == []
        assert seen and set(seen) == {0}, f"reads saw the doomed roadmap: {seen}"


async def test_an_exception_inside_a_write_rolls_everything_back(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:

        def doomed(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO app_meta (key, value) VALUES ('a', '1')")
            conn.execute("INSERT INTO app_meta (key, value) VALUES ('b', '2')")
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            await repo.db.write(doomed)
        assert await repo.meta.get("a") is None and await repo.meta.get("b") is None
        # and the database is usable afterwards
        await repo.meta.set("a", "3")
        assert await repo.meta.get("a") == "3"


class HeldWrite:
    """A write that runs its statements, then stays open in aiosqlite's thread until
    :meth:`finish` (a long write of another update, as everyone else sees it)."""

    def __init__(self, db: Database, *statements: str, fails: bool = False) -> None:
        self._started = threading.Event()
        self._release = threading.Event()

        def work(conn: sqlite3.Connection) -> None:
            for sql in statements:
                conn.execute(sql)
            self._started.set()
            self._release.wait(10)
            if fails:
                raise RuntimeError("the handler failed")

        self._task = asyncio.create_task(db.write(work))

    async def started(self) -> HeldWrite:
        assert await asyncio.to_thread(self._started.wait, 10)
        return self

    async def finish(self) -> None:
        self._release.set()
        await self._task


async def test_a_writer_waits_for_another_tasks_write(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        order: list[str] = []
        doomed = "INSERT INTO app_meta (key, value) VALUES ('doomed', '1')"
        held = await HeldWrite(repo.db, doomed, fails=True).started()

        async def other_writer() -> None:
            await repo.meta.set("kept", "1")
            order.append("written")

        other = asyncio.create_task(other_writer())
        await asyncio.sleep(0.05)
        order.append("rolled back")
        results = await asyncio.gather(held.finish(), other, return_exceptions=True)
        assert isinstance(results[0], RuntimeError) and results[1] is None
        assert order == ["rolled back", "written"]
        assert await repo.meta.get("doomed") is None
        assert await repo.meta.get("kept") == "1"


async def test_fifty_concurrent_upserts_and_grants_all_land(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        results = await asyncio.gather(
            *(
                repo.schools.upsert(SchoolData(f"МБОУ СОШ №{i}", "Ливенский район"))
                for i in range(50)
            )
        )
        assert [outcome for _, outcome in results] == ["created"] * 50
        ids = [school.id for school, _ in results]
        assert len(set(ids)) == 50 and await repo.schools.count() == 50
        assert [school.name for school, _ in results] == [f"МБОУ СОШ №{i}" for i in range(50)]

        curator = await repo.people.create(PersonData("Смирнова Ольга Ивановна"))
        principal = await repo.people.create(PersonData("Иванова Мария Петровна"))
        changed = await asyncio.gather(
            *(repo.people.grant(curator.id, Role.CURATOR, [i]) for i in ids),
            *(repo.people.grant(principal.id, Role.PRINCIPAL, [i]) for i in ids),
        )
        assert all(changed)
        assert (await repo.people.roles(curator.id)).curator_school_ids == set(ids)
        principal_rows = await repo.db.fetch_all(
            "SELECT school_id FROM role_grants WHERE person_id = ?", (principal.id,)
        )
        assert len(principal_rows) == 1
        row = await repo.db.fetch_one("PRAGMA integrity_check")
        assert row is not None and row[0] == "ok"
        assert not repo.db.conn.in_transaction


async def test_concurrent_upserts_of_the_same_school_all_succeed(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        results = await asyncio.gather(
            *(repo.schools.upsert(KAZANSKAYA) for _ in range(10)), return_exceptions=True
        )
        errors = [r for r in results if isinstance(r, BaseException)]
        assert errors == []
        assert {school.id for school, _ in results} == {1}


class CountedTrips:
    """Counts the calls into aiosqlite's thread of one connection."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        self._execute = db.conn._execute
        db.conn._execute = self  # type: ignore[method-assign]

    async def __call__(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.count += 1
        return await self._execute(fn, *args, **kwargs)


async def test_concurrent_writes_commit_together_and_a_failing_one_rolls_back_alone(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        trips = CountedTrips(repo.db)

        def doomed(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO app_meta (key, value) VALUES ('doomed', '1')")
            raise RuntimeError("this write fails")

        results = await asyncio.gather(
            *(repo.meta.set(f"key{i}", str(i)) for i in range(30)),
            repo.db.write(doomed),
            *(repo.meta.set(f"key{i}", str(i)) for i in range(30, 60)),
            return_exceptions=True,
        )
        assert isinstance(results[30], RuntimeError)
        assert [r for i, r in enumerate(results) if i != 30] == [None] * 60
        # every caller got its answer once its write was committed, in a few trips
        assert trips.count <= 4
        assert await repo.meta.get("doomed") is None
        rows = await repo.db.fetch_all("SELECT key, value FROM app_meta WHERE key LIKE 'key%'")
        assert {row["key"]: row["value"] for row in rows} == {f"key{i}": str(i) for i in range(60)}
        assert not repo.db.conn.in_transaction


async def test_concurrent_reads_share_a_trip_and_each_gets_its_own_answer(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        ids = await schools(repo, 20)
        trips = CountedTrips(repo.db)
        found = await asyncio.gather(
            *(repo.schools.get(school_id) for school_id in ids),
            repo.db.fetch_one("SELECT * FROM no_such_table"),
            return_exceptions=True,
        )
        assert [school.name for school in found[:20]] == [f"МБОУ СОШ №{i + 1}" for i in range(20)]
        assert isinstance(found[20], sqlite3.OperationalError)
        assert trips.count == 1


async def test_writes_queued_while_a_write_is_open_wait_for_it(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        doomed = "INSERT INTO app_meta (key, value) VALUES ('doomed', '1')"
        held = await HeldWrite(repo.db, doomed, fails=True).started()
        writes = [asyncio.create_task(repo.meta.set(f"k{i}", "v")) for i in range(5)]
        await asyncio.sleep(0.05)
        assert not any(write.done() for write in writes)
        with pytest.raises(RuntimeError):
            await held.finish()
        await asyncio.gather(*writes)
        assert await repo.meta.get("doomed") is None
        assert [await repo.meta.get(f"k{i}") for i in range(5)] == ["v"] * 5


async def test_a_write_that_ends_the_whole_transaction_fails_alone(tmp_path: Path) -> None:
    """SQLite rolls the whole transaction back on a full disk: the other writes queued
    with it are written again on their own, and only the one that filled it fails."""
    async with opened(tmp_path / "bot.sqlite3") as repo:
        await repo.db.execute("CREATE TABLE big (b BLOB)")
        pages = (await repo.db.fetch_one("PRAGMA page_count"))[0]  # type: ignore[index]
        await repo.db.conn.execute(f"PRAGMA max_page_count = {pages + 3}")
        results = await asyncio.gather(
            repo.meta.set("before", "1"),
            repo.db.execute("INSERT INTO big VALUES (zeroblob(1000000))"),
            repo.meta.set("after", "2"),
            return_exceptions=True,
        )
        assert results[0] is None and results[2] is None
        assert isinstance(results[1], sqlite3.OperationalError)
        assert "full" in str(results[1])
        assert (await repo.meta.get("before"), await repo.meta.get("after")) == ("1", "2")
        assert not repo.db.conn.in_transaction


async def test_a_caller_that_gave_up_before_its_write_ran_writes_nothing(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        held = await HeldWrite(repo.db).started()
        abandoned = asyncio.create_task(repo.meta.set("abandoned", "1"))
        kept = asyncio.create_task(repo.meta.set("kept", "1"))
        await asyncio.sleep(0.01)
        abandoned.cancel()
        await held.finish()
        await kept
        with pytest.raises(asyncio.CancelledError):
            await abandoned
        assert await repo.meta.get("abandoned") is None
        assert await repo.meta.get("kept") == "1"


async def test_a_call_that_raises_stopiteration_does_not_hold_up_the_others(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:

        def broken(conn: sqlite3.Connection) -> Any:
            return next(iter(conn.execute("SELECT 1 WHERE 0").fetchall()))

        async def within_a_second(*calls: Any) -> list[Any]:
            together = asyncio.gather(*calls, return_exceptions=True)
            return await asyncio.wait_for(together, 1)

        reads = await within_a_second(repo.db.read(broken), repo.meta.get("missing"))
        assert isinstance(reads[0], RuntimeError) and reads[1] is None
        writes = await within_a_second(repo.db.write(broken), repo.meta.set("key", "1"))
        assert isinstance(writes[0], RuntimeError) and writes[1] is None
        assert await repo.meta.get("key") == "1"


# --- aiosqlite's internals -------------------------------------------------------------


async def test_the_aiosqlite_internals_the_batching_runs_on_are_there(tmp_path: Path) -> None:
    """Fails with what changed when an aiosqlite release moves the private ``_execute`` or
    ``_conn`` that storage/batching.py uses (pyproject.toml pins the tested releases)."""
    conn = await aiosqlite.connect(tmp_path / "bot.sqlite3")
    try:
        check_internals(conn)
    finally:
        await conn.close()


def _execute_without_await(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("no _execute", "Connection._execute is gone"),
        ("_execute not a coroutine", "Connection._execute is no longer a coroutine function"),
        ("_conn of another type", "Connection._conn is a object, not a sqlite3.Connection"),
    ],
)
async def test_a_changed_aiosqlite_is_refused_naming_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str, named: str
) -> None:
    conn = await aiosqlite.connect(tmp_path / "bot.sqlite3")
    try:
        if change == "no _execute":
            monkeypatch.delattr(aiosqlite.Connection, "_execute")
        elif change == "_execute not a coroutine":
            monkeypatch.setattr(aiosqlite.Connection, "_execute", _execute_without_await)
        else:
            monkeypatch.setattr(aiosqlite.Connection, "_conn", property(lambda self: object()))
        with pytest.raises(AiosqliteChanged, match=re.escape(named)) as raised:
            check_internals(conn)
        assert aiosqlite.__version__ in str(raised.value)
    finally:
        monkeypatch.undo()
        await conn.close()


# --- backup ---------------------------------------------------------------------------


def school_names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [row[0] for row in conn.execute("SELECT name FROM schools ORDER BY id")]
    finally:
        conn.close()


async def test_backup_is_a_usable_copy_while_the_bot_is_writing(tmp_path: Path) -> None:
    source = tmp_path / "bot.sqlite3"
    async with opened(source) as repo:
        await schools(repo, 5)
        committed = [f"МБОУ СОШ №{i}" for i in range(1, 6)]
        # the bot is in the middle of a write transaction while the operator backs up
        held = HeldWrite(
            repo.db,
            "INSERT INTO schools (name, municipality, match_key, created_at, updated_at)"
            " VALUES ('не зафиксировано', 'x', 'uncommitted', 'now', 'now')",
        )
        await held.started()
        await asyncio.wait_for(
            asyncio.to_thread(backup, source, tmp_path / "copies" / "one.sqlite3"), 10
        )
        await held.finish()
        assert school_names(tmp_path / "copies" / "one.sqlite3") == committed

        # another process keeps committing while copies are taken
        stop = threading.Event()

        def writer() -> None:
            other = sqlite3.connect(source, timeout=5)
            try:
                i = 0
                while not stop.is_set():
                    i += 1
                    other.execute("INSERT INTO app_meta (key, value) VALUES (?, 'v')", (f"k{i}",))
                    other.commit()
            finally:
                other.close()

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            for n in range(3):
                target = tmp_path / "copies" / f"busy{n}.sqlite3"
                await asyncio.wait_for(asyncio.to_thread(backup, source, target), 10)
                assert school_names(target) == [*committed, "не зафиксировано"]
        finally:
            stop.set()
            thread.join()
        assert await repo.schools.count() == 6
