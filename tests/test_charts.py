"""Quick charts: what each one plots, in what order and with what labels, read back from the
figure's artists; the PNG's size and bytes; the empty case; and that a phone can read them."""

from __future__ import annotations

import math
import struct
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from itertools import combinations, pairwise

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from bot.charts import layout, style
from bot.charts.bars import NAME_GID, VALUE_GID
from bot.charts.bars import texts as bar_texts
from bot.charts.data import (
    Attendance,
    ChartData,
    Comparison,
    Consultations,
    DayCounts,
    History,
    Labels,
    Line,
    MunicipalityAttendance,
    NoData,
    Progress,
    ProgressLabels,
    SchoolCount,
    SchoolValue,
)
from bot.charts.formats import NBSP, THIN_NBSP, day_text, number, percent
from bot.charts.names import (
    MAX_LENGTH,
    cut,
    short_municipality_name,
    short_names,
    short_school_name,
)
from bot.charts.order import attendance_names, comparison_names
from bot.charts.png import to_png
from bot.charts.render import draw, render
from bot.charts.stats import median
from bot.charts.values import is_percent, plotted_value

# --------------------------------------------------------------------------- data

HISTORY = History(
    Labels("Доля педагогов высшей категории", "Год", "Доля педагогов, %"),
    "ru",
    (2021, 2022, 2023, 2024, 2025),
    Line("Казанская СОШ", (21.5, 24.0, None, 30.5, 33.3)),
    Line("Медиана по району", (25.0, 26.0, 27.5, 28.0, 30.0)),
    Line("Медиана по области", (30.0, None, 31.5, 32.0, 33.0)),
    percent=True,
)

COMPARISON = Comparison(
    Labels("Доля молодых педагогов, 2025", "Доля педагогов, %"),
    "ru",
    (
        SchoolValue("МБОУ «Тербунская средняя общеобразовательная школа»", 12.5),
        SchoolValue("МБОУ «Казанская средняя общеобразовательная школа»", 40.0, True),
        SchoolValue("МАОУ лицей № 44 г. Липецка", 55.25),
        SchoolValue("МБОУ «Основная общеобразовательная школа д. Ивановка»", None),
        SchoolValue("МБОУ «Гимназия № 1»", 40.0),
    ),
    region_median=41.25,
    median_label="Медиана по региону",
    percent=True,
)


def progress(days: int = 12) -> Progress:
    start = date(2026, 9, 20)
    counts = tuple(
        DayCounts(start + timedelta(n), submitted=n, draft=2, not_started=max(0, 18 - n))
        for n in range(days)
    )
    return Progress(
        Labels("Сдача показателей к 1 октября", "", "Школ"),
        "ru",
        counts,
        date(2026, 10, 1),
        ProgressLabels("Сдали", "Черновик", "Не начинали", "Срок"),
    )


CONSULTATIONS = Consultations(
    Labels("Консультации со школами", "Консультаций"),
    "ru",
    (
        SchoolCount("МБОУ «Казанская средняя общеобразовательная школа»", 2),
        SchoolCount("МБОУ «Тербунская средняя общеобразовательная школа»", 5),
        SchoolCount("МБОУ «Гимназия № 1»", 4),
        SchoolCount("МБОУ «Основная общеобразовательная школа д. Ивановка»", 0),
    ),
    target=4,
    target_label="Цель",
    below_label="Меньше цели",
)

ATTENDANCE = Attendance(
    Labels("Семинар 12 марта", "Участников"),
    "ru",
    (
        MunicipalityAttendance("Тербунский муниципальный район", 7, 8),
        MunicipalityAttendance("Липецкий муниципальный район", 12, 15),
        MunicipalityAttendance("Городской округ город Елец", 20, 18),
        MunicipalityAttendance("Хлевенский муниципальный район", 0, 5),
    ),
    attended_label="Пришли",
    expected_label="Записались",
)

ALL = [HISTORY, COMPARISON, progress(), CONSULTATIONS, ATTENDANCE]


def long_named_schools(count: int) -> tuple[SchoolValue, ...]:
    return tuple(
        SchoolValue(
            f"МБОУ «Средняя общеобразовательная школа № {n} с углублённым изучением отдельных "
            f"предметов имени Героя Советского Союза И. И. Иванова с. Большое Село-{n}»",
            float((n * 37) % 100),
            highlighted=n == 7,
        )
        for n in range(1, count + 1)
    )


