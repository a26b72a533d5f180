"""After an announced event, end to end: the coordinator marks which schools came (those
whose people said they would, and any other of their territory), exports the event and
the year per school to Excel (read back here), and the school's indicator form shows the
program's record next to the «regional events» question."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.callbacks import AnnounceCallback
from tests.announcements_region import (
    NOON,
    Region,
    compose,
    forge,
    latest_announcement,
    scheduler_of,
    send_now,
    settled,
)
from tests.harness import (
    ShiftedClock,
    bot_under_test,
    buttons,
    callback_answer,
    open_october,
    press,
)
from tests.test_e2e_form_usage import prefilled


def rows(content: bytes, sheet: str) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in book[sheet].iter_rows()]


async def test_attendance_is_marked_after_the_event_exported_and_hinted_in_the_form(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(NOON)
    async with bot_under_test(tmp_path, clock=clock) as env:
        region = await Region(env).build()
        scheduler_of(env)
        coordinator = region.regional
        await compose(env, coordinator, title="Семинар «Итоги»", when="21.09.2026 14:00")
        await send_now(env, coordinator)
        await settled(env)
        await press(env, region.kazan_head, "✅ Приду")
        await press(env, region.kazan_head, "👥 Сколько сотрудников школы придёт?")
        await press(env, region.kazan_head, "3")
        await press(env, region.sosna_head, "❌ Не смогу")
        announcement = await latest_announcement(env)

        await env.say(coordinator, "/announce")
        card = (await press(env, coordinator, "Семинар «Итоги»"))[-1]
        assert "Придут: 1 (из 1 школы, сотрудников: 3) · не смогут: 1" in card["text"]
        early = await env.client.press(
            coordinator, button_text="🧾 Присутствие", message_id=card["message_id"]
        )
        said = await env.client.wait_for(
            lambda: callback_answer(env, early["callback_query_id"]), timeout=10
        )
        assert "когда мероприятие начнётся" in said["text"]

        clock.jump(datetime(2026, 9, 21, 11, 30, tzinfo=UTC))  # it has started
        marking = (await press(env, coordinator, "🧾 Присутствие"))[-1]
        # the school that said it would come, with how many
        assert "Казанская СОШ · Ливенский район · ждём 3" in buttons(marking)
        assert not any("Сосновская" in b for b in buttons(marking))
        marked = (await press(env, coordinator, "Казанская СОШ · Ливенский район · ждём 3"))[-1]
        assert "Отмечено: 1" in marked["text"]
        others = (await press(env, coordinator, "➕ Другие школы"))[-1]
        city = next(b for b in buttons(others) if "СОШ № 2" in b)
        marked = (await press(env, coordinator, city))[-1]
        assert "Отмечено: 2" in marked["text"]
        nowhere = AnnounceCallback(action="omark", announcement_id=announcement.id, value=9999)
        assert "нельзя" in await forge(env, coordinator, nowhere.pack())
        assert sorted(await env.repo.announcements.attendance(announcement.id)) == sorted(
            [region.kazan, region.city]
        )

        await press(env, coordinator, "✅ Готово")
        sent = await press(env, coordinator, "📥 Excel: это мероприятие")
        content = await env.client.file(sent[-1]["document"]["file_id"])
        answers = {row[2]: row[3:5] for row in rows(content, "Ответы")[1:]}
        assert answers["Иванова Елена"] == ["придёт", 3]
        assert answers["Иванова Сергей"] == ["не сможет", None]
        assert answers["Иванова Ольга"] == ["нет ответа", None]
        assert rows(content, "Присутствие")[1:] == [
            ["Ливенский район", "МБОУ «Казанская СОШ»", "да", 3, "да"],
            ["город Ливны", "МБОУ «СОШ № 2»", "да", None, "нет"],
        ]
        sent = await press(env, coordinator, "📥 Excel: школы за год")
        content = await env.client.file(sent[-1]["document"]["file_id"])
        per_school = {row[1]: row[4:] for row in rows(content, "Школы 2026")[1:]}
        assert per_school == {
            "МБОУ «Казанская СОШ»": [1, 3, "Семинар «Итоги» (21.09.2026)"],
            "МБОУ «Сосновская СОШ»": [0, None, None],
            "МБОУ «СОШ № 2»": [1, None, "Семинар «Итоги» (21.09.2026)"],
        }

        # the school's form: the program's record by the «regional events» question
        await prefilled(env, region.kazan, "regional_events")
        question = await open_october(env, region.kazan_head)
        assert "участвующих в региональных мероприятиях" in question["text"]
        assert (
            "ℹ️ По данным программы, в 2026 году школа участвовала в 1 региональном "
            "мероприятии: «Семинар «Итоги»» (21 сентября)."
        ) in question["text"]
        await prefilled(env, region.sosna, "regional_events")
        other = await open_october(env, region.sosna_head)
        assert "школа не отмечена ни на одном региональном мероприятии" in other["text"]
