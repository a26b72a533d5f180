"""Principals fill in indicators; coordinators watch, review and export — through the sandbox."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from storage.models import Role
from tests.harness import (
    SEPTEMBER,
    answer,
    bot_under_test,
    buttons,
    callback_answer,
    fill_may_first,
    open_campaign,
    open_october,
    press,
    principal_of_new_school,
)


async def test_a_whole_campaign_with_wrong_inputs_on_the_way(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        question = await open_october(env, user)
        assert "вопрос 1 из" in question["text"]
        assert "педагогических работников" in question["text"]

        wrong = await answer(env, user, "сорок")
        assert "⚠️" in wrong["text"] and "вопрос 1 из" in wrong["text"]
        q = await answer(env, user, "40")
        assert "вопрос 2 из" in q["text"] and "Общее количество учителей ОО" in q["text"]
        assert "вопрос 3 из" in (await answer(env, user, "36"))["text"]  # the teachers
        q = await answer(env, user, "45")
        assert "вопрос 4 из" in q["text"] and "2025/26 учебного года" in q["text"]
        q = await answer(env, user, "27")  # 4th-graders of 2025/26; now the first indicator
        assert "первой квалификационной категории" in q["text"]

        assert "⚠️" in (await answer(env, user, "150"))["text"]
        q = await answer(env, user, "30%")
        assert "высшей квалификационной категории" in q["text"]
        impossible = await answer(env, user, "12 из 10")
        assert "⚠️" in impossible["text"] and "высшей" in impossible["text"]
        too_many = await answer(env, user, "80")  # 30 % + 80 % of the same teachers
        assert "⚠️" in too_many["text"] and "высшей" in too_many["text"]
        q = await answer(env, user, "20,5")
        assert "молодых педагогов" in q["text"]
        q = await answer(env, user, "12 из 40")
        assert "вакансий" in q["text"]
        q = await answer(env, user, "2: учитель математики, учитель физики")
        assert "трём и более" in q["text"]
        assert "⚠️" in (await answer(env, user, "abc"))["text"]
        q = await answer(env, user, "10 %")
        assert "18–24" in q["text"] and "От общего числа учителей" in q["text"]
        q = await answer(env, user, "50")
        assert "последние три года" in q["text"]
        q = await answer(env, user, "20 из 45")
        assert "Федерального реестра" in q["text"]
        q = await answer(env, user, "30 %")
        assert "Доля педагогов, повысивших квалификацию" in q["text"]
        below = await answer(env, user, "20 %")  # less than the federal-register share of 30 %
        assert "⚠️" in below["text"]
        q = await answer(env, user, "35 %")
        assert "региональных мероприятиях" in q["text"]
        q = await answer(env, user, "50 %")
        assert "победителей" in q["text"]
        assert "⚠️" in (await answer(env, user, "0 1 300"))["text"]
        q = await answer(env, user, "0 1 3")
        assert "договоров" in q["text"]
        q = (await press(env, user, "Да"))[-1]
        assert "федеральных проектах" in q["text"]
        toggled = (await press(env, user, "«Точка роста»"))[-1]
        assert "✅ «Точка роста»" in buttons(toggled)
        q = (await press(env, user, "Готово (выбрано: 1)"))[-1]
        assert "4-х классов" in q["text"]
        assert "⚠️" in (await answer(env, user, "30 из 27"))["text"]
        review = await answer(env, user, "25 из 27")

        assert "ваши ответы" in review["text"]
        assert "30 %" in review["text"] and "12 из 40" in review["text"]
        assert "📤 Отправить" in buttons(review)
        done = (await press(env, user, "📤 Отправить"))[-1]
        assert "✅ Представлено" in done["text"]
        assert "20.09.2026 12:00" in done["text"]  # 09:00 UTC in Moscow
        assert "опоздани" not in done["text"]

        campaign = await env.repo.submissions.find_campaign(2026, "10-01")
        assert campaign is not None
        submission = await env.repo.submissions.get(campaign.id, school)
        assert submission is not None and submission.status == "submitted" and not submission.late
        answers = await env.repo.submissions.answers(submission.id)
        assert answers["first_category"] == {"percent": 30.0}
        assert answers["young_teachers"] == {"percent": 30.0, "count": 12, "base": 40}
        assert answers["vacancies"]["count"] == 2
        assert answers["contest_winners"] == {"federal": 0, "regional": 1, "municipal": 3}
        assert answers["university_agreements"] == {"yes": True}
        assert answers["federal_projects"]["options"] == ["tochka_rosta"]
        assert submission.bases == {
            "teachers": 40,
            "subject_teachers": 36,
            "managers_and_teachers": 45,
            "grade4": 27,
        }


async def test_back_keep_cancel_and_a_restart_resume_at_the_same_question(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        await open_october(env, user)
        await answer(env, user, "40")
        q3 = await answer(env, user, "36")
        assert "вопрос 3 из" in q3["text"]
        back = (await press(env, user, "⬅️ Назад"))[-1]
        assert "вопрос 2 из" in back["text"] and "Сейчас: 36" in back["text"]
        kept = (await press(env, user, "Оставить этот ответ"))[-1]
        assert "вопрос 3 из" in kept["text"]
        cancelled = (await press(env, user, "Отмена (черновик сохранится)"))[-1]
        assert "черновик" in cancelled["text"]

        listing = await env.say(user, "/submit")
        assert "черновик" in listing[0]["text"]
        title = next(t for t in buttons(listing[0]) if "октября" in t)
        resumed = (await press(env, user, title))[-1]
        assert "вопрос 3 из" in resumed["text"]

        await env.restart()
        after_restart = await answer(env, user, "45")
        assert "вопрос 4 из" in after_restart["text"]


async def test_skip_is_offered_only_for_optional_questions(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        question = await fill_may_first(env, user)
        assert "Локальные акты" in question["text"]
        assert "Пропустить ➡️" not in buttons(question)
        assert "⚠️" in (await answer(env, user, "ftp://school.ru"))["text"]
        review = await answer(env, user, "school48.ru/local-acts")
        assert "https://school48.ru/local-acts" in review["text"]
        document_question = await open_campaign(env, user, "по графику")
        assert "Пропустить ➡️" in buttons(document_question)
        review = (await press(env, user, "Пропустить ➡️"))[-1]
        assert "ваши ответы" in review["text"]


async def test_late_submission_is_accepted_and_marked(tmp_path: Path) -> None:
    november = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    async with bot_under_test(tmp_path, clock=lambda: november) as env:
        school, user = await principal_of_new_school(env)
        listing = await env.say(user, "/submit")
        assert "не представлено, срок прошёл (последний день — 1 мая 2026)" in listing[0]["text"]
        question = await fill_may_first(env, user)
        assert "Локальные акты" in question["text"]
        review = await answer(env, user, "https://school.ru/acts")
        assert "📤 Отправить" in buttons(review)
        done = (await press(env, user, "📤 Отправить"))[-1]
        assert "Срок был до 1 мая 2026 включительно" in done["text"]
        assert "с опозданием" in done["text"]
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        submission = await env.repo.submissions.get(campaign.id, school)
        assert submission is not None and submission.late


async def test_edit_after_submission_keeps_the_history(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await fill_may_first(env, user)
        await answer(env, user, "https://school.ru/acts")
        await press(env, user, "📤 Отправить")
        listing = await env.say(user, "/submit")
        assert "представлено с опозданием, на проверке" in listing[0]["text"]
        title = next(t for t in buttons(listing[0]) if "1 мая" in t)
        review = (await press(env, user, title))[-1]
        assert "📤 Отправить" not in buttons(review)
        edit = (await press(env, user, "✏️ 1"))[-1]
        assert "Сейчас: https://school.ru/acts" in edit["text"]
        review = await answer(env, user, "https://school.ru/acts-2026")
        assert "acts-2026" in review["text"]
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        submission = await env.repo.submissions.get(campaign.id, school)
        assert submission is not None
        history = await env.repo.submissions.history(submission.id)
        changes = [h for h in history if h.field == "local_acts"]
        assert changes[-1].old_value == {"url": "https://school.ru/acts"}
        assert changes[-1].new_value == {"url": "https://school.ru/acts-2026"}
        person = await env.repo.people.by_telegram_id(user)
        assert person is not None and changes[-1].changed_by == person.id


async def test_return_for_correction_reaches_the_principal_and_resubmission_works(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, principal = await principal_of_new_school(env)
        coordinator = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        await fill_may_first(env, principal)
        await answer(env, principal, "https://school.ru/acts")
        await press(env, principal, "📤 Отправить")

        waiting = await env.say(coordinator, "/review")
        assert "ожидают проверки: 1" in waiting[0]["text"]
        opened = (await press(env, coordinator, next(iter(buttons(waiting[0])))))[-1]
        assert "https://school.ru/acts" in opened["text"]
        asked = await press(env, coordinator, "↩️ Вернуть на доработку")
        assert "комментарий" in asked[-1]["text"]
        before = len(await env.visible(principal))
        confirmed = await env.say(coordinator, "Ссылка ведёт на старую версию актов")
        assert "Возвращено" in confirmed[0]["text"]
        told = await env.client.wait_for_messages(principal, before + 1)
        assert "на доработку" in told[-1]["text"]
        assert "старую версию" in told[-1]["text"]

        review = (await press(env, principal, "Открыть форму"))[-1]
        assert "старую версию" in review["text"]
        await press(env, principal, "✏️ 1")
        review = await answer(env, principal, "https://school.ru/acts-new")
        coordinator_seen = len(await env.visible(coordinator))
        done = (await press(env, principal, "📤 Отправить"))[-1]
        assert "✅ Представлено" in done["text"]
        # the coordinator hears that it came back, and what changed since the comment
        resent = await env.client.wait_for_messages(coordinator, coordinator_seen + 1)
        assert "снова представила" in resent[-1]["text"]
        assert "Изменено: Локальные акты" in resent[-1]["text"]
        again = await env.say(coordinator, "/review")
        assert "ожидают проверки: 1" in again[0]["text"]
        opened = (await press(env, coordinator, next(iter(buttons(again[0])))))[-1]
        assert "Ваш прежний комментарий: Ссылка ведёт на старую версию" in opened["text"]
        assert "Изменено после вашего последнего решения: Локальные акты" in opened["text"]
        before = len(await env.visible(principal))
        await press(env, coordinator, "✅ Принять")
        told = await env.client.wait_for_messages(principal, before + 1)
        assert "принят" in told[-1]["text"]
        # the three notices left through the outbox, once each

        async def all_sent() -> bool:
            return (await env.repo.outbox.counts())["sent"] == 3

        assert await env.client.wait_for(all_sent, timeout=5)


async def test_a_forged_button_for_another_school_is_refused(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, first = await principal_of_new_school(env, "МБОУ «Казанская СОШ»")
        other_school, second = await principal_of_new_school(env, "МБОУ «Речицкая СОШ»")
        await fill_may_first(env, second)
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        theirs = await env.repo.submissions.get(campaign.id, other_school)
        assert theirs is not None
        menu = (await env.visible(first))[-1]
        update = await env.client.press(
            first,
            callback_data=f"form:yes:{theirs.id}:0:",
            message_id=menu["message_id"],
            force=True,
        )
        answer_ = await env.client.wait_for(
            lambda: callback_answer(env, update["callback_query_id"]), timeout=10
        )
        assert "недоступна" in answer_["text"]
        assert await env.repo.submissions.answers(theirs.id) == {}


async def test_two_devices_do_not_overwrite_each_other_silently(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, first = await principal_of_new_school(env)
        second = await env.register(Role.PRINCIPAL, [school], first_name="Олег", last_name="Петров")
        await fill_may_first(env, first)
        await fill_may_first(env, second)
        await answer(env, second, "https://school.ru/theirs")
        conflict = await answer(env, first, "https://school.ru/mine")
        assert "Петров О., руководитель ОО изменил(а)" in conflict["text"]  # who, and what they are
        assert "https://school.ru/theirs" in conflict["text"]
        review = (await press(env, first, "Сохранить мой"))[-1]
        assert "https://school.ru/mine" in review["text"]


async def test_status_shows_counts_and_curators_see_only_their_schools(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        kazan, principal = await principal_of_new_school(env, "МБОУ «Казанская СОШ»")
        rechitsa = await env.add_school("МБОУ «Речицкая СОШ»", "город Ливны", short_name="Речицкая")
        await env.add_school("МБОУ «Сосновская СОШ»", short_name="Сосновская")
        await fill_may_first(env, principal)
        await answer(env, principal, "https://school.ru/acts")
        await press(env, principal, "📤 Отправить")
        coordinator = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        curator = await env.register(
            Role.CURATOR, [kazan, rechitsa], first_name="Анна", last_name="Смирнова"
        )

        summary = await env.say(coordinator, "/status")
        assert "3 школ" in summary[0]["text"] or "(3" in summary[0]["text"]
        page = await press(env, coordinator, next(t for t in buttons(summary[0]) if "1 мая" in t))
        text = page[-1]["text"]
        assert "Речицкая" in text and "Сосновская" in text and "Казанская" not in text
        assert text.index("город Ливны") < text.index("Речицкая")

        mine = await env.say(curator, "/status")
        page = await press(env, curator, next(t for t in buttons(mine[0]) if "1 мая" in t))
        assert "Речицкая" in page[-1]["text"] and "Сосновская" not in page[-1]["text"]
        refused = await env.say(principal, "/status")
        assert "координаторам и кураторам" in refused[0]["text"]


async def test_export_in_chat_sends_a_workbook_with_the_schools(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, principal = await principal_of_new_school(env)
        await fill_may_first(env, principal)
        await answer(env, principal, "https://school.ru/acts")
        coordinator = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        sent = await env.say(coordinator, "/export")
        document = sent[-1]["document"]
        assert document["file_name"].endswith(".xlsx")
        workbook = load_workbook(io.BytesIO(await env.client.file(document["file_id"])))
        cells = [str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value]
        assert any("Казанская" in c for c in cells)
        refused = await env.say(principal, "/export")
        assert "для координаторов" in refused[0]["text"]


async def test_a_closed_campaign_takes_no_more_changes(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        question = await fill_may_first(env, user)
        assert "Локальные акты" in question["text"]
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        await env.repo.submissions.close_campaign(campaign.id)
        refused = await env.say(user, "https://school.ru/acts")
        assert "больше недоступна" in refused[0]["text"]
        listing = await env.say(user, "/submit")
        assert "1 мая" not in listing[0]["text"]
        submission = await env.repo.submissions.open(campaign.id, 1, None)
        assert await env.repo.submissions.answers(submission.id) == {}


async def test_an_accept_on_a_screen_older_than_the_answers_is_refused(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, principal = await principal_of_new_school(env)
        coordinator = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        await fill_may_first(env, principal)
        await answer(env, principal, "https://school.ru/acts")
        await press(env, principal, "📤 Отправить")
        waiting = await env.say(coordinator, "/review")
        await press(env, coordinator, next(iter(buttons(waiting[0]))))
        # the principal corrects an answer while the coordinator is looking
        await open_campaign(env, principal, "1 мая")
        await press(env, principal, "✏️ 1")
        await answer(env, principal, "https://school.ru/acts-fixed")
        update = await env.client.press(coordinator, button_text="✅ Принять")
        alert = await env.client.wait_for(
            lambda: callback_answer(env, update["callback_query_id"]), timeout=10
        )
        assert "изменился" in alert["text"]
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        submission = await env.repo.submissions.get(campaign.id, school)
        assert submission is not None and submission.status == "submitted"

        async def shown_again() -> bool:
            return "acts-fixed" in (await env.visible(coordinator))[-1]["text"]

        # the alert comes first, then the coordinator's screen shows the report as it is now
        await env.client.wait_for(shown_again, timeout=10, description="the fresh screen")


async def test_the_not_submitted_list_is_paginated(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        for number in range(1, 26):
            await env.add_school(f"МБОУ «СОШ № {number:02d}»", short_name=f"СОШ № {number:02d}")
        coordinator = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        summary = await env.say(coordinator, "/status")
        first = await press(env, coordinator, next(t for t in buttons(summary[0]) if "1 мая" in t))
        text = first[-1]["text"]
        assert "страница 1 из 2" in text and "СОШ № 20" in text and "СОШ № 21" not in text
        second = (await press(env, coordinator, "▶️"))[-1]["text"]
        assert "страница 2 из 2" in second and "СОШ № 25" in second and "СОШ № 01" not in second


async def test_text_typed_at_the_summary_keeps_the_form_and_says_what_to_press(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        await fill_may_first(env, user)
        review = await answer(env, user, "https://school.ru/acts")
        assert "📤 Отправить" in buttons(review)
        reply = await answer(env, user, "а что дальше?")
        assert "Ваши ответы сохранены" in reply["text"] and "📤 Отправить" in reply["text"]
        assert "недоступна" not in reply["text"]
        done = (await press(env, user, "📤 Отправить"))[-1]  # the summary's buttons still work
        assert "представлен" in done["text"], done["text"]