# --------------------------------------------------------------------------- helpers


def axes_of(figure: Figure):
    (axes,) = figure.axes
    return axes


def title(figure: Figure) -> str:
    return figure.get_suptitle().replace("\n", " ")


def texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_text() and t.get_visible()]


def name_texts(figure: Figure) -> list[Text]:
    return bar_texts(axes_of(figure), NAME_GID)


def names_top_down(figure: Figure) -> list[str]:
    return [text.get_text() for text in name_texts(figure)]


def legend(figure: Figure) -> list[str]:
    (found,) = [*figure.legends, *[a.get_legend() for a in figure.axes if a.get_legend()]]
    return [text.get_text() for text in found.get_texts()]


def bars(figure: Figure) -> list[Rectangle]:
    """The bars drawn by value, top to bottom (the axes' own background patch left out)."""
    axes = axes_of(figure)
    found = [p for p in axes.patches if isinstance(p, Rectangle) and p.get_height() < 1]
    return sorted(found, key=lambda bar: (bar.get_y(), bar.zorder))


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def png_chunks(png: bytes) -> list[bytes]:
    kinds, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kinds.append(png[at + 4 : at + 8])
        at += 12 + length
    return kinds


def grey_levels_differ(colours: list, by: float = 0.15) -> bool:
    levels = [style.grey(colour) for colour in colours]
    return all(abs(a - b) >= by for a, b in combinations(levels, 2))


# --------------------------------------------------------------------------- chart 1


def test_history_plots_the_school_and_both_medians_with_gaps_for_missing_years() -> None:
    figure = draw(HISTORY)
    axes = axes_of(figure)
    lines = {line.get_label(): line for line in axes.get_lines()}
    school = lines["Казанская СОШ"]
    assert list(school.get_xdata()) == [2021, 2022, 2023, 2024, 2025]
    ys = list(school.get_ydata())
    assert ys[:2] == [21.5, 24.0] and math.isnan(ys[2]) and ys[3:] == [30.5, 33.3]
    assert list(lines["Медиана по району"].get_ydata()) == [25.0, 26.0, 27.5, 28.0, 30.0]
    assert math.isnan(lines["Медиана по области"].get_ydata()[1])
    assert [t.get_text() for t in axes.get_xticklabels()] == [str(y) for y in HISTORY.years]
    assert title(figure) == "Доля педагогов высшей категории"
    assert axes.get_xlabel() == "Год" and axes.get_ylabel() == "Доля педагогов, %"
    # the school's values are written at its points, the way Russian writes them
    assert {f"21,5{NBSP}%", f"24{NBSP}%", f"30,5{NBSP}%", f"33,3{NBSP}%"} <= set(texts(figure))
    assert legend(figure) == ["Казанская СОШ", "Медиана по району", "Медиана по области"]


def test_history_lines_differ_in_grey_dash_and_marker() -> None:
    lines = axes_of(draw(HISTORY)).get_lines()
    assert grey_levels_differ([line.get_color() for line in lines])
    assert len({line.get_marker() for line in lines}) == 3
    assert len({str(line.get_linestyle()) + str(line._dash_pattern) for line in lines}) == 3


def test_history_without_a_school_value_is_no_data() -> None:
    empty = History(
        HISTORY.labels,
        "ru",
        (2024, 2025),
        Line("Школа", (None, None)),
        Line("Район", (1.0, 2.0)),
        Line("Область", (1.0, 2.0)),
    )
    with pytest.raises(NoData):
        render(empty)
    with pytest.raises(ValueError, match="values for"):
        History(HISTORY.labels, "ru", (2025,), empty.school, empty.region, empty.region)


# --------------------------------------------------------------------------- chart 2


