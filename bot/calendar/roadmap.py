"""Roadmaps («дорожная карта», «план-график») from Excel into the calendar.

A roadmap is a table of actions, each with a period written as free Russian text
(«март - апрель», «в течение года»), the people responsible and the expected
result. :func:`read_roadmap` finds that table in a workbook the way
:mod:`bot.registers.table` finds a register (header anywhere near the top of any sheet,
columns in any order, variant names, merged and two-storey header cells, line
breaks and hyphenation left by PDF extraction), reads every period with
:func:`bot.periods.read_period` and expands it over the program's years.
:func:`import_roadmap` stores the result; :func:`dry_run_rows` is the JSON a
``--dry-run --json`` prints.

Rules a coordinator can predict:

- Columns: the action («Мероприятие», «Наименование мероприятия», «Перечень
  мероприятий…») and the period («Сроки», «Срок (период)», «Сроки исполнения»…)
  are required; «№ п/п», «Ответственные», «Результат» and «Год выполнения» are
  optional. The sheet and header row with the most of these columns wins; among
  equal ones the one with more rows under it.
- Sections: a row whose filled cells form one merged cell across the table, a
  lone cell whose text starts like «1.1. …», «I. …», «Раздел 2. …», a lone text
  in the «№» column, or a row with no period, responsible or result whose number
  is a Roman numeral or the parent of the next row's number («1.» before «1.1»).
  Its text becomes the ``section`` of the rows after it. Empty rows, a numbering
  row under the header («1 2 3 4») and repeated header rows are skipped.
- Program years: ``start``/``end`` when given; else from the first to the last
  year the document names: in the title rows above the table («… в 2018 году»,
  «на 2019-2021 годы»), in a «Год выполнения» column, or in the periods
  themselves («февраль - апрель 2023»); else the year of ``today``. A «Год
  выполнения» cell places the rows from it down to the next such cell in that year.
- Text: lines are joined with spaces; a word hyphenated at a line end is joined
  again («выпол-» + «нения»), except after a compound's first part ending in
  «-но», «-ло», «-ко», «-го» of five letters or more («регионально-муниципальной»);
  a line starting with a dash or bullet stays a line of a list.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.calendar.periods import MAX_YEAR, MIN_YEAR, DateRange, Period, PeriodKind, read_period
from bot.i18n import N_, LocalizedError, Msg, translate, translate_plural
from bot.xlsx.cells import cell_text, compact
from bot.xlsx.sheets import Sheet, WorkbookError, is_numbering, load_sheets
from storage.calendar import NewEvent
from storage.models import Role
from storage.repo import Repo

HEADER_SEARCH_ROWS = 40
TITLE_MAX = 500
DEMO_ROADMAP = Path(__file__).resolve().parent.parent / "data" / "demo_roadmap.toml"


class RoadmapError(WorkbookError):
    """A file that cannot be used as a roadmap; nothing was written."""


class DatesError(LocalizedError):
    """Dates typed for an action that cannot be used; the message says why."""


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class RoadmapRow:
    row: int  # the row number Excel shows
    number: str
    section: str
    title: str
    period: str  # as written (lines joined)
    responsible: str
    result: str
    reading: Period
    occurrences: list[DateRange]
    roles: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class RoadmapSheet:
    title: str
    sheet: str
    starts_on: date
    ends_on: date
    rows: list[RoadmapRow] = field(default_factory=list)

    @property
    def sections(self) -> list[str]:
        found: list[str] = []
        for row in self.rows:
            if row.section and row.section not in found:
                found.append(row.section)
        return found

    def counts(self) -> dict[str, int]:
        """How many rows were read as each kind, every kind listed."""
        counts = {kind.value: 0 for kind in PeriodKind}
        for row in self.rows:
            counts[row.reading.kind.value] += 1
        return counts

    @property
    def unreadable(self) -> list[RoadmapRow]:
        return [row for row in self.rows if row.reading.kind is PeriodKind.UNREADABLE]


# --------------------------------------------------------------------------- text

_BULLET = re.compile(r"^(?:[-–—•*·]|\d+[.)])\s")
_COMPOUND = re.compile(r"[а-яё]{3,}(?:но|ло|ко|го)$", re.IGNORECASE)
_WORD_END = re.compile(r"(\w+)-$")


def unwrap(text: str) -> str:
    """A cell's lines as one line (see the module docstring); list items stay lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        if _BULLET.match(line):
            out += "\n" + line
            continue
        tail = _WORD_END.search(out)
        if tail and line[0].isalnum() and not out.endswith(" -"):
            fragment = tail.group(1)
            if fragment[-1].isalpha() and line[0].isalpha() and not _COMPOUND.search(fragment):
                out = out[:-1] + line  # a word hyphenated across lines
            else:
                out += line  # «регионально-» + «муниципальной», «2019-» + «2020»
            continue
        out += " " + line
    return out


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- roles

