"""Invitation codes: unguessable, stored only as a hash, usable once, expiring."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.people.invitations import (
    DEFAULT_EXPIRES_DAYS,
    CodeProblem,
    check_code,
    create_invitation,
    deep_link,
)
from storage.db import Database
from storage.models import Role
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData

START = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
TELEGRAM_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@asynccontextmanager
async def opened(path: Path, clock: FakeClock | None = None) -> AsyncIterator[Repo]:
    db = await Database.open(path, clock=clock or FakeClock())
    try:
        await db.migrate()
        yield Repo(db)
    finally:
        await db.close()


async def add_school(repo: Repo, name: str) -> int:
    school, _ = await repo.schools.upsert(SchoolData(name, "Ливенский район"))
    return school.id


async def test_codes_are_unique_url_safe_and_fit_a_start_payload(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        codes = set()
        for _ in range(200):
            code, invitation = await create_invitation(repo, Role.COORDINATOR, [])
            assert 16 <= len(code) <= 64
            assert TELEGRAM_PAYLOAD.match(code), code
            assert invitation.role is Role.COORDINATOR
            codes.add(code)
        assert len(codes) == 200
        assert len(deep_link(max(codes, key=len), "school_support_bot").split("start=")[1]) <= 64


def database_bytes(folder: Path) -> bytes:
    """The database file and its -wal/-shm companions, as they lie on disk."""
    files = sorted(folder.glob("bot.sqlite3*"))
    assert files
    return b"".join(file.read_bytes() for file in files)


async def test_only_the_hash_of_a_code_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with opened(path) as repo:
        school = await add_school(repo, "МБОУ СОШ №1")
        codes = [
            (await create_invitation(repo, Role.PRINCIPAL, [school]))[0],
            (await create_invitation(repo, Role.CURATOR, [school]))[0],
            (await create_invitation(repo, Role.COORDINATOR, []))[0],
        ]
        rows = await repo.db.fetch_all("SELECT code_hash FROM invitations ORDER BY id")
        assert [row["code_hash"] for row in rows] == [
            hashlib.sha256(code.encode()).hexdigest() for code in codes
        ]
    stored = database_bytes(tmp_path)
    assert hashlib.sha256(codes[0].encode()).hexdigest().encode() in stored
    for code in codes:
        assert code.encode() not in stored


async def test_a_fresh_code_is_usable_until_its_expiry(tmp_path: Path) -> None:
    clock = FakeClock()
    async with opened(tmp_path / "bot.sqlite3", clock) as repo:
        first = await add_school(repo, "МБОУ СОШ №1")
        second = await add_school(repo, "МБОУ СОШ №2")
        code, invitation = await create_invitation(repo, Role.CURATOR, [second, first])
        assert set(invitation.school_ids) == {first, second}
        assert invitation.expires_at == "2026-09-15T08:30:00Z"  # 14 days after START
        assert DEFAULT_EXPIRES_DAYS == 14
        check = await check_code(repo, code)
        assert check.ok and check.problem is None
        assert check.invitation is not None and check.invitation.id == invitation.id
        # pasted with spaces around it, as people copy codes
        assert (await check_code(repo, f"  {code}\n")).ok
        clock.now = START + timedelta(days=14) - timedelta(seconds=1)
        assert (await check_code(repo, code)).ok
        clock.now = START + timedelta(days=14)
        expired = await check_code(repo, code)
        assert expired.problem is CodeProblem.EXPIRED and not expired.ok
        assert expired.invitation is not None and expired.invitation.id == invitation.id


async def test_expiry_can_be_chosen(tmp_path: Path) -> None:
    clock = FakeClock()
    async with opened(tmp_path / "bot.sqlite3", clock) as repo:
        code, invitation = await create_invitation(repo, Role.COORDINATOR, [], expires_days=1)
        assert invitation.expires_at == "2026-09-02T08:30:00Z"
        clock.now = START + timedelta(days=2)
        assert (await check_code(repo, code)).problem is CodeProblem.EXPIRED


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "   ",
        "short",
        "a" * 65,
        "abc def ghi jkl mno",
        "кириллица-кириллица",
        "AAAAAAAAAAAAAAAA",
    ],
)
async def test_forged_or_malformed_codes_are_unknown(tmp_path: Path, forged: str) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        await create_invitation(repo, Role.COORDINATOR, [])
        check = await check_code(repo, forged)
        assert check.problem is CodeProblem.UNKNOWN
        assert check.invitation is None and not check.ok


async def test_a_code_one_character_off_is_unknown(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        code, _ = await create_invitation(repo, Role.COORDINATOR, [])
        altered = code[:-1] + ("A" if code[-1] != "A" else "B")
        assert (await check_code(repo, altered)).problem is CodeProblem.UNKNOWN
        if code.swapcase() != code:
            assert (await check_code(repo, code.swapcase())).problem is CodeProblem.UNKNOWN


async def test_a_used_code_is_reported_as_used(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        code, invitation = await create_invitation(repo, Role.COORDINATOR, [])
        person_id = await repo.invitations.accept(invitation.id, 900, None, "Иванова Мария", "ru")
        assert person_id is not None
        check = await check_code(repo, code)
        assert check.problem is CodeProblem.USED
        assert check.invitation is not None and check.invitation.used_by == person_id


async def test_a_withdrawn_code_is_reported_as_revoked(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        person = await repo.people.create(PersonData("Иванова Мария Петровна"))
        code, _ = await create_invitation(repo, Role.COORDINATOR, [], person_id=person.id)
        other, _ = await create_invitation(repo, Role.COORDINATOR, [])
        assert await repo.invitations.revoke_pending_for(person.id) == 1
        assert (await check_code(repo, code)).problem is CodeProblem.REVOKED
        assert (await check_code(repo, other)).ok


@pytest.mark.parametrize(
    ("role", "schools", "days"),
    [
        (Role.PRINCIPAL, [], 14),
        (Role.PRINCIPAL, [1, 2], 14),
        (Role.CURATOR, [], 14),
        (Role.COORDINATOR, [1], 14),
        (Role.COORDINATOR, [], 0),
        (Role.COORDINATOR, [], 366),
    ],
)
async def test_wrong_roles_schools_or_lifetimes_are_refused(
    tmp_path: Path, role: Role, schools: list[int], days: int
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        await add_school(repo, "МБОУ СОШ №1")
        await add_school(repo, "МБОУ СОШ №2")
        with pytest.raises(ValueError):
            await create_invitation(repo, role, schools, expires_days=days)
        assert (await repo.db.fetch_one("SELECT count(*) FROM invitations"))[0] == 0


def test_deep_link_with_and_without_a_bot_username() -> None:
    assert deep_link("Abc_123-xyz", "school_support_bot") == (
        "https://t.me/school_support_bot?start=Abc_123-xyz"
    )
    assert deep_link("Abc_123-xyz", None) == "/start Abc_123-xyz"
    assert deep_link("Abc_123-xyz", "") == "/start Abc_123-xyz"
