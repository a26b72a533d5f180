"""Consultations end to end through the sandbox: a curator publishes time typed in
Russian, principals book it (the confirmation carries an .ics file), cancel and move;
the curator books a school directly and the school declines; marks held or missed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.consultations import Status
from storage.models import Role
from tests.harness import (
    BotEnv,
    ShiftedClock,
    answer,
    bot_under_test,
    buttons,
    callback_answer,
    press,
)
from tests.test_consultation_ics import parse, parse_local, to_utc

MOSCOW = ZoneInfo("Europe/Moscow")
# Tuesday 1 December 2026, 09:00 in Moscow
DECEMBER = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
LINK = "https://telemost.yandex.ru/j/12345678"
PATTERN = "вт, чт 15:00–17:00 до 20 декабря"


class Region:
    """Two schools of the district: the curator's (Казанская) and another (Сосновская),
    a principal of each, and the curator."""

    def __init__(self, env: BotEnv) -> None:
        self.env = env

    async def build(self) -> Region:
        env = self.env
        self.school = await env.add_school("МБОУ «Казанская СОШ»", short_name="Казанская СОШ")
        self.other_school = await env.add_school(
            "МБОУ «Сосновская СОШ»", short_name="Сосновская СОШ"
        )
        self.curator = await env.register(
            Role.CURATOR, [self.school], first_name="Ольга", last_name="Селиванова"
        )
        self.principal = await env.register(
            Role.PRINCIPAL, [self.school], first_name="Елена", last_name="Бурцева"
        )
        self.other = await env.register(
            Role.PRINCIPAL, [self.other_school], first_name="Сергей", last_name="Мальцев"
        )
        return self


async def publish(env: BotEnv, curator: int, pattern: str = PATTERN) -> dict:
    """The curator publishes ``pattern`` online with a link; returns the bot's last answer."""
    await env.say(curator, "/consultations")
    await press(env, curator, "🕒 Опубликовать время")
    preview = await answer(env, curator, pattern)
    assert "Я понял так" in preview["text"], preview["text"]
    await press(env, curator, "💻 Онлайн: ссылка")
    await answer(env, curator, LINK)
    return (await press(env, curator, "✅ Опубликовать"))[-1]


async def alert(env: BotEnv, user: int, text: str) -> str:
    """Press the button ``text`` on the latest message that has it; the bot's answer to
    the press (a pop-up), when the screen does not change."""
    update = await env.client.press(user, button_text=text)
    found = await env.client.wait_for(
        lambda: callback_answer(env, update["callback_query_id"]), timeout=10
    )
    return str(found.get("text") or "")


async def forge(env: BotEnv, user: int, data: str) -> str:
    """Press a button the person was never shown; the text of the bot's answer to it."""
    latest = (await env.visible(user))[-1]
    update = await env.client.press(
        user, callback_data=data, message_id=latest["message_id"], force=True
    )
    found = await env.client.wait_for(
        lambda: callback_answer(env, update["callback_query_id"]), timeout=10
    )
    return str(found.get("text") or "")


async def outbox_settled(env: BotEnv) -> None:
    for _ in range(400):
        counts = await env.repo.outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(await env.repo.outbox.counts())


