"""Reading the indicators workbook back (the import of submissions): columns found by
their codes or headers, schools found in the register, every cell checked as the chat
form checks a typed answer, a report row by row."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.i18n import N_, Msg, translate
from bot.indicators.answers.cross_checks import cross_check, disagreeing_bases
from bot.indicators.answers.links import check_document
from bot.indicators.answers.messages import CHOICE_NONE_AND_OPTIONS, AnswerError
from bot.indicators.answers.reading import parse_answer, parse_base
from bot.indicators.catalog import Catalog, Indicator, Kind
from bot.indicators.workbook.export import YearData, year_data
from bot.indicators.workbook.layout import (
    HEADER_SEARCH_ROWS,
    INN,
    MAX_ROWS,
    MUNICIPALITY,
    NAME,
    PERCENT_TOLERANCE,
    SHNOR,
    SHORT_NAME,
    SHSSU,
    YEAR_PROPERTY,
    indicator_columns,
    indicator_sheet_columns,
)
from bot.write_refusals import database_refused, not_written, write_refusal
from bot.xlsx.cells import NO_WORDS, YES_WORDS, cell_text, compact
from bot.xlsx.sheets import WorkbookError, open_workbook
from storage.errors import WriteAborted
from storage.models import School
from storage.repo import Repo
from storage.schools import SchoolData
from storage.submissions import ImportedForm, Submission

# --------------------------------------------------------------------------- import


class SubmissionImportError(WorkbookError):
    """A file that cannot be used as a whole; nothing was written."""


@dataclass(frozen=True, slots=True)
class CellRefusal:
    column: str  # the header as the file has it
    code: str  # the indicator or "base:<code>"
    problem: Msg


@dataclass(slots=True)
class RowReport:
    row: int  # the row number Excel shows
    school: str  # the school as the file names it
    school_id: int | None = None
    refused: Msg | None = None  # the whole row was refused
    cells: list[CellRefusal] = field(default_factory=list)
    saved: list[str] = field(default_factory=list)  # codes written (would be, on a dry run)
    unchanged: int = 0

    def refusal(self, code: str) -> CellRefusal | None:
        return next((cell for cell in self.cells if cell.code == code), None)


@dataclass(slots=True)
class SubmissionImportReport:
    year: int
    sheet: str
    header_row: int
    rows: list[RowReport]
    dry_run: bool = False
    submitted: int = 0  # submissions marked as submitted (would be, on a dry run)
    not_written: Msg | None = None  # why nothing was written although rows were accepted

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "schools": sum(1 for r in self.rows if r.refused is None),
            "refused_rows": sum(1 for r in self.rows if r.refused is not None),
            "saved": sum(len(r.saved) for r in self.rows),
            "unchanged": sum(r.unchanged for r in self.rows),
            "refused_cells": sum(len(r.cells) for r in self.rows),
            "submitted": self.submitted,
        }

    def by_row(self, row: int) -> RowReport:
        for found in self.rows:
            if found.row == row:
                return found
        raise KeyError(row)

    def render(self, locale: str) -> str:
        lines = [
            translate(
                locale,
                N_("Indicators {year}: sheet “{sheet}”, header in row {row}."),
                year=self.year,
                sheet=self.sheet,
                row=self.header_row,
            )
        ]
        if self.dry_run:
            lines.append(translate(locale, N_("Dry run: nothing was written.")))
        if self.not_written is not None:
            lines.append(self.not_written.render(locale))
        for row in self.rows:
            if row.refused is None and not row.saved and not row.cells and not row.unchanged:
                continue  # a school with nothing filled in
            if row.refused is not None:
                lines.append(
                    translate(
                        locale,
                        N_("Row {row}: refused — {subject}: {reason}"),
                        row=row.row,
                        subject=row.school,
                        reason=row.refused.render(locale),
                    )
                )
                continue
            lines.append(
                translate(
                    locale,
                    N_("Row {row}: {school} — {saved} saved, {unchanged} unchanged"),
                    row=row.row,
                    school=row.school,
                    saved=len(row.saved),
                    unchanged=row.unchanged,
                )
            )
            for cell in row.cells:
                text = translate(
                    locale,
                    N_("“{column}” refused: {reason}"),
                    column=cell.column,
                    reason=cell.problem.render(locale),
                )
                lines.append(f"    {text}")
        lines.append(
            translate(
                locale,
                N_(
                    "Total: {schools} schools, {saved} values saved, {unchanged} unchanged,"
                    " {refused_cells} cells and {refused_rows} rows refused,"
                    " {submitted} submissions marked submitted."
                ),
                **self.counts,
            )
        )
        return "\n".join(lines)


@dataclass(slots=True)
class _Table:
    sheet: str
    year: int
    header_row: int
    columns: dict[str, int]  # code -> column index (0-based)
    headers: dict[str, str]  # code -> the header text in the file
    rows: list[tuple[int, list[Any]]]  # (row number, cells)


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_BRACKETS = re.compile(r"\([^()]*\)")


def _year_of(title: str, book: Any) -> int | None:
    found = _YEAR.search(title)
    if found:
        return int(found.group(1))
    for prop in book.custom_doc_props:
        if prop.name == YEAR_PROPERTY:
            try:
                return int(prop.value)
            except (TypeError, ValueError):
                return None
    return None


# a campaign's own columns (its state), written by the export and never read back
CAMPAIGN_COLUMNS = ("status", "submitted_at", "submitted_by", "late")


def _known_codes(catalog: Catalog) -> set[str]:
    codes = {MUNICIPALITY, NAME, SHORT_NAME, INN, SHNOR, SHSSU}
    codes |= {f"base:{base.code}" for base in catalog.bases}
    for indicator in catalog.indicators:
        codes |= {column.key for column in indicator_columns(catalog, indicator, "en")}
    for key in catalog.deadlines():
        codes |= {f"status:{key}", f"submitted_at:{key}", f"submitted_by:{key}", f"late:{key}"}
    return codes


def _header_names(catalog: Catalog, year: int | None) -> dict[str, str]:
    """compact header text -> code, in both languages: for a file whose code row is lost."""
    names: dict[str, str] = {}
    for locale in ("ru", "en"):
        columns = indicator_sheet_columns(catalog, year or 2000, locale)
        for column in columns:
            if year is None and column.key.split(":")[0] in CAMPAIGN_COLUMNS:
                continue
            names.setdefault(compact(column.header), column.key)
        for base in catalog.bases:  # a file exported before a base was renamed
            for title in base.earlier_titles:
                names.setdefault(compact(title.get(locale)), f"base:{base.code}")
    return names


def _is_data_code(code: str) -> bool:
    """A column of values (a base or an indicator), not the school's or a campaign's."""
    return not code.startswith(("@", *(f"{kind}:" for kind in CAMPAIGN_COLUMNS)))


def _map_row(cells: list[Any], known: dict[str, str] | set[str], by_text: bool) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = cell_text(cell.value if hasattr(cell, "value") else cell)
        if not text:
            continue
        key = compact(text) if by_text else text.strip()
        code = known.get(key) if isinstance(known, dict) else (key if key in known else None)
        if code is not None and code not in found:
            found[code] = index
    return found


def _usable(columns: dict[str, int]) -> bool:
    has_school = NAME in columns or INN in columns
    has_data = any(_is_data_code(code) for code in columns)
    return has_school and has_data


def _read_table(book: Any, catalog: Catalog) -> _Table:
    codes = _known_codes(catalog)
    sheets = [sheet for sheet in book.worksheets if hasattr(sheet, "iter_rows")]
    for by_text in (False, True):
        for sheet in sheets:
            year = _year_of(sheet.title, book)
            known: dict[str, str] | set[str] = _header_names(catalog, year) if by_text else codes
            head = list(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS))
            for index, cells in enumerate(head):
                columns = _map_row(list(cells), known, by_text)
                if not _usable(columns):
                    continue
                if year is None:
                    raise SubmissionImportError(
                        N_(
                            "Cannot tell the year of the report: put the year into the sheet's"
                            " name, as the export does"
                        )
                    )
                header_row = index + 2 if not by_text else index + 1
                header_cells = head[header_row - 1] if header_row - 1 < len(head) else cells
                headers = {}
                for code, col in columns.items():
                    text = ""
                    if col < len(header_cells):
                        text = cell_text(header_cells[col].value)
                    headers[code] = _one_line(text) or code
                rows = []
                first = header_row + 1
                for number, row in enumerate(
                    sheet.iter_rows(min_row=first, max_row=MAX_ROWS), start=first
                ):
                    rows.append((number, list(row)))
                return _Table(sheet.title, year, header_row, columns, headers, rows)
    raise SubmissionImportError(
        N_(
            "No indicators table was found: the file needs a column with the school's name"
            " or INN and columns of indicators, as in the report the bot exports"
        )
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _number_text(number: float) -> str:
    number = round(float(number), 6)
    return str(int(number)) if number.is_integer() else repr(number)


def _is_percent_cell(cell: Any) -> bool:
    try:
        return "%" in (cell.number_format or "")
    except (AttributeError, IndexError, KeyError):
        return False


class _Reader:
    """Reads one row's cells into answers, the way the chat form reads typed ones."""

    def __init__(self, catalog: Catalog, table: _Table) -> None:
        self.catalog = catalog
        self.columns = table.columns
        self.headers = table.headers

    def cell(self, cells: list[Any], code: str) -> Any:
        index = self.columns.get(code)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def text(self, cells: list[Any], code: str) -> str:
        cell = self.cell(cells, code)
        return "" if cell is None else cell_text(cell.value)

    def has_any(self, cells: list[Any], indicator: Indicator) -> bool:
        return any(
            self.text(cells, column.key)
            for column in indicator_columns(self.catalog, indicator, "en")
        )

    def header(self, indicator: Indicator) -> str:
        for column in indicator_columns(self.catalog, indicator, "en"):
            if column.key in self.headers:
                return self.headers[column.key]
        return indicator.short.ru

    def read(
        self, indicator: Indicator, cells: list[Any], bases: dict[str, int], existing: Any
    ) -> Any:
        """The answer these cells give, None if they are empty; AnswerError if refused."""
        if not self.has_any(cells, indicator):
            return None
        kind, code = indicator.kind, indicator.code
        if kind is Kind.SHARE:
            return self._share(indicator, cells, bases)
        if kind is Kind.COUNT_LIST:
            count, items = self.text(cells, code), self.text(cells, f"{code}:items")
            if count:  # the number column holds a number, whatever the list says
                as_count = indicator.model_copy(update={"kind": Kind.COUNT, "base": None})
                count = str(parse_answer(as_count, count, self.catalog, bases)["count"])
            text = f"{count}: {items}" if count and items else count or items
            return parse_answer(indicator, text, self.catalog, bases)
        if kind is Kind.LEVEL_COUNTS:
            parts = [self.text(cells, f"{code}:{level}") or "0" for level in indicator.levels]
            return parse_answer(indicator, " ".join(parts), self.catalog, bases)
        if kind is Kind.DOCUMENT:
            return self._document(indicator, cells, existing)
        if kind is Kind.CHOICE:
            return self._choice(indicator, self.text(cells, code), bases)
        if kind is Kind.YES_NO:
            raw = self.cell(cells, code).value
            if isinstance(raw, bool) or raw in (0, 1):
                return {"yes": bool(raw)}
        return parse_answer(indicator, self.text(cells, code), self.catalog, bases)

    def _share(self, indicator: Indicator, cells: list[Any], bases: dict[str, int]) -> Any:
        """A count ("12 из 40") wins over the percent next to it, which must agree with it.

        A number in a percent-formatted cell is a fraction (0.305 is 30.5 %). In a cell
        of another format (values pasted elsewhere lose it) a number below 1 is taken as
        a fraction too, and one from 1 up as the percent itself (30.5), as a person
        typing it means it: a school's share is almost never below 1 %.
        """
        code = indicator.code
        of_text = self.text(cells, f"{code}:of")
        cell = self.cell(cells, code)
        raw = None if cell is None else cell.value
        percent_text = ""
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            percent = raw * 100 if raw < 1 or _is_percent_cell(cell) else raw
            percent_text = f"{_number_text(percent)}%"
        elif raw is not None:
            percent_text = cell_text(raw)
        if not of_text:
            return parse_answer(indicator, percent_text, self.catalog, bases)
        value = parse_answer(indicator, of_text, self.catalog, bases)
        if percent_text:
            given = parse_answer(indicator, percent_text, self.catalog, bases)
            if abs(given["percent"] - value["percent"]) > PERCENT_TOLERANCE:
                raise AnswerError(
                    Msg(
                        N_(
                            "The percent ({percent} %) does not match “{text}” ({computed} %)."
                            " Please correct one of them or clear the percent."
                        ),
                        {
                            "percent": float(given["percent"]),
                            "text": of_text,
                            "computed": float(value["percent"]),
                        },
                    )
                )
        return value

    def _choice(self, indicator: Indicator, text: str, bases: dict[str, int]) -> Any:
        """Option titles as the export writes them ("; " between), then the chat's reading
        of whatever else the cell says (other options, the "other" text, "none"). The
        options of earlier years are read too, also by their titles before the year's
        note in brackets was added («Современная школа»)."""
        titles = {}
        readable = indicator.readable_options
        for code in readable:
            option = self.catalog.option(code)
            for name in (code, option.title.ru, option.title.en):
                titles[compact(name)] = code
                titles.setdefault(compact(_BRACKETS.sub(" ", name)), code)
        chosen: set[str] = set()
        rest: list[str] = []
        for part in re.split(r"[;\n]", text):
            code = titles.get(compact(part))
            if code is not None:
                chosen.add(code)
            elif part.strip():
                rest.append(part.strip())
        value = {"options": [], "other": None}
        if rest:
            value = parse_answer(indicator, "; ".join(rest), self.catalog, bases)
            if chosen and not value["options"] and value["other"] is None:
                raise AnswerError(Msg(CHOICE_NONE_AND_OPTIONS, {"text": text}))
        chosen |= set(value["options"])
        return {"options": [c for c in readable if c in chosen], "other": value["other"]}

    def _document(self, indicator: Indicator, cells: list[Any], existing: Any) -> Any:
        """A file the school sent in the chat: its name, and its Telegram id from the hidden
        column; a name alone can stand only for the file already stored."""
        name = self.text(cells, indicator.code)
        if not name:
            return None
        if isinstance(existing, dict) and existing.get("file_name") == name:
            return existing
        try:
            extra = json.loads(self.text(cells, f"{indicator.code}:file") or "null")
        except ValueError:
            extra = None
        if not isinstance(extra, dict) or not extra.get("file_id"):
            raise AnswerError(
                Msg(
                    N_(
                        "A document cannot be loaded from its file name alone:"
                        " the school sends the file in the chat."
                    ),
                    {},
                )
            )
        size = extra.get("size")
        value = check_document(name, size if isinstance(size, int) else 0, extra.get("mime_type"))
        return {**value, "file_id": str(extra["file_id"])}


