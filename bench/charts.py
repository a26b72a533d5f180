"""Quick charts: how long one takes against a bare matplotlib plot, and how long the event
loop stalls while ten render at once in a worker pool.

    python -m bench.charts [--runs 7] [--workers 2] [--json]

(a) Render time. For each chart (a school over seven years; 12 and 40 schools side by side
    with long names; a campaign's 40 days; consultations of 14 schools; attendance of six
    municipalities) it times ``bot.charts.render`` against a bare plot of the same points:
    a ``Figure`` of the same size with an Agg canvas, one ``plot``/``barh`` call per series
    (bars by the names the chart shows, as matplotlib's categories), saved to PNG with
    matplotlib's defaults. All alternate in the same run; a figure is the median of
    ``--runs`` runs of the CPU time of the rendering thread (the wall clock on a shared
    machine measures the neighbours too). Goal: at most 2× the bare plot. For the bar
    charts it also shows the ratio to bars without names: matplotlib 3.11 draws text glyph
    by glyph in Python, so the names and values alone cost about as much as the rest.

(b) Event-loop stall. A ticker coroutine sleeps 5 ms at a time and records how late each
    wake-up is, while ten charts are rendered at once through ``loop.run_in_executor`` in
    a ``ThreadPoolExecutor`` and in a ``ProcessPoolExecutor`` (forkserver, workers started
    and warmed beforehand, as a bot would at start-up), each with ``--workers`` workers.
    The idle loop's lateness is measured too, for reference. Goal: the longest stall
    under 50 ms. :func:`measure_stall` is the reusable part: it runs any awaitable under
    the ticker.

(c) In the bot. The real bot against the sandbox, in this process, with the demo region:
    a coordinator asks for ten different charts at once (the renderer cold, as after a
    restart: its worker process starts with the first chart) while the eight principals
    keep answering their form, three answers each. The same answers without charts are
    the baseline. Printed: the loop's longest stall (the ticker of (b), in the process
    that runs the bot) and the principals' reply times, with charts and without.

With ``--json`` the last line is one JSON object: ``worst_ratio`` (the slowest chart's ratio
to its bare plot), ``max_stall_ms`` (the longest stall in the bot while the ten charts
render and the principals answer), ``baseline_stall_ms`` (the same answers without
charts), ``reply_max_ms`` and ``baseline_reply_max_ms`` (the slowest principal's reply),
and the details of (a) and (b). It takes about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import multiprocessing
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.charts import style
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
    Progress,
    ProgressLabels,
    SchoolCount,
    SchoolValue,
)
from bot.charts.order import (
    attendance_names,
    attendance_order,
    comparison_names,
    comparison_order,
    consultation_names,
    consultation_order,
)
from bot.charts.render import draw, render
from bot.charts.stats import median

T = TypeVar("T")
STALL_GOAL_MS = 50.0
RATIO_GOAL = 2.0


# --------------------------------------------------------------------------- the charts

TOWNS = ("Казанская", "Тербунская", "Долгоруковская", "Ивановская", "Хлевенская", "Липецкая")


def school_name(n: int) -> str:
    town = TOWNS[n % len(TOWNS)]
    if n % 3 == 0:
        return f"МБОУ «{town} средняя общеобразовательная школа № {n + 1}»"
    if n % 3 == 1:
        return (
            f"МБОУ «Средняя общеобразовательная школа № {n} с углублённым изучением "
            f"отдельных предметов с. {town[:-3]}ое Лебедянского муниципального района»"
        )
    return f"МАОУ «Основная общеобразовательная школа имени И. И. Петрова д. {town[:-3]}ка»"


def comparison(count: int) -> Comparison:
    schools = tuple(
        SchoolValue(school_name(n), float((n * 37) % 97) + 0.5, highlighted=n == 3)
        for n in range(count)
    )
    return Comparison(
        Labels("Доля педагогов первой квалификационной категории, 2025", "Доля, %"),
        "ru",
        schools,
        median(s.value for s in schools),
        "Медиана по региону",
        percent=True,
    )


def cases() -> dict[str, ChartData]:
    start = date(2026, 9, 1)
    days = []
    for n in range(40):
        submitted = min(38, n * n // 40)
        draft = min(38 - submitted, n // 2 + 3)
        days.append(DayCounts(start + timedelta(n), submitted, draft, 38 - submitted - draft))
    return {
        "history": History(
            Labels("Доля педагогов высшей категории", "Год", "Доля педагогов, %"),
            "ru",
            tuple(range(2019, 2026)),
            Line("Казанская СОШ", (21.5, 24.0, None, 30.5, 33.3, None, 38.0)),
            Line("Медиана по району", (25.0, 26.0, 27.5, 28.0, 30.0, 31.0, 33.0)),
            Line("Медиана по области", (30.0, 31.0, 31.5, None, 33.0, 34.0, 35.0)),
            percent=True,
        ),
        "comparison 12": comparison(12),
        "comparison 40": comparison(40),
        "progress": Progress(
            Labels("Сдача показателей к 1 октября 2026 года", "", "Школ"),
            "ru",
            tuple(days),
            date(2026, 10, 1),
            ProgressLabels("Сдали", "Черновик", "Не начинали", "Срок"),
        ),
        "consultations": Consultations(
            Labels("Консультации со школами, 2026", "Проведено консультаций"),
            "ru",
            tuple(SchoolCount(school_name(n), (n * 5) % 8) for n in range(14)),
            4,
            "Цель",
            "Меньше цели",
        ),
        "attendance": Attendance(
            Labels("Семинар «Адресная помощь школам», 12 марта", "Участников"),
            "ru",
            tuple(
                MunicipalityAttendance(f"{town[:-3]}ий муниципальный район", n * 3, n * 4)
                for n, town in enumerate(TOWNS)
            ),
            "Пришли",
            "Записались",
        ),
    }


def bare_plot(data: ChartData, height_in: float, named: bool = True) -> bytes:
    """The simplest plot of the same points, the floor our render time is measured from:
    lines of the values over the years or days, or bars of the values by name (the names
    our chart shows, as matplotlib's categories), matplotlib's defaults for the rest."""
    figure = Figure(figsize=(style.WIDTH_IN, height_in), dpi=style.DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if isinstance(data, History):
        for line in (data.school, data.municipality, data.region):
            ys = [float("nan") if v is None else v for v in line.values]
            axes.plot(data.years, ys)
    elif isinstance(data, Comparison):
        names = [short for short, _ in comparison_names(data)]
        axes.barh(_rows(names, named), [s.value or 0 for s in comparison_order(data)])
    elif isinstance(data, Progress):
        xs = [d.day.toordinal() for d in data.days]
        for field in ("submitted", "draft", "not_started"):
            axes.plot(xs, [getattr(d, field) for d in data.days])
    elif isinstance(data, Consultations):
        names = [short for short, _ in consultation_names(data)]
        axes.barh(_rows(names, named), [s.count for s in consultation_order(data)])
    else:
        names = _rows([short for short, _ in attendance_names(data)], named)
        places = attendance_order(data)
        axes.barh(names, [m.expected or 0 for m in places])
        axes.barh(names, [m.attended for m in places])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _rows(names: list[str], named: bool) -> list[str] | range:
    return names if named else range(len(names))


def cpu_ms(run: Callable[[], object]) -> float:
    """The CPU time the calling thread spent in ``run``: unlike the wall clock, it does not
    count the time other processes on a busy machine took from us."""
    started = time.thread_time()
    run()
    return (time.thread_time() - started) * 1000


@dataclass(frozen=True)
class RenderTime:
    chart: str
    ours_ms: float
    bare_ms: float
    unnamed_ms: float | None  # bars without names, for the bar charts
    png_kb: float

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.bare_ms


def render_times(runs: int) -> list[RenderTime]:
    results = []
    for name, data in cases().items():
        height = draw(data).get_figheight()
        png = render(data)  # warm: fonts loaded, caches filled
        has_names = not isinstance(data, History | Progress)
        variants: dict[str, Callable[[], object]] = {
            "ours": lambda data=data: render(data),
            "bare": lambda data=data, h=height: bare_plot(data, h),
        }
        if has_names:
            variants["unnamed"] = lambda data=data, h=height: bare_plot(data, h, named=False)
        times: dict[str, list[float]] = {key: [] for key in variants}
        for run in variants.values():
            run()
        for _ in range(runs):  # in turn, so a busy moment of the machine hits them all
            for key, run in variants.items():
                times[key].append(cpu_ms(run))
        middle = {key: statistics.median(found) for key, found in times.items()}
        results.append(
            RenderTime(name, middle["ours"], middle["bare"], middle.get("unnamed"), len(png) / 1024)
        )
    return results


# --------------------------------------------------------------------------- the event loop


@dataclass(frozen=True)
class Stall:
    """How late the ticker woke up while the work ran."""

    max_ms: float
    p99_ms: float
    ticks: int
    elapsed_s: float


async def measure_stall(work: Awaitable[T], interval: float = 0.005) -> tuple[T, Stall]:
    """Run ``work`` while a ticker sleeps ``interval`` at a time and records how late each
    wake-up is: the longest lateness is the longest time the loop could not answer anyone.
    Reusable with any awaitable (a batch of charts, a running bot being answered...)."""
    loop = asyncio.get_running_loop()
    late: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            due = loop.time() + interval
            await asyncio.sleep(interval)
            late.append(max(0.0, loop.time() - due))

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    try:
        result = await work
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        await ticking
    ordered = sorted(late) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return result, Stall(ordered[-1] * 1000, p99 * 1000, len(late), elapsed)


async def render_in(pool: Executor, batch: Sequence[ChartData]) -> list[bytes]:
    loop = asyncio.get_running_loop()
    return list(await asyncio.gather(*(loop.run_in_executor(pool, render, d) for d in batch)))


def warm_worker() -> None:
    """A worker process's start-up: import and draw once, so the first chart is not slow."""
    render(cases()["history"])


async def stalls(workers: int) -> dict[str, Stall]:
    all_cases = list(cases().values())
    batch = [all_cases[n % len(all_cases)] for n in range(10)]
    expected = [render(d) for d in batch]
    found = {}
    _, found["idle loop"] = await measure_stall(asyncio.sleep(1.0))
    with ThreadPoolExecutor(workers) as threads:
        await render_in(threads, batch[:workers])  # warm
        result, found["threads"] = await measure_stall(render_in(threads, batch))
        assert result == expected
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=warm_worker) as processes:
        await render_in(processes, batch[:workers])  # start the workers
        result, found["processes"] = await measure_stall(render_in(processes, batch))
        assert result == expected
    return found


