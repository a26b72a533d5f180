"""The web chat in a real browser: what someone trying the bot without Telegram sees and does.

Each test starts its own sandbox (on a background event loop) and plays the bot itself through
the Bot API with aiogram's ``Bot``; the page is driven in one headless Chromium per module.
What the page sends is checked where the bot would see it, in ``/sandbox/chats/{id}/updates``.
"""

from __future__ import annotations

import io
import json
import os
import struct
import time
import urllib.request
import zlib
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from sandbox import RunningSandbox, SandboxConfig, start_sandbox
from tests import browser
from tests.browser import LoopThread, chromium, require_browser

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

T = TypeVar("T")

TOKEN = "1234567890:AAH" + "x" * 32
MARIA = {
    "user_id": 1001,
    "first_name": "Мария",
    "last_name": "Иванова",
    "subtitle": "директор · Казанская СОШ № 12",
}
OLEG = {
    "user_id": 1002,
    "first_name": "Олег",
    "last_name": "Петров",
    "subtitle": "координатор · Лаишевский район",
}
PEOPLE = [MARIA, OLEG]
#: Where the README's picture of the chat comes from: set to a path to (re)write it.
SCREENSHOT_ENV = "WEBCHAT_SCREENSHOT"


def png(width: int, height: int) -> bytes:
    """A valid PNG of the given size, in the sandbox's accent blue."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x33\x90\xec" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def buttons(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


def wait_until(condition: Callable[[], T | None], what: str, timeout: float = 5.0) -> T:
    """Poll ``condition`` until it gives something truthy; fail naming ``what`` otherwise."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except (NoSuchElementException, StaleElementReferenceException):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.03)


class World:
    """One sandbox, a bot played by the test, and the module's browser looking at the page."""

    def __init__(self, loop: LoopThread, driver: WebDriver) -> None:
        self.loop = loop
        self.driver = driver
        config = SandboxConfig(global_rate=0, chat_rate=0, bot_first_name="Школьный помощник")
        self.sandbox: RunningSandbox = loop.run(start_sandbox(config=config))
        self.url = self.sandbox.url
        self.bot = Bot(
            TOKEN,
            session=AiohttpSession(api=TelegramAPIServer.from_base(self.url)),
            default=DefaultBotProperties(parse_mode=ParseMode.HTML),
        )

    def close(self) -> None:
        async def close_session() -> None:
            # AiohttpSession.close() sleeps 250 ms for TLS; there is no TLS here.
            await (await self.bot.session.create_session()).close()

        self.loop.run(close_session())
        self.loop.run(self.sandbox.close())

    # ------------------------------------------------------------- the bot and the sandbox

    def run(self, awaitable: Awaitable[T]) -> T:
        return self.loop.run(awaitable)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def user_says(self, user: dict[str, Any], text: str) -> None:
        """A person writes to the bot outside the page (so that the bot may write back)."""
        names = {k: user[k] for k in ("first_name", "last_name") if k in user}
        self.control(
            "POST", "/sandbox/updates", {"user_id": user["user_id"], "text": text, **names}
        )

    def updates(self, user_id: int) -> list[dict[str, Any]]:
        return self.control("GET", f"/sandbox/chats/{user_id}/updates")

    def wait_for_update(self, user_id: int, kind: str, count: int = 1) -> dict[str, Any]:
        """The ``count``-th update of ``kind`` the page made for ``user_id``."""

        def found() -> dict[str, Any] | None:
            matching = [u[kind] for u in self.updates(user_id) if kind in u]
            return matching[count - 1] if len(matching) >= count else None

        return wait_until(found, f"update #{count} of kind {kind} for {user_id}")

    # ------------------------------------------------------------- the page

    def open(self, user_id: int | None = None) -> None:
        """Load the page (as ``user_id``) and wait for its first snapshot."""
        self.driver.get(self.url + ("/" if user_id is None else f"/#{user_id}"))
        expected = "" if user_id is None else str(user_id)
        wait_until(
            lambda: self.driver.execute_script("return document.body.dataset.chat") == expected,
            "the page's first snapshot",
        )

    def css(self, selector: str) -> list[WebElement]:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector: str) -> WebElement:
        return wait_until(lambda: (self.css(selector) or [None])[0], selector)

    def bubble(self, message_id: int) -> WebElement:
        return self.one(f'#messages [data-message-id="{message_id}"]')

    def type_and_enter(self, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        box = self.one("#text")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def texts(self, selector: str) -> list[str]:
        return [element.text for element in self.css(selector)]


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    require_browser()
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture
def world(loop: LoopThread, driver: WebDriver) -> Iterator[World]:
    world = World(loop, driver)
    try:
        yield world
    finally:
        world.close()


# ----------------------------------------------------------------------------- the browser


def test_without_a_browser_the_tests_skip_unless_one_is_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMEDRIVER", tmp_path / "chromedriver")
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromedriver is missing"):
        require_browser()
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match=r"REQUIRE_BROWSER=1 but .*chromedriver"):
        require_browser()


