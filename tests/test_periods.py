"""Reading roadmap periods (bot/calendar/period_reader.py): seed phrases, unseen ones, garbage."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.period import (
    MAX_TEXT,
    AnnualSpan,
    DateRange,
    Frequency,
    Period,
    PeriodKind,
    Recurrence,
)
from bot.calendar.period_reader import read_period

RANGE = PeriodKind.RANGE
RANGES = PeriodKind.RANGES
RECURRING = PeriodKind.RECURRING
DEADLINE = PeriodKind.DEADLINE
NO_DATE = PeriodKind.NO_FIXED_DATE
UNREADABLE = PeriodKind.UNREADABLE


def spans(period: Period, start: str = "2017-01-01", end: str = "2026-12-31") -> list[str]:
    """The period's occurrences in a window, as «YYYY-MM-DD..YYYY-MM-DD»."""
    found = period.occurrences(date.fromisoformat(start), date.fromisoformat(end))
    return [f"{r.start}..{r.end}" for r in found]


def months(year: int, *numbers: int) -> list[str]:
    """Whole months of one year, as ``spans`` writes them."""
    return [
        f"{date(year, m, 1)}..{date(year, m, calendar.monthrange(year, m)[1])}" for m in numbers
    ]


# ---------------------------------------------------------------------------
# Seed 000: Lipetsk region, plan-schedule of action 21 «в 2018 году». The «Срок (период)»
# column as the PDF extraction gives it: line breaks, hyphenation, a lost comma.

SEED_000 = (2018, 2018)
SEED_000_PHRASES: list[tuple[str, PeriodKind, list[str]]] = [
    ("март ", RANGE, months(2018, 3)),
    ("март - ап-\nрель ", RANGE, ["2018-03-01..2018-04-30"]),
    (
        "март, \nапрель, \nавгуст, \n\nсентябрь, \nоктябрь, \n\nноябрь, \nдекабрь ",
        RANGES,
        months(2018, 3, 4, 8, 9, 10, 11, 12),
    ),
    ("апрель - \nсентябрь ", RANGE, ["2018-04-01..2018-09-30"]),
    ("\nапрель \n", RANGE, months(2018, 4)),
    (
        "апрель, \nмай, \n\nсентябрь, \nоктябрь, \n\nноябрь ",
        RANGES,
        months(2018, 4, 5, 9, 10, 11),
    ),
    ("апрель, \n\nиюнь, \nноябрь ", RANGES, months(2018, 4, 6, 11)),
    ("апрель - \nмай ", RANGE, ["2018-04-01..2018-05-31"]),
    # the comma after «август» is lost in the PDF
    (
        "апрель, \n\nавгуст \nсентябрь, \nоктябрь, \nноябрь ",
        RANGES,
        months(2018, 4, 8, 9, 10, 11),
    ),
    ("июнь  ", RANGE, months(2018, 6)),
    ("июнь – \nавгуст ", RANGE, ["2018-06-01..2018-08-31"]),
    ("июнь, \nавгуст ", RANGES, months(2018, 6, 8)),
    ("июнь – \nсентябрь ", RANGE, ["2018-06-01..2018-09-30"]),
    ("август, \n\nсентябрь, \nоктябрь, \nноябрь  ", RANGES, months(2018, 8, 9, 10, 11)),
    ("октябрь - \nноябрь ", RANGE, ["2018-10-01..2018-11-30"]),
    ("\nноябрь \n", RANGE, months(2018, 11)),
    ("декабрь \n", RANGE, months(2018, 12)),
    ("в течение \nгода ", NO_DATE, []),
    ("в течение \n\nгода ", NO_DATE, []),
    ("по отдель-\n\nному гра-\nфику ", NO_DATE, []),
    ("в 2018 году ", RANGE, ["2018-01-01..2018-12-31"]),  # the title
    ("на 2018 г. ", RANGE, ["2018-01-01..2018-12-31"]),
]

