"""A principal's deputies end to end through the sandbox: the principal invites one (with
the position), the deputy joins, fills in and sends the school's form; the coordinator's
review card and the export name who did what; forged buttons are refused; revoking ends
the deputy's access at once."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook

from storage.models import Role
from tests.harness import (
    SEPTEMBER,
    BotEnv,
    answer,
    bot_under_test,
    buttons,
    fill_may_first,
    forge,
    press,
)

REFUSED = "больше не действует или вам недоступна"
USUAL = "заместитель директора по УВР"


def invitation_code(text: str) -> str:
    """The one-time code in the link of an invitation the bot made."""
    found = re.search(r"start=([\w-]+)", text)
    assert found, text
    return found.group(1)


async def wait_for_text(env: BotEnv, user: int, fragment: str) -> dict:
    """The first message to ``user`` containing ``fragment`` (an outbox message arrives
    on its own)."""

    async def found() -> dict | None:
        return next((m for m in await env.visible(user) if fragment in m.get("text", "")), None)

    return await env.client.wait_for(found, timeout=10)


class School:
    """A school with its principal, and a second school with its own principal."""

    async def build(self, env: BotEnv) -> School:
        self.env = env
        self.id = await env.add_school("МБОУ «Казанская СОШ»", short_name="Казанская СОШ")
        self.other_id = await env.add_school("МБОУ «Речицкая СОШ»", short_name="Речицкая СОШ")
        self.principal = await env.register(Role.PRINCIPAL, [self.id], "Мария", "Иванова")
        self.other_principal = await env.register(
            Role.PRINCIPAL, [self.other_id], "Олег", "Сидоров"
        )
        return self

    async def invite_deputy(self, position: str | None = None) -> tuple[int, dict]:
        """The principal invites a deputy (the usual position, or typed); the deputy joins.
        Returns the deputy's Telegram id and the invitation message."""
        env = self.env
        screen = (await env.say(self.principal, "/invite"))[0]
        if position is None:
            made = (await press(env, self.principal, USUAL))[-1]
        else:
            asked = (await press(env, self.principal, "✏️ Другая должность"))[-1]
            assert "Какая должность у заместителя" in asked["text"]
            made = await answer(env, self.principal, position)
        deputy = env.new_user_id()
        await env.say(
            deputy,
            f"/start {invitation_code(made['text'])}",
            expect=2,
            first_name="Анна",
            last_name="Петрова",
        )
        assert "Заместителей пока нет" in screen["text"]
        return deputy, made


