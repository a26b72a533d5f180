"""The evidence of an action done: a file, a link, or a sentence naming the document.

The roadmap's «Результат» column says what the action leaves behind («Приказ …»,
«аналитическая справка», «протокол», «план»); the request shows it and gives an example
of a sentence in its words (:func:`evidence_example`). A typed answer is read by
:func:`read_typed_evidence`: a link (with or without ``https://``) is kept as a link and the
words around it as its description; anything else must be a sentence, not a bare «да».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import N_, LocalizedError

MAX_TEXT = 1000  # characters of a typed evidence or comment
MIN_LETTERS = 4  # «да», «ок» name no document

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"]+|\b[\w.-]+\.(?:ru|рф|su|com|org|net|info|edu)(?:/[^\s<>«»\"]*)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_TRAILING = ".,;:!?)»"

# the first stem the «Результат» text contains decides the example (in this order)
_EXAMPLES = (
    ("приказ", N_("order No. 45 of 12.03.2026")),
    ("справк", N_("analytical report of 12.03.2026")),
    ("протокол", N_("minutes No. 3 of 12.03.2026")),
    ("положени", N_("regulations approved by order No. 45 of 12.03.2026")),
    ("план", N_("plan approved by order No. 45 of 12.03.2026")),
    ("программ", N_("programme approved by order No. 45 of 12.03.2026")),
    ("отчет", N_("report sent on 12.03.2026")),
    ("семинар", N_("held on 12.03.2026, 25 teachers took part")),
    ("совещани", N_("held on 12.03.2026, 25 teachers took part")),
    ("конкурс", N_("3 teachers took part, 1 prize-winner")),
    ("курс", N_("12 teachers trained, certificates issued")),
)
DEFAULT_EXAMPLE = N_("order No. 45 of 12.03.2026")


class EvidenceError(LocalizedError):
    """A typed evidence or reason that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a person gave as evidence; the file fields come from Telegram."""

    file_id: str | None = None
    file_name: str | None = None
    file_kind: str | None = None  # document | photo
    link: str | None = None
    text: str | None = None


def evidence_example(result: str) -> str:
    """The message id of an example sentence fitting the expected result."""
    key = result.casefold().replace("ё", "е")
    for stem, example in _EXAMPLES:
        if stem in key:
            return example
    return DEFAULT_EXAMPLE


def _clean(text: str) -> str:
    return " ".join(text.split())


def read_typed_evidence(text: str) -> Evidence:
    """A link (and the words around it), or a sentence; raises :class:`EvidenceError`."""
    text = _clean(text)
    match = _URL.search(text)
    if match:
        link = match.group(0).rstrip(_TRAILING)
        rest = _clean(text[: match.start()] + " " + text[match.start() + len(link) :])
        rest = rest.strip(" -–—:,;.")
        if not link.casefold().startswith(("http://", "https://")):
            link = "https://" + link
        if len(link) > MAX_TEXT:
            raise EvidenceError(N_("The link is too long: please send a shorter one."))
        return Evidence(link=link, text=_checked(rest) if rest else None)
    return Evidence(text=_checked(text, required=True))


def read_reason(text: str) -> str:
    """Why an action was not done or was moved: a sentence; raises :class:`EvidenceError`."""
    return _checked(_clean(text), required=True, what=N_("Please write the reason in words."))


def _checked(text: str, *, required: bool = False, what: str | None = None) -> str:
    if required and len(_WORD.findall(text)) < MIN_LETTERS:
        raise EvidenceError(
            what
            or N_(
                "This says nothing about the result. Please name the document (for example "
                "«order No. 45 of 12.03.2026»), send a link or a file."
            )
        )
    if len(text) > MAX_TEXT:
        raise EvidenceError(
            N_("Please keep it within {limit} characters (now {length})."),
            limit=MAX_TEXT,
            length=len(text),
        )
    return text