# Seed 001: Livny district, the roadmap «по поддержке ШНОР» and the plan-schedule of
# indicators; the program is «на 2022-2023 г.г.».
SEED_001 = (2022, 2023)
SEED_001_PHRASES: list[tuple[str, PeriodKind, list[str]]] = [
    ("февраль - апрель \n\n2023 ", RANGE, ["2023-02-01..2023-04-30"]),
    ("В течение всего \nпериода ", NO_DATE, []),
    ("В течение всего \n\nпериода ", NO_DATE, []),
    ("По плану \n\nмониторинговых \n\nисследований ", NO_DATE, []),
    (
        "По плану \n\nработы \n\nУправления \n\nобразования, 2-3 \n\nраза в год ",
        RECURRING,
        ["2022-01-01..2022-12-31", "2023-01-01..2023-12-31"],
    ),
    ("2 раза в год \n\n(май, декабрь) ", RECURRING, months(2022, 5, 12) + months(2023, 5, 12)),
    ("постоянно ", NO_DATE, []),
    ("По плану \n\nработы \n", NO_DATE, []),
    ("Сентябрь \n\nтекущего года ", RANGE, months(2022, 9) + months(2023, 9)),
    ("До 2 мая \nтекущего года ", DEADLINE, ["2022-05-02..2022-05-02", "2023-05-02..2023-05-02"]),
    ("До 2 мая \n\nтекущего года ", DEADLINE, ["2022-05-02..2022-05-02", "2023-05-02..2023-05-02"]),
    ("До 1мая \n\nтекущего года ", DEADLINE, ["2022-05-01..2022-05-01", "2023-05-01..2023-05-01"]),
    (
        "До 1 октября \nтекущего года ",
        DEADLINE,
        ["2022-10-01..2022-10-01", "2023-10-01..2023-10-01"],
    ),
    (
        "До 1 октября \n\nтекущего года ",
        DEADLINE,
        ["2022-10-01..2022-10-01", "2023-10-01..2023-10-01"],
    ),
    ("По графику ", NO_DATE, []),
    # the program's own periods, from the order and the passport
    ("2022-2023 г.г. ", RANGE, ["2022-01-01..2023-12-31"]),
    ("2022 – 2023гг.", RANGE, ["2022-01-01..2023-12-31"]),
    ("2022 – 2023гг", RANGE, ["2022-01-01..2023-12-31"]),
    ("01.02.2023 - 31.12.2023 ", RANGE, ["2023-02-01..2023-12-31"]),
    ("01.09.2021г.", RANGE, ["2021-09-01..2021-09-01"]),
]


@pytest.mark.parametrize(("text", "kind", "expected"), SEED_000_PHRASES)
def test_seed_000_phrases(text: str, kind: PeriodKind, expected: list[str]) -> None:
    period = read_period(text, program_years=SEED_000)
    assert (period.kind, spans(period)) == (kind, expected)
    assert period.text == text
    assert period.reason is None


@pytest.mark.parametrize(("text", "kind", "expected"), SEED_001_PHRASES)
def test_seed_001_phrases(text: str, kind: PeriodKind, expected: list[str]) -> None:
    period = read_period(text, program_years=SEED_001)
    assert (period.kind, spans(period)) == (kind, expected)
    assert period.reason is None


def test_seed_phrases_are_many_and_distinct() -> None:
    texts = [text for text, _, _ in SEED_000_PHRASES + SEED_001_PHRASES]
    assert len(set(texts)) == len(texts) >= 25


def test_seed_recurrences_keep_what_was_said() -> None:
    twice = read_period("2 раза в год \n\n(май, декабрь) ", program_years=SEED_001)
    assert twice.recurrence == Recurrence(
        Frequency.YEARLY,
        times=(2, 2),
        spans=(AnnualSpan(5, 1, 5, 31), AnnualSpan(12, 1, 12, 31)),
    )
    assert twice.recurrence.dated
    plan = read_period(SEED_001_PHRASES[4][0], program_years=SEED_001)
    assert plan.recurrence == Recurrence(Frequency.YEARLY, times=(2, 3))
    assert not plan.recurrence.dated


def test_yearless_ranges_list_each_program_year() -> None:
    period = read_period("До 1 октября \nтекущего года ", program_years=SEED_001)
    assert period.ranges == (
        DateRange(date(2022, 10, 1), date(2022, 10, 1)),
        DateRange(date(2023, 10, 1), date(2023, 10, 1)),
    )
    assert period.annual == (AnnualSpan(10, 1, 10, 1, deadline=True),)
    assert period.years == SEED_001


