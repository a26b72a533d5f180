"""The region and the steps the end-to-end tests of announcements share: schools of two
municipalities, their principals and a curator, one principal who never started the bot
and one who blocked it, a regional and a municipal coordinator; composing through
/announce, sending, waiting for the outbox."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from scheduler.announcements import AnnouncementScheduler
from storage.models import Role
from storage.people import PersonData
from tests.harness import BotEnv, answer, buttons, callback_answer, press

DISTRICT, CITY = "Ливенский район", "город Ливны"
REFUSED = "больше не действует или вам недоступна"
# 12:00 in Moscow on 20 September 2026: not quiet hours
NOON = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shown(message: dict) -> str:
    return str(message.get("text") or message.get("caption") or "")


def scheduler_of(env: BotEnv) -> AnnouncementScheduler:
    assert env.app is not None
    announcements: AnnouncementScheduler = env.app.dp["announcements"]
    announcements.progress.every = 0.05  # the progress message follows the test's pace
    return announcements


class Region:
    """Three schools (two in the district, one ШНОР; one in the city), their principals, a
    curator, a principal who never started the bot, one who blocked it, and coordinators:
    regional, the district's."""

    def __init__(self, env: BotEnv) -> None:
        self.env = env

    async def build(self) -> Region:
        env = self.env
        self.kazan = await env.add_school(
            "МБОУ «Казанская СОШ»", DISTRICT, short_name="Казанская СОШ", is_shnor=True
        )
        self.sosna = await env.add_school(
            "МБОУ «Сосновская СОШ»", DISTRICT, short_name="Сосновская СОШ", is_shssu=True
        )
        self.city = await env.add_school("МБОУ «СОШ № 2»", CITY, short_name="СОШ № 2")
        self.kazan_head = await env.register(Role.PRINCIPAL, [self.kazan], first_name="Елена")
        self.sosna_head = await env.register(Role.PRINCIPAL, [self.sosna], first_name="Сергей")
        self.city_head = await env.register(Role.PRINCIPAL, [self.city], first_name="Ирина")
        self.curator = await env.register(Role.CURATOR, [self.kazan], first_name="Ольга")
        # invited from the register, never started the bot
        never = await env.repo.people.create(PersonData("Ломакин Виктор Петрович"))
        await env.repo.people.grant(never.id, Role.PRINCIPAL, [self.sosna])
        # started, then blocked the bot (a reminder found it out)
        self.gone = await env.register(Role.PRINCIPAL, [self.city], first_name="Алексей")
        gone = await env.repo.people.by_telegram_id(self.gone)
        assert gone is not None
        await env.repo.people.set_active(gone.id, False)
        self.regional = await env.register(Role.COORDINATOR, first_name="Анна", last_name="Ким")
        self.own = await env.register(
            Role.COORDINATOR, first_name="Вера", last_name="Лыкова", municipalities=(DISTRICT,)
        )
        return self


async def compose(
    env: BotEnv,
    coordinator: int,
    title: str = "Семинар «Эффективные практики»",
    when: str = "15.10.2026 14:00–16:00",
    link: str = "https://meet.example.ru/seminar",
    text: str | None = "Программа: доклады директоров.",
) -> dict:
    """Through /announce: title, when, online with a link, a text, no file; the card."""
    listing = (await env.say(coordinator, "/announce"))[-1]
    assert "➕ Новое объявление" in buttons(listing)
    await press(env, coordinator, "➕ Новое объявление")
    await answer(env, coordinator, title)
    await answer(env, coordinator, when)
    await press(env, coordinator, "💻 Онлайн")
    await answer(env, coordinator, link)
    if text is None:
        await press(env, coordinator, "Без текста")
    else:
        await answer(env, coordinator, text)
    return (await press(env, coordinator, "Без вложения"))[-1]


async def send_now(env: BotEnv, coordinator: int) -> dict:
    confirm = (await press(env, coordinator, "📤 Отправить сейчас"))[-1]
    assert "Отправить «" in confirm["text"], confirm["text"]
    await press(env, coordinator, "📤 Да, отправить", expect=2)
    return confirm


async def settled(env: BotEnv, limit: float = 15) -> dict[str, int]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        counts = await env.repo.outbox.counts()
        if counts["pending"] == counts["sending"] == 0:
            return counts
        await asyncio.sleep(0.02)
    raise AssertionError(f"the outbox did not settle: {await env.repo.outbox.counts()}")


async def latest_announcement(env: BotEnv) -> Any:
    found = await env.repo.announcements.listed()
    assert found
    return max(found, key=lambda a: a.id)


async def until(check: Any, limit: float = 10) -> Any:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(0.02)
    raise AssertionError("not reached in time")


async def forge(env: BotEnv, user: int, data: str) -> str:
    """Press a button the person was never shown; the bot's answer to the press."""
    last = (await env.visible(user))[-1]
    update = await env.client.press(
        user, callback_data=data, message_id=last["message_id"], force=True
    )
    found = await env.client.wait_for(
        lambda: callback_answer(env, update["callback_query_id"]), timeout=10
    )
    return str(found["text"] or "")


async def card_after(env: BotEnv, user: int) -> dict | None:
    last = (await env.visible(user))[-1]
    return last if "Кому:" in shown(last) else None


async def announcements_in(env: BotEnv, user: int, fragment: str = "Семинар") -> list[dict]:
    messages = await env.visible(user)
    return [m for m in messages if shown(m).startswith("📣") and fragment in shown(m)]


async def coordinator_says(env: BotEnv, user: int, fragment: str) -> dict:
    async def found() -> dict | None:
        for message in reversed(await env.visible(user)):
            if fragment in shown(message):
                return message
        return None

    return await until(found)
