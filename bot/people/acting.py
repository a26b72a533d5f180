"""Who acts for a school and how they are named: a deputy's position as the principal
writes it, and a person with their role as history and notices name them
(«Иванова М. И., заместитель директора по УВР»)."""

from __future__ import annotations

import re

from bot.i18n import N_, translate
from storage.models import Actor, Role

MAX_POSITION = 100  # characters of a position; a longer text is not a position
DEFAULT_POSITION = N_("deputy principal for academic affairs")  # «заместитель директора по УВР»
_LETTER = re.compile(r"[A-Za-zА-Яа-яЁё]")


def clean_position(text: str) -> str | None:
    """A position as typed, on one line («Заместитель директора по ВР» → «заместитель
    директора по ВР»), or None when it does not read as one (too short or long, no
    letters, a command)."""
    words = text.replace("\u00a0", " ").split()
    position = " ".join(words)
    if not 3 <= len(position) <= MAX_POSITION or position.startswith("/"):
        return None
    if not _LETTER.search(position):
        return None
    first = words[0]
    if first[:1].isupper() and first[1:].islower():  # «Заместитель» but not «УВР»
        position = first[:1].lower() + position[1:]
    return position


def short_name(full_name: str) -> str:
    """«Иванова Мария Ивановна» → «Иванова М. И.»: the surname (written first) and initials."""
    words = full_name.split()
    if len(words) < 2:
        return full_name
    return " ".join([words[0], *(f"{word[0].upper()}." for word in words[1:3])])


def role_words(actor: Actor, locale: str) -> str | None:
    """What the person is, for "who did it": their own position when known (a deputy's as
    the principal wrote it, a principal's from the register), else their role."""
    if actor.person.position:
        return actor.person.position
    if actor.school_role is Role.DEPUTY:
        return translate(locale, N_("deputy principal"))
    if actor.school_role is Role.PRINCIPAL:
        return translate(locale, N_("school principal"))
    if actor.coordinator:
        return translate(locale, N_("coordinator"))
    return None


def signature(actor: Actor, locale: str, *, full: bool = False) -> str:
    """«Иванова М. И., заместитель директора по УВР» (with ``full``, the whole name)."""
    name = actor.person.full_name if full else short_name(actor.person.full_name)
    role = role_words(actor, locale)
    return f"{name}, {role}" if role else name