# ---------------------------------------------------------------------------
# Phrases from other roadmaps, never seen while writing the reader


UNSEEN: list[tuple[str, dict[str, object], PeriodKind, list[str]]] = [
    (
        "Ежегодно, до 20 декабря",
        {"program_years": (2023, 2025)},
        RECURRING,
        ["2023-12-20..2023-12-20", "2024-12-20..2024-12-20", "2025-12-20..2025-12-20"],
    ),
    ("III квартал 2024 г.", {}, RANGE, ["2024-07-01..2024-09-30"]),
    ("октябрь – ноябрь 2024 года", {}, RANGE, ["2024-10-01..2024-11-30"]),
    ("до 25.05.2024", {}, DEADLINE, ["2024-05-25..2024-05-25"]),
    ("по итогам четверти", {"program_years": (2024, 2025)}, NO_DATE, []),
    ("Октябрь-ноябрь 2019 года", {}, RANGE, ["2019-10-01..2019-11-30"]),
    ("август – декабрь 2019 года", {}, RANGE, ["2019-08-01..2019-12-31"]),
    ("Март-апрель 2023 г.", {}, RANGE, ["2023-03-01..2023-04-30"]),
    ("август– декабрь", {"default_year": 2024}, RANGE, ["2024-08-01..2024-12-31"]),
    ("сентябрь-октябрь", {"default_year": 2024}, RANGE, ["2024-09-01..2024-10-31"]),
    ("май и декабрь", {"default_year": 2024}, RANGES, months(2024, 5, 12)),
    ("2019-2020 учебный год", {}, RANGE, ["2019-09-01..2020-08-31"]),
    ("2019/2020 уч. год", {}, RANGE, ["2019-09-01..2020-08-31"]),
    ("2019-20 учебный год", {}, RANGE, ["2019-09-01..2020-08-31"]),
    ("2019/2020", {}, RANGE, ["2019-09-01..2020-08-31"]),
    ("май 2019/2020 учебного года", {}, RANGE, ["2020-05-01..2020-05-31"]),
    ("с сентября 2023 г. по май 2024 г.", {}, RANGE, ["2023-09-01..2024-05-31"]),
    ("в течение 2023/2024 учебного года", {}, RANGE, ["2023-09-01..2024-08-31"]),
    ("2019 год", {}, RANGE, ["2019-01-01..2019-12-31"]),
    ("2019-2021 годы", {}, RANGE, ["2019-01-01..2021-12-31"]),
    ("в 2020 году", {}, RANGE, ["2020-01-01..2020-12-31"]),
    ("I полугодие 2020", {}, RANGE, ["2020-01-01..2020-06-30"]),
    ("2-е полугодие 2024 г.", {}, RANGE, ["2024-07-01..2024-12-31"]),
    ("II квартал 2021", {}, RANGE, ["2021-04-01..2021-06-30"]),
    (
        "во II квартале",
        {"program_years": (2024, 2025)},
        RANGE,
        ["2024-04-01..2024-06-30", "2025-04-01..2025-06-30"],
    ),
    ("I–II кварталы 2025 г.", {}, RANGE, ["2025-01-01..2025-06-30"]),
    ("декабрь 2019 – январь 2020", {}, RANGE, ["2019-12-01..2020-01-31"]),
    ("декабрь – январь 2020 г.", {}, RANGE, ["2019-12-01..2020-01-31"]),
    ("ноябрь, декабрь, январь 2024", {}, RANGES, months(2023, 11, 12) + months(2024, 1)),
    ("март, апрель 2023", {}, RANGES, months(2023, 3, 4)),
    ("до 1 октября текущего года", {"default_year": 2023}, DEADLINE, ["2023-10-01..2023-10-01"]),
    ("до 01.10.2023", {}, DEADLINE, ["2023-10-01..2023-10-01"]),
    ("не позднее 15 мая", {"default_year": 2024}, DEADLINE, ["2024-05-15..2024-05-15"]),
    ("в срок до 1-го сентября 2024 г.", {}, DEADLINE, ["2024-09-01..2024-09-01"]),
    ("до конца 2024 года", {}, DEADLINE, ["2024-12-31..2024-12-31"]),
    ("до конца февраля", {"default_year": 2024}, DEADLINE, ["2024-02-29..2024-02-29"]),
    ("15.03.2023", {}, RANGE, ["2023-03-15..2023-03-15"]),
    ("с 1 по 15 марта", {"default_year": 2024}, RANGE, ["2024-03-01..2024-03-15"]),
    ("с 25 декабря 2023 г. по 10 января 2024 г.", {}, RANGE, ["2023-12-25..2024-01-10"]),
    ("с марта по май 2024 года", {}, RANGE, ["2024-03-01..2024-05-31"]),
    ("1–10 июня 2024", {}, RANGE, ["2024-06-01..2024-06-10"]),
    ("в конце марта 2024", {}, RANGE, ["2024-03-21..2024-03-31"]),
    ("первая половина октября 2024 г.", {}, RANGE, ["2024-10-01..2024-10-15"]),
    (
        "«Сентябрь», ежегодно.",
        {"program_years": (2023, 2024)},
        RECURRING,
        months(2023, 9) + months(2024, 9),
    ),
    ("ежегодно в сентябре", {"program_years": (2024, 2024)}, RECURRING, months(2024, 9)),
    ("ежегодно с 2025 года", {}, RECURRING, ["2025-01-01..2025-12-31", "2026-01-01..2026-12-31"]),
    (
        "ежегодно, 2019-2021 гг.",
        {},
        RECURRING,
        ["2019-01-01..2019-12-31", "2020-01-01..2020-12-31", "2021-01-01..2021-12-31"],
    ),
    (
        "1 раз в квартал",
        {"program_years": (2024, 2024)},
        RECURRING,
        [
            "2024-01-01..2024-03-31",
            "2024-04-01..2024-06-30",
            "2024-07-01..2024-09-30",
            "2024-10-01..2024-12-31",
        ],
    ),
    (
        "ежеквартально",
        {"program_years": (2024, 2024)},
        RECURRING,
        [
            "2024-01-01..2024-03-31",
            "2024-04-01..2024-06-30",
            "2024-07-01..2024-09-30",
            "2024-10-01..2024-12-31",
        ],
    ),
    (
        "раз в полгода",
        {"program_years": (2024, 2024)},
        RECURRING,
        ["2024-01-01..2024-06-30", "2024-07-01..2024-12-31"],
    ),
    (
        "2 раза в год",
        {"program_years": (2024, 2025)},
        RECURRING,
        ["2024-01-01..2024-12-31", "2025-01-01..2025-12-31"],
    ),
    ("1 раз в четверть", {"program_years": (2024, 2025)}, RECURRING, []),
    ("в течение года", {"default_year": 2024}, NO_DATE, []),
    ("в течение учебного года", {"program_years": (2024, 2025)}, NO_DATE, []),
    ("в течение всего периода реализации программы", {}, NO_DATE, []),
    ("по мере необходимости", {}, NO_DATE, []),
    ("по плану", {}, NO_DATE, []),
    ("в соответствии с планом", {}, NO_DATE, []),
    ("в соответствии с планом работы ИРО", {}, NO_DATE, []),
    ("по итогам ГИА-9, ГИА-11", {}, NO_DATE, []),
    ("постоянно, по запросу ОО", {}, NO_DATE, []),
    ("март (по отдельному графику)", {"default_year": 2024}, RANGE, months(2024, 3)),
    ("с 2024 года", {"program_years": (2023, 2025)}, RANGE, ["2024-01-01..2025-12-31"]),
]