# ----------------------------------------------------------------------------- the page


def test_the_page_says_it_is_a_local_stand_in_not_telegram(world: World) -> None:
    world.open()
    notice = world.one("#notice").text
    assert "локальная имитация Telegram" in notice
    assert "а не Telegram" in notice
    assert "local stand-in for Telegram" in notice
    assert "not Telegram" in notice
    assert "не Telegram" in world.driver.title
    assert world.one("#people-empty").is_displayed()


def test_a_person_is_picked_from_the_directory_which_updates_live(world: World) -> None:
    world.control("PUT", "/sandbox/directory", [MARIA])
    world.open()
    assert world.texts(".person-name") == ["Мария Иванова"]
    assert world.texts(".person-subtitle") == ["директор · Казанская СОШ № 12"]

    world.control("PUT", "/sandbox/directory", PEOPLE)
    wait_until(lambda: len(world.css(".person")) == 2, "the second person, without a reload")
    world.one('.person[data-user-id="1002"]').click()

    wait_until(lambda: "Олег Петров (1002)" in world.one("#acting").text, "acting as Oleg")
    assert world.one('.person[aria-current="true"]').text.startswith("ОП")
    assert world.driver.current_url.endswith("#1002")


def test_enter_sends_the_text_as_that_person(world: World) -> None:
    world.control("PUT", "/sandbox/directory", PEOPLE)
    world.open(1001)
    world.type_and_enter("Здравствуйте! Хочу сдать отчёт.")

    message = world.wait_for_update(1001, "message")
    assert message["text"] == "Здравствуйте! Хочу сдать отчёт."
    assert message["from"]["id"] == 1001
    assert (message["from"]["first_name"], message["from"]["last_name"]) == ("Мария", "Иванова")
    mine = world.bubble(message["message_id"])
    assert "from-user" in mine.get_attribute("class")
    assert "Здравствуйте! Хочу сдать отчёт." in mine.text
    assert world.one("#text").get_attribute("value") == ""


def test_a_stranger_id_can_be_entered(world: World) -> None:
    world.control("PUT", "/sandbox/directory", PEOPLE)
    world.open()
    world.one("#stranger-id").send_keys("4242")
    world.one("#stranger-go").click()
    wait_until(lambda: "(4242)" in world.one("#acting").text, "acting as 4242")
    assert "Незнакомец 4242" in world.texts(".person-name")

    world.type_and_enter("/start")
    message = world.wait_for_update(4242, "message")
    assert message["from"]["id"] == 4242
    assert message["from"]["first_name"] == "User4242"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


def test_a_file_is_uploaded_as_a_document_with_the_typed_caption(
    world: World, tmp_path: Path
) -> None:
    world.control("PUT", "/sandbox/directory", PEOPLE)
    world.open(1001)
    upload = tmp_path / "Анкета школы.csv"
    upload.write_bytes("школа;учеников\nСОШ № 12;412\n".encode())
    world.one("#text").send_keys("Анкета")
    world.one("#file-input").send_keys(str(upload))

    message = world.wait_for_update(1001, "message")
    assert message["from"]["id"] == 1001
    assert message["document"]["file_name"] == "Анкета школы.csv"
    assert message["caption"] == "Анкета"
    file_url = f"{world.url}/sandbox/files/{message['document']['file_id']}"
    with urllib.request.urlopen(file_url, timeout=5) as stored:
        assert stored.read() == upload.read_bytes()
    link = world.bubble(message["message_id"]).find_element("css selector", "a.document")
    assert "Анкета школы.csv" in link.text
    assert world.one("#text").get_attribute("value") == ""


# ----------------------------------------------------------------------------- what the bot sends


