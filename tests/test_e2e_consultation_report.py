"""The coordinators' view of consultations: per school against the target (schools below
it first, by municipality) and per curator, in chat and in Excel (also from the command
line); a municipal coordinator sees their municipality only, and the school's card
before a consultation."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.consultations.availability import read_availability
from storage.consultations import BookingRequest, Done, Status
from storage.models import Role
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData
from tests.command_line import run
from tests.harness import BotEnv, ShiftedClock, bot_under_test, open_repo, press
from tests.test_e2e_consultations import forge, tap

MOSCOW = ZoneInfo("Europe/Moscow")
DECEMBER = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
DISTRICT, CITY = "Ливенский район", "город Ливны"


def moscow(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=MOSCOW).astimezone(UTC)


SCHOOLS = (
    ("kazan", "МБОУ «Казанская СОШ»", DISTRICT),
    ("sosn", "МБОУ «Сосновская СОШ»", DISTRICT),
    ("gym", "МБОУ «Гимназия № 1»", CITY),
)


async def schools(repo: Repo) -> dict[str, int]:
    ids = {}
    for key, name, municipality in SCHOOLS:
        school, _ = await repo.schools.upsert(
            SchoolData(name, municipality, short_name=name.split("«")[1].rstrip("»"))
        )
        ids[key] = school.id
    return ids


async def autumn(repo: Repo, ids: dict[str, int], host_id: int | None = None) -> dict[str, int]:
    """The curator's autumn with the three schools: Казанская held four (the target),
    Сосновская one held and one missed and one booked for 24 November, the city's
    gymnasium one cancelled. Returns the consultations' ids as ``c0``…``c7``."""
    ids = dict(ids)
    if host_id is None:
        host = await repo.people.create(PersonData("Селиванова Ольга"))
        await repo.people.grant(host.id, Role.CURATOR, list(ids.values()))
        host_id = host.id
    text = "каждый день 10:00–18:00"
    availability = read_availability(text, today=date(2026, 10, 1), zone=MOSCOW)
    published = await repo.consultations.publish(
        host_id,
        text,
        availability.first_day,
        availability.last_day,
        availability.intervals,
        length_min=60,
        buffer_min=0,
        notice_min=0,
        fmt="in_person",
        place="ИРО, каб. 214",
    )
    assert published is not None
    block = published[0].id
    plan = [
        ("kazan", moscow(10, 5, 10), Status.HELD),
        ("kazan", moscow(10, 12, 10), Status.HELD),
        ("kazan", moscow(10, 19, 10), Status.HELD),
        ("kazan", moscow(10, 26, 10), Status.HELD),
        ("sosn", moscow(10, 6, 10), Status.HELD),
        ("sosn", moscow(10, 13, 10), Status.MISSED),
        ("gym", moscow(10, 7, 10), Status.CANCELLED),
        ("sosn", moscow(11, 24, 10), Status.BOOKED),
    ]
    for n, (key, start, status) in enumerate(plan):
        request = BookingRequest(
            uid=f"autumn-{n}",
            host_id=host_id,
            school_id=ids[key],
            availability_id=block,
            start=start,
            topic="Программа развития" if key != "gym" else "ВПР",
            indicator=None,
            booked_by=host_id,
            host_action=True,
        )
        done = await repo.consultations.book(request, OCTOBER, lambda c: ())
        assert isinstance(done, Done), done
        consultation = done.consultation
        if status is Status.CANCELLED:
            await repo.consultations.cancel(
                consultation.id,
                by=host_id,
                reason="Карантин",
                status=Status.CANCELLED,
                now=OCTOBER,
                notices=lambda c: (),
            )
        elif status in (Status.HELD, Status.MISSED):
            await repo.consultations.mark(consultation.id, status, by=host_id, now=DECEMBER)
            if key == "kazan" and n == 3:
                await repo.consultations.set_outcome(
                    consultation.id, "Составили план по ВПР", by=host_id
                )
        ids[f"c{n}"] = consultation.id
    return ids


class Region:
    """The three schools, their curator (in the bot) with the autumn's consultations, a
    regional coordinator and the city's municipal one."""

    def __init__(self, env: BotEnv) -> None:
        self.env = env

    async def build(self) -> Region:
        env = self.env
        self.schools = await schools(env.repo)
        self.curator = await env.register(
            Role.CURATOR, list(self.schools.values()), first_name="Ольга", last_name="Селиванова"
        )
        self.regional = await env.register(Role.COORDINATOR, first_name="Анна")
        self.city = await env.register(Role.COORDINATOR, municipalities=(CITY,))
        host = await env.repo.people.by_telegram_id(self.curator)
        assert host is not None
        self.ids = await autumn(env.repo, self.schools, host.id)
        return self