def test_comparison_sorts_by_value_and_marks_the_median_and_the_school_that_asked() -> None:
    figure = draw(COMPARISON)
    assert names_top_down(figure) == [
        "Лицей № 44 г. Липецка",
        "Гимназия № 1",  # 40.0 as the Kazanskaya school: equal values in name order
        "Казанская СОШ",
        "Тербунская СОШ",
        "ООШ д. Ивановка",  # no value: last, no bar, a dash
    ]
    drawn = bars(figure)
    assert [bar.get_width() for bar in drawn] == [55.25, 40.0, 40.0, 12.5, 0.0]
    asked = drawn[2]
    assert asked.get_hatch() and asked.get_linewidth() >= 2
    assert style.grey(asked.get_facecolor()) - style.grey(drawn[0].get_facecolor()) >= 0.15
    assert not any(bar.get_hatch() for n, bar in enumerate(drawn) if n != 2)
    weights = [text.get_fontweight() for text in name_texts(figure)]
    assert weights == ["normal", "normal", "bold", "normal", "normal"]
    axes = axes_of(figure)
    (median,) = [line for line in axes.get_lines() if line.get_xdata()[0] == 41.25]
    assert list(median.get_xdata()) == [41.25, 41.25]
    assert legend(figure) == [f"Медиана по региону: 41,2{NBSP}%"]
    shown = set(texts(figure))
    assert {f"55,2{NBSP}%", f"40{NBSP}%", f"12,5{NBSP}%", "—"} <= shown
    assert title(figure) == "Доля молодых педагогов, 2025"
    assert axes.get_xlabel() == "Доля педагогов, %"
    assert all(t.get_text().endswith("%") for t in axes.get_xticklabels() if t.get_text())


def test_comparison_names_for_the_caption_follow_the_drawn_order() -> None:
    pairs = comparison_names(COMPARISON)
    assert [short for short, _ in pairs] == names_top_down(draw(COMPARISON))
    assert pairs[2] == ("Казанская СОШ", "МБОУ «Казанская средняя общеобразовательная школа»")


def test_comparison_in_english_writes_numbers_the_english_way() -> None:
    english = Comparison(
        Labels("Young teachers", "Share"),
        "en",
        COMPARISON.schools,
        41.25,
        "Regional median",
        percent=True,
    )
    figure = draw(english)
    assert {"55.2%", "40%", "12.5%"} <= set(texts(figure))
    assert legend(figure) == ["Regional median: 41.2%"]


def test_comparison_with_no_values_is_no_data() -> None:
    nobody = Comparison(COMPARISON.labels, "ru", (SchoolValue("Школа", None),), None, "Медиана")
    with pytest.raises(NoData):
        draw(nobody)
    with pytest.raises(NoData):
        draw(Comparison(COMPARISON.labels, "ru", (), None, "Медиана"))


def test_forty_schools_with_long_names_stay_readable() -> None:
    many = Comparison(
        COMPARISON.labels, "ru", long_named_schools(40), 50.0, "Медиана", percent=True
    )
    figure = draw(many)
    few = draw(COMPARISON)
    assert figure.get_figheight() > 3 * few.get_figheight()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    labels = name_texts(figure)
    assert len(labels) == 40
    assert all(len(label.get_text()) <= MAX_LENGTH for label in labels)
    assert len({label.get_text() for label in labels}) == 40
    boxes = sorted((label.get_window_extent(renderer) for label in labels), key=lambda b: b.y0)
    for lower, upper in pairwise(boxes):
        assert lower.y1 <= upper.y0, "two school names overlap"
    width, height = figure.canvas.get_width_height()
    assert all(box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 for box in boxes)
    values = bar_texts(axes_of(figure), VALUE_GID)
    assert len(values) == 40
    value_boxes = sorted((t.get_window_extent(renderer) for t in values), key=lambda b: b.y0)
    for lower, upper in pairwise(value_boxes):
        assert lower.y1 <= upper.y0, "two values overlap"
    assert all(box.x1 <= width for box in value_boxes)
    assert png_size(to_png(figure)) == (1080, height)


# --------------------------------------------------------------------------- chart 3


def test_progress_stacks_the_states_by_day_and_marks_the_deadline() -> None:
    data = progress(14)
    figure = draw(data)
    axes = axes_of(figure)
    days = [d.day.toordinal() for d in data.days]
    tops = [line for line in axes.get_lines() if len(line.get_xdata()) == len(days)]
    submitted, draft, not_started = (list(line.get_ydata()) for line in tops)
    assert submitted == [d.submitted for d in data.days]
    assert draft == [d.submitted + d.draft for d in data.days]
    assert not_started == [d.submitted + d.draft + d.not_started for d in data.days]
    (deadline,) = [line for line in axes.get_lines() if len(line.get_xdata()) == 2]
    assert list(deadline.get_xdata()) == [date(2026, 10, 1).toordinal()] * 2
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    assert f"1{NBSP}окт" in ticks
    assert legend(figure) == ["Сдали: 13", "Черновик: 2", "Не начинали: 5", f"Срок: 1{NBSP}окт"]
    bands = [c for c in axes.collections if isinstance(c, PolyCollection)]
    assert grey_levels_differ([band.get_facecolor()[0] for band in bands], by=0.2)
    assert [bool(band.get_hatch()) for band in bands] == [False, True, True]


