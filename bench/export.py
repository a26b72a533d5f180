"""How long the indicators export takes, against bare openpyxl writing the same cells.

    python -m bench.export [--schools 1000 --years 3] [--json]

Builds a temporary database with ``--schools`` schools in 20 municipalities, each
with every indicator of the catalog answered and submitted for each of ``--years``
past years, and a change history (every answer's and base's first save, and the
status changes). Then, for each year, it times:

(a) ``export_submissions``: one workbook per year, reading the database, all three
    sheets (indicators, not submitted, change history), saved into bytes;
(b) the same cells (the values read back from (a)'s workbook, sheet by sheet)
    written by bare openpyxl in write-only mode (``Workbook(write_only=True)``,
    plain values, no styles) and saved into bytes.

The data is written through the repositories, as an import of past years'
reports writes it (``SubmissionRepo.write_imported``: the answers' history comes from
the schema's triggers). It prints both totals over the years and the ratio (goal: at
most 1.5); with ``--json`` the last line is one JSON object with the figures (``ratio``,
``seconds`` for ours, ``bare_seconds``, ``cells``, ``schools``, ``years``). Each figure is
the best of ``--runs`` runs. The database lives in a temporary folder that is removed
at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from bot.indicators.catalog import Catalog, Indicator, Kind, load_catalog
from bot.indicators.workbook.export import export_submissions
from storage.db import Database
from storage.people import PersonData, PersonRow
from storage.repo import Repo
from storage.schools import SchoolData
from storage.submissions import ImportedForm

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


class SettableClock:
    """The database's clock, moved by the set-up so each report is sent in its month."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


async def build(
    repo: Repo, clock: SettableClock, catalog: Catalog, schools: int, years: list[int]
) -> None:
    """Set-up only: the schools, 50 principals, and every school's submitted reports."""
    rng = random.Random(20260301)
    written = await repo.schools.upsert_many(
        [
            SchoolData(
                f"МБОУ «Средняя общеобразовательная школа № {n + 1}»",
                f"Муниципальный район № {n % 20 + 1:02d}",
                short_name=f"СОШ № {n + 1}",
                is_shnor=bool(n % 2),
                is_shssu=n % 3 == 0,
                inn=f"57{n:08d}",
            )
            for n in range(schools)
        ]
    )
    school_ids = [school.id for school, _action in written]
    rows = [PersonRow(n, None, PersonData(f"Директор Школы Номер{n}")) for n in range(50)]
    people = (await repo.people.import_rows(rows)).ids
    for year in years:
        deadlines = [
            (key, catalog.campaign_indicators(key)[0].due(year)) for key in catalog.deadlines()
        ]
        for key, due in deadlines:
            indicators = catalog.campaign_indicators(key)
            used = sorted({i.base for i in indicators if i.base})
            by_person: dict[int, list[ImportedForm]] = defaultdict(list)
            for school_id in school_ids:
                bases = {base: rng.randrange(20, 80) for base in used}
                values = {i.code: sample_answer(i, rng, bases) for i in indicators}
                consistent(catalog, values)
                late = rng.random() < 0.1
                form = ImportedForm(key, school_id, bases, values, submit=True, late=late)
                by_person[people[school_id % len(people)]].append(form)
            month = int(key[:2]) if due else 12
            clock.now = datetime(year, month, 1, 7, 30, tzinfo=UTC)
            for person_id, forms in by_person.items():
                await repo.submissions.write_imported(year, deadlines, forms, person_id)


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


async def run(schools: int, years_count: int, runs: int) -> dict[str, float]:
    """The figures: ``ratio`` (ours / bare openpyxl), ``seconds`` (ours, over the years),
    ``bare_seconds``, ``cells``, ``schools``, ``years``."""
    catalog = load_catalog()
    first = time.gmtime().tm_year - years_count
    years = list(range(first, first + years_count))
    clock = SettableClock()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3", clock)
        try:
            await db.migrate()
            repo = Repo(db)
            started = time.perf_counter()
            await build(repo, clock, catalog, schools, years)
            clock.now = datetime.now(UTC)
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
    return {
        "ratio": round(ratio, 3),
        "seconds": round(export_total, 3),
        "bare_seconds": round(bare_total, 3),
        "cells": cells,
        "schools": schools,
        "years": years_count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.export", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per figure")
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON object, last"
    )
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args.schools, args.years, args.runs))
    if args.json:
        print(json.dumps(figures))
    return 0 if figures["ratio"] <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
