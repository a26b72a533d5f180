"""/charts end to end: a principal, a curator and a coordinator pick a chart in a few taps
and get a picture a phone can show, with a caption that says what it is; nobody gets a
chart of a school that is not theirs, whatever button they forge; no data is said in a
sentence, not drawn as an empty frame."""

from __future__ import annotations

import struct
from pathlib import Path

from bot.callbacks import ChartCallback
from bot.charts.values import NUMERIC_KINDS
from bot.indicators.catalog import load_catalog
from bot.indicators.form import campaign_deadlines
from storage.models import Role
from storage.submissions import ImportedForm
from tests.harness import SEPTEMBER, BotEnv, bot_under_test, buttons, forge, press

DISTRICT, CITY = "Ливенский район", "город Ливны"
REFUSED = "больше не действует или вам недоступна"
NUMERIC = [i.code for i in load_catalog().indicators if i.kind.value in NUMERIC_KINDS]
FIRST_CATEGORY = NUMERIC.index("first_category")


def share(count: int, base: int) -> dict:
    return {"percent": round(100 * count / base, 1), "count": count, "base": base}


async def reported(env: BotEnv, year: int, first_category: dict[int, int]) -> None:
    """Schools (id → how many of 40 teachers have the first category) sent in ``year``."""
    forms = [
        ImportedForm(
            "10-01",
            school,
            bases={"teachers": 40},
            answers={"first_category": share(count, 40)},
            submit=True,
        )
        for school, count in first_category.items()
    ]
    deadlines = campaign_deadlines(load_catalog(), year)
    await env.repo.submissions.write_imported(year, deadlines, forms, person_id=None)


def photo_of(message: dict) -> dict:
    assert "photo" in message, message.get("text")
    return max(message["photo"], key=lambda size: size["width"])


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


