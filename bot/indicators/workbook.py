"""Indicator reports in Excel: export a year's submissions, import them back.

The workbook :func:`export_submissions` writes has three sheets:

«Показатели {year}» / "Indicators {year}"
    Row 1 is hidden and holds a *code* per column (``@inn``, ``base:teachers``,
    ``first_category``, ``contest_winners:federal``, ``status:10-01``, ...): this is
    what :func:`import_submissions` finds columns by, so a person may reorder,
    rename or add columns. Row 2 is the header people read (the indicator's short
    title, and the part for multi-part indicators); schools start in row 3, one row
    per school of the register, sorted by municipality and name. The year is in
    the sheet's title and in the workbook property ``indicators_year``.

    Cells by kind of answer:

    - share: the percent as a number (30.5 % is stored as 0.305, format ``0.0%``;
      read back, a number in a cell of another format counts as a fraction below 1
      and as the percent itself from 1 up),
      and next to it a text column "N из M" filled when the school gave the share
      as a count ("12 из 40"); a text is self-contained (it keeps the base the
      count was of, even if the school's base changed later) and the importer
      reads it exactly as the chat form does;
    - count: an integer; count_list: the number (integer) and the list ("; ");
    - level_counts: one integer column per level;
    - yes_no: «да»/«нет» (text: reads well, filters well and is read back);
    - choice: the option titles joined with "; ", then the "other" text;
    - link: the address as a real hyperlink (the "Hyperlink" style);
    - document: the file name, plus a hidden column with the Telegram file id,
      size and type (JSON) so a re-import into the same bot keeps the file.

    Then per campaign (one per deadline): status, submitted at (local time, a
    date cell) and late («да»/«нет»). The header is bold, wrapped and frozen with
    the school's name; each indicator's header cell has a comment with its full
    title and code; columns are as wide as their content (up to 50).

«Не сдали» / "Not submitted"
    For every campaign of the year (also those not yet due: "days overdue" is
    empty for them), the schools that have not submitted (not started, draft,
    returned), grouped by campaign, then municipality, then school.

«История изменений» / "Change history"
    Every recorded change of the year: time (program zone), school, campaign,
    field, old and new value (answers as the chat shows them), who, comment.

:func:`import_submissions` reads the indicators sheet back (found by its code row,
or, if that row was deleted, by the header texts in Russian or English). Schools
are found in the register by INN, else by name and municipality; the register
itself is not changed. Each cell is checked the way the chat form checks a typed
answer (``bot.indicators.answers``, also the checks across answers); a refused cell or row is
reported with its reason while the good ones are written. Empty cells remove
nothing, values equal to the stored ones are left alone (a second import of the
same file changes nothing), and a past year's campaigns that get values are marked
submitted, late as the file says. A file that cannot be used at all raises
:class:`SubmissionImportError` and writes nothing.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX

from bot.clock import from_db
from bot.i18n import N_, Msg, translate
from bot.indicators.answers import (
    CHOICE_NONE_AND_OPTIONS,
    AnswerError,
    check_document,
    cross_check,
    format_answer,
    parse_answer,
    parse_base,
)
from bot.indicators.catalog import ON_SCHEDULE, Catalog, Indicator, Kind
from bot.xlsx.cells import NO_WORDS, YES_WORDS, cell_text, compact
from bot.xlsx.sheets import WorkbookError, open_workbook
from storage.models import School, Status
from storage.repo import Repo
from storage.schools import SchoolData
from storage.submissions import HistoryEntry, Submission

CODE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
YEAR_PROPERTY = "indicators_year"
MIN_WIDTH, MAX_WIDTH = 6, 50
# The importer looks for the code row (or, failing that, the header) in the first rows.
HEADER_SEARCH_ROWS = 15
MAX_ROWS = 20000
# A percent next to "N из M" may differ from it by the rounding to 0.1 and no more.
PERCENT_TOLERANCE = 0.051

MUNICIPALITY, NAME, SHORT_NAME, INN = "@municipality", "@name", "@short_name", "@inn"
SHNOR, SHSSU = "@shnor", "@shssu"
NOT_STARTED = "not_started"

STATUS_NAMES = {
    NOT_STARTED: N_("not started"),
    Status.DRAFT: N_("draft"),
    Status.SUBMITTED: N_("submitted"),
    Status.RETURNED: N_("returned for correction"),
    Status.ACCEPTED: N_("accepted"),
}

# Cell styles: how a column's values are written.
TEXT, INT, PERCENT, DATE, DATETIME, LINK = "text", "int", "percent", "date", "datetime", "link"
_DATE_FORMATS = {"ru": "dd.mm.yyyy", "en": "yyyy-mm-dd"}
_DATETIME_FORMATS = {"ru": "dd.mm.yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}
_FIXED_WIDTHS = {INT: 7, PERCENT: 8, DATE: 11, DATETIME: 16}


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class _Column:
    key: str  # the code in the hidden row
    header: str
    style: str = TEXT
    hidden: bool = False
    note: str | None = None  # a comment on the header cell


def _campaign_label(catalog: Catalog, key: str, year: int, locale: str) -> str:
    if key == ON_SCHEDULE:
        return translate(locale, N_("on schedule"))
    due = catalog.campaign_indicators(key)[0].due(year)
    assert due is not None
    return translate(locale, N_("due {date}"), date=format_date(due, "d MMMM", locale=locale))


def _part(locale: str, msgid: str, indicator: Indicator) -> str:
    return translate(locale, msgid, indicator=indicator.short.get(locale))


def indicator_columns(catalog: Catalog, indicator: Indicator, locale: str) -> list[_Column]:
    """The columns one indicator takes, in order; the first one's key is the code."""
    code, short = indicator.code, indicator.short.get(locale)
    kind = indicator.kind
    if kind is Kind.LINK:
        return [_Column(code, short, LINK)]
    if kind is Kind.SHARE:
        return [
            _Column(code, short, PERCENT),
            _Column(f"{code}:of", _part(locale, N_("{indicator} (N of M)"), indicator)),
        ]
    if kind is Kind.COUNT:
        return [_Column(code, short, INT)]
    if kind is Kind.COUNT_LIST:
        return [
            _Column(code, _part(locale, N_("{indicator}: number"), indicator), INT),
            _Column(f"{code}:items", _part(locale, N_("{indicator}: list"), indicator)),
        ]
    if kind is Kind.LEVEL_COUNTS:
        return [
            _Column(f"{code}:{level}", f"{short}: {catalog.level(level).title.get(locale)}", INT)
            for level in indicator.levels
        ]
    if kind is Kind.DOCUMENT:
        return [
            _Column(code, short),
            _Column(
                f"{code}:file",
                _part(locale, N_("{indicator}: file in Telegram"), indicator),
                hidden=True,
            ),
        ]
    return [_Column(code, short)]  # yes_no, choice