def test_the_bots_formatting_and_inline_keyboard_are_drawn(world: World) -> None:
    world.user_says(MARIA, "/start")
    world.open(1001)
    sent = world.run(
        world.bot.send_message(
            1001,
            "<b>Отчёт за март</b>\nСдайте до <i>5 апреля</i> через "
            '<a href="https://example.org/form">форму</a>, код <code>ШНОР-7</code>, '
            "<u>важно</u> <s>старый срок</s> <tg-spoiler>пароль</tg-spoiler>"
            "<blockquote>Цитата из приказа</blockquote>"
            '<pre><code class="language-python">print("ok")</code></pre>',
            reply_markup=buttons([("Сдать", "send"), ("Позже", "later")], [("Отмена", "no")]),
        )
    )
    bubble = world.bubble(sent.message_id)
    assert "from-bot" in bubble.get_attribute("class")

    def inside(selector: str) -> list[WebElement]:
        return bubble.find_elements("css selector", f".text {selector}")

    assert [e.text for e in inside("strong")] == ["Отчёт за март"]
    assert [e.text for e in inside("em")] == ["5 апреля"]
    [link] = inside("a[href]")
    assert (link.text, link.get_attribute("href")) == ("форму", "https://example.org/form")
    assert [e.text for e in inside("u")] == ["важно"]
    assert [e.text for e in inside("s")] == ["старый срок"]
    assert [e.text for e in inside("blockquote")] == ["Цитата из приказа"]
    assert inside("pre code")[0].get_attribute("data-language") == "python"
    assert 'print("ok")' in inside("pre code")[0].text
    [spoiler] = inside(".spoiler")
    assert "revealed" not in spoiler.get_attribute("class")
    spoiler.click()
    assert "revealed" in spoiler.get_attribute("class")
    rows = bubble.find_elements("css selector", ".inline-keyboard .keyboard-row")
    assert [[b.text for b in row.find_elements("css selector", "button")] for row in rows] == [
        ["Сдать", "Позже"],
        ["Отмена"],
    ]


def test_pressing_a_button_delivers_a_callback_query(world: World) -> None:
    world.user_says(MARIA, "/start")
    world.open(1001)
    sent = world.run(
        world.bot.send_message(1001, "Когда сдадите?", reply_markup=buttons([("Позже", "later")]))
    )
    world.bubble(sent.message_id).find_element("css selector", ".inline-button").click()

    query = world.wait_for_update(1001, "callback_query")
    assert query["data"] == "later"
    assert query["message"]["message_id"] == sent.message_id
    assert (query["from"]["id"], query["from"]["first_name"]) == (1001, "Мария")


def test_callback_answers_show_as_a_toast_or_an_alert(world: World) -> None:
    world.user_says(MARIA, "/start")
    world.open(1001)
    sent = world.run(
        world.bot.send_message(
            1001, "Выберите", reply_markup=buttons([("Тихо", "quiet"), ("Громко", "loud")])
        )
    )
    quiet, loud = world.bubble(sent.message_id).find_elements("css selector", ".inline-button")

    quiet.click()
    query = world.wait_for_update(1001, "callback_query")
    assert "pending" in quiet.get_attribute("class")
    world.run(world.bot.answer_callback_query(query["id"], text="Сохранено"))
    wait_until(lambda: world.one("#toast").text == "Сохранено", "the toast")
    assert "pending" not in quiet.get_attribute("class")
    assert not world.one("#alert").is_displayed()

    loud.click()
    query = world.wait_for_update(1001, "callback_query", count=2)
    world.run(world.bot.answer_callback_query(query["id"], text="Срок уже прошёл", show_alert=True))
    wait_until(lambda: world.one("#alert").is_displayed(), "the alert")
    assert world.one("#alert-text").text == "Срок уже прошёл"
    world.one("#alert-ok").click()
    wait_until(lambda: not world.one("#alert").is_displayed(), "the alert to close")


def test_an_edited_message_changes_in_place_without_a_reload(world: World) -> None:
    world.user_says(MARIA, "/start")
    world.open(1001)
    first = world.run(world.bot.send_message(1001, "Первое"))
    sent = world.run(
        world.bot.send_message(1001, "Шаг 1 из 3", reply_markup=buttons([("Дальше", "next")]))
    )
    world.bubble(sent.message_id)
    world.driver.execute_script("window.sameDocument = true")
    order_before = [e.get_attribute("data-message-id") for e in world.css("#messages .message")]

    world.run(
        world.bot.edit_message_text("<b>Шаг 2</b> из 3", chat_id=1001, message_id=sent.message_id)
    )

    wait_until(lambda: "Шаг 2 из 3" in world.bubble(sent.message_id).text, "the edited text")
    edited = world.bubble(sent.message_id)
    assert edited.find_element("css selector", "strong").text == "Шаг 2"
    assert "изменено" in edited.find_element("css selector", ".meta").text
    assert edited.find_elements("css selector", ".inline-button") == []
    assert world.driver.execute_script("return window.sameDocument") is True
    order_after = [e.get_attribute("data-message-id") for e in world.css("#messages .message")]
    assert order_after == order_before
    assert world.bubble(first.message_id).text.startswith("Первое")


