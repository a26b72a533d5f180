"""How a roadmap import is reported: each period as read, unreadable rows, totals."""

from __future__ import annotations

from bot.calendar.period import DateRange, PeriodKind
from bot.calendar.roadmap.reasons import describe_reason
from bot.calendar.roadmap.sheet import RoadmapRow, RoadmapSheet
from bot.calendar.roadmap.text import short
from bot.i18n import N_, translate, translate_plural

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

UNMAPPED_HEADING = N_(
    "Words in «Ответственные» that name nobody the bot reminds (shown, not guessed: nobody"
    " is reminded for them):"
)
UNMAPPED_ROW = N_("Row {row}: {title} — «{words}»")
UNMAPPED_ROW_TO_COORDINATORS = N_(
    "Row {row}: {title} — «{words}»; nobody else is named, so the roadmap's coordinators"
    " are reminded"
)


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
            lines.append(f"[{short(section, 80)}]")
        period = " ".join(row.period.split())
        lines.append(
            translate(
                locale,
                N_("Row {row}: {title} — «{period}» → {reading}"),
                row=row.row,
                title=short(row.title),
                period=period,
                reading=render_reading(row, locale),
            )
        )
    lines.append(_totals(sheet, locale))
    lines += unmapped_lines(sheet, locale)
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
                    title=short(row.title),
                    period=" ".join(row.period.split()),
                    reason=describe_reason(row.reading.reason).render(locale),
                )
            )
    lines += unmapped_lines(sheet, locale)
    return "\n".join(lines)


def unmapped_lines(sheet: RoadmapSheet, locale: str, limit: int | None = None) -> list[str]:
    """The rows whose «Ответственные» say something the bot maps to nobody, as written
    (:func:`bot.calendar.responsible.read_responsible`), up to ``limit`` of them; none:
    no lines."""
    rows = [row for row in sheet.rows if row.unmapped]
    if not rows:
        return []
    shown = rows if limit is None else rows[:limit]
    lines = [translate(locale, UNMAPPED_HEADING)]
    for row in shown:
        lines.append(
            translate(
                locale,
                UNMAPPED_ROW if row.roles else UNMAPPED_ROW_TO_COORDINATORS,
                row=row.row,
                title=short(row.title),
                words="; ".join(row.unmapped),
            )
        )
    more = len(rows) - len(shown)
    if more:
        lines.append(translate_plural(locale, "and {n} more row", "and {n} more rows", more))
    return lines


def _heading(sheet: RoadmapSheet, locale: str) -> str:
    return translate(
        locale,
        N_("Roadmap “{title}” (sheet “{sheet}”), {start} – {end}"),
        title=short(sheet.title, 120),
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
