"""Whether an announcement may go: what it lacks, a moment already past, a text too long
for Telegram, nobody to send it to — each said in a sentence with the way forward. And
what a coordinator types as its parts: the title, the link or the place."""

from __future__ import annotations

import re
from datetime import datetime

from bot.announcements.message import IN_PERSON, ONLINE, length_problem
from bot.i18n import N_, LocalizedError, Msg
from storage.announcements import Announcement

TITLE_MIN, TITLE_MAX = 3, 200
PLACE_MAX = 300
LINK_MAX = 500
_LINK = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

NO_DATE = N_("The date and time are not set yet: press «✏️ When».")
NO_PLACE = N_("The link or the place is not set yet: press «✏️ Place».")
PAST = N_("The event's time has passed: press «✏️ When» to set a new one.")
NOBODY = N_(
    "Nobody would get it: nobody the audience reaches has started the bot. Choose another "
    "audience with «👥 Audience»."
)
SEND_AFTER_START = N_("It would be sent after the event starts. Please choose an earlier time.")
TITLE_SHORT = N_(
    "The title is too short. Please write the event's name, for example «Семинар для "
    "руководителей ШНОР»."
)
TITLE_LONG = N_("The title is {length} characters long; please keep it within {limit}.")
NOT_A_LINK = N_(
    "«{text}» is not a link. Please send the address to join, starting with https://, or /cancel."
)
PLACE_LONG = N_("The place is {length} characters long; please keep it within {limit}.")
PLACE_EMPTY = N_(
    "Please write the address and the room, for example «г. Ливны, ул. Мира, 1, актовый зал»."
)

# the prompts of composing, with Russian examples (kept out of handlers/)
NEW_PROMPT = N_(
    "<b>A new announcement.</b> Write the event's title, for example «Семинар "
    "«Эффективные практики управления в ШНОР»».\n\nOr forward me a message you have "
    "prepared: I will take its text and its file, and ask for the rest. /cancel to stop."
)
WHEN_PROMPT = N_(
    "When does it take place? Write the date and time, for example «15.03.2026 14:00», "
    "«15 марта 14:00» or «15.03.2026 14:00–16:00»."
)
ADDRESS_PROMPT = N_(
    "Write the address and the room, for example «г. Ливны, ул. Мира, 1, актовый зал»."
)


def why_not_ready(
    announcement: Announcement, recipients: int, now: datetime, zone_name: str
) -> Msg | None:
    """Why it cannot be sent (or scheduled) as it is, or None."""
    if announcement.starts_at is None:
        return Msg(NO_DATE)
    if not announcement.format or not announcement.place:
        return Msg(NO_PLACE)
    if announcement.starts_at <= now:
        return Msg(PAST)
    too_long = length_problem(announcement, zone_name)
    if too_long is not None:
        return too_long
    if recipients == 0:
        return Msg(NOBODY)
    return None


def read_title(text: str) -> str:
    title = " ".join(text.split())
    if len(title) < TITLE_MIN:
        raise LocalizedError(TITLE_SHORT)
    if len(title) > TITLE_MAX:
        raise LocalizedError(TITLE_LONG, length=len(title), limit=TITLE_MAX)
    return title


def read_place(text: str, format_: str) -> str:
    """The link to join (online) or the address (in person)."""
    place = " ".join(text.split())
    if format_ == ONLINE:
        if not _LINK.match(place) or len(place) > LINK_MAX:
            raise LocalizedError(NOT_A_LINK, text=place[:100])
        return place
    assert format_ == IN_PERSON
    if not place:
        raise LocalizedError(PLACE_EMPTY)
    if len(place) > PLACE_MAX:
        raise LocalizedError(PLACE_LONG, length=len(place), limit=PLACE_MAX)
    return place
