"""The form's database trips: a form opened in one read, an answer saved in one transaction,
and a save on a stale version refused as a conflict without writing anything."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from storage.db import Database
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData
from storage.submissions import Conflict

NOW = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)


@asynccontextmanager
async def opened(path: Path) -> AsyncIterator[Repo]:
    db = await Database.open(path, clock=lambda: NOW)
    try:
        await db.migrate()
        yield Repo(db)
    finally:
        await db.close()


async def school_with_submissions(repo: Repo) -> tuple[int, int, int]:
    """A school with last year's and this year's October submissions: (school, old, new)."""
    school, _ = await repo.schools.upsert(SchoolData("МБОУ «Школа № 1»", "Ливенский район"))
    (old_campaign,) = await repo.submissions.ensure_campaigns(2025, [("10-01", date(2025, 10, 1))])
    (campaign,) = await repo.submissions.ensure_campaigns(2026, [("10-01", date(2026, 10, 1))])
    old = await repo.submissions.open(old_campaign.id, school.id, None)
    new = await repo.submissions.open(campaign.id, school.id, None)
    return school.id, old.id, new.id


async def test_load_form_reads_the_submission_its_campaign_and_both_years_answers(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        school, old, new = await school_with_submissions(repo)
        await repo.submissions.save_answer(old, "young_teachers", {"share": 20.0}, None, None)
        await repo.submissions.save_answer(new, "vacancies", {"count": 2}, None, None)

        found = await repo.submissions.load_form(new)

        assert found is not None
        assert found.submission.id == new and found.submission.school_id == school
        assert (found.campaign.year, found.campaign.deadline_key) == (2026, "10-01")
        assert found.campaign.due_date == date(2026, 10, 1)
        assert found.answers == {"vacancies": {"count": 2}}
        assert found.previous == {"young_teachers": {"share": 20.0}}
        assert await repo.submissions.load_form(9999) is None


async def test_an_answer_is_saved_with_the_next_version_and_its_history(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        _school, _old, new = await school_with_submissions(repo)
        first = await repo.submissions.by_id(new)
        assert first is not None
        v = first.version

        saved = await repo.submissions.save_answer(new, "vacancies", {"count": 2}, None, v)
        again = await repo.submissions.save_answer(new, "vacancies", {"count": 3}, None, v + 1)

        assert (saved.version, again.version) == (v + 1, v + 2)
        assert await repo.submissions.answers(new) == {"vacancies": {"count": 3}}
        history = await repo.submissions.history(new)
        assert [(h.old_value, h.new_value) for h in history] == [
            (None, {"count": 2}),
            ({"count": 2}, {"count": 3}),
        ]


async def test_a_save_on_a_stale_version_is_a_conflict_and_writes_nothing(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:
        _school, _old, new = await school_with_submissions(repo)
        first = await repo.submissions.by_id(new)
        assert first is not None
        await repo.submissions.save_answer(new, "vacancies", {"count": 2}, None, first.version)

        with pytest.raises(Conflict) as caught:
            await repo.submissions.save_answer(new, "vacancies", {"count": 5}, None, first.version)

        assert caught.value.current.version == first.version + 1
        assert await repo.submissions.answers(new) == {"vacancies": {"count": 2}}
        assert len(await repo.submissions.history(new)) == 1


async def test_write_runs_in_one_transaction_and_rolls_back_on_an_error(tmp_path: Path) -> None:
    async with opened(tmp_path / "bot.sqlite3") as repo:

        def two_rows_then_fail(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO app_meta (key, value) VALUES ('a', '1')")
            conn.execute("INSERT INTO app_meta (key, value) VALUES ('b', '2')")
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            await repo.db.write(two_rows_then_fail)
        assert await repo.meta.get("a") is None and await repo.meta.get("b") is None

        def two_rows(conn: sqlite3.Connection) -> int:
            conn.execute("INSERT INTO app_meta (key, value) VALUES ('a', '1')")
            conn.execute("INSERT INTO app_meta (key, value) VALUES ('b', '2')")
            return 2

        assert await repo.db.write(two_rows) == 2
        assert (await repo.meta.get("a"), await repo.meta.get("b")) == ("1", "2")
        assert not repo.db.conn.in_transaction


async def test_a_review_decides_on_the_version_the_coordinator_saw(tmp_path: Path) -> None:
    """The coordinator opened version N; the principal changed an answer meanwhile: the
    decision is refused with the report as it is now, and nothing about it changes."""
    async with opened(tmp_path / "bot.sqlite3") as repo:
        _school, _old, new = await school_with_submissions(repo)
        coordinator = (await repo.people.create(PersonData("Петрова Анна Ивановна"))).id
        await repo.submissions.save_answer(new, "vacancies", {"count": 2}, None, None)
        shown = await repo.submissions.submit(new, None, None, late=False)
        changed = await repo.submissions.save_answer(new, "vacancies", {"count": 3}, None, None)
        assert changed.version > shown.version

        with pytest.raises(Conflict) as caught:
            await repo.submissions.review(
                new, coordinator, True, None, expected_version=shown.version
            )
        assert caught.value.current.version == (await repo.submissions.by_id(new)).version
        after = await repo.submissions.by_id(new)
        assert after is not None and after.status == "submitted" and after.reviewed_at is None

        accepted = await repo.submissions.review(
            new, coordinator, True, None, expected_version=after.version
        )
        assert accepted.status == "accepted"
        # a second decision on the same screen finds nothing waiting for review
        with pytest.raises(Conflict):
            await repo.submissions.review(
                new, coordinator, False, "ещё", expected_version=after.version
            )