_PRINCIPAL = re.compile(
    r"директор|школ|\bоо\b|\bоу\b|общеобразовательн|образовательн\w*\s+организац"
    r"|руководител\w*\s+(?:оо|оу|школ|образовательн|общеобразовательн)"
)
_CURATOR = re.compile(r"куратор|консультант|тьютор|эксперт")
_COORDINATOR = re.compile(
    r"координатор|управлени\w*\s+образовани|\bмоуо\b|\bоуо\b|министерств|департамент"
    r"|комитет|\bиро\b|институт\w*\s+развития|\bцмоко\b|рабоч\w*\s+групп|администрац\w*\s+(?!оо)"
)


def responsible_roles(text: str) -> tuple[Role, ...]:
    """Who is reminded of an action, from its «Ответственные» cell.

    Principals when it names principals or schools («руководители ОО», «директора»,
    «школы», «образовательные организации»); curators when it names curators,
    consultants, tutors or experts; coordinators when it names an authority or a
    coordinator, or names neither of the others (an empty cell included).
    """
    value = " ".join(text.casefold().replace("ё", "е").split())
    roles: list[Role] = []
    if _PRINCIPAL.search(value):
        roles.append(Role.PRINCIPAL)
    if _CURATOR.search(value):
        roles.append(Role.CURATOR)
    if not roles or _COORDINATOR.search(value):
        roles.append(Role.COORDINATOR)
    return tuple(roles)


# --------------------------------------------------------------------------- header

_PARENS = re.compile(r"\([^)]*\)")

# column key -> prefixes of the compacted header (letters and digits, lower case)
_PREFIXES: dict[str, tuple[str, ...]] = {
    "number": ("№", "№пп", "пп", "n", "no", "номер"),
    "year": ("годвыполнения", "годреализации", "годисполнения", "год", "годы"),
    "title": (
        "мероприят",
        "наименованиемероприят",
        "наименованиедейств",
        "наименованиеработ",
        "переченьмероприят",
        "переченьдейств",
        "содержаниемероприят",
        "содержаниедейств",
        "содержаниеработ",
        "названиемероприят",
        "действие",
        "действия",
    ),
    "period": ("срок", "период", "датапроведения", "датаисполнения", "времяпроведения", "дата"),
    "responsible": ("ответствен", "исполнител", "ответсв"),
    "result": (
        "результат",
        "ожидаемыйрезультат",
        "ожидаемыерезультат",
        "планируемыйрезультат",
        "планируемыерезультат",
        "итоговыйдокумент",
        "формаотчет",
    ),
}
_EXACT = {"number", "year"}  # these must match a whole header, not a prefix
_LABELS = {
    "number": "«№ п/п»",
    "title": "«Мероприятие», «Наименование мероприятия», «Перечень мероприятий»",
    "period": "«Сроки», «Срок (период)», «Сроки исполнения», «Срок исполнения»",
    "responsible": "«Ответственные», «Ответственный исполнитель»",
    "result": "«Ожидаемый результат», «Результат»",
}


def _header_of(text: str) -> str | None:
    """The column a header cell names, or None."""
    if not isinstance(text, str):
        return None
    key = compact(_PARENS.sub(" ", text)) or compact(text)
    if not key or len(text) > 200:
        return None
    for column in ("number", "year"):
        if key in _PREFIXES[column]:
            return column
    for column in ("period", "responsible", "result", "title"):
        if any(key.startswith(prefix) for prefix in _PREFIXES[column]):
            return column
    return None


