"""The check of a coordinator's HTML before anything is queued: it accepts exactly what
Telegram's parser accepts (the sandbox's port of it decides here), reads the same plain
text, and says what is wrong in a sentence naming the place."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.announcements.formatting import check_html
from bot.i18n import LocalizedError
from sandbox.html_check import HtmlParseError, parse_html

PIECES = [
    "<b>", "</b>", "<i>", "</i>", "<u>", "</u>", "<s>", "</s>", "<strong>", "</strong>",
    "<em>", "</em>", "<ins>", "</ins>", "<del>", "</del>", "<strike>", "</strike>",
    '<a href="https://x.ru">', "<a href=https://x.ru>", "<a>", "</a>", "<code>", "</code>",
    "<pre>", "</pre>", '<pre><code class="language-python">', "</code></pre>",
    "<blockquote>", "<blockquote expandable>", "</blockquote>", '<span class="tg-spoiler">',
    "<span>", "</span>", "<tg-spoiler>", "</tg-spoiler>", '<tg-emoji emoji-id="1">',
    "<tg-emoji>", "</tg-emoji>", "&amp;", "&lt;", "&gt", "&quot;", "&#65;", "&#x41;",
    "&#55296;", "&nbsp;", "&", "<", ">", "</>", "<b/>", "<b />", "</ b>", "</b >", "<B>",
    "</B>", "<br>", "<script>", "текст", "ё", " ", "\n", "1", "=", '"', "'",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=12).map("".join) | st.text(
    alphabet="<>/&;#x0123abiuspn=\"' -.ё\n", max_size=25
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_it_accepts_what_telegram_accepts_and_reads_the_same_text(text: str) -> None:
    try:
        checked = check_html(text)
    except LocalizedError as error:
        ours: LocalizedError | None = error
    else:
        ours = None
    try:
        plain, _ = parse_html(text)
    except HtmlParseError:
        accepted = False
    else:
        accepted = True
    if ours is None:
        assert accepted, text
        assert checked.plain == plain
    else:
        # stricter in one thing only: a link must be a web (or Telegram, mail) address
        assert not accepted or "link" in str(ours), (text, str(ours))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("<b>Важно: возьмите ноутбук", "The tag <b> is opened but never closed: add </b>"),
        ("Итог: 5 < 7 школ", "The sign «<» in «Итог: 5 < 7 школ» starts a tag"),
        ("<script>x</script>", "Telegram does not know the tag <script>"),
        ("<b>жирный</i>", "The tag <b> is closed by </i>"),
        ("текст</b>", "The closing tag </b> (in «текст</b>») has no opening tag"),
        ("<b />", "Telegram cannot read the tag in «<b />»"),
        ('<a href="javascript:alert(1)">x</a>', "The link «javascript:alert(1)» is not a web"),
        ("<span>x</span>", "A span tag is allowed only as"),
        ("<b", "The tag in «<b» is not finished with «>»"),
    ],
)
def test_what_is_wrong_is_said_with_the_place(text: str, said: str) -> None:
    with pytest.raises(LocalizedError) as refused:
        check_html(text)
    assert said in str(refused.value)


def test_references_and_the_short_end_tag_read_as_telegram_reads_them() -> None:
    checked = check_html("<b>A &amp; B</> &lt;3 &#1105; & ok")
    assert checked.plain == "A & B <3 ё & ok"
    assert checked.html == "<b>A &amp; B</> &lt;3 &#1105; & ok"
