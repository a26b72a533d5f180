"""The buttons under an announcement, in the recipient's language: «Приду» / «Не смогу»
with their current answer marked, and for a school's principal who is coming, how many of
the staff will come. Built as Telegram's JSON, for the outbox and for edits alike."""

from __future__ import annotations

from typing import Any

from bot.callbacks import RsvpCallback
from bot.i18n import translate, translate_plural

STAFF_CHOICES = (1, 2, 3, 4, 5, 6)  # buttons for the number of staff; more are typed


def rsvp_markup(
    announcement_id: int,
    locale: str,
    *,
    answer: str | None = None,
    staff: int | None = None,
    principal: bool = False,
) -> dict[str, Any]:
    yes = translate(locale, "✅ I will come")
    no = translate(locale, "❌ I cannot come")
    if answer == "yes":
        yes = "• " + yes + " •"
    elif answer == "no":
        no = "• " + no + " •"
    rows = [
        [
            _button(yes, RsvpCallback(action="yes", announcement_id=announcement_id)),
            _button(no, RsvpCallback(action="no", announcement_id=announcement_id)),
        ]
    ]
    if principal and answer == "yes":
        if staff:
            text = translate_plural(
                locale,
                "👥 From the school: {n} — change",
                "👥 From the school: {n} — change",
                staff,
            )
        else:
            text = translate(locale, "👥 How many of the school's staff will come?")
        rows.append([_button(text, RsvpCallback(action="staff", announcement_id=announcement_id))])
    return {"inline_keyboard": rows}


def staff_markup(announcement_id: int) -> dict[str, Any]:
    row = [
        _button(str(n), RsvpCallback(action="n", announcement_id=announcement_id, staff=n))
        for n in STAFF_CHOICES
    ]
    return {"inline_keyboard": [row]}


def _button(text: str, data: RsvpCallback) -> dict[str, str]:
    return {"text": text, "callback_data": data.pack()}
