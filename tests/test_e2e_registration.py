"""Registration, roles and the menu, driven through the sandbox as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.models import Role
from tests.harness import BOT_USERNAME, bot_under_test, buttons, callback_answer


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


async def test_a_stranger_is_told_who_the_bot_is_for_and_how_to_join(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        reply = await env.say(7001, "/start")
        assert "приглашени" in reply[0]["text"]
        assert "координатор" in reply[0]["text"]
        again = await env.say(7001, "покажите отчёт")
        assert again[0]["text"] == reply[0]["text"]
        assert await env.repo.people.by_telegram_id(7001) is None


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_registers_through_an_invitation(tmp_path: Path, role: Role) -> None:
    async with bot_under_test(tmp_path) as env:
        first = await env.add_school("МБОУ «Казанская СОШ»", short_name="Казанская СОШ")
        second = await env.add_school("МБОУ «Речицкая СОШ»", short_name="Речицкая СОШ")
        schools = {
            Role.PRINCIPAL: [first],
            Role.DEPUTY: [first],
            Role.CURATOR: [first, second],
            Role.COORDINATOR: [],
        }
        code = await env.invite(role, schools[role])
        replies = await env.say(
            7002, f"/start {code}", expect=2, first_name="Мария", last_name="Иванова"
        )
        assert "Иванова Мария" in replies[0]["text"]
        assert "зарегистрированы" in replies[0]["text"]
        menu = replies[1]
        person = await env.repo.people.by_telegram_id(7002)
        assert person is not None and person.full_name == "Иванова Мария"
        roles = await env.repo.people.roles(person.id)
        assert roles.names == [role]
        if role in (Role.PRINCIPAL, Role.DEPUTY):
            assert roles.principal_school_id == first
            assert roles.deputy == (role is Role.DEPUTY)
            assert "Казанская СОШ" in menu["text"]
            assert "📝 Показатели" in buttons(menu)
        elif role is Role.CURATOR:
            assert roles.curator_school_ids == {first, second}
            assert "Речицкая СОШ" in menu["text"]
        else:
            assert "координатор" in menu["text"]
            assert "✉️ Пригласить участника" in buttons(menu)
        if role is not Role.COORDINATOR:
            assert "✉️ Пригласить участника" not in buttons(menu)
        commands = await env.client.commands()
        chat_scoped = [c for c in commands if (c.get("scope") or {}).get("chat_id") == 7002]
        assert chat_scoped, commands
        names = [c["command"] for c in chat_scoped[-1]["commands"]]
        assert "menu" in names
        assert "submit" in names or role not in (Role.PRINCIPAL, Role.DEPUTY)
        # coordinators invite anyone, a principal their deputies, a deputy nobody
        assert ("invite" in names) == (role in (Role.COORDINATOR, Role.PRINCIPAL))


async def test_a_nickname_makes_the_bot_ask_for_the_full_name_politely(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»")
        code = await env.invite(Role.PRINCIPAL, [school])
        ask = await env.say(7003, f"/start {code}", first_name="🌸Машуля🌸")
        assert "фамилию, имя и отчество" in ask[0]["text"]
        retry = await env.say(7003, "маша 123")
        assert "не похоже на ФИО" in retry[0]["text"]
        sticker_before = len(await env.visible(7003))
        await env.client.send_sticker(7003)
        msgs = await env.client.wait_for_messages(7003, sticker_before + 1)
        assert "ФИО текстом" in msgs[-1]["text"]
        done = await env.say(7003, "иванова мария петровна", expect=2)
        assert "Спасибо, Иванова Мария Петровна!" in done[0]["text"]
        person = await env.repo.people.by_telegram_id(7003)
        assert person is not None and person.full_name == "Иванова Мария Петровна"


async def test_codes_are_single_use_expire_and_cannot_be_forged(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        code = await env.invite(Role.COORDINATOR)
        await env.say(7004, f"/start {code}", expect=2, first_name="Олег", last_name="Петров")
        reused = await env.say(7005, f"/start {code}", first_name="Анна", last_name="Смирнова")
        assert "уже использовано" in reused[0]["text"]
        own = await env.say(7004, f"/start {code}", expect=2)
        assert "Вы уже вошли по этому приглашению" in own[0]["text"]

        expired = await env.invite(Role.COORDINATOR)
        await env.repo.db.execute(
            "UPDATE invitations SET expires_at = '2020-01-01T00:00:00Z' WHERE used_at IS NULL"
        )
        late = await env.say(7006, f"/start {expired}", first_name="Анна", last_name="Смирнова")
        assert "истёк 01.01.2020" in late[0]["text"]

        forged = await env.say(7007, "/start AAAAAAAAAAAAAAAAAAAAAA")
        assert "не узнаю этот код" in forged[0]["text"]
        for user_id in (7005, 7006, 7007):
            assert await env.repo.people.by_telegram_id(user_id) is None


async def test_lang_switches_to_english_and_is_remembered_after_a_restart(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        user = await env.register(Role.COORDINATOR)
        choose = await env.say(user, "/lang")
        assert "🇬🇧 English" in buttons(choose[0])
        await env.client.press(user, button_text="🇬🇧 English")
        await env.client.wait_for(
            lambda: _edited_to(env, user, choose[0]["message_id"], "Language: English"),
            timeout=10,
        )
        help_en = await env.say(user, "/help")
        assert "Here is what you can do" in help_en[0]["text"]
        await env.restart()
        help_again = await env.say(user, "/help")
        assert "Here is what you can do" in help_again[0]["text"]
        commands = await env.client.commands()
        mine = [c for c in commands if (c.get("scope") or {}).get("chat_id") == user]
        assert mine[-1]["commands"][0]["description"] == "main menu"


async def _edited_to(env, user: int, message_id: int, text: str) -> bool:
    for message in await env.client.messages(user):
        if message["message_id"] == message_id:
            return text in message.get("text", "")
    return False


async def test_a_restart_in_the_middle_of_registration_continues_there(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»")
        code = await env.invite(Role.PRINCIPAL, [school])
        await env.say(7008, f"/start {code}", first_name="x")
        await env.restart()
        done = await env.say(7008, "Петров Пётр Петрович", expect=2)
        assert "Спасибо, Петров Пётр Петрович!" in done[0]["text"]
        person = await env.repo.people.by_telegram_id(7008)
        assert person is not None
        assert (await env.repo.people.roles(person.id)).principal_school_id == school


async def test_cancel_leaves_registration_and_the_invitation_still_works(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        code = await env.invite(Role.COORDINATOR)
        await env.say(7009, f"/start {code}", first_name="x")
        stopped = await env.say(7009, "/cancel")
        assert "Остановлено" in stopped[0]["text"]
        nothing = await env.say(7009, "/cancel")
        assert "Отменять нечего" in nothing[0]["text"]
        again = await env.say(
            7009, f"/start {code}", first_name="Олег", last_name="Петров", expect=2
        )
        assert "зарегистрированы" in again[0]["text"]


async def test_unexpected_content_gets_a_polite_answer(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        user = await env.register(Role.COORDINATOR)
        before = len(await env.visible(user))
        await env.client.send_photo(user, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        await env.client.send_sticker(user)
        messages = await env.client.wait_for_messages(user, before + 2)
        answers = texts(messages[before:])
        assert "не могу принять фотографии" in answers
        assert "не могу принять стикеры" in answers
        unknown = await env.say(user, "/nonsense")
        assert "не понял" in unknown[0]["text"]
        stranger = await env.client.send_sticker(7010)
        assert stranger
        msgs = await env.client.wait_for_messages(7010, 1)
        assert "приглашени" in msgs[0]["text"]


async def test_the_flood_guard_slows_one_person_and_not_the_others(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, flood_burst=5, flood_rate=0.5) as env:
        loud = await env.register(Role.COORDINATOR)
        quiet = await env.register(Role.COORDINATOR, first_name="Олег", last_name="Петров")
        before = len(await env.visible(loud))
        for _ in range(20):
            await env.client.send_text(loud, "/help")
        reply = await env.say(quiet, "/help")
        assert "Вот что вы можете сделать" in reply[0]["text"]
        messages = await env.client.wait_for(
            lambda: _has_text(env, loud, "очень быстро"), timeout=10
        )
        assert messages
        answered = [m for m in (await env.visible(loud))[before:] if "Вот что" in m["text"]]
        assert 1 <= len(answered) < 20
        warnings = [m for m in (await env.visible(loud))[before:] if "очень быстро" in m["text"]]
        assert len(warnings) == 1


async def _has_text(env, user: int, fragment: str) -> bool:
    return any(fragment in m.get("text", "") for m in await env.client.messages(user))


async def test_a_coordinator_invites_a_principal_in_chat(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»", short_name="Казанская СОШ")
        coordinator = await env.register(Role.COORDINATOR)
        ask = await env.say(coordinator, "/invite")
        assert "Кого вы приглашаете" in ask[0]["text"]
        await env.client.press(coordinator, button_text="Руководитель ОО")
        await env.client.wait_for(
            lambda: _has_text(env, coordinator, "Выберите школу руководителя"), timeout=10
        )
        await env.client.press(coordinator, button_text="Казанская СОШ · Ливенский район")
        await env.client.wait_for(lambda: _has_text(env, coordinator, "t.me/"), timeout=10)
        last = (await env.visible(coordinator))[-1]["text"]
        assert f"https://t.me/{BOT_USERNAME}?start=" in last
        code = last.split("?start=")[1].split()[0]
        joined = await env.say(
            7011, f"/start {code}", expect=2, first_name="Пётр", last_name="Сидоров"
        )
        assert "Казанская СОШ" in joined[1]["text"]
        person = await env.repo.people.by_telegram_id(7011)
        assert person is not None
        assert (await env.repo.people.roles(person.id)).principal_school_id == school


async def test_a_forged_invite_button_from_a_principal_is_refused(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»")
        principal = await env.register(Role.PRINCIPAL, [school])
        menu = (await env.visible(principal))[-1]
        assert "✉️ Пригласить участника" not in buttons(menu)
        update = await env.client.press(
            principal, callback_data="invr:coordinator", message_id=menu["message_id"], force=True
        )
        answers = await env.client.wait_for(
            lambda: callback_answer(env, update["callback_query_id"]), timeout=10
        )
        assert "недоступна" in answers["text"]
        row = await env.repo.db.fetch_one(
            "SELECT count(*) FROM invitations WHERE created_by IS NOT NULL"
        )
        assert row[0] == 0


async def test_a_failure_is_answered_politely_and_the_state_is_kept(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        school = await env.add_school("МБОУ «Казанская СОШ»")
        code = await env.invite(Role.PRINCIPAL, [school])
        await env.say(7012, f"/start {code}", first_name="x")
        await env.client.fault("sendMessage", count=1, code=500)
        sorry = await env.say(7012, "не имя 1")
        assert "что-то пошло не так" in sorry[0]["text"]
        done = await env.say(7012, "Петров Пётр Петрович", expect=2)
        assert "зарегистрированы" in done[0]["text"]


async def test_a_coordinator_invites_a_curator_with_several_schools(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        first = await env.add_school("МБОУ «Казанская СОШ»", short_name="Казанская СОШ")
        second = await env.add_school("МБОУ «Речицкая СОШ»", short_name="Речицкая СОШ")
        await env.add_school("МБОУ «Сосновская СОШ»", short_name="Сосновская СОШ")
        coordinator = await env.register(Role.COORDINATOR)
        await env.say(coordinator, "/invite")
        await env.client.press(coordinator, button_text="Куратор")
        await env.client.wait_for(lambda: _has_text(env, coordinator, "школы куратора"))
        await env.client.press(coordinator, button_text="Готово (выбрано: 0)")
        await env.client.press(coordinator, button_text="Казанская СОШ · Ливенский район")
        await env.client.wait_for(lambda: _has_button(env, coordinator, "Готово (выбрано: 1)"))
        await env.client.press(coordinator, button_text="Речицкая СОШ · Ливенский район")
        await env.client.wait_for(lambda: _has_button(env, coordinator, "Готово (выбрано: 2)"))
        await env.client.press(coordinator, button_text="Готово (выбрано: 2)")
        await env.client.wait_for(lambda: _has_text(env, coordinator, "t.me/"), timeout=10)
        last = (await env.visible(coordinator))[-1]["text"]
        assert "Казанская СОШ" in last and "Речицкая СОШ" in last
        code = last.split("?start=")[1].split()[0]
        await env.say(7020, f"/start {code}", expect=2, first_name="Анна", last_name="Смирнова")
        person = await env.repo.people.by_telegram_id(7020)
        assert person is not None
        roles = await env.repo.people.roles(person.id)
        assert roles.curator_school_ids == {first, second}


async def _has_button(env, user: int, text: str) -> bool:
    return any(text in buttons(m) for m in await env.visible(user))


async def test_a_stranger_can_switch_to_english(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as env:
        choose = await env.say(7021, "/lang")
        await env.client.press(7021, button_text="🇬🇧 English")
        await env.client.wait_for(
            lambda: _edited_to(env, 7021, choose[0]["message_id"], "Language: English")
        )
        reply = await env.say(7021, "/start")
        assert "invitation" in reply[0]["text"]
        assert await env.repo.people.by_telegram_id(7021) is None