def _flag_text(text: str) -> bool | None:
    value = text.casefold().replace("ё", "е").strip().rstrip(".")
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    return None


@dataclass(slots=True)
class _Plan:
    """What one accepted row writes."""

    row: int
    school: School
    bases: dict[str, int]
    answers: dict[str, Any]
    late: dict[str, bool]


def _problem(msgid: str, **params: Any) -> Msg:
    return Msg(msgid, params)


async def _find_school(
    repo: Repo, name: str, municipality: str, short: str, inn: str
) -> School | Msg:
    subject = short or name or inn
    if inn or (name and municipality):
        found = await repo.schools.find(SchoolData(name, municipality, inn=inn or None))
        if found is not None:
            return found
    for text in (name, short, inn):
        if not text:
            continue
        candidates = await repo.schools.find_by_reference(text, municipality or None)
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            return _problem(N_("Several schools match “{school}”: give the INN"), school=text)
    return _problem(N_("School not found in the register: {school}"), school=subject)


async def import_submissions(
    repo: Repo,
    catalog: Catalog,
    source: Path | bytes,
    *,
    person_id: int | None = None,
    dry_run: bool = False,
) -> SubmissionImportReport:
    """Load an indicators sheet (as :func:`export_submissions` writes it) into the database.

    Every cell is checked as the chat form checks a typed answer; refused cells and
    rows are reported, the rest is written in one transaction: should the database
    refuse a row, nothing is written and the report says which row and why. Values equal
    to the stored ones are left alone, so importing a file twice changes nothing. Empty
    cells remove nothing. Submissions of past years that get values are marked submitted,
    so they count as reported. A file that cannot be used raises :class:`SubmissionImportError`.
    """
    book = open_workbook(source, read_only=True, error=SubmissionImportError)
    try:
        table = _read_table(book, catalog)
    finally:
        book.close()
    year = table.year
    catalog = catalog.for_year(year)  # messages name the school years of that year's campaigns
    data = await year_data(repo, catalog, year)
    reader = _Reader(catalog, table)
    deadlines = catalog.deadlines()
    seen: dict[int, int] = {}
    report = SubmissionImportReport(year, table.sheet, table.header_row, [], dry_run)
    plans: list[_Plan] = []
    for number, cells in table.rows:
        name = reader.text(cells, NAME)
        short = reader.text(cells, SHORT_NAME)
        municipality = reader.text(cells, MUNICIPALITY)
        inn = reader.text(cells, INN)
        data_codes = [code for code in table.columns if _is_data_code(code)]
        if not (name or short or inn) and not any(reader.text(cells, c) for c in data_codes):
            continue  # an empty row
        row = RowReport(number, _one_line(short or name or inn))
        report.rows.append(row)
        if not (name or short or inn):
            row.refused = _problem(N_("The row names no school"))
            continue
        found = await _find_school(repo, name, municipality, short, inn)
        if isinstance(found, Msg):
            row.refused = found
            continue
        school = found
        row.school_id = school.id
        row.school = school.display_name
        if school.id in seen:
            row.refused = _problem(N_("The school is already in row {row}"), row=seen[school.id])
            continue
        seen[school.id] = number
        plans.append(_read_row(catalog, reader, data, deadlines, school, cells, row))
    if not dry_run:
        await _write(repo, catalog, year, plans, person_id, data, report)
    else:
        report.submitted = sum(
            1
            for plan in plans
            for key, answered in _touched(catalog, plan)
            if answered and _would_submit(repo, year, data.submissions.get((key, plan.school.id)))
        )
    return report


