"""Charts drawn off the event loop: one worker process (matplotlib holds Python's lock for
the length of a drawing, which a thread would take from the replies), started on the first
chart and warmed up, and a cache of the pictures by their data: the same data draws the
same picture, so an identical request within ``ttl`` seconds costs nothing.

``bench.charts`` shows why a process and not a thread: the event loop's longest stall while
ten charts render is a few milliseconds with the process, up to a hundred with threads.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.charts.data import ChartData

log = logging.getLogger(__name__)


class ChartUnavailable(RuntimeError):
    """The worker process could not draw (it stopped twice in a row): the person is asked
    to try again later."""


def _warm() -> None:
    """In the worker, once: import matplotlib and the charts (the first chart then takes
    its own time only)."""
    import bot.charts.render  # noqa: F401


def _render(data: ChartData) -> bytes:
    from bot.charts.render import render

    return render(data)


class ChartRenderer:
    def __init__(self, *, workers: int = 1, ttl: float = 600.0, cache_size: int = 64) -> None:
        self.workers = workers
        self.ttl = ttl
        self.cache_size = cache_size
        self._pool: ProcessPoolExecutor | None = None
        self._cache: OrderedDict[ChartData, tuple[float, bytes]] = OrderedDict()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: the bot's process has threads (aiosqlite's), which fork would copy
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_warm
            )
        return self._pool

    async def png(self, data: ChartData) -> bytes:
        """The chart as PNG bytes; :class:`~bot.charts.data.NoData` when there is nothing
        to draw (raised here, as the worker raised it); :class:`ChartUnavailable` when the
        worker cannot draw at all."""
        now = time.monotonic()
        cached = self._cache.get(data)
        if cached is not None and now - cached[0] < self.ttl:
            self._cache.move_to_end(data)
            return cached[1]
        loop = asyncio.get_running_loop()
        try:
            picture = await loop.run_in_executor(self._executor(), _render, data)
        except BrokenProcessPool:
            # the worker died (killed, out of memory): a new one is tried once
            log.warning("the chart worker stopped; starting another")
            self._drop_pool()
            try:
                picture = await loop.run_in_executor(self._executor(), _render, data)
            except BrokenProcessPool as error:
                self._drop_pool()
                raise ChartUnavailable from error
        self._cache[data] = (now, picture)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return picture

    def _drop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