async def test_the_report_puts_schools_below_the_target_first_in_chat_and_excel(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        people = await Region(env).build()
        ids = people.ids
        await env.say(people.regional, "/consultations")
        report = (await press(env, people.regional, "📊 Отчёт"))[-1]["text"]
        assert "цель — не менее 4 проведённых с каждой школой" in report
        assert "Ниже цели: 2 школы из 3." in report
        below_first = report.index("Гимназия № 1: проведено 0 из 4")
        assert below_first < report.index("Казанская СОШ: проведено 4 из 4")
        assert "⚠️ Сосновская СОШ: проведено 1 из 4, назначено 1" in report
        assert "• Селиванова Ольга: 5 · 1 · 1 · 1" in report
        sent = (await press(env, people.regional, "📥 Отчёт в Excel"))[-1]
        assert sent["document"]["file_name"] == "консультации-2026.xlsx"
        book = load_workbook(BytesIO(await env.client.file(sent["document"]["file_id"])))
        assert book.sheetnames == ["По школам", "По кураторам", "Консультации"]
        schools = [list(row) for row in book["По школам"].iter_rows(values_only=True)]
        assert schools[0][:5] == [
            "Муниципалитет",
            "Наименование ОО",
            "Проведено",
            "Цель",
            "Ниже цели",
        ]
        by_name = {row[1]: row for row in schools[1:]}
        assert by_name["Казанская СОШ"][2:5] == [4, 4, "нет"]
        assert by_name["Сосновская СОШ"][2:6] == [1, 4, "да", 1]
        listing = list(book["Консультации"].iter_rows(values_only=True))
        assert len(listing) == 1 + 8
        assert any("Составили план по ВПР" in row for row in listing)

        # the city's coordinator: the gymnasium only, and no other school's consultation
        await env.say(people.city, "/consultations")
        city = (await press(env, people.city, "📊 Отчёт"))[-1]["text"]
        assert "Ниже цели: 1 школа из 1." in city
        assert "Гимназия" in city and "Казанская" not in city and "Сосновская" not in city
        assert "недоступна" in await forge(env, people.city, f"cns:open:{ids['c0']}:0")
        assert "недоступна" in await forge(env, people.city, f"cns:card:{ids['c4']}:0")
        # a consultation of the gymnasium's is theirs to see
        gymnasium = f"cns:open:{ids['c6']}:0"
        opened = (await tap(env, people.city, gymnasium, seen_elsewhere=True))[-1]
        assert "отменена" in opened["text"] and "Карантин" in opened["text"]
        # the report is the coordinators': a curator's forged button is refused
        await env.say(people.curator, "/consultations")
        assert "недоступна" in await forge(env, people.curator, "cns:excel:0:0")


async def test_the_curator_opens_the_schools_card_before_a_consultation(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, clock=ShiftedClock(DECEMBER)) as env:
        people = await Region(env).build()
        ids = people.ids
        # the card of Сосновская's missed consultation of 13 October
        opened = (await tap(env, people.curator, f"cns:card:{ids['c5']}:0", seen_elsewhere=True))[
            -1
        ]
        text = opened["text"]
        assert text.startswith("📋 МБОУ «Сосновская СОШ»")
        assert "<b>" not in text  # the sandbox shows the formatting, not the tags
        assert "Прежние консультации" in text
        assert "состоялась" in text  # the earlier one, held on 6 October
        assert "Не представлено" in text or "Все отчёты этого года сданы" in text
        assert "Числовых показателей школа пока не представляла." in text


def test_export_consultations_from_the_command_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def prepare() -> None:
        db, repo = await open_repo(db_path)
        try:
            await autumn(repo, await schools(repo))
        finally:
            await db.close()

    db_path.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(prepare())
    out_file = tmp_path / "consultations-2026.xlsx"
    code, out, err = run(
        ["export", "consultations", "--year", "2026", "--out", str(out_file)], capsys
    )
    assert code == 0, err
    assert str(out_file) in out
    book = load_workbook(out_file)
    rows = list(book["По школам"].iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == [
        "Гимназия № 1",
        "Сосновская СОШ",
        "Казанская СОШ",
    ]
    code, _, err = run(
        [
            "export",
            "consultations",
            "--year",
            "2026",
            "--out",
            str(out_file),
            "--municipality",
            CITY,
        ],
        capsys,
    )
    assert code == 0, err
    rows = list(load_workbook(out_file)["По школам"].iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Гимназия № 1"]