def test_a_deleted_message_disappears(world: World) -> None:
    world.user_says(MARIA, "/start")
    world.open(1001)
    doomed = world.run(world.bot.send_message(1001, "Уйду"))
    kept = world.run(world.bot.send_message(1001, "Останусь"))
    world.bubble(kept.message_id)

    world.run(world.bot.delete_message(1001, doomed.message_id))

    selector = f'#messages [data-message-id="{doomed.message_id}"]'
    wait_until(lambda: world.css(selector) == [], "the deleted message to go")
    assert "Останусь" in world.bubble(kept.message_id).text


def test_a_document_is_a_link_that_downloads_its_bytes(world: World, tmp_path: Path) -> None:
    world.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    world.user_says(MARIA, "/start")
    world.open(1001)
    content = bytes(range(256)) * 8
    sent = world.run(
        world.bot.send_document(
            1001, BufferedInputFile(content, "Отчёт март.xlsx"), caption="Ваш отчёт"
        )
    )
    link = world.bubble(sent.message_id).find_element("css selector", "a.document")
    assert link.get_attribute("download") == "Отчёт март.xlsx"
    assert "Отчёт март.xlsx" in link.text
    assert "2.0 KB" in link.text
    assert "Ваш отчёт" in world.bubble(sent.message_id).text

    link.click()
    target = tmp_path / "Отчёт март.xlsx"
    wait_until(lambda: target.exists() and target.read_bytes() == content, "the download")


def test_a_photo_is_shown_as_an_image(world: World) -> None:
    world.user_says(MARIA, "/start")
    world.open(1001)
    sent = world.run(world.bot.send_photo(1001, BufferedInputFile(png(64, 40), "chart.png")))
    image = world.bubble(sent.message_id).find_element("css selector", "img.photo")
    natural = wait_until(
        lambda: world.driver.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", image
        ),
        "the photo to load",
    )
    assert natural == 64


def test_a_reply_keyboard_sends_its_text_and_a_one_time_one_hides(world: World) -> None:
    world.user_says(MARIA, "/start")
    world.open(1001)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Да"), KeyboardButton(text="Нет")]],
        one_time_keyboard=True,
        input_field_placeholder="Ответьте кнопкой",
    )
    world.run(world.bot.send_message(1001, "Продолжить?", reply_markup=keyboard))
    wait_until(lambda: world.texts("#reply-keyboard button") == ["Да", "Нет"], "the keyboard")
    assert world.one("#text").get_attribute("placeholder") == "Ответьте кнопкой"

    world.css("#reply-keyboard button")[0].click()

    assert world.wait_for_update(1001, "message", count=2)["text"] == "Да"
    wait_until(lambda: not world.one("#reply-keyboard").is_displayed(), "the keyboard to hide")


def test_the_command_menu_follows_the_persons_scope_and_language(world: World) -> None:
    world.control(
        "PUT", "/sandbox/directory", [*PEOPLE, {**OLEG, "user_id": 1003, "language_code": "en"}]
    )
    world.user_says(MARIA, "/start")
    general = [
        BotCommand(command="start", description="Начало"),
        BotCommand(command="help", description="Помощь"),
    ]
    world.run(world.bot.set_my_commands(general))
    world.run(
        world.bot.set_my_commands(
            [BotCommand(command="help", description="Help")], language_code="en"
        )
    )
    world.run(
        world.bot.set_my_commands(
            [BotCommand(command="report", description="Сдать отчёт")],
            scope=BotCommandScopeChat(chat_id=1001),
        )
    )
    world.open(1001)

    world.one("#menu-button").click()
    assert world.texts("#command-menu .command-name") == ["/report"]
    world.one("#command-menu .command-item").click()
    assert world.wait_for_update(1001, "message", count=2)["text"] == "/report"

    world.one('.person[data-user-id="1002"]').click()
    wait_until(lambda: world.one("#menu-button").is_displayed(), "Oleg's menu")
    world.one("#menu-button").click()
    assert world.texts("#command-menu .command-name") == ["/start", "/help"]

    world.one('.person[data-user-id="1003"]').click()
    wait_until(lambda: world.one("#menu-button").is_displayed(), "the English menu")
    world.one("#menu-button").click()
    assert world.texts("#command-menu .command-description") == ["Help"]

    world.run(world.bot.delete_my_commands(language_code="en"))
    wait_until(
        lambda: world.texts("#command-menu .command-description") == ["Начало", "Помощь"],
        "the menu to follow deleteMyCommands without a reload",
    )


