"""Announcements and /calendar, end to end: «📣 Announce» under a roadmap action starts a
draft with the action's title and day (only for a coordinator who manages the roadmap;
forged for others, refused); once sent, the event is in the calendar of the people it
reached, with their answer's buttons, and nobody else can open it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.callbacks import AnnounceCallback, CalendarCallback
from storage.calendar import NewEvent
from storage.models import Audience
from tests.announcements_region import (
    NOON,
    REFUSED,
    Region,
    announcements_in,
    forge,
    latest_announcement,
    scheduler_of,
    send_now,
    settled,
    shown,
)
from tests.harness import BotEnv, answer, bot_under_test, buttons, press

ACTION = "Семинар для руководителей ОО по итогам мониторинга"


async def add_action(env: BotEnv) -> int:
    event = NewEvent(
        row_no=5,
        title=ACTION,
        period_text="сентябрь",
        kind="range",
        occurrences=[(date(2026, 9, 25), date(2026, 9, 25))],
        responsible="Руководители ОО",
        roles=(Audience.PRINCIPALS,),
    )
    await env.repo.calendar.save_roadmap(
        "План-график 2026", date(2026, 1, 1), date(2026, 12, 31), [event]
    )
    (saved,) = await env.repo.calendar.events()
    return saved.id


def button_like(message: dict, fragment: str) -> str:
    return next(text for text in buttons(message) if fragment in text)


async def test_a_roadmap_action_is_announced_from_the_calendar_and_shows_there_once_sent(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        region = await Region(env).build()
        scheduler_of(env)
        event_id = await add_action(env)
        coordinator = region.regional

        # a principal sees the action without the button, and cannot forge it
        upcoming = (await env.say(region.kazan_head, "/calendar"))[-1]
        details = (await press(env, region.kazan_head, button_like(upcoming, "Семинар")))[-1]
        assert "📣 Объявить" not in buttons(details)
        from_event = AnnounceCallback(action="fromev", value=event_id).pack()
        assert REFUSED in await forge(env, region.kazan_head, from_event)
        # nor the district's coordinator: the roadmap is the region's
        assert REFUSED in await forge(env, region.own, from_event)
        assert await env.repo.announcements.listed() == []

        upcoming = (await env.say(coordinator, "/calendar"))[-1]
        details = (await press(env, coordinator, button_like(upcoming, "Семинар")))[-1]
        asked = (await press(env, coordinator, "📣 Объявить"))[-1]
        assert f"Из дорожной карты взяты название «{ACTION}» и день: 25.09.2026" in asked["text"]
        how = await answer(env, coordinator, "14:00–16:00")
        assert set(buttons(how)) == {"💻 Онлайн", "📍 Очно"}
        await press(env, coordinator, "📍 Очно")
        await answer(env, coordinator, "г. Ливны, ул. Мира, 1")
        await press(env, coordinator, "Без текста")
        card = (await press(env, coordinator, "Без вложения"))[-1]
        assert ACTION in card["text"]
        assert "25 сентября 2026, 14:00–16:00 по московскому времени" in card["text"]
        announcement = await latest_announcement(env)
        assert announcement.roadmap_event_id == event_id
        # the ШНОР school only: its principal and curator, and the district's coordinator
        await press(env, coordinator, "👥 Кому")
        await press(env, coordinator, "Школы ШНОР")
        await press(env, coordinator, "✅ Готово")
        await send_now(env, coordinator)
        await settled(env)
        assert len(await announcements_in(env, region.kazan_head, "мониторинга")) == 1

        calendar = (await env.say(region.kazan_head, "/calendar"))[-1]
        assert f"📣 25 сентября 2026 — 1. 14:00 {ACTION[:20]}" in calendar["text"], calendar["text"]
        opened = (await press(env, region.kazan_head, button_like(calendar, "14:00")))[-1]
        assert shown(opened).startswith(f"📣 {ACTION}")
        assert set(buttons(opened)) == {"✅ Приду", "❌ Не смогу"}
        # not reached: not in the calendar, not to be opened by a forged button
        other = (await env.say(region.sosna_head, "/calendar"))[-1]
        assert "14:00" not in other["text"]
        opening = CalendarCallback(action="ann", event_id=announcement.id).pack()
        assert REFUSED in await forge(env, region.sosna_head, opening)