def test_progress_shows_a_deadline_beyond_the_days_so_far() -> None:
    axes = axes_of(draw(progress(3)))
    left, right = axes.get_xlim()
    assert left < date(2026, 9, 20).toordinal() and right > date(2026, 10, 1).toordinal()


def test_progress_without_days_or_schools_is_no_data() -> None:
    data = progress()
    with pytest.raises(NoData):
        draw(
            Progress(data.labels, "ru", (), data.deadline, data.states),
        )
    zero = (DayCounts(date(2026, 9, 1), 0, 0, 0),)
    with pytest.raises(NoData):
        draw(Progress(data.labels, "ru", zero, data.deadline, data.states))


def test_progress_bands_differ_in_grey_once_printed() -> None:
    """The picture itself turned grey: a patch of each band has its own grey level."""
    data = progress(14)
    figure = draw(data)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[..., :3] @ [0.299, 0.587, 0.114] / 255
    axes = axes_of(figure)
    day = data.days[10]
    x = day.day.toordinal()
    middles = [
        day.submitted / 2,
        day.submitted + day.draft / 2,
        day.submitted + day.draft + day.not_started / 2,
    ]
    height = pixels.shape[0]
    levels = []
    for y in middles:
        px, py = axes.transData.transform((x, y))
        row, column = round(height - py), round(px)
        levels.append(float(np.median(pixels[row - 3 : row + 4, column - 3 : column + 4])))
    assert all(abs(a - b) >= 0.15 for a, b in combinations(levels, 2)), levels


# --------------------------------------------------------------------------- charts 4 and 5


def test_consultations_mark_the_schools_below_the_target() -> None:
    figure = draw(CONSULTATIONS)
    axes = axes_of(figure)
    assert names_top_down(figure) == [
        "Тербунская СОШ",
        "Гимназия № 1",
        "Казанская СОШ",
        "ООШ д. Ивановка",
    ]
    drawn = bars(figure)
    assert [bar.get_width() for bar in drawn] == [5, 4, 2, 0]
    assert [bool(bar.get_hatch()) for bar in drawn] == [False, False, True, True]
    assert grey_levels_differ([drawn[0].get_facecolor(), drawn[2].get_facecolor()])
    (target,) = axes.get_lines()
    assert list(target.get_xdata()) == [4, 4]
    assert legend(figure) == ["Цель: 4", "Меньше цели"]
    with pytest.raises(NoData):
        draw(Consultations(CONSULTATIONS.labels, "ru", (), 4, "Цель", "Меньше"))


def test_attendance_draws_attended_over_expected_per_municipality() -> None:
    figure = draw(ATTENDANCE)
    assert names_top_down(figure) == [
        "ГО город Елец",
        "Липецкий р-н",
        "Тербунский р-н",
        "Хлевенский р-н",
    ]
    drawn = bars(figure)  # per row: the expected bar (behind), then the attended one
    assert [bar.get_width() for bar in drawn] == [18, 20, 15, 12, 8, 7, 5, 0]
    expected, attended = drawn[0], drawn[1]
    assert expected.zorder < attended.zorder and expected.get_hatch()
    assert grey_levels_differ([expected.get_facecolor(), attended.get_facecolor()])
    assert {"20 / 18", "12 / 15", "7 / 8", "0 / 5"} <= set(texts(figure))
    pairs = attendance_names(ATTENDANCE)
    assert pairs[0] == ("ГО город Елец", "Городской округ город Елец")
    only_attended = Attendance(
        ATTENDANCE.labels,
        "ru",
        (MunicipalityAttendance("Липецкий муниципальный район", 12),),
        "Пришли",
    )
    figure = draw(only_attended)
    assert not figure.legends and axes_of(figure).get_legend() is None
    assert "12" in texts(figure)
    nobody = MunicipalityAttendance("Липецкий муниципальный район", 0)
    with pytest.raises(NoData):
        draw(Attendance(ATTENDANCE.labels, "ru", (nobody,), "Пришли"))


# --------------------------------------------------------------------------- all charts


