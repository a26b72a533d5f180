"""The reminder scheduler with a real database and outbox, on a manual clock: who gets
what and when, preferences, quiet hours, restarts and catching up after downtime, and the
APScheduler job list."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.callbacks import CampaignCallback
from bot.clock import from_db
from bot.indicators.catalog import DEFAULT_CATALOG, load_catalog
from bot.settings import Settings
from scheduler.delivery import DeliverySettings, DeliveryWorker
from scheduler.reminders import ReminderScheduler
from storage.calendar import NewEvent
from storage.db import Database
from storage.models import Audience, Person, Role
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData
from storage.submissions import Campaign
from tests.fakes import FakeBot, ManualClock
from tests.harness import make_settings

CATALOG = load_catalog(DEFAULT_CATALOG)


def msk(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A Moscow local time in 2026 (UTC+3 all year), as UTC."""
    return datetime(2026, month, day, hour - 3, minute, tzinfo=UTC)


D7 = msk(9, 24)  # 7 days before the indicators due 1 October 2026, at 10:00


@dataclass
class World:
    tmp_path: Path
    clock: ManualClock
    db: Database
    repo: Repo
    settings: Settings
    reminders: ReminderScheduler
    schools: dict[str, int] = field(default_factory=dict)
    _chats: int = 500

    async def school(self, name: str, municipality: str = "Ливенский район") -> int:
        school, _ = await self.repo.schools.upsert(SchoolData(name, municipality))
        self.schools[name] = school.id
        return school.id

    async def person(
        self,
        role: Role,
        school_ids: list[int] | None = None,
        *,
        telegram: bool = True,
        locale: str | None = None,
        municipalities: tuple[str, ...] = (),
    ) -> Person:
        self._chats += 1
        name = f"{role.value} {self._chats}"
        data = PersonData(name, telegram_id=self._chats if telegram else None, locale=locale)
        person = await self.repo.people.create(data)
        await self.repo.people.grant(person.id, role, school_ids or [], municipalities)
        return person

    async def october(self) -> Campaign:
        await self.repo.submissions.ensure_campaigns(2026, [("10-01", date(2026, 10, 1))])
        campaign = await self.repo.submissions.find_campaign(2026, "10-01")
        assert campaign is not None
        return campaign

    async def submit(self, campaign: Campaign, school_id: int, person: Person) -> None:
        submission = await self.repo.submissions.open(campaign.id, school_id, person.id)
        await self.repo.submissions.submit(submission.id, person.id, None, late=False)

    async def rows(self, prefix: str = "") -> list[dict[str, Any]]:
        found = await self.db.fetch_all(
            "SELECT * FROM outbox WHERE dedup_key LIKE ? ORDER BY id", (prefix + "%",)
        )
        return [dict(row) for row in found]

    async def chats(self, prefix: str) -> list[int]:
        return sorted(row["chat_id"] for row in await self.rows(prefix))

    async def at(self, moment: datetime) -> list[str]:
        """Move the clock to ``moment`` and run what is due."""
        self.clock.now = moment
        return await self.reminders.run_due()

    def new_scheduler(self) -> ReminderScheduler:
        return ReminderScheduler(self.repo, CATALOG, self.settings, self.clock)

    async def reopen(self) -> None:
        """A process restart: a new connection and a new scheduler on the same file."""
        await self.reminders.shutdown()
        await self.db.close()
        self.db = await Database.open(self.tmp_path / "bot.sqlite3", self.clock)
        self.repo = Repo(self.db)
        self.reminders = self.new_scheduler()

    async def principal_planned_then_down_until(self, back: datetime) -> Person:
        """One principal of a school in the 1 October campaign, the jobs planned; then the
        bot is down and starts again at ``back``."""
        school = await self.school("СОШ №1")
        await self.october()
        principal = await self.person(Role.PRINCIPAL, [school])
        await self.reminders.rebuild()
        await self.reopen()
        self.clock.now = back
        await self.reminders.start(paused=True)
        return principal


@asynccontextmanager
async def world(tmp_path: Path, now: datetime, **values: Any) -> AsyncIterator[World]:
    clock = ManualClock(now)
    db = await Database.open(tmp_path / "bot.sqlite3", clock)
    await db.migrate()
    repo = Repo(db)
    settings = make_settings(tmp_path, "", **values)
    env = World(
        tmp_path, clock, db, repo, settings, ReminderScheduler(repo, CATALOG, settings, clock)
    )
    try:
        yield env
    finally:
        await env.reminders.shutdown()
        await env.db.close()


