"""Seminar announcements end to end, as coordinators and principals use them: composing
with a file (a refused HTML tag explained), the audience and its counts, the preview, sending
with a progress message and a report, a scheduled sending (kept over a restart, cancelled),
an edit after sending, answers changed, reminders on an injected clock, attendance in
Excel, the form's hint, the calendar, and who may do what (forged buttons refused)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from storage.announcements import Status
from tests.announcements_region import (
    NOON,
    PDF,
    Region,
    announcements_in,
    card_after,
    compose,
    coordinator_says,
    latest_announcement,
    scheduler_of,
    send_now,
    settled,
    shown,
    until,
)
from tests.harness import (
    BotEnv,
    ShiftedClock,
    answer,
    bot_under_test,
    buttons,
    callback_answer,
    press,
)

# --- composing ---------------------------------------------------------------------------


async def test_composing_with_a_file_explains_a_bad_tag_counts_the_audience_and_previews(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        region = await Region(env).build()
        coordinator = region.regional
        await env.say(coordinator, "/announce")
        await press(env, coordinator, "➕ Новое объявление")
        asked = await answer(env, coordinator, "Семинар «Эффективные практики»")
        assert "Когда пройдёт" in asked["text"]
        refused = await answer(env, coordinator, "вчера")
        assert "Не получилось прочитать «вчера»" in refused["text"]
        past = await answer(env, coordinator, "15.09.2026 14:00")
        assert "уже прошло" in past["text"]
        how = await answer(env, coordinator, "15 октября 14:00–16:00")
        assert set(buttons(how)) == {"💻 Онлайн", "📍 Очно"}
        await press(env, coordinator, "📍 Очно")
        await answer(env, coordinator, "г. Ливны, ул. Мира, 1, актовый зал")
        # a tag typed by hand and not closed: said in a sentence, with a way out
        bad = await answer(env, coordinator, "<b>Важно: возьмите ноутбук")
        assert "Тег <b> открыт, но не закрыт" in bad["text"]
        assert "Взять без оформления" in buttons(bad)
        fixed = await answer(env, coordinator, "<b>Важно</b>: возьмите ноутбук")
        assert "Приложите файл" in fixed["text"]
        await env.client.upload_document(coordinator, "Программа семинара.pdf", PDF)
        card = await until(lambda: card_after(env, coordinator))
        text = card["text"]
        assert "Вложение: Программа семинара.pdf" in text
        # everyone: three principals, the curator and the district's coordinator; not the
        # principal who never started the bot, nor the one who blocked it
        assert "получат 5 человек" in text, text
        assert "заблокировали бота — 1, не начинали работу с ботом — 1" in text

        audience = (await press(env, coordinator, "👥 Кому"))[-1]
        assert "Кому: всем" in audience["text"]
        shnor = (await press(env, coordinator, "Школы ШНОР"))[-1]
        # the principal of the ШНОР school, its curator, the district's coordinator
        assert "получат 3 человека" in shnor["text"], shnor["text"]
        principals = (await press(env, coordinator, "Руководители ОО"))[-1]
        assert "получит 1 человек" in principals["text"], principals["text"]
        back = (await press(env, coordinator, "✅ Готово"))[-1]
        assert "Кому: руководители ОО · школы ШНОР" in back["text"]
        # single schools: the city's school added by name
        await press(env, coordinator, "👥 Кому")
        page = (await press(env, coordinator, "🏫 Отдельные школы (0)"))[-1]
        ticked = (await press(env, coordinator, "СОШ № 2 · город Ливны"))[-1]
        assert "✅ СОШ № 2 · город Ливны" in buttons(ticked)
        assert set(buttons(page)) - set(buttons(ticked)) == {"СОШ № 2 · город Ливны"}
        added = (await press(env, coordinator, "✅ Готово"))[-1]
        assert "Кому: руководители ОО · школы ШНОР · и СОШ № 2" in added["text"]
        # and its principal (the other one of that school blocked the bot)
        assert "получат 2 человека; не получат: заблокировали бота — 1" in added["text"]
        await press(env, coordinator, "✅ Готово")
        preview = await press(env, coordinator, "👁 Как увидят получатели", expect=2)
        document = next(m for m in preview if m.get("document"))
        assert document["document"]["file_name"] == "Программа семинара.pdf"
        caption = document["caption"]
        assert caption.startswith("📣 Семинар «Эффективные практики»")
        assert "15 октября 2026, 14:00–16:00 по московскому времени" in caption
        assert "📍 Место: г. Ливны, ул. Мира, 1, актовый зал" in caption
        assert "Важно: возьмите ноутбук" in caption
        offset = len(caption[: caption.index("Важно")].encode("utf-16-le")) // 2
        assert {"type": "bold", "offset": offset, "length": 5} in document["caption_entities"]
        assert set(buttons(document)) == {"✅ Приду", "❌ Не смогу"}
        # the coordinator's own press on the preview is explained, not recorded
        update = await env.client.press(
            coordinator, button_text="✅ Приду", message_id=document["message_id"]
        )
        said = await env.client.wait_for(
            lambda: callback_answer(env, update["callback_query_id"]), timeout=10
        )
        assert "предпросмотр" in said["text"]
        # nothing was sent to anyone
        assert (await env.repo.outbox.counts())["pending"] == 0
        for user in (region.kazan_head, region.curator):
            assert not any("Эффективные" in shown(m) for m in await env.visible(user))


# --- sending -----------------------------------------------------------------------------


async def test_sending_now_reaches_each_person_once_with_progress_and_a_report(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        region = await Region(env).build()
        scheduler_of(env)
        await compose(env, region.regional)
        await env.client.block(region.city_head)  # the sending will find it out
        confirm = await send_now(env, region.regional)
        assert "получат 5 человек" in confirm["text"]
        await settled(env)
        for user in (region.kazan_head, region.sosna_head, region.curator, region.own):
            (got,) = await announcements_in(env, user)
            assert set(buttons(got)) == {"✅ Приду", "❌ Не смогу"}
            assert "Придёте? Ответьте кнопками ниже" in got["text"]
        for user in (region.gone, region.city_head):
            assert await announcements_in(env, user) == []
        progress = await coordinator_says(env, region.regional, "рассылка завершена")
        assert "Доставлено: 4 из 5" in progress["text"]
        assert "заблокировали бота: 1" in progress["text"]
        report = await coordinator_says(env, region.regional, "Кто не получил")
        assert "Заблокировали бота (1):" in report["text"] and "СОШ № 2" in report["text"]
        assert (
            "заблокировали бота ещё до рассылки — 1, не начинали работу с ботом — 1"
            in (report["text"])
        )
        # the list in Excel, read back
        sent = await press(env, region.regional, "📥 Список в Excel")
        content = await env.client.file(sent[-1]["document"]["file_id"])
        book = load_workbook(io.BytesIO(content))
        delivery = [[c.value for c in row] for row in book["Доставка"].iter_rows(min_row=2)]
        assert Counter(state for _, state, _ in delivery) == {
            "доставлено": 4,
            "заблокировал(а) бота": 1,
        }
        # counted from what Telegram accepted: one copy each
        accepted = Counter(
            int(r["params"]["chat_id"])
            for r in await env.client.requests(method="sendMessage")
            if r["status"] == 200 and str(r["params"].get("text", "")).startswith("📣")
        )
        assert set(accepted.values()) == {1} and len(accepted) == 4
        announcement = await latest_announcement(env)
        assert announcement.status is Status.SENT


async def test_a_scheduled_announcement_survives_a_restart_waits_for_morning_and_can_be_cancelled(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(NOON)
    async with bot_under_test(tmp_path, clock=clock) as env:
        region = await Region(env).build()
        coordinator = region.regional
        await compose(env, coordinator, title="Семинар «Утро»")
        await press(env, coordinator, "🕒 Отправить позже")
        note, card = await env.say(coordinator, "21.09.2026 23:30", expect=2)
        assert "Объявление уйдёт 21.09.2026 23:30" in note["text"]
        assert "Это тихие часы: сообщения уйдут в 09:00" in note["text"]
        assert "запланировано на 21.09.2026 23:30" in card["text"]
        assert "↩️ Не отправлять по расписанию" in buttons(card)
        # still editable: a new title is kept, a start before the sending is refused
        await press(env, coordinator, "✏️ Название")
        renamed = await answer(env, coordinator, "Семинар «Утро» для директоров")
        assert "Семинар «Утро» для директоров" in renamed["text"]
        assert "запланировано на 21.09.2026 23:30" in renamed["text"]
        await press(env, coordinator, "✏️ Когда")
        early = await answer(env, coordinator, "21.09.2026 20:00")
        assert "Оно должно уйти 21.09.2026 23:30, уже после этого начала" in early["text"]
        await env.say(coordinator, "/cancel")
        await compose(env, coordinator, title="Семинар «Отменённый»")
        await press(env, coordinator, "🕒 Отправить позже")
        await env.say(coordinator, "21.09.2026 23:30", expect=2)
        await press(env, coordinator, "↩️ Не отправлять по расписанию")

        await env.restart()  # the schedule lives in the database
        announcements = scheduler_of(env)
        assert await announcements.run_due() == []
        assert (await env.repo.outbox.counts())["pending"] == 0
        # 23:30 in Moscow: started on time, held until the quiet hours end
        clock.jump(datetime(2026, 9, 21, 20, 30, 1, tzinfo=UTC))
        ran = await announcements.run_due()
        assert len(ran) == 1 and ran[0].startswith("announce:send:")
        await coordinator_says(env, coordinator, "Тихие часы: рассылка продолжится в 09:00")
        assert (await env.repo.outbox.counts())["pending"] == 5
        assert await announcements_in(env, region.kazan_head) == []
        # the morning: the worker sends them (its clock is the bot's)
        clock.jump(datetime(2026, 9, 22, 6, 0, 1, tzinfo=UTC))
        assert env.app is not None
        env.app.dp["delivery_worker"].notify()
        await settled(env)
        for user in (region.kazan_head, region.sosna_head, region.curator):
            assert [shown(m).split("\n")[0] for m in await announcements_in(env, user)] == [
                "📣 Семинар «Утро» для директоров"
            ]
        cancelled = [a for a in await env.repo.announcements.listed() if "Отменённый" in a.title]
        assert cancelled[0].status is Status.DRAFT


async def test_the_text_is_edited_after_sending_and_a_correction_goes_to_the_same_people(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        region = await Region(env).build()
        scheduler_of(env)
        coordinator = region.regional
        await compose(env, coordinator, text="Начало в 14:00.")
        await send_now(env, coordinator)
        await settled(env)
        await coordinator_says(env, coordinator, "Кто не получил")  # the sending is over
        await press(env, coordinator, "✏️ Исправить текст")
        await env.client.send_text(coordinator, "Начало <b>в 15:00</b>: перенесли.")
        saved = await coordinator_says(env, coordinator, "Новый текст сохранён")
        assert "(5)" in saved["text"]
        await settled(env)
        await coordinator_says(env, coordinator, "доставленные сообщения исправлены")
        for user in (region.kazan_head, region.curator):
            (edited,) = await announcements_in(env, user)
            assert "Начало в 15:00: перенесли." in edited["text"]
            assert "Начало в 14:00" not in edited["text"]
            assert edited.get("edit_date")
            assert set(buttons(edited)) == {"✅ Приду", "❌ Не смогу"}
        await press(env, coordinator, "✉️ Отправить уточнение")
        await env.client.send_text(coordinator, "Ссылка для подключения та же.")
        await coordinator_says(env, coordinator, "Уточнение рассылается (5 получателей)")
        await settled(env)
        for user in (region.kazan_head, region.sosna_head, region.curator, region.own):
            fixes = [m for m in await env.visible(user) if shown(m).startswith("✏️ Уточнение")]
            assert len(fixes) == 1 and "Ссылка для подключения та же." in fixes[0]["text"]
        edits = [
            r for r in await env.client.requests(method="editMessageText") if r["status"] == 200
        ]
        assert len([r for r in edits if "15:00" in str(r["params"].get("text"))]) == 5


async def test_answers_change_until_the_start_reminders_go_to_those_coming(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock(NOON)
    async with bot_under_test(tmp_path, clock=clock) as env:
        region = await Region(env).build()
        announcements = scheduler_of(env)
        coordinator = region.regional
        await compose(env, coordinator, when="21.09.2026 14:00")  # 11:00 UTC tomorrow
        await send_now(env, coordinator)
        await settled(env)

        changed = await press(env, region.kazan_head, "✅ Приду")
        assert set(buttons(changed[-1])) == {
            "• ✅ Приду •",
            "❌ Не смогу",
            "👥 Сколько сотрудников школы придёт?",
        }
        asked = await press(env, region.kazan_head, "👥 Сколько сотрудников школы придёт?")
        assert "Сколько сотрудников школы, включая вас" in asked[-1]["text"]
        staff = await press(env, region.kazan_head, "3")
        assert "от школы придут 3 сотрудника" in staff[-1]["text"]
        await press(env, region.sosna_head, "✅ Приду")
        await press(env, region.sosna_head, "❌ Не смогу")
        await press(env, region.curator, "✅ Приду")
        listing = await press(env, coordinator, "📋 Ответы по школам")
        text = listing[-1]["text"]
        assert "Придут: 2 (из 1 школы, сотрудников: 3) · не смогут: 1 · не ответили: 2" in text
        assert "Казанская СОШ: Иванова Елена — придёт, сотрудников: 3" in text
        assert "Сосновская СОШ: Иванова Сергей — не сможет" in text

        clock.jump(datetime(2026, 9, 20, 11, 0, 1, tzinfo=UTC))  # a day before
        assert [job for job in await announcements.run_due() if ":24" in job]
        await settled(env)
        clock.jump(datetime(2026, 9, 21, 10, 0, 1, tzinfo=UTC))  # an hour before
        assert [job for job in await announcements.run_due() if ":1" in job]
        await settled(env)
        for user, expected in (
            (region.kazan_head, ["через 1 день", "через 1 час"]),
            (region.curator, ["через 1 день", "через 1 час"]),
            (region.sosna_head, []),
            (region.own, []),
        ):
            got = [m["text"] for m in await env.visible(user) if m["text"].startswith("⏰")]
            assert [next(w for w in expected if w in t) for t in got] == expected, user
        # the restart runs nothing twice
        await env.restart()
        assert await scheduler_of(env).run_due() == []
        clock.jump(datetime(2026, 9, 21, 11, 0, 1, tzinfo=UTC))  # it has started
        closed = await env.client.press(region.sosna_head, button_text="✅ Приду")
        said = await env.client.wait_for(
            lambda: callback_answer(env, closed["callback_query_id"]), timeout=10
        )
        assert "ответы закрыты" in said["text"]
        rows = await env.repo.announcements.answers((await latest_announcement(env)).id)
        assert {row.full_name: row.answer for row in rows if row.answer} == {
            "Иванова Елена": "yes",
            "Иванова Сергей": "no",
            "Иванова Ольга": "yes",
        }


async def test_a_prepared_message_gives_the_text_and_the_file(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: NOON) as env:
        region = await Region(env).build()
        coordinator = region.regional
        await env.say(coordinator, "/announce")
        await press(env, coordinator, "➕ Новое объявление")
        await env.client.upload_document(
            coordinator, "Программа.pdf", PDF, caption="Повестка: 1 < 2, доклады & вопросы."
        )
        taken = await until(lambda: _says(env, coordinator, "Теперь напишите название"))
        assert "и файл" in taken["text"], taken["text"]
        await answer(env, coordinator, "Семинар «Готовое сообщение»")
        await answer(env, coordinator, "16.10.2026 10:00")
        await press(env, coordinator, "💻 Онлайн")
        card = await answer(env, coordinator, "https://meet.example.ru/ready")
        assert "Вложение: Программа.pdf" in card["text"], card["text"]
        preview = await press(env, coordinator, "👁 Как увидят получатели", expect=2)
        document = next(m for m in preview if m.get("document"))
        assert "Повестка: 1 < 2, доклады & вопросы." in document["caption"]


async def _says(env: BotEnv, user: int, fragment: str) -> dict | None:
    last = (await env.visible(user))[-1]
    return last if fragment in shown(last) else None
