"""Consultations in storage: the booking rules are held by the transaction that books and
by the unique index, and a booking's messages are queued with it."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.consultations.availability import read_availability
from bot.consultations.intervals import Interval
from bot.consultations.publishing import uncovered
from bot.consultations.slots import BookingProblem
from storage.consultations import BookingRequest, Done, Gone, Notices, Refused, Status
from storage.models import Role
from storage.outbox import OutboxMessage
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData
from tests.harness import open_repo

MOSCOW = ZoneInfo("Europe/Moscow")
TODAY = date(2026, 12, 1)  # a Tuesday
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=MOSCOW).astimezone(UTC)


@asynccontextmanager
async def curator(tmp_path: Path) -> AsyncIterator[tuple[Repo, int, list[int], int]]:
    """A curator with Tuesdays and Thursdays 15–17 published, and three schools."""
    db, repo = await open_repo(tmp_path / "bot.sqlite3")
    try:
        yield await _published(repo)
    finally:
        await db.close()


async def _published(repo: Repo) -> tuple[Repo, int, list[int], int]:
    host = await repo.people.create(PersonData("Селиванова Ольга Николаевна", telegram_id=10))
    schools = []
    for n in range(3):
        school, _ = await repo.schools.upsert(SchoolData(f"СОШ № {n + 1}", "Ливенский район"))
        schools.append(school.id)
    await repo.people.grant(host.id, Role.CURATOR, schools)
    availability = read_availability("вт, чт 15:00–17:00 до 20 декабря", today=TODAY, zone=MOSCOW)
    published = await repo.consultations.publish(
        host.id,
        availability.text,
        availability.first_day,
        availability.last_day,
        availability.intervals,
        length_min=30,
        buffer_min=10,
        notice_min=120,
        fmt="online",
        place="https://telemost.yandex.ru/j/1",
    )
    assert published is not None
    return repo, host.id, schools, published[0].id


def request(
    host: int, block: int, school: int, start: datetime, uid: str, **kw: object
) -> BookingRequest:
    values: dict[str, object] = {
        "uid": uid,
        "host_id": host,
        "school_id": school,
        "availability_id": block,
        "start": start,
        "topic": "Программа развития",
        "indicator": None,
        "booked_by": host,
        **kw,
    }
    return BookingRequest(**values)  # type: ignore[arg-type]


def confirmation(key: str) -> Notices:
    return lambda c: [OutboxMessage(f"{key}:{c.id}", 1, f"booked {c.id}", "consultation")]


async def test_a_slot_is_booked_once_and_the_loser_hears_the_nearest_free_times(
    tmp_path: Path,
) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        wanted = at(3, 15, 40)
        first = await repo.consultations.book(
            request(host, block, schools[0], wanted, "a"), NOW, confirmation("c")
        )
        assert isinstance(first, Done) and first.new
        second = await repo.consultations.book(
            request(host, block, schools[1], wanted, "b"), NOW, confirmation("c")
        )
        assert isinstance(second, Refused)
        assert second.refusal.reason is BookingProblem.OVERLAP
        # a slot every 40 minutes (30 and a 10-minute break): both neighbours stay free
        starts = [offer.start for offer in second.alternatives]
        assert at(3, 15) in starts and at(3, 16, 20) in starts and wanted not in starts
        assert await repo.consultations.count() == 1
        assert (await repo.outbox.counts())["pending"] == 1  # the winner's message only


async def test_fifty_bookings_of_one_slot_at_once_make_one_consultation(tmp_path: Path) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        results = await asyncio.gather(
            *(
                repo.consultations.book(
                    request(host, block, schools[n % 3], at(8, 16), f"r{n}"), NOW, confirmation("c")
                )
                for n in range(50)
            )
        )
        assert sum(isinstance(result, Done) for result in results) == 1
        assert sum(isinstance(result, Refused) for result in results) == 49
        assert await repo.consultations.count() == 1


async def test_the_unique_index_refuses_a_second_live_booking_of_a_start(tmp_path: Path) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        await repo.consultations.book(
            request(host, block, schools[0], at(3, 15), "a"), NOW, confirmation("c")
        )

        def second(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO consultations (uid, host_id, school_id, starts_at, ends_at, format,"
                " place, status, created_at, scheduled_at, updated_at)"
                " SELECT 'x', host_id, school_id, starts_at, ends_at, format, place, 'booked',"
                " created_at, scheduled_at, updated_at FROM consultations"
            )

        with pytest.raises(sqlite3.IntegrityError):
            await repo.db.write(second)


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (at(1, 8), BookingProblem.PAST),
        (at(1, 12), BookingProblem.OUTSIDE_AVAILABILITY),  # noon on the Tuesday: not offered
        (at(2, 15), BookingProblem.OUTSIDE_AVAILABILITY),  # a Wednesday
        (at(3, 16, 45), BookingProblem.OUTSIDE_AVAILABILITY),  # would end after 17:00
    ],
)
async def test_the_rules_are_checked_in_the_booking_transaction(
    tmp_path: Path, start: datetime, reason: BookingProblem
) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        result = await repo.consultations.book(
            request(host, block, schools[0], start, "a"), NOW, confirmation("c")
        )
        assert isinstance(result, Refused) and result.refusal.reason is reason
        assert (
            await repo.consultations.count() == 0 and (await repo.outbox.counts())["pending"] == 0
        )


async def test_the_notice_binds_the_school_but_not_the_curator(tmp_path: Path) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        soon = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)  # 14:30 Moscow: 15:30 is inside 2 hours
        school = await repo.consultations.book(
            request(host, block, schools[0], at(1, 15, 30), "a"), soon, confirmation("c")
        )
        assert isinstance(school, Refused)
        assert school.refusal.reason is BookingProblem.INSIDE_NOTICE
        by_curator = await repo.consultations.book(
            request(host, block, schools[0], at(1, 15, 30), "b", host_action=True),
            soon,
            confirmation("c"),
        )
        assert isinstance(by_curator, Done)


async def test_the_same_request_twice_books_once(tmp_path: Path) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        one = await repo.consultations.book(
            request(host, block, schools[0], at(3, 15), "k"), NOW, confirmation("c")
        )
        two = await repo.consultations.book(
            request(host, block, schools[0], at(3, 15), "k"), NOW, confirmation("c")
        )
        assert isinstance(one, Done) and isinstance(two, Done)
        assert one.new and not two.new and one.consultation.id == two.consultation.id
        assert (await repo.outbox.counts())["pending"] == 1


async def test_moving_keeps_the_id_frees_the_old_time_and_counts_the_sequence(
    tmp_path: Path,
) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        booked = await repo.consultations.book(
            request(host, block, schools[0], at(3, 15), "a"), NOW, confirmation("c")
        )
        assert isinstance(booked, Done)
        moved = await repo.consultations.move(
            booked.consultation.id,
            block,
            at(8, 16),
            by=host,
            reason="совещание",
            now=NOW,
            host_action=True,
            notices=confirmation("m"),
        )
        assert isinstance(moved, Done)
        assert moved.consultation.id == booked.consultation.id and moved.consultation.sequence == 1
        assert (
            moved.consultation.starts_at == at(8, 16) and moved.consultation.reason == "совещание"
        )
        again = await repo.consultations.book(
            request(host, block, schools[1], at(3, 15), "b"), NOW, confirmation("c")
        )
        assert isinstance(again, Done)  # the old time is free
        history = await repo.consultations.changes(booked.consultation.id)
        assert [change.action for change in history] == ["booked", "moved"]


async def test_cancelled_consultations_free_their_time_and_cannot_be_cancelled_twice(
    tmp_path: Path,
) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        booked = await repo.consultations.book(
            request(host, block, schools[0], at(3, 15), "a"), NOW, confirmation("c")
        )
        assert isinstance(booked, Done)
        cancelled = await repo.consultations.cancel(
            booked.consultation.id,
            by=host,
            reason="болезнь",
            status=Status.CANCELLED,
            now=NOW,
            notices=confirmation("x"),
        )
        assert cancelled.status is Status.CANCELLED and cancelled.reason == "болезнь"
        with pytest.raises(Gone):
            await repo.consultations.cancel(
                booked.consultation.id,
                by=host,
                reason="ещё раз",
                status=Status.CANCELLED,
                now=NOW,
                notices=confirmation("x"),
            )
        again = await repo.consultations.book(
            request(host, block, schools[1], at(3, 15), "b"), NOW, confirmation("c")
        )
        assert isinstance(again, Done)


async def test_marking_needs_a_started_consultation(tmp_path: Path) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        booked = await repo.consultations.book(
            request(host, block, schools[0], at(3, 15), "a"), NOW, confirmation("c")
        )
        assert isinstance(booked, Done)
        with pytest.raises(Gone):
            await repo.consultations.mark(booked.consultation.id, Status.HELD, by=host, now=NOW)
        held = await repo.consultations.mark(
            booked.consultation.id, Status.HELD, by=host, now=at(3, 16)
        )
        assert held.status is Status.HELD
        noted = await repo.consultations.set_outcome(held.id, "Разобрали план", by=host)
        assert noted.outcome == "Разобрали план"


async def test_withdrawing_keeps_the_bookings_and_offers_no_more_time(tmp_path: Path) -> None:
    async with curator(tmp_path) as (repo, host, schools, block):
        await repo.consultations.book(
            request(host, block, schools[0], at(3, 15), "a"), NOW, confirmation("c")
        )
        kept = await repo.consultations.withdraw(block, host)
        assert kept is not None and [c.starts_at for c in kept] == [at(3, 15)]
        assert await repo.consultations.withdraw(block, host) is None
        assert await repo.consultations.blocks(host, NOW, NOW + timedelta(days=30)) == []
        refused = await repo.consultations.book(
            request(host, block, schools[1], at(8, 15), "b"), NOW, confirmation("c")
        )
        assert isinstance(refused, Refused)


async def test_time_published_twice_is_kept_once(tmp_path: Path) -> None:
    async with curator(tmp_path) as (repo, host, _schools, _block):
        again = read_availability("3 декабря 14:00–18:00", today=TODAY, zone=MOSCOW)
        saved = await repo.consultations.publish(
            host, again.text, again.first_day, again.last_day, again.intervals,
            length_min=60, buffer_min=0, notice_min=0, fmt="in_person", place="ИРО, каб. 214",
        )  # fmt: skip
        assert saved is not None
        _publication, kept = saved
        assert kept == [Interval(at(3, 14), at(3, 15)), Interval(at(3, 17), at(3, 18))]


def test_uncovered_leaves_out_what_is_covered() -> None:
    day = [Interval(at(3, 9), at(3, 18))]
    covered = [Interval(at(3, 10), at(3, 11)), Interval(at(3, 12), at(3, 13))]
    assert uncovered(day, covered) == [
        Interval(at(3, 9), at(3, 10)),
        Interval(at(3, 11), at(3, 12)),
        Interval(at(3, 13), at(3, 18)),
    ]
    assert uncovered(covered, day) == []
    assert uncovered(day, []) == day
