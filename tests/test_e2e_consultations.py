"""Consultations end to end through the sandbox: a curator publishes time typed in
Russian, principals book it (the confirmation carries an .ics file), cancel and move;
the curator books a school directly and the school declines; marks held or missed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from storage.models import Role
from tests.harness import (
    BotEnv,
    ShiftedClock,
    answer,
    bot_under_test,
    callback_answer,
    press,
)

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
