"""The assessment procedures' reports end to end: the regional coordinator sets the date of
the ВПР analytical note (a wrong date refused, the right one said back), principals are
reminded on the harness clock, one sends a PDF, the coordinator opens it from /review and
the school's curator from /status; forged buttons for another school's file are refused."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.callbacks import AssessmentCallback, DocumentCallback, FilesCallback
from scheduler.reminders import ReminderScheduler
from storage.models import Role
from tests.harness import (
    BotEnv,
    ShiftedClock,
    answer,
    bot_under_test,
    buttons,
    forge,
    press,
)

DISTRICT, CITY = "Ливенский район", "город Ливны"
REFUSED = "больше не действует или вам недоступна"
# 09:00 in Moscow on Wednesday 20 May 2026
FILES_BUTTON = "📎 Файлы: 1 · Аналитическая справка: ВПР 2026 — до 15 июня 2026 включительно"
MAY_MORNING = datetime(2026, 5, 20, 6, 0, tzinfo=UTC)
BIG = 20 * 1024 * 1024  # over the 20 MB limit with the PDF
PDF = b"%PDF-1.4\n% the analytical note on VPR 2026\n" + b"0" * 3000


class Region:
    """Two schools (one per municipality) with their principals and curators, a regional
    coordinator and the city's municipal coordinator."""

    def __init__(self, env: BotEnv) -> None:
        self.env = env

    async def build(self) -> Region:
        env = self.env
        self.kazanskaya = await env.add_school(
            "МБОУ «Казанская СОШ»", DISTRICT, short_name="Казанская СОШ"
        )
        self.city_school = await env.add_school("МБОУ «СОШ № 2»", CITY, short_name="СОШ № 2")
        self.principal = await env.register(Role.PRINCIPAL, [self.kazanskaya])
        self.city_principal = await env.register(
            Role.PRINCIPAL, [self.city_school], first_name="Борис", last_name="Орлов"
        )
        self.coordinator = await env.register(Role.COORDINATOR, first_name="Анна", last_name="Ким")
        self.city_coordinator = await env.register(
            Role.COORDINATOR, first_name="Глеб", last_name="Лыков", municipalities=(CITY,)
        )
        self.curator = await env.register(
            Role.CURATOR, [self.kazanskaya], first_name="Вера", last_name="Соколова"
        )
        self.city_curator = await env.register(
            Role.CURATOR, [self.city_school], first_name="Дарья", last_name="Белова"
        )
        return self


async def settled(env: BotEnv, limit: float = 10) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        counts = await env.repo.outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the outbox did not settle: {await env.repo.outbox.counts()}")


async def set_vpr_date(env: BotEnv, coordinator: int, typed: str) -> list[dict]:
    await env.say(coordinator, "/assessments")
    await press(env, coordinator, "📅 ВПР")
    return await env.say(coordinator, typed, expect=2)