@dataclass(frozen=True, slots=True)
class _Header:
    sheet: int
    first: int  # 0-based rows of the header
    last: int
    columns: dict[str, int]

    @property
    def complete(self) -> bool:
        return "title" in self.columns and "period" in self.columns

    def score(self) -> tuple[bool, int]:
        return self.complete, len(self.columns)


def _match_row(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(cells):
        column = _header_of(value) if isinstance(value, str) else None
        if column is not None and column not in found and col not in found.values():
            found[column] = col
    return found


def _match_pair(upper: list[Any], lower: list[Any]) -> dict[str, int]:
    """A header over two rows: the lower cell where it names a column, else the upper one,
    else both read together («Срок (период)» over «выполнения»)."""
    found: dict[str, int] = {}
    for col in range(max(len(upper), len(lower))):
        top = upper[col] if col < len(upper) else None
        bottom = lower[col] if col < len(lower) else None
        candidates = [bottom, top]
        if isinstance(top, str) and isinstance(bottom, str) and top != bottom:
            candidates.append(top + "\n" + bottom)
        for value in candidates:
            column = _header_of(value) if isinstance(value, str) else None
            if column is not None:
                if column not in found:
                    found[column] = col
                break
    return found


def _continues(upper: list[Any], lower: list[Any], columns: dict[str, int]) -> bool:
    """Whether ``lower`` finishes the header cells of ``upper`` («Год» over «выполнения»):
    nothing under the action column, and every filled cell read with the one above it
    still names the same column."""
    title = columns.get("title")
    filled = [col for col, value in enumerate(lower) if cell_text(value)]
    if not filled or (title is not None and title in filled):
        return False
    owners = {col: key for key, col in columns.items()}
    for col in filled:
        top = upper[col] if col < len(upper) else None
        if col not in owners or not isinstance(top, str) or not isinstance(lower[col], str):
            return False
        if _header_of(top + "\n" + lower[col]) != owners[col]:
            return False
    return True


def _headers(sheets: list[Sheet]) -> list[_Header]:
    """Header candidates: single rows, and two-storey headers (merged cells over two rows,
    or header words finished in the row below)."""
    found: list[_Header] = []
    for index, sheet in enumerate(sheets):
        limit = min(len(sheet.grid), HEADER_SEARCH_ROWS)
        singles = [_match_row(sheet.grid[row]) for row in range(min(limit + 1, len(sheet.grid)))]
        lower_storey = False
        for row in range(limit):
            single = singles[row]
            if row + 1 < len(singles):
                upper, lower = sheet.grid[row], sheet.grid[row + 1]
                pair = _match_pair(upper, lower)
                below = singles[row + 1]
                storeys = len(single) >= 2 and len(pair) >= len(below) and len(pair) > len(single)
                if storeys or (len(single) >= 2 and _continues(upper, lower, single)):
                    found.append(_Header(index, row, row + 1, pair if storeys else single))
                    lower_storey = True
                    continue
            if len(single) >= 2 and not lower_storey:
                found.append(_Header(index, row, row, single))
            lower_storey = False
    return found


# --------------------------------------------------------------------------- rows

_SECTION_TEXT = re.compile(
    r"^(?:(?:раздел|блок|направление|этап|часть|глава)\s*\S"
    r"|[IVXLC]+\s*[.)]?\s+\S"
    r"|\d+(?:\.\d+)*\.?\s+\S)",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?:\s*[-–—/]\s*((?:19|20)\d{2}))?(?![\d.,])")
_STAMPS = ("утвержд", "согласован", "приложени", "кприказу", "кпостановлени", "краспоряжени")


@dataclass(slots=True)
class _Raw:
    row: int
    number: str
    title: str
    period: str
    responsible: str
    result: str
    years: tuple[int, int] | None
    section: bool = False


def _years_in(text: str) -> list[int]:
    years: list[int] = []
    for match in _YEAR.finditer(text):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if MIN_YEAR <= first <= last <= MAX_YEAR:
            years += [first, last]
    return years


def _text(cells: list[Any], col: int | None) -> str:
    if col is None or col >= len(cells):
        return ""
    return unwrap(cell_text(cells[col]))


def _is_parent(number: str, following: str) -> bool:
    stem = number.rstrip(".")
    return bool(stem) and following.startswith(stem + ".") and len(following) > len(stem) + 1


def _raw_rows(sheet: Sheet, header: _Header) -> list[_Raw]:
    columns = header.columns
    data_cols = {col for key, col in columns.items() if key not in ("number", "year")}
    number_col = columns.get("number")
    rows: list[_Raw] = []
    year: tuple[int, int] | None = None
    for offset, index in enumerate(range(header.last + 1, len(sheet.grid))):
        cells = sheet.grid[index]
        if offset < 2 and is_numbering(cells):
            continue
        filled = [col for col, value in enumerate(cells) if cell_text(value)]
        if not filled:
            continue
        labels = [col for col in filled if _header_of(cell_text(cells[col])) is not None]
        if len(labels) >= 2 and len(labels) == len(filled):
            continue  # the header repeated on a new printed page
        if "year" in columns:
            found = _years_in(_text(cells, columns["year"]))
            if found:
                year = (min(found), max(found))
        spans = {sheet.spans.get((index, col)) for col in filled}
        first_text = unwrap(cell_text(cells[filled[0]]))
        lone = len(filled) == 1
        if (
            (len(spans) == 1 and None not in spans)
            or (lone and _SECTION_TEXT.match(first_text) and filled[0] != columns.get("period"))
            or (lone and filled[0] == number_col and not re.fullmatch(r"[\d.]+", first_text))
            or (lone and filled[0] not in data_cols | {number_col, columns.get("year")})
        ):
            rows.append(_Raw(index + 1, "", first_text, "", "", "", year, section=True))
            continue
        raw = _Raw(
            index + 1,
            _text(cells, number_col),
            _text(cells, columns.get("title")),
            _text(cells, columns.get("period")),
            _text(cells, columns.get("responsible")),
            _text(cells, columns.get("result")),
            year,
        )
        if not (raw.title or raw.period) or _is_example(raw):
            continue
        rows.append(raw)
    # «1.» or «I» with no period, responsible or result, heading «1.1», «1.2» ...: a section
    for k, raw in enumerate(rows):
        if raw.section or raw.period or raw.responsible or raw.result or not raw.number:
            continue
        following = next((r.number for r in rows[k + 1 :] if not r.section), "")
        if _ROMAN.match(raw.number) or _is_parent(raw.number, following):
            raw.section = True
            raw.title = f"{raw.number} {raw.title}".strip()
    return rows


def _title_above(sheet: Sheet, header: _Header) -> str:
    lines: list[str] = []
    for cells in sheet.grid[: header.first]:
        seen: list[str] = []
        for value in cells:
            text = unwrap(cell_text(value))
            if text and text not in seen:
                seen.append(text)
        line = " ".join(seen)
        if line and not any(compact(line).startswith(stamp) for stamp in _STAMPS):
            lines.append(line)
    return " ".join(lines)[:TITLE_MAX]


# --------------------------------------------------------------------------- reading


def read_roadmap(
    source: Path | bytes,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    name: str | None = None,
) -> RoadmapSheet:
    """Find the roadmap table in a workbook and read every action's period.

    ``name`` is the file's name when ``source`` is bytes (a title of last resort).
    Raises :class:`RoadmapError` for a file that is not a usable roadmap.
    """
    sheets = load_sheets(source, error=RoadmapError)
    headers = _headers(sheets)
    if not headers:
        raise RoadmapError(
            N_(
                "No roadmap table found: expected a header row with columns such as «№ п/п»,"
                " «Мероприятие», «Сроки», «Ответственные», «Ожидаемый результат»."
            )
        )
    best_score = max(header.score() for header in headers)
    best = [header for header in headers if header.score() == best_score]
    raws = {id(header): _raw_rows(sheets[header.sheet], header) for header in best}
    header = max(best, key=lambda h: len([r for r in raws[id(h)] if not r.section]))
    sheet = sheets[header.sheet]
    if not header.complete:
        missing = "title" if "title" not in header.columns else "period"
        message = (
            N_(
                "The table on sheet “{sheet}” (header in row {row}) has no column of actions:"
                " expected a header such as {expected}."
            )
            if missing == "title"
            else N_(
                "The table on sheet “{sheet}” (header in row {row}) has no column of periods:"
                " expected a header such as {expected}."
            )
        )
        raise RoadmapError(
            message, sheet=sheet.title, row=header.last + 1, expected=_LABELS[missing]
        )
    rows = raws[id(header)]
    if not any(not raw.section for raw in rows):
        raise RoadmapError(
            N_("There are no actions under the header (row {row} of sheet “{sheet}”)."),
            row=header.last + 1,
            sheet=sheet.title,
        )
    title = _title_above(sheet, header)
    if not title:
        title = Path(name).stem if name else (Path(source).stem if isinstance(source, Path) else "")
        title = title or sheet.title
    return _build(title, sheet.title, rows, start=start, end=end, today=today)


def _window(
    named: list[int], start: date | None, end: date | None, today: date | None
) -> tuple[date, date]:
    if named:
        first, last = min(named), max(named)
    else:
        first = last = (today or date.today()).year
    starts_on = start or date(min(first, end.year) if end else first, 1, 1)
    ends_on = end or date(max(last, starts_on.year), 12, 31)
    if ends_on < starts_on:
        raise RoadmapError(
            N_("The program ends ({end}) before it starts ({start})."),
            start=starts_on.isoformat(),
            end=ends_on.isoformat(),
        )
    return starts_on, ends_on


def _named_years(title: str, raws: list[_Raw]) -> list[int]:
    years = _years_in(title)
    for raw in raws:
        if raw.years:
            years += list(raw.years)
        if raw.section or not raw.period:
            continue
        reading = read_period(raw.period)
        for span in reading.ranges:
            years += [span.start.year, span.end.year]
        if reading.recurrence is not None:
            years += [y for y in (reading.recurrence.since, reading.recurrence.until) if y]
    return years


def _build(
    title: str,
    sheet_name: str,
    raws: list[_Raw],
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> RoadmapSheet:
    starts_on, ends_on = _window(_named_years(title, raws), start, end, today)
    program = (starts_on.year, ends_on.year)
    rows: list[RoadmapRow] = []
    section = ""
    for raw in raws:
        if raw.section:
            section = raw.title
            continue
        years = program
        if raw.years is not None:
            years = (max(raw.years[0], program[0]), min(raw.years[1], program[1]))
            if years[0] > years[1]:
                years = raw.years
        reading = read_period(raw.period, program_years=years)
        rows.append(
            RoadmapRow(
                row=raw.row,
                number=raw.number,
                section=section,
                title=raw.title,
                period=raw.period,
                responsible=raw.responsible,
                result=raw.result,
                reading=reading,
                occurrences=reading.occurrences(starts_on, ends_on),
                roles=responsible_roles(raw.responsible),
            )
        )
    return RoadmapSheet(title, sheet_name, starts_on, ends_on, rows)


# --------------------------------------------------------------------------- out


def dry_run_rows(sheet: RoadmapSheet) -> list[dict[str, Any]]:
    """Every action as ``{"row", "title", "period", "kind", "occurrences"}`` (the issue's JSON)."""
    return [
        {
            "row": row.row,
            "title": row.title,
            "period": row.period,
            "kind": row.reading.kind.value,
            "occurrences": [span.to_json() for span in row.occurrences],
        }
        for row in sheet.rows
    ]


def to_new_events(sheet: RoadmapSheet) -> list[NewEvent]:
    return [
        NewEvent(
            row_no=row.row,
            title=row.title,
            period_text=row.period,
            kind=row.reading.kind.value,
            occurrences=[(span.start, span.end) for span in row.occurrences],
            number=row.number,
            section=row.section,
            reason=row.reading.reason,
            responsible=row.responsible,
            roles=row.roles,
            result=row.result,
        )
        for row in sheet.rows
    ]


async def import_roadmap(
    repo: Repo, sheet: RoadmapSheet, *, source: str, person_id: int | None
) -> int:
    """Store the roadmap (replacing an earlier import of the same title and years)."""
    return await repo.calendar.save_roadmap(
        sheet.title,
        sheet.starts_on,
        sheet.ends_on,
        to_new_events(sheet),
        source=source,
        imported_by=person_id,
    )


# --------------------------------------------------------------------------- reasons

_REASONS: dict[str, str] = {
    "empty": N_("the period is empty"),
    "too_long": N_("the text is too long to be a period"),
    "unknown_word": N_("the word «{detail}» is not understood"),
    "unexpected": N_("«{detail}» is not expected there"),
    "bad_date": N_("there is no such date: {detail}"),
    "bad_year": N_("the year {detail} is out of range"),
    "reversed": N_("the period ends before it starts"),
    "open_range": N_("the period has a start but no end"),
    "ambiguous:date_in_note": N_("a date inside a remark («по плану…», «по итогам…») is not clear"),
    "ambiguous:deadline_without_day": N_("a deadline needs a day: «до 1 марта», not «до марта»"),
    "ambiguous:day_without_month": N_("a day is given without its month"),
    "ambiguous:day_of_month": N_(
        "a day of the month fits only a monthly action («ежемесячно, до 5 числа»)"
    ),
    "ambiguous:count_mismatch": N_("the number of times does not match the months listed"),
    "ambiguous:two_recurrences": N_("it names two different recurrences"),
    "ambiguous:dated_recurrence": N_("a recurrence with dates of one year is not clear"),
    "ambiguous:school_year": N_("the school year is not clear"),
    "ambiguous:school_year_end": N_("the end of the school year is not a fixed day"),
    "ambiguous:times": N_("the number of times is not clear"),
}
_UNCLEAR = N_("the period could not be read")


def describe_reason(reason: str | None) -> Msg:
    """Why a period is unreadable, for people."""
    if not reason:
        return Msg(_UNCLEAR)
    if reason in _REASONS:
        return Msg(_REASONS[reason])
    code, _, detail = reason.partition(":")
    if code in _REASONS and code != "ambiguous":
        return Msg(_REASONS[code], {"detail": detail})
    return Msg(_UNCLEAR)


# --------------------------------------------------------------------------- dates typed


_EXAMPLES = "15.03.2026, 01.03.2026 – 15.04.2026"


def read_dates(text: str, *, starts_on: date, ends_on: date) -> list[tuple[date, date]]:
    """Dates a coordinator types for an action whose period could not be read.

    Accepts what :func:`read_period` reads, placed in the program's years («март -
    апрель», «1-15 марта 2026»), and dates («15.03.2026», «01.03.2026 –
    15.04.2026»), several separated by «;» or «,». Raises :class:`DatesError`.
    """
    text = text.strip()
    if not text:
        raise DatesError(N_("Please write the dates, for example {examples}."), examples=_EXAMPLES)
    years = (starts_on.year, ends_on.year)
    reading = read_period(text, program_years=years)
    if reading.kind is PeriodKind.UNREADABLE:
        parts = [part for part in re.split(r"[;,]", text) if part.strip()]
        if len(parts) > 1:
            spans: list[tuple[date, date]] = []
            for part in parts:
                spans += read_dates(part, starts_on=starts_on, ends_on=ends_on)
            return sorted(set(spans))
        code = reading.reason_code
        if code in ("unknown_word", "unexpected", "empty", "too_long"):
            raise DatesError(
                N_("«{text}» is not a date or a period: write, for example, {examples}."),
                text=text,
                examples=_EXAMPLES,
            )
        if code == "bad_date":
            raise DatesError(
                N_("There is no such date: {date}."), date=(reading.reason or "").split(":")[1]
            )
        if code == "reversed":
            raise DatesError(N_("«{text}» ends before it starts."), text=text)
        raise DatesError(
            N_("Still cannot read «{text}»: {reason}. Write dates, for example {examples}."),
            text=text,
            reason=describe_reason(reading.reason),
            examples=_EXAMPLES,
        )
    if reading.kind is PeriodKind.NO_FIXED_DATE:
        raise DatesError(
            N_("«{text}» has no dates: write them, for example {examples}."),
            text=text,
            examples=_EXAMPLES,
        )
    outside = [span for span in reading.ranges if span.start < starts_on or span.end > ends_on]
    found = reading.occurrences(starts_on, ends_on)
    if outside or not found:
        raise DatesError(
            N_("«{text}» is outside the roadmap's years ({start} – {end})."),
            text=text,
            start=starts_on.strftime("%d.%m.%Y"),
            end=ends_on.strftime("%d.%m.%Y"),
        )
    return [(span.start, span.end) for span in found]


# --------------------------------------------------------------------------- writing

SHEET_NAME = "Дорожная карта"
FIRST_ROW = 4  # title in row 1, header in row 3, actions from row 4
_WRITE_COLUMNS = (
    # header, width, RoadmapRow attribute
    ("№ п/п", 7, "number"),
    ("Мероприятие", 70, "title"),
    ("Сроки", 24, "period"),
    ("Ответственные", 30, "responsible"),
    ("Ожидаемый результат", 40, "result"),
)
_EXAMPLE = {
    "number": "1",
    "title": "Семинар для руководителей ОО (пример: замените или удалите эту строку)",
    "period": "март - апрель",
    "responsible": "Координатор, кураторы",
    "result": "Проведён семинар",
}


def _layout(entries: list[dict[str, str]]) -> list[_Raw]:
    """Rows as :func:`write_roadmap_xlsx` places them: a section row before each new section."""
    raws: list[_Raw] = []
    row, section = FIRST_ROW, ""
    for entry in entries:
        if entry.get("section", "") and entry["section"] != section:
            section = entry["section"]
            raws.append(_Raw(row, "", section, "", "", "", None, section=True))
            row += 1
        raws.append(
            _Raw(
                row,
                entry.get("number", ""),
                entry["title"],
                entry.get("period", ""),
                entry.get("responsible", ""),
                entry.get("result", ""),
                None,
            )
        )
        row += 1
    return raws


def write_roadmap_xlsx(sheet: RoadmapSheet, path: Path | None = None) -> bytes:
    """The roadmap as a workbook that :func:`read_roadmap` reads back row for row."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet.sheet[:31] or SHEET_NAME
    width = len(_WRITE_COLUMNS)
    ws.cell(1, 1, sheet.title).font = Font(bold=True, size=13)
    ws.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 15 * (1 + len(sheet.title) // 120)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (header, col_width, _attr) in enumerate(_WRITE_COLUMNS, start=1):
        cell = ws.cell(3, col, header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = col_width
    row, section = FIRST_ROW, ""
    for entry in sheet.rows:
        if entry.section and entry.section != section:
            section = entry.section
            ws.cell(row, 1, section).font = Font(bold=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
        for col, (_header, _width, attr) in enumerate(_WRITE_COLUMNS, start=1):
            cell = ws.cell(row, col, getattr(entry, attr) or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"
        row += 1
    ws.freeze_panes = "A4"
    buffer = BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return content


def write_template(path: Path, *, today: date, locale: str = "ru") -> None:
    """An empty roadmap with the expected headers and one example row (skipped on import)."""
    title = translate(locale, N_("Roadmap for {year}"), year=today.year)
    sheet = _build(title, SHEET_NAME, _layout([_EXAMPLE]), today=today)
    write_roadmap_xlsx(sheet, path)


def _is_example(raw: _Raw) -> bool:
    return raw.title == _EXAMPLE["title"]


def load_roadmap_toml(path: Path = DEMO_ROADMAP) -> RoadmapSheet:
    """A roadmap kept as data (``title``, ``years = [first, last]``, ``[[rows]]`` with
    ``title``, ``period`` and optional ``number``, ``section``, ``responsible``,
    ``result``): the same :class:`RoadmapSheet` the workbook written from it reads as."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    first, last = data["years"]
    entries = [{key: str(value) for key, value in row.items()} for row in data["rows"]]
    return _build(
        data["title"],
        data.get("sheet", SHEET_NAME),
        _layout(entries),
        start=date(first, 1, 1),
        end=date(last, 12, 31),
    )


def demo_roadmap() -> RoadmapSheet:
    """Seed 000: the Lipetsk region's 2018 plan-schedule for schools with low results."""
    return load_roadmap_toml(DEMO_ROADMAP)


# --------------------------------------------------------------------------- rendering


_KIND_NAMES = {
    PeriodKind.RANGE: N_("a date range"),
    PeriodKind.RANGES: N_("several date ranges"),
    PeriodKind.RECURRING: N_("recurring"),
    PeriodKind.DEADLINE: N_("a deadline"),
    PeriodKind.NO_FIXED_DATE: N_("no fixed date"),
    PeriodKind.UNREADABLE: N_("unreadable"),
}
SHOWN_DATES = 8


def kind_name(kind: PeriodKind) -> str:
    """The message id naming a kind of period (translate it)."""
    return _KIND_NAMES[kind]


def format_span(span: DateRange) -> str:
    start, end = span.start.strftime("%d.%m.%Y"), span.end.strftime("%d.%m.%Y")
    return start if span.start == span.end else f"{start} – {end}"


def render_reading(row: RoadmapRow, locale: str) -> str:
    """How a row's period was read: «a date range: 01.03.2018 – 30.04.2018»."""
    kind = translate(locale, kind_name(row.reading.kind))
    if row.reading.kind is PeriodKind.UNREADABLE:
        return f"{kind}: {describe_reason(row.reading.reason).render(locale)}"
    if not row.occurrences:
        return kind
    shown = ", ".join(format_span(span) for span in row.occurrences[:SHOWN_DATES])
    more = len(row.occurrences) - SHOWN_DATES
    if more > 0:
        shown += " " + translate_plural(locale, "and {n} more", "and {n} more", more)
    return f"{kind}: {shown}"


def render_dry_run(sheet: RoadmapSheet, locale: str) -> str:
    """Every row: number, title (shortened), period as written → how it was read."""
    lines = [_heading(sheet, locale), translate(locale, N_("Dry run: nothing was written."))]
    section = ""
    for row in sheet.rows:
        if row.section != section:
            section = row.section
            lines.append(f"[{_short(section, 80)}]")
        period = " ".join(row.period.split())
        lines.append(
            translate(
                locale,
                N_("Row {row}: {title} — «{period}» → {reading}"),
                row=row.row,
                title=_short(row.title),
                period=period,
                reading=render_reading(row, locale),
            )
        )
    lines.append(_totals(sheet, locale))
    return "\n".join(lines)


def render_summary(sheet: RoadmapSheet, locale: str) -> str:
    """After an import: counts by kind, and each unreadable row with the reason."""
    lines = [_heading(sheet, locale), _totals(sheet, locale)]
    unreadable = sheet.unreadable
    if unreadable:
        lines.append(
            translate(
                locale,
                N_("Periods that could not be read (set their dates in the bot's chat):"),
            )
        )
        for row in unreadable:
            lines.append(
                translate(
                    locale,
                    N_("Row {row}: {title} — «{period}»: {reason}"),
                    row=row.row,
                    title=_short(row.title),
                    period=" ".join(row.period.split()),
                    reason=describe_reason(row.reading.reason).render(locale),
                )
            )
    return "\n".join(lines)


def _heading(sheet: RoadmapSheet, locale: str) -> str:
    return translate(
        locale,
        N_("Roadmap “{title}” (sheet “{sheet}”), {start} – {end}"),
        title=_short(sheet.title, 120),
        sheet=sheet.sheet,
        start=sheet.starts_on.strftime("%d.%m.%Y"),
        end=sheet.ends_on.strftime("%d.%m.%Y"),
    )


def _totals(sheet: RoadmapSheet, locale: str) -> str:
    counts = sheet.counts()
    parts = [
        f"{translate(locale, kind_name(PeriodKind(kind)))}: {count}"
        for kind, count in counts.items()
        if count
    ]
    actions = translate_plural(locale, "{n} action", "{n} actions", len(sheet.rows))
    sections = translate_plural(locale, "{n} section", "{n} sections", len(sheet.sections))
    return f"{actions}, {sections}. " + "; ".join(parts) + "."