async def test_only_principals_of_schools_that_have_not_submitted_are_reminded(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, D7 - timedelta(hours=1)) as env:
        done, draft, untouched = [await env.school(n) for n in ("СОШ №1", "СОШ №2", "СОШ №3")]
        campaign = await env.october()
        reporter = await env.person(Role.PRINCIPAL, [done])
        await env.submit(campaign, done, reporter)
        drafter = await env.person(Role.PRINCIPAL, [draft], locale="en")
        await env.repo.submissions.open(campaign.id, draft, drafter.id)
        late = await env.person(Role.PRINCIPAL, [untouched])
        await env.person(Role.PRINCIPAL, [untouched], telegram=False)
        gone = await env.person(Role.PRINCIPAL, [untouched])
        await env.repo.people.set_active(gone.id, False)
        await env.person(Role.CURATOR, [draft, untouched])
        await env.person(Role.COORDINATOR)
        deputy = await env.person(Role.DEPUTY, [draft])  # the school's other responsible person
        await env.person(Role.DEPUTY, [done])

        assert await env.at(D7 - timedelta(minutes=1)) == []
        assert "deadline:2026:10-01:d7@10" in await env.at(D7)
        rows = await env.rows("deadline:")
        assert sorted(row["chat_id"] for row in rows) == [
            drafter.telegram_id,
            late.telegram_id,
            deputy.telegram_id,
        ]
        by_chat = {row["chat_id"]: row for row in rows}
        english = by_chat[drafter.telegram_id]
        assert english["text"] == (
            "⏰ Reminder: «Indicators for 2025/26 — due by 1 October 2026 inclusive» — 7 days"
            " left, and your school has not sent the report yet.\n"
            "This reaches the school's responsible people: the principal and any deputies."
        )
        assert english["dedup_key"] == f"deadline:{campaign.id}:{draft}:{drafter.id}:d7"
        assert (
            english["kind"] == "reminder" and english["next_attempt_at"] == "2026-09-24T07:00:00Z"
        )
        button = json.loads(english["reply_markup"])["inline_keyboard"][0][0]
        assert button == {
            "text": "Open the form",
            "callback_data": CampaignCallback(campaign_id=campaign.id).pack(),
        }
        russian = by_chat[late.telegram_id]
        assert russian["text"] == (
            "⏰ Напоминание: «Показатели за 2025/26 уч. г. — до 1 октября 2026 включительно» —"
            " осталось 7 дней, а ваша школа ещё не представила отчёт.\n"
            "Это сообщение получают ответственные от ОО: руководитель и его заместители, "
            "если они есть."
        )
        assert json.loads(russian["reply_markup"])["inline_keyboard"][0][0]["text"] == (
            "Открыть форму"
        )

        # the day itself and one day before: the right plural, the right wording
        await env.at(msk(9, 30))
        await env.at(msk(10, 1))
        texts = {
            row["dedup_key"].rsplit(":", 1)[1]: row["text"]
            for row in await env.rows()
            if row["chat_id"] == drafter.telegram_id
        }
        assert "— 1 day left" in texts["d1"]
        assert texts["d0"].startswith(
            "⏰ Today is the last day for «Indicators for 2025/26 — due by 1 October"
        )


async def test_a_submission_between_two_reminders_stops_the_next(tmp_path: Path) -> None:
    async with world(tmp_path, D7) as env:
        first, second = await env.school("СОШ №1"), await env.school("СОШ №2")
        campaign = await env.october()
        anna = await env.person(Role.PRINCIPAL, [first])
        boris = await env.person(Role.PRINCIPAL, [second])
        await env.at(D7)
        assert await env.chats("deadline:") == [anna.telegram_id, boris.telegram_id]
        env.clock.now = msk(9, 26, 15)
        await env.submit(campaign, first, anna)
        await env.at(msk(9, 28))  # three days before
        assert await env.chats(f"deadline:{campaign.id}:{first}:") == [anna.telegram_id]
        assert await env.chats(f"deadline:{campaign.id}:{second}:") == [boris.telegram_id] * 2
        # a returned submission is not reported: reminders resume
        submission = await env.repo.submissions.get(campaign.id, first)
        assert submission is not None
        coordinator = await env.person(Role.COORDINATOR)
        await env.repo.submissions.review(
            submission.id, coordinator.id, False, "Проверьте", submission.version
        )
        await env.at(msk(9, 30))
        assert len(await env.rows(f"deadline:{campaign.id}:{first}:")) == 2


