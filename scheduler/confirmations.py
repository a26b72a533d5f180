"""Confirmation requests and the coordinators' weekly execution digest: jobs derived from
the roadmap tables, run by :class:`scheduler.reminders.ReminderScheduler` with the others.

Jobs (ids in local terms, never row ids; see :mod:`scheduler.jobs`):

* ``confirm:2026-09-30@10`` — on that day, at that hour, ask the people of each part of
  each action due that day (a period's end or a reporting point; when that is a day off,
  the working day before, :func:`bot.calendar.execution.status.request_day`) and not yet
  answered; ask again those who moved an action when the new period ends, and remind them
  ``event_reminder_days`` before it does;
* ``execution-digest:2026-10-05@10`` — on the first working day of each week, each
  coordinator gets the actions of their territory overdue without confirmation, if any.

What a job sends is computed when it runs (an answer given meanwhile stops a request), and
each message has a de-duplication key, so a job run twice, or again after a restart, sends
nothing new; a job that has run is never run again (``scheduler_runs``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.calendar.execution.evidence import evidence_example
from bot.calendar.execution.ledger import Ledger, load_ledger, viewer_filter, visible_roadmaps
from bot.calendar.execution.parts import Part, answers_for, confirms, municipality_index
from bot.calendar.execution.progress import action_lines, roadmap_progress
from bot.calendar.execution.status import Mark, current_point, point_mark, request_day
from bot.calendar.execution.texts import digest_text, heads_up_text, part_label, request_text
from bot.calendar.workdays import next_working_day
from bot.callbacks import ExecutionCallback
from bot.i18n import translate
from bot.settings import Settings
from scheduler.jobs import JobSpec, local_moment
from scheduler.quiet import quiet_until
from storage.calendar import Event, ReminderPrefs
from storage.execution import Confirmation
from storage.models import Person, Roles
from storage.outbox import OutboxMessage
from storage.reminders import ReminderRepo
from storage.repo import Repo

log = logging.getLogger(__name__)

CONFIRM, DIGEST = "confirm", "execution-digest"
KINDS = (CONFIRM, DIGEST)
OUTBOX_KIND = "reminder"  # bulk: held in quiet hours like every reminder
# a point is asked about at most this many days before it (the longest run of days off)
LOOKAHEAD = timedelta(days=14)

People = list[tuple[Person, Roles]]


def request_buttons(
    locale: str, event: Event, part: Part, parts: list[Part], point: date | None
) -> dict[str, Any]:
    """«Выполнено» / «Перенести» / «Не выполнено» for a part at a point."""

    def data(action: str) -> str:
        return ExecutionCallback(
            action=action,
            event_id=event.id,
            school_id=part.school_id or 0,
            muni=municipality_index(parts, part),
            point=point.toordinal() if point else 0,
        ).pack()

    row = [
        {"text": translate(locale, "✅ Done (the action)"), "callback_data": data("done")},
        {"text": translate(locale, "📅 Postpone"), "callback_data": data("move")},
        {"text": translate(locale, "❌ Not done"), "callback_data": data("fail")},
    ]
    return {"inline_keyboard": [row]}


def progress_button(locale: str) -> dict[str, Any]:
    data = ExecutionCallback(action="list").pack()
    text = translate(locale, "📊 Roadmap progress")
    return {"inline_keyboard": [[{"text": text, "callback_data": data}]]}


def confirmation_hours(default_hour: int, prefs: Iterable[ReminderPrefs]) -> list[int]:
    """Requests go out at each person's reminder hour (they cannot be muted)."""
    return sorted({default_hour} | {pref.hour for pref in prefs if pref.hour is not None})


def first_working_days(first: date, last: date) -> list[date]:
    """The first working day of each week (Monday to Sunday) within [first, last]."""
    found = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        day = next_working_day(monday)
        if day - monday < timedelta(days=7) and first <= day <= last:
            found.append(day)
        monday += timedelta(days=7)
    return found


