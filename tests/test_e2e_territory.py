"""Regional and municipal coordinators each see and act on their own territory: every
coordinator action against a school of the Livny district, by the regional coordinator,
the district's coordinator and the city's coordinator — forged buttons included."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from storage.calendar import NewEvent
from storage.models import Audience, Role
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

DISTRICT, CITY = "Ливенский район", "город Ливны"
REFUSED = "больше не действует или вам недоступна"


class Region:
    """A school in each municipality, the district school's report sent, and three
    coordinators: regional, the district's, the city's."""

    def __init__(self, env: BotEnv) -> None:
        self.env = env

    async def build(self) -> Region:
        env = self.env
        self.district_school = await env.add_school("МБОУ «Казанская СОШ»", DISTRICT)
        self.city_school = await env.add_school("МБОУ «СОШ № 2»", CITY)
        self.principal = await env.register(Role.PRINCIPAL, [self.district_school])
        await fill_may_first(env, self.principal)
        await answer(env, self.principal, "https://school.ru/acts")
        await press(env, self.principal, "📤 Отправить")
        campaign = await env.repo.submissions.find_campaign(2026, "05-01")
        assert campaign is not None
        submission = await env.repo.submissions.get(campaign.id, self.district_school)
        assert submission is not None
        self.submission = submission
        self.regional = await env.register(Role.COORDINATOR, first_name="Анна", last_name="Ким")
        self.own = await env.register(
            Role.COORDINATOR, first_name="Вера", last_name="Лыкова", municipalities=(DISTRICT,)
        )
        self.other = await env.register(
            Role.COORDINATOR, first_name="Глеб", last_name="Орлов", municipalities=(CITY,)
        )
        return self


async def test_status_review_and_export_cover_the_coordinators_territory(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        region = await Region(env).build()
        expected = {region.regional: True, region.own: True, region.other: False}
        for coordinator, allowed in expected.items():
            status = (await env.say(coordinator, "/status"))[0]["text"]
            assert ("2 школы" if coordinator == region.regional else "1 школа") in status
            waiting = (await env.say(coordinator, "/review"))[0]
            assert ("Казанская" in str(buttons(waiting))) is allowed, coordinator
            exported = (await env.say(coordinator, "/export"))[0]
            content = await env.client.file(exported["document"]["file_id"])
            sheet = load_workbook(io.BytesIO(content)).worksheets[0]
            names = {str(cell.value) for row in sheet.iter_rows() for cell in row}
            assert ("МБОУ «Казанская СОШ»" in names) is allowed, coordinator
            assert ("МБОУ «СОШ № 2»" in names) is (coordinator != region.own), coordinator


async def test_a_coordinator_of_another_municipality_cannot_open_or_decide(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        region = await Region(env).build()
        submission = region.submission
        opened = f"rev:open:{submission.id}:0:0"
        accept = f"rev:accept:{submission.id}:0:{submission.version}"
        back = f"rev:return:{submission.id}:0:{submission.version}"
        for forged in (opened, accept, back):
            assert REFUSED in await forge(env, region.other, forged)
        current = await env.repo.submissions.by_id(submission.id)
        assert current is not None and current.status == "submitted"
        # the district's own coordinator decides
        waiting = (await env.say(region.own, "/review"))[0]
        card = (await press(env, region.own, next(iter(buttons(waiting)))))[-1]
        assert "Казанская" in card["text"]
        await press(env, region.own, "✅ Принять")
        current = await env.repo.submissions.by_id(submission.id)
        assert current is not None and current.status == "accepted"


async def test_invitations_reach_only_schools_of_the_territory(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        region = await Region(env).build()
        asked = (await env.say(region.other, "/invite"))[0]
        assert "Региональный координатор" not in buttons(asked)  # only a regional one invites
        picker = (await press(env, region.other, "Руководитель ОО"))[-1]
        assert "Казанская" not in str(buttons(picker)) and "СОШ № 2" in str(buttons(picker))
        refusal = await forge(env, region.other, f"invs:pick:{region.district_school}:0")
        assert "нет в реестре" in refusal
        forged_coordinator = await forge(env, region.other, "invr:municipal")
        assert REFUSED in forged_coordinator
        # the regional coordinator invites a municipal coordinator for the city
        await env.say(region.regional, "/invite")
        choose = (await press(env, region.regional, "Муниципальный координатор"))[-1]
        made = (await press(env, region.regional, CITY))[-1]
        assert choose and "Муниципальный координатор: город Ливны" in made["text"]


async def test_roadmaps_belong_to_their_territory(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        region = await Region(env).build()
        unreadable = NewEvent(
            1, "Совещание руководителей", "когда-нибудь", "unreadable", reason="unknown_word"
        )
        seminar = NewEvent(
            2,
            "Семинар районного методического объединения",
            "октябрь",
            "range",
            [(date(2026, 10, 5), date(2026, 10, 5))],
            roles=(Audience.PRINCIPALS,),
        )
        await env.repo.calendar.save_roadmap(
            "Дорожная карта района",
            date(2026, 1, 1),
            date(2026, 12, 31),
            [unreadable, seminar],
            municipality=DISTRICT,
        )
        (event,) = await env.repo.calendar.unreadable()
        dates = f"rmap:dates:0:{event.id}:0"
        assert REFUSED in await forge(env, region.other, dates)
        assert REFUSED not in await forge(env, region.own, dates)
        overview = (await env.say(region.other, "/roadmap"))[0]["text"]
        assert "Дорожная карта района" not in overview
        mine = (await env.say(region.own, "/roadmap"))[0]["text"]
        assert "Дорожная карта района" in mine and DISTRICT in mine
        # the district's seminar is in the calendar of the district's principal
        calendar = (await env.say(region.principal, "/calendar"))[0]["text"]
        assert "Семинар районного методического объединения" in calendar
        other_calendar = (await env.say(region.other, "/calendar"))[0]["text"]
        assert "Семинар районного методического объединения" not in other_calendar