async def test_overdue_notice_to_principals_and_daily_digests_to_curators_and_coordinators(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, msk(10, 1, 12)) as env:
        a = await env.school("Гимназия", "Елец")
        b = await env.school("СОШ №2 с. Казаки", "Елецкий район")
        await env.school("Лицей", "Елец")
        d = await env.school("ООШ д. Пушкино", "Ливенский район")
        campaign = await env.october()
        await env.submit(campaign, d, await env.person(Role.PRINCIPAL, [d]))
        late = await env.person(Role.PRINCIPAL, [a])
        curator = await env.person(Role.CURATOR, [a, b])
        other_curator = await env.person(Role.CURATOR, [d])
        coordinator = await env.person(Role.COORDINATOR, locale="en")
        await env.at(msk(10, 2))
        notices = await env.rows("overdue:")
        assert [row["chat_id"] for row in notices] == [late.telegram_id]
        assert notices[0]["text"].startswith("⚠️ Срок «Показатели")
        digests = {row["chat_id"]: row["text"] for row in await env.rows(f"digest:{campaign.id}:")}
        assert other_curator.telegram_id not in digests  # their only school has submitted
        assert digests[curator.telegram_id].splitlines()[1:] == [
            "",
            "<b>Елец</b>",
            "• Гимназия",
            "",
            "<b>Елецкий район</b>",
            "• СОШ №2 с. Казаки",
        ]
        assert "2 школы" in digests[curator.telegram_id].splitlines()[0]
        assert digests[coordinator.telegram_id].splitlines() == [
            "📋 The deadline for «Indicators for 2025/26 — due by 1 October 2026 inclusive» has"
            " passed: 3 schools have not sent the report.",
            "",
            "<b>Елец</b>",
            "• Гимназия",
            "• Лицей",
            "",
            "<b>Елецкий район</b>",
            "• СОШ №2 с. Казаки",
        ]
        # the weekend has no digest; the next working day: a new digest, no second notice
        await env.submit(campaign, a, late)
        await env.at(msk(10, 3))
        await env.at(msk(10, 4))
        assert await env.rows(f"digest:{campaign.id}:2026-10-03:") == []
        assert await env.rows(f"digest:{campaign.id}:2026-10-04:") == []
        await env.at(msk(10, 5))
        assert len(await env.rows("overdue:")) == 1
        latest = await env.rows(f"digest:{campaign.id}:2026-10-05:")
        assert sorted(row["chat_id"] for row in latest) == sorted(
            [curator.telegram_id, coordinator.telegram_id]
        )
        assert "Гимназия" not in "".join(row["text"] for row in latest)
        # a closed campaign: no more digests
        await env.repo.submissions.close_campaign(campaign.id)
        await env.reminders.rebuild()
        await env.at(msk(10, 6))
        assert await env.rows(f"digest:{campaign.id}:2026-10-06:") == []


async def test_a_municipal_coordinators_digest_covers_their_municipality(tmp_path: Path) -> None:
    async with world(tmp_path, msk(10, 1, 12)) as env:
        await env.school("Гимназия", "Елец")
        await env.school("СОШ №2 с. Казаки", "Елецкий район")
        campaign = await env.october()
        town = await env.person(Role.COORDINATOR, municipalities=("Елец",))
        district = await env.person(Role.COORDINATOR, municipalities=("елецкий  район",))
        await env.at(msk(10, 2))
        digests = {row["chat_id"]: row["text"] for row in await env.rows(f"digest:{campaign.id}:")}
        assert "Гимназия" in digests[town.telegram_id]
        assert "Казаки" not in digests[town.telegram_id]
        assert "Казаки" in digests[district.telegram_id]  # spelled otherwise, the same place
        assert "Гимназия" not in digests[district.telegram_id]


