"""What a change to a consultation tells people, through the outbox.

Each function returns a :data:`storage.consultations.Notices`: given the consultation as
it is after the change, the messages to queue with it, in the same write (so a booking
and its confirmation are kept or lost together, and a crash between them cannot lose or
double the confirmation: the outbox's key names the booking, its time and the person).

Who hears what:

* a school books: the person who booked gets the confirmation with the .ics file, the
  curator a notice with the file, the school's other principals a notice;
* the curator books a school directly: the school's principals get the proposal with
  Accept and Decline; the curator's confirmation has the file;
* the school accepts: the one who accepted gets the confirmation with the file, the
  curator a notice; declines: the curator hears it;
* cancelled or moved (with the reason): the other side hears at once (a move brings
  the file again, SEQUENCE one higher, so calendars update the event); the one who
  moved gets the new file too.

Everything is worded in each recipient's own language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ConsultCallback
from bot.consultations.ics import consultation_ics
from bot.consultations.parties import Parties
from bot.consultations.publishing import IN_PERSON
from bot.consultations.texts import place_text, when_in_zone
from bot.i18n import N_, translate
from bot.telegram_limits import CAPTION_LIMIT, shorten
from storage.consultations import Consultation, Notices
from storage.models import Person
from storage.outbox import OutboxMessage

KIND = "consultation"  # an answer to a person's own booking: not held in quiet hours
ICS_DOMAIN = "school-support-bot"


def ics_file(parties: Parties, consultation: Consultation, locale: str, now: datetime) -> bytes:
    """The consultation's .ics, its texts in ``locale``."""
    online = consultation.format != IN_PERSON
    return consultation_ics(
        uid=f"consultation-{consultation.uid}@{ICS_DOMAIN}",
        start=consultation.starts_at,
        end=consultation.ends_at,
        summary=translate(
            locale,
            N_("Consultation: {school} — {host}"),
            school=parties.school.display_name,
            host=parties.host.full_name,
        ),
        description=consultation.topic,
        location=None if online else consultation.place,
        url=consultation.place if online and consultation.place else None,
        zone_name=parties.zone.key,
        organizer_name=parties.host.full_name,
        now=now,
        sequence=consultation.sequence,
    )


def file_name(consultation: Consultation, zone: ZoneInfo) -> str:
    return f"consultation-{consultation.starts_at.astimezone(zone):%Y-%m-%d-%H%M}.ics"


def summary(parties: Parties, consultation: Consultation, locale: str, topic_limit: int) -> str:
    """When, where, who and the topic: the body of every notice (HTML)."""
    lines = [
        "🗓 " + when_in_zone(consultation.starts_at, consultation.ends_at, parties.zone, locale),
        translate(locale, N_("School: {school}"), school=escape(parties.school.display_name)),
        translate(locale, N_("Curator: {host}"), host=escape(parties.host.full_name)),
        translate(
            locale,
            N_("Format: {place}"),
            place=place_text(consultation.format, consultation.place, locale),
        ),
    ]
    if consultation.topic:
        topic = escape(shorten(consultation.topic, topic_limit))
        lines.append(translate(locale, N_("Topic: {topic}"), topic=topic))
    return "\n".join(lines)


def _caption(head: str, parties: Parties, consultation: Consultation, locale: str) -> str:
    """A caption within Telegram's 1,024 characters: the topic is shortened as needed."""
    for limit in (300, 120, 40):
        text = f"{head}\n{summary(parties, consultation, locale, limit)}"
        if len(text) <= CAPTION_LIMIT:
            return text
    return shorten(head, CAPTION_LIMIT)


def _open_button(locale: str, consultation: Consultation) -> InlineKeyboardBuilder:
    keyboard = InlineKeyboardBuilder()
    keyboard.button(
        text=translate(locale, N_("Open")),
        callback_data=ConsultCallback(action="open", cid=consultation.id),
    )
    return keyboard


def _message(
    event: str,
    person: Person,
    consultation: Consultation,
    text: str,
    keyboard: InlineKeyboardBuilder | None = None,
    document: bytes | None = None,
    name: str | None = None,
) -> OutboxMessage:
    assert person.telegram_id is not None
    return OutboxMessage(
        # one per event, time of the consultation (moves count) and person
        dedup_key=f"consult:{event}:{consultation.id}:{consultation.sequence}:{person.id}",
        chat_id=person.telegram_id,
        person_id=person.id,
        text=text,
        kind=KIND,
        reply_markup=keyboard.as_markup() if keyboard is not None else None,
        document=document,
        file_name=name,
    )


def _with_file(
    event: str,
    person: Person,
    head_msgid: str,
    parties: Parties,
    consultation: Consultation,
    now: datetime,
) -> OutboxMessage:
    """A notice carrying the .ics, its text the caption."""
    locale = parties.locale(person)
    head = translate(locale, head_msgid)
    return _message(
        event,
        person,
        consultation,
        _caption(head, parties, consultation, locale),
        _open_button(locale, consultation),
        ics_file(parties, consultation, locale, now),
        file_name(consultation, parties.zone),
    )


def _plain(
    event: str,
    person: Person,
    head: str,
    parties: Parties,
    consultation: Consultation,
    keyboard: InlineKeyboardBuilder | None = None,
) -> OutboxMessage:
    locale = parties.locale(person)
    body = summary(parties, consultation, locale, 1000)
    return _message(
        event,
        person,
        consultation,
        f"{head}\n{body}",
        keyboard if keyboard is not None else _open_button(locale, consultation),
    )


