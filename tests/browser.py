"""Plumbing for browser tests: Debian's Chromium under Selenium, and sandboxes on a thread.

Only the system's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` are used; giving Selenium
the driver's path keeps Selenium Manager (which would download one) from ever running. Where
they are missing the tests skip, unless ``REQUIRE_BROWSER=1`` says they must run.

Selenium is synchronous and the project's async tests each own an event loop, so browser tests
keep one event loop on a background thread (:class:`LoopThread`) for the sandbox and the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import threading
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

T = TypeVar("T")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
INSTALL_HINT = "apt-get install -y chromium chromium-driver; pip install -e '.[dev]'"


def missing_browser() -> str | None:
    """Why browser tests cannot run here, or None."""
    if importlib.util.find_spec("selenium") is None:
        return f"selenium is not installed ({INSTALL_HINT})"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing ({INSTALL_HINT})"
    return None


def require_browser() -> None:
    """Skip the calling test (fail it when ``REQUIRE_BROWSER=1``) if there is no browser."""
    reason = missing_browser()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def chromium(profile_dir: Path, width: int = 1100, height: int = 760) -> Iterator[WebDriver]:
    """A headless Chromium with a fresh profile in ``profile_dir``; quits on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--lang=ru-RU")
    service = Service(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        driver.quit()


class LoopThread:
    """An asyncio event loop on a daemon thread; ``run`` waits for a coroutine's result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, awaitable: Awaitable[T], timeout: float = 10.0) -> T:
        async def wait() -> T:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wait(), self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5.0)
        self.loop.close()


__all__ = [
    "CHROMEDRIVER",
    "CHROMIUM",
    "CHROMIUM_FLAGS",
    "LoopThread",
    "chromium",
    "missing_browser",
    "require_browser",
]