async def test_long_digests_stay_within_a_telegram_message(tmp_path: Path) -> None:
    async with world(tmp_path, msk(10, 2, 9)) as env:
        for n in range(300):
            await env.school(f"Муниципальное бюджетное общеобразовательное учреждение №{n}")
        campaign = await env.october()
        coordinator = await env.person(Role.COORDINATOR)
        await env.at(msk(10, 2))
        (row,) = await env.rows(f"digest:{campaign.id}:")
        assert row["chat_id"] == coordinator.telegram_id
        assert len(row["text"]) < 4096
        assert row["text"].splitlines()[-1].startswith("… и ещё ")
        assert row["text"].splitlines()[-1].endswith(" школ: см. /status.")


async def test_roadmap_reminders_go_to_the_responsible_role(tmp_path: Path) -> None:
    async with world(tmp_path, msk(9, 1, 8)) as env:
        school = await env.school("СОШ №1")
        principal = await env.person(Role.PRINCIPAL, [school])
        coordinator = await env.person(Role.COORDINATOR)
        curator = await env.person(Role.CURATOR, [school])
        events = [
            NewEvent(
                1,
                "Региональный семинар <для директоров>",
                "сентябрь",
                "range",
                [(date(2026, 9, 4), date(2026, 9, 4))],
                roles=(Audience.PRINCIPALS, Audience.REGIONAL),
            ),
            NewEvent(
                2,
                "Мониторинг",
                "сентябрь - октябрь",
                "range",
                [(date(2026, 9, 4), date(2026, 10, 31))],
                roles=(Audience.REGIONAL,),
            ),
        ]
        await env.repo.calendar.save_roadmap(
            "Дорожная карта", date(2026, 1, 1), date(2026, 12, 31), events
        )
        assert await env.reminders.rebuild() > 0
        assert "event:2026-09-01@10" in env.reminders.plan
        await env.at(msk(9, 1))
        rows = {row["chat_id"]: row["text"] for row in await env.rows("event:")}
        assert curator.telegram_id not in rows
        assert rows[principal.telegram_id].splitlines() == [
            "📅 Скоро по дорожной карте:",
            "• <b>Региональный семинар &lt;для директоров&gt;</b> — состоится 4 сентября 2026",
            "Подробнее: /calendar",
        ]
        assert "Мониторинг</b> — начинается 4 сентября" in rows[coordinator.telegram_id]
        assert "семинар" in rows[coordinator.telegram_id]
        await env.at(msk(10, 28))  # three days before the monitoring ends
        (end,) = await env.rows("event:2026-10-28:")
        assert end["chat_id"] == coordinator.telegram_id
        assert "Мониторинг</b> — завершается 31 октября 2026" in end["text"]


async def test_a_muted_kind_and_a_changed_hour(tmp_path: Path) -> None:
    async with world(tmp_path, D7 - timedelta(hours=2)) as env:
        school = await env.school("СОШ №1")
        await env.october()
        quiet_one = await env.person(Role.PRINCIPAL, [school])
        early_bird = await env.person(Role.PRINCIPAL, [school])
        usual = await env.person(Role.PRINCIPAL, [school])
        await env.repo.calendar.set_muted(quiet_one.id, "deadline", True)
        await env.repo.calendar.set_hour(early_bird.id, 14)
        await env.reminders.rebuild()
        assert {
            "deadline:2026:10-01:d7@10",
            "deadline:2026:10-01:d7@14",
        } <= env.reminders.plan.keys()
        await env.at(D7)
        assert await env.chats("deadline:") == [usual.telegram_id]
        await env.at(msk(9, 24, 14))
        assert await env.chats("deadline:") == [early_bird.telegram_id, usual.telegram_id]
        # moving the hour after today's reminder came does not bring it again
        await env.repo.calendar.set_hour(early_bird.id, 16)
        await env.reminders.rebuild()
        await env.at(msk(9, 24, 16))
        assert len(await env.rows("deadline:")) == 2
        # muting one kind leaves the others
        await env.repo.calendar.set_muted(quiet_one.id, "deadline", False)
        await env.at(msk(9, 28))
        assert quiet_one.telegram_id in await env.chats("deadline:")


