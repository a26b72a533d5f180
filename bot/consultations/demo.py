"""The demo region's consultations, computed from today: each curator's weekly time for
the coming weeks and for the weeks before, some of their schools' consultations held
(with an outcome) or missed in the past weeks, and a few booked for the days to come.

Loading twice creates nothing new: published time already there is left out, and each
consultation has a stable key (its uid), so booking it again finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.consultations.availability import read_availability
from storage.consultations import BookingRequest, Done, Status
from storage.models import Role, School
from storage.repo import Repo

MOSCOW = ZoneInfo("Europe/Moscow")
WEEKLY = {0: "по вторникам и четвергам 14:00–17:00", 1: "по понедельникам и средам с 10 до 12"}
LINKS = {0: "https://telemost.yandex.ru/j/48151623", 1: "https://telemost.yandex.ru/j/42424242"}
# (weeks before today, the school's number among the curator's, status, outcome, topic)
PAST = (
    (7, 0, Status.HELD, "Разобрали программу развития, договорились о плане на четверть.", "ПР"),
    (6, 1, Status.HELD, "Обсудили адаптацию первоклассников, дали памятку родителям.", ""),
    (5, 2, Status.MISSED, "Школа не вышла на связь: перенесём.", "ВПР"),
    (4, 0, Status.HELD, "Посмотрели результаты ВПР по математике, выбрали темы повторения.", "ВПР"),
    (3, 3, Status.HELD, "Помогли заполнить показатели по кадрам.", ""),
    (2, 1, Status.MISSED, "", ""),
    (1, 0, Status.HELD, "Наметили открытые уроки на декабрь.", ""),
)
TOPICS = {"ПР": "Программа развития", "ВПР": "Результаты ВПР"}
UPCOMING = 3  # consultations booked for the coming days, per curator


class DemoPerson(Protocol):
    person_id: int
    role: Role
    schools: tuple[str, ...]  # short names


async def demo_consultations(
    repo: Repo,
    people: Sequence[DemoPerson],
    all_schools: Sequence[School],
    today: date,
    zone: ZoneInfo = MOSCOW,
) -> int:
    """Publish each demo curator's time and book their consultations (the coming ones
    by the school's principal). Returns how many consultations the demo region has."""
    by_short = {school.short_name: school for school in all_schools}
    principals = {
        by_short[person.schools[0]].id: person.person_id
        for person in people
        if person.role == Role.PRINCIPAL and person.schools and person.schools[0] in by_short
    }
    curators = [
        (person.person_id, [by_short[name] for name in person.schools if name in by_short])
        for person in people
        if person.role == Role.CURATOR
    ]
    for number, (host_id, schools) in enumerate(curators):
        if not schools:
            continue
        text = WEEKLY[number % len(WEEKLY)]
        earlier = await _publish(repo, host_id, text, today - timedelta(weeks=8), zone, number)
        coming = await _publish(repo, host_id, text, today, zone, number)
        if earlier is not None:
            await _past(repo, host_id, earlier, schools, today, zone, number)
        if coming is not None:
            await _coming(repo, host_id, coming, schools, principals, today, zone, number)
    return await repo.consultations.count()


async def _publish(
    repo: Repo, host_id: int, text: str, start: date, zone: ZoneInfo, number: int
) -> int | None:
    """The publication of ``text`` read as on ``start`` (the one made earlier, if any)."""
    availability = read_availability(text, today=start, zone=zone)
    made = await repo.consultations.publish(
        host_id,
        text,
        availability.first_day,
        availability.last_day,
        availability.intervals,
        length_min=30,
        buffer_min=10,
        notice_min=120,
        fmt="online",
        place=LINKS[number % len(LINKS)],
    )
    if made is not None:
        return made[0].id
    for publication in await repo.consultations.publications(
        host_id, since=datetime.combine(start, time(0), tzinfo=zone)
    ):
        if publication.first_day == availability.first_day:
            return publication.id
    return None


async def _first_slot(repo: Repo, host_id: int, day: date, zone: ZoneInfo) -> datetime | None:
    """The first start of the host's time on ``day``."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    covered = await repo.consultations.covered(host_id, start, start + timedelta(days=1))
    return covered[0].start if covered else None


async def _past(
    repo: Repo,
    host_id: int,
    publication_id: int,
    schools: Sequence[School],
    today: date,
    zone: ZoneInfo,
    number: int,
) -> None:
    for weeks, index, status, outcome, topic in PAST:
        week = today - timedelta(weeks=weeks)
        start = None
        for offset in range(7):
            start = await _first_slot(repo, host_id, week + timedelta(days=offset), zone)
            if start is not None:
                break
        if start is None:
            continue
        school = schools[index % len(schools)]
        request = BookingRequest(
            uid=f"demo-{number}-past-{weeks}",
            host_id=host_id,
            school_id=school.id,
            availability_id=publication_id,
            start=start,
            topic=TOPICS.get(topic, ""),
            indicator=None,
            booked_by=host_id,
            host_action=True,
        )
        done = await repo.consultations.book(request, start - timedelta(days=3), lambda _: ())
        if not isinstance(done, Done) or not done.new:
            continue
        await repo.consultations.mark(
            done.consultation.id, status, by=host_id, now=start + timedelta(hours=1)
        )
        if outcome:
            await repo.consultations.set_outcome(done.consultation.id, outcome, by=host_id)


async def _coming(
    repo: Repo,
    host_id: int,
    publication_id: int,
    schools: Sequence[School],
    principals: dict[int, int],
    today: date,
    zone: ZoneInfo,
    number: int,
) -> None:
    booked = 0
    for offset in range(1, 21):
        if booked >= UPCOMING:
            return
        day = today + timedelta(days=offset)
        start = await _first_slot(repo, host_id, day, zone)
        if start is None:
            continue
        school = schools[(booked + 1) % len(schools)]
        request = BookingRequest(
            uid=f"demo-{number}-coming-{booked}",
            host_id=host_id,
            school_id=school.id,
            availability_id=publication_id,
            start=start,
            topic=("Программа развития", "Результаты ВПР", "")[booked % 3],
            indicator=None,
            booked_by=principals.get(school.id, host_id),
            status=Status.BOOKED,
            host_action=True,
        )
        moment = datetime.combine(today, time(9), tzinfo=zone)
        await repo.consultations.book(request, moment, lambda _: ())
        booked += 1
