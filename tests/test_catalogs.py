"""Every message the code can show has a Russian and an English text."""

from __future__ import annotations

import os
import re
import shutil
import tokenize
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from aiogram.utils.i18n import I18n, gettext
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import compile_catalogs

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["bot", "handlers", "storage", "scheduler"]
LOCALES = ROOT / "locales"
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_": None,
    "gettext": None,
    "N_": None,
    "__": None,
    "translate": (2,),
    "translate_plural": (2, 3),
}
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}!:]*)[^{}]*\}")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@dataclass(frozen=True)
class Message:
    ids: tuple[str, ...]  # the msgid, and the plural msgid if any
    places: tuple[str, ...]

    @property
    def msgid(self) -> str:
        return self.ids[0]


@cache
def extracted() -> dict[str, Message]:
    """Each message found in the source, by msgid, with where it is used."""
    ids: dict[str, tuple[str, ...]] = {}
    places: dict[str, list[str]] = {}
    for folder in SOURCE_DIRS:
        for filename, line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            forms = (message,) if isinstance(message, str) else tuple(message)
            if not forms or not forms[0]:
                continue  # a variable passed to translate(), not a message id
            ids.setdefault(forms[0], forms)
            places.setdefault(forms[0], []).append(f"{folder}/{filename}:{line}")
    return {msgid: Message(ids[msgid], tuple(places[msgid])) for msgid in ids}


@cache
def catalog(locale: str) -> Catalog:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def translations(locale: str) -> list[tuple[Message, list[str]]]:
    """Every extracted message with its translated forms; a missing text is ''."""
    result = []
    for message in extracted().values():
        entry = catalog(locale).get(message.msgid)
        if entry is None or entry.fuzzy:
            forms = [""]
        elif isinstance(entry.string, str):
            forms = [entry.string]
        else:
            forms = list(entry.string)
        result.append((message, forms))
    return result


def test_the_extraction_finds_the_messages_of_every_kind_of_call() -> None:
    messages = extracted()
    # translate(locale, ...) in the CLI, N_() in settings, _() in handlers
    assert "bot/cli/database.py" in " ".join(messages["Database schema version {version}"].places)
    assert any(msgid.startswith("BOT_TOKEN is not set") for msgid in messages)
    assert any(
        place.startswith("handlers/") for message in messages.values() for place in message.places
    )
    assert len(messages) >= 50


def untranslated(locale: str) -> list[Message]:
    return [
        message
        for message, forms in translations(locale)
        if not all(form.strip() for form in forms)
    ]


def listing(missing: list[Message]) -> str:
    return "\n".join(f"{m.msgid!r} ({', '.join(m.places)})" for m in missing)


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_message_has_a_non_empty_translation(locale: str) -> None:
    missing = untranslated(locale)
    assert missing == [], f"{len(missing)} messages lack a {locale} text:\n" + listing(missing)


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_translations_keep_the_placeholders_of_the_message(locale: str) -> None:
    wrong = []
    for message, forms in translations(locale):
        expected = set().union(*(placeholders(text) for text in message.ids))
        found = [placeholders(form) for form in forms if form]
        if len(message.ids) == 1:
            bad = any(names != expected for names in found)
        else:  # a plural form may leave out {n}, but all of them together use every name
            bad = bool(found) and (
                any(not names <= expected for names in found) or set().union(*found) != expected
            )
        if bad:
            wrong.append(f"{message.msgid!r} -> {forms!r}")
    assert wrong == [], "\n".join(wrong)


def test_russian_translations_are_in_russian() -> None:
    latin_only = [
        f"{message.msgid!r} -> {form!r}"
        for message, forms in translations("ru")
        for form in forms
        if form and not CYRILLIC.search(form)
    ]
    assert latin_only == [], "\n".join(latin_only)


def test_compiled_catalogs_are_loaded_by_aiogram(tmp_path: Path) -> None:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    written = compile_catalogs(copy)
    assert {path.parent.parent.name for path in written} >= {"en", "ru"}
    assert compile_catalogs(copy) == []  # up to date: nothing rewritten

    i18n = I18n(path=copy, default_locale="ru", domain="messages")
    assert set(i18n.available_locales) >= {"ru", "en"}
    message = "Database schema version {version}"
    russian = i18n.gettext(message, locale="ru")
    assert russian != message and CYRILLIC.search(russian)
    assert "{version}" in russian
    assert i18n.gettext(message, locale="en") == catalog("en").get(message).string
    with i18n.context(), i18n.use_locale("ru"):
        assert gettext(message) == russian


def test_an_edited_po_file_is_recompiled(tmp_path: Path) -> None:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    compile_catalogs(copy)
    po = copy / "ru" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    old = 'msgstr "Версия схемы базы данных: {version}"'
    assert old in text
    po.write_text(text.replace(old, 'msgstr "Схема базы: версия {version}"'), encoding="utf-8")
    mo = po.with_suffix(".mo")
    stamp = mo.stat().st_mtime
    os.utime(po, (stamp + 10, stamp + 10))
    assert compile_catalogs(copy) == [mo]
    i18n = I18n(path=copy, default_locale="ru", domain="messages")
    assert i18n.gettext("Database schema version {version}") == "Схема базы: версия {version}"


def string_literals_in_code(path: Path) -> list[tuple[int, str]]:
    """String tokens that are not docstrings or other bare string statements."""
    found = []
    with path.open("rb") as source:
        tokens = [
            t
            for t in tokenize.tokenize(source.readline)
            if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING)
        ]
    statement_start = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    fstring_parts = {getattr(tokenize, name, -1) for name in ("FSTRING_MIDDLE",)}
    for i, token in enumerate(tokens):
        if token.type == tokenize.STRING:
            before = tokens[i - 1].type if i else tokenize.NEWLINE
            after = tokens[i + 1].type if i + 1 < len(tokens) else tokenize.NEWLINE
            if before in statement_start and after in (tokenize.NEWLINE, tokenize.ENDMARKER):
                continue  # a docstring
            found.append((token.start[0], token.string))
        elif token.type in fstring_parts:
            found.append((token.start[0], token.string))
    return found


def test_the_literal_scan_sees_code_strings_but_not_docstrings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Модуль."""\n\ndef f():\n    """Функция."""\n    # комментарий\n    return "Привет"\n',
        encoding="utf-8",
    )
    assert string_literals_in_code(sample) == [(6, '"Привет"')]


def test_handlers_have_no_russian_string_literals() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted((ROOT / "handlers").glob("*.py"))
        for line, text in string_literals_in_code(path)
        if CYRILLIC.search(text)
    ]
    assert offenders == [], "texts belong in the catalogs:\n" + "\n".join(offenders)
