"""The real bot in the web chat, as someone evaluating it would try it: ``python -m bot demo``
in a process of its own and the page in headless Chromium. A principal fills in part of her
form (a wrong answer explained, a button that edits the question in place), the coordinator
downloads the Excel export and it opens, a stranger is told about invitations, and text
that looks like HTML stays text. A screenshot of the form is saved with the test's files
(and, with ``WEBCHAT_SCREENSHOT=path``, for the README)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from tests.browser import chromium, require_browser
from tests.test_webchat import SCREENSHOT_ENV, wait_until

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[str]:
    """``python -m bot demo`` on a free port; its web chat's address. Stopped with Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--no-browser", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "BOT_API_BASE"}},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + (process.stderr.read() if process.stderr else "")
        yield found.group(0)
    finally:
        process.send_signal(signal.SIGINT)
        _, log = process.communicate(timeout=30)
        assert process.returncode == 0, log
        assert "Traceback" not in log, log


class Page:
    def __init__(self, driver: WebDriver, url: str) -> None:
        self.driver = driver
        self.url = url

    def css(self, selector: str) -> list[WebElement]:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def act_as(self, *fragments: str) -> None:
        """Pick the person whose list entry has every fragment."""
        person = wait_until(
            lambda: next(
                (p for p in self.css(".person") if all(f in p.text for f in fragments)), None
            ),
            f"a person with {fragments}",
        )
        person.click()
        wait_until(lambda: self.driver.execute_script("return document.body.dataset.chat"), "chat")

    def say(self, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        box = wait_until(lambda: (self.css("#text") or [None])[0], "the message box")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def bot_texts(self) -> list[str]:
        return [m.text for m in self.css("#messages .message.from-bot")]

    def wait_for_bot(self, fragment: str, timeout: float = 20) -> WebElement:
        return wait_until(
            lambda: next(
                (m for m in self.css("#messages .message.from-bot") if fragment in m.text), None
            ),
            f"the bot's message with «{fragment}»",
            timeout,
        )

    def press(self, fragment: str) -> None:
        """Press the latest button with ``fragment``."""
        button = wait_until(
            lambda: next(
                (b for b in reversed(self.css(".inline-button")) if fragment in b.text), None
            ),
            f"a button with «{fragment}»",
        )
        button.click()


def test_the_demo_bot_in_a_browser(demo: str, tmp_path: Path) -> None:
    require_browser()
    with chromium(tmp_path / "profile", height=900) as driver:
        page = Page(driver, demo)
        driver.get(demo)

        # the principal of the first school has a draft of the October form
        page.act_as("Казанская СОШ", "руководитель ОО")
        page.say("/start")
        page.wait_for_bot("Показатели")
        page.say("/submit")
        page.press("1 октября")
        page.wait_for_bot("вопрос 12 из 18")
        page.say("<b>много</b><img src=x onerror=alert(1)>")
        refusal = page.wait_for_bot("— не доля")
        assert "<img src=x onerror=alert(1)>" in refusal.text  # shown as text, not run
        assert not page.css("#messages img:not(.photo)")
        page.say("25 %")
        page.wait_for_bot("Записано в ответ на вопрос 12: 25 %")
        count = len(page.css("#messages .message"))
        page.press("⬅️ Назад")  # back to question 12, in the same message
        page.wait_for_bot("Сейчас: 25 %")
        assert len(page.css("#messages .message")) == count, "the question was edited in place"
        shot = tmp_path / "webchat.png"
        assert driver.save_screenshot(str(shot))
        assert shot.read_bytes().startswith(b"\x89PNG")
        _keep_for_readme(shot)

        # the regional coordinator exports the year's indicators and the file opens
        page.act_as("Костина", "координатор")
        page.say("/export")
        link = wait_until(
            lambda: next((a for a in page.css("#messages a.document")), None), "the export"
        )
        with urllib.request.urlopen(link.get_attribute("href"), timeout=10) as response:
            workbook = load_workbook(io.BytesIO(response.read()))
        assert any(
            "Казанская" in str(cell.value)
            for sheet in workbook
            for row in sheet.iter_rows()
            for cell in row
        )

        # someone without an invitation
        stranger = wait_until(lambda: (page.css("#stranger-id") or [None])[0], "the id box")
        stranger.send_keys("4242")
        page.css("#stranger-go")[0].click()
        page.say("/start")
        page.wait_for_bot("приглашени")


def _keep_for_readme(shot: Path) -> None:
    target = os.environ.get(SCREENSHOT_ENV)
    if not target:
        return
    from PIL import Image

    with Image.open(shot) as image:
        image.convert("RGB").quantize(colors=96).save(target, optimize=True)
