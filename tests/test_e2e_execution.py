"""Roadmap actions carried out, through the sandbox: requests when a period ends, answers
with evidence, a new period or a reason, each school its own part, the coordinators'
progress and report, /calendar's marks, forged buttons, a restart."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

from scheduler.reminders import ReminderScheduler
from storage.models import Role
from tests.harness import BOT_USERNAME, BotEnv, ShiftedClock, bot_under_test, buttons, press

# 09:00 in Moscow on Tuesday 31 March 2026: the last day of March, requests go at 10:00
MARCH_31_MORNING = datetime(2026, 3, 31, 6, 0, tzinfo=UTC)
MARCH_31_TEN = datetime(2026, 3, 31, 7, 0, 1, tzinfo=UTC)
PDF = b"%PDF-1.4\n% a school's order\n%%EOF\n"


def roadmap_book() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "План"
    sheet.append(["Дорожная карта сопровождения школ на 2026 год"])
    sheet.append(["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"])
    sheet.append(["1. Организационное сопровождение"])
    sheet.merge_cells("A3:E3")
    sheet.append(
        [
            "1.1",
            "Разработка и утверждение программы перехода школы в эффективный режим",
            "март",
            "ОО",
            "Приказ об утверждении программы",
        ]
    )
    sheet.append(["1.2", "Совещание с руководителями ОО", "март", "РОО", "Протокол совещания"])
    sheet.append(
        ["1.3", "Мониторинг реализации программ", "декабрь", "ИРО", "Аналитическая справка"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def settled(env: BotEnv, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        counts = await env.repo.outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the outbox did not settle: {await env.repo.outbox.counts()}")


async def upload_roadmap(env: BotEnv, coordinator: int) -> list[dict]:
    await env.say(coordinator, "/roadmap")
    before = len(await env.visible(coordinator))
    await env.client.upload_document(coordinator, "дорожная карта.xlsx", roadmap_book())
    return await env.client.wait_for_messages(coordinator, before + 2)


async def like(env: BotEnv, user: int, fragment: str) -> str:
    """The text of the latest button containing ``fragment``."""
    for message in reversed(await env.visible(user)):
        for text in buttons(message):
            if fragment in text:
                return text
    raise AssertionError(f"no button with {fragment!r}")


async def send_file(env: BotEnv, user: int, name: str, content: bytes, caption: str) -> dict:
    before = len(await env.visible(user))
    await env.client.upload_document(user, name, content, caption=caption)
    return (await env.client.wait_for_messages(user, before + 1))[-1]


@dataclass
class Region:
    clock: ShiftedClock
    reminders: ReminderScheduler
    schools: list[int]
    anna: int  # principal of Казанская СОШ
    boris: int  # Речицкая СОШ
    vera: int  # Сосновская СОШ
    coordinator: int  # regional
    municipal: int  # Ливенский район


async def region(env: BotEnv, clock: ShiftedClock, *, municipal: bool = True) -> Region:
    """Three schools of one district with their principals, a regional coordinator (who
    uploads the roadmap in chat) and the district's coordinator."""
    assert env.app is not None
    schools = [
        await env.add_school(f"МБОУ «{name}»", short_name=name)
        for name in ("Казанская СОШ", "Речицкая СОШ", "Сосновская СОШ")
    ]
    principals = [
        await env.register(Role.PRINCIPAL, [school], first_name=name)
        for school, name in zip(schools, ("Анна", "Борис", "Вера"), strict=True)
    ]
    coordinator = await env.register(Role.COORDINATOR, first_name="Ольга")
    district = (
        await env.register(Role.COORDINATOR, first_name="Пётр", municipalities=("Ливенский район",))
        if municipal
        else 0
    )
    uploaded = await upload_roadmap(env, coordinator)
    assert "Дорожная карта загружена" in uploaded[-2]["text"]
    return Region(clock, env.app.dp["reminders"], schools, *principals, coordinator, district)


async def requests_at_ten(env: BotEnv, place: Region) -> list[str]:
    """Run the jobs due at 10:00 on 31 March; return the jobs that ran."""
    assert await place.reminders.run_due() == []  # 09:00: nothing yet
    place.clock.jump(MARCH_31_TEN)
    ran = await place.reminders.run_due()
    await settled(env)
    return ran