# ----------------------------------------------------------------------------- safety


def test_html_in_names_and_texts_shows_as_text_and_runs_nothing(world: World) -> None:
    attack = '<img src=x onerror="window.pwned=1">'
    world.control(
        "PUT", "/sandbox/directory", [{"user_id": 1001, "first_name": attack, "subtitle": attack}]
    )
    world.user_says({"user_id": 1001}, "/start")
    world.open(1001)
    plain = world.run(
        world.bot.send_message(1001, f"{attack}<script>window.pwned=2</script>", parse_mode=None)
    )
    sneaky_link = world.run(
        world.bot.send_message(1001, '<a href="javascript:window.pwned=3">нажми</a>')
    )
    world.type_and_enter("<b>не жирный</b>")

    assert world.texts(".person-name") == [attack]
    assert world.texts(".person-subtitle") == [attack]
    assert world.bubble(plain.message_id).text.startswith(
        f"{attack}<script>window.pwned=2</script>"
    )
    link = world.bubble(sneaky_link.message_id).find_element("css selector", ".text span")
    assert link.text == "нажми"
    link.click()
    message = world.wait_for_update(1001, "message", count=2)
    assert message["from"]["first_name"] == attack
    mine = world.bubble(message["message_id"])
    assert mine.text.startswith("<b>не жирный</b>")
    assert mine.find_elements("css selector", "b, strong") == []
    assert world.css("#messages img, #people-list img, script:not([src])") == []
    assert world.css('a[href^="javascript"]') == []
    assert world.driver.execute_script("return window.pwned") is None


# ----------------------------------------------------------------------------- small screens


def test_a_phone_sized_window_shows_the_list_then_the_chat(world: World) -> None:
    world.control("PUT", "/sandbox/directory", PEOPLE)
    size = world.driver.get_window_size()
    world.driver.set_window_size(390, 800)
    try:
        world.open()
        assert world.one(".people").is_displayed()
        assert not world.one("#chat").is_displayed()
        world.one('.person[data-user-id="1001"]').click()
        wait_until(lambda: world.one("#chat").is_displayed(), "the chat")
        assert not world.one(".people").is_displayed()
        assert world.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        world.one("#back").click()
        wait_until(lambda: world.one(".people").is_displayed(), "the list again")
    finally:
        world.driver.set_window_size(size["width"], size["height"])


# ----------------------------------------------------------------------------- a picture


def test_a_conversation_looks_like_telegram(world: World, tmp_path: Path) -> None:
    """A Russian conversation, saved as a screenshot (and, on request, for the README)."""
    from PIL import Image
    from selenium.webdriver.common.action_chains import ActionChains

    world.control(
        "PUT",
        "/sandbox/directory",
        [
            MARIA,
            OLEG,
            {
                "user_id": 1004,
                "first_name": "Анна",
                "last_name": "Смирнова",
                "subtitle": "учитель · Арская СОШ № 2",
            },
        ],
    )
    world.run(world.bot.set_my_commands([BotCommand(command="start", description="Начало")]))
    world.open(1001)
    world.type_and_enter("/start")
    world.wait_for_update(1001, "message")
    world.run(
        world.bot.send_message(
            1001,
            "Здравствуйте, <b>Мария Иванова</b>!\n"
            "Вы директор школы <i>Казанская СОШ № 12</i>.\n\n"
            "До <b>5 апреля</b> нужно сдать отчёт по программе ШНОР.",
            reply_markup=buttons(
                [("Сдать отчёт", "report")], [("Мои школы", "schools"), ("Помощь", "help")]
            ),
        )
    )
    world.one(".inline-button").click()
    query = world.wait_for_update(1001, "callback_query")
    world.run(world.bot.answer_callback_query(query["id"]))
    wait_until(lambda: world.css(".inline-button.pending") == [], "the press to be answered")
    world.run(
        world.bot.send_document(
            1001,
            BufferedInputFile(b"x" * 18_400, "Шаблон отчёта ШНОР.xlsx"),
            caption="Заполните шаблон и пришлите его ответным сообщением.",
        )
    )
    wait_until(lambda: len(world.css("#messages .message")) == 3, "the conversation")
    ActionChains(world.driver).move_to_element(world.one("#notice")).perform()  # no hover

    shot = tmp_path / "webchat.png"
    assert world.driver.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    target = os.environ.get(SCREENSHOT_ENV)
    if target:
        with Image.open(io.BytesIO(shot.read_bytes())) as image:
            image.convert("RGB").quantize(colors=96).save(target, optimize=True)
