"""Reading one cell of a register row: yes/no flags, the ШНОР/ШССУ category, an INN, a
Telegram ID, an e-mail, a phone, a full name, a role. A cell that cannot be read
refuses its row with a reason."""

from __future__ import annotations

import re
from typing import Any

from bot.i18n import N_
from bot.registers.report import Refused
from bot.xlsx.cells import NO_WORDS, YES_WORDS, compact, one_line
from storage.models import Role


def read_flag(text: str, column: str, label: str) -> bool:
    value = one_line(text).casefold().replace("ё", "е").strip().rstrip(".")
    if not value or value in NO_WORDS:
        return False
    if value in YES_WORDS or compact(value) == compact(label):
        return True
    raise Refused(
        N_("Cannot read “{value}” in column «{column}» as yes or no"), value=text, column=column
    )


def read_category(text: str) -> tuple[bool, bool]:
    value = one_line(text).casefold().replace("ё", "е").strip().rstrip(".")
    if not value or value in NO_WORDS:
        return False, False
    shnor = "шнор" in value or "низк" in value
    shssu = "шссу" in value or "социальн" in value
    if not shnor and not shssu:
        raise Refused(
            N_("Cannot read the category “{value}”: expected ШНОР, ШССУ or both"), value=text
        )
    return shnor, shssu


_DIGITS_WITH_ZERO = re.compile(r"^(\d+)[.,]0+$")


def read_inn(raw: Any, text: str) -> str | None:
    value = re.sub(r"\s", "", one_line(text))
    if not value:
        return None
    match = _DIGITS_WITH_ZERO.match(value)
    if match:
        value = match.group(1)
    if isinstance(raw, int | float) and value.isdigit() and len(value) == 9:
        value = "0" + value  # a number lost the leading zero (regions 01–09)
    if not (value.isdigit() and len(value) == 10):
        raise Refused(
            N_("INN “{value}” is not valid: a school's INN has 10 digits"), value=one_line(text)
        )
    return value


def read_telegram_id(text: str) -> int | None:
    value = re.sub(r"\s", "", one_line(text))
    if not value:
        return None
    match = _DIGITS_WITH_ZERO.match(value)
    if match:
        value = match.group(1)
    if not value.isdigit() or not 0 < int(value) < 2**63:
        raise Refused(
            N_("Telegram ID “{value}” is not a number (a @username is not an ID)"), value=text
        )
    return int(value)


_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


def read_email(text: str) -> str | None:
    value = one_line(text).strip().removeprefix("mailto:").casefold()
    if not value:
        return None
    if not _EMAIL.match(value):
        raise Refused(N_("E-mail “{value}” does not look like an address"), value=text)
    return value


def read_phone(text: str) -> str | None:
    """Russian numbers as +7XXXXXXXXXX; anything else kept as written."""
    value = one_line(text).strip()
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and not value.startswith("+"):
        return "+7" + digits
    return value


def read_full_name(text: str) -> str:
    """Spaces tidied; a name written in capitals («ИВАНОВА МАРИЯ») gets normal case."""
    words = one_line(text).split()
    if words and all(word.isupper() for word in words if any(ch.isalpha() for ch in word)):
        words = [
            "-".join(part[:1].upper() + part[1:].lower() for part in w.split("-")) for w in words
        ]
    return " ".join(words)


_PRINCIPAL_WORDS = ("руководител", "директор", "заведующ", "principal", "head", "director")
_CURATOR_WORDS = ("куратор", "консультант", "тьютор", "эксперт", "наставник", "curator", "tutor")
_COORDINATOR_WORDS = ("координатор", "coordinator")
# «заместитель директора по УВР» holds «директор» but is no principal: a deputy is invited
# by the school's principal in the bot (or ``invite --role deputy``), not by a register
_DEPUTY_WORDS = ("заместител", "зам.", "зам ", "deputy")


def read_role(text: str) -> Role:
    value = one_line(text).casefold().replace("ё", "е")
    if not value:
        raise Refused(N_("The role is empty"))
    if any(word in value for word in _DEPUTY_WORDS):
        raise Refused(
            N_(
                "“{value}” is a deputy: the school's principal invites deputies in the bot "
                "(/invite), or use invite --role deputy"
            ),
            value=text,
        )
    found = [
        role
        for words, role in (
            (_COORDINATOR_WORDS, Role.COORDINATOR),
            (_CURATOR_WORDS, Role.CURATOR),
            (_PRINCIPAL_WORDS, Role.PRINCIPAL),
        )
        if any(word in value for word in words)
    ]
    if len(found) > 1:
        raise Refused(
            N_("“{value}” names several roles: give each role a row of its own"), value=text
        )
    if not found:
        raise Refused(
            N_("Unknown role “{value}”: expected principal, curator or coordinator"), value=text
        )
    return found[0]