async def test_the_coordinator_sets_the_vpr_date_and_principals_are_reminded(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(MAY_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        assert env.app is not None
        reminders: ReminderScheduler = env.app.dp["reminders"]
        region = await Region(env).build()

        listing = (await env.say(region.principal, "/submit"))[0]["text"]
        assert "Аналитическая справка: ВПР 2026 — не представлено, срок не назначен" in listing
        screen = (await env.say(region.coordinator, "/assessments"))[0]
        assert "• ВПР — срок не назначен · представили 0 из 2" in screen["text"]
        assert {"📅 ВПР", "📅 ГИА-9 (ОГЭ)", "📅 ГИА-11 (ЕГЭ)", "2027 ▶️"} <= set(buttons(screen))
        # no date: no reminder is planned for the ВПР note
        assert not [job for job in reminders.plan if "assessment" in job]

        asked = (await press(env, region.coordinator, "📅 ВПР"))[-1]
        assert "Сейчас: срок не назначен." in asked["text"]
        refused = await answer(env, region.coordinator, "31.02.2026")
        assert "⚠️ Такой даты нет: 31.02.2026." in refused["text"]
        refused = await answer(env, region.coordinator, "1 мая")
        assert "01.05.2026 уже прошло" in refused["text"]
        said, screen = await env.say(region.coordinator, "3 июня", expect=2)
        assert said["text"].startswith(
            "✅ Срок «Аналитическая справка: ВПР 2026»: 3 июня 2026 (среда)."
        )
        assert "• ВПР — срок: 3 июня 2026 (среда)" in screen["text"]
        campaign = await env.repo.submissions.find_campaign(2026, "assessment:vpr")
        assert campaign is not None and str(campaign.due_date) == "2026-06-03"

        # 10:00 in Moscow, 14 days before 3 June: both principals are reminded, once
        clock.jump(datetime(2026, 5, 20, 7, 0, 1, tzinfo=UTC))
        assert "deadline:2026:assessment:vpr:2026-06-03:d14@10" in await reminders.run_due()
        await settled(env)
        for principal in (region.principal, region.city_principal):
            got = [m for m in await env.visible(principal) if m["text"].startswith("⏰")]
            assert [m["text"].split("\n")[0] for m in got] == [
                "⏰ Напоминание: «Аналитическая справка: ВПР 2026 — до 3 июня 2026 включительно»"
                " — осталось 14 дней, а ваша школа ещё не представила отчёт."
            ], principal
            assert "Открыть форму" in buttons(got[0])
        listing = (await env.say(region.principal, "/submit"))[0]["text"]
        assert (
            "Аналитическая справка: ВПР 2026 — до 3 июня 2026 включительно — не представлено,"
            " осталось 14 дней" in listing
        )

        # the city's coordinator sees the dates but cannot set them, not even by a forged button
        city = (await env.say(region.city_coordinator, "/assessments"))[0]
        assert "Сроки назначает региональный координатор." in city["text"]
        assert "📅 ВПР" not in buttons(city)
        forged = AssessmentCallback(action="date", year=2026, procedure=0).pack()
        assert REFUSED in await forge(env, region.city_coordinator, forged)
        assert REFUSED in await forge(env, region.principal, forged)


async def test_a_pdf_is_sent_and_opened_from_review_and_status_and_nowhere_else(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(MAY_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        region = await Region(env).build()
        said, _screen = await set_vpr_date(env, region.coordinator, "15.06.2026")
        assert "15 июня 2026 (понедельник)" in said["text"]

        # the principal: a wrong file type is explained, the PDF is said back with its size
        listing = (await env.say(region.principal, "/submit"))[0]
        title = next(t for t in buttons(listing) if "ВПР" in t)
        question = (await press(env, region.principal, title))[-1]
        assert (
            "Аналитическая справка по результатам всероссийских проверочных работ"
            in (question["text"])
        )
        assert "Пропустить ➡️" not in buttons(question)
        before = len(await env.visible(region.principal))
        await env.client.upload_document(region.principal, "справка.txt", b"plain text")
        reply = (await env.client.wait_for_messages(region.principal, before + 1))[-1]
        assert "TXT" in reply["text"] and "PDF, DOC, DOCX, XLS, XLSX" in reply["text"]
        # a sentence instead of the file, and a file over 20 MB, are refused with the reason
        said = await answer(env, region.principal, "Справку отправили почтой")
        assert "⚠️ Пожалуйста, пришлите документ файлом." in said["text"]
        before = len(await env.visible(region.principal))
        await env.client.upload_document(region.principal, "большая.pdf", PDF + b"0" * BIG)
        reply = (await env.client.wait_for_messages(region.principal, before + 1))[-1]
        assert "большая.pdf" in reply["text"] and "20 МБ" in reply["text"], reply["text"]
        before = len(await env.visible(region.principal))
        await env.client.upload_document(region.principal, "Справка ВПР 2026.pdf", PDF)
        review = (await env.client.wait_for_messages(region.principal, before + 1))[-1]
        assert "Справка ВПР 2026.pdf (3 КБ)" in review["text"]
        done = (await press(env, region.principal, "📤 Отправить"))[-1]
        assert (
            "Представлено: Аналитическая справка: ВПР 2026 — до 15 июня 2026 включительно"
            in done["text"]
        )

        # the coordinator opens it from the review card
        waiting = (await env.say(region.coordinator, "/review"))[0]
        card = (await press(env, region.coordinator, next(iter(buttons(waiting)))))[-1]
        assert "Справка: ВПР: Справка ВПР 2026.pdf (3 КБ)" in card["text"]
        sent = await press(env, region.coordinator, "📎 Справка ВПР 2026.pdf")
        document = sent[-1]["document"]
        assert document["file_name"] == "Справка ВПР 2026.pdf"
        assert await env.client.file(document["file_id"]) == PDF
        assert "Казанская СОШ" in sent[-1]["caption"]
        assert "Аналитическая справка: ВПР 2026" in sent[-1]["caption"]

        # the school's curator from /status
        status = (await env.say(region.curator, "/status"))[0]
        assert FILES_BUTTON in buttons(status)
        files = (await press(env, region.curator, FILES_BUTTON))[-1]
        assert "Казанская СОШ — Справка ВПР 2026.pdf (3 КБ)" in files["text"]
        sent = await press(env, region.curator, "📎 Казанская СОШ")
        assert sent[-1]["document"]["file_name"] == "Справка ВПР 2026.pdf"

        # another school's curator, the city's coordinator and the city's principal may not
        opened = next(data for text, data in buttons(card).items() if text.startswith("📎"))
        submission_id = DocumentCallback.unpack(opened).submission_id
        for outsider in (region.city_curator, region.city_coordinator, region.city_principal):
            assert REFUSED in await forge(env, outsider, opened), outsider
        other_status = (await env.say(region.city_curator, "/status"))[0]
        assert not any(b.startswith("📎") for b in buttons(other_status))
        campaign = await env.repo.submissions.find_campaign(2026, "assessment:vpr")
        assert campaign is not None
        await forge(env, region.city_curator, FilesCallback(campaign_id=campaign.id).pack())

        async def listed() -> dict | None:
            latest = (await env.visible(region.city_curator))[-1]
            return latest if "Присланные файлы" in latest["text"] else None

        listed_files = await env.client.wait_for(listed, timeout=10)
        assert "Казанская" not in listed_files["text"]
        assert "Ни одна из ваших школ ещё не прислала файл." in listed_files["text"]
        # a file that does not exist for that report
        missing = DocumentCallback(submission_id=submission_id, indicator=3).pack()
        assert REFUSED in await forge(env, region.coordinator, missing)