@pytest.fixture(scope="module")
def rendered() -> dict[type, bytes]:
    """Each chart's PNG, rendered once for the tests that read it."""
    return {type(data): render(data) for data in ALL}


@pytest.mark.parametrize("data", ALL, ids=lambda data: type(data).__name__)
def test_png_is_1080_wide_deterministic_and_without_timestamps(
    data: ChartData, rendered: dict[type, bytes]
) -> None:
    png = rendered[type(data)]
    figure = draw(data)
    assert png_size(png) == (1080, round(figure.get_figheight() * style.DPI))
    assert style.WIDTH_PX == 1080
    assert png == to_png(figure)
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(png_chunks(png))


@pytest.mark.parametrize("data", ALL, ids=lambda data: type(data).__name__)
def test_text_is_large_and_cyrillic_renders_in_dejavu_sans(data: ChartData) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning
        figure = draw(data)
        to_png(figure)
    shown = [t for t in figure.findobj(Text) if t.get_text() and t.get_visible()]
    assert any(any("а" <= ch <= "я" for ch in t.get_text().lower()) for t in shown)
    for text in shown:
        assert text.get_fontsize() >= style.TEXT_SIZE, text.get_text()
        font = FT2Font(findfont(text.get_fontproperties()))
        assert font.family_name == "DejaVu Sans", text.get_text()
        charmap = font.get_charmap()
        missing = {ch for ch in text.get_text() if ch != "\n" and ord(ch) not in charmap}
        assert not missing, text.get_text()


SINGLE = Comparison(
    Labels("Vacancies, 2025", "Vacancies"),
    "en",
    (SchoolValue("Kazanskaya secondary school", 3, True),),
    2.0,
    "Regional median across all the participating schools of the region, 2025",
)
LONG_TITLE = History(
    Labels(
        "Доля педагогов, прошедших повышение квалификации по программам из федерального "
        "реестра за последние три года",
        "",
        "Доля, %",
    ),
    "ru",
    HISTORY.years,
    Line("МБОУ «Казанская СОШ» Лебедянского муниципального района", HISTORY.school.values),
    HISTORY.municipality,
    HISTORY.region,
    percent=True,
)


@pytest.mark.parametrize(
    "data", [*ALL, SINGLE, LONG_TITLE, progress(1)], ids=lambda data: type(data).__name__
)
def test_title_legend_and_plot_do_not_overlap_and_stay_in_the_picture(
    data: ChartData,
) -> None:
    figure = draw(data)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    width, height = figure.canvas.get_width_height()
    title_box = figure._suptitle.get_window_extent(renderer)
    (legend,) = [*figure.legends, *[a.get_legend() for a in figure.axes if a.get_legend()]]
    legend_box = legend.get_window_extent(renderer)
    axes = axes_of(figure)
    plot_box = axes.get_window_extent(renderer)
    ticks_box = axes.xaxis.get_tightbbox(renderer)
    assert title_box.y0 > max(legend_box.y1, plot_box.y1), "the title is above the rest"
    assert not legend_box.overlaps(plot_box) and not legend_box.overlaps(ticks_box)
    for box in (title_box, legend_box, plot_box, ticks_box):
        assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height
    if isinstance(data, Progress):
        assert all(len(band.get_paths()[0].vertices) > 3 for band in axes.collections)


def test_charts_drawn_in_threads_are_the_same_as_drawn_one_by_one(
    rendered: dict[type, bytes],
) -> None:
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(render, ALL))
    assert together == [rendered[type(data)] for data in ALL]
    assert "matplotlib.pyplot" not in sys.modules


# --------------------------------------------------------------------------- helpers' units


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("МБОУ «Казанская средняя общеобразовательная школа»", "Казанская СОШ"),
        ("МБОУ СОШ №1 с. Тербуны", "СОШ № 1 с. Тербуны"),
        ("МАОУ лицей № 44 г. Липецка", "Лицей № 44 г. Липецка"),
        ("ГОБОУ «Основная общеобразовательная школа д. Ивановка»", "ООШ д. Ивановка"),
        (
            "Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 12 г. Липецка»",
            "Гимназия № 12 г. Липецка",
        ),
        (
            "МБОУ «Средняя общеобразовательная школа № 5 с углублённым изучением отдельных "
            "предметов г. Ельца»",
            "СОШ № 5 с УИОП г. Ельца",
        ),
        (
            "МБОУ «Средняя общеобразовательная школа имени Героя Советского Союза "
            "И. И. Иванова с. Долгоруково»",
            "СОШ с. Долгоруково",
        ),
        ("МБОУ «Начальная общеобразовательная школа № 3»", "НОШ № 3"),
        ("Филиал МБОУ СОШ с. Казинка в д. Ивановка Лебедянского района", "Филиал СОШ с. Казинка…"),
    ],
)
def test_school_names_are_shortened_the_way_people_say_them(full: str, short: str) -> None:
    assert short_school_name(full) == short
    assert len(short) <= MAX_LENGTH


