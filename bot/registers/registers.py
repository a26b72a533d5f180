"""Registers of schools and people: Excel templates in, database rows out.

Coordinators keep their registers in Excel, and real registers are messy: a title
above the table, the header in row 4 with a numbering row under it, columns in
any order and spelled in many ways, municipalities merged over several rows,
numbers stored as text and INNs stored as floats, blank and totals rows, and a
decoy sheet or two. The reader here finds the table, maps its columns, and turns
every data row into a :class:`RowResult`.

An import validates every row before it writes anything; a file that cannot be
used at all raises :class:`RegisterError` and writes nothing. A row that cannot
be used is refused with a reason while the good rows are imported. Importing the
same file twice changes nothing.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.i18n import N_, LocalizedError, Msg, translate
from bot.people.invitations import DEFAULT_EXPIRES_DAYS, create_invitation, deep_link
from storage.models import Person, Role, School, match_key
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData

Kind = Literal["schools", "people"]
Action = Literal["created", "updated", "unchanged", "refused"]

# The header is looked for in the first rows of each sheet; the table is read up to
# these limits (a register of a region's schools or people is far smaller).
HEADER_SEARCH_ROWS = 30
MAX_ROWS = 20000
MAX_COLUMNS = 60

ROLE_NAMES = {
    Role.PRINCIPAL: N_("school principal"),
    Role.CURATOR: N_("curator"),
    Role.COORDINATOR: N_("coordinator"),
}


# --------------------------------------------------------------------------- errors


class RegisterError(LocalizedError):
    """A file that cannot be used as a whole; nothing was written."""


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int
    action: Action
    subject: str
    reason: Msg | None = None  # why the row was refused
    invite_link: str | None = None


@dataclass(slots=True)
class ImportReport:
    kind: Kind
    sheet: str
    header_row: int
    rows: list[RowResult]
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
        for result in self.rows:
            counts[result.action] += 1
        return counts

    def by_row(self, row: int) -> RowResult:
        for result in self.rows:
            if result.row == row:
                return result
        raise KeyError(row)

    def render(self, locale: str) -> str:
        title = (
            N_("Register of schools: sheet “{sheet}”, header in row {row}.")
            if self.kind == "schools"
            else N_("Register of people: sheet “{sheet}”, header in row {row}.")
        )
        lines = [translate(locale, title, sheet=self.sheet, row=self.header_row)]
        if self.dry_run:
            lines.append(translate(locale, N_("Dry run: nothing was written.")))
        for result in self.rows:
            lines.append(_render_row(locale, result))
        counts = self.counts
        lines.append(
            translate(
                locale,
                N_(
                    "Total: {created} created, {updated} updated, {unchanged} unchanged,"
                    " {refused} refused."
                ),
                **counts,
            )
        )
        links = [result for result in self.rows if result.invite_link]
        if links:
            lines.append("")
            lines.append(
                translate(
                    locale,
                    N_(
                        "Personal invitation links (each works once; they are not stored,"
                        " so keep this list and send each person their own link):"
                    ),
                )
            )
            for result in links:
                lines.append(f"{result.subject}: {result.invite_link}")
        return "\n".join(lines)


_ACTION_LINES = {
    "created": N_("Row {row}: created — {subject}"),
    "updated": N_("Row {row}: updated — {subject}"),
    "unchanged": N_("Row {row}: unchanged — {subject}"),
}


def _render_row(locale: str, result: RowResult) -> str:
    if result.action != "refused":
        return translate(
            locale, _ACTION_LINES[result.action], row=result.row, subject=result.subject
        )
    reason = result.reason.render(locale) if result.reason else ""
    if result.subject:
        return translate(
            locale,
            N_("Row {row}: refused — {subject}: {reason}"),
            row=result.row,
            subject=result.subject,
            reason=reason,
        )
    return translate(locale, N_("Row {row}: refused: {reason}"), row=result.row, reason=reason)


class _Refused(LocalizedError):
    """A row that cannot be imported, with its reason."""


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    header: str  # the canonical Russian name, used in templates and messages
    aliases: tuple[str, ...]


_NUMBER = _Column("number", "№ п/п", ("№", "№ п/п", "п/п", "№п/п", "N", "No", "номер"))
_MUNICIPALITY_ALIASES = (
    "Муниципалитет",
    "Муниципальное образование",
    "Район",
    "МОУО",
    "Городской округ",
    "Муниципальный район",
    "Муниципальный округ",
    "Муниципальный район/городской округ",
    "Наименование муниципального образования",
    "Наименование муниципалитета",
    "Наименование района",
    "МО",
    "Территория",
)

SCHOOL_COLUMNS = (
    _NUMBER,
    _Column(
        "name",
        "Наименование ОО",
        (
            "Наименование ОО",
            "Полное наименование",
            "Полное наименование ОО",
            "Название школы",
            "Название ОО",
            "Образовательная организация",
            "Общеобразовательная организация",
            "ОО",
            "Школа",
            "Наименование",
            "Наименование образовательной организации",
            "Наименование общеобразовательной организации",
            "Полное наименование образовательной организации",
            "Наименование организации",
        ),
    ),
    _Column(
        "short_name",
        "Краткое наименование",
        (
            "Краткое наименование",
            "Сокращённое наименование",
            "Краткое название",
            "Сокращённое название",
            "Краткое наименование ОО",
            "Сокращённое наименование ОО",
        ),
    ),
    _Column("municipality", "Муниципалитет", _MUNICIPALITY_ALIASES),
    _Column("inn", "ИНН", ("ИНН", "ИНН ОО", "ИНН организации")),
    _Column(
        "shnor",
        "ШНОР",
        ("ШНОР", "Является ШНОР", "Признак ШНОР", "Школа с низкими образовательными результатами"),
    ),
    _Column(
        "shssu",
        "ШССУ",
        (
            "ШССУ",
            "Является ШССУ",
            "Признак ШССУ",
            "Школа в сложных социальных условиях",
            "Школа, функционирующая в неблагоприятных социальных условиях",
        ),
    ),
    _Column(
        "category",
        "Категория",
        (
            "Категория",
            "Статус",
            "Тип",
            "Категория ОО",
            "Категория школы",
            "Статус ОО",
            "ШНОР/ШССУ",
            "ШНОР, ШССУ",
            "ШНОР или ШССУ",
        ),
    ),
)

PEOPLE_COLUMNS = (
    _NUMBER,
    _Column(
        "full_name",
        "ФИО",
        (
            "ФИО",
            "Ф.И.О.",
            "Фамилия Имя Отчество",
            "Фамилия, имя, отчество",
            "ФИО участника",
            "ФИО сотрудника",
            "Участник",
            "Сотрудник",
        ),
    ),
    _Column("last_name", "Фамилия", ("Фамилия",)),
    _Column("first_name", "Имя", ("Имя",)),
    _Column("middle_name", "Отчество", ("Отчество",)),
    _Column(
        "role",
        "Роль",
        ("Роль", "Роль в проекте", "Роль в программе", "Статус участника", "Функция"),
    ),
    _Column(
        "school",
        "ОО",
        (
            "ОО",
            "Школа",
            "Школы",
            "Образовательная организация",
            "Наименование ОО",
            "Закреплённые ОО",
            "Закреплённые школы",
            "Курируемые ОО",
            "Курируемые школы",
        ),
    ),
    _Column("municipality", "Муниципалитет", _MUNICIPALITY_ALIASES),
    _Column(
        "telegram_id",
        "Telegram ID",
        (
            "Telegram ID",
            "Telegram",
            "Телеграм",
            "Телеграм ID",
            "Телеграмм",
            "ID Telegram",
            "ID в Telegram",
            "TG ID",
            "Идентификатор Telegram",
            "Telegram user id",
        ),
    ),
    _Column(
        "email",
        "E-mail",
        (
            "E-mail",
            "Электронная почта",
            "Эл. почта",
            "Адрес электронной почты",
            "Почта",
            "Email адрес",
        ),
    ),
    _Column(
        "phone",
        "Телефон",
        ("Телефон", "Контактный телефон", "Тел.", "Мобильный телефон", "Номер телефона"),
    ),
    _Column("position", "Должность", ("Должность", "Занимаемая должность")),
)

_COLUMNS: dict[str, tuple[_Column, ...]] = {"schools": SCHOOL_COLUMNS, "people": PEOPLE_COLUMNS}
# Alternatives: one of these sets of columns must be present.
_REQUIRED: dict[str, tuple[tuple[frozenset[str], ...], ...]] = {
    "schools": ((frozenset({"name"}),), (frozenset({"municipality"}),)),
    "people": (
        (frozenset({"full_name"}), frozenset({"last_name", "first_name"})),
        (frozenset({"role"}),),
    ),
}
_HEADERS = {
    kind: {column.key: column.header for column in columns} for kind, columns in _COLUMNS.items()
}

_PARENS = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^0-9a-zа-я№]")


def compact(text: str) -> str:
    """A header's letters and digits only: case, ё, spaces, line breaks, punctuation vanish."""
    return _NOT_WORD.sub("", text.casefold().replace("ё", "е"))


