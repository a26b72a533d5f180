"""Who may announce and answer, end to end: only coordinators compose, a municipal
coordinator within their municipality (the audience, its count, the schools to pick);
buttons forged for another coordinator's announcement, another territory's school or an
announcement never sent to the person are refused and change nothing; wrong answers to
the steps are explained and asked again."""

from __future__ import annotations

from pathlib import Path

from bot.callbacks import AnnounceCallback, RsvpCallback
from storage.announcements import Status
from tests.announcements_region import (
    NOON,
    REFUSED,
    Region,
    announcements_in,
    compose,
    forge,
    latest_announcement,
    scheduler_of,
    send_now,
    settled,
    shown,
)
from tests.harness import answer, bot_under_test, buttons, press

TITLE = "Круглый стол <ШНОР & ШССУ>"  # said back as typed, never read as HTML


async def test_only_coordinators_compose_within_their_territory_and_forgeries_change_nothing(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        region = await Region(env).build()
        scheduler_of(env)
        refused = (await env.say(region.kazan_head, "/announce"))[-1]
        assert "Объявления рассылают координаторы" in refused["text"]
        await compose(env, region.regional, title="Семинар «Регион»")
        regional = await latest_announcement(env)

        # the district's coordinator can neither open, send, retarget nor delete the
        # region's draft; nor can a principal
        for action in ("open", "go", "aud", "everyone", "del"):
            data = AnnounceCallback(action=action, announcement_id=regional.id).pack()
            assert REFUSED in await forge(env, region.own, data)
        data = AnnounceCallback(action="go", announcement_id=regional.id).pack()
        assert REFUSED in await forge(env, region.kazan_head, data)
        still = await env.repo.announcements.get(regional.id)
        assert still is not None and still.status is Status.DRAFT
        assert (await env.repo.outbox.counts())["pending"] == 0

        # the district's own: its principals (not the one who never started) and the curator
        card = await compose(env, region.own, title=TITLE)
        assert f"{TITLE} — черновик" in card["text"]
        assert "получат 3 человека" in card["text"], card["text"]
        assert "не начинали работу с ботом — 1" in card["text"]
        audience = (await press(env, region.own, "👥 Кому"))[-1]
        assert not any("Ливны" in text for text in buttons(audience))  # no other municipality
        own = await latest_announcement(env)
        city_school = AnnounceCallback(action="spick", announcement_id=own.id, value=region.city)
        assert "нельзя" in await forge(env, region.own, city_school.pack())
        no_such = AnnounceCallback(action="muni", announcement_id=own.id, value=7)
        assert "изменился" in await forge(env, region.own, no_such.pack())
        unchanged = await env.repo.announcements.get(own.id)
        assert unchanged is not None and unchanged.audience in ("{}", "")
        await press(env, region.own, "✅ Готово")
        confirm = await send_now(env, region.own)
        assert "получат 3 человека" in confirm["text"]
        await settled(env)
        for user in (region.kazan_head, region.sosna_head, region.curator):
            (got,) = await announcements_in(env, user, "Круглый стол")
            assert shown(got).startswith(f"📣 {TITLE}")
        for user in (region.city_head, region.regional):
            assert await announcements_in(env, user, "Круглый стол") == []

        # answers forged by someone it was not sent to, or a staff count by a curator
        yes = RsvpCallback(action="yes", announcement_id=own.id).pack()
        assert REFUSED in await forge(env, region.city_head, yes)
        staff = RsvpCallback(action="n", announcement_id=own.id, staff=3).pack()
        assert REFUSED in await forge(env, region.curator, staff)
        ask = RsvpCallback(action="staff", announcement_id=own.id).pack()
        assert REFUSED in await forge(env, region.curator, ask)
        assert REFUSED in await forge(env, region.kazan_head, f"rsvp:n:{own.id}:60000")
        answered = [row for row in await env.repo.announcements.answers(own.id) if row.answer]
        assert answered == []
        # a recipient's own press is their answer
        await press(env, region.kazan_head, "✅ Приду")
        rows = await env.repo.announcements.answers(own.id)
        assert {row.full_name: row.answer for row in rows if row.answer} == {"Иванова Елена": "yes"}


async def test_wrong_answers_to_the_steps_are_explained_and_asked_again(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        region = await Region(env).build()
        coordinator = region.regional
        await env.say(coordinator, "/announce")
        await press(env, coordinator, "➕ Новое объявление")
        short = await answer(env, coordinator, "Ок")
        assert "Название слишком короткое" in short["text"], short["text"]
        long = await answer(env, coordinator, "Семинар " * 40)
        assert "длиной 319 знаков; пожалуйста, уложитесь в 200" in long["text"], long["text"]
        await answer(env, coordinator, "Семинар «Проверка»")
        await answer(env, coordinator, "16.10.2026 10:00")
        typed = await answer(env, coordinator, "онлайн")  # a button was expected
        assert "выберите кнопкой" in typed["text"], typed["text"]
        assert set(buttons(typed)) == {"💻 Онлайн", "📍 Очно"}
        await press(env, coordinator, "💻 Онлайн")
        link = await answer(env, coordinator, "в зуме")
        assert "«в зуме» — не ссылка" in link["text"], link["text"]
        await answer(env, coordinator, "https://meet.example.ru/x")
        await answer(env, coordinator, "Повестка: обсуждение.")
        said, again = await env.say(coordinator, "вот файл", expect=2)
        assert "пришлите файл или изображение" in said["text"], said["text"]
        assert "Без вложения" in buttons(again)
        card = (await press(env, coordinator, "Без вложения"))[-1]
        assert "Где: онлайн, https://meet.example.ru/x" in card["text"]
        # a time for sending later that comes after the event
        await press(env, coordinator, "🕒 Отправить позже")
        late = await answer(env, coordinator, "17.10.2026 10:00")
        assert "после начала мероприятия" in late["text"], late["text"]
        draft = await latest_announcement(env)
        assert draft.status is Status.DRAFT and draft.send_at is None