def _read_row(
    catalog: Catalog,
    reader: _Reader,
    data: YearData,
    deadlines: list[str],
    school: School,
    cells: list[Any],
    row: RowReport,
) -> _Plan:
    stored_bases: dict[str, int] = {}
    for key in deadlines:
        submission = data.submissions.get((key, school.id))
        if submission is not None:
            for base, count in submission.bases.items():
                stored_bases.setdefault(base, count)
    stored = data.answers.get(school.id, {})
    bases: dict[str, int] = {}
    for base in catalog.bases:
        code = f"base:{base.code}"
        text = reader.text(cells, code)
        if not text:
            continue
        try:
            bases[base.code] = parse_base(text)
        except AnswerError as error:
            row.cells.append(CellRefusal(reader.headers[code], code, error.message))
    # a base cannot be smaller than one it includes: the file's number is refused
    for outer, inner, problem in disagreeing_bases(catalog, {**stored_bases, **bases}):
        for code in (outer, inner):
            if code in bases:
                bases.pop(code)
                header = reader.headers[f"base:{code}"]
                row.cells.append(CellRefusal(header, f"base:{code}", problem))
    merged_bases = {**stored_bases, **bases}
    answers: dict[str, Any] = {}
    for indicator in catalog.indicators:
        try:
            value = reader.read(indicator, cells, merged_bases, stored.get(indicator.code))
        except AnswerError as error:
            row.cells.append(CellRefusal(reader.header(indicator), indicator.code, error.message))
            continue
        if value is not None:
            answers[indicator.code] = value
    # checks across answers: refuse the file's values that contradict others
    before = {(code, p.msgid) for code, p in cross_check(catalog, stored, merged_bases)}
    for code, problem in cross_check(catalog, {**stored, **answers}, merged_bases):
        if (code, problem.msgid) in before:
            continue
        if code in answers:
            culprits = [code]
        else:  # a stored answer made wrong by the file's other answers, or by its base
            culprits = [
                other
                for check in catalog.checks
                if code in check.indicators
                for other in check.indicators
                if other in answers
            ]
        for culprit in culprits:
            if culprit in answers:
                answers.pop(culprit)
                header = reader.header(catalog.indicator(culprit))
                row.cells.append(CellRefusal(header, culprit, problem))
        base = catalog.indicator(code).base
        if not culprits and base in bases:
            bases.pop(base)
            row.cells.append(CellRefusal(reader.headers[f"base:{base}"], f"base:{base}", problem))
    late: dict[str, bool] = {}
    for key in deadlines:
        flag = _flag_text(reader.text(cells, f"late:{key}"))
        late[key] = bool(flag)
    for base, count in bases.items():
        if any(
            _stored_base(data.submissions.get((key, school.id)), base) != count
            for key in _base_keys(catalog, base)
        ):
            row.saved.append(f"base:{base}")
        else:
            row.unchanged += 1
    for code, value in answers.items():
        if stored.get(code) != value:
            row.saved.append(code)
        else:
            row.unchanged += 1
    return _Plan(row.row, school, bases, answers, late)