def _header_key(text: str) -> str:
    without_notes = compact(_PARENS.sub(" ", text))
    return without_notes or compact(text)


_ALIASES: dict[str, list[tuple[str, str]]] = {
    kind: sorted(
        ((compact(alias), column.key) for column in columns for alias in column.aliases),
        key=lambda pair: -len(pair[0]),
    )
    for kind, columns in _COLUMNS.items()
}


def _match_header(text: str, kind: Kind) -> tuple[str, bool] | None:
    """The column a header cell names, and whether it matched exactly (not as a prefix)."""
    key = _header_key(text)
    if not key:
        return None
    for alias, column in _ALIASES[kind]:
        if key == alias:
            return column, True
    for alias, column in _ALIASES[kind]:  # longest first
        if len(alias) >= 3 and key.startswith(alias):
            return column, False
    return None


# --------------------------------------------------------------------------- cells

_INVISIBLE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " "})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r" +")


def cell_text(value: Any) -> str:
    """A cell as tidy text: numbers without a stray ".0", spaces collapsed, lines kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = _ZERO_WIDTH.sub("", str(value).translate(_INVISIBLE))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return text.replace("\n", " ")


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Row:
    number: int  # the row number Excel shows
    text: dict[str, str]  # column key -> cell text
    raw: dict[str, Any]  # column key -> cell value as stored
    section: str | None  # the last section heading above, e.g. a merged «Ливенский район»


@dataclass(slots=True)
class _Table:
    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[_Row]

    def has(self, key: str) -> bool:
        return key in self.columns


@dataclass(slots=True)
class Sheet:
    title: str
    grid: list[list[Any]]
    spans: dict[tuple[int, int], int]  # (row, col) -> id of a merge spanning several columns


@dataclass(slots=True)
class _Header:
    sheet: int
    first: int
    last: int
    columns: dict[str, int]

    def score(self, kind: Kind) -> tuple[bool, int]:
        return _has_required(self.columns, kind), len(self.columns)


def _has_required(columns: Iterable[str], kind: Kind) -> bool:
    present = set(columns)
    return all(any(option <= present for option in options) for options in _REQUIRED[kind])


def load_sheets(source: Path | bytes | str) -> list[Sheet]:
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            raise RegisterError(N_("There is no file {path}"), path=str(path))
        data = path.read_bytes()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RegisterError(
            N_("The file is in the old Excel format (.xls): open it in Excel and save as .xlsx")
        )
    try:
        workbook = load_workbook(BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise RegisterError(N_("The file is not an Excel workbook (.xlsx)")) from error
    try:
        return [_read_sheet(sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _read_sheet(sheet: Worksheet) -> Sheet:
    merged = list(sheet.merged_cells.ranges)
    max_row = min(sheet.max_row, MAX_ROWS)
    max_col = min(sheet.max_column, MAX_COLUMNS)
    grid = [
        list(values)
        for values in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)
    ]
    spans: dict[tuple[int, int], int] = {}
    for number, cells in enumerate(merged):
        if cells.min_row > max_row or cells.min_col > max_col:
            continue
        value = grid[cells.min_row - 1][cells.min_col - 1]
        for row in range(cells.min_row - 1, min(cells.max_row, max_row)):
            for col in range(cells.min_col - 1, min(cells.max_col, max_col)):
                grid[row][col] = value
                if cells.max_col > cells.min_col:
                    spans[(row, col)] = number
    return Sheet(sheet.title, grid, spans)


def _match_cells(cells: list[Any], kind: Kind) -> dict[str, tuple[int, bool]]:
    """Column key -> (column index, exact) for one header row; leftmost exact match wins."""
    found: dict[str, tuple[int, bool]] = {}
    for col, value in enumerate(cells):
        if not isinstance(value, str):
            continue
        match = _match_header(value, kind)
        if match is None:
            continue
        key, exact = match
        if key not in found or (exact and not found[key][1]):
            found[key] = (col, exact)
    return found


def _columns_of(found: dict[str, tuple[int, bool]]) -> dict[str, int]:
    """Drop a column claimed twice (a merged header cell) and the ignored number column."""
    columns: dict[str, int] = {}
    taken: set[int] = set()
    for key, (col, _exact) in sorted(found.items(), key=lambda item: not item[1][1]):
        if col not in taken:
            columns[key] = col
            taken.add(col)
    return columns


def _headers_in(sheet: Sheet, index: int, kind: Kind) -> list[_Header]:
    headers = []
    limit = min(len(sheet.grid), HEADER_SEARCH_ROWS)
    singles = [_columns_of(_match_cells(sheet.grid[row], kind)) for row in range(limit)]
    for row in range(limit):
        headers.append(_Header(index, row, row, singles[row]))
        if row + 1 < limit:
            # a two-storey header: «Категория» over «ШНОР» | «ШССУ»; the lower cell is more specific
            upper = _match_cells(sheet.grid[row], kind)
            lower = _match_cells(sheet.grid[row + 1], kind)
            pair = _columns_of({**lower, **{k: v for k, v in upper.items() if k not in lower}})
            if len(pair) > max(len(singles[row]), len(singles[row + 1])):
                headers.append(_Header(index, row, row + 1, pair))
    return headers


def _sheet_headers(sheets: list[Sheet], kind: Kind) -> list[_Header]:
    """The best header row of each sheet that has one, best first (ties keep sheet order)."""
    found = []
    for index, sheet in enumerate(sheets):
        best: _Header | None = None
        for header in _headers_in(sheet, index, kind):
            fields = {key for key in header.columns if key != "number"}
            if len(fields) >= 2 and (best is None or header.score(kind) > best.score(kind)):
                best = header
        if best is not None:
            found.append(best)
    return sorted(found, key=lambda header: header.score(kind), reverse=True)


def is_numbering(cells: list[Any]) -> bool:
    """A row like «1 2 3 4 5» under the header, numbering the columns."""
    numbers = []
    for value in cells:
        text = cell_text(value)
        if not text:
            continue
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 2 and all(b == a + 1 for a, b in pairwise(numbers))


_TOTALS = ("итого", "всего")
_MUNICIPALITY_WORDS = ("район", "округ", "город", "г.", "муниципал", "поселок", "посёлок", "зато")
_SECTION_NUMBER = re.compile(r"^\s*(?:\d+|[IVXLC]+)[.)]\s*")


def _read_table(source: Path | bytes | str, kind: Kind) -> _Table:
    sheets = load_sheets(source)
    candidates = _sheet_headers(sheets, kind)
    header = candidates[0] if candidates else None
    # equally good headers on several sheets (a blank copy, an old version): take one with rows
    for candidate in candidates:
        if candidate.score(kind) < candidates[0].score(kind):
            break
        if _data_rows(sheets[candidate.sheet], candidate, kind)[0]:
            header = candidate
            break
    other: Kind = "people" if kind == "schools" else "schools"
    others = _sheet_headers(sheets, other)
    other_header = others[0] if others else None
    if other_header is not None and other_header.score(other)[0]:
        this_score = header.score(kind) if header else (False, 0)
        if not this_score[0] or other_header.score(other)[1] > this_score[1]:
            raise RegisterError(
                N_("This looks like a register of people, not of schools")
                if other == "people"
                else N_("This looks like a register of schools, not of people")
            )
    if header is None:
        expected = ", ".join(
            f"«{_HEADERS[kind][key]}»"
            for key in (("name", "municipality") if kind == "schools" else ("full_name", "role"))
        )
        raise RegisterError(
            N_("No table header found: expected columns such as {columns}"), columns=expected
        )
    sheet = sheets[header.sheet]
    missing = _missing_required(header.columns, kind)
    rows, sections = _data_rows(sheet, header, kind)
    if missing and not (missing == "municipality" and sections):
        raise RegisterError(
            N_("Column «{column}» not found (header in row {row} of sheet “{sheet}”)"),
            column=_HEADERS[kind][missing],
            row=header.last + 1,
            sheet=sheet.title,
        )
    if not rows:
        raise RegisterError(
            N_("There are no rows under the header (row {row} of sheet “{sheet}”)"),
            row=header.last + 1,
            sheet=sheet.title,
        )
    return _Table(sheet.title, header.last + 1, header.columns, rows)


def _missing_required(columns: dict[str, int], kind: Kind) -> str | None:
    for options in _REQUIRED[kind]:
        if not any(option <= set(columns) for option in options):
            return sorted(options[0])[0]
    return None


def _data_rows(sheet: Sheet, header: _Header, kind: Kind) -> tuple[list[_Row], bool]:
    """The rows under the header that carry data, and whether section headings were seen."""
    columns = {key: col for key, col in header.columns.items() if key != "number"}
    rows: list[_Row] = []
    section: str | None = None
    saw_section = False
    start = header.last + 1
    for offset, row in enumerate(range(start, len(sheet.grid))):
        cells = sheet.grid[row]
        if offset < 2 and is_numbering(cells):
            continue
        filled = [col for col, value in enumerate(cells) if cell_text(value)]
        if not filled:
            continue
        if any(compact(cell_text(cells[col])).startswith(_TOTALS) for col in filled[:2]):
            continue
        spans = {sheet.spans.get((row, col)) for col in filled}
        merged_heading = len(spans) == 1 and None not in spans
        # or a lone cell outside the data columns, typically under «№»
        lone_heading = len(filled) == 1 and filled[0] not in columns.values()
        if merged_heading or lone_heading:
            heading = _SECTION_NUMBER.sub("", _one_line(cell_text(cells[filled[0]])))
            if any(word in heading.casefold() for word in _MUNICIPALITY_WORDS):
                section, saw_section = heading, True
                continue
            if merged_heading:
                continue  # another kind of heading, such as «ШНОР»
        text = {
            key: cell_text(cells[col]) if col < len(cells) else "" for key, col in columns.items()
        }
        if not any(text.values()):
            continue
        in_columns = [cells[col] for col in columns.values() if col < len(cells)]
        labels = [value for value in in_columns if cell_text(value)]
        if len(labels) >= 2 and all(_is_label(value, kind) for value in labels):
            continue  # the header (or its lower storey) repeated further down a printed table
        raw = {key: cells[col] if col < len(cells) else None for key, col in columns.items()}
        if _is_example(kind, text):
            continue
        rows.append(_Row(row + 1, text, raw, section))
    return rows, saw_section


def _is_label(value: Any, kind: Kind) -> bool:
    if not isinstance(value, str):
        return False
    match = _match_header(value, kind)
    return match is not None and match[1]


# --------------------------------------------------------------------------- values

_YES = {"да", "д", "+", "1", "x", "х", "✓", "✔", "v", "*", "yes", "y", "true", "истина", "является"}
_NO = {"нет", "н", "-", "–", "—", "0", "no", "n", "false", "ложь", "не является", "не относится"}


def _flag(text: str, column: str, label: str) -> bool:
    value = _one_line(text).casefold().replace("ё", "е").strip().rstrip(".")
    if not value or value in _NO:
        return False
    if value in _YES or compact(value) == compact(label):
        return True
    raise _Refused(
        N_("Cannot read “{value}” in column «{column}» as yes or no"), value=text, column=column
    )


def _category(text: str) -> tuple[bool, bool]:
    value = _one_line(text).casefold().replace("ё", "е").strip().rstrip(".")
    if not value or value in _NO:
        return False, False
    shnor = "шнор" in value or "низк" in value
    shssu = "шссу" in value or "социальн" in value
    if not shnor and not shssu:
        raise _Refused(
            N_("Cannot read the category “{value}”: expected ШНОР, ШССУ or both"), value=text
        )
    return shnor, shssu


_DIGITS_WITH_ZERO = re.compile(r"^(\d+)[.,]0+$")


def _inn(raw: Any, text: str) -> str | None:
    value = re.sub(r"\s", "", _one_line(text))
    if not value:
        return None
    match = _DIGITS_WITH_ZERO.match(value)
    if match:
        value = match.group(1)
    if isinstance(raw, int | float) and value.isdigit() and len(value) == 9:
        value = "0" + value  # a number lost the leading zero (regions 01–09)
    if not (value.isdigit() and len(value) == 10):
        raise _Refused(
            N_("INN “{value}” is not valid: a school's INN has 10 digits"), value=_one_line(text)
        )
    return value


def _telegram_id(text: str) -> int | None:
    value = re.sub(r"\s", "", _one_line(text))
    if not value:
        return None
    match = _DIGITS_WITH_ZERO.match(value)
    if match:
        value = match.group(1)
    if not value.isdigit() or not 0 < int(value) < 2**63:
        raise _Refused(
            N_("Telegram ID “{value}” is not a number (a @username is not an ID)"), value=text
        )
    return int(value)


_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


def _email(text: str) -> str | None:
    value = _one_line(text).strip().removeprefix("mailto:").casefold()
    if not value:
        return None
    if not _EMAIL.match(value):
        raise _Refused(N_("E-mail “{value}” does not look like an address"), value=text)
    return value


def _phone(text: str) -> str | None:
    """Russian numbers as +7XXXXXXXXXX; anything else kept as written."""
    value = _one_line(text).strip()
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and not value.startswith("+"):
        return "+7" + digits
    return value


def _full_name(text: str) -> str:
    """Spaces tidied; a name written in capitals («ИВАНОВА МАРИЯ») gets normal case."""
    words = _one_line(text).split()
    if words and all(word.isupper() for word in words if any(ch.isalpha() for ch in word)):
        words = [
            "-".join(part[:1].upper() + part[1:].lower() for part in w.split("-")) for w in words
        ]
    return " ".join(words)


_PRINCIPAL_WORDS = ("руководител", "директор", "заведующ", "principal", "head", "director")
_CURATOR_WORDS = ("куратор", "консультант", "тьютор", "эксперт", "наставник", "curator", "tutor")
_COORDINATOR_WORDS = ("координатор", "coordinator")


def _role(text: str) -> Role:
    value = _one_line(text).casefold().replace("ё", "е")
    if not value:
        raise _Refused(N_("The role is empty"))
    found = [
        role
        for words, role in (
            (_COORDINATOR_WORDS, Role.COORDINATOR),
            (_CURATOR_WORDS, Role.CURATOR),
            (_PRINCIPAL_WORDS, Role.PRINCIPAL),
        )
        if any(word in value for word in words)
    ]
    if len(found) > 1:
        raise _Refused(
            N_("“{value}” names several roles: give each role a row of its own"), value=text
        )
    if not found:
        raise _Refused(
            N_("Unknown role “{value}”: expected principal, curator or coordinator"), value=text
        )
    return found[0]


# --------------------------------------------------------------------------- template

_SCHOOL_EXAMPLE = {
    "number": "1",
    "name": "МБОУ «Примерная средняя общеобразовательная школа»",
    "short_name": "Примерная СОШ",
    "municipality": "Примерный район",
    "inn": "5700000000",
    "shnor": "да",
    "shssu": "нет",
}
_PEOPLE_EXAMPLE = {
    "number": "1",
    "full_name": "Образцова Мария Петровна",
    "role": "руководитель",
    "school": "Примерная СОШ",
    "municipality": "Примерный район",
    "position": "директор",
    "telegram_id": "",
    "email": "obraztsova@example.org",
    "phone": "+79001234567",
}
_EXAMPLES: dict[str, dict[str, str]] = {"schools": _SCHOOL_EXAMPLE, "people": _PEOPLE_EXAMPLE}


def _is_example(kind: Kind, text: dict[str, str]) -> bool:
    """The template's example row, left in place: skipped rather than imported."""
    key = "name" if kind == "schools" else "full_name"
    example = _EXAMPLES[kind]
    return text.get(key) == example[key] and text.get("municipality", "") in (
        example["municipality"],
        "",
    )


