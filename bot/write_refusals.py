"""What an import tells a person when the database refuses its write: which value of which
row clashes with which school or person, and that nothing was written. The database's own
message is logged for the operator, never shown."""

from __future__ import annotations

import logging
import sqlite3

from bot.i18n import N_, Msg
from storage.errors import DuplicateError

log = logging.getLogger(__name__)


def not_written(row: int) -> Msg:
    """Why a report shows no change although rows were accepted: the write failed at ``row``."""
    return Msg(
        N_(
            "Nothing was written: row {row} could not be saved (see below). Please correct it"
            " and import the file again."
        ),
        {"row": row},
    )


def database_refused(error: sqlite3.Error) -> Msg:
    """Why nothing was written when the database refused the import as a whole."""
    log.warning("an import was refused by the database: %r", error)
    return Msg(N_("Nothing was written: the database refused the changes. Please try again."))


def write_refusal(error: Exception) -> Msg:
    """Why the database refused a row: which value clashes with which school or person,
    or (an error a person cannot act on, logged for the operator) that it did."""
    if isinstance(error, DuplicateError):
        if error.field == "inn":
            message = N_("INN {inn} already belongs to the school “{school}”")
            return Msg(message, {"inn": error.value, "school": error.holder})
        if error.field == "name":
            message = N_("The name and municipality are those of another school, “{school}”")
            return Msg(message, {"school": error.holder})
        if error.field == "email":
            message = N_("E-mail {email} belongs to another person, “{other}”")
            return Msg(message, {"email": error.value, "other": error.holder})
        message = N_("Telegram ID {telegram_id} belongs to another person, “{other}”")
        return Msg(message, {"telegram_id": error.value, "other": error.holder})
    log.warning("a row of an import was refused by the database: %r", error)
    return Msg(N_("The database refused this row"))