def indicator_sheet_columns(catalog: Catalog, year: int, locale: str) -> list[_Column]:
    columns = [
        _Column(MUNICIPALITY, translate(locale, N_("Municipality"))),
        _Column(NAME, translate(locale, N_("School"))),
        _Column(SHORT_NAME, translate(locale, N_("Short name"))),
        _Column(INN, translate(locale, N_("INN"))),
        _Column(SHNOR, translate(locale, N_("Low results (ШНОР)"))),
        _Column(SHSSU, translate(locale, N_("Unfavourable conditions (ШССУ)"))),
    ]
    columns += [_Column(f"base:{b.code}", b.title.get(locale), INT) for b in catalog.bases]
    for indicator in catalog.indicators:
        first, *rest = indicator_columns(catalog, indicator, locale)
        note = f"{indicator.title.get(locale)} [{indicator.code}]"
        columns += [replace(first, note=note), *rest]
    for key in catalog.deadlines():
        label = _campaign_label(catalog, key, year, locale)
        columns += [
            _Column(f"status:{key}", translate(locale, N_("Status, {campaign}"), campaign=label)),
            _Column(
                f"submitted_at:{key}",
                translate(locale, N_("Submitted at, {campaign}"), campaign=label),
                DATETIME,
            ),
            _Column(f"late:{key}", translate(locale, N_("Late, {campaign}"), campaign=label)),
        ]
    return columns