_TEMPLATE_COLUMNS: dict[str, list[tuple[str, int, str]]] = {
    # column key, width, explanation
    "schools": [
        ("number", 6, N_("Row number; optional, ignored on import.")),
        (
            "name",
            55,
            N_(
                "Required. The school's full name as in its charter. Also accepted as the"
                " header: «Полное наименование», «Название школы», «Образовательная организация»,"
                " «ОО»."
            ),
        ),
        (
            "short_name",
            25,
            N_("Optional. The short name people use, e.g. «Казанская СОШ»; shown in the bot."),
        ),
        (
            "municipality",
            25,
            N_(
                "Required. The municipal district or city district; a cell merged over several"
                " rows applies to each of them. Also accepted: «Муниципальное образование»,"
                " «Район», «МОУО», «Городской округ»."
            ),
        ),
        (
            "inn",
            14,
            N_(
                "Optional but recommended: the school's INN, 10 digits. With it a renamed school"
                " is still recognised."
            ),
        ),
        (
            "shnor",
            9,
            N_(
                "«да» if the school has low educational results (ШНОР), otherwise «нет» or empty."
                " Instead of the two columns ШНОР and ШССУ one column «Категория» with"
                " «ШНОР», «ШССУ» or «ШНОР, ШССУ» is accepted too."
            ),
        ),
        (
            "shssu",
            9,
            N_(
                "«да» if the school works in unfavourable social conditions (ШССУ),"
                " otherwise «нет» or empty."
            ),
        ),
    ],
    "people": [
        ("number", 6, N_("Row number; optional, ignored on import.")),
        (
            "full_name",
            35,
            N_(
                "Required. Surname, first name and patronymic. Three separate columns «Фамилия»,"
                " «Имя», «Отчество» are accepted too."
            ),
        ),
        (
            "role",
            18,
            N_(
                "Required: «руководитель» (school principal), «куратор» (curator, consultant,"
                " tutor) or «координатор». A person with two roles takes two rows."
            ),
        ),
        (
            "school",
            40,
            N_(
                "Required for a principal (one school) and a curator (one or more, separated by"
                " «;» or line breaks): the school's full or short name as in the register of"
                " schools, or its INN."
            ),
        ),
        (
            "municipality",
            22,
            N_("Optional: tells apart schools with the same name in different municipalities."),
        ),
        ("position", 25, N_("Optional: the person's position.")),
        (
            "telegram_id",
            14,
            N_(
                "Optional: the person's numeric Telegram ID. Without it the person joins with a"
                " personal invitation link."
            ),
        ),
        (
            "email",
            28,
            N_(
                "Optional: e-mail. It tells apart people with the same name; a re-imported row"
                " is matched by Telegram ID, then e-mail, then name."
            ),
        ),
        ("phone", 18, N_("Optional: phone number, e.g. +7 900 123-45-67.")),
    ],
}


