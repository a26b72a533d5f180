"""How long the indicators export takes, against bare openpyxl writing the same cells.

    python -m bench.export [--schools 1000 --years 3]

Builds a temporary database with ``--schools`` schools in 20 municipalities, each
with every indicator of the catalog answered and submitted for each of ``--years``
past years, and a change history (every answer's first save, and the status
changes). Then, for each year, it times:

(a) ``export_submissions``: one workbook per year, reading the database, all three
    sheets (indicators, not submitted, change history), saved into bytes;
(b) the same cells (the values read back from (a)'s workbook, sheet by sheet)
    written by bare openpyxl in write-only mode (``Workbook(write_only=True)``,
    plain values, no styles) and saved into bytes.

It prints both totals over the years and the ratio (goal: at most 1.5). Each
figure is the best of ``--runs`` runs. The database lives in a temporary folder
that is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from bot.indicators.catalog import Catalog, Indicator, Kind, load_catalog
from bot.indicators.workbook.export import export_submissions
from storage.db import Database
from storage.models import match_key
from storage.people import PersonData
from storage.repo import Repo

ZONE = ZoneInfo("Europe/Moscow")
GOAL = 1.5
POSITIONS = ("учитель математики", "учитель физики", "учитель русского языка", "педагог-психолог")


def sample_answer(indicator: Indicator, rng: random.Random, bases: dict[str, int]) -> Any:
    kind = indicator.kind
    if kind is Kind.LINK:
        return {"url": f"https://school{rng.randrange(10**6)}.ru/{indicator.code}"}
    if kind is Kind.SHARE:
        base = bases.get(indicator.base or "", 40)
        count = rng.randrange(base // 2)
        if rng.random() < 0.5:
            return {"percent": round(100 * count / base, 1), "count": count, "base": base}
        return {"percent": round(rng.uniform(0, 45), 1)}
    if kind is Kind.COUNT:
        return {"count": rng.randrange(5)}
    if kind is Kind.COUNT_LIST:
        items = rng.sample(POSITIONS, rng.randrange(3))
        return {"count": len(items), "items": items}
    if kind is Kind.LEVEL_COUNTS:
        return {level: rng.randrange(3) for level in indicator.levels}
    if kind is Kind.YES_NO:
        return {"yes": rng.random() < 0.5}
    if kind is Kind.CHOICE:
        options = sorted(
            rng.sample(indicator.options, rng.randrange(3)), key=indicator.options.index
        )
        return {"options": options, "other": "Кванториум" if rng.random() < 0.2 else None}
    return {
        "file_name": f"справка_{rng.randrange(10**4)}.pdf",
        "size": rng.randrange(10**4, 10**7),
        "mime_type": "application/pdf",
        "file_id": f"BQACAgIAAxkBAAI{rng.randrange(10**9)}",
    }


def consistent(catalog: Catalog, values: dict[str, Any]) -> None:
    """Make the sample answers pass the catalog's checks ("not more than": swap them)."""
    for check in catalog.checks:
        if check.kind == "not_more_than":
            for first, second in zip(check.indicators, check.indicators[1:], strict=False):
                if first in values and second in values:
                    if values[first]["percent"] > values[second]["percent"]:
                        values[first], values[second] = values[second], values[first]


