"""Message catalogs: compiling them, choosing a locale, translating outside handlers.

Inside handlers use aiogram's ``gettext as _`` (the locale middleware has set the
person's locale). Outside an update (CLI, scheduler, reports) use :func:`translate`.
Message ids are English; ``locales/<lang>/LC_MESSAGES/messages.po`` holds the texts.
The ``.mo`` files are compiled from the ``.po`` files whenever they are missing or
older, so a fresh clone works without a build step.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # aiogram is imported only by the bot itself: admin commands start fast
    from aiogram.utils.i18n import I18n

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SUPPORTED_LOCALES = ("ru", "en")

_i18n: I18n | None = None


def N_(message: str) -> str:
    """Mark a message id for extraction where it is translated later (tables, reasons)."""
    return message


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return what was written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp_path.replace(mo_path)
        written.append(mo_path)
    return written


def get_i18n(default_locale: str = "ru") -> I18n:
    """aiogram's catalogs, for the locale middleware and ``gettext`` inside handlers."""
    from aiogram.utils.i18n import I18n

    global _i18n
    if _i18n is None or _i18n.default_locale != default_locale:
        compile_catalogs()
        _i18n = I18n(path=LOCALES_DIR, default_locale=default_locale, domain=DOMAIN)
    return _i18n


def pick_locale(stored: str | None, telegram_code: str | None, default: str) -> str:
    """The person's own choice, else their Telegram language if we have it, else the default."""
    if stored in SUPPORTED_LOCALES:
        return stored
    if telegram_code:
        short = telegram_code.split("-")[0].lower()
        if short in SUPPORTED_LOCALES:
            return short
    return default


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalog of ``locale`` (the same ``.mo`` files aiogram reads); a locale
    without one gives the English message ids back."""
    compile_catalogs()
    return gettext.translation(DOMAIN, LOCALES_DIR, languages=[locale], fallback=True)


def translate(locale: str, message: str, /, **params: Any) -> str:
    text = _translations(locale).gettext(message)
    return text.format(**params) if params else text


def translate_plural(locale: str, singular: str, plural: str, n: int, /, **params: Any) -> str:
    text = _translations(locale).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def format_number(value: float | int, locale: str) -> str:
    """30.0 → "30", 30.5 → "30,5" in Russian and "30.5" in English."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text if locale == "en" else text.replace(".", ",")


class Localized(Protocol):
    """A text the data holds in each language (a catalog title: ``Text.get(locale)``)."""

    def get(self, locale: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Msg:
    """A text a person will read, not yet in their language: an English message id and
    its parameters, rendered in the reader's language by :meth:`render`.

    This is the one way the domain (which knows no locale) says something to a person:
    refusals of answers, rows and periods, settings errors, reasons inside reasons. A
    parameter may be plain (``str``, ``int``), a ``float`` (written as the locale writes
    numbers: a decimal comma in Russian), a :class:`Localized` text (an indicator's
    name) or another :class:`Msg` (a reason inside a refusal), translated with it.
    """

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, locale: str, *, html: bool = False) -> str:
        """The text in ``locale``; with ``html`` the parameters (people's text) are escaped
        for Telegram's HTML parse mode."""
        return translate(locale, self.msgid, **_rendered(self.params, locale, html))

    def __str__(self) -> str:
        """The English text, for logs and exceptions."""
        try:
            return self.msgid.format(**_rendered(self.params, "en"))
        except (KeyError, IndexError, ValueError):
            return self.msgid


def _rendered(params: Mapping[str, Any], locale: str, html: bool = False) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, Msg):
            values[name] = value.render(locale, html=html)
            continue
        if isinstance(value, float):
            value = format_number(value, locale)
        elif not isinstance(value, str | int) and callable(getattr(value, "get", None)):
            value = value.get(locale)
        values[name] = escape(str(value)) if html else value
    return values


class LocalizedError(Exception):
    """An error a person reads: it carries a :class:`Msg` (``message``), shown in the
    reader's language by :meth:`render`. Raise it as ``LocalizedError(msgid, **params)``
    or ``LocalizedError(Msg(...))``."""

    def __init__(self, message: str | Msg, /, **params: Any) -> None:
        self.message = message if isinstance(message, Msg) else Msg(message, params)
        super().__init__(str(self.message))

    @property
    def msgid(self) -> str:
        return self.message.msgid

    @property
    def params(self) -> Mapping[str, Any]:
        return self.message.params

    def render(self, locale: str, *, html: bool = False) -> str:
        return self.message.render(locale, html=html)
