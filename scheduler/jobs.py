"""The reminder job list as plain data: what should run when, computed from plain inputs.

No I/O here: :func:`plan_jobs` takes the campaigns, the roadmap occurrences, the local
hours people want their reminders at, the settings and the current moment, and returns
:class:`JobSpec` records with stable ids. The same inputs always give the same ids, so
the scheduler can rebuild its job list at any time and a job that has run is known by
its id (the ``scheduler_runs`` table).

Ids name what a job is about in local terms, never database row ids that an import
may renumber:

* ``deadline:2026:10-01:d7@10`` — 7 days before the campaign due 1 October 2026, at 10:00;
* ``overdue:2026:10-01@10`` — the day after that deadline: a notice to principals;
* ``digest:2026:10-01:2026-10-05@10`` — that day's digest of overdue schools (each working
  day for two weeks after the deadline, then on the first working day of each week);
* ``event:2026-08-29@10`` — roadmap actions starting or ending ``event_reminder_days``
  after 29 August;
* ``rebuild`` — just after the next local midnight, so the horizon moves on.

Nothing is sent on a day off (weekends, public holidays, by the Russian calendar with
the year's transferred working days: :mod:`bot.calendar.workdays`). A reminder that
would fall on one comes on the working day before (two that meet there: the one closer
to the deadline stays); the notice that a deadline has passed comes on the first working
day after it (never before: the day before may be the deadline itself); a day off has no
digest. The ids keep the offset and the event's days, so they stay the same.

Local times are turned into UTC with the zone's offset on that date (zoneinfo), so a
change of offset (DST, or a new ``TIMEZONE``) moves every job to the right moment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.workdays import is_working_day, next_working_day, previous_working_day
from bot.settings import Settings

HORIZON = timedelta(days=45)  # jobs are planned this far ahead; the daily rebuild moves it
# a reminder moved off days off comes at most this much earlier (the New Year holidays)
LONGEST_DAYS_OFF = timedelta(days=14)
REBUILD_AT = time(0, 5)  # local time of the daily rebuild

DEADLINE, OVERDUE, DIGEST, EVENT, REBUILD = "deadline", "overdue", "digest", "event", "rebuild"
#: a campaign's digest of overdue schools comes daily for this many days after its deadline,
#: then weekly (the first working day of the week) until every school has reported or the
#: campaign is closed
DAILY_DIGEST_DAYS = 14
# the preference ("muted" kind) each job kind answers to
PREFERENCE = {DEADLINE: "deadline", OVERDUE: "overdue", DIGEST: "overdue", EVENT: "event"}


@dataclass(frozen=True, slots=True)
class CampaignDue:
    """What the planner needs of a campaign."""

    id: int
    year: int
    deadline_key: str
    due_date: date | None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class OccurrenceDates:
    """What the planner needs of a roadmap occurrence."""

    id: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True)
class JobSpec:
    id: str
    run_at: datetime  # UTC
    kind: str  # deadline | overdue | digest | event | rebuild
    hour: int | None = None  # the local hour it serves (people whose hour this is)
    campaign_id: int | None = None
    days: int = 0  # deadline: days before the due date
    day: date | None = None  # deadline, digest and event: the local date it runs on
    occurrence_ids: tuple[int, ...] = ()  # event: the occurrences starting or ending then
    # event: the days those occurrences start or end (``event_reminder_days`` after
    # ``day``, and after it up to the next working day's: a reminder moved off days off)
    targets: tuple[date, ...] = ()

    @property
    def preference(self) -> str | None:
        return PREFERENCE.get(self.kind)


def deadline_reminder_days(due: date, offsets: Iterable[int]) -> dict[int, date]:
    """The working day each reminder ``offset`` days before ``due`` is sent on: the day
    itself, or the working day before it; when two come to one day, the one with the
    smaller offset (closer to the deadline, saying more) stays."""
    found: dict[int, date] = {}
    taken: set[date] = set()
    for offset in sorted(set(offsets)):
        day = previous_working_day(due - timedelta(days=offset))
        if day not in taken:
            found[offset] = day
            taken.add(day)
    return found


def digest_day(day: date, due: date) -> bool:
    """Whether the digest of a campaign due on ``due`` comes on ``day``: every working day
    for two weeks after the deadline, then on the first working day of each week (Monday,
    or the day after a Monday off)."""
    if not is_working_day(day):
        return False
    if (day - due).days <= DAILY_DIGEST_DAYS:
        return True
    monday = day - timedelta(days=day.weekday())
    return day == next_working_day(monday)


def overdue_notice_day(due: date) -> date:
    """The first working day after the deadline: when the notice that it passed comes."""
    return next_working_day(due + timedelta(days=1))


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``day`` at local time ``at`` in ``zone``, as UTC."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def hours_in_use(
    default_hour: int, chosen: Iterable[tuple[int | None, Collection[str]]]
) -> dict[str, list[int]]:
    """The local hours each preference kind needs jobs at: the default hour, and every
    hour someone chose who has not muted that kind. ``chosen``: (hour, muted kinds)."""
    hours: dict[str, set[int]] = {kind: {default_hour} for kind in ("deadline", "overdue", "event")}
    for hour, muted in chosen:
        for kind, found in hours.items():
            if hour is not None and kind not in muted:
                found.add(hour)
    return {kind: sorted(found) for kind, found in hours.items()}


def plan_jobs(
    campaigns: Iterable[CampaignDue],
    occurrences: Iterable[OccurrenceDates],
    hours: Mapping[str, Collection[int]],
    settings: Settings,
    now: datetime,
    *,
    since: datetime | None = None,
    horizon: timedelta = HORIZON,
) -> list[JobSpec]:
    """Every job due in [since, now + horizon] (``since`` defaults to now minus the grace
    period), plus the next daily rebuild; sorted by time, then id."""
    zone = settings.zone
    start = since if since is not None else now - timedelta(hours=settings.reminder_grace_hours)
    until = now + horizon
    first_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = until.astimezone(zone).date() + timedelta(days=1)
    jobs: list[JobSpec] = []

    def add(on: date, hour: int, **spec: object) -> None:
        run_at = local_moment(on, time(hour), zone)
        if start <= run_at <= until:
            jobs.append(JobSpec(run_at=run_at, hour=hour, **spec))  # type: ignore[arg-type]

    for campaign in campaigns:
        due = campaign.due_date
        if campaign.closed or due is None:
            continue
        name = f"{campaign.year}:{campaign.deadline_key}"
        for offset, day in deadline_reminder_days(due, settings.reminder_offsets).items():
            for hour in hours.get("deadline", ()):
                add(
                    day,
                    hour,
                    id=f"deadline:{name}:d{offset}@{hour}",
                    kind=DEADLINE,
                    campaign_id=campaign.id,
                    days=offset,
                    day=day,
                )
        for hour in hours.get("overdue", ()):
            add(
                overdue_notice_day(due),
                hour,
                id=f"overdue:{name}@{hour}",
                kind=OVERDUE,
                campaign_id=campaign.id,
            )
            day = max(due + timedelta(days=1), first_day)
            while day <= last_day:
                if digest_day(day, due):
                    add(
                        day,
                        hour,
                        id=f"digest:{name}:{day.isoformat()}@{hour}",
                        kind=DIGEST,
                        campaign_id=campaign.id,
                        day=day,
                    )
                day += timedelta(days=1)

    before = timedelta(days=settings.event_reminder_days)
    edges: dict[date, set[int]] = defaultdict(set)
    targets: dict[date, set[date]] = defaultdict(set)
    for occurrence in occurrences:
        for edge in {occurrence.starts_on, occurrence.ends_on}:
            day = previous_working_day(edge - before)
            if first_day <= day <= last_day:
                edges[day].add(occurrence.id)
                targets[day].add(edge)
    for day, ids in edges.items():
        for hour in hours.get("event", ()):
            add(
                day,
                hour,
                id=f"event:{day.isoformat()}@{hour}",
                kind=EVENT,
                day=day,
                occurrence_ids=tuple(sorted(ids)),
                targets=tuple(sorted(targets[day])),
            )

    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    jobs.append(JobSpec(id=REBUILD, run_at=local_moment(tomorrow, REBUILD_AT, zone), kind=REBUILD))
    jobs.sort(key=lambda job: (job.run_at, job.id))
    return jobs


def occurrence_window(
    settings: Settings, now: datetime, since: datetime, horizon: timedelta = HORIZON
) -> tuple[date, date]:
    """The dates whose occurrences the planner may need for a plan made at ``now``: those
    starting or ending ``event_reminder_days`` after a day of the planned window (or a
    little later: a reminder moved off days off comes earlier)."""
    zone = settings.zone
    before = timedelta(days=settings.event_reminder_days)
    first = since.astimezone(zone).date() - timedelta(days=1) + before
    last = (now + horizon).astimezone(zone).date() + timedelta(days=1) + before
    return first, last + LONGEST_DAYS_OFF