def indicators_sheet_title(year: int, locale: str) -> str:
    return _sheet_title(translate(locale, N_("Indicators {year}"), year=year))


def _sheet_title(text: str) -> str:
    return INVALID_TITLE_REGEX.sub(" ", text)[:31]


# --------------------------------------------------------------------------- values


def _yes_no(flag: bool, locale: str) -> str:
    return translate(locale, N_("yes") if flag else N_("no"))


def _items_text(items: Iterable[str]) -> str:
    return "; ".join(items)


def _share_of(value: dict[str, Any], locale: str) -> str | None:
    if value.get("count") is None or value.get("base") is None:
        return None
    return translate(locale, N_("{count} of {base}"), count=value["count"], base=value["base"])


class _Values:
    """Turns answers into cell values for one catalog and locale (computed once)."""

    def __init__(self, catalog: Catalog, locale: str) -> None:
        self.catalog = catalog
        self.locale = locale
        self.yes = _yes_no(True, locale)
        self.no = _yes_no(False, locale)
        self.none = translate(locale, N_("none"))
        self.option_titles = {o.code: o.title.get(locale) for o in catalog.options}
        self.widths = {
            indicator.code: len(indicator_columns(catalog, indicator, locale))
            for indicator in catalog.indicators
        }

    def cells(self, indicator: Indicator, value: Any) -> list[Any]:
        """One value per column of the indicator; None leaves a cell empty."""
        if value is None:
            return [None] * self.widths[indicator.code]
        kind = indicator.kind
        if kind is Kind.LINK:
            return [value.get("url")]
        if kind is Kind.SHARE:
            percent = value.get("percent")
            return [None if percent is None else percent / 100, _share_of(value, self.locale)]
        if kind is Kind.COUNT:
            return [value.get("count")]
        if kind is Kind.COUNT_LIST:
            return [value.get("count"), _items_text(value.get("items") or ()) or None]
        if kind is Kind.LEVEL_COUNTS:
            return [value.get(level) for level in indicator.levels]
        if kind is Kind.YES_NO:
            flag = value.get("yes")
            return [None if flag is None else (self.yes if flag else self.no)]
        if kind is Kind.CHOICE:
            parts = [self.option_titles.get(code, code) for code in value.get("options") or ()]
            if value.get("other"):
                parts.append(value["other"])
            return [_items_text(parts) if parts else self.none]
        if kind is Kind.DOCUMENT:
            extra = {k: value.get(k) for k in ("file_id", "size", "mime_type")}
            return [value.get("file_name"), json.dumps(extra, ensure_ascii=False, sort_keys=True)]
        return [str(value)]


class _LocalTimes:
    """Stored UTC times as naive local datetimes (Excel has no time zones), each parsed once."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.seen: dict[str, datetime] = {}

    def __call__(self, text: str | None) -> datetime | None:
        if not text:
            return None
        found = self.seen.get(text)
        if found is None:
            found = from_db(text).astimezone(self.zone).replace(tzinfo=None)
            self.seen[text] = found
        return found


# --------------------------------------------------------------------------- writing


class _Styles:
    """Style arrays made once per workbook and shared by every cell of their kind."""

    def __init__(self, book: Workbook, locale: str) -> None:
        sheet = book.create_sheet("styles")  # a scratch sheet to build the prototypes on
        self.sheet = sheet

        def make(**attributes: Any) -> Any:
            cell = Cell(sheet, row=1, column=1)
            for name, value in attributes.items():
                setattr(cell, name, value)
            return cell._style

        self.header = make(
            font=Font(bold=True),
            alignment=Alignment(wrap_text=True, vertical="top"),
            fill=PatternFill("solid", fgColor="DDEBF7"),
        )
        self.percent = make(number_format="0.0%")
        self.date = make(number_format=_DATE_FORMATS.get(locale, "yyyy-mm-dd"))
        self.datetime = make(number_format=_DATETIME_FORMATS.get(locale, "yyyy-mm-dd hh:mm"))
        self.link = make(style="Hyperlink")
        self.text = make(number_format="@")
        book.remove(sheet)


def _maker(style: str, styles: _Styles, sheet: Any) -> Callable[[Any], Any] | None:
    """How a styled column's value becomes a cell; None: the bare value is written (fastest)."""
    if style in (PERCENT, DATE, DATETIME):
        array = {PERCENT: styles.percent, DATE: styles.date, DATETIME: styles.datetime}[style]
        return lambda value: Cell(sheet, 1, 1, value, array)
    if style == LINK:
        array = styles.link

        def link(value: Any) -> Any:
            cell = Cell(sheet, 1, 1, value, array)
            cell.hyperlink = value
            return cell

        return link
    return None