async def build(repo: Repo, catalog: Catalog, schools: int, years: list[int]) -> None:
    """Set-up only: bulk inserts straight into the tables, in one transaction per table."""
    rng = random.Random(20260301)
    now = repo.db.now()
    rows = []
    for n in range(schools):
        municipality = f"Муниципальный район № {n % 20 + 1:02d}"
        name = f"МБОУ «Средняя общеобразовательная школа № {n + 1}»"
        rows.append(
            (name, f"СОШ № {n + 1}", municipality, n % 2, n % 3 == 0, f"57{n:08d}", now, now)
        )
    conn = repo.db.conn
    async with repo.db.transaction():
        await conn.executemany(
            "INSERT INTO schools (name, short_name, municipality, is_shnor, is_shssu, inn,"
            " match_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (r[0], r[1], r[2], r[3], int(r[4]), r[5], match_key(r[2], r[0]), r[6], r[7])
                for r in rows
            ],
        )
    school_ids = [row["id"] for row in await repo.db.fetch_all("SELECT id FROM schools")]
    people = [
        (await repo.people.create(PersonData(f"Директор Школы Номер{n}"))).id for n in range(50)
    ]
    for year in years:
        deadlines = [
            (key, catalog.campaign_indicators(key)[0].due(year)) for key in catalog.deadlines()
        ]
        campaigns = await repo.submissions.ensure_campaigns(year, deadlines)
        submissions, answers, history = [], [], []
        next_id = (await repo.db.fetch_one("SELECT coalesce(max(id), 0) FROM submissions"))[0] + 1
        for campaign in campaigns:
            indicators = catalog.campaign_indicators(campaign.deadline_key)
            used = {i.base for i in indicators if i.base}
            for school_id in school_ids:
                person = people[school_id % len(people)]
                bases = {b: rng.randrange(20, 80) for b in sorted(used)}
                month = campaign.deadline_key[:2] if campaign.due_date else "12"
                submitted = f"{year}-{month}-01T07:30:00Z"
                submissions.append(
                    (
                        next_id,
                        campaign.id,
                        school_id,
                        "submitted",
                        len(indicators) + 2,
                        json.dumps(bases),
                        submitted,
                        person,
                        int(rng.random() < 0.1),
                        now,
                        person,
                    )
                )
                values = {i.code: sample_answer(i, rng, bases) for i in indicators}
                consistent(catalog, values)
                for indicator in indicators:
                    value = json.dumps(values[indicator.code], ensure_ascii=False, sort_keys=True)
                    answers.append((next_id, indicator.code, value, now, person))
                    history.append((next_id, indicator.code, None, value, person, now, None))
                history.append(
                    (
                        next_id,
                        "status",
                        json.dumps("draft"),
                        json.dumps("submitted"),
                        person,
                        submitted,
                        None,
                    )
                )
                next_id += 1
        async with repo.db.transaction():
            async with conn.execute("SELECT count(*) FROM submission_history") as cursor:
                before = (await cursor.fetchone())[0]
            await conn.executemany(
                "INSERT INTO submissions (id, campaign_id, school_id, status, version, bases,"
                " submitted_at, submitted_by, late, updated_at, updated_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                submissions,
            )
            await conn.executemany(
                "INSERT INTO answers (submission_id, indicator, value, updated_at, updated_by)"
                " VALUES (?, ?, ?, ?, ?)",
                answers,
            )
            # the answers' own history rows, unless the schema's triggers wrote them already
            async with conn.execute("SELECT count(*) FROM submission_history") as cursor:
                written = (await cursor.fetchone())[0]
            if written > before:
                history = [entry for entry in history if entry[1] == "status"]
            await conn.executemany(
                "INSERT INTO submission_history (submission_id, field, old_value, new_value,"
                " changed_by, changed_at, comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
                history,
            )


def read_back(data: bytes) -> list[tuple[str, list[tuple[Any, ...]]]]:
    book = load_workbook(BytesIO(data), read_only=True)
    try:
        return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
    finally:
        book.close()


def bare_write(sheets: list[tuple[str, list[tuple[Any, ...]]]]) -> bytes:
    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def run(schools: int, years_count: int, runs: int) -> float:
    catalog = load_catalog()
    first = time.gmtime().tm_year - years_count
    years = list(range(first, first + years_count))
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        try:
            await db.migrate()
            repo = Repo(db)
            started = time.perf_counter()
            await build(repo, catalog, schools, years)
            print(
                f"set-up: {schools} schools × {len(catalog.indicators)} indicators × "
                f"{years_count} years in {time.perf_counter() - started:.1f} s"
            )
            export_total = bare_total = 0.0
            cells = 0
            for year in years:
                best_export = best_bare = float("inf")
                data = b""
                for _ in range(runs):
                    started = time.perf_counter()
                    data = await export_submissions(repo, catalog, year, "ru", ZONE)
                    best_export = min(best_export, time.perf_counter() - started)
                sheets = read_back(data)
                for _ in range(runs):
                    started = time.perf_counter()
                    bare_write(sheets)
                    best_bare = min(best_bare, time.perf_counter() - started)
                year_cells = sum(
                    sum(v is not None for v in row) for _, rows in sheets for row in rows
                )
                cells += year_cells
                print(
                    f"{year}: export {best_export:.2f} s, bare openpyxl {best_bare:.2f} s,"
                    f" {year_cells} cells, {len(data) // 1024} KiB"
                )
                export_total += best_export
                bare_total += best_bare
        finally:
            await db.close()
    ratio = export_total / bare_total
    print(
        f"total over {years_count} workbooks ({cells} cells): export {export_total:.2f} s,"
        f" bare {bare_total:.2f} s, ratio {ratio:.2f} (goal ≤ {GOAL})"
    )
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.export", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per figure")
    args = parser.parse_args(argv)
    ratio = asyncio.run(run(args.schools, args.years, args.runs))
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