def test_names_are_cut_at_a_word_and_kept_apart() -> None:
    assert cut("СОШ № 2 с. Верхняя Колыбелька Лебедянского района", 24) == "СОШ № 2 с. Верхняя…"
    assert cut("СОШ № 4 с. Большеизбищенское", 24) == "СОШ № 4 с. Большеизбище…"
    assert cut("Короткое имя", 24) == "Короткое имя"
    pairs = short_names(["МБОУ СОШ № 1 с. Тербуны", "МКОУ СОШ № 1 с. Тербуны", "Школа"])
    assert [short for short, _ in pairs] == [
        "СОШ № 1 с. Тербуны (1)",
        "СОШ № 1 с. Тербуны (2)",
        "Школа",
    ]
    assert pairs[0][1] == "МБОУ СОШ № 1 с. Тербуны"
    assert short_municipality_name("Липецкий муниципальный район") == "Липецкий р-н"


def test_long_texts_wrap_at_spaces_but_not_at_no_break_spaces() -> None:
    title = "Доля педагогов первой квалификационной категории от общего количества педагогов"
    wrapped = layout.wrap(title, style.TITLE_SIZE, bold=True)
    assert wrapped.replace("\n", " ") == title and wrapped.count("\n") >= 1
    assert all(
        layout.text_width(line, style.TITLE_SIZE, bold=True) <= layout.LEGEND_WIDTH_IN * 72
        for line in wrapped.split("\n")
    )
    assert layout.wrap(f"Медиана: 41,2{NBSP}%", style.TEXT_SIZE, 1.0).endswith(f"41,2{NBSP}%")
    long_label = "Медиана по всем школам региона, участвующим в программе поддержки, 2025 год"
    fitted = layout.legend_layout([long_label])
    assert fitted.columns == 1 and fitted.labels[0].count("\n") >= 1
    assert layout.legend_layout(["Сдали: 3", "Черновик: 2"]).columns == 2


def test_numbers_and_days_are_written_per_locale() -> None:
    assert number(30.46, "ru") == "30,5" and number(30.46, "en") == "30.5"
    assert number(30.0, "ru") == "30" and number(1200, "ru") == f"1{THIN_NBSP}200"
    assert number(1200, "en") == "1,200" and number(-0.01, "ru") == "0"
    assert percent(30.5, "ru") == f"30,5{NBSP}%" and percent(30.5, "en") == "30.5%"
    assert day_text(date(2026, 5, 2), "ru") == f"2{NBSP}мая"
    assert day_text(date(2026, 10, 1), "en") == f"1{NBSP}Oct"


def test_median_ignores_missing_values() -> None:
    assert median([3.0, None, 1.0, math.nan, 2.0]) == 2.0
    assert median([4.0, 1.0]) == 2.5
    assert median([None, None]) is None and median([]) is None


def test_plotted_value_reads_the_stored_answers() -> None:
    assert plotted_value("share", {"percent": 30.5, "count": 12, "base": 40}) == 30.5
    assert plotted_value("count", {"count": 3}) == 3.0
    assert plotted_value("count_list", {"count": 2, "items": ["a", "b"]}) == 2.0
    levels = {"federal": 0, "regional": 1, "municipal": 3}
    assert plotted_value("level_counts", levels) == 4.0
    assert plotted_value("yes_no", {"yes": True}) is None
    assert plotted_value("share", None) is None
    assert is_percent("share") and not is_percent("count")


def test_grey_levels_of_the_palette_differ() -> None:
    assert grey_levels_differ([style.DARK, style.MIDDLE, style.PALE], by=0.2)
    assert grey_levels_differ([style.DARK, style.MIDDLE, style.SOFT])
    assert grey_levels_differ([style.BAR, style.LIGHT], by=0.2)
    line = Line2D([], [], color=style.DARK)
    assert style.grey(line.get_color()) < 0.3