# --------------------------------------------------------------------------- in the bot


@dataclass(frozen=True)
class InTheBot:
    with_charts: Stall
    without: Stall
    charts: int
    replies_ms: list[float]  # the principals' reply latencies while the charts rendered
    replies_baseline_ms: list[float]  # the same answers without charts


async def in_the_bot(rounds: int = 3) -> InTheBot:
    """The real bot against the sandbox, in this process: the demo region, a coordinator
    who asks for ten different charts at once (the bot's renderer cold, as after a
    restart) while the eight principals keep answering their form, ``rounds`` answers
    each; then the same answers without charts, as the baseline."""
    import tempfile

    from bot.callbacks import ChartCallback
    from bot.demo import load_demo_data
    from bot.indicators.catalog import load_catalog
    from storage.models import Role
    from tests.harness import SEPTEMBER, bot_under_test, open_october

    # the sandbox's clock is September; the scheduler's "missed" notes are not the subject
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        async with bot_under_test(Path(folder), clock=lambda: SEPTEMBER) as env:
            demo = await load_demo_data(env.repo, catalog=load_catalog(), today=SEPTEMBER.date())
            coordinator = await env.register(Role.COORDINATOR)
            principals = [await env.register(Role.PRINCIPAL, [s.id]) for s in demo.schools]
            for principal in principals:
                await open_october(env, principal)
            menu = (await env.say(coordinator, "/menu"))[-1]
            specs = [
                ChartCallback(action="draw", kind="h", indicator=n % 4, school_id=school.id)
                for n, school in enumerate((demo.schools * 2)[:10])
            ]

            async def answers(number: int) -> list[float]:
                async def one(principal: int) -> float:
                    before = len(await env.client.messages(principal))
                    started = time.perf_counter()
                    await env.client.send_text(principal, str(30 + number))
                    await env.client.wait_for(lambda: _more(env, principal, before), timeout=60)
                    return (time.perf_counter() - started) * 1000

                return list(await asyncio.gather(*(one(p) for p in principals)))

            async def principals_answer() -> list[float]:
                found: list[float] = []
                for number in range(rounds):
                    found += await answers(number)
                return found

            async def charts_and_answers() -> list[float]:
                before = await _photos(env, coordinator)
                for spec in specs:
                    await env.client.press(
                        coordinator,
                        callback_data=spec.pack(),
                        message_id=menu["message_id"],
                        force=True,
                    )
                replies = await principals_answer()
                await env.client.wait_for(
                    lambda: _photos_at_least(env, coordinator, before + len(specs)), timeout=120
                )
                return replies

            replies, with_charts = await measure_stall(charts_and_answers())
            baseline, without = await measure_stall(principals_answer())
            return InTheBot(with_charts, without, len(specs), replies, baseline)