@pytest.mark.parametrize(("text", "context", "kind", "expected"), UNSEEN)
def test_unseen_phrases(
    text: str, context: dict[str, object], kind: PeriodKind, expected: list[str]
) -> None:
    period = read_period(text, **context)  # type: ignore[arg-type]
    assert (period.kind, spans(period)) == (kind, expected)
    assert period.reason is None


def test_monthly_due_day_is_clamped_to_short_months() -> None:
    period = read_period("ежемесячно, до 31 числа", program_years=(2024, 2024))
    assert period.recurrence == Recurrence(Frequency.MONTHLY, day_of_month=31)
    assert spans(period, "2024-01-01", "2024-04-30") == [
        "2024-01-31..2024-01-31",
        "2024-02-29..2024-02-29",
        "2024-03-31..2024-03-31",
        "2024-04-30..2024-04-30",
    ]


def test_weekly_is_monday_to_sunday_and_clipped_to_the_window() -> None:
    period = read_period("еженедельно")
    assert spans(period, "2024-09-04", "2024-09-20") == [
        "2024-09-04..2024-09-08",
        "2024-09-09..2024-09-15",
        "2024-09-16..2024-09-20",
    ]


def test_monthly_inside_given_months() -> None:
    period = read_period("ежемесячно, сентябрь – декабрь", program_years=(2024, 2024))
    assert spans(period) == months(2024, 9, 10, 11, 12)