async def test_a_reminder_missed_by_moving_the_hour_earlier_comes_at_once(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, D7 - timedelta(hours=2)) as env:
        school = await env.school("СОШ №1")
        await env.october()
        late_riser = await env.person(Role.PRINCIPAL, [school])
        await env.repo.calendar.set_hour(late_riser.id, 15)
        await env.reminders.rebuild()
        await env.at(D7)  # 10:00: the job for 10 o'clock runs, not for them
        assert await env.chats("deadline:") == []
        # at 12:00 they go back to the usual hour: today's 10:00 reminder has passed
        env.clock.now = msk(9, 24, 12)
        await env.repo.calendar.set_hour(late_riser.id, None)
        assert await env.reminders.preferences_changed(late_riser.id) == 1
        assert await env.chats("deadline:") == [late_riser.telegram_id]
        # and choosing a later hour again brings nothing twice
        await env.repo.calendar.set_hour(late_riser.id, 11)
        assert await env.reminders.preferences_changed(late_riser.id) == 0
        await env.at(msk(9, 24, 15))
        assert len(await env.rows("deadline:")) == 1


async def test_a_job_run_in_quiet_hours_waits_for_the_morning(tmp_path: Path) -> None:
    async with world(tmp_path, D7 - timedelta(days=1)) as env:
        # the bot was down at 10:00 and comes back at 21:30: within the 12-hour grace
        principal = await env.principal_planned_then_down_until(msk(9, 24, 21, 30))
        (row,) = await env.rows("deadline:")
        assert row["chat_id"] == principal.telegram_id
        assert from_db(row["next_attempt_at"]) == msk(9, 25, 9)
        assert "осталось 6 дней" in row["text"]  # counted from the morning it arrives
        # a worker does not send it before 09:00
        bot = FakeBot()
        worker = DeliveryWorker(
            bot,  # type: ignore[arg-type]
            env.repo.outbox,
            env.repo.people,
            settings=DeliverySettings(
                rate=1000, chat_interval=0, quiet=env.settings.quiet, zone=env.settings.zone
            ),
        )
        await worker.drain()
        assert bot.calls == []
        env.clock.now = msk(9, 25, 9)
        await worker.drain()
        assert [call[0] for call in bot.calls] == [principal.telegram_id]


async def test_a_reminder_that_would_arrive_on_the_day_of_the_next_one_is_left_to_it(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, msk(9, 30, 8)) as env:
        # the "1 day left" job missed, back in quiet hours
        await env.principal_planned_then_down_until(msk(9, 30, 21, 30))
        assert await env.rows("deadline:") == []  # it would say "1 day" on the last day
        env.clock.now = msk(10, 1, 10)
        await env.reminders.run_due()
        (row,) = await env.rows("deadline:")
        assert "последний день" in row["text"]


async def test_a_last_day_reminder_that_could_only_arrive_after_the_deadline_is_dropped(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, msk(10, 1, 8)) as env:
        # down at 10:00, back in the quiet hours
        await env.principal_planned_then_down_until(msk(10, 1, 21, 30))
        assert await env.rows("deadline:") == []
        runs = await env.repo.calendar.runs(["deadline:2026:10-01:d0@10"])
        assert runs == {"deadline:2026:10-01:d0@10": "done"}


async def test_a_restart_between_scheduling_and_sending_loses_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, D7 - timedelta(hours=3)) as env:
        schools = [await env.school(f"СОШ №{n}") for n in range(1, 6)]
        await env.october()
        principals = [await env.person(Role.PRINCIPAL, [school]) for school in schools]
        await env.reminders.start(paused=True)
        await env.at(D7)
        queued = await env.rows()
        assert len(queued) == 5
        # the process stops before the worker sent anything; a new one starts
        await env.reopen()
        env.clock.now = D7 + timedelta(minutes=5)
        await env.reminders.start(paused=True)
        assert await env.rows() == queued
        # a crash after queuing but before the run was recorded: the job runs again
        await env.db.execute("DELETE FROM scheduler_runs")
        await env.reopen()
        await env.reminders.start(paused=True)
        assert await env.rows() == queued
        assert await env.repo.calendar.runs(["deadline:2026:10-01:d7@10"]) == {
            "deadline:2026:10-01:d7@10": "done"
        }
        bot = FakeBot()
        worker = DeliveryWorker(
            bot,  # type: ignore[arg-type]
            env.repo.outbox,
            env.repo.people,
            settings=DeliverySettings(rate=1000, chat_interval=0),
        )
        await worker.drain()
        assert sorted(call[0] for call in bot.calls) == [p.telegram_id for p in principals]
        await env.reopen()
        await env.reminders.start(paused=True)
        worker = DeliveryWorker(
            bot,  # type: ignore[arg-type]
            env.repo.outbox,
            env.repo.people,
            settings=DeliverySettings(rate=1000, chat_interval=0),
        )
        await worker.drain()
        assert len(bot.calls) == 5