async def _more(env: Any, user: int, before: int) -> bool | None:
    return True if len(await env.client.messages(user)) > before else None


async def _photos(env: Any, user: int) -> int:
    return sum("photo" in m for m in await env.client.messages(user))


async def _photos_at_least(env: Any, user: int, count: int) -> bool | None:
    return True if await _photos(env, user) >= count else None


# --------------------------------------------------------------------------- main


def main(runs: int, workers: int, as_json: bool) -> int:
    times = render_times(runs)
    print(f"render time (CPU), median of {runs} runs (goal: at most {RATIO_GOAL:g}× the bare plot)")
    for t in times:
        unnamed = (
            f"   (bars without names {t.unnamed_ms:4.0f} ms: {t.ours_ms / t.unnamed_ms:4.2f}×)"
            if t.unnamed_ms
            else ""
        )
        print(
            f"  {t.chart:<14} ours {t.ours_ms:5.0f} ms   bare {t.bare_ms:5.0f} ms   "
            f"{t.ratio:4.2f}×   PNG {t.png_kb:4.0f} KB{unnamed}"
        )
    worst = max(times, key=lambda t: t.ratio)
    print(f"  worst: {worst.chart}, {worst.ratio:.2f}×")

    found = asyncio.run(stalls(workers))
    print(
        f"event loop while 10 charts render in a pool of {workers} "
        f"(ticker every 5 ms; goal: longest stall under {STALL_GOAL_MS:g} ms)"
    )
    for name, stall in found.items():
        print(
            f"  {name:<10} longest {stall.max_ms:6.1f} ms   p99 {stall.p99_ms:6.1f} ms   "
            f"{stall.ticks} ticks in {stall.elapsed_s:.2f} s"
        )
    best = min(("threads", "processes"), key=lambda name: found[name].max_ms)
    print(f"  shorter stall: {best}")

    bot = asyncio.run(in_the_bot())
    print(
        f"the bot: a coordinator asks for {bot.charts} charts at once while 8 principals "
        "answer their form (the baseline: the same answers without charts)"
    )
    for name, stall, replies in (
        ("charts", bot.with_charts, bot.replies_ms),
        ("baseline", bot.without, bot.replies_baseline_ms),
    ):
        print(
            f"  {name:<10} longest stall {stall.max_ms:6.1f} ms   "
            f"replies p50 {statistics.median(replies):5.0f} ms, max {max(replies):5.0f} ms"
        )
    ok = worst.ratio <= RATIO_GOAL and bot.with_charts.max_ms < STALL_GOAL_MS
    if as_json:
        print(
            json.dumps(
                {
                    "worst_ratio": round(worst.ratio, 3),
                    "max_stall_ms": round(bot.with_charts.max_ms, 1),
                    "baseline_stall_ms": round(bot.without.max_ms, 1),
                    "reply_max_ms": round(max(bot.replies_ms), 1),
                    "baseline_reply_max_ms": round(max(bot.replies_baseline_ms), 1),
                    "executor": best,
                    "stall_ms": {name: round(s.max_ms, 1) for name, s in found.items()},
                    "batch_s": {name: round(s.elapsed_s, 2) for name, s in found.items()},
                    "ratios": {t.chart: round(t.ratio, 3) for t in times},
                }
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="threads or processes")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    sys.exit(main(args.runs, args.workers, args.json))