def test_daily_and_a_season_crossing_the_year() -> None:
    period = read_period("ежедневно, с 30 декабря по 2 января", program_years=(2024, 2024))
    days = ("2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02")
    assert spans(period) == [f"{d}..{d}" for d in days]


# ---------------------------------------------------------------------------
# Years from the context


def test_a_yearless_month_without_context_recurs_in_every_year_of_the_window() -> None:
    period = read_period("март")
    assert period.ranges == ()
    assert period.years is None
    assert spans(period, "2023-02-15", "2025-03-10") == [
        "2023-03-01..2023-03-31",
        "2024-03-01..2024-03-31",
        "2025-03-01..2025-03-10",
    ]


def test_program_years_win_over_default_year() -> None:
    period = read_period("март", default_year=2030, program_years=(2019, 2021))
    expected = months(2019, 3) + months(2020, 3) + months(2021, 3)
    assert spans(period, "2010-01-01", "2040-12-31") == expected


def test_a_yearless_span_crossing_the_year_starts_in_each_program_year() -> None:
    period = read_period("сентябрь - май", program_years=(2022, 2023))
    assert period.kind is RANGE
    assert spans(period) == ["2022-09-01..2023-05-31", "2023-09-01..2024-05-31"]


def test_recurrences_are_bounded_by_the_program_not_by_default_year() -> None:
    assert spans(read_period("ежегодно", program_years=(2020, 2021))) == [
        "2020-01-01..2020-12-31",
        "2021-01-01..2021-12-31",
    ]
    assert len(spans(read_period("ежегодно", default_year=2020))) == 10


def test_occurrences_clip_to_the_window_and_ranges_keep_the_whole_span() -> None:
    period = read_period("декабрь 2019 – январь 2020")
    assert spans(period, "2020-01-10", "2020-12-31") == ["2020-01-10..2020-01-31"]
    assert period.ranges == (DateRange(date(2019, 12, 1), date(2020, 1, 31)),)
    assert spans(period, "2021-01-01", "2021-12-31") == []


def test_window_must_not_be_reversed() -> None:
    with pytest.raises(ValueError):
        read_period("март").occurrences(date(2024, 2, 1), date(2024, 1, 1))


def test_program_years_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        read_period("март", program_years=(2023, 2022))


def test_date_range_refuses_to_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        DateRange(date(2024, 2, 1), date(2024, 1, 1))


def test_to_json() -> None:
    period = read_period("апрель, май", default_year=2024)
    assert period.to_json(date(2024, 1, 1), date(2024, 4, 30)) == {
        "kind": "ranges",
        "occurrences": [{"start": "2024-04-01", "end": "2024-04-30"}],
    }
    assert read_period("абвгд").to_json(date(2024, 1, 1), date(2024, 12, 31)) == {
        "kind": "unreadable",
        "occurrences": [],
    }
    assert read_period("по графику").to_json(date(2024, 1, 1), date(2024, 12, 31)) == {
        "kind": "no_fixed_date",
        "occurrences": [],
    }


# ---------------------------------------------------------------------------
# What cannot be read is flagged, never guessed

