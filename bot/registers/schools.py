"""Importing the register of schools: plan every row, then write them all in one
transaction (all or nothing), and report each row."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n import N_
from bot.registers.report import (
    Action,
    ImportReport,
    Refused,
    RowResult,
)
from bot.registers.table import RegisterRow, RegisterTable, read_table
from bot.registers.values import read_category, read_flag, read_inn
from bot.write_refusals import database_refused, not_written, write_refusal
from bot.xlsx.cells import one_line
from storage.errors import WriteAborted
from storage.models import School, match_key
from storage.repo import Repo
from storage.schools import SchoolData

_KEEP = object()  # a column the file does not have: the stored value stays


@dataclass(slots=True)
class _SchoolPlan:
    row: int
    data: SchoolData
    action: Action


async def import_schools(
    repo: Repo, source: Path | bytes, *, dry_run: bool = False
) -> ImportReport:
    """Create or update the schools a register lists; every row is checked before writing,
    and the accepted rows are written together: should the database refuse one, nothing is
    written and the report says which row and why."""
    table = read_table(source, "schools")
    results: dict[int, RowResult] = {}
    plans: list[_SchoolPlan] = []
    seen_inn: dict[str, int] = {}
    seen_key: dict[str, int] = {}
    for row in table.rows:
        subject = one_line(row.text.get("name", "")) or one_line(row.text.get("short_name", ""))
        try:
            plan = await _plan_school(repo, table, row, seen_inn, seen_key)
        except Refused as refusal:
            results[row.number] = RowResult(row.number, "refused", subject, refusal.message)
            continue
        plans.append(plan)
        if plan.data.inn:
            seen_inn[plan.data.inn] = row.number
        seen_key[match_key(plan.data.municipality, plan.data.name)] = row.number
        results[row.number] = RowResult(row.number, plan.action, plan.data.name)
    report = ImportReport("schools", table.sheet, table.header_row, [], dry_run)
    if not dry_run and plans:
        try:
            written = await repo.schools.upsert_many([plan.data for plan in plans])
        except WriteAborted as aborted:
            plan = plans[aborted.index]
            reason = write_refusal(aborted.cause)
            results[plan.row] = RowResult(plan.row, "refused", plan.data.name, reason)
            report.not_written = not_written(plan.row)
        except sqlite3.Error as error:
            report.not_written = database_refused(error)
        else:
            for plan, (school, action) in zip(plans, written, strict=True):
                results[plan.row] = RowResult(
                    plan.row, _action(action), plan.data.name, record_id=school.id
                )
    report.rows = [results[r.number] for r in table.rows]
    return report


def _action(text: str) -> Action:
    if text == "created":
        return "created"
    if text == "updated":
        return "updated"
    return "unchanged"


async def _plan_school(
    repo: Repo,
    table: RegisterTable,
    row: RegisterRow,
    seen_inn: dict[str, int],
    seen_key: dict[str, int],
) -> _SchoolPlan:
    name = one_line(row.text.get("name", ""))
    if not name:
        raise Refused(N_("The school's name is empty"))
    municipality = one_line(row.text.get("municipality", "")) or row.section or ""
    if not municipality:
        raise Refused(N_("The municipality is empty"))
    short_name: Any = _KEEP
    if table.has("short_name"):
        short_name = one_line(row.text["short_name"]) or None
    inn: Any = _KEEP
    if table.has("inn"):
        inn = read_inn(row.raw["inn"], row.text["inn"])
    shnor: Any = _KEEP
    shssu: Any = _KEEP
    if table.has("shnor") or table.has("shssu") or table.has("category"):
        shnor = shssu = False
        if table.has("category"):
            shnor, shssu = read_category(row.text["category"])
        if table.has("shnor"):
            shnor = read_flag(row.text["shnor"], "ШНОР", "ШНОР") or shnor
        if table.has("shssu"):
            shssu = read_flag(row.text["shssu"], "ШССУ", "ШССУ") or shssu

    key = match_key(municipality, name)
    if key in seen_key:
        raise Refused(N_("Duplicate of row {row}"), row=seen_key[key])
    if isinstance(inn, str) and inn in seen_inn:
        raise Refused(N_("Duplicate of row {row} (the same INN {inn})"), row=seen_inn[inn], inn=inn)

    by_name = await repo.schools.find(SchoolData(name, municipality))
    existing = by_name
    if isinstance(inn, str):
        by_inn = await repo.schools.find(SchoolData(name, municipality, inn=inn))
        if by_inn is not None and by_inn.inn == inn:
            if by_name is not None and by_name.id != by_inn.id:
                raise Refused(
                    N_(
                        "INN {inn} belongs to “{other}”, but the name and municipality are"
                        " those of “{school}”"
                    ),
                    inn=inn,
                    other=by_inn.name,
                    school=by_name.name,
                )
            existing = by_inn
    data = SchoolData(
        name=name,
        municipality=municipality,
        short_name=_kept(short_name, existing.short_name if existing else None),
        is_shnor=_kept(shnor, existing.is_shnor if existing else False),
        is_shssu=_kept(shssu, existing.is_shssu if existing else False),
        inn=_kept(inn, None),
    )
    return _SchoolPlan(row.number, data, _school_action(existing, data))


def _kept(value: Any, stored: Any) -> Any:
    return stored if value is _KEEP else value


def _school_action(existing: School | None, data: SchoolData) -> Action:
    """What :meth:`SchoolRepo.upsert` will do with this row (for a dry run)."""
    if existing is None:
        return "created"
    same = (
        existing.name == data.name
        and existing.short_name == data.short_name
        and existing.municipality == data.municipality
        and existing.is_shnor == data.is_shnor
        and existing.is_shssu == data.is_shssu
        and existing.inn == (data.inn or existing.inn)
    )
    return "unchanged" if same else "updated"