class ConfirmationJobs:
    """Plans and runs the jobs of this module for the reminder scheduler."""

    def __init__(self, repo: Repo, settings: Settings) -> None:
        self.repo = repo
        self.settings = settings
        # everyone the bot may write to, whatever their hour: whether a party has anybody
        self._everyone: People = []

    async def plan(
        self, now: datetime, since: datetime, until: datetime, hours: list[int]
    ) -> list[JobSpec]:
        """The jobs due in [since, until]."""
        zone = self.settings.zone
        first = since.astimezone(zone).date() - timedelta(days=1)
        last = until.astimezone(zone).date() + timedelta(days=1)
        before = timedelta(days=self.settings.event_reminder_days)
        points = await self.repo.execution.point_days(first, last + LOOKAHEAD)
        moved = await self.repo.execution.moved_ends(first, last + LOOKAHEAD + before)
        days = {request_day(day) for day in points | moved}
        if before:
            days |= {request_day(day - before) for day in moved}
        jobs: list[JobSpec] = []

        def add(day: date, kind: str) -> None:
            for hour in hours:
                run_at = local_moment(day, time(hour), zone)
                if since <= run_at <= until:
                    jobs.append(
                        JobSpec(
                            id=f"{kind}:{day.isoformat()}@{hour}",
                            run_at=run_at,
                            kind=kind,
                            hour=hour,
                            day=day,
                        )
                    )

        for day in sorted(d for d in days if first <= d <= last):
            add(day, CONFIRM)
        if await self.repo.calendar.roadmaps():
            for day in first_working_days(first, last):
                add(day, DIGEST)
        return jobs

    async def messages(
        self, spec: JobSpec, people: People, not_before: datetime | None
    ) -> list[OutboxMessage]:
        """What the job queues now for ``people`` (those its hour serves)."""
        assert spec.day is not None
        if not people:
            return []
        ledger = await load_ledger(self.repo)
        self._everyone = await ReminderRepo(self.repo.db).recipients()
        if spec.kind == DIGEST:
            return self._digests(ledger, spec.day, people, not_before)
        return self._requests(ledger, spec.day, people, not_before)

    # ------------------------------------------------------------------ requests

    def _requests(
        self, ledger: Ledger, day: date, people: People, not_before: datetime | None
    ) -> list[OutboxMessage]:
        before = timedelta(days=self.settings.event_reminder_days)
        found = []
        for event in ledger.events:
            parts = ledger.parts(event)
            for part in parts:
                latest = ledger.latest(event, part)
                for point in ledger.points.get(event.id, []):
                    answer = latest.get(point)
                    if answer is None:
                        if request_day(point) == day:
                            found += self._ask(ledger, event, part, parts, point, None, people)
                        continue
                    end = answer.new_ends_on if answer.status == "postponed" else None
                    if end is None:
                        continue
                    if request_day(end) == day:
                        found += self._ask(ledger, event, part, parts, point, answer, people)
                    elif before and request_day(end - before) == day:
                        if end - before > answer.created_at.astimezone(self.settings.zone).date():
                            found += self._soon(ledger, event, part, point, answer, people)
        return [
            self._message(key, person, text, markup, not_before)
            for key, person, text, markup in found
        ]

    def _who(self, ledger: Ledger, event: Event, part: Part, people: People) -> People:
        """Of ``people``, those asked about the part: its own party, or — when nobody of it
        is in the bot at all — the roadmap's coordinators (see :mod:`.parts`)."""
        municipality = ledger.roadmap_of(event).municipality

        def own(roles: Roles) -> bool:
            return answers_for(roles, part, event.roles, municipality, ledger.schools)

        if part.school_id is not None or any(own(roles) for _, roles in self._everyone):
            return [(person, roles) for person, roles in people if own(roles)]
        return [
            (person, roles)
            for person, roles in people
            if roles.coordinator
            and confirms(roles, part, event.roles, municipality, ledger.schools)
        ]

    def _ask(
        self,
        ledger: Ledger,
        event: Event,
        part: Part,
        parts: list[Part],
        point: date,
        moved: Confirmation | None,
        people: People,
    ) -> list[tuple[str, Person, str, dict[str, Any]]]:
        found = []
        roadmap = ledger.roadmap_of(event)
        for person, _roles in self._who(ledger, event, part, people):
            locale = self._locale(person)
            text = request_text(
                locale,
                event,
                roadmap.title,
                point,
                ledger.is_checkpoint(event, point),
                part_label(part, ledger.schools, locale),
                evidence_example(event.result),
                moved,
            )
            key = f"confirm:{event.id}:{point.isoformat()}:{part.key}:{person.id}"
            if moved is not None and moved.new_ends_on is not None:
                key += f":moved:{moved.new_ends_on.isoformat()}"
            markup = request_buttons(locale, event, part, ledger.parts(event), point)
            found.append((key, person, text, markup))
        return found

    def _soon(
        self,
        ledger: Ledger,
        event: Event,
        part: Part,
        point: date,
        moved: Confirmation,
        people: People,
    ) -> list[tuple[str, Person, str, dict[str, Any]]]:
        found = []
        assert moved.new_ends_on is not None
        for person, _roles in self._who(ledger, event, part, people):
            locale = self._locale(person)
            text = heads_up_text(locale, event, moved, part_label(part, ledger.schools, locale))
            key = (
                f"confirm-soon:{event.id}:{point.isoformat()}:{part.key}:{person.id}"
                f":{moved.new_ends_on.isoformat()}"
            )
            found.append((key, person, text, {}))
        return found

    async def ask_again(self, event_id: int, now: datetime) -> int:
        """Queue now a request to each part of the action that has not answered about a
        point already due (awaiting or overdue) — at most once a day; return how many
        messages were queued (a coordinator's «ask again»)."""
        zone = self.settings.zone
        today = now.astimezone(zone).date()
        event = await self.repo.calendar.event(event_id)
        if event is None:
            return 0
        ledger = await load_ledger(self.repo, [event.roadmap_id])
        event = ledger.event(event_id)
        if event is None:
            return 0
        people = self._everyone = await ReminderRepo(self.repo.db).recipients()
        parts = ledger.parts(event)
        found = []
        for part in parts:
            latest = ledger.latest(event, part)
            point = current_point(ledger.points.get(event.id, []), latest, today)
            if point is None or point_mark(point, latest.get(point), today) not in (
                Mark.OVERDUE,
                Mark.AWAITING,
            ):
                continue
            answer = latest.get(point)
            moved = answer if answer is not None and answer.status == "postponed" else None
            found += self._ask(ledger, event, part, parts, point, moved, people)
        not_before = quiet_until(now, self.settings.quiet, zone)
        messages = [
            self._message(f"{key}:again:{today.isoformat()}", person, text, markup, not_before)
            for key, person, text, markup in found
        ]
        return await self.repo.outbox.enqueue(messages)

    # ------------------------------------------------------------------ the digest

    def _digests(
        self, ledger: Ledger, day: date, people: People, not_before: datetime | None
    ) -> list[OutboxMessage]:
        found = []
        for person, roles in people:
            if not roles.coordinator:
                continue
            sections = []
            for roadmap in visible_roadmaps(ledger, roles):
                keep = viewer_filter(roles, ledger.schools, roadmap)
                overdue = [
                    (line, self._missing(ledger, line.event, day, keep))
                    for line in action_lines(ledger, roadmap.id, day, keep)
                    if line.mark is Mark.OVERDUE
                ]
                if overdue:
                    sections.append(
                        (roadmap, roadmap_progress(ledger, roadmap.id, day, keep), overdue)
                    )
            if not sections:
                continue
            locale = self._locale(person)
            text = digest_text(locale, sections)
            key = f"{DIGEST}:{day.isoformat()}:{person.id}"
            found.append(self._message(key, person, text, progress_button(locale), not_before))
        return found

    @staticmethod
    def _missing(ledger: Ledger, event: Event, day: date, keep: Any) -> tuple[int, int]:
        """(parts overdue, parts counted) of an overdue action."""
        parts = [part for part in ledger.parts(event) if keep(part)]
        late = sum(ledger.part_mark(event, part, day) is Mark.OVERDUE for part in parts)
        return late, len(parts)

    # ------------------------------------------------------------------ plumbing

    def _locale(self, person: Person) -> str:
        return person.locale or self.settings.default_locale

    @staticmethod
    def _message(
        key: str,
        person: Person,
        text: str,
        markup: dict[str, Any] | None,
        not_before: datetime | None,
    ) -> OutboxMessage:
        assert person.telegram_id is not None
        return OutboxMessage(
            dedup_key=key,
            chat_id=person.telegram_id,
            text=text,
            kind=OUTBOX_KIND,
            person_id=person.id,
            reply_markup=markup or None,
            not_before=not_before,
        )