UNREADABLE_PHRASES: list[tuple[str, str]] = [
    ("по согласованию с министерством 5 числа", "ambiguous:date_in_note"),
    ("по итогам I полугодия 2024 года", "ambiguous:date_in_note"),
    ("март-абвгд", "unknown_word:абвгд"),
    ("купить хлеба", "unknown_word:купить"),
    ("lorem ipsum", "unknown_word:lorem"),
    ("март № 5", "unknown_word:№"),
    ("до марта", "ambiguous:deadline_without_day"),
    ("до 2024 года", "ambiguous:deadline_without_day"),
    ("до конца учебного года", "ambiguous:school_year_end"),
    ("до конца 2023/2024 учебного года", "ambiguous:school_year_end"),
    ("с марта по 2024 год", "unexpected:2024"),
    ("по графику ежемесячно", "ambiguous:date_in_note"),
    ("5 числа", "ambiguous:day_without_month"),
    ("ежеквартально, до 10 числа", "ambiguous:day_of_month"),
    ("2 раза в год (май)", "ambiguous:count_mismatch"),
    ("ежегодно, ежемесячно", "ambiguous:two_recurrences"),
    ("ежегодно, март 2024", "ambiguous:dated_recurrence"),
    ("2019 учебный год", "ambiguous:school_year"),
    ("31.02.2024", "bad_date:31.02.2024"),
    ("32 марта", "bad_date:32 марта"),
    ("с 30 по 31 февраля", "bad_date:31 февраля"),
    ("30-29 февраля", "bad_date:30.02"),
    ("с 29 февраля по 3 марта 2023", "bad_date:29.02.2023"),
    ("март 1812", "bad_year:1812"),
    ("2025 - 2023 гг.", "reversed"),
    ("с 15 по 1 марта", "reversed"),
    ("с 2024 года", "open_range"),
    ("раз в 2 года", "unexpected:2"),
    ("года", "unexpected:года"),
    ("", "empty"),
    (" \n , . ", "empty"),
    ("март " * 200, "too_long"),
]


@pytest.mark.parametrize(("text", "reason"), UNREADABLE_PHRASES)
def test_unreadable_phrases_say_why(text: str, reason: str) -> None:
    period = read_period(text)
    assert (period.kind, period.reason) == (UNREADABLE, reason)
    assert period.reason_code == reason.split(":")[0]
    assert period.occurrences(date(2000, 1, 1), date(2030, 12, 31)) == []


def test_too_long_limit_is_the_documented_one() -> None:
    assert read_period("м" * (MAX_TEXT + 1)).reason == "too_long"


# ---------------------------------------------------------------------------
# Properties

NOMINATIVE = [
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
    "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
]  # fmt: skip
DASHES = st.sampled_from(["-", "–", "—", "\u2011", "\u2212"])
SPACES = st.sampled_from(["", " ", "  ", "\n", " \n", "\n\n", "\u00a0", "\t", " \u00a0\n "])
YEAR_WORDS = st.sampled_from(["", " г.", " г", "г.", " года", " год", " гг."])


@st.composite
def any_case(draw: st.DrawFn, word: str) -> str:
    upper = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if u else c for c, u in zip(word, upper, strict=True))


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@settings(deadline=None, max_examples=150)
@given(
    first=st.integers(1, 12),
    second=st.integers(1, 12),
    year=st.integers(1991, 2100),
    dash=DASHES,
    spaces=st.tuples(SPACES, SPACES, SPACES),
    year_word=YEAR_WORDS,
    data=st.data(),
)
def test_any_month_range_with_a_year_reads_back(
    first: int,
    second: int,
    year: int,
    dash: str,
    spaces: tuple[str, str, str],
    year_word: str,
    data: st.DataObject,
) -> None:
    m1 = data.draw(any_case(NOMINATIVE[first - 1]))
    m2 = data.draw(any_case(NOMINATIVE[second - 1]))
    text = f"{m1}{spaces[0]}{dash}{spaces[1]}{m2}{spaces[2] or ' '}{year}{year_word}"
    period = read_period(text)
    start_year = year if first <= second else year - 1
    expected = DateRange(date(start_year, first, 1), last_day(year, second))
    assert (period.kind, period.ranges) == (RANGE, (expected,)), text


