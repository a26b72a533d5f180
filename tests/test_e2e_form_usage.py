"""The indicator form as principals really use it (issue «forms as typed»): nothing ticked
is lost, nothing locks them out, every reading is said back, status words mean what they
say — through the sandbox, as Telegram delivers it."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Any

from bot.indicators.catalog import DEFAULT_CATALOG, load_catalog
from bot.indicators.form import form_steps
from storage.models import Role
from tests.harness import (
    SEPTEMBER,
    BotEnv,
    answer,
    bot_under_test,
    buttons,
    open_october,
    press,
    principal_of_new_school,
)

CATALOG = load_catalog(DEFAULT_CATALOG)
OCTOBER_VALUES: dict[str, Any] = {
    "first_category": {"percent": 30.0},
    "highest_category": {"percent": 20.0},
    "young_teachers": {"percent": 10.0},
    "vacancies": {"count": 0},
    "three_subjects": {"percent": 5.0},
    "optimal_load": {"percent": 50.0},
    "trained_three_years": {"percent": 60.0},
    "federal_register_training": {"percent": 30.0},
    "raised_qualification": {"percent": 40.0},
    "regional_events": {"percent": 20.0},
    "contest_winners": {"federal": 0, "regional": 1, "municipal": 2},
    "university_agreements": {"yes": True},
}


async def prefilled(env: BotEnv, school: int, until: str) -> None:
    """The October form of ``school`` answered up to (not including) question ``until``."""
    (campaign,) = [
        c
        for c in await env.repo.submissions.ensure_campaigns(2026, [("10-01", date(2026, 10, 1))])
        if c.deadline_key == "10-01"
    ]
    submission = await env.repo.submissions.open(campaign.id, school, None)
    bases = (
        ("teachers", 40),
        ("subject_teachers", 36),
        ("managers_and_teachers", 45),
        ("grade4", 27),
    )
    for base, count in bases:
        await env.repo.submissions.save_base(submission.id, base, count, None, None)
    for step in form_steps(CATALOG, campaign):
        if step.is_base:
            continue
        if step.code == until:
            break
        await env.repo.submissions.save_answer(
            submission.id, step.code, OCTOBER_VALUES[step.code], None, None
        )


async def stored(env: BotEnv, school: int, code: str) -> Any:
    campaign = await env.repo.submissions.find_campaign(2026, "10-01")
    assert campaign is not None
    submission = await env.repo.submissions.get(campaign.id, school)
    assert submission is not None
    return (await env.repo.submissions.answers(submission.id)).get(code)


async def test_ticked_options_and_a_typed_one_add_up(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "federal_projects")
        question = await open_october(env, user)
        assert "федеральных проектах" in question["text"]
        ticked = (await press(env, user, "«Точка роста»"))[-1]
        assert "✅ «Точка роста»" in buttons(ticked)
        after = await answer(env, user, "Школа Минпросвещения России")
        assert "Записано" in after["text"] and "«Точка роста»" in after["text"]
        value = await stored(env, school, "federal_projects")
        assert value == {"options": ["tochka_rosta"], "other": "Школа Минпросвещения России"}


async def test_a_long_answer_never_locks_the_form(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "vacancies")
        await open_october(env, user)
        items = "; ".join(f"учитель предмета номер {n} в старших классах" for n in range(90))
        text = f"90: {items}"
        assert 3500 < len(text) <= 4096
        saved = await answer(env, user, text)
        assert "Записано" in saved["text"] and len(saved["text"]) < 4096
        value = await stored(env, school, "vacancies")
        assert value["count"] == 90 and len(value["items"]) == 90
        # the review shows it shortened, the question keeps the whole of it a tap away
        await env.say(user, "/cancel")
        again = await open_october(env, user)
        assert len(again["text"]) < 4096
        review_or_question = again
        assert review_or_question["text"]
        edit = (await press(env, user, "⬅️ Назад"))[-1]
        assert "📄 Ответ целиком" in buttons(edit)
        whole = (await press(env, user, "📄 Ответ целиком"))[-1]
        assert "учитель предмета номер 89" in whole["text"]


async def test_a_report_with_nothing_in_it_cannot_be_sent(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        listing = await env.say(user, "/submit")
        title = next(t for t in buttons(listing[0]) if "по графику" in t)
        await press(env, user, title)
        review = (await press(env, user, "Пропустить ➡️"))[-1]
        assert "Отправлять пока нечего" in review["text"]
        assert "📤 Отправить" not in buttons(review)


async def test_a_second_quick_message_corrects_the_answer_it_was_meant_for(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "young_teachers")
        question = await open_october(env, user)
        assert "молодых педагогов" in question["text"]
        before = len(await env.visible(user))
        await env.client.send_text(user, "12 из 40")
        await env.client.send_text(user, "13 из 40")  # before the next question arrives
        replies = await env.client.wait_for_messages(user, before + 2)
        assert "изменён" in replies[-1]["text"] and "13 из 40" in replies[-1]["text"]
        assert await stored(env, school, "young_teachers") == {
            "percent": 32.5,
            "count": 13,
            "base": 40,
        }
        assert await stored(env, school, "vacancies") is None  # not taken as the next answer
        assert "вакансий" in replies[-1]["text"]  # the next question stays open


async def test_a_bare_number_on_a_share_is_asked_about_and_said_back(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "young_teachers")
        await open_october(env, user)
        asked = await answer(env, user, "8")
        assert "8 % или 8 из 40" in asked["text"]
        saved = (await press(env, user, "8 из 40"))[-1]
        assert "Записано" in saved["text"] and "8 из 40 (20 %)" in saved["text"]
        assert await stored(env, school, "young_teachers") == {
            "percent": 20.0,
            "count": 8,
            "base": 40,
        }


async def test_an_answered_question_loses_its_buttons(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "vacancies")
        question = await open_october(env, user)
        assert buttons(question)
        await answer(env, user, "0")
        old = next(m for m in await env.visible(user) if m["message_id"] == question["message_id"])
        assert not buttons(old)


async def test_bases_that_contradict_each_other_are_refused(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        await open_october(env, user)
        await answer(env, user, "40")
        refused = await answer(env, user, "41")  # more teachers than the teaching staff
        assert "не может быть меньше" in refused["text"] and "вопрос 2 из" in refused["text"]
        assert "вопрос 3 из" in (await answer(env, user, "36"))["text"]
        refused = await answer(env, user, "35")
        assert "не может быть меньше" in refused["text"] and "вопрос 3 из" in refused["text"]
        accepted = await answer(env, user, "45")
        assert "вопрос 4 из" in accepted["text"]


async def test_a_file_or_a_photo_where_they_do_not_fit_gets_the_real_reason(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        listing = await env.say(user, "/submit")
        title = next(t for t in buttons(listing[0]) if "1 мая" in t)
        await press(env, user, title)  # a link question
        before = len(await env.visible(user))
        await env.client.upload_document(user, "акты.pdf", b"%PDF-1.4 acts")
        reply = (await env.client.wait_for_messages(user, before + 1))[-1]
        assert "нужна ссылка" in reply["text"]
        listing = await env.say(user, "/submit")
        title = next(t for t in buttons(listing[0]) if "по графику" in t)
        await press(env, user, title)  # a document question
        before = len(await env.visible(user))
        png = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
        await env.client.send_photo(user, png)
        reply = (await env.client.wait_for_messages(user, before + 1))[-1]
        assert "в PDF или файлом" in reply["text"]


async def test_sending_says_waiting_for_review_and_the_list_tells_progress(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "vacancies")
        listing = await env.say(user, "/submit")
        assert "черновик, отвечено 7 из 18, осталось 11 дней" in listing[0]["text"]
        title = next(t for t in buttons(listing[0]) if "1 мая" in t)
        await press(env, user, title)
        review = await answer(env, user, "https://school.ru/acts")
        done = (await press(env, user, "📤 Отправить"))[-1]
        assert "по московскому времени" in done["text"] and "ждёт проверки" in done["text"]
        assert "принят" not in done["text"]
        assert "Europe/Moscow" not in done["text"]
        listing = await env.say(user, "/submit")
        assert "представлено с опозданием, на проверке" in listing[0]["text"]
        assert review


async def test_a_command_in_the_middle_keeps_the_question_visible(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "vacancies")
        await open_october(env, user)
        replies = await env.say(user, "/menu", expect=2)
        assert "выберите действие" in replies[0]["text"].lower()
        assert "вакансий" in replies[-1]["text"] and "ещё отвечаете" in replies[-1]["text"]
        after = await answer(env, user, "0")  # answers the question the person can see
        assert "Записано" in after["text"]
        assert await stored(env, school, "vacancies") == {"count": 0, "items": []}


async def test_the_language_changes_the_question_on_screen(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "vacancies")
        await open_october(env, user)
        await env.say(user, "/lang")
        # the choice is confirmed, the old question loses its buttons, and it comes again
        changed = await press(env, user, "🇬🇧 English", expect=3)
        assert "Language: English" in changed[-2]["text"]
        assert "question 8 of 18" in changed[-1]["text"]
        assert "vacancies" in changed[-1]["text"].lower()


async def test_cancel_and_close_say_the_same_way_back(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        await prefilled(env, school, "vacancies")
        await open_october(env, user)
        by_command = (await env.say(user, "/cancel"))[-1]["text"]
        await open_october(env, user)
        by_button = (await press(env, user, "Отмена (черновик сохранится)"))[-1]["text"]
        assert by_command == by_button and "/submit" in by_command


async def test_the_coordinator_hears_when_an_accepted_report_is_changed(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school, user = await principal_of_new_school(env)
        coordinator = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        listing = await env.say(user, "/submit")
        title = next(t for t in buttons(listing[0]) if "1 мая" in t)
        await press(env, user, title)
        await answer(env, user, "https://school.ru/acts")
        await press(env, user, "📤 Отправить")
        waiting = await env.say(coordinator, "/review")
        await press(env, coordinator, next(iter(buttons(waiting[0]))))
        await press(env, coordinator, "✅ Принять")
        seen = len(await env.visible(coordinator))
        listing = await env.say(user, "/submit")
        title = next(t for t in buttons(listing[0]) if "1 мая" in t)
        await press(env, user, title)
        await press(env, user, "✏️ 1")
        await answer(env, user, "https://school.ru/acts-2026")
        told = await env.client.wait_for_messages(coordinator, seen + 1)
        assert "изменила принятый отчёт" in told[-1]["text"]
        assert "Изменено: Локальные акты" in told[-1]["text"]
        submission = await env.repo.submissions.get(
            (await env.repo.submissions.find_campaign(2026, "05-01")).id,
            school,  # type: ignore[union-attr]
        )
        assert submission is not None and submission.status == "submitted"