async def test_catching_up_after_downtime_sends_what_is_recent_and_drops_what_is_old(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, msk(9, 27, 18)) as env:
        school = await env.school("СОШ №1")
        await env.october()
        principal = await env.person(Role.PRINCIPAL, [school])
        await env.reminders.start(paused=True)
        assert await env.rows() == []
        # down from the evening of 27 September to 15:00 on 30 September
        await env.reopen()
        env.clock.now = msk(9, 30, 15)
        await env.reminders.start(paused=True)
        rows = await env.rows()
        assert [(row["chat_id"], row["dedup_key"][-2:]) for row in rows] == [
            (principal.telegram_id, "d1")
        ]
        runs = await env.repo.calendar.runs()
        assert runs["deadline:2026:10-01:d3@10"] == "missed"
        assert runs["deadline:2026:10-01:d1@10"] == "done"
        # another restart soon after: nothing more
        await env.reopen()
        env.clock.now = msk(9, 30, 16)
        await env.reminders.start(paused=True)
        assert await env.rows() == rows


async def test_the_apscheduler_job_list_is_the_plan_and_follows_changes(tmp_path: Path) -> None:
    async with world(tmp_path, msk(9, 20, 12)) as env:
        school = await env.school("СОШ №1")
        campaign = await env.october()
        principal = await env.person(Role.PRINCIPAL, [school])
        await env.reminders.start(paused=True)
        now = env.clock.now

        def scheduled() -> dict[str, datetime]:
            jobs = env.reminders.scheduler.get_jobs()
            return {job.id: job.next_run_time for job in jobs if job.id != "watch"}

        planned = {
            spec.id: spec.run_at for spec in env.reminders.plan.values() if spec.run_at > now
        }
        assert scheduled() == planned
        assert scheduled()["deadline:2026:10-01:d7@10"] == msk(9, 24)
        assert "rebuild" in planned and "deadline:2026:10-01:d3@10" in planned
        assert all(
            job.args == ("deadline:2026:10-01:d7@10",)
            for job in env.reminders.scheduler.get_jobs()
            if job.id == "deadline:2026:10-01:d7@10"
        )
        # a new hour adds jobs; closing the campaign removes its jobs
        await env.repo.calendar.set_hour(principal.id, 15)
        count = await env.reminders.rebuild()
        assert count == len(scheduled()) + 1  # and the job that watches for outside changes
        assert scheduled()["deadline:2026:10-01:d7@15"] == msk(9, 24, 15)
        await env.repo.submissions.close_campaign(campaign.id)
        await env.reminders.rebuild()
        assert not any(job_id.startswith("deadline:2026:10-01") for job_id in scheduled())
        # a new time zone moves every job
        env.reminders.settings = make_settings(tmp_path, "", timezone="Asia/Yakutsk")
        await env.reminders.rebuild()
        assert scheduled()["rebuild"] == datetime(2026, 9, 20, 15, 5, tzinfo=UTC)


async def test_a_change_made_on_the_command_line_is_picked_up_without_a_restart(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, msk(9, 20, 12)) as env:
        await env.person(Role.COORDINATOR)
        await env.reminders.start(paused=True)
        assert "watch" in {job.id for job in env.reminders.scheduler.get_jobs()}
        assert await env.reminders.watch() is False  # nothing changed: no rebuild
        assert not any(spec.kind == "event" for spec in env.reminders.plan.values())
        # another process (python -m bot roadmap import) adds a roadmap to the same database
        other = await Database.open(tmp_path / "bot.sqlite3")
        try:
            october = [(date(2026, 10, 1), date(2026, 10, 31))]
            seminar = NewEvent(5, "Семинар", "октябрь", "range", october)
            await Repo(other).calendar.save_roadmap(
                "План", date(2026, 1, 1), date(2026, 12, 31), [seminar]
            )
        finally:
            await other.close()
        assert await env.reminders.watch() is True
        events = [spec for spec in env.reminders.plan.values() if spec.kind == "event"]
        # 3 days before it starts and before it ends
        assert sorted(spec.run_at for spec in events) == [msk(9, 28), msk(10, 28)]
        assert await env.reminders.watch() is False