@settings(deadline=None, max_examples=100)
@given(
    day=st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    prefix=st.sampled_from(["до ", "До ", "не позднее ", "в срок до ", "срок до "]),
)
def test_any_written_date_after_до_is_a_deadline(day: date, prefix: str) -> None:
    for text in (
        f"{prefix}{day:%d.%m.%Y}",
        f"{prefix}{day.day} {GENITIVE[day.month - 1]} {day.year} г.",
    ):
        period = read_period(text)
        assert (period.kind, period.ranges) == (DEADLINE, (DateRange(day, day),)), text


VOCABULARY = [
    *NOMINATIVE, *GENITIVE, "до", "с", "по", "в", "течение", "года", "год", "г.", "гг.",
    "ежегодно", "раза", "раз", "квартал", "II", "I", "полугодие", "учебный", "текущего",
    "плану", "графику", "постоянно", "числа", "конца", "не", "позднее", "2023", "2019/2020",
    "15", "1", "01.10.2023", "31.02.2023", "-", "–", ",", "(", ")", "/", "и", "ап-\nрель",
    "абвгд", "№", "!", "0", "99999", "9" * 30, "1-й", "первая", "половина", "каждый", "месяц",
]  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(
    words=st.lists(st.sampled_from(VOCABULARY), max_size=12),
    seps=st.lists(st.sampled_from([" ", "", "\n", ", ", "-"]), min_size=12, max_size=12),
    program=st.one_of(st.none(), st.tuples(st.integers(1990, 2030), st.integers(0, 3))),
    default_year=st.one_of(st.none(), st.integers(1990, 2100)),
)
def test_noise_never_raises(
    words: list[str],
    seps: list[str],
    program: tuple[int, int] | None,
    default_year: int | None,
) -> None:
    text = "".join(word + sep for word, sep in zip(words, seps, strict=False))
    years = None if program is None else (program[0], program[0] + program[1])
    period = read_period(text, default_year=default_year, program_years=years)
    assert isinstance(period, Period)
    assert (period.kind is UNREADABLE) == (period.reason is not None)
    period.to_json(date(1989, 6, 1), date(2031, 6, 30))


@settings(deadline=None, max_examples=200)
@given(text=st.text(max_size=120))
def test_any_text_never_raises(text: str) -> None:
    period = read_period(text, program_years=(2022, 2023))
    assert isinstance(period, Period)
    assert (period.kind is UNREADABLE) == (period.reason is not None)
    period.occurrences(date(2020, 1, 1), date(2025, 12, 31))


@st.composite
def hyphenated(draw: st.DrawFn, word: str) -> str:
    cut = draw(st.integers(1, len(word) - 1))
    gap = draw(st.sampled_from(["\n", " \n", "\n\n", "\n ", " \n\n "]))
    return f"{word[:cut]}-{gap}{word[cut:]}"


@settings(deadline=None, max_examples=150)
@given(
    month=st.integers(1, 12),
    other=st.integers(1, 12),
    template=st.sampled_from(
        ["{m}", "{m} 2023 г.", "{o} - {m} 2024", "{m}, {o}", "с 1 по 15 {g}",
         "до 1 {g} текущего года", "{m}, ежегодно", "2 раза в год ({m}, {o})"]
    ),
    upper=st.booleans(),
    data=st.data(),
)  # fmt: skip
def test_a_month_hyphenated_across_a_line_reads_as_the_word(
    month: int, other: int, template: str, upper: bool, data: st.DataObject
) -> None:
    nominative, genitive = NOMINATIVE[month - 1], GENITIVE[month - 1]
    if upper:
        nominative, genitive = nominative.upper(), genitive.upper()
    plain = template.format(m=nominative, g=genitive, o=NOMINATIVE[other - 1])
    split = template.format(
        m=data.draw(hyphenated(nominative)),
        g=data.draw(hyphenated(genitive)),
        o=NOMINATIVE[other - 1],
    )
    expected, got = read_period(plain, default_year=2024), read_period(split, default_year=2024)
    assert expected.kind is not UNREADABLE
    assert (got.kind, got.ranges, got.annual, got.recurrence, got.reason) == (
        expected.kind,
        expected.ranges,
        expected.annual,
        expected.recurrence,
        expected.reason,
    ), split
