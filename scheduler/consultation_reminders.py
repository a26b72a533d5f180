"""The consultation jobs read from the database and what they queue in the outbox.

:func:`consultation_plan` derives the jobs (:mod:`scheduler.consultation_jobs`) from the
consultations table; :func:`consultation_messages` is what a job queues when it runs,
read again at that moment: a consultation cancelled, declined or moved meanwhile gets no
reminder for the time it no longer has (the job's id names the time by its number of
moves), and a consultation marked meanwhile is not asked about.

The reminders before a consultation go to its curator and the school's principals, each
in their language, as the ``consultation`` kind: they are about a time the person agreed
to, so quiet hours do not hold them back (a reminder held until morning would come after
an early consultation). The next morning's request to mark consultations is a bulk
``reminder``: quiet hours apply.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from html import escape

from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ConsultCallback
from bot.consultation_notices import KIND, summary
from bot.consultations.parties import Parties
from bot.consultations.texts import clock_time
from bot.i18n import N_, translate, translate_plural
from bot.settings import Settings
from bot.telegram_limits import shorten
from scheduler.consultation_jobs import CONSULT, CONSULT_MARK, Upcoming, plan_consultation_jobs
from scheduler.jobs import JobSpec
from storage.consultations import UPCOMING, Consultation
from storage.models import Person
from storage.outbox import OutboxMessage
from storage.repo import Repo

MARK_KIND = "reminder"  # bulk: held in quiet hours
LISTED = 10  # consultations named in a morning's request


async def consultation_plan(
    repo: Repo, settings: Settings, since: datetime, until: datetime
) -> list[JobSpec]:
    found = await repo.consultations.between(
        since - timedelta(days=2), until + timedelta(days=1), statuses=UPCOMING
    )
    upcoming = [Upcoming(c.id, c.sequence, c.starts_at, c.scheduled_at) for c in found]
    return plan_consultation_jobs(upcoming, settings, since, until)


async def consultation_messages(
    repo: Repo, settings: Settings, spec: JobSpec, now: datetime, not_before: datetime | None
) -> list[OutboxMessage]:
    if spec.kind == CONSULT:
        return await _reminders(repo, settings, spec, now)
    if spec.kind == CONSULT_MARK:
        return await _mark_requests(repo, settings, spec, not_before)
    return []


def _locale(settings: Settings, person: Person) -> str:
    return person.locale or settings.default_locale


async def _reminders(
    repo: Repo, settings: Settings, spec: JobSpec, now: datetime
) -> list[OutboxMessage]:
    assert spec.consultation_id is not None and spec.before is not None
    consultation = await repo.consultations.get(spec.consultation_id)
    if (
        consultation is None
        or not consultation.upcoming
        or consultation.sequence != spec.sequence
        or consultation.starts_at <= now
    ):
        return []  # cancelled, declined, moved or begun meanwhile
    school = await repo.schools.get(consultation.school_id)
    host = await repo.people.get(consultation.host_id)
    if school is None or host is None:
        return []
    principals = tuple(await repo.people.principals_of(school.id))
    parties = Parties(school, host, principals, settings.zone, settings.default_locale)
    hours = max(1, round(spec.before.total_seconds() / 3600))
    label = spec.id.rsplit(":", 1)[-1]
    found = []
    for person in (host, *principals):
        if person.telegram_id is None or not person.is_active:
            continue
        locale = _locale(settings, person)
        head = translate_plural(
            locale, "⏰ A consultation in {n} hour:", "⏰ A consultation in {n} hours:", hours
        )
        keyboard = InlineKeyboardBuilder()
        keyboard.button(
            text=translate(locale, N_("Open")),
            callback_data=ConsultCallback(action="open", cid=consultation.id),
        )
        if person.id == host.id:
            keyboard.button(
                text=translate(locale, N_("📋 School card")),
                callback_data=ConsultCallback(action="card", cid=consultation.id),
            )
        found.append(
            OutboxMessage(
                dedup_key=(
                    f"consult-reminder:{consultation.id}.{consultation.sequence}:{label}:"
                    f"{person.id}"
                ),
                chat_id=person.telegram_id,
                person_id=person.id,
                text=f"{head}\n{summary(parties, consultation, locale, 300)}",
                kind=KIND,
                reply_markup=keyboard.as_markup(),
            )
        )
    return found


async def _mark_requests(
    repo: Repo, settings: Settings, spec: JobSpec, not_before: datetime | None
) -> list[OutboxMessage]:
    """To each curator: that day's consultations still not marked held or missed."""
    assert spec.day is not None
    zone = settings.zone
    start = datetime.combine(spec.day, time(0), tzinfo=zone).astimezone(UTC)
    end = start + timedelta(days=1)
    by_host: dict[int, list[Consultation]] = {}
    for consultation in await repo.consultations.between(start, end, statuses=UPCOMING):
        by_host.setdefault(consultation.host_id, []).append(consultation)
    found = []
    for host_id, consultations in by_host.items():
        host = await repo.people.get(host_id)
        if host is None or host.telegram_id is None or not host.is_active:
            continue
        locale = _locale(settings, host)
        lines = [
            translate_plural(
                locale,
                "📝 Yesterday you had {n} consultation. Was it held? Please mark it:",
                "📝 Yesterday you had {n} consultations. Were they held? Please mark them:",
                len(consultations),
            )
        ]
        keyboard = InlineKeyboardBuilder()
        for consultation in consultations[:LISTED]:
            school = await repo.schools.get(consultation.school_id)
            name = school.display_name if school else "—"
            at = clock_time(consultation.starts_at, zone)
            lines.append(f"• {at} — {escape(name)}")
            keyboard.button(
                text=shorten(f"{at} · {name}", 40),
                callback_data=ConsultCallback(action="open", cid=consultation.id),
            )
        keyboard.adjust(1)
        assert host.telegram_id is not None
        found.append(
            OutboxMessage(
                dedup_key=f"consult-mark:{spec.day.isoformat()}:{host.id}",
                chat_id=host.telegram_id,
                person_id=host.id,
                text="\n".join(lines),
                kind=MARK_KIND,
                reply_markup=keyboard.as_markup(),
                not_before=not_before,
            )
        )
    return found
