"""Message catalogs: compiling them, choosing a locale, translating outside handlers.

Inside handlers use aiogram's ``gettext as _`` (the locale middleware has set the
person's locale). Outside an update (CLI, scheduler, reports) use :func:`translate`.
Message ids are English; ``locales/<lang>/LC_MESSAGES/messages.po`` holds the texts.
The ``.mo`` files are compiled from the ``.po`` files whenever they are missing or
older, so a fresh clone works without a build step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.utils.i18n import I18n
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SUPPORTED_LOCALES = ("ru", "en")

_i18n: I18n | None = None


def N_(message: str) -> str:
    """Mark a message id for extraction where it is translated later (tables, reasons)."""
    return message


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return what was written."""
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


def translate(locale: str, message: str, /, **params: Any) -> str:
    text = get_i18n().gettext(message, locale=locale)
    return text.format(**params) if params else text


def translate_plural(locale: str, singular: str, plural: str, n: int, /, **params: Any) -> str:
    text = get_i18n().gettext(singular, plural, n, locale=locale)
    return text.format(n=n, **params)


class LocalizedError(Exception):
    """An error a person reads: an English message id with named parameters, shown in
    the reader's language by :meth:`render`."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid.format(**params) if params else msgid)
        self.msgid = msgid
        self.params = params

    def render(self, locale: str) -> str:
        return translate(locale, self.msgid, **self.params)