async def test_a_weekly_pattern_typed_in_russian_is_shown_then_published(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await env.say(region.curator, "/consultations")
        prompt = (await press(env, region.curator, "🕒 Опубликовать время"))[-1]
        assert "каждую среду с 10 до 12" in prompt["text"]
        assert "по московскому времени" in prompt["text"]
        preview = await answer(env, region.curator, PATTERN)
        text = preview["text"]
        assert "каждую неделю: вт, чт — 15:00–17:00" in text
        assert "Период: 1–20 декабря 2026" in text
        assert "6 окон, консультаций по 30 мин: 24" in text
        assert "онлайн, ссылка пока не указана" in text
        # nothing is saved before «Опубликовать», and not without a link
        assert await env.repo.consultations.hosts_offering(DECEMBER) == set()
        no_link = await alert(env, region.curator, "✅ Опубликовать")
        assert "ссылку" in no_link
        assert await env.repo.consultations.hosts_offering(DECEMBER) == set()
        await press(env, region.curator, "↔️ Перерыв: нет")
        with_break = (await press(env, region.curator, "10 мин"))[-1]
        assert "перерыв между консультациями: 10 мин" in with_break["text"]
        await press(env, region.curator, "💻 Онлайн: ссылка")
        refused = await answer(env, region.curator, "в зуме")
        assert "не похоже на ссылку" in refused["text"]
        again = await answer(env, region.curator, LINK)
        assert f"онлайн: {LINK}" in again["text"]
        done = (await press(env, region.curator, "✅ Опубликовать"))[-1]
        assert "Опубликовано: «вт, чт 15:00–17:00 до 20 декабря»" in done["text"]
        # 15:00, 15:40, 16:20 each afternoon with a 10-minute break: 18 in six windows
        assert "На это время можно записать 18 консультаций" in done["text"]
        person = await env.repo.people.by_telegram_id(region.curator)
        assert person is not None
        (publication,) = await env.repo.consultations.publications(person.id, since=DECEMBER)
        assert publication.buffer_min == 10 and publication.place == LINK


async def test_a_pattern_it_cannot_read_is_refused_with_an_example(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await env.say(region.curator, "/consultations")
        await press(env, region.curator, "🕒 Опубликовать время")
        refused = await answer(env, region.curator, "по понедельникам после обеда")
        assert "Не удалось понять слово «после»" in refused["text"]
        assert "например" in refused["text"] and "Ничего не сохранено" in refused["text"]
        no_hours = await answer(env, region.curator, "каждую среду")
        assert "Добавьте, пожалуйста, часы" in no_hours["text"] or "часы" in no_hours["text"]
        # the same step goes on: a good line is read
        preview = await answer(env, region.curator, "каждую среду с 10 до 12")
        assert "каждую неделю: ср — 10:00–12:00" in preview["text"]
        person = await env.repo.people.by_telegram_id(region.curator)
        assert person is not None
        assert await env.repo.consultations.publications(person.id, since=DECEMBER) == []


# --- booking ---------------------------------------------------------------------------


async def tap(env: BotEnv, user: int, data: str, *, seen_elsewhere: bool = False) -> list[dict]:
    """Press the button with callback data ``data`` on the latest message that has it
    (``seen_elsewhere``: the same button as another person was shown, pressed on this
    person's latest message); wait for a new or edited message."""

    def look(message: dict) -> tuple:
        return message.get("text") or message.get("caption"), str(message.get("reply_markup"))

    shown = await env.visible(user)
    before = {m["message_id"]: look(m) for m in shown}
    if seen_elsewhere:
        await env.client.press(
            user, callback_data=data, message_id=shown[-1]["message_id"], force=True
        )
    else:
        await env.client.press(user, callback_data=data)

    async def changed() -> list[dict] | None:
        now = await env.visible(user)
        fresh = [
            m for m in now if m["message_id"] not in before or before[m["message_id"]] != look(m)
        ]
        return fresh or None

    return await env.client.wait_for(changed, timeout=10)


def first_button(message: dict, prefix: str) -> tuple[str, str]:
    """The first button whose callback data starts with ``prefix``: (text, data)."""
    return next((t, d) for t, d in buttons(message).items() if d.startswith(prefix))


async def to_slot(
    env: BotEnv, user: int, curator_name: str = "Селиванова", day: int = 0
) -> tuple[str, str]:
    """A principal opens booking, picks the curator and a free day (``day``: 0 the first
    one shown); returns the first free time's (text, data)."""
    await env.say(user, "/consultations")
    hosts = (await press(env, user, "➕ Записаться на консультацию"))[-1]
    name = next(t for t in buttons(hosts) if curator_name in t)
    month = (await press(env, user, name))[-1]
    days = [d for d in buttons(month).values() if d.startswith("csl:day")]
    times = (await tap(env, user, days[day]))[-1]
    assert "свободное время" in times["text"]
    return first_button(times, "csl:slot")


async def book(env: BotEnv, user: int, topic: str = "Программа развития", day: int = 0) -> dict:
    """A principal books the curator's first free time (of the ``day``-th free day) with
    ``topic``; returns the confirmation (a document with its caption)."""
    _, slot = await to_slot(env, user, day=day)
    await tap(env, user, slot)
    confirmation = await answer(env, user, topic)
    await outbox_settled(env)  # the curator's notice has come too
    return confirmation


async def ics_of(env: BotEnv, message: dict) -> bytes:
    assert message["document"]["file_name"].endswith(".ics"), message
    return await env.client.file(message["document"]["file_id"])


async def test_a_principal_books_and_both_get_a_calendar_file(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        text, slot = await to_slot(env, region.principal)
        assert text == "15:00"  # the first free time: today, Tuesday, 15:00 Moscow time
        topic_screen = (await tap(env, region.principal, slot))[-1]
        assert "вт, 1 декабря 2026, 15:00 по московскому времени" in topic_screen["text"]
        confirmation = await answer(env, region.principal, "Программа развития")
        assert confirmation["caption"].startswith("✅ Вы записаны на консультацию.")
        assert "Тема: Программа развития" in confirmation["caption"]
        assert LINK in confirmation["caption"]
        # the .ics reads back: Moscow time with its zone, the link, the topic
        calendar = parse(await ics_of(env, confirmation))
        (timezone,) = calendar.child("VTIMEZONE")
        assert timezone.value("TZID") == "Europe/Moscow"
        (event,) = calendar.child("VEVENT")
        assert event.get("DTSTART").params == {"TZID": "Europe/Moscow"}
        assert event.value("DTSTART") == "20261201T150000"
        assert event.value("DTEND") == "20261201T153000"
        start = to_utc(parse_local(event.value("DTSTART")), timezone)
        assert start == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
        assert event.value("URL") == LINK
        # the curator is told with the same file; nobody else is
        curator_news = await env.client.wait_for(
            lambda: _last_document(env, region.curator), timeout=10
        )
        assert curator_news["caption"].startswith("🆕 Школа записалась к вам на консультацию.")
        assert "Казанская СОШ" in curator_news["caption"]
        assert [m for m in await env.visible(region.other) if m.get("document")] == []
        # the time is taken: the next principal's first free time is the next one
        other_first, _ = await to_slot(env, region.other)
        assert other_first == "15:30"
        (consultation,) = await env.repo.consultations.between(
            DECEMBER, DECEMBER + timedelta(days=30)
        )
        assert consultation.status is Status.BOOKED and consultation.topic == "Программа развития"
        # both sides see it in /calendar
        school_calendar = await answer(env, region.principal, "/calendar")
        assert (
            "🤝 1 декабря 2026, 15:00–15:30 консультация: Селиванова Ольга"
            in school_calendar["text"]
        )
        curator_calendar = await answer(env, region.curator, "/calendar")
        assert (
            "🤝 1 декабря 2026, 15:00–15:30 консультация: Казанская СОШ" in curator_calendar["text"]
        )


async def _last_document(env: BotEnv, user: int) -> dict | None:
    found = [m for m in await env.visible(user) if m.get("document")]
    return found[-1] if found else None


async def test_fifty_principals_pressing_one_time_at_once_make_one_booking(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        schools = [await env.add_school(f"МБОУ СОШ № {n}") for n in range(50)]
        principals = await asyncio.gather(
            *(env.register(Role.PRINCIPAL, [school]) for school in schools)
        )
        # each sees the same first free time and presses it
        _, slot = await to_slot(env, principals[0])
        await asyncio.gather(
            *(tap(env, user, slot, seen_elsewhere=True) for user in principals[1:])
        )
        await tap(env, principals[0], slot)
        # and all send their topic at the same moment
        replies = await asyncio.gather(*(answer(env, user, "ВПР") for user in principals))
        won = [r for r in replies if r.get("document")]
        lost = [r for r in replies if not r.get("document")]
        assert len(won) == 1 and len(lost) == 49
        for reply in lost:
            assert reply["text"].startswith("⚠️ Это время только что заняли."), reply["text"]
            assert "Ближайшее свободное время" in reply["text"]
            assert sum(d.startswith("csl:slot") for d in buttons(reply).values()) >= 3
        live = await env.repo.consultations.between(DECEMBER, DECEMBER + timedelta(days=30))
        assert len(live) == 1


async def open_first(env: BotEnv, user: int) -> dict:
    """/consultations → all my consultations → the first one; returns its screen."""
    await outbox_settled(env)  # nothing else arrives meanwhile
    await env.say(user, "/consultations")
    listing = (await press(env, user, "📋 Все мои консультации"))[-1]
    _, data = first_button(listing, "cns:open")
    return (await tap(env, user, data))[-1]


async def news(env: BotEnv, user: int, start: str) -> dict:
    """The message to ``user`` (text or caption) starting with ``start``, once it came."""

    async def found() -> dict | None:
        for message in reversed(await env.visible(user)):
            if (message.get("text") or message.get("caption") or "").startswith(start):
                return message
        return None

    return await env.client.wait_for(found, timeout=10)


async def test_moving_and_cancelling_with_a_reason_tell_the_other_side(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        await book(env, region.principal)
        # the curator moves it: the school hears of the new time, with a new .ics
        opened = await open_first(env, region.curator)
        assert "Казанская СОШ" in opened["text"] and "🔁 Перенести" in buttons(opened)
        month = (await press(env, region.curator, "🔁 Перенести"))[-1]
        days = [d for t, d in buttons(month).items() if d.startswith("csl:day")]
        times = (await tap(env, region.curator, days[1]))[-1]  # Thursday, 3 December
        _, later = first_button(times, "csl:slot")
        asked = (await tap(env, region.curator, later))[-1]
        assert "Почему консультация переносится" in asked["text"]
        await env.say(region.curator, "Заболела, переношу на четверг", expect=1)
        moved = await news(env, region.principal, "🔁 Селиванова Ольга перенёс(ла)")
        assert "Причина: Заболела, переношу на четверг" in moved["caption"]
        assert "чт, 3 декабря 2026, 15:00–15:30" in moved["caption"]
        event = parse(await ics_of(env, moved)).child("VEVENT")[0]
        assert event.value("DTSTART") == "20261203T150000" and event.value("SEQUENCE") == "1"
        # the principal cancels it: the curator hears at once, with the reason
        opened = await open_first(env, region.principal)
        await press(env, region.principal, "✖️ Отменить")
        done = await answer(env, region.principal, "Совпало с педсоветом")
        assert "Отменено, причина: «Совпало с педсоветом»" in done["text"]
        cancelled = await news(env, region.curator, "✖️ Бурцева Елена отменил(а) консультацию")
        assert "Причина: Совпало с педсоветом" in cancelled["text"]
        (consultation,) = await env.repo.consultations.all_between(
            DECEMBER, DECEMBER + timedelta(days=30)
        )
        assert consultation.status is Status.CANCELLED
        # its time is free again
        first, _ = await to_slot(env, region.other)
        assert first == "15:00"


async def test_a_curator_books_a_school_which_declines_and_cannot_book_another(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        await env.say(region.curator, "/consultations")
        schools = (await press(env, region.curator, "🏫 Записать школу"))[-1]
        assert [t for t in buttons(schools) if "СОШ" in t] == ["Казанская СОШ · Ливенский район"]
        # a school not theirs, forged: refused, nothing booked
        foreign = f"csl:month:d:0:{region.other_school}:0:0:0:0:0"
        assert "недоступна" in await forge(env, region.curator, foreign)
        month = (await press(env, region.curator, "Казанская СОШ · Ливенский район"))[-1]
        _, day = first_button(month, "csl:day")
        times = (await tap(env, region.curator, day))[-1]
        _, slot = first_button(times, "csl:slot")
        await tap(env, region.curator, slot)
        await answer(env, region.curator, "План на второе полугодие")
        proposal = await news(env, region.principal, "📩 Селиванова Ольга назначил(а) вашей школе")
        assert {"✅ Принять", "✖️ Отказаться"} <= set(buttons(proposal))
        # another school's principal cannot answer it, even with a forged button
        accept = buttons(proposal)["✅ Принять"]
        assert "недоступна" in await forge(env, region.other, accept)
        await press(env, region.principal, "✖️ Отказаться")
        declined = await news(env, region.curator, "✖️ Казанская СОШ: от консультации отказались")
        assert "План на второе полугодие" in declined["text"]
        (consultation,) = await env.repo.consultations.all_between(
            DECEMBER, DECEMBER + timedelta(days=30)
        )
        assert consultation.status is Status.DECLINED


async def test_another_schools_principal_can_neither_see_nor_cancel_a_booking(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        await book(env, region.principal)
        (consultation,) = await env.repo.consultations.between(
            DECEMBER, DECEMBER + timedelta(days=30)
        )
        await env.say(region.other, "/consultations")
        for action in ("open", "cancel", "move", "card", "held"):
            refusal = await forge(env, region.other, f"cns:{action}:{consultation.id}:0")
            assert "недоступна" in refusal, action
        # a forged move of someone else's consultation straight to a time
        slot = f"csl:slot:m:0:{consultation.id}:0:0:0:29935440:1"
        assert "недоступна" in await forge(env, region.other, slot)
        assert (await env.repo.consultations.get(consultation.id)).status is Status.BOOKED
        # nor can a principal withdraw the curator's published time
        assert "недоступна" in await forge(env, region.principal, "cpub:withdrawn::0:1")
        person = await env.repo.people.by_telegram_id(region.curator)
        assert person is not None
        assert len(await env.repo.consultations.publications(person.id, since=DECEMBER)) == 1


def utc(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=UTC)


async def test_reminders_come_before_and_marks_are_asked_for_the_next_morning(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(DECEMBER)
    async with bot_under_test(tmp_path, clock=clock) as env:
        assert env.app is not None
        reminders = env.app.dp["reminders"]
        region = await Region(env).build()
        await publish(env, region.curator)
        await book(env, region.principal)  # today, Tuesday 15:00: inside the 24-hour window
        await book(env, region.other, "ВПР", day=1)  # Thursday 15:00
        today, thursday = sorted(
            await env.repo.consultations.between(DECEMBER, DECEMBER + timedelta(days=30)),
            key=lambda c: c.starts_at,
        )
        assert thursday.starts_at == utc(3, 12)
        # 14:00 in Moscow: an hour before today's; it never had a 24-hour reminder
        clock.jump(utc(1, 11, 0, 1))
        ran = await reminders.run_due()
        assert f"consult:{today.id}.0:1h" in ran
        assert not any(job.startswith(f"consult:{today.id}.0:24h") for job in ran)
        for user in (region.principal, region.curator):
            soon = await news(env, user, "⏰ Консультация через 1 час:")
            assert "вт, 1 декабря 2026, 15:00–15:30" in soon["text"]
        # Wednesday 15:00: a day before Thursday's; the curator is asked about Tuesday's
        clock.jump(utc(2, 12, 0, 1))
        ran = await reminders.run_due()
        assert f"consult:{thursday.id}.0:24h" in ran and "consult-mark:2026-12-02@10" in ran
        day_before = await news(env, region.other, "⏰ Консультация через 24 часа:")
        assert "чт, 3 декабря 2026, 15:00–15:30" in day_before["text"]
        asked = await news(env, region.curator, "📝 Вчера у вас была 1 консультация")
        await outbox_settled(env)  # the curator's own 24-hour reminder has come too
        # the curator marks it held and writes the outcome
        assert buttons(asked) == {"15:00 · Казанская СОШ": f"cns:open:{today.id}:0"}
        await press(env, region.curator, "15:00 · Казанская СОШ")
        await press(env, region.curator, "✅ Состоялась")
        await news(env, region.curator, "✅ Отмечено: состоялась.")
        saved = await answer(env, region.curator, "Разобрали программу развития, план до марта")
        assert saved["text"] == "📝 Записано: «Разобрали программу развития, план до марта»."
        marked = await env.repo.consultations.get(today.id)
        assert marked is not None and marked.status is Status.HELD
        assert marked.outcome == "Разобрали программу развития, план до марта"
        # Thursday's is cancelled: its one-hour reminder never comes
        await open_first(env, region.other)
        await press(env, region.other, "✖️ Отменить")
        await answer(env, region.other, "Карантин")
        clock.jump(utc(3, 11, 0, 1))
        ran = await reminders.run_due()
        assert not any(job.startswith(f"consult:{thursday.id}") for job in ran)
        await outbox_settled(env)
        texts = [m.get("text") or "" for m in await env.visible(region.other)]
        assert not any(text.startswith("⏰ Консультация через 1 час") for text in texts)


async def test_a_consultation_cannot_be_marked_before_it_starts(tmp_path: Path) -> None:
    clock = ShiftedClock(DECEMBER)
    async with bot_under_test(tmp_path, clock=clock) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        await book(env, region.principal)
        (consultation,) = await env.repo.consultations.between(
            DECEMBER, DECEMBER + timedelta(days=30)
        )
        await open_first(env, region.curator)
        too_early = await forge(env, region.curator, f"cns:missed:{consultation.id}:0")
        assert "ещё не началась" in too_early
        clock.jump(utc(1, 13))  # 16:00 in Moscow: it has taken place (or not)
        opened = await open_first(env, region.curator)
        assert "❌ Не состоялась" in buttons(opened)
        question = (await press(env, region.curator, "❌ Не состоялась"))[-1]
        assert question["text"].startswith("❌ Отмечено: не состоялась.")
        await press(env, region.curator, "Пропустить")
        got = await env.repo.consultations.get(consultation.id)
        assert got is not None and got.status is Status.MISSED and got.outcome is None


async def test_time_built_with_buttons_is_shown_then_published(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await env.say(region.curator, "/consultations")
        await press(env, region.curator, "🕒 Опубликовать время")
        await press(env, region.curator, "🧩 Собрать кнопками")
        for data in ("cpub:bday::2:0", "cpub:bfrom::10:0", "cpub:bto::12:0", "cpub:bweeks::2:0"):
            chosen = (await tap(env, region.curator, data))[-1]
        assert "1. Дни недели: ср" in chosen["text"] and "4. На срок: 2 недели" in chosen["text"]
        preview = (await tap(env, region.curator, "cpub:bdone::0:0"))[-1]
        assert "«ср 10:00–12:00 до 14.12.2026»" in preview["text"]
        assert "2 окна, консультаций по 30 мин: 8" in preview["text"]
        await press(env, region.curator, "🏫 Очно: место")
        await answer(env, region.curator, "ИРО, каб. 214")
        done = (await press(env, region.curator, "✅ Опубликовать"))[-1]
        assert "Опубликовано: «ср 10:00–12:00 до 14.12.2026»" in done["text"]
        person = await env.repo.people.by_telegram_id(region.curator)
        assert person is not None
        (publication,) = await env.repo.consultations.publications(person.id, since=DECEMBER)
        assert publication.format == "in_person" and publication.place == "ИРО, каб. 214"


async def test_withdrawn_time_keeps_its_bookings_and_a_topic_may_be_an_indicator(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        _, slot = await to_slot(env, region.principal)
        await tap(env, region.principal, slot)
        await press(env, region.principal, "Программа развития")  # the first indicator
        confirmation = await news(env, region.principal, "✅ Вы записаны на консультацию.")
        assert "Тема: Программа развития" in confirmation["caption"]
        (booked,) = await env.repo.consultations.between(DECEMBER, DECEMBER + timedelta(days=30))
        assert booked.indicator == "development_program"
        # the curator withdraws the time: the booking stays and is listed
        await env.say(region.curator, "/consultations")
        listing = (await press(env, region.curator, "🗂 Моё опубликованное время"))[-1]
        assert "свободно: 23, записей: 1" in listing["text"]
        await press(env, region.curator, "Снять 1")
        withdrawn = (await press(env, region.curator, "Да, снять"))[-1]
        assert "Снято: школы больше не видят это время." in withdrawn["text"]
        assert "Казанская СОШ" in withdrawn["text"] and "вт, 1 декабря 2026" in withdrawn["text"]
        kept = await env.repo.consultations.get(booked.id)
        assert kept is not None and kept.status is Status.BOOKED
        # nobody can book that time any more
        await env.say(region.other, "/consultations")
        none = (await press(env, region.other, "➕ Записаться на консультацию"))[-1]
        assert "Пока ни один куратор не опубликовал свободное время" in none["text"]


async def test_a_proposal_accepted_and_no_change_by_the_school_inside_the_notice(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(DECEMBER)
    async with bot_under_test(tmp_path, clock=clock) as env:
        region = await Region(env).build()
        await publish(env, region.curator)
        await env.say(region.curator, "/consultations")
        await press(env, region.curator, "🏫 Записать школу")
        month = (await press(env, region.curator, "Казанская СОШ · Ливенский район"))[-1]
        _, day = first_button(month, "csl:day")
        _, slot = first_button((await tap(env, region.curator, day))[-1], "csl:slot")
        await tap(env, region.curator, slot)
        await press(env, region.curator, "Без темы")
        await news(env, region.principal, "📩 Селиванова Ольга назначил(а) вашей школе")
        await press(env, region.principal, "✅ Принять")
        accepted = await news(env, region.principal, "✅ Вы приняли приглашение на консультацию.")
        assert accepted["document"]["file_name"].endswith(".ics")
        await news(env, region.curator, "✅ Казанская СОШ: приглашение на консультацию принято.")
        (consultation,) = await env.repo.consultations.between(
            DECEMBER, DECEMBER + timedelta(days=30)
        )
        assert consultation.status is Status.BOOKED
        # 13:30 in Moscow, 90 minutes before 15:00: inside the curator's 2-hour notice
        clock.jump(utc(1, 10, 30))
        opened = await open_first(env, region.principal)
        assert "До начала меньше, чем 2 ч" in opened["text"]
        assert "✖️ Отменить" not in buttons(opened) and "🔁 Перенести" not in buttons(opened)
        late = await forge(env, region.principal, f"cns:cancel:{consultation.id}:0")
        assert late.startswith("Изменить эту консультацию здесь уже поздно")
        # the curator still may
        opened = await open_first(env, region.curator)
        assert "✖️ Отменить" in buttons(opened)
