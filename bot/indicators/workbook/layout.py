"""The layout of the indicators workbook: its columns (a hidden code per column, the
header people read), sheet titles and cell styles, shared by the export and the import."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.i18n import N_, translate
from bot.indicators.catalog import Catalog, Indicator, Kind
from bot.indicators.titles import campaign_name
from storage.models import Status

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
DATE_FORMATS = {"ru": "dd.mm.yyyy", "en": "yyyy-mm-dd"}
DATETIME_FORMATS = {"ru": "dd.mm.yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}
FIXED_WIDTHS = {INT: 7, PERCENT: 8, DATE: 11, DATETIME: 16}
# --------------------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the code in the hidden row
    header: str
    style: str = TEXT
    hidden: bool = False
    note: str | None = None  # a comment on the header cell


def campaign_label(catalog: Catalog, key: str, year: int, locale: str) -> str:
    """The campaign as it is named everywhere (:mod:`bot.indicators.titles`)."""
    due = catalog.campaign_indicators(key)[0].due(year)
    return campaign_name(catalog, year, key, due, locale)


def _part(locale: str, msgid: str, indicator: Indicator) -> str:
    return translate(locale, msgid, indicator=indicator.short.get(locale))


def indicator_columns(catalog: Catalog, indicator: Indicator, locale: str) -> list[Column]:
    """The columns one indicator takes, in order; the first one's key is the code."""
    code, short = indicator.code, indicator.short.get(locale)
    kind = indicator.kind
    if kind is Kind.LINK:
        return [Column(code, short, LINK)]
    if kind is Kind.SHARE:
        return [
            Column(code, short, PERCENT),
            Column(f"{code}:of", _part(locale, N_("{indicator} (N of M)"), indicator)),
        ]
    if kind is Kind.COUNT:
        return [Column(code, short, INT)]
    if kind is Kind.COUNT_LIST:
        return [
            Column(code, _part(locale, N_("{indicator}: number"), indicator), INT),
            Column(f"{code}:items", _part(locale, N_("{indicator}: list"), indicator)),
        ]
    if kind is Kind.LEVEL_COUNTS:
        return [
            Column(f"{code}:{level}", f"{short}: {catalog.level(level).title.get(locale)}", INT)
            for level in indicator.levels
        ]
    if kind is Kind.DOCUMENT:
        return [
            Column(code, short),
            Column(
                f"{code}:file",
                _part(locale, N_("{indicator}: file in Telegram"), indicator),
                hidden=True,
            ),
        ]
    return [Column(code, short)]  # yes_no, choice


def indicator_sheet_columns(catalog: Catalog, year: int, locale: str) -> list[Column]:
    catalog = catalog.for_year(year)  # the headers name the school years of its campaigns
    columns = [
        Column(MUNICIPALITY, translate(locale, N_("Municipality"))),
        Column(NAME, translate(locale, N_("School"))),
        Column(SHORT_NAME, translate(locale, N_("Short name"))),
        Column(INN, translate(locale, N_("INN"))),
        Column(SHNOR, translate(locale, N_("Low results (ШНОР)"))),
        Column(SHSSU, translate(locale, N_("Unfavourable conditions (ШССУ)"))),
    ]
    columns += [Column(f"base:{b.code}", b.title.get(locale), INT) for b in catalog.bases]
    for indicator in catalog.indicators:
        first, *rest = indicator_columns(catalog, indicator, locale)
        note = f"{indicator.title.get(locale)} [{indicator.code}]"
        columns += [replace(first, note=note), *rest]
    for key in catalog.deadlines():
        label = campaign_label(catalog, key, year, locale)
        columns += [
            Column(f"status:{key}", translate(locale, N_("Status, {campaign}"), campaign=label)),
            Column(
                f"submitted_at:{key}",
                translate(locale, N_("Submitted at, {campaign}"), campaign=label),
                DATETIME,
            ),
            # who sent it: the principal or a deputy («ответственный от ОО»)
            Column(
                f"submitted_by:{key}",
                translate(locale, N_("Submitted by, {campaign}"), campaign=label),
            ),
            Column(f"late:{key}", translate(locale, N_("Late, {campaign}"), campaign=label)),
        ]
    return columns


def indicators_sheet_title(year: int, locale: str) -> str:
    return sheet_title(translate(locale, N_("Indicators {year}"), year=year))


def sheet_title(text: str) -> str:
    from openpyxl.workbook.child import INVALID_TITLE_REGEX

    return INVALID_TITLE_REGEX.sub(" ", text)[:31]
