"""Why a period could not be read, said to people."""

from __future__ import annotations

from bot.i18n import N_, Msg

# --------------------------------------------------------------------------- reasons

_REASONS: dict[str, str] = {
    "empty": N_("the period is empty"),
    "too_long": N_("the text is too long to be a period"),
    "unknown_word": N_("the word «{detail}» is not understood"),
    "unexpected": N_("«{detail}» is not expected there"),
    "bad_date": N_("there is no such date: {detail}"),
    "bad_year": N_("the year {detail} is out of range"),
    "reversed": N_("the period ends before it starts"),
    "open_range": N_("the period has a start but no end"),
    "ambiguous:date_in_note": N_("a date inside a remark («по плану…», «по итогам…») is not clear"),
    "ambiguous:deadline_without_day": N_("a deadline needs a day: «до 1 марта», not «до марта»"),
    "ambiguous:day_without_month": N_("a day is given without its month"),
    "ambiguous:day_of_month": N_(
        "a day of the month fits only a monthly action («ежемесячно, до 5 числа»)"
    ),
    "ambiguous:count_mismatch": N_("the number of times does not match the months listed"),
    "ambiguous:two_recurrences": N_("it names two different recurrences"),
    "ambiguous:dated_recurrence": N_("a recurrence with dates of one year is not clear"),
    "ambiguous:school_year": N_("the school year is not clear"),
    "ambiguous:school_year_end": N_("the end of the school year is not a fixed day"),
    "ambiguous:times": N_("the number of times is not clear"),
}
_UNCLEAR = N_("the period could not be read")


def describe_reason(reason: str | None) -> Msg:
    """Why a period is unreadable, for people."""
    if not reason:
        return Msg(_UNCLEAR)
    if reason in _REASONS:
        return Msg(_REASONS[reason])
    code, _, detail = reason.partition(":")
    if code in _REASONS and code != "ambiguous":
        return Msg(_REASONS[code], {"detail": detail})
    return Msg(_UNCLEAR)