def _stored_base(submission: Submission | None, base: str) -> int | None:
    return None if submission is None else submission.bases.get(base)


def _base_keys(catalog: Catalog, base: str) -> list[str]:
    """The campaigns whose forms ask for this base."""
    keys = [
        key
        for key in catalog.deadlines()
        if any(indicator.base == base for indicator in catalog.campaign_indicators(key))
    ]
    return keys or catalog.deadlines()[:1]


def _touched(catalog: Catalog, plan: _Plan) -> list[tuple[str, bool]]:
    """(campaign, whether the row answers any of its indicators) for each campaign it writes."""
    found = []
    for key in catalog.deadlines():
        codes = {indicator.code for indicator in catalog.campaign_indicators(key)}
        answers = bool(codes & plan.answers.keys())
        if answers or any(key in _base_keys(catalog, base) for base in plan.bases):
            found.append((key, answers))
    return found


def _would_submit(repo: Repo, year: int, submission: Submission | None) -> bool:
    """A past year's report is history: what it answers counts as submitted."""
    past = year < repo.db.clock().year
    return past and (submission is None or not submission.status.reported)


async def _write(
    repo: Repo,
    catalog: Catalog,
    year: int,
    plans: list[_Plan],
    person_id: int | None,
    data: YearData,
    report: SubmissionImportReport,
) -> None:
    """Every accepted row's values, for each campaign they touch, in one transaction."""
    deadlines = [
        (key, catalog.campaign_indicators(key)[0].due(year)) for key in catalog.deadlines()
    ]
    past = year < repo.db.clock().year
    forms: list[ImportedForm] = []
    rows: list[int] = []  # the row of each form
    for plan in plans:
        stored = data.answers.get(plan.school.id, {})
        for key, answered in _touched(catalog, plan):
            codes = [i.code for i in catalog.campaign_indicators(key)]
            bases = {
                base: count
                for base, count in plan.bases.items()
                if key in _base_keys(catalog, base)
            }
            answers = {
                code: plan.answers[code]
                for code in codes
                if code in plan.answers and stored.get(code) != plan.answers[code]
            }
            submit = answered and past  # a past year's report is history: it counts as sent
            late = plan.late.get(key, False)
            forms.append(ImportedForm(key, plan.school.id, bases, answers, submit, late))
            rows.append(plan.row)
    try:
        report.submitted = await repo.submissions.write_imported(year, deadlines, forms, person_id)
    except WriteAborted as aborted:
        row = report.by_row(rows[aborted.index])
        row.refused = write_refusal(aborted.cause)
        report.not_written = not_written(row.row)
    except sqlite3.Error as error:
        report.not_written = database_refused(error)