async def test_a_principal_invites_a_deputy_who_joins_as_the_schools_responsible_person(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await School().build(env)
        menu = (await env.say(school.principal, "/menu"))[0]
        assert "👥 Пригласить заместителя" in buttons(menu)
        deputy, made = await school.invite_deputy()
        assert "Приглашение готово. Роль: заместитель руководителя ОО." in made["text"]
        assert f"Должность: {USUAL}" in made["text"]
        assert "Казанская СОШ" in made["text"]
        # the deputy is told what they may do; their menu names the school and the role
        joined = await env.visible(deputy)
        assert "ответственный от ОО" in joined[0]["text"]
        assert "заместитель руководителя: Казанская СОШ" in joined[1]["text"]
        assert "📝 Показатели" in buttons(joined[1])
        assert "👥 Пригласить заместителя" not in buttons(joined[1])
        # the principal hears of it, and /invite lists the deputy with the position
        told = await wait_for_text(env, school.principal, "Заместитель присоединился")
        assert f"Петрова А., {USUAL}" in told["text"]
        listing = (await env.say(school.principal, "/invite"))[0]
        assert f"Петрова А., {USUAL}" in listing["text"]
        assert "❌ Отозвать доступ: Петрова А." in buttons(listing)
        # a deputy invites nobody
        refused = (await env.say(deputy, "/invite"))[0]["text"]
        assert "руководитель ОО приглашает своих заместителей" in refused
        person = await env.repo.people.by_telegram_id(deputy)
        assert person is not None and person.position == USUAL
        roles = await env.repo.people.roles(person.id)
        assert roles.deputy and roles.principal_school_id == school.id


async def test_a_typed_position_is_kept_and_shown(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await School().build(env)
        await env.say(school.principal, "/invite")
        # text typed at the screen is not taken for a position: only after the button
        await env.say(school.principal, "спасибо")
        assert await env.repo.invitations.pending_deputies(school.id) == []
        await press(env, school.principal, "✏️ Другая должность")
        refused = await answer(env, school.principal, "12345")
        assert "не похоже на должность" in refused["text"]
        deputy, made = await school.invite_deputy("Заместитель директора  по ВР")
        assert "Должность: заместитель директора по ВР" in made["text"]
        person = await env.repo.people.by_telegram_id(deputy)
        assert person is not None and person.position == "заместитель директора по ВР"


async def test_the_deputy_sends_the_form_and_review_and_export_name_who_did_it(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await School().build(env)
        deputy, _ = await school.invite_deputy()
        coordinator = await env.register(Role.COORDINATOR, first_name="Анна", last_name="Ким")
        await fill_may_first(env, deputy)
        said = await answer(env, deputy, "https://school.ru/acts")
        assert "Записано" in said["text"]
        sent = (await press(env, deputy, "📤 Отправить"))[-1]
        assert "проверк" in sent["text"]
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        submission = await env.repo.submissions.get(campaign.id, school.id)
        assert submission is not None and submission.status == "submitted"
        person = await env.repo.people.by_telegram_id(deputy)
        assert person is not None and submission.submitted_by == person.id
        # the principal hears who sent the school's report
        told = await wait_for_text(env, school.principal, "на проверку координатору")
        sender = f"📤 Петрова А., {USUAL} отправил(а) «Показатели — до 1 мая 2026 включительно»"
        assert sender in told["text"]
        # the coordinator's card says who sent it
        waiting = (await env.say(coordinator, "/review"))[0]
        card = (await press(env, coordinator, next(iter(buttons(waiting)))))[-1]
        assert f"📤 Отправлено 20.09.2026 12:00: Петрова А., {USUAL}" in card["text"]
        # returned: both of the school's responsible people are told
        await press(env, coordinator, "↩️ Вернуть на доработку")
        await answer(env, coordinator, "Ссылка не открывается")
        for user in (school.principal, deputy):
            notice = await wait_for_text(env, user, "Ссылка не открывается")
            assert "доработк" in notice["text"]
        # the principal corrects the answer: the card names both
        opened = await fill_may_first(env, school.principal)  # the school's answers so far
        assert f"📤 Отправлено 20.09.2026 12:00: Петрова А., {USUAL}" in opened["text"]
        await press(env, school.principal, "✏️ 1")
        said = await answer(env, school.principal, "https://school.ru/acts2")
        assert "Записано" in said["text"]
        await press(env, school.principal, "📤 Отправить")
        await wait_for_text(env, deputy, "📤 Иванова М., руководитель ОО отправил(а)")
        waiting = (await env.say(coordinator, "/review"))[0]
        await press(env, coordinator, next(iter(buttons(waiting))))
        card = await wait_for_text(env, coordinator, "Отправлено 20.09.2026 12:00: Иванова М.")
        assert "📤 Отправлено 20.09.2026 12:00: Иванова М., руководитель ОО" in card["text"]
        assert f"✍️ Ответы вносили: Петрова А., {USUAL}; Иванова М." in card["text"]
        # the export names who sent it; its history names the deputy with the position
        exported = (await env.say(coordinator, "/export"))[0]
        content = await env.client.file(exported["document"]["file_id"])
        book = load_workbook(io.BytesIO(content))
        indicators = [cell.value for row in book.worksheets[0].iter_rows() for cell in row]
        assert any(str(v).startswith("Кто отправил, ") for v in indicators)
        assert "Иванова Мария, руководитель ОО" in indicators  # who sent it last
        history = book["История изменений"]
        header, *rows = [[cell.value for cell in row] for row in history.iter_rows()]
        who = {(row[header.index("Стало")], row[header.index("Кто изменил")]) for row in rows}
        assert ("https://school.ru/acts", f"Петрова Анна, {USUAL}") in who
        assert ("https://school.ru/acts2", "Иванова Мария, руководитель ОО") in who


async def test_forged_deputy_buttons_are_refused(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await School().build(env)
        deputy, _ = await school.invite_deputy()
        person = await env.repo.people.by_telegram_id(deputy)
        principal = await env.repo.people.by_telegram_id(school.principal)
        assert person is not None and principal is not None
        revoke = f"dep:revoked:{person.id}:0"
        # another school's principal, the deputy themself: refused, nothing changes
        assert REFUSED in await forge(env, school.other_principal, revoke)
        assert REFUSED in await forge(env, deputy, revoke)
        assert REFUSED in await forge(env, deputy, "dep:position:0:0")
        # the principal cannot "revoke" themself or someone who is no deputy
        assert REFUSED in await forge(env, school.principal, f"dep:revoked:{principal.id}:0")
        roles = await env.repo.people.roles(person.id)
        assert roles.deputy and roles.principal_school_id == school.id
        # an invitation of another school cannot be withdrawn
        await env.say(school.other_principal, "/invite")
        await press(env, school.other_principal, USUAL)
        (pending,) = await env.repo.invitations.pending_deputies(school.other_id)
        assert REFUSED in await forge(env, school.principal, f"dep:withdraw:0:{pending.id}")
        assert await env.repo.invitations.pending_deputies(school.other_id) == [pending]
        assert (await env.repo.invitations.pending_deputies(school.id)) == []


async def test_revoking_ends_the_deputys_access_at_once(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await School().build(env)
        deputy, _ = await school.invite_deputy()
        await fill_may_first(env, deputy)  # the deputy is in the middle of the form
        await env.say(school.principal, "/invite")
        asked = (await press(env, school.principal, "❌ Отозвать доступ: Петрова А."))[-1]
        assert "Отозвать доступ: Петрова А." in asked["text"]
        done = (await press(env, school.principal, "Да, отозвать"))[-1]
        assert "Доступ отозван: Петрова А." in done["text"]
        assert "Заместителей пока нет" in done["text"]
        told = await wait_for_text(env, deputy, "отозвал ваш доступ")
        assert "Казанская СОШ" in told["text"]
        # the answer typed into the open form is not taken; /submit is refused
        late = await answer(env, deputy, "https://school.ru/acts")
        assert "форма вам больше недоступна" in late["text"]
        refused = (await env.say(deputy, "/submit"))[0]["text"]
        assert "ответственный от ОО" in refused
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        submission = await env.repo.submissions.get(campaign.id, school.id)
        assert submission is None or submission.status == "draft"


async def test_an_unused_invitation_can_be_withdrawn_and_a_principal_cannot_use_one(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await School().build(env)
        await env.say(school.principal, "/invite")
        made = (await press(env, school.principal, USUAL))[-1]
        code = invitation_code(made["text"])
        # the other school's principal opening it is told to pass it on; it still works
        passed = (await env.say(school.other_principal, f"/start {code}"))[0]
        assert "Передайте ссылку своему заместителю" in passed["text"]
        listing = (await env.say(school.principal, "/invite"))[0]
        assert f"{USUAL}, действует до" in listing["text"]
        done = (await press(env, school.principal, f"❌ Отменить приглашение: {USUAL}"))[-1]
        assert "ссылка больше не действует" in done["text"]
        stranger = env.new_user_id()
        reply = (await env.say(stranger, f"/start {code}", first_name="Ян", last_name="Ли"))[0]
        assert "отозван" in reply["text"] or "не действует" in reply["text"]
        assert await env.repo.people.by_telegram_id(stranger) is None


async def test_a_coordinator_invites_a_deputy_for_a_school_of_their_territory(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        school = await School().build(env)
        coordinator = await env.register(Role.COORDINATOR, first_name="Анна", last_name="Ким")
        await env.say(coordinator, "/invite")
        await press(env, coordinator, "Заместитель руководителя ОО")
        asked = (await press(env, coordinator, "Казанская СОШ · Ливенский район"))[-1]
        assert "Какая должность у заместителя" in asked["text"]
        made = (await press(env, coordinator, USUAL))[-1]
        assert f"Должность: {USUAL}" in made["text"] and "Казанская СОШ" in made["text"]
        (pending,) = await env.repo.invitations.pending_deputies(school.id)
        assert pending.role is Role.DEPUTY and pending.position == USUAL
