"""How long the reminder scheduler takes to rebuild its job list, and to run one job.

    python -m bench.scheduler [--schools 1000 --years 3 --rounds 7] [--json]

Builds a temporary database with ``--schools`` schools in 20 municipalities, a principal
for each (with Telegram; every tenth has chosen another hour, every twentieth has muted
deadline reminders), a curator per 20 schools, three coordinators, a third of the schools
having submitted the October indicators, and a roadmap like seed 000's plan-schedule
repeated over ``--years`` years (single months, month ranges, month lists and quarterly
actions: several hundred occurrences). The clock stands at 20 September 2026, 12:00 UTC,
so the October deadline reminders, the digests of the overdue May campaigns and many
roadmap actions fall within the 45-day horizon. Then it times, as the median of
``--rounds`` rounds:

(a) ``ReminderScheduler.rebuild()``: reading the campaigns, occurrences and preferences,
    planning, and syncing a running (paused) AsyncIOScheduler;
(b) the baseline: the same number of bare jobs (a no-op coroutine, a date trigger, the
    same ids) put into another paused AsyncIOScheduler after emptying it;
(c) one run of the 7-day deadline reminder job: recipients, preferences, texts in each
    person's language, queued into the outbox (the rows are removed between rounds);
(d) the baseline: queuing the same number of ready-made messages into the outbox.

The region is written through the repositories. It prints the figures and the ratios;
no goal is asserted. With ``--json`` the last line is one JSON object with the figures
(``rebuild_ms``, ``bare_jobs_ms``, ``rebuild_ratio``, ``job_ms``, ``enqueue_ms``,
``job_ratio``, ``jobs``, ``messages``). It stops by itself in well under a minute; the
database lives in a temporary folder removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.indicators.catalog import DEFAULT_CATALOG, load_catalog
from bot.indicators.form import campaign_deadlines
from bot.settings import Settings
from scheduler.reminders import ReminderScheduler
from storage.calendar import NewEvent
from storage.db import Database
from storage.models import Role
from storage.outbox import OutboxMessage
from storage.people import PersonData, PersonRow
from storage.repo import Repo
from storage.schools import SchoolData
from storage.submissions import ImportedForm

NOW = datetime(2026, 9, 20, 12, 0, tzinfo=UTC)
D7 = "deadline:2026:10-01:d7@10"
FIRST_CHAT = 900_000
MONTHS = range(1, 13)


def month_span(year: int, month: int, last_month: int | None = None) -> tuple[date, date]:
    end_month = last_month or month
    end = date(year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
    return date(year, month, 1), end


def roadmap(years: list[int]) -> list[NewEvent]:
    """Actions like seed 000's: a month, a range of months, a list of months, quarterly."""
    events: list[NewEvent] = []
    roles = [(Role.COORDINATOR,), (Role.PRINCIPAL,), (Role.CURATOR, Role.COORDINATOR)]
    for n in range(60):
        spans: list[tuple[date, date]] = []
        for year in years:
            if n % 4 == 0:
                spans.append(month_span(year, n % 12 + 1))
            elif n % 4 == 1:
                first = n % 9 + 1
                spans.append(month_span(year, first, first + 2))
            elif n % 4 == 2:
                spans += [month_span(year, month) for month in (4, 5, 9, 10, 11)]
            else:
                spans += [month_span(year, month) for month in (3, 6, 9, 12)]
        events.append(
            NewEvent(
                row_no=n + 1,
                title=f"Мероприятие {n + 1}: семинар для руководителей и педагогов",
                period_text="по плану",
                kind="ranges",
                occurrences=spans,
                roles=roles[n % 3],
            )
        )
    return events


