"""Writing a year's submissions into the indicators workbook: one row per school, the
schools that have not submitted, and the history of changes."""

from __future__ import annotations

import asyncio
import gc
import json
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.clock import from_db
from bot.i18n import N_, translate
from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import Catalog, Indicator, Kind
from bot.indicators.workbook.layout import (
    CODE_ROW,
    DATE,
    DATE_FORMATS,
    DATETIME,
    DATETIME_FORMATS,
    FIRST_ROW,
    FIXED_WIDTHS,
    HEADER_ROW,
    INT,
    LINK,
    MAX_WIDTH,
    MIN_WIDTH,
    NOT_STARTED,
    PERCENT,
    STATUS_NAMES,
    YEAR_PROPERTY,
    Column,
    campaign_label,
    indicator_columns,
    indicator_sheet_columns,
    indicators_sheet_title,
    sheet_title,
)
from bot.people.acting import signature
from storage.models import Actor, School, Status, in_municipalities
from storage.repo import Repo
from storage.submissions import HistoryEntry, Submission

# --------------------------------------------------------------------------- values


def _yes_no(flag: bool, locale: str) -> str:
    return translate(locale, N_("yes") if flag else N_("no"))


def _items_text(items: Iterable[str]) -> str:
    return "; ".join(items)


def share_fraction(value: dict[str, Any]) -> float | None:
    """The share as a fraction for a percent cell, without binary noise: 12 of 40 is 0.3
    exactly, 72.9 % is 0.729 (not 0.7290000000000001)."""
    if value.get("count") is not None and value.get("base"):
        return float(Decimal(value["count"]) / Decimal(value["base"]))
    percent = value.get("percent")
    if percent is None:
        return None
    return float(Decimal(repr(float(percent))) / 100)


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
            return [share_fraction(value), _share_of(value, self.locale)]
        if kind is Kind.COUNT:
            return [value.get("count")]
        if kind is Kind.COUNT_LIST:
            return [value.get("count"), _items_text(value.get("items") or ()) or None]
        if kind is Kind.LEVEL_COUNTS:
            return [value.get(level) for level in indicator.levels]
        if kind is Kind.YES_NO:
            flag = value.get("yes")
            if flag is None:
                return [None]
            word = self.yes if flag else self.no
            # the detail given with it («да, с ЛГТУ») stays, and reads back the same
            return [f"{word} ({value['comment']})" if value.get("comment") else word]
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
        self.date = make(number_format=DATE_FORMATS.get(locale, "yyyy-mm-dd"))
        self.datetime = make(number_format=DATETIME_FORMATS.get(locale, "yyyy-mm-dd hh:mm"))
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
    column: Column, index: int, rows: list[list[Any]], styles: _Styles, sheet: Any
) -> float:
    """Turn the column's values into cells where they need a style; return its width.

    Whole columns are checked at once (one join, one search) so that the common case
    (plain text, numbers) costs no Python call per cell.
    """
    longest = FIXED_WIDTHS.get(column.style, 0)
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
    columns: list[Column],
    rows: list[list[Any]],
    *,
    freeze: str,
    codes: bool = False,
) -> None:
    """One sheet: [hidden code row,] the header, the rows; widths by content, filter, panes."""
    sheet = book.create_sheet(sheet_title(title))
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
class YearData:
    schools: list[School]
    campaigns: dict[str, Any]  # deadline key -> Campaign (only those that exist)
    submissions: dict[tuple[str, int], Submission]  # (deadline key, school id) -> submission
    answers: dict[int, dict[str, Any]]  # school id -> indicator -> value
    history: list[HistoryEntry] = field(default_factory=list)
    # who sent the reports and who changed the history, with how they answer for a school
    people: dict[int, Actor] = field(default_factory=dict)


