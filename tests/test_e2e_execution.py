"""Roadmap actions carried out, through the sandbox: requests when a period ends, answers
with evidence, a new period or a reason, each school its own part, the coordinators'
progress and report, /calendar's marks, forged buttons, a restart."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

from bot.callbacks import ExecutionCallback
from scheduler.reminders import ReminderScheduler
from storage.models import Role
from tests.harness import (
    BOT_USERNAME,
    BotEnv,
    ShiftedClock,
    bot_under_test,
    buttons,
    callback_answer,
    forge,
    press,
)

# 09:00 in Moscow on Tuesday 31 March 2026: the last day of March, requests go at 10:00
MARCH_31_MORNING = datetime(2026, 3, 31, 6, 0, tzinfo=UTC)
MARCH_31_TEN = datetime(2026, 3, 31, 7, 0, 1, tzinfo=UTC)
PDF = b"%PDF-1.4\n% a school's order\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


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


REFUSED = "больше не действует или вам недоступна"


async def event_ids(env: BotEnv) -> dict[str, int]:
    return {event.number: event.id for event in await env.repo.calendar.events()}


async def test_forged_buttons_are_refused_and_change_nothing(tmp_path: Path) -> None:
    clock = ShiftedClock(MARCH_31_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        place = await region(env, clock)
        await requests_at_ten(env, place)
        ids = await event_ids(env)
        kazan, _, sosnovka = place.schools
        point = date(2026, 3, 31).toordinal()

        def data(action: str, **fields: int) -> str:
            return ExecutionCallback(action=action, **fields).pack()

        forged = [
            # another school's part, and an action that is not for schools
            data("done", event_id=ids["1.1"], school_id=kazan, point=point),
            data("fail", event_id=ids["1.2"], school_id=sosnovka, point=point),
            # a point the action does not have; an action that does not exist; a huge id
            data("done", event_id=ids["1.1"], school_id=sosnovka, point=point - 10),
            data("move", event_id=999, school_id=sosnovka, point=point),
            data("done", event_id=2**40, school_id=sosnovka, point=point),
            # the district's part, and the coordinators' screens
            data("done", event_id=ids["1.2"], muni=1, point=point),
            data("act", event_id=ids["1.1"]),
            data("rm", roadmap_id=1),
            data("xlsx", roadmap_id=1),
            data("ask", event_id=ids["1.1"]),
            data("points", event_id=ids["1.1"]),
        ]
        for forgery in forged:
            assert REFUSED in await forge(env, place.vera, forgery), forgery
        # nothing of it opened a step: a text now is not taken as evidence or a reason
        await env.say(place.vera, "приказ № 1 от 01.03.2026")
        assert await env.repo.execution.confirmations() == []

        # the district's coordinator may not answer for another district, nor open a
        # municipal coordinator's «ask again» on the region's roadmap
        assert REFUSED in await forge(
            env, place.municipal, data("done", event_id=ids["1.2"], muni=2, point=point)
        )
        assert REFUSED in await forge(env, place.municipal, data("ask", event_id=ids["1.1"]))

        # a file of one school is not sent to another
        await press(env, place.anna, "✅ Выполнено")
        await send_file(env, place.anna, "Приказ.pdf", PDF, "")
        (answer,) = await env.repo.execution.confirmations()
        assert REFUSED in await forge(env, place.vera, data("file", item=answer.id))
        assert "document" not in (await env.visible(place.vera))[-1]
        # the coordinator's «ask again» reaches those who have not answered, once a day
        await env.say(place.coordinator, "/progress")
        await press(env, place.coordinator, await like(env, place.coordinator, "📊"))
        await press(env, place.coordinator, await like(env, place.coordinator, "1.1. Разраб"))
        update = await env.client.press(
            place.coordinator, button_text="🔔 Напомнить тем, кто не ответил"
        )
        said = await env.client.wait_for(
            lambda: callback_answer(env, update["callback_query_id"]), timeout=10
        )
        assert "2 запроса" in said["text"]
        await settled(env)
        assert len(requests_in(await env.visible(place.boris))) == 2
        assert len(requests_in(await env.visible(place.anna))) == 1


async def test_a_restart_keeps_answers_and_steps_and_asks_nobody_twice(tmp_path: Path) -> None:
    clock = ShiftedClock(MARCH_31_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        place = await region(env, clock)
        await requests_at_ten(env, place)
        await press(env, place.anna, "✅ Выполнено")  # the step: waiting for the evidence
        await press(env, place.boris, "📅 Перенести")
        await env.say(place.boris, "до 15 апреля")
        await press(env, place.boris, "Без комментария")

        await env.restart()
        (saved,) = await env.say(place.anna, "приказ № 45 от 20.03.2026")
        assert "Подтверждение: «приказ № 45 от 20.03.2026»" in saved["text"]
        assert env.app is not None
        reminders: ReminderScheduler = env.app.dp["reminders"]
        assert "confirm:2026-03-31@10" not in await reminders.run_due()
        await settled(env)
        for user in (place.anna, place.boris, place.vera, place.municipal):
            assert len(requests_in(await env.visible(user))) == 1, user

        # three days before the new period ends — a Sunday, so the Friday before — a word
        clock.jump(datetime(2026, 4, 10, 7, 0, 1, tzinfo=UTC))
        assert "confirm:2026-04-10@10" in await reminders.run_due()
        await settled(env)
        (soon,) = [m for m in await env.visible(place.boris) if "⏰" in (m.get("text") or "")]
        assert "Новый срок мероприятия «1.1. Разработка" in soon["text"]
        assert "заканчивается 15 апреля 2026" in soon["text"]

        # the new period ends: Борис alone is asked again, once, even across a restart
        clock.jump(datetime(2026, 4, 15, 7, 0, 1, tzinfo=UTC))
        await env.restart()
        reminders = env.app.dp["reminders"]
        await reminders.run_due()
        await settled(env)
        await reminders.run_due()
        await settled(env)
        again = requests_in(await env.visible(place.boris))
        assert len(again) == 2
        assert "новый срок — до 15 апреля 2026, и он подходит к концу" in again[-1]["text"]
        for user in (place.anna, place.vera, place.municipal):
            assert len(requests_in(await env.visible(user))) == 1, user
        # /cancel leaves a step without marking anything; a photo is evidence too
        await press(env, place.vera, "❌ Не выполнено")
        await env.say(place.vera, "/cancel")
        await env.say(place.vera, "нет педагога-психолога")  # no longer a reason
        assert {a.school_id for a in await env.repo.execution.confirmations()} == {
            place.schools[0],
            place.schools[1],
        }
        await press(env, place.vera, "✅ Выполнено")
        before = len(await env.visible(place.vera))
        await env.client.send_photo(place.vera, PNG, caption="протокол педсовета")
        (photo,) = (await env.client.wait_for_messages(place.vera, before + 1))[before:]
        assert "Подтверждение: файл «фото»" in photo["text"]
        assert "Комментарий: протокол педсовета" in photo["text"]

        # the roadmap imported again: every answer stays with its action
        await upload_roadmap(env, place.coordinator)
        marks = {(a.school_id, a.status) for a in await env.repo.execution.confirmations()}
        assert marks == {
            (place.schools[0], "done"),
            (place.schools[1], "postponed"),
            (place.schools[2], "done"),
        }
        ids = await event_ids(env)
        assert {a.event_id for a in await env.repo.execution.confirmations()} == {ids["1.1"]}
        (overview,) = await env.say(place.coordinator, "/progress")
        assert "исполнено 0 из 3, просрочено 1, перенесено 1" in overview["text"]
        # a request sent before the import still answers for its action
        await press(env, place.municipal, "✅ Выполнено")
        (meeting,) = await env.say(place.municipal, "протокол № 3 от 30.03.2026")
        assert "Записано для «1.2. Совещание с руководителями ОО»" in meeting["text"]
        (answer,) = [a for a in await env.repo.execution.confirmations() if a.municipality]
        assert answer.event_id == ids["1.2"]


async def test_without_a_district_coordinator_the_region_answers_for_the_district(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(MARCH_31_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        place = await region(env, clock, municipal=False)
        await env.say(place.coordinator, "/lang")
        await press(env, place.coordinator, "🇬🇧 English")  # the request in their language
        await requests_at_ten(env, place)
        (meeting,) = [
            m for m in await env.visible(place.coordinator) if "please confirm" in m["text"]
        ]
        assert "1.2. Совещание с руководителями ОО" in meeting["text"]
        assert "Your part: Ливенский район" in meeting["text"]
        assert set(buttons(meeting)) == {"✅ Done", "📅 Postpone", "❌ Not done"}
        await press(env, place.coordinator, "✅ Done")
        (saved,) = await env.say(place.coordinator, "протокол № 3 от 30.03.2026")
        assert "(Ливенский район)" in saved["text"] and "✅ done" in saved["text"]
        (overview,) = await env.say(place.coordinator, "/progress")
        assert "done 1 of 3" in overview["text"]


async def test_calendar_answers_the_digest_names_the_overdue_and_reporting_points_ask(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(MARCH_31_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        place = await region(env, clock)
        await requests_at_ten(env, place)

        # a principal answers from the action's details in /calendar
        await env.say(place.anna, "/calendar")
        details = (await press(env, place.anna, await like(env, place.anna, "Разработка")))[-1]
        assert "Ваша часть (Казанская СОШ): ⏳ ждёт подтверждения" in details["text"]
        assert "окончание срока — 31 марта 2026" in details["text"]
        assert set(buttons(details)) >= {"✅ Выполнено", "📅 Перенести", "❌ Не выполнено"}
        await press(env, place.anna, "✅ Выполнено")
        (saved,) = await env.say(place.anna, "https://kazan.example.ru/prikaz.pdf")
        assert "(Казанская СОШ)" in saved["text"]

        # Monday 6 April: the coordinators' digest names what is overdue, unconfirmed
        clock.jump(datetime(2026, 4, 6, 7, 0, 1, tzinfo=UTC))
        assert "execution-digest:2026-04-06@10" in await place.reminders.run_due()
        await settled(env)
        # (the regional body's action is the region's to oversee, not the district's)
        for user, total in ((place.coordinator, 3), (place.municipal, 2)):
            digest = (await env.visible(user))[-1]
            assert "срок прошёл, исполнение не подтверждено" in digest["text"]
            assert f"исполнено 0 из {total}, просрочено 2" in digest["text"]
            assert "⚠️ 1.1. Разработка" in digest["text"]
            assert "не подтвердили 2 части из 3" in digest["text"]
            assert "⚠️ 1.2. Совещание" in digest["text"]
            assert "Мониторинг" not in digest["text"]  # not due before December
            assert "📊 Исполнение дорожной карты" in buttons(digest)
        assert not any(
            "исполнение не подтверждено" in (m.get("text") or "")
            for m in await env.visible(place.anna)
        )

        # a reporting point on the regional body's December action
        await env.say(place.coordinator, "/progress")
        await press(env, place.coordinator, await like(env, place.coordinator, "📊"))
        await press(env, place.coordinator, await like(env, place.coordinator, "1.3. Монитор"))
        ask = (await press(env, place.coordinator, "📍 Отчётные точки"))[-1]
        assert "Срок в документе: декабрь" in ask["text"] and "30.06.2026" in ask["text"]
        (points,) = await env.say(place.coordinator, "30.06.2026")
        assert (
            "Отчётные точки «1.3. Мониторинг реализации программ»: 30 июня 2026" in points["text"]
        )
        clock.jump(datetime(2026, 6, 30, 7, 0, 1, tzinfo=UTC))
        assert "confirm:2026-06-30@10" in await place.reminders.run_due()
        await settled(env)
        (request,) = requests_in(await env.visible(place.coordinator))
        assert "1.3. Мониторинг реализации программ" in request["text"]
        assert "Отчётная точка 30 июня 2026" in request["text"]
        assert "Ваша часть: мероприятие в целом" in request["text"]
        assert "аналитическая справка от 12.03.2026" in request["text"]
        assert requests_in(await env.visible(place.municipal))[-1]["text"].count("1.3.") == 0


def seed_001_book() -> bytes:
    """The Ливенский district's roadmap of seed 001 («План мероприятий управления
    образования («Дорожная карта») по поддержке ШНОР»), three of its rows as written."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["План мероприятий управления образования («Дорожная карта») по поддержке ШНОР"])
    sheet.append(["№ п/п", "Наименование показателей", "Сроки", "Ответственные", "Результат"])
    sheet.append(["1. Организационно - методические мероприятия"])
    sheet.append(
        [
            "1.1.",
            "Разработка муниципальных нормативно - правовых документов, регламентирующих "
            "реализацию мероприятий программы (положение, план мероприятий («Дорожная карта»)",
            "февраль - апрель 2023",
            "Управление образования",
            "Приказ «Об утверждении муниципальной программы помощи школам, демонстрирующим "
            "низкие образовательные результаты», разработка программы",
        ]
    )
    sheet.append(
        [
            "1.6.",
            "Корректировка планов реализации программы по итогам мониторинговых исследований "
            "качества образования",
            "2 раза в год (май, декабрь)",
            "Участники программы",
            "План реализации программы",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_seed_001s_district_roadmap_confirmed_by_its_schools(tmp_path: Path) -> None:
    # Wednesday 31 May 2023, 09:00 in Moscow: the May point of «2 раза в год (май, декабрь)»
    clock = ShiftedClock(datetime(2023, 5, 31, 6, 0, tzinfo=UTC))
    async with bot_under_test(tmp_path, clock=clock) as env:
        assert env.app is not None
        reminders: ReminderScheduler = env.app.dp["reminders"]
        schools = [
            await env.add_school(f"МБОУ «{name}»", short_name=name)
            for name in ("Казанская СОШ", "Речицкая СОШ", "Сосновская СОШ")
        ]
        anna, boris, vera = [
            await env.register(Role.PRINCIPAL, [school], first_name=name)
            for school, name in zip(schools, ("Анна", "Борис", "Вера"), strict=True)
        ]
        district = await env.register(
            Role.COORDINATOR, first_name="Пётр", municipalities=("Ливенский район",)
        )
        await env.say(district, "/roadmap")
        before = len(await env.visible(district))
        await env.client.upload_document(district, "дорожная карта.xlsx", seed_001_book())
        uploaded = await env.client.wait_for_messages(district, before + 2)
        # the document heads its actions «Наименование показателей»: still the actions
        assert "Дорожная карта загружена" in uploaded[-2]["text"]
        assert "(2023)" in uploaded[-2]["text"]

        clock.jump(datetime(2023, 5, 31, 7, 0, 1, tzinfo=UTC))
        assert "confirm:2023-05-31@10" in await reminders.run_due()
        await settled(env)
        for user, school in ((anna, "Казанская СОШ"), (vera, "Сосновская СОШ")):
            (request,) = requests_in(await env.visible(user))
            assert "1.6. Корректировка планов реализации программы" in request["text"]
            assert "Срок в документе: 2 раза в год (май, декабрь)" in request["text"]
            assert "Окончание срока — 31 мая 2023" in request["text"]
            assert f"Ваша часть: {school}" in request["text"]
        # «Управление образования»'s action ended in April, before the bot knew of it
        assert requests_in(await env.visible(district)) == []

        await press(env, anna, "✅ Выполнено")
        done = await send_file(env, anna, "План реализации.pdf", PDF, "")
        assert "Подтверждение: файл «План реализации.pdf»" in done["text"]
        await press(env, boris, "📅 Перенести")
        (moved,) = await env.say(boris, "до 15 июня")
        assert "новый срок — до 15 июня 2023" in moved["text"]
        await press(env, vera, "❌ Не выполнено")
        (failed,) = await env.say(vera, "результаты мониторинга ещё не пришли")
        assert "Причина: результаты мониторинга ещё не пришли" in failed["text"]

        (overview,) = await env.say(district, "/progress")
        assert (
            "(2023, Ливенский район): исполнено 0 из 2, просрочено 1, не выполнено 1"
            in (overview["text"])
        )
        await press(env, district, await like(env, district, "📊"))
        report = (await press(env, district, "📥 Отчёт в Excel"))[-1]
        book = load_workbook(io.BytesIO(await env.client.file(report["document"]["file_id"])))
        rows = list(book["Исполнение"].iter_rows(values_only=True))
        header = rows.index(next(r for r in rows if r[0] == "Дорожная карта"))
        table = [dict(zip(rows[header], row, strict=True)) for row in rows[header + 1 :]]
        may = {
            row["Исполнитель"]: row
            for row in table
            if row["№ п/п"] == "1.6." and row["Дата"] == datetime(2023, 5, 31)
        }
        assert may["Казанская СОШ"]["Статус"] == "выполнено"
        assert may["Казанская СОШ"]["Файл"] == "План реализации.pdf"
        assert may["Речицкая СОШ"]["Статус"] == "перенесено: новый срок — до 15 июня 2023"
        assert may["Сосновская СОШ"]["Комментарий или причина"] == (
            "результаты мониторинга ещё не пришли"
        )
        orders = [row for row in table if row["№ п/п"] == "1.1."]
        assert [(row["Исполнитель"], row["Статус"]) for row in orders] == [
            ("Ливенский район", "просрочено, не подтверждено")
        ]
        # December's point of the same action is still to come
        december = [row for row in table if row["№ п/п"] == "1.6." and row["Дата"].month == 12]
        assert {row["Статус"] for row in december} == {"срок не наступил"}


async def test_a_deputy_answers_for_the_school_and_the_report_names_them(tmp_path: Path) -> None:
    clock = ShiftedClock(MARCH_31_MORNING)
    async with bot_under_test(tmp_path, clock=clock) as env:
        place = await region(env, clock)
        deputy = await env.register(
            Role.DEPUTY, [place.schools[0]], first_name="Галина", last_name="Петрова"
        )
        await requests_at_ten(env, place)
        # «ответственный от ОО»: the principal and the deputy are both asked, either answers
        assert len(requests_in(await env.visible(place.anna))) == 1
        (request,) = requests_in(await env.visible(deputy))
        assert "Ваша часть: Казанская СОШ" in request["text"]
        await press(env, deputy, "✅ Выполнено")
        (saved,) = await env.say(deputy, "приказ № 45 от 20.03.2026")
        assert "(Казанская СОШ)" in saved["text"]
        await env.say(place.coordinator, "/progress")
        await press(env, place.coordinator, await like(env, place.coordinator, "📊"))
        action = (
            await press(env, place.coordinator, await like(env, place.coordinator, "1.1. Разраб"))
        )[-1]
        assert (
            "Казанская СОШ: ✅ выполнено · 31 марта 2026, 10:00 · Петрова Галина"
            in (action["text"])
        )