async def populate(repo: Repo, schools: int, years: int) -> int:
    """The region, written through the repositories (one write for the schools, one for
    the people and their roles, one for the submissions)."""
    written = await repo.schools.upsert_many(
        [SchoolData(f"МБОУ СОШ №{n}", f"Район {n % 20 + 1}") for n in range(1, schools + 1)]
    )
    school_ids = [school.id for school, _action in written]
    rows = []
    for n, school_id in enumerate(school_ids, start=1):
        locale = "en" if n % 7 == 0 else None
        data = PersonData(f"Руководитель {n}", telegram_id=FIRST_CHAT + n, locale=locale)
        rows.append(PersonRow(n, None, data, grant=(Role.PRINCIPAL, (school_id,))))
    for index in range(schools // 20):
        number = schools + 1 + index
        data = PersonData(f"Куратор {index}", telegram_id=FIRST_CHAT + number)
        curated = tuple(school_ids[index * 20 : index * 20 + 20])
        rows.append(PersonRow(number, None, data, grant=(Role.CURATOR, curated)))
    for k in range(3):
        number = schools + schools // 20 + 1 + k
        data = PersonData(f"Координатор {k}", telegram_id=FIRST_CHAT + number)
        rows.append(PersonRow(number, None, data, grant=(Role.COORDINATOR, ())))
    people = (await repo.people.import_rows(rows)).ids
    # every tenth principal has chosen another hour, every twentieth muted deadlines
    await asyncio.gather(
        *(repo.calendar.set_hour(people[n], 14) for n in range(10, schools + 1, 10)),
        *(repo.calendar.set_muted(people[n], "deadline", True) for n in range(5, schools + 1, 20)),
    )
    catalog = load_catalog(DEFAULT_CATALOG)
    deadlines = campaign_deadlines(catalog, 2026)
    october = [
        ImportedForm("10-01", school_id, submit=True)
        for n, school_id in enumerate(school_ids, start=1)
        if n % 3 == 0
    ]
    await repo.submissions.write_imported(2026, deadlines, october, None)
    first_year = 2026
    span = list(range(first_year, first_year + years))
    await repo.calendar.save_roadmap(
        "План-график", date(first_year, 1, 1), date(span[-1], 12, 31), roadmap(span)
    )
    return await repo.calendar.occurrence_count()


async def noop(job_id: str) -> None:
    return None


async def median(rounds: int, action: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def main(schools: int, years: int, rounds: int, as_json: bool = False) -> int:
    started = time.monotonic()
    settings = Settings(_env_file=None, bot_token=None)  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3", lambda: NOW)
        try:
            await db.migrate()
            repo = Repo(db)
            occurrences = await populate(repo, schools, years)
            reminders = ReminderScheduler(repo, load_catalog(DEFAULT_CATALOG), settings, db.clock)
            await reminders.start(paused=True)  # the first plan, and its catch-up
            jobs = len(reminders.scheduler.get_jobs())
            print(
                f"{schools} schools, {schools + schools // 20 + 3} people, {occurrences} "
                f"roadmap occurrences over {years} years; {len(reminders.plan)} jobs planned, "
                f"{jobs} scheduled"
            )

            rebuild = await median(rounds, reminders.rebuild)

            # the jobs derived from the tables (not the scheduler's own "watch" job)
            jobs_now = reminders.scheduler.get_jobs()
            scheduled = [reminders.plan[job.id] for job in jobs_now if job.id in reminders.plan]
            bare = AsyncIOScheduler(timezone="UTC")
            bare.start(paused=True)

            async def bare_jobs() -> None:
                bare.remove_all_jobs()
                for spec in scheduled:
                    bare.add_job(
                        noop, DateTrigger(run_date=spec.run_at), args=[spec.id], id=spec.id
                    )

            baseline = await median(rounds, bare_jobs)
            bare.shutdown(wait=False)
            print(f"(a) rebuild the job list:       {rebuild * 1000:8.1f} ms (median of {rounds})")
            print(f"(b) {jobs} bare jobs into APScheduler: {baseline * 1000:8.1f} ms")
            print(f"    ratio a/b: {rebuild / baseline:.1f}")

            async def run_d7() -> None:
                await db.execute("DELETE FROM outbox")
                await db.execute("DELETE FROM scheduler_runs WHERE job_id = ?", (D7,))
                await reminders.run(D7)

            job = await median(rounds, run_d7)
            queued = (await repo.outbox.counts())["pending"]
            ready = [
                OutboxMessage(f"bare:{n}", FIRST_CHAT + n, "Напоминание", "reminder", n)
                for n in range(1, queued + 1)
            ]

            async def enqueue_ready() -> None:
                await db.execute("DELETE FROM outbox")
                await repo.outbox.enqueue(ready)

            bare_enqueue = await median(rounds, enqueue_ready)
            print(f"(c) one 7-day reminder job:     {job * 1000:8.1f} ms ({queued} messages)")
            print(f"(d) queuing {queued} ready messages: {bare_enqueue * 1000:8.1f} ms")
            print(f"    ratio c/d: {job / bare_enqueue:.1f}")
            await reminders.shutdown()
        finally:
            await db.close()
    print(f"done in {time.monotonic() - started:.1f} s")
    if as_json:
        figures = {
            "rebuild_ms": round(rebuild * 1000, 2),
            "bare_jobs_ms": round(baseline * 1000, 2),
            "rebuild_ratio": round(rebuild / baseline, 2),
            "job_ms": round(job * 1000, 2),
            "enqueue_ms": round(bare_enqueue * 1000, 2),
            "job_ratio": round(job / bare_enqueue, 2),
            "jobs": jobs,
            "messages": queued,
        }
        print(json.dumps(figures))
    return 0


def cli(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.ERROR)  # missed jobs of the first plan are not news
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON object, last"
    )
    args = parser.parse_args(argv)
    return asyncio.run(main(args.schools, args.years, args.rounds, args.json))


if __name__ == "__main__":
    sys.exit(cli())