async def year_data(
    repo: Repo,
    catalog: Catalog,
    year: int,
    *,
    history: bool = False,
    municipalities: frozenset[str] = frozenset(),
) -> YearData:
    """The year's schools, campaigns, submissions and answers (and history); with
    ``municipalities``, only the schools there (a municipal coordinator's territory)."""
    keys = set(catalog.deadlines())
    campaigns = {c.deadline_key: c for c in await repo.submissions.campaigns(year)}
    campaigns = {key: c for key, c in campaigns.items() if key in keys}
    key_of = {c.id: key for key, c in campaigns.items()}
    submissions = {
        (key_of[s.campaign_id], s.school_id): s
        for s in await repo.submissions.for_year(year)
        if s.campaign_id in key_of
    }
    schools = await repo.schools.list()
    answers = await repo.submissions.answers_for_year(year)
    if municipalities:
        schools = [s for s in schools if in_municipalities(s.municipality, municipalities)]
        ids = {school.id for school in schools}
        submissions = {where: s for where, s in submissions.items() if where[1] in ids}
        answers = {school_id: a for school_id, a in answers.items() if school_id in ids}
    data = YearData(schools=schools, campaigns=campaigns, submissions=submissions, answers=answers)
    if history:
        kept = {s.id for s in submissions.values()}
        data.history = [
            entry
            for entry in await repo.submissions.history(year=year)
            if entry.submission_id in kept
        ]
    senders = [s.submitted_by for s in submissions.values() if s.submitted_at]
    data.people = await repo.people.actors([*senders, *(e.changed_by for e in data.history)])
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
    catalog: Catalog, data: YearData, year: int, locale: str, zone: ZoneInfo
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
                sender = data.people.get(submission.submitted_by or 0)
                row.append(local(submission.submitted_at))
                row.append(None if sender is None else signature(sender, locale, full=True))
                row.append(yes if submission.late else no)
            else:
                row += [None, None, None]
        rows.append(row)
    return rows


def _not_submitted(
    catalog: Catalog, data: YearData, year: int, locale: str, today: date
) -> tuple[list[Column], list[list[Any]]]:
    columns = [
        Column("campaign", translate(locale, N_("Campaign"))),
        Column("due", translate(locale, N_("Due date")), DATE),
        Column("municipality", translate(locale, N_("Municipality"))),
        Column("school", translate(locale, N_("School"))),
        Column("status", translate(locale, N_("Status"))),
        Column("overdue", translate(locale, N_("Days overdue")), INT),
    ]
    statuses = {key: translate(locale, msgid) for key, msgid in STATUS_NAMES.items()}
    rows: list[list[Any]] = []
    for key in catalog.deadlines():
        campaign = data.campaigns.get(key)
        due = campaign.due_date if campaign else catalog.campaign_indicators(key)[0].due(year)
        label = campaign_label(catalog, key, year, locale)
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
    catalog: Catalog, data: YearData, year: int, locale: str, zone: ZoneInfo
) -> tuple[list[Column], list[list[Any]]]:
    columns = [
        Column("time", translate(locale, N_("Time")), DATETIME),
        Column("municipality", translate(locale, N_("Municipality"))),
        Column("school", translate(locale, N_("School"))),
        Column("campaign", translate(locale, N_("Campaign"))),
        Column("field", translate(locale, N_("Field"))),
        Column("old", translate(locale, N_("Old value"))),
        Column("new", translate(locale, N_("New value"))),
        Column("who", translate(locale, N_("Who"))),
        Column("comment", translate(locale, N_("Comment"))),
    ]
    where = {s.id: (key, school_id) for (key, school_id), s in data.submissions.items()}
    schools = {school.id: school for school in data.schools}
    labels = {key: campaign_label(catalog, key, year, locale) for key in catalog.deadlines()}
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
        actor = None if entry.changed_by is None else people.get(entry.changed_by)
        # the person and what they are: «Иванова Мария Ивановна, заместитель директора по УВР»
        who = None if actor is None else signature(actor, locale, full=True)
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
    repo: Repo,
    catalog: Catalog,
    year: int,
    locale: str,
    zone: ZoneInfo,
    municipalities: frozenset[str] = frozenset(),
) -> bytes:
    """The year's report as .xlsx bytes (see the module's docstring for the layout); with
    ``municipalities``, the schools of those municipalities only."""
    catalog = catalog.for_year(year)  # headers name the school years of that year's campaigns
    data = await year_data(repo, catalog, year, history=True, municipalities=municipalities)
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
    catalog: Catalog, data: YearData, year: int, locale: str, zone: ZoneInfo, today: date
) -> bytes:
    with _collector_paused():
        return _write_workbook(catalog, data, year, locale, zone, today)


def _write_workbook(
    catalog: Catalog, data: YearData, year: int, locale: str, zone: ZoneInfo, today: date
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