def write_template(kind: Kind, path: Path, locale: str = "ru") -> None:
    """An empty register to fill in: title, header, one example row and an instruction sheet."""
    columns = _TEMPLATE_COLUMNS[kind]
    headers = _HEADERS[kind]
    example = _EXAMPLES[kind]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    title = N_("Register of schools") if kind == "schools" else N_("Register of people")
    sheet.title = translate(locale, N_("Schools") if kind == "schools" else N_("People"))
    sheet.cell(1, 1, translate(locale, title)).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (key, width, _note) in enumerate(columns, start=1):
        cell = sheet.cell(2, col, headers[key])
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
        example_cell = sheet.cell(3, col, example.get(key) or None)
        example_cell.font = Font(italic=True, color="808080")
        example_cell.number_format = "@"
    sheet.freeze_panes = "A3"
    positions = {key: col for col, (key, _w, _n) in enumerate(columns, start=1)}
    lists = (
        [("shnor", '"да,нет"'), ("shssu", '"да,нет"')]
        if kind == "schools"
        else [("role", '"руководитель,куратор,координатор"')]
    )
    for key, choices in lists:
        validation = DataValidation(type="list", formula1=choices, allow_blank=True)
        validation.errorStyle = "warning"
        letter = get_column_letter(positions[key])
        validation.add(f"{letter}3:{letter}2000")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet("Инструкция")
    notes.append([translate(locale, N_("How to fill in the register"))])
    notes["A1"].font = Font(bold=True, size=14)
    intro = N_(
        "Fill one row per school or person under the header; the grey example row may stay"
        " (it is skipped) or be replaced. Columns may come in any order; other columns are"
        " ignored."
    )
    notes.append([translate(locale, intro)])
    notes.merge_cells("A2:B2")
    notes.row_dimensions[2].height = 48
    notes.append([])
    notes.append([translate(locale, N_("Column")), translate(locale, N_("What to write"))])
    for cell in notes[4]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for key, _width, note in columns:
        notes.append([headers[key], translate(locale, note)])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