REQUEST = "Мероприятие дорожной карты: подтвердите, пожалуйста, исполнение"


def requests_in(messages: list[dict]) -> list[dict]:
    return [m for m in messages if REQUEST in (m.get("text") or "")]


async def test_schools_confirm_their_parts_and_the_coordinator_reads_it_back(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(MARCH_31_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        place = await region(env, clock)
        assert "confirm:2026-03-31@10" in await requests_at_ten(env, place)

        # each school is asked about its own part; the district about the meeting
        for user, school in ((place.anna, "Казанская СОШ"), (place.boris, "Речицкая СОШ")):
            (request,) = requests_in(await env.visible(user))
            assert "1.1. Разработка и утверждение программы" in request["text"]
            assert f"Ваша часть: {school}" in request["text"]
            assert "Срок в документе: март" in request["text"]
            assert "Окончание срока — 31 марта 2026" in request["text"]
            assert "Ожидаемый результат: Приказ об утверждении программы" in request["text"]
            assert set(buttons(request)) == {"✅ Выполнено", "📅 Перенести", "❌ Не выполнено"}
        (meeting,) = requests_in(await env.visible(place.municipal))
        assert "1.2. Совещание с руководителями ОО" in meeting["text"]
        assert "Ваша часть: Ливенский район" in meeting["text"]
        assert "протокол № 3" in meeting["text"]  # the example fits «Протокол совещания»
        # the regional body's action ends in December: nobody is asked yet
        assert requests_in(await env.visible(place.coordinator)) == []

        # «Выполнено» with a PDF: the file is said back by name, its caption as a comment
        asked = (await press(env, place.anna, "✅ Выполнено"))[-1]
        assert "Ваша часть: Казанская СОШ" in asked["text"]
        assert "Ожидаемый результат по дорожной карте: Приказ" in asked["text"]
        saved = await send_file(env, place.anna, "Приказ № 45.pdf", PDF, "утверждён 20.03")
        assert "Записано для «1.1. Разработка" in saved["text"]
        assert "(Казанская СОШ)" in saved["text"]
        assert "✅ выполнено · 31 марта 2026, 10:00" in saved["text"]
        assert "Подтверждение: файл «Приказ № 45.pdf»" in saved["text"]
        assert "Комментарий: утверждён 20.03" in saved["text"]

        # «Перенести»: an unreadable period is explained, the new one said back, a reason
        await press(env, place.boris, "📅 Перенести")
        (wrong,) = await env.say(place.boris, "когда-нибудь")
        assert "⚠️" in wrong["text"] and "«когда-нибудь»" in wrong["text"]
        (moved,) = await env.say(place.boris, "до 15 апреля")
        assert "перенесено, новый срок — до 15 апреля 2026" in moved["text"]
        assert "Бот спросит снова 15 апреля 2026" in moved["text"]
        assert "Без комментария" in buttons(moved)
        (reason,) = await env.say(place.boris, "не успели согласовать с учредителем")
        assert "Причина записана: «не успели согласовать с учредителем»" in reason["text"]

        # «Не выполнено»: a bare «да» is not a reason
        await press(env, place.vera, "❌ Не выполнено")
        (bare,) = await env.say(place.vera, "да")
        assert "⚠️" in bare["text"]
        (failed,) = await env.say(place.vera, "нет педагога-психолога, программа не написана")
        assert "❌ не выполнено · 31 марта 2026, 10:00" in failed["text"]
        assert "Причина: нет педагога-психолога" in failed["text"]

        # the district confirms with a sentence and a link, kept apart
        await press(env, place.municipal, "✅ Выполнено")
        (link,) = await env.say(
            place.municipal, "Протокол № 3 от 30.03.2026 rono.example.ru/p3.pdf"
        )
        assert "https://rono.example.ru/p3.pdf" in link["text"]
        assert "«Протокол № 3 от 30.03.2026»" in link["text"]

        # the coordinator's progress: per roadmap, per action (which schools), the file
        (overview,) = await env.say(place.coordinator, "/progress")
        assert "исполнено 1 из 3, не выполнено 1" in overview["text"]
        roadmap = (await press(env, place.coordinator, await like(env, place.coordinator, "📊")))[
            -1
        ]
        assert "❌ 1.1. Разработка и утверждение программы" in roadmap["text"]
        assert "· 1/3" in roadmap["text"]
        assert "✅ 1.2. Совещание с руководителями ОО" in roadmap["text"]
        assert "🕓 1.3. Мониторинг" in roadmap["text"]
        action = (
            await press(env, place.coordinator, await like(env, place.coordinator, "1.1. Разраб"))
        )[-1]
        text = action["text"]
        assert "1 из 3 частей выполнена" in text
        assert "Казанская СОШ: ✅ выполнено · 31 марта 2026, 10:00 · Иванова Анна" in text
        assert "Речицкая СОШ: ↪️ перенесено: новый срок — до 15 апреля 2026" in text
        assert "Причина: не успели согласовать с учредителем" in text
        assert "Сосновская СОШ: ❌ не выполнено" in text
        sent = (await press(env, place.coordinator, "📎 Казанская СОШ"))[-1]
        assert sent["document"]["file_name"] == "Приказ № 45.pdf"
        assert "Казанская СОШ" in sent["caption"]
        assert await env.client.file(sent["document"]["file_id"]) == PDF

        # /calendar marks the actions: the coordinator the whole, a principal their part
        (calendar,) = await env.say(place.coordinator, "/calendar")
        lines = calendar["text"].splitlines()
        assert any("Разработка" in line and "❌ не выполнено" in line for line in lines)
        assert any("Совещание" in line and "✅ выполнено" in line for line in lines)
        (own,) = await env.say(place.anna, "/calendar")
        assert any(
            "Разработка" in line and "✅ выполнено" in line for line in own["text"].splitlines()
        )

        # the Excel report, from the roadmap's screen
        await env.say(place.coordinator, "/progress")
        await press(env, place.coordinator, await like(env, place.coordinator, "📊"))
        report = (await press(env, place.coordinator, "📥 Отчёт в Excel"))[-1]
        assert report["document"]["file_name"].endswith(".xlsx")
        book = load_workbook(io.BytesIO(await env.client.file(report["document"]["file_id"])))
        assert book.sheetnames == ["Исполнение", "Итоги", "История"]
        sheet = book["Исполнение"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows.index(next(r for r in rows if r[0] == "Дорожная карта"))
        table = [dict(zip(rows[header], row, strict=True)) for row in rows[header + 1 :]]
        by_part = {(row["№ п/п"], row["Исполнитель"]): row for row in table}
        kazan = by_part[("1.1", "Казанская СОШ")]
        assert kazan["Статус"] == "выполнено" and kazan["Кто отметил"] == "Иванова Анна"
        assert kazan["Файл"] == "Приказ № 45.pdf"
        assert kazan["Комментарий или причина"] == "утверждён 20.03"
        assert kazan["Дата"] == datetime(2026, 3, 31)
        moved_row = by_part[("1.1", "Речицкая СОШ")]
        assert moved_row["Статус"] == "перенесено: новый срок — до 15 апреля 2026"
        assert by_part[("1.1", "Сосновская СОШ")]["Статус"] == "не выполнено"
        district = by_part[("1.2", "Ливенский район")]
        assert district["Ссылка"] == "https://rono.example.ru/p3.pdf"
        assert district["Подтверждение (текст)"] == "Протокол № 3 от 30.03.2026"
        assert by_part[("1.3", "мероприятие в целом")]["Статус"] == "срок не наступил"
        # the file's name is a link that makes the bot send it to whom may see it
        file_cell = next(
            c for row in sheet.iter_rows() for c in row if c.value == "Приказ № 45.pdf"
        )
        assert file_cell.hyperlink is not None
        target = file_cell.hyperlink.target
        assert target.startswith(f"https://t.me/{BOT_USERNAME}?start=file-")
        start = "/start " + target.split("?start=")[1]
        (again,) = await env.say(place.coordinator, start)
        assert again["document"]["file_name"] == "Приказ № 45.pdf"
        (refused,) = await env.say(place.vera, start)  # another school's file
        assert "недоступен" in refused["text"] and "document" not in refused
        totals = list(book["Итоги"].iter_rows(values_only=True))
        assert totals[1][:5] == ("Дорожная карта сопровождения школ на 2026 год", 3, 1, 0, 1)
        assert len(list(book["История"].iter_rows())) == 5  # a header and four answers
