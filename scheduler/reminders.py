"""Reminders: the scheduler's job list, derived from the database, and the jobs that put
reminders into the outbox.

:class:`ReminderScheduler` plans the jobs (:mod:`scheduler.jobs`) from the campaigns, the
roadmap occurrences and the reminder preferences, and mirrors the plan in an APScheduler
``AsyncIOScheduler`` (in memory: each job carries only its id). Nothing lives only in the
scheduler: a job that has run is recorded in ``scheduler_runs``, so after a restart the
plan is made again and only what has not run is scheduled.

* ``rebuild()`` plans again and syncs APScheduler (stale jobs removed). A planned job
  whose time has passed and that has not run is run at once when it is at most
  ``reminder_grace_hours`` late, else recorded as ``missed`` and dropped. A ``rebuild``
  job just after local midnight moves the horizon on.
* A job computes its recipients when it runs (a school that submitted meanwhile gets no
  more reminders), serves only the people whose reminder hour is the job's and who have
  not muted its kind, and queues one outbox row per person with a de-duplication key
  that does not contain the hour: running a job twice, or the same reminder at two
  hours after a change of preference, queues nothing new.
* In quiet hours, rows are queued with ``not_before`` = the end of the quiet hours.

The delivery worker hears of new rows through the outbox's listeners (it registers its
``notify`` while it runs), so the jobs need no handle on it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.calendar.audience import reaches
from bot.chart_renderer import ChartRenderer, ChartUnavailable
from bot.charts.data import NoData
from bot.clock import Clock, system_clock
from bot.indicators.catalog import Catalog
from bot.indicators.form import campaign_deadlines, local_today
from bot.progress_chart import progress_chart
from bot.settings import Settings
from bot.telegram_limits import CAPTION_LIMIT, shorten
from scheduler.confirmations import KINDS as CONFIRMATION_KINDS
from scheduler.confirmations import ConfirmationJobs, confirmation_hours
from scheduler.consultation_jobs import KINDS as CONSULTATION_KINDS
from scheduler.consultation_reminders import consultation_messages, consultation_plan
from scheduler.jobs import (
    DEADLINE,
    DIGEST,
    EVENT,
    HORIZON,
    OVERDUE,
    REBUILD,
    CampaignDue,
    JobSpec,
    OccurrenceDates,
    deadline_reminder_days,
    due_tag,
    hours_in_use,
    occurrence_window,
    plan_jobs,
    weekly_digest_day,
)
from scheduler.quiet import in_quiet, quiet_until
from scheduler.reminder_texts import digest_text, event_text, form_button, principal_text
from storage.calendar import ReminderPrefs
from storage.models import Person, Roles
from storage.outbox import OutboxMessage
from storage.reminders import ReminderRepo
from storage.repo import Repo
from storage.submissions import Campaign

log = logging.getLogger(__name__)

OUTBOX_KIND = "reminder"  # the outbox kind of every row queued here (bulk: held in quiet hours)
# past jobs are looked at this far beyond the grace period, to record them as missed
MISSED_LOOKBACK = timedelta(days=3)
# a job APScheduler fires earlier than this by the injected clock is left alone (tests
# and demos with a clock of their own; in production both clocks are the same)
EARLY_TOLERANCE = timedelta(minutes=1)
# how often the scheduler looks for changes made by another process (the command line)
WATCH_EVERY = timedelta(minutes=5)
WATCH = "watch"  # the id of that job
FIRST_PLANNED = "reminders_first_planned"  # a meta key: when the first plan was made


def _still_wanted(spec: JobSpec, now: datetime, grace: timedelta) -> bool:
    """Whether a job whose time has passed unrun is still worth running: until its own
    ``expires_at`` (a consultation's reminder), else within the grace period."""
    if spec.expires_at is not None:
        return now < spec.expires_at
    return now - spec.run_at <= grace


def allowed_hours(settings: Settings) -> list[int]:
    """The local hours a person may choose for their reminders (outside quiet hours)."""
    return [hour for hour in range(24) if not in_quiet(time(hour), settings.quiet)]


class ReminderScheduler:
    """Holds the APScheduler job list that mirrors the calendar and the campaigns."""

    def __init__(
        self,
        repo: Repo,
        catalog: Catalog,
        settings: Settings,
        clock: Clock = system_clock,
        *,
        horizon: timedelta = HORIZON,
        charts: ChartRenderer | None = None,
    ) -> None:
        self.repo = repo
        self.charts = charts  # draws the progress chart of the weekly digest; None: no chart
        self.catalog = catalog
        self.settings = settings
        self.clock = clock
        self.horizon = horizon
        self.queries = ReminderRepo(repo.db)
        self.confirmations = ConfirmationJobs(repo, settings)  # requests to confirm actions
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.plan: dict[str, JobSpec] = {}
        self._lock = asyncio.Lock()
        self._fingerprint = ""  # of the database the plan was made from

    # ------------------------------------------------------------------ the job list

    async def start(self, *, paused: bool = False) -> None:
        """Plan, catch up on what was missed while the bot was down, start firing jobs
        (``paused``: hold the job list without firing, for tests on an injected clock)."""
        async with self._lock:
            await self._refresh()
            if not self.scheduler.running:
                self.scheduler.start(paused=paused)
            self.scheduler.add_job(
                self.watch,
                IntervalTrigger(seconds=WATCH_EVERY.total_seconds()),
                id=WATCH,
                name=WATCH,
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=None,
            )

    async def rebuild(self) -> int:
        """Derive the job list from the database again; return the number of jobs."""
        async with self._lock:
            await self._refresh()
            return len(self.scheduler.get_jobs())

    async def watch(self) -> bool:
        """Rebuild if the database changed behind the bot's back (a roadmap imported or a
        campaign closed on the command line); True if it did."""
        if await self.queries.fingerprint() == self._fingerprint:
            return False
        log.info("reminders: the calendar changed outside the bot: rebuilding the job list")
        await self.rebuild()
        return True

    async def preferences_changed(self, person_id: int) -> int:
        """After a person changes their hour or turns a kind back on: rebuild, and queue
        now what they would have had today at an hour that has already passed (its job ran
        before they chose it). What they already had is not queued again (the keys carry
        no hour). Returns the number of messages queued."""
        await self.rebuild()
        async with self._lock:
            now = self.clock()
            zone = self.settings.zone
            today = now.astimezone(zone)
            prefs = await self.repo.calendar.prefs(person_id)
            if prefs.hour_or(self.settings.reminder_hour) > today.hour:
                return 0  # their hour is still to come today
            runs = await self.repo.calendar.runs()
            not_before = quiet_until(now, self.settings.quiet, zone)
            found: list[OutboxMessage] = []
            for spec in self.plan.values():
                if (
                    spec.kind != REBUILD
                    and runs.get(spec.id) == "done"
                    and spec.run_at.astimezone(zone).date() == today.date()
                ):
                    found += await self.messages(spec, now, not_before, only=person_id)
            return await self.repo.outbox.enqueue(found)

    async def run_due(self) -> list[str]:
        """Plan again and run every job due by the clock (what a running scheduler would
        have done by now); return the ids of the jobs run. Tests use it instead of time."""
        async with self._lock:
            return await self._refresh()

    async def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def _refresh(self) -> list[str]:
        now = self.clock()
        settings = self.settings
        grace = timedelta(hours=settings.reminder_grace_hours)
        since = now - grace - MISSED_LOOKBACK
        campaigns = await self._campaigns(now)  # may create this year's: read the digest after
        self._fingerprint = await self.queries.fingerprint()
        first, last = occurrence_window(settings, now, since, self.horizon)
        occurrences = [
            OccurrenceDates(occurrence.id, occurrence.starts_on, occurrence.ends_on)
            for occurrence, _ in await self.repo.calendar.between(first, last)
        ]
        prefs = await self.repo.calendar.all_prefs()
        hours = hours_in_use(settings.reminder_hour, [(p.hour, p.muted) for p in prefs.values()])
        plan = plan_jobs(
            campaigns, occurrences, hours, settings, now, since=since, horizon=self.horizon
        )
        plan += await consultation_plan(self.repo, settings, since, now + self.horizon)
        asked = confirmation_hours(settings.reminder_hour, prefs.values())
        plan += await self.confirmations.plan(now, since, now + self.horizon, asked)
        plan.sort(key=lambda job: (job.run_at, job.id))
        self.plan = {spec.id: spec for spec in plan}
        runs = await self.repo.calendar.runs()
        first_planned = await self._first_planned(now)
        ran: list[str] = []
        dropped: list[str] = []
        future: list[JobSpec] = []
        for spec in plan:
            if spec.kind == REBUILD or (spec.id not in runs and spec.run_at > now):
                future.append(spec)
            elif spec.id in runs:
                continue
            elif _still_wanted(spec, now, grace):
                await self._run(spec)
                ran.append(spec.id)
            else:
                await self.repo.calendar.record_run(spec.id, spec.run_at, "missed", 0)
                if spec.run_at >= first_planned:  # due while the bot was down, not before
                    dropped.append(spec.id)  # it ever planned: only those are news
                log.debug("reminders: job %s due %s dropped as too old", spec.id, spec.run_at)
        self._sync(future)
        if dropped:
            log.warning(
                "reminders: %d job(s) came due while the bot was not running: %d sent late,"
                " %d dropped as more than %d h late (%s)",
                len(ran) + len(dropped),
                len(ran),
                len(dropped),
                self.settings.reminder_grace_hours,
                ", ".join(dropped[:3]) + (", …" if len(dropped) > 3 else ""),
            )
        elif ran:
            log.info("reminders: %d job(s) that came due were run now", len(ran))
        log.info("reminders: %d job(s) planned", len(future))
        return ran

    async def _first_planned(self, now: datetime) -> datetime:
        """When this database's reminders were first planned: jobs due before then were
        never going to be sent (a fresh database, a roadmap imported with past dates)."""
        stored = await self.repo.meta.get(FIRST_PLANNED)
        if stored is None:
            await self.repo.meta.set(FIRST_PLANNED, now.isoformat())
            return now
        return datetime.fromisoformat(stored)

    async def _campaigns(self, now: datetime) -> list[CampaignDue]:
        """Last year's, this year's and (when within reach) next year's campaigns; this
        year's are created if they do not exist yet."""
        submissions = self.repo.submissions
        year = local_today(self.settings.zone, now).year
        await submissions.ensure_campaigns(year, campaign_deadlines(self.catalog, year))
        reach = (now + self.horizon).date() + timedelta(days=max(self.settings.reminder_offsets))
        upcoming = campaign_deadlines(self.catalog, year + 1)
        if any(due is not None and due <= reach for _, due in upcoming):
            await submissions.ensure_campaigns(year + 1, upcoming)
        found = []
        for campaign_year in (year - 1, year, year + 1):
            for campaign in await submissions.campaigns(campaign_year):
                closed = campaign.closed_at is not None
                found.append(
                    CampaignDue(
                        campaign.id, campaign.year, campaign.deadline_key, campaign.due_date, closed
                    )
                )
        return found

    def _sync(self, future: list[JobSpec]) -> None:
        """Make APScheduler's job list the future part of the plan."""
        scheduler = self.scheduler
        wanted = {spec.id for spec in future} | {WATCH}
        if not scheduler.running:
            scheduler.remove_all_jobs()  # pending jobs are not replaced by id until started
        else:
            for job in scheduler.get_jobs():
                if job.id not in wanted:
                    job.remove()
        misfire = max(1, int(self.settings.reminder_grace_hours * 3600))
        for spec in future:
            scheduler.add_job(
                self._fire,
                DateTrigger(run_date=spec.run_at),
                args=[spec.id],
                id=spec.id,
                name=spec.id,
                replace_existing=True,
                # a late rebuild is still wanted: without it the horizon would stop
                misfire_grace_time=None if spec.kind == REBUILD else misfire,
                coalesce=True,
            )

    async def _fire(self, job_id: str) -> None:
        """What APScheduler runs: the job, unless the injected clock says it is not due."""
        spec = self.plan.get(job_id)
        if spec is not None and spec.run_at > self.clock() + EARLY_TOLERANCE:
            log.debug("reminders: %s fired before its time by the bot's clock: skipped", job_id)
            return
        if job_id == REBUILD:
            await self.rebuild()
        else:
            await self.run(job_id)

    # ------------------------------------------------------------------ one job

    async def run(self, job_id: str) -> int:
        """Run a planned job (once: a job that has run is not run again); return how many
        messages it queued."""
        async with self._lock:
            spec = self.plan.get(job_id)
            if spec is None:
                log.warning("reminders: job %s is not in the plan: not run", job_id)
                return 0
            if job_id in await self.repo.calendar.runs([job_id]):
                return 0
            return await self._run(spec)

    async def _run(self, spec: JobSpec) -> int:
        now = self.clock()
        not_before = quiet_until(now, self.settings.quiet, self.settings.zone)
        messages = await self.messages(spec, now, not_before)
        queued = await self.repo.outbox.enqueue(messages)
        await self.repo.calendar.record_run(spec.id, spec.run_at, "done", queued)
        log.info("reminders: job %s queued %d message(s)", spec.id, queued)
        return queued

    async def messages(
        self,
        spec: JobSpec,
        now: datetime,
        not_before: datetime | None = None,
        *,
        only: int | None = None,
    ) -> list[OutboxMessage]:
        """What the job would queue now (recipients and texts read from the database);
        ``only``: for that one person, whatever their hour (see :meth:`preferences_changed`)."""
        if spec.kind in CONSULTATION_KINDS:  # not tied to a person's reminder hour
            if only is not None:
                return []
            return await consultation_messages(self.repo, self.settings, spec, now, not_before)
        prefs = await self.repo.calendar.all_prefs()
        people = [
            (person, roles)
            for person, roles in await self.queries.recipients()
            if (person.id == only and self._serves(prefs, person.id, spec, any_hour=True))
            or (only is None and self._serves(prefs, person.id, spec))
        ]
        if spec.kind == EVENT:
            return await self._event_messages(spec, people, not_before)
        if spec.kind in CONFIRMATION_KINDS:
            return await self.confirmations.messages(spec, people, not_before)
        if spec.campaign_id is None:
            return []
        campaign = await self.repo.submissions.campaign(spec.campaign_id)
        if campaign is None or campaign.closed_at is not None or campaign.due_date is None:
            return []
        sent_on = (not_before or now).astimezone(self.settings.zone).date()
        if spec.kind == DEADLINE:
            if sent_on > campaign.due_date:
                log.info("reminders: %s would arrive after the deadline: dropped", spec.id)
                return []
            planned = deadline_reminder_days(campaign.due_date, self.settings.reminder_offsets)
            if sent_on != spec.day and sent_on in planned.values():
                # caught up after quiet hours or downtime, it would arrive on the day of
                # another reminder: that one says it
                log.info("reminders: %s would arrive with the next reminder: dropped", spec.id)
                return []
        reported = await self.queries.reported_schools(campaign.id)
        if spec.kind == DIGEST:
            return await self._digests(spec, campaign, people, reported, not_before)
        rendered: dict[str, tuple[str, dict[str, Any]]] = {}  # the same text for a language
        found = []
        for person, roles in people:
            school_id = roles.principal_school_id
            if school_id is None or school_id in reported:
                continue
            locale = self._locale(person)
            if locale not in rendered:
                rendered[locale] = (
                    principal_text(locale, self.catalog, spec, campaign, sent_on),
                    form_button(locale, campaign.id),
                )
            text, markup = rendered[locale]
            # a date a coordinator moved is reminded of again (see scheduler.jobs.due_tag)
            tag = due_tag(campaign.deadline_key, campaign.due_date)
            if spec.kind == OVERDUE:
                key = f"overdue:{campaign.id}{tag}:{school_id}:{person.id}"
            else:
                key = f"deadline:{campaign.id}{tag}:{school_id}:{person.id}:d{spec.days}"
            found.append(self._message(key, person, text, not_before, markup))
        return found

    def _serves(
        self,
        prefs: dict[int, ReminderPrefs],
        person_id: int,
        spec: JobSpec,
        *,
        any_hour: bool = False,
    ) -> bool:
        """The job at hour H serves the people whose hour is H and who have not muted it."""
        pref = prefs.get(person_id) or ReminderPrefs(person_id)
        return spec.preference not in pref.muted and (
            any_hour or pref.hour_or(self.settings.reminder_hour) == spec.hour
        )

    def _locale(self, person: Person) -> str:
        return person.locale or self.settings.default_locale

    @staticmethod
    def _message(
        key: str,
        person: Person,
        text: str,
        not_before: datetime | None,
        markup: dict[str, Any] | None = None,
    ) -> OutboxMessage:
        assert person.telegram_id is not None
        return OutboxMessage(
            dedup_key=key,
            chat_id=person.telegram_id,
            text=text,
            kind=OUTBOX_KIND,
            person_id=person.id,
            reply_markup=markup,
            not_before=not_before,
        )

    async def _digests(
        self,
        spec: JobSpec,
        campaign: Campaign,
        people: list[tuple[Person, Roles]],
        reported: set[int],
        not_before: datetime | None,
    ) -> list[OutboxMessage]:
        """To each curator the overdue schools among theirs, to coordinators all of them."""
        overdue = [s for s in await self.repo.schools.list() if s.id not in reported]
        found = []
        for person, roles in people:
            # a coordinator's territory (every school for a regional one) and curated ones
            schools = [
                s for s in overdue if roles.coordinates(s) or s.id in roles.curator_school_ids
            ]
            if not schools:
                continue
            locale = self._locale(person)
            text = digest_text(locale, self.catalog, campaign, schools)
            key = f"digest:{campaign.id}:{spec.day}:{person.id}"
            found.append(self._message(key, person, text, not_before))
            if roles.coordinator and spec.day is not None and weekly_digest_day(spec.day):
                chart = await self._progress_chart(campaign, roles, spec.day, locale)
                if chart is not None:
                    picture, caption = chart
                    found.append(
                        replace(
                            self._message(f"{key}:chart", person, caption, not_before),
                            method="photo",
                            document=picture,
                            file_name="progress.png",
                            parse_mode=None,
                        )
                    )
        return found

    async def _progress_chart(
        self, campaign: Campaign, roles: Roles, day: date, locale: str
    ) -> tuple[bytes, str] | None:
        """The week's progress chart of ``campaign`` for a coordinator's territory, with its
        caption; None when it cannot be drawn (the digest's text goes all the same)."""
        if self.charts is None or campaign.due_date is None:
            return None
        territory = [s.id for s in await self.repo.schools.list() if roles.coordinates(s)]
        data, caption = await progress_chart(
            self.repo, self.catalog, campaign, territory, day, locale
        )
        try:
            picture = await self.charts.png(data)
        except (NoData, ChartUnavailable) as problem:
            log.warning("reminders: no progress chart for the digest: %r", problem)
            return None
        return picture, shorten(caption, CAPTION_LIMIT)

    async def _event_messages(
        self, spec: JobSpec, people: list[tuple[Person, Roles]], not_before: datetime | None
    ) -> list[OutboxMessage]:
        """One message per person: the actions of their roles starting or ending soon."""
        assert spec.day is not None
        targets = spec.targets or (spec.day + timedelta(days=self.settings.event_reminder_days),)
        edges = [
            (occurrence, event)
            for occurrence, event in await self.repo.calendar.between(targets[0], targets[-1])
            if occurrence.starts_on in targets or occurrence.ends_on in targets
        ]
        if not edges:
            return []
        schools = {school.id: school for school in await self.repo.schools.list()}
        territory = {r.id: r.municipality for r in await self.repo.calendar.roadmaps()}
        found = []
        for person, roles in people:
            mine = [
                (o, e)
                for o, e in edges
                if e.roadmap_id in territory
                and reaches(roles, e.roles, territory[e.roadmap_id], schools)
            ]
            if not mine:
                continue
            locale = self._locale(person)
            text = event_text(locale, mine, targets)
            found.append(self._message(f"event:{spec.day}:{person.id}", person, text, not_before))
        return found
