"""The calendar, reminder preferences and the roadmap upload, through the sandbox."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from bot.callbacks import CalendarCallback, RoadmapCallback
from storage.calendar import NewEvent
from storage.models import Audience, Role
from tests.harness import SEPTEMBER, BotEnv, bot_under_test, buttons, forge, press

REFUSED = "больше не действует или вам недоступна"


def button_like(message: dict, fragment: str) -> str:
    return next(text for text in buttons(message) if fragment in text)


async def add_roadmap(env: BotEnv) -> dict[str, int]:
    events = [
        NewEvent(
            row_no=5,
            title="Семинар для руководителей ОО",
            period_text="сентябрь",
            kind="range",
            occurrences=[(date(2026, 9, 25), date(2026, 9, 25))],
            section="Методическое сопровождение",
            responsible="Руководители ОО",
            roles=(Audience.PRINCIPALS,),
            result="Проведён семинар",
        ),
        NewEvent(
            row_no=6,
            title="Вебинар для директоров",
            period_text="ноябрь",
            kind="range",
            occurrences=[(date(2026, 11, 5), date(2026, 11, 5))],
            responsible="ИРО, руководители ОО",
            roles=(Audience.PRINCIPALS, Audience.REGIONAL),
            result="Участие 90 % школ",
        ),
        NewEvent(
            row_no=7,
            title="Совещание координаторов",
            period_text="сентябрь",
            kind="range",
            occurrences=[(date(2026, 9, 28), date(2026, 9, 28))],
            responsible="Управление образования",
            roles=(Audience.MUNICIPAL,),
        ),
    ]
    await env.repo.calendar.save_roadmap(
        "План-график 2026", date(2026, 1, 1), date(2026, 12, 31), events
    )
    return {event.title: event.id for event in await env.repo.calendar.events()}


async def test_a_principal_sees_the_calendar_and_keeps_reminder_choices(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»", short_name="Казанская СОШ")
        user = await env.register(Role.PRINCIPAL, [school])
        ids = await add_roadmap(env)

        upcoming = (await env.say(user, "/calendar"))[0]
        text = upcoming["text"]
        assert "Ближайшие события" in text
        assert "Показатели за 2025/26 уч. г. — до 1 октября 2026 включительно" in text
        assert "⏳ не представлено" in text
        assert "Семинар для руководителей ОО" in text and "25 сентября 2026" in text
        assert "Вебинар" not in text  # 5 November: outside the next 30 days
        assert "Совещание координаторов" not in text  # not for principals
        assert text.index("25 сентября") < text.index("1 октября")

        month = (await press(env, user, "📅 Этот месяц"))[-1]
        assert "Календарь: Сентябрь 2026" in month["text"]
        assert "Семинар для руководителей ОО" in month["text"]
        october = (await press(env, user, "Октябрь 2026 ▶️"))[-1]
        assert "до 1 октября 2026 включительно" in october["text"]
        assert "Семинар" not in october["text"]
        november = (await press(env, user, "Ноябрь 2026 ▶️"))[-1]
        assert "Вебинар для директоров" in november["text"]
        details = (await press(env, user, button_like(november, "Вебинар")))[-1]
        assert "<b>Вебинар для директоров</b>" in details["text"] or "Вебинар" in details["text"]
        assert "Срок в документе: ноябрь" in details["text"]
        assert "5 ноября 2026" in details["text"]
        assert "Ответственные: ИРО, руководители ОО" in details["text"]
        assert "Ожидаемый результат: Участие 90 % школ" in details["text"]
        assert "План-график 2026" in details["text"]

        hidden = CalendarCallback(action="event", event_id=ids["Совещание координаторов"])
        assert REFUSED in await forge(env, user, hidden.pack())
        missing = CalendarCallback(action="event", event_id=999)
        assert REFUSED in await forge(env, user, missing.pack())

        prefs = (await env.say(user, "/reminders"))[0]
        assert "🔔 мероприятия дорожной карты" in prefs["text"]
        assert "10:00" in prefs["text"] and "21:00–09:00" in prefs["text"]
        muted = (await press(env, user, button_like(prefs, "Выключить: мероприятия")))[-1]
        assert "✅ Выключено: мероприятия дорожной карты" in muted["text"]
        assert "🔕 мероприятия дорожной карты" in muted["text"]
        hours = (await press(env, user, "🕙 Изменить время"))[-1]
        assert "22:00" not in buttons(hours) and "03:00" not in buttons(hours)
        chosen = (await press(env, user, "14:00"))[-1]
        assert "в 14:00" in chosen["text"]

        await env.restart()
        again = (await env.say(user, "/reminders"))[0]
        assert "🔕 мероприятия дорожной карты" in again["text"]
        assert "🔔 перед сроками представления показателей" in again["text"]
        assert "14:00 (выбрано вами)" in again["text"]
        back = (await press(env, user, button_like(again, "Вернуть обычное время")))[-1]
        assert "10:00 (обычное время программы)" in back["text"]


def roadmap_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "План"
    sheet.append(["Дорожная карта сопровождения школ на 2026 год"])
    sheet.append([])
    sheet.append(["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Ожидаемый результат"])
    sheet.append(["1. Методическое сопровождение"])
    sheet.merge_cells("A4:E4")
    sheet.append(["1.1", "Семинар для руководителей ОО", "октябрь", "Руководители ОО", "Семинар"])
    sheet.append(["1.2", "Круглый стол", "по отдельному графику", "Координатор", "Резолюция"])
    sheet.append(["1.3", "Совещание кураторов", "когда-нибудь потом", "Кураторы", "Протокол"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_a_coordinator_uploads_a_roadmap_and_sets_unreadable_dates(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»", short_name="Казанская СОШ")
        coordinator = await env.register(Role.COORDINATOR)
        principal = await env.register(Role.PRINCIPAL, [school], first_name="Олег")

        empty = (await env.say(coordinator, "/calendar"))[0]
        assert "/roadmap" in empty["text"]  # how to get actions into the calendar

        overview = (await env.say(coordinator, "/roadmap"))[0]
        assert "ещё не загружены" in overview["text"] and ".xlsx" in overview["text"]

        async def upload(name: str, content: bytes) -> str:
            before = len(await env.visible(coordinator))
            await env.client.upload_document(coordinator, name, content)
            messages = await env.client.wait_for_messages(coordinator, before + 1)
            return messages[-1]["text"]

        refused = await upload("план.docx", b"not a workbook")
        assert "не файл Excel" in refused and ".xlsx" in refused
        broken = await upload("план.xlsx", b"PK broken")
        assert "⚠️" in broken and ".xlsx" in broken
        assert await env.repo.calendar.roadmaps() == []

        before = len(await env.visible(coordinator))
        await env.client.upload_document(coordinator, "дорожная карта.xlsx", roadmap_workbook())
        messages = await env.client.wait_for_messages(coordinator, before + 2)
        summary, unreadable = messages[-2], messages[-1]
        assert "Дорожная карта загружена" in summary["text"]
        assert "3 мероприятия" in summary["text"] and "1 раздел" in summary["text"]
        assert "не удалось прочитать 1" in summary["text"]
        # «Координатор» alone may be either level: shown, not guessed
        assert "Строка 6: Круглый стол — «Координатор»; других ответственных нет" in summary["text"]
        assert "Строка 7: Совещание кураторов" in unreadable["text"]
        assert "когда-нибудь" in unreadable["text"]

        # a principal can neither open the roadmap nor use its buttons
        refusal = (await env.say(principal, "/roadmap"))[0]
        assert "координатор" in refusal["text"]
        event = (await env.repo.calendar.unreadable())[0]
        forged = RoadmapCallback(action="dates", event_id=event.id).pack()
        assert REFUSED in await forge(env, principal, forged)
        assert await env.repo.calendar.unreadable() == [event]

        ask = (await press(env, coordinator, "📅 Указать даты: строка 7"))[-1]
        assert "Совещание кураторов" in ask["text"] and "15.03.2026" in ask["text"]
        wrong = (await env.say(coordinator, "послезавтра"))[0]
        assert "⚠️" in wrong["text"] and "ещё раз" in wrong["text"]
        saved = await env.say(coordinator, "01.10.2026", expect=2)
        assert "✅ Сохранено: «Совещание кураторов» — 1 октября 2026" in saved[0]["text"]
        assert "у всех строк" in saved[1]["text"]
        assert await env.repo.calendar.unreadable() == []

        calendar = (await env.say(coordinator, "/calendar"))[0]
        assert "Совещание кураторов" in calendar["text"]
        assert "Семинар для руководителей ОО" in calendar["text"]  # October, within 30 days
        assert "Круглый стол" not in calendar["text"]  # no fixed date
        assert "не представила 1 школа из 1" in calendar["text"]
        principal_view = (await env.say(principal, "/calendar"))[0]
        assert "Семинар для руководителей ОО" in principal_view["text"]
        assert "Совещание кураторов" not in principal_view["text"]


async def test_a_coordinator_whose_role_is_withdrawn_mid_upload_is_refused(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        coordinator = await env.register(Role.COORDINATOR)
        overview = (await env.say(coordinator, "/roadmap"))[0]
        assert ".xlsx" in overview["text"]  # the bot now waits for a file
        person = await env.repo.people.by_telegram_id(coordinator)
        assert person is not None
        await env.repo.db.execute("DELETE FROM role_grants WHERE person_id = ?", (person.id,))

        before = len(await env.visible(coordinator))
        await env.client.upload_document(coordinator, "план.xlsx", roadmap_workbook())
        messages = await env.client.wait_for_messages(coordinator, before + 1)
        assert "координатор" in messages[-1]["text"]
        assert await env.repo.calendar.roadmaps() == []
        # the upload step is over: a plain text is no longer taken as waiting for a file
        (reply,) = await env.say(coordinator, "привет")
        assert ".xlsx" not in reply["text"]