async def test_a_principal_charts_their_school_over_the_years(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await env.add_school("МБОУ «Казанская средняя общеобразовательная школа»")
        neighbour = await env.add_school("МБОУ «Сосновская СОШ»")
        await reported(env, 2024, {school: 10, neighbour: 14})
        await reported(env, 2025, {school: 12, neighbour: 16})
        principal = await env.register(Role.PRINCIPAL, [school])

        menu = (await env.say(principal, "/menu"))[-1]
        assert "📈 Графики" in buttons(menu)
        kinds = (await press(env, principal, "📈 Графики"))[-1]
        assert kinds["text"] == "Какой график построить?"
        assert "📤 Как идёт сбор отчётов" not in buttons(kinds)  # not a principal's chart
        await press(env, principal, "📈 Показатель школы по годам")
        # one school to choose from: the chart comes straight after the indicator
        chart = (await press(env, principal, "Первая категория"))[-1]
        size = photo_of(chart)
        assert size["width"] == 1080
        assert png_size(await env.client.file(size["file_id"]))[0] == 1080
        caption = chart["caption"]
        assert "Первая категория" in caption
        assert "МБОУ «Казанская средняя общеобразовательная школа», Ливенский район" in caption
        assert "Источник: отчёты школ в боте на 20 сентября 2026" in caption

        # next time the last chart is one tap away
        again = (await env.say(principal, "/charts"))[0]
        assert "↩️ Последний график ещё раз" in buttons(again)
        repeated = (await press(env, principal, "↩️ Последний график ещё раз"))[-1]
        assert repeated["caption"] == caption

        # a forged button for the neighbour's school, or for a campaign's progress, is refused
        other = ChartCallback(
            action="draw", kind="h", indicator=FIRST_CATEGORY, school_id=neighbour
        )
        assert REFUSED in await forge(env, principal, other.pack())
        campaign = await env.repo.submissions.find_campaign(2025, "10-01")
        assert campaign is not None
        progress = ChartCallback(action="draw", kind="p", campaign_id=campaign.id)
        assert REFUSED in await forge(env, principal, progress.pack())
        unknown = ChartCallback(action="draw", kind="h", indicator=99, school_id=school)
        assert REFUSED in await forge(env, principal, unknown.pack())
        photos = [m for m in await env.visible(principal) if "photo" in m]
        assert len(photos) == 2  # the two asked for, nothing for the forged ones


async def test_schools_side_by_side_for_a_principal_and_a_curator(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        own = await env.add_school("МБОУ «Казанская средняя общеобразовательная школа»")
        near = await env.add_school("МБОУ «Сосновская средняя общеобразовательная школа»")
        city = await env.add_school("МБОУ «СОШ № 2» г. Ливны", CITY)
        await reported(env, 2025, {own: 10, near: 14, city: 20})
        principal = await env.register(Role.PRINCIPAL, [own])

        await env.say(principal, "/charts")
        await press(env, principal, "📊 Сравнение школ")
        years = (await press(env, principal, "Первая категория"))[-1]
        assert years["text"] == "За какой год и по каким школам?"
        # only years someone reported, only the principal's own municipality
        assert list(buttons(years)) == [f"2025 · {DISTRICT}", "⬅️ Назад"]
        chart = (await press(env, principal, f"2025 · {DISTRICT}"))[-1]
        assert "Первая категория · Ливенский район · 2025" in chart["caption"]
        assert "Полные названия:" in chart["caption"]  # long names are shortened on the bars
        # the city is another municipality: its index is not in the principal's list
        forged = ChartCallback(action="draw", kind="c", indicator=FIRST_CATEGORY, year=2025, muni=1)
        assert REFUSED in await forge(env, principal, forged.pack())

        curator = await env.register(Role.CURATOR, [own, city])
        await env.say(curator, "/charts")
        await press(env, curator, "📊 Сравнение школ")
        years = (await press(env, curator, "Первая категория"))[-1]
        assert "2025 · мои школы" in buttons(years)
        chart = (await press(env, curator, "2025 · мои школы"))[-1]
        assert "мои школы" in chart["caption"]
        # a school over the years: the curator picks among their own two schools only
        await env.say(curator, "/charts")
        await press(env, curator, "📈 Показатель школы по годам")
        picker = (await press(env, curator, "Первая категория"))[-1]
        assert picker["text"] == "Для какой школы?"
        offered = [text for text in buttons(picker) if text != "⬅️ Назад"]
        assert len(offered) == 2 and not any("Сосновская" in text for text in offered)
        forged = ChartCallback(action="draw", kind="h", indicator=FIRST_CATEGORY, school_id=near)
        assert REFUSED in await forge(env, curator, forged.pack())


async def test_nothing_to_draw_is_said_in_a_sentence(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»")
        principal = await env.register(Role.PRINCIPAL, [school])
        await env.say(principal, "/charts")
        await press(env, principal, "📈 Показатель школы по годам")
        said = (await press(env, principal, "Молодые педагоги"))[-1]
        assert "Пока нечего показать" in said["text"]
        assert "⬅️ Назад" in buttons(said)  # and a way on
        assert not [m for m in await env.visible(principal) if "photo" in m]
        back = (await press(env, principal, "⬅️ Назад"))[-1]
        assert back["text"] == "Какой график построить?"


async def test_a_coordinator_sees_how_a_campaign_is_going(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»")
        await env.add_school("МБОУ «СОШ № 2»", CITY)
        await reported(env, 2026, {school: 10})
        coordinator = await env.register(Role.COORDINATOR)
        await env.say(coordinator, "/charts")
        campaigns = (await press(env, coordinator, "📤 Как идёт сбор отчётов"))[-1]
        assert campaigns["text"] == "За какой сбор показателей?"
        title = next(text for text in buttons(campaigns) if "1 октября" in text)
        chart = (await press(env, coordinator, title))[-1]
        assert "Ход сбора" in chart["caption"] and "1 октября" in chart["caption"]
        assert photo_of(chart)["width"] == 1080


async def test_a_coordinator_charts_who_came_to_an_event_once_attendance_is_marked(
    tmp_path: Path,
) -> None:
    from tests.announcements_region import (
        NOON,
        Region,
        compose,
        latest_announcement,
        scheduler_of,
        send_now,
        settled,
    )
    from tests.harness import ShiftedClock

    async with bot_under_test(tmp_path, clock=ShiftedClock(NOON)) as env:
        region = await Region(env).build()
        scheduler_of(env)
        await compose(env, region.regional, title="Семинар «Итоги»", when="21.09.2026 14:00")
        await send_now(env, region.regional)
        await settled(env)
        event = await latest_announcement(env)
        # another regional coordinator looks at the chart (the author's chat keeps getting
        # the delivery report's edits)
        coordinator = await env.register(Role.COORDINATOR, first_name="Борис")
        menu = await env.say(coordinator, "/charts")
        assert "🎓 Кто пришёл на мероприятие" not in buttons(menu[-1])  # nothing marked yet

        person = await env.repo.people.by_telegram_id(coordinator)
        assert person is not None
        for school, staff in ((region.kazan, 3), (region.city, None)):
            await env.repo.announcements.mark_attendance(event.id, school, True, staff, person.id)
        menu = await env.say(coordinator, "/charts")
        events = (await press(env, coordinator, "🎓 Кто пришёл на мероприятие"))[-1]
        assert events["text"] == "Какое мероприятие?"
        [choice] = [b for b in buttons(events) if "Итоги" in b]
        assert choice.startswith("21 сентября 2026")
        chart = (await press(env, coordinator, choice))[-1]
        photo_of(chart)
        caption = chart["caption"]
        assert caption.startswith("Кто пришёл: Семинар «Итоги».")
        assert "Пришли школ: 2; их сотрудников отмечено: 3." in caption
        assert "Источник: присутствие, отмеченное в боте, на 20 сентября 2026" in caption

        # a principal and the district's coordinator (not the event's manager) get nothing
        data = ChartCallback(action="draw", kind="a", event_id=event.id).pack()
        for outsider in (region.kazan_head, region.own):
            menu = await env.say(outsider, "/charts")
            assert "🎓 Кто пришёл на мероприятие" not in buttons(menu[-1])
            assert REFUSED in await forge(env, outsider, data)