def _others(parties: Parties, but: int) -> Sequence[Person]:
    return [p for p in parties.principals if p.id != but and p.telegram_id is not None]


def booked(parties: Parties, booker: Person, now: datetime) -> Notices:
    """A school booked: the confirmation (with the file) to who booked, notices to the
    curator (with the file) and to the school's other principals."""

    def notices(consultation: Consultation) -> list[OutboxMessage]:
        found = [
            _with_file(
                "booked",
                booker,
                N_("✅ You are booked for a consultation."),
                parties,
                consultation,
                now,
            )
        ]
        if parties.host.telegram_id is not None and parties.host.id != booker.id:
            found.append(
                _with_file(
                    "booked",
                    parties.host,
                    N_("🆕 A school has booked a consultation with you."),
                    parties,
                    consultation,
                    now,
                )
            )
        for person in _others(parties, booker.id):
            head = translate(
                parties.locale(person),
                N_("🆕 {name} booked a consultation for your school."),
                name=escape(booker.full_name),
            )
            found.append(_plain("booked", person, head, parties, consultation))
        return found

    return notices


def proposed(parties: Parties, now: datetime) -> Notices:
    """The curator booked a school directly: the principals are asked to accept; the
    curator's confirmation carries the file."""

    def notices(consultation: Consultation) -> list[OutboxMessage]:
        found = []
        if parties.host.telegram_id is not None:
            found.append(
                _with_file(
                    "proposed",
                    parties.host,
                    N_("✅ The consultation is booked; the school is asked to accept it."),
                    parties,
                    consultation,
                    now,
                )
            )
        for person in _others(parties, 0):
            locale = parties.locale(person)
            head = translate(
                locale,
                N_("📩 {host} has booked a consultation for your school. Will you come?"),
                host=escape(parties.host.full_name),
            )
            keyboard = InlineKeyboardBuilder()
            keyboard.button(
                text=translate(locale, N_("✅ Accept")),
                callback_data=ConsultCallback(action="accept", cid=consultation.id),
            )
            keyboard.button(
                text=translate(locale, N_("✖️ Decline")),
                callback_data=ConsultCallback(action="decline", cid=consultation.id),
            )
            keyboard.adjust(2)
            found.append(_plain("proposed", person, head, parties, consultation, keyboard))
        return found

    return notices


def accepted(parties: Parties, by: Person, now: datetime) -> Notices:
    def notices(consultation: Consultation) -> list[OutboxMessage]:
        found = [
            _with_file(
                "accepted",
                by,
                N_("✅ You have accepted the consultation."),
                parties,
                consultation,
                now,
            )
        ]
        if parties.host.telegram_id is not None:
            head = translate(
                parties.locale(parties.host),
                N_("✅ {school} accepted the consultation."),
                school=escape(parties.school.display_name),
            )
            found.append(_plain("accepted", parties.host, head, parties, consultation))
        return found

    return notices


def declined(parties: Parties) -> Notices:
    def notices(consultation: Consultation) -> list[OutboxMessage]:
        if parties.host.telegram_id is None:
            return []
        head = translate(
            parties.locale(parties.host),
            N_("✖️ {school} declined the consultation; its time is free again."),
            school=escape(parties.school.display_name),
        )
        return [_plain("declined", parties.host, head, parties, consultation)]

    return notices


def _recipients(parties: Parties, by: Person) -> list[Person]:
    """The other side of a change by ``by``: the school's principals when the curator
    acts, else the curator and the school's other principals."""
    if by.id == parties.host.id:
        return list(_others(parties, by.id))
    found = [parties.host] if parties.host.telegram_id is not None else []
    return found + list(_others(parties, by.id))


def cancelled(parties: Parties, by: Person, reason: str) -> Notices:
    def notices(consultation: Consultation) -> list[OutboxMessage]:
        found = []
        for person in _recipients(parties, by):
            head = translate(
                parties.locale(person),
                N_("✖️ {name} cancelled the consultation. Reason: {reason}"),
                name=escape(by.full_name),
                reason=escape(shorten(reason, 500)),
            )
            found.append(_plain("cancelled", person, head, parties, consultation))
        return found

    return notices


def moved(parties: Parties, by: Person, old_start: datetime, reason: str, now: datetime) -> Notices:
    """The other side hears of the new time with the file; the one who moved gets the
    new file too."""

    def notices(consultation: Consultation) -> list[OutboxMessage]:
        found = []
        for person in _recipients(parties, by):
            locale = parties.locale(person)
            head = translate(
                locale,
                N_("🔁 {name} moved the consultation of {old}. Reason: {reason}"),
                name=escape(by.full_name),
                old=when_in_zone(
                    old_start,
                    old_start + (consultation.ends_at - consultation.starts_at),
                    parties.zone,
                    locale,
                ),
                reason=escape(shorten(reason, 300)),
            )
            found.append(
                _message(
                    "moved",
                    person,
                    consultation,
                    _caption(head, parties, consultation, locale),
                    _open_button(locale, consultation),
                    ics_file(parties, consultation, locale, now),
                    file_name(consultation, parties.zone),
                )
            )
        if by.telegram_id is not None:
            found.append(
                _with_file(
                    "moved",
                    by,
                    N_("🔁 The consultation is moved; the other side is told."),
                    parties,
                    consultation,
                    now,
                )
            )
        return found

    return notices
