"""The sandbox's building blocks: Telegram's HTML parser, flood buckets, image headers."""

from __future__ import annotations

import io

import aiohttp
import pytest
from PIL import Image

from bot.token_bucket import TokenBucket
from sandbox import SandboxConfig, start_sandbox
from sandbox.content import parse_formatted, url_problem
from sandbox.errors import BotApiError
from sandbox.html_check import HtmlParseError, parse_html
from sandbox.media import image_size, scaled
from sandbox.ratelimit import FloodLimiter

# Inputs and the reasons Telegram gives (after "Bad Request: can't parse entities: ").
REFUSED = [
    ("<br>", 'Unsupported start tag "br" at byte offset 0'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("x <b", "Unclosed start tag at byte offset 2"),
    ("<a href", 'Unclosed start tag "a" at byte offset 0'),
    ('<a href="x"', "Unclosed start tag at byte offset 0"),
    ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
    ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<b>x</b", "Unclosed end tag at byte offset 4"),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
    ("привет <br>", 'Unsupported start tag "br" at byte offset 13'),
    ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
]


@pytest.mark.parametrize(("html", "reason"), REFUSED)
def test_html_refused_like_telegram(html: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(html)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Tom & Jerry", "Tom & Jerry"),  # Telegram keeps a bare ampersand
        ("&nbsp; and &copy", "&nbsp; and &copy"),
        ("a > b", "a > b"),
        ("&lt;&gt;&amp;&quot;", '<>&"'),
        ("&lt&gt", "<>"),
        ("&#65;&#x42;&#67", "ABC"),
        ("<B>upper</B>", "upper"),
        ("<b>closed by</>", "closed by"),
    ],
)
def test_html_text_after_parsing(html: str, text: str) -> None:
    assert parse_html(html)[0] == text


def test_html_entities_in_utf16_units() -> None:
    text, entities = parse_html(
        '<a href="https://example.com">site</a> <blockquote>q</blockquote>'
        "<blockquote expandable>e</blockquote><tg-spoiler>s</tg-spoiler>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> <b>😀x</b>'
        '<pre><code class="language-python">x = 1</code></pre>'
    )
    assert text == "site qes👍 😀xx = 1"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://example.com"},
        {"type": "blockquote", "offset": 5, "length": 1},
        {"type": "expandable_blockquote", "offset": 6, "length": 1},
        {"type": "spoiler", "offset": 7, "length": 1},
        {
            "type": "custom_emoji",
            "offset": 8,
            "length": 2,
            "custom_emoji_id": "5368324170671202286",
        },
        {"type": "bold", "offset": 11, "length": 3},
        {"type": "pre", "offset": 14, "length": 5, "language": "python"},
    ]


def test_formatted_text_is_trimmed_and_entities_follow() -> None:
    text, entities = parse_formatted("\n\n  <b>hi</b> there \n", "HTML", None)
    assert text == "hi there"
    assert entities == [{"type": "bold", "offset": 0, "length": 2}]
    assert parse_formatted("*not parsed*", "MarkdownV2", None) == ("*not parsed*", [])


def test_strict_ampersand_mode_is_optional() -> None:
    assert parse_formatted("A & B", "HTML", None)[0] == "A & B"
    with pytest.raises(BotApiError, match="Unescaped"):
        parse_formatted("A & B", "HTML", None, strict_ampersand=True)
    assert parse_formatted("A &amp; B", "HTML", None, strict_ampersand=True)[0] == "A & B"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.com/x", None),
        ("example.org", None),
        ("tg://user?id=1", None),
        ("not-a-url", "Wrong HTTP URL"),
        ("ftp://example.com", "Unsupported URL protocol"),
        ("", "URL host is empty"),
    ],
)
def test_button_urls(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_refills_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=2.0, burst=2, clock=clock)
    for _ in range(2):
        assert bucket.wait_time() == 0
        bucket.take()
    assert bucket.wait_time() == pytest.approx(0.5)
    clock.now += 0.5
    assert bucket.wait_time() == 0
    assert TokenBucket(rate=0, burst=1, clock=clock).wait_time() == 0


def test_flood_limiter_refusal_takes_no_token() -> None:
    clock = FakeClock()
    limiter = FloodLimiter(global_rate=10, global_burst=3, chat_rate=1, chat_burst=1, clock=clock)
    assert limiter.try_acquire(1) == 0
    assert limiter.try_acquire(1) == pytest.approx(1.0)  # chat 1 is out of tokens
    assert limiter.try_acquire(2) == 0  # the refusal above took nothing from the overall bucket
    assert limiter.try_acquire(3) == 0
    assert limiter.try_acquire(4) == pytest.approx(0.1)  # overall bucket now empty


def _image(kind: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP", "BMP"])
def test_image_size_from_headers(kind: str) -> None:
    assert image_size(_image(kind, (321, 123))) == (321, 123)


def test_not_an_image_and_scaling() -> None:
    assert image_size(b"PK\x03\x04 an xlsx") is None
    assert scaled((1280, 960), 90) == (90, 68)
    assert scaled((50, 40), 90) == (50, 40)


async def test_start_sandbox_works_awaited_and_as_context_manager() -> None:
    async with start_sandbox(config=SandboxConfig(bot_username="ctx_bot")) as sandbox:
        assert sandbox.url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{sandbox.url}/sandbox/health") as response:
                assert await response.json() == {"ok": True}
    async with await start_sandbox() as sandbox:
        assert sandbox.state.config.bot_username == "sandbox_bot"