def _safe_text(value: Any, sheet: Any, array: Any) -> Any:
    """Text as Excel can store it: control characters dropped, never read as a formula."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        cell = Cell(sheet, 1, 1, None, array)
        cell._value, cell.data_type = value, "s"
        return cell
    return value


def _prepare_column(
    column: _Column, index: int, rows: list[list[Any]], styles: _Styles, sheet: Any
) -> float:
    """Turn the column's values into cells where they need a style; return its width.

    Whole columns are checked at once (one join, one search) so that the common case
    (plain text, numbers) costs no Python call per cell.
    """
    longest = _FIXED_WIDTHS.get(column.style, 0)
    make = _maker(column.style, styles, sheet)
    if make is not None:
        for row in rows:
            value = row[index]
            if value is not None:
                if not longest:
                    longest = max(longest, len(value) if type(value) is str else 0)
                row[index] = make(value)
    else:
        texts = [value for row in rows if type(value := row[index]) is str]
        if texts:
            joined = "\n" + "\n".join(texts)
            if "\n=" in joined or ILLEGAL_CHARACTERS_RE.search(joined):
                for row in rows:
                    row[index] = _safe_text(row[index], sheet, styles.text)
            if not longest:
                longest = max(map(len, texts))
        if not longest:
            longest = max(
                (len(str(row[index])) for row in rows if row[index] is not None), default=0
            )
    words = max((len(word) for word in column.header.split()), default=0)
    wanted = max(longest, words, min(len(column.header), 12))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, wanted + 2)))


def _write_table(
    book: Workbook,
    styles: _Styles,
    title: str,
    columns: list[_Column],
    rows: list[list[Any]],
    *,
    freeze: str,
    codes: bool = False,
) -> None:
    """One sheet: [hidden code row,] the header, the rows; widths by content, filter, panes."""
    sheet = book.create_sheet(_sheet_title(title))
    sheet.freeze_panes = freeze  # a write-only sheet writes its views with the first row
    header_row = HEADER_ROW if codes else 1
    lines = 1
    for index, column in enumerate(columns):
        width = _prepare_column(column, index, rows, styles, sheet)
        dimension = sheet.column_dimensions[get_column_letter(index + 1)]
        dimension.width = width
        if column.hidden:
            dimension.hidden = True
        else:
            lines = max(lines, math.ceil(len(column.header) / max(width - 1, 1)))
    sheet.row_dimensions[header_row].height = 15 * min(lines, 6)
    if codes:
        sheet.row_dimensions[CODE_ROW].hidden = True
        sheet.append([column.key for column in columns])
    header = []
    for column in columns:
        cell = Cell(sheet, 1, 1, column.header, styles.header)
        if column.note:
            cell.comment = Comment(column.note, "", width=320, height=110)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"


@dataclass(slots=True)
class _YearData:
    schools: list[School]
    campaigns: dict[str, Any]  # deadline key -> Campaign (only those that exist)
    submissions: dict[tuple[str, int], Submission]  # (deadline key, school id) -> submission
    answers: dict[int, dict[str, Any]]  # school id -> indicator -> value
    history: list[HistoryEntry] = field(default_factory=list)
    people: dict[int, str] = field(default_factory=dict)  # person id -> full name


async def _year_data(
    repo: Repo, catalog: Catalog, year: int, *, history: bool = False
) -> _YearData:
    keys = set(catalog.deadlines())
    campaigns = {c.deadline_key: c for c in await repo.submissions.campaigns(year)}
    campaigns = {key: c for key, c in campaigns.items() if key in keys}
    key_of = {c.id: key for key, c in campaigns.items()}
    submissions = {
        (key_of[s.campaign_id], s.school_id): s
        for s in await repo.submissions.for_year(year)
        if s.campaign_id in key_of
    }
    data = _YearData(
        schools=await repo.schools.list(),
        campaigns=campaigns,
        submissions=submissions,
        answers=await repo.submissions.answers_for_year(year),
    )
    if history:
        data.history = await repo.submissions.history(year=year)
        for person_id in sorted({e.changed_by for e in data.history} - {None}):
            person = await repo.people.get(person_id)
            data.people[person_id] = person.full_name if person else str(person_id)
    return data


def _state(submission: Submission | None, answers: dict[str, Any], indicators: list[str]) -> str:
    if submission is None:
        return NOT_STARTED
    if (
        submission.status == Status.DRAFT
        and not submission.bases
        and not any(code in answers for code in indicators)
    ):
        return NOT_STARTED
    return submission.status


def _indicator_rows(
    catalog: Catalog, data: _YearData, year: int, locale: str, zone: ZoneInfo
) -> list[list[Any]]:
    values = _Values(catalog, locale)
    yes, no = values.yes, values.no
    statuses = {key: translate(locale, msgid) for key, msgid in STATUS_NAMES.items()}
    deadlines = catalog.deadlines()
    campaign_codes = {key: [i.code for i in catalog.campaign_indicators(key)] for key in deadlines}
    # which campaigns' submissions carry each base, in calendar order
    base_campaigns = {
        base.code: [
            key
            for key in deadlines
            if any(i.base == base.code for i in catalog.campaign_indicators(key))
        ]
        or deadlines
        for base in catalog.bases
    }
    indicators = list(catalog.indicators)
    local = _LocalTimes(zone)
    rows = []
    for school in data.schools:
        answers = data.answers.get(school.id, {})
        own = {key: data.submissions.get((key, school.id)) for key in deadlines}
        row: list[Any] = [
            school.municipality,
            school.name,
            school.short_name,
            school.inn,
            yes if school.is_shnor else no,
            yes if school.is_shssu else no,
        ]
        for base in catalog.bases:
            found = None
            for key in base_campaigns[base.code]:
                submission = own[key]
                if submission is not None and base.code in submission.bases:
                    found = submission.bases[base.code]
                    break
            row.append(found)
        for indicator in indicators:
            row.extend(values.cells(indicator, answers.get(indicator.code)))
        for key in deadlines:
            submission = own[key]
            state = _state(submission, answers, campaign_codes[key])
            row.append(statuses[state])
            if submission is not None and submission.submitted_at:
                row.append(local(submission.submitted_at))
                row.append(yes if submission.late else no)
            else:
                row += [None, None]
        rows.append(row)
    return rows


def _not_submitted(
    catalog: Catalog, data: _YearData, year: int, locale: str, today: date
) -> tuple[list[_Column], list[list[Any]]]:
    columns = [
        _Column("campaign", translate(locale, N_("Campaign"))),
        _Column("due", translate(locale, N_("Due date")), DATE),
        _Column("municipality", translate(locale, N_("Municipality"))),
        _Column("school", translate(locale, N_("School"))),
        _Column("status", translate(locale, N_("Status"))),
        _Column("overdue", translate(locale, N_("Days overdue")), INT),
    ]
    statuses = {key: translate(locale, msgid) for key, msgid in STATUS_NAMES.items()}
    rows: list[list[Any]] = []
    for key in catalog.deadlines():
        campaign = data.campaigns.get(key)
        due = campaign.due_date if campaign else catalog.campaign_indicators(key)[0].due(year)
        label = _campaign_label(catalog, key, year, locale)
        codes = [i.code for i in catalog.campaign_indicators(key)]
        overdue = (today - due).days if due is not None and today > due else None
        for school in data.schools:
            submission = data.submissions.get((key, school.id))
            state = _state(submission, data.answers.get(school.id, {}), codes)
            if state in (Status.SUBMITTED, Status.ACCEPTED):
                continue
            rows.append(
                [label, due, school.municipality, school.display_name, statuses[state], overdue]
            )
    return columns, rows


def _history(
    catalog: Catalog, data: _YearData, year: int, locale: str, zone: ZoneInfo
) -> tuple[list[_Column], list[list[Any]]]:
    columns = [
        _Column("time", translate(locale, N_("Time")), DATETIME),
        _Column("municipality", translate(locale, N_("Municipality"))),
        _Column("school", translate(locale, N_("School"))),
        _Column("campaign", translate(locale, N_("Campaign"))),
        _Column("field", translate(locale, N_("Field"))),
        _Column("old", translate(locale, N_("Old value"))),
        _Column("new", translate(locale, N_("New value"))),
        _Column("who", translate(locale, N_("Who"))),
        _Column("comment", translate(locale, N_("Comment"))),
    ]
    where = {s.id: (key, school_id) for (key, school_id), s in data.submissions.items()}
    schools = {school.id: school for school in data.schools}
    labels = {key: _campaign_label(catalog, key, year, locale) for key in catalog.deadlines()}
    statuses = {key: translate(locale, msgid) for key, msgid in STATUS_NAMES.items()}
    status_field = translate(locale, N_("Status"))
    codes = {indicator.code for indicator in catalog.indicators}
    bases = {base.code: base.title.get(locale) for base in catalog.bases}
    people = data.people
    local = _LocalTimes(zone)
    rows: list[list[Any]] = []

    def shown(field_name: str, value: Any) -> Any:
        if value is None:
            return None
        if field_name == "status":
            return statuses.get(value, value)
        if field_name in codes:
            return format_answer(catalog.indicator(field_name), value, catalog, locale)
        return value if isinstance(value, int | float | str) else json.dumps(value)

    for entry in data.history:
        if entry.submission_id not in where:
            continue
        key, school_id = where[entry.submission_id]
        school = schools.get(school_id)
        if entry.field == "status":
            name = status_field
        elif entry.field in codes:
            name = catalog.indicator(entry.field).short.get(locale)
        elif entry.field.startswith("base:"):
            name = bases.get(entry.field[5:], entry.field)
        else:
            name = entry.field
        who = None if entry.changed_by is None else people.get(entry.changed_by)
        rows.append(
            [
                local(entry.changed_at),
                school.municipality if school else None,
                school.display_name if school else None,
                labels[key],
                name,
                shown(entry.field, entry.old_value),
                shown(entry.field, entry.new_value),
                who,
                entry.comment,
            ]
        )
    return columns, rows


async def export_submissions(
    repo: Repo, catalog: Catalog, year: int, locale: str, zone: ZoneInfo
) -> bytes:
    """The year's report as .xlsx bytes (see the module's docstring for the layout)."""
    data = await _year_data(repo, catalog, year, history=True)
    today = repo.db.clock().astimezone(zone).date()
    # Making the cells is pure CPU work on data no one else holds: a thread keeps the
    # event loop answering other people meanwhile.
    return await asyncio.to_thread(_workbook, catalog, data, year, locale, zone, today)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while hundreds of thousands of cells are made.

    They are all alive until the workbook is saved, so the collections it would run
    find nothing to free; they cost a fifth of the export. Reference counting still
    frees everything as usual, and the collector is back on as soon as the workbook is
    saved (two exports at once: the first to finish turns it back on, which is harmless).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _workbook(
    catalog: Catalog, data: _YearData, year: int, locale: str, zone: ZoneInfo, today: date
) -> bytes:
    with _collector_paused():
        return _write_workbook(catalog, data, year, locale, zone, today)


def _write_workbook(
    catalog: Catalog, data: _YearData, year: int, locale: str, zone: ZoneInfo, today: date
) -> bytes:
    book = Workbook(write_only=True)
    book.custom_doc_props.append(IntProperty(name=YEAR_PROPERTY, value=year))
    styles = _Styles(book, locale)
    _write_table(
        book,
        styles,
        indicators_sheet_title(year, locale),
        indicator_sheet_columns(catalog, year, locale),
        _indicator_rows(catalog, data, year, locale, zone),
        freeze=f"C{FIRST_ROW}",
        codes=True,
    )
    late_columns, late_rows = _not_submitted(catalog, data, year, locale, today)
    _write_table(
        book, styles, translate(locale, N_("Not submitted")), late_columns, late_rows, freeze="A2"
    )
    history_columns, history_rows = _history(catalog, data, year, locale, zone)
    _write_table(
        book,
        styles,
        translate(locale, N_("Change history")),
        history_columns,
        history_rows,
        freeze="A2",
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def write_submissions(
    repo: Repo, catalog: Catalog, year: int, locale: str, zone: ZoneInfo, path: Path
) -> Path:
    """Export into ``path`` (written whole, then moved into place)."""
    data = await export_submissions(repo, catalog, year, locale, zone)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return path


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


def _known_codes(catalog: Catalog) -> set[str]:
    codes = {MUNICIPALITY, NAME, SHORT_NAME, INN, SHNOR, SHSSU}
    codes |= {f"base:{base.code}" for base in catalog.bases}
    for indicator in catalog.indicators:
        codes |= {column.key for column in indicator_columns(catalog, indicator, "en")}
    for key in catalog.deadlines():
        codes |= {f"status:{key}", f"submitted_at:{key}", f"late:{key}"}
    return codes


def _header_names(catalog: Catalog, year: int | None) -> dict[str, str]:
    """compact header text -> code, in both languages: for a file whose code row is lost."""
    names: dict[str, str] = {}
    for locale in ("ru", "en"):
        columns = indicator_sheet_columns(catalog, year or 2000, locale)
        for column in columns:
            if year is None and column.key.split(":")[0] in ("status", "submitted_at", "late"):
                continue
            names.setdefault(compact(column.header), column.key)
    return names


def _is_data_code(code: str) -> bool:
    """A column of values (a base or an indicator), not the school's or a campaign's."""
    return not code.startswith(("@", "status:", "submitted_at:", "late:"))


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
        of whatever else the cell says (other options, the "other" text, "none")."""
        titles = {}
        for code in indicator.options:
            option = self.catalog.option(code)
            for name in (code, option.title.ru, option.title.en):
                titles[compact(name)] = code
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
        return {"options": [c for c in indicator.options if c in chosen], "other": value["other"]}

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
    rows are reported, the rest is written. Values equal to the stored ones are left
    alone, so importing a file twice changes nothing. Empty cells remove nothing.
    Submissions of past years that get values are marked submitted, so they count as
    reported. A file that cannot be used raises :class:`SubmissionImportError`.
    """
    book = open_workbook(source, read_only=True, error=SubmissionImportError)
    try:
        table = _read_table(book, catalog)
    finally:
        book.close()
    year = table.year
    data = await _year_data(repo, catalog, year)
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
        report.submitted = await _write(repo, catalog, year, plans, person_id, data)
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
    data: _YearData,
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
    return _Plan(school, bases, answers, late)


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
    data: _YearData,
) -> int:
    store = repo.submissions
    deadlines = [
        (key, catalog.campaign_indicators(key)[0].due(year)) for key in catalog.deadlines()
    ]
    campaigns = {c.deadline_key: c for c in await store.ensure_campaigns(year, deadlines)}
    submitted = 0
    for plan in plans:
        stored = data.answers.get(plan.school.id, {})
        for key, answered in _touched(catalog, plan):
            codes = [i.code for i in catalog.campaign_indicators(key)]
            submission = await store.open(campaigns[key].id, plan.school.id, person_id)
            for base, count in plan.bases.items():
                if key in _base_keys(catalog, base) and submission.bases.get(base) != count:
                    submission = await store.save_base(submission.id, base, count, person_id, None)
            for code in codes:
                if code in plan.answers and stored.get(code) != plan.answers[code]:
                    submission = await store.save_answer(
                        submission.id, code, plan.answers[code], person_id, None
                    )
            if answered and _would_submit(repo, year, submission):
                await store.submit(submission.id, person_id, None, late=plan.late.get(key, False))
                submitted += 1
    return submitted