# --------------------------------------------------------------------------- schools

_KEEP = object()  # a column the file does not have: the stored value stays


@dataclass(slots=True)
class _SchoolPlan:
    row: int
    data: SchoolData
    action: Action


async def import_schools(
    repo: Repo, source: Path | bytes, *, dry_run: bool = False
) -> ImportReport:
    """Create or update the schools a register lists; every row is checked before writing."""
    table = _read_table(source, "schools")
    results: dict[int, RowResult] = {}
    plans: list[_SchoolPlan] = []
    seen_inn: dict[str, int] = {}
    seen_key: dict[str, int] = {}
    for row in table.rows:
        subject = _one_line(row.text.get("name", "")) or _one_line(row.text.get("short_name", ""))
        try:
            plan = await _plan_school(repo, table, row, seen_inn, seen_key)
        except _Refused as refusal:
            results[row.number] = RowResult(row.number, "refused", subject, refusal.message)
            continue
        plans.append(plan)
        if plan.data.inn:
            seen_inn[plan.data.inn] = row.number
        seen_key[match_key(plan.data.municipality, plan.data.name)] = row.number
        results[row.number] = RowResult(row.number, plan.action, plan.data.name)
    if not dry_run:
        for plan in plans:
            try:
                _school, action = await repo.schools.upsert(plan.data)
            except sqlite3.IntegrityError as error:
                results[plan.row] = RowResult(
                    plan.row,
                    "refused",
                    plan.data.name,
                    Msg(
                        N_("Conflicts with another school in the database ({error})"),
                        {"error": str(error)},
                    ),
                )
                continue
            results[plan.row] = RowResult(plan.row, _action(action), plan.data.name)
    return ImportReport(
        "schools", table.sheet, table.header_row, [results[r.number] for r in table.rows], dry_run
    )


def _action(text: str) -> Action:
    if text == "created":
        return "created"
    if text == "updated":
        return "updated"
    return "unchanged"


async def _plan_school(
    repo: Repo, table: _Table, row: _Row, seen_inn: dict[str, int], seen_key: dict[str, int]
) -> _SchoolPlan:
    name = _one_line(row.text.get("name", ""))
    if not name:
        raise _Refused(N_("The school's name is empty"))
    municipality = _one_line(row.text.get("municipality", "")) or row.section or ""
    if not municipality:
        raise _Refused(N_("The municipality is empty"))
    short_name: Any = _KEEP
    if table.has("short_name"):
        short_name = _one_line(row.text["short_name"]) or None
    inn: Any = _KEEP
    if table.has("inn"):
        inn = _inn(row.raw["inn"], row.text["inn"])
    shnor: Any = _KEEP
    shssu: Any = _KEEP
    if table.has("shnor") or table.has("shssu") or table.has("category"):
        shnor = shssu = False
        if table.has("category"):
            shnor, shssu = _category(row.text["category"])
        if table.has("shnor"):
            shnor = _flag(row.text["shnor"], "ШНОР", "ШНОР") or shnor
        if table.has("shssu"):
            shssu = _flag(row.text["shssu"], "ШССУ", "ШССУ") or shssu

    key = match_key(municipality, name)
    if key in seen_key:
        raise _Refused(N_("Duplicate of row {row}"), row=seen_key[key])
    if isinstance(inn, str) and inn in seen_inn:
        raise _Refused(
            N_("Duplicate of row {row} (the same INN {inn})"), row=seen_inn[inn], inn=inn
        )

    by_name = await repo.schools.find(SchoolData(name, municipality))
    existing = by_name
    if isinstance(inn, str):
        by_inn = await repo.schools.find(SchoolData(name, municipality, inn=inn))
        if by_inn is not None and by_inn.inn == inn:
            if by_name is not None and by_name.id != by_inn.id:
                raise _Refused(
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


# --------------------------------------------------------------------------- people


@dataclass(slots=True)
class _Slot:
    """One person as this import sees them: stored already, or to be created."""

    person: Person | None
    full_name: str
    telegram_id: int | None
    email: str | None
    phone: str | None
    position: str | None
    principal_school: int | None = None
    curator_schools: set[int] = field(default_factory=set)
    coordinator: bool = False
    created_in_file: bool = False
    principal_row: int | None = None
    grants_seen: dict[tuple[Role, tuple[int, ...]], int] = field(default_factory=dict)
    person_id: int | None = None
    invite_role: Role | None = None
    invite_row: int | None = None


@dataclass(slots=True)
class _PersonPlan:
    row: int
    slot: _Slot
    data: PersonData
    role: Role
    school_ids: list[int]
    details_changed: bool
    grant_changed: bool
    action: Action


class _PeoplePlanner:
    """Checks people rows against the database and each other before anything is written."""

    def __init__(self, repo: Repo, table: _Table) -> None:
        self.repo = repo
        self.table = table
        self.slots: list[_Slot] = []
        self.by_person: dict[int, _Slot] = {}
        self.by_telegram: dict[int, tuple[_Slot, int]] = {}
        self.by_email: dict[str, tuple[_Slot, int]] = {}
        self.by_name: dict[str, list[_Slot]] = {}
        self.school_cache: dict[tuple[str, str | None], list[School]] = {}
        self.school_names: dict[int, str] = {}

    async def plan(self, row: _Row) -> _PersonPlan:
        text = row.text
        if self.table.has("full_name"):
            full_name = _full_name(text["full_name"])
        else:
            parts = [text.get(key, "") for key in ("last_name", "first_name", "middle_name")]
            full_name = _full_name(" ".join(part for part in parts if part))
        if not full_name:
            raise _Refused(N_("The full name is empty"))
        role = _role(text.get("role", ""))
        municipality = _one_line(text.get("municipality", "")) or row.section
        school_ids = await self._schools(role, text.get("school", ""), municipality)
        telegram_id = _telegram_id(text.get("telegram_id", ""))
        email = _email(text.get("email", ""))
        phone = _phone(text.get("phone", ""))
        position = _one_line(text.get("position", "")) or None

        slot = await self._slot(full_name, telegram_id, email)
        if email is not None and email in self.by_email and self.by_email[email][0] is not slot:
            other, other_row = self.by_email[email]
            raise _Refused(
                N_("E-mail {email} is already given to “{other}” in row {row}"),
                email=email,
                other=other.full_name,
                row=other_row,
            )
        if telegram_id is not None and telegram_id in self.by_telegram:
            other, other_row = self.by_telegram[telegram_id]
            if other is not slot:
                raise _Refused(
                    N_("Telegram ID {telegram_id} is already given to “{other}” in row {row}"),
                    telegram_id=telegram_id,
                    other=other.full_name,
                    row=other_row,
                )
        grant_key = (role, tuple(sorted(school_ids)))
        if grant_key in slot.grants_seen:
            raise _Refused(N_("Duplicate of row {row}"), row=slot.grants_seen[grant_key])
        if (
            role is Role.PRINCIPAL
            and slot.principal_row is not None
            and slot.principal_school != school_ids[0]
        ):
            raise _Refused(
                N_(
                    "A principal belongs to one school, and row {row} already makes this person"
                    " the principal of “{school}”; if these are two people, add their e-mails"
                    " or Telegram IDs"
                ),
                row=slot.principal_row,
                school=self.school_names.get(slot.principal_school or 0, ""),
            )

        details_changed = (
            slot.full_name != full_name
            or (telegram_id is not None and slot.telegram_id != telegram_id)
            or (email is not None and (slot.email or "").casefold() != email)
            or (phone is not None and slot.phone != phone)
            or (position is not None and slot.position != position)
        )
        if role is Role.PRINCIPAL:
            grant_changed = slot.principal_school != school_ids[0]
        elif role is Role.CURATOR:
            grant_changed = not set(school_ids) <= slot.curator_schools
        else:
            grant_changed = not slot.coordinator
        is_new = slot.person is None and not slot.created_in_file
        if is_new:
            action: Action = "created"
        elif details_changed or grant_changed:
            action = "updated"
        else:
            action = "unchanged"

        # the row is accepted: record what it does, so later rows see it
        slot.full_name = full_name
        slot.telegram_id = telegram_id if telegram_id is not None else slot.telegram_id
        slot.email = email if email is not None else slot.email
        slot.phone = phone if phone is not None else slot.phone
        slot.position = position if position is not None else slot.position
        slot.created_in_file = slot.created_in_file or is_new
        slot.grants_seen[grant_key] = row.number
        if role is Role.PRINCIPAL:
            slot.principal_school = school_ids[0]
            slot.principal_row = row.number
        elif role is Role.CURATOR:
            slot.curator_schools.update(school_ids)
        else:
            slot.coordinator = True
        if slot.invite_role is None:
            slot.invite_role, slot.invite_row = role, row.number
        if telegram_id is not None:
            self.by_telegram.setdefault(telegram_id, (slot, row.number))
        if email is not None:
            self.by_email.setdefault(email, (slot, row.number))
        self.by_name.setdefault(match_key(full_name), [])
        if slot not in self.by_name[match_key(full_name)]:
            self.by_name[match_key(full_name)].append(slot)
        data = PersonData(
            full_name=full_name,
            telegram_id=telegram_id,
            email=email,
            phone=phone,
            position=position,
        )
        return _PersonPlan(
            row.number, slot, data, role, school_ids, details_changed, grant_changed, action
        )

    async def _schools(self, role: Role, text: str, municipality: str | None) -> list[int]:
        if role is Role.COORDINATOR:
            return []
        references = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
        if not references:
            if role is Role.PRINCIPAL:
                raise _Refused(N_("A principal needs a school in column «ОО»"))
            raise _Refused(N_("A curator needs at least one school in column «ОО»"))
        if role is Role.PRINCIPAL and len(references) > 1:
            raise _Refused(
                N_("A principal belongs to one school, but the row names {count}"),
                count=len(references),
            )
        ids: list[int] = []
        for reference in references:
            key = (reference, municipality)
            if key not in self.school_cache:
                self.school_cache[key] = await self.repo.schools.find_by_reference(
                    reference, municipality
                )
            found = self.school_cache[key]
            if not found:
                if municipality:
                    raise _Refused(
                        N_("School “{school}” not found in “{municipality}”"),
                        school=reference,
                        municipality=municipality,
                    )
                raise _Refused(N_("School “{school}” not found"), school=reference)
            if len(found) > 1:
                raise _Refused(
                    N_("“{school}” matches {count} schools; add the municipality or the INN"),
                    school=reference,
                    count=len(found),
                )
            self.school_names[found[0].id] = found[0].display_name
            if found[0].id not in ids:
                ids.append(found[0].id)
        return ids

    async def _slot(self, full_name: str, telegram_id: int | None, email: str | None) -> _Slot:
        """The person this row is about: by Telegram ID, else e-mail, else an unambiguous name."""
        people = self.repo.people
        person: Person | None = None
        if telegram_id is not None:
            person = await people.by_telegram_id(telegram_id)
        if email is not None:
            owner = await people.by_email(email)
            if owner is not None and person is not None and owner.id != person.id:
                raise _Refused(
                    N_("E-mail {email} belongs to another person, “{other}”"),
                    email=email,
                    other=owner.full_name,
                )
            if owner is not None and person is None:
                if telegram_id is not None and owner.telegram_id not in (None, telegram_id):
                    raise _Refused(
                        N_("E-mail {email} belongs to “{other}”, who has another Telegram ID"),
                        email=email,
                        other=owner.full_name,
                    )
                person = owner
        if person is None:
            namesakes = [
                p
                for p in await people.by_name(full_name)
                if _compatible(p.telegram_id, p.email, telegram_id, email)
            ]
            if len(namesakes) > 1:
                raise _Refused(
                    N_(
                        "{count} people named “{name}” are registered; add an e-mail or a"
                        " Telegram ID to say which one"
                    ),
                    count=len(namesakes),
                    name=full_name,
                )
            if namesakes:
                person = namesakes[0]
        if person is not None:
            if person.id not in self.by_person:
                self.by_person[person.id] = await self._stored_slot(person)
            return self.by_person[person.id]
        # not stored yet: maybe an earlier row of this file introduced them
        if telegram_id is not None and telegram_id in self.by_telegram:
            return self.by_telegram[telegram_id][0]
        if email is not None and email in self.by_email:
            return self.by_email[email][0]
        candidates = [
            slot
            for slot in self.by_name.get(match_key(full_name), [])
            if slot.person is None and _compatible(slot.telegram_id, slot.email, telegram_id, email)
        ]
        if len(candidates) == 1:
            return candidates[0]
        slot = _Slot(None, full_name, telegram_id, email, None, None)
        self.slots.append(slot)
        return slot

    async def _stored_slot(self, person: Person) -> _Slot:
        roles = await self.repo.people.roles(person.id)
        slot = _Slot(
            person,
            person.full_name,
            person.telegram_id,
            person.email,
            person.phone,
            person.position,
            principal_school=roles.principal_school_id,
            curator_schools=set(roles.curator_school_ids),
            coordinator=roles.coordinator,
            person_id=person.id,
        )
        self.slots.append(slot)
        return slot


def _compatible(
    stored_tg: int | None, stored_email: str | None, tg: int | None, email: str | None
) -> bool:
    """A namesake may be this person unless their Telegram ID or e-mail says otherwise."""
    if tg is not None and stored_tg is not None and stored_tg != tg:
        return False
    return not (email is not None and stored_email is not None and stored_email.casefold() != email)


async def import_people(
    repo: Repo,
    source: Path | bytes,
    *,
    invite: bool = False,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    bot_username: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update people and grant their roles; with ``invite``, make personal links.

    A person who has not started the bot yet (no Telegram ID) gets one new invitation
    per import, for the role of their first row; their earlier unused invitations are
    revoked, so only the links in this report work.
    """
    table = _read_table(source, "people")
    planner = _PeoplePlanner(repo, table)
    results: dict[int, RowResult] = {}
    plans: list[_PersonPlan] = []
    for row in table.rows:
        try:
            plan = await planner.plan(row)
        except _Refused as refusal:
            subject = _full_name(row.text.get("full_name", "")) or _full_name(
                " ".join(row.text.get(k, "") for k in ("last_name", "first_name", "middle_name"))
            )
            results[row.number] = RowResult(row.number, "refused", subject, refusal.message)
            continue
        plans.append(plan)
        results[row.number] = RowResult(row.number, plan.action, plan.data.full_name)
    if dry_run:
        return _people_report(table, results, dry_run=True)

    for plan in plans:
        slot = plan.slot
        try:
            if slot.person_id is None:
                slot.person_id = (await repo.people.create(plan.data)).id
            elif plan.details_changed:
                await repo.people.update_details(slot.person_id, plan.data)
            if plan.grant_changed:
                await repo.people.grant(slot.person_id, plan.role, plan.school_ids)
        except sqlite3.IntegrityError as error:
            results[plan.row] = RowResult(
                plan.row,
                "refused",
                plan.data.full_name,
                N_("Conflicts with another person in the database ({error})"),
                {"error": str(error)},
            )
    if invite:
        await _invite(repo, planner.slots, plans, results, expires_days, bot_username)
    return _people_report(table, results, dry_run=False)


async def _invite(
    repo: Repo,
    slots: list[_Slot],
    plans: list[_PersonPlan],
    results: dict[int, RowResult],
    expires_days: int,
    bot_username: str | None,
) -> None:
    for slot in slots:
        if slot.person_id is None or slot.invite_role is None or slot.invite_row is None:
            continue
        person = await repo.people.get(slot.person_id)
        if person is None or person.telegram_id is not None:
            continue
        role = slot.invite_role
        school_ids: list[int] = []
        for plan in plans:
            if plan.slot is slot and plan.role is role:
                school_ids += [i for i in plan.school_ids if i not in school_ids]
        if role is Role.PRINCIPAL:
            school_ids = school_ids[-1:]
        await repo.invitations.revoke_pending_for(slot.person_id)
        code, _invitation = await create_invitation(
            repo, role, school_ids, person_id=slot.person_id, expires_days=expires_days
        )
        row = slot.invite_row
        old = results[row]
        results[row] = RowResult(
            old.row,
            old.action,
            old.subject,
            old.reason,
            deep_link(code, bot_username),
        )


def _people_report(table: _Table, results: dict[int, RowResult], *, dry_run: bool) -> ImportReport:
    return ImportReport(
        "people",
        table.sheet,
        table.header_row,
        [results[row.number] for row in table.rows],
        dry_run,
    )
