"""A small demo region for trying the bot: two municipalities, eight schools, fourteen people
(a regional and two municipal coordinators and a principal's deputy among them),
the demo roadmap (seed 000's 2018 plan-schedule, :func:`bot.roadmap.demo_roadmap`) and
three earlier years of reports (:mod:`bot.demo_history`).

Loading it twice creates nothing new: schools are found by INN, people by e-mail, and
the roadmap replaces its earlier import.
Everyone who has not started the bot yet gets a fresh personal invitation each
time, and their earlier unused invitations are revoked, so only the printed links
work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.announcements.demo import demo_announcements
from bot.calendar.execution.demo import demo_confirmations
from bot.calendar.roadmap.reading import import_roadmap
from bot.calendar.roadmap.workbook import demo_roadmap
from bot.consultations.demo import demo_consultations
from bot.demo_assessments import date_demo_assessments
from bot.demo_deputies import reporter
from bot.demo_history import demo_history, this_year_reports
from bot.i18n import N_, translate, translate_plural
from bot.indicators.catalog import Catalog
from bot.indicators.form import campaign_deadlines
from bot.people.invitations import create_invitation, deep_link
from storage.models import Role, School, Status
from storage.people import PersonData
from storage.repo import Repo
from storage.schools import SchoolData

DISTRICT = "Ливенский район"
CITY = "город Ливны"

# SchoolData(name, municipality, short name, ШНОР, ШССУ, INN with a valid check digit)
DEMO_SCHOOLS: tuple[SchoolData, ...] = (
    SchoolData(
        "МБОУ «Казанская средняя общеобразовательная школа»",
        DISTRICT,
        "Казанская СОШ",
        True,
        False,
        "5715018478",
    ),
    SchoolData(
        "МБОУ «Сосновская средняя общеобразовательная школа»",
        DISTRICT,
        "Сосновская СОШ",
        False,
        True,
        "5715020318",
    ),
    SchoolData(
        "МБОУ «Коротышская средняя общеобразовательная школа»",
        DISTRICT,
        "Коротышская СОШ",
        True,
        True,
        "5715022058",
    ),
    SchoolData(
        "МБОУ «Крутовская основная общеобразовательная школа»",
        DISTRICT,
        "Крутовская ООШ",
        True,
        False,
        "5715023196",
    ),
    SchoolData(
        "МБОУ «Средняя общеобразовательная школа № 2» г. Ливны",
        CITY,
        "СОШ № 2",
        True,
        False,
        "5702031129",
    ),
    SchoolData(
        "МБОУ «Средняя общеобразовательная школа № 5» г. Ливны",
        CITY,
        "СОШ № 5",
        False,
        True,
        "5702032080",
    ),
    SchoolData(
        "МБОУ «Основная общеобразовательная школа № 8» г. Ливны",
        CITY,
        "ООШ № 8",
        True,
        False,
        "5702033711",
    ),
    SchoolData(
        "МБОУ «Средняя общеобразовательная школа № 9» г. Ливны",
        CITY,
        "СОШ № 9",
        False,
        True,
        "5702034899",
    ),
)


@dataclass(frozen=True, slots=True)
class _DemoPersonSpec:
    full_name: str
    email: str
    position: str
    role: Role
    schools: tuple[str, ...]  # short names from DEMO_SCHOOLS
    municipalities: tuple[str, ...] = ()  # a municipal coordinator's; none: regional


DEMO_PEOPLE: tuple[_DemoPersonSpec, ...] = (
    _DemoPersonSpec(
        "Костина Марина Юрьевна",
        "kostina.my@example.org",
        "консультант отдела общего образования департамента образования области",
        Role.COORDINATOR,
        (),
    ),
    _DemoPersonSpec(
        "Гордеева Наталья Викторовна",
        "gordeeva.nv@example.org",
        "главный специалист управления образования администрации Ливенского района",
        Role.COORDINATOR,
        (),
        (DISTRICT,),
    ),
    _DemoPersonSpec(
        "Жукова Анна Сергеевна",
        "zhukova.as@example.org",
        "ведущий специалист управления общего образования администрации города Ливны",
        Role.COORDINATOR,
        (),
        (CITY,),
    ),
    _DemoPersonSpec(
        "Селиванова Ольга Николаевна",
        "selivanova.on@example.org",
        "методист регионального института развития образования",
        Role.CURATOR,
        ("Казанская СОШ", "Сосновская СОШ", "Коротышская СОШ", "Крутовская ООШ"),
    ),
    _DemoPersonSpec(
        "Кондрашов Андрей Сергеевич",
        "kondrashov.as@example.org",
        "эксперт-консультант",
        Role.CURATOR,
        ("СОШ № 2", "СОШ № 5", "ООШ № 8", "СОШ № 9"),
    ),
    _DemoPersonSpec(
        "Бурцева Елена Александровна",
        "burtseva.ea@example.org",
        "директор",
        Role.PRINCIPAL,
        ("Казанская СОШ",),
    ),
    _DemoPersonSpec(
        "Мальцев Сергей Иванович",
        "maltsev.si@example.org",
        "директор",
        Role.PRINCIPAL,
        ("Сосновская СОШ",),
    ),
    _DemoPersonSpec(
        "Ефанова Татьяна Викторовна",
        "efanova.tv@example.org",
        "директор",
        Role.PRINCIPAL,
        ("Коротышская СОШ",),
    ),
    _DemoPersonSpec(
        "Ломакин Виктор Петрович",
        "lomakin.vp@example.org",
        "директор",
        Role.PRINCIPAL,
        ("Крутовская ООШ",),
    ),
    _DemoPersonSpec(
        "Пахомова Ирина Владимировна",
        "pakhomova.iv@example.org",
        "директор",
        Role.PRINCIPAL,
        ("СОШ № 2",),
    ),
    _DemoPersonSpec(
        "Дорохина Светлана Николаевна",
        "dorokhina.sn@example.org",
        "директор",
        Role.PRINCIPAL,
        ("СОШ № 5",),
    ),
    _DemoPersonSpec(
        "Гришин Алексей Михайлович",
        "grishin.am@example.org",
        "исполняющий обязанности директора",
        Role.PRINCIPAL,
        ("ООШ № 8",),
    ),
    _DemoPersonSpec(
        "Черкасова Людмила Анатольевна",
        "cherkasova.la@example.org",
        "директор",
        Role.PRINCIPAL,
        ("СОШ № 9",),
    ),
    # fills in her school's reports this year (bot.demo_deputies)
    _DemoPersonSpec(
        "Фролова Ирина Павловна",
        "frolova.ip@example.org",
        "заместитель директора по УВР",
        Role.DEPUTY,
        ("Казанская СОШ",),
    ),
)

_ROLE_NAMES = {
    Role.PRINCIPAL: N_("school principal"),
    Role.CURATOR: N_("curator"),
    Role.COORDINATOR: N_("coordinator"),
    Role.DEPUTY: N_("deputy principal"),
}


@dataclass(frozen=True, slots=True)
class DemoPerson:
    person_id: int
    full_name: str
    role: Role
    schools: tuple[str, ...]  # short names
    link: str | None  # None when the person has already started the bot
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoData:
    schools: tuple[School, ...]
    people: tuple[DemoPerson, ...]
    created_schools: int
    created_people: int
    roadmap_id: int = 0
    roadmap_title: str = ""
    roadmap_actions: int = 0
    earlier_reports: int = 0
    earlier_years: tuple[int, ...] = ()

    @property
    def municipalities(self) -> list[str]:
        return sorted({school.municipality for school in self.schools})

    def render(self, locale: str) -> str:
        """The schools by municipality, then each person with their role, schools and link.

        Only texts the catalogs already have are used here, plus the data itself.
        """
        lines = []
        for municipality in self.municipalities:
            lines.append(f"{municipality}:")
            for school in self.schools:
                if school.municipality == municipality:
                    flags = [
                        f for f, on in (("ШНОР", school.is_shnor), ("ШССУ", school.is_shssu)) if on
                    ]
                    lines.append(f"  {school.display_name} ({', '.join(flags)}), id {school.id}")
            lines.append("")
        for person in self.people:
            role = translate(locale, _ROLE_NAMES[person.role])
            if person.municipalities:
                role += f" ({', '.join(person.municipalities)})"
            lines.append(f"{person.full_name} — {role}")
            if person.schools:
                schools = ", ".join(person.schools)
                lines.append("  " + translate(locale, N_("Schools: {schools}"), schools=schools))
            if person.link:
                lines.append("  " + translate(locale, N_("Link: {link}"), link=person.link))
        if self.roadmap_id:
            lines.append("")
            lines.append(
                translate_plural(
                    locale,
                    "Demo roadmap “{title}”: {n} action",
                    "Demo roadmap “{title}”: {n} actions",
                    self.roadmap_actions,
                    title=self.roadmap_title,
                )
            )
        if self.earlier_reports:
            lines.append(
                translate_plural(
                    locale,
                    "Reports of earlier years ({years}): {n} school form",
                    "Reports of earlier years ({years}): {n} school forms",
                    self.earlier_reports,
                    years=", ".join(str(year) for year in self.earlier_years),
                )
            )
        return "\n".join(lines)


#: the coordinator's comment on the one report the demo returns for correction
RETURN_COMMENT = (
    "Уточните, пожалуйста, число педагогов с высшей категорией: в прошлом году их было"
    " заметно больше. Если всё верно, отправьте отчёт повторно без изменений."
)
REVIEWED_AFTER = 20  # days after its deadline by which a report has been reviewed


async def _review(repo: Repo, coordinator: int, years: tuple[int, ...], today: date) -> None:
    """The coordinator's reviews: earlier years' reports and this year's sent more than
    ``REVIEWED_AFTER`` days before today are accepted, but for the latest such campaign's
    last report, returned for correction with a comment."""
    returned = False
    for year in sorted(years, reverse=True):
        campaigns = [c for c in await repo.submissions.campaigns(year) if c.due_date]
        for campaign in sorted(campaigns, key=lambda c: c.due_date or today, reverse=True):
            assert campaign.due_date is not None
            if (today - campaign.due_date).days < REVIEWED_AFTER:
                continue
            waiting = [
                s
                for s in (await repo.submissions.for_campaign(campaign.id)).values()
                if s.status == Status.SUBMITTED
            ]
            for number, submission in enumerate(sorted(waiting, key=lambda s: s.school_id)):
                back = not returned and year == today.year and number == len(waiting) - 1
                await repo.submissions.review(
                    submission.id,
                    coordinator,
                    accept=not back,
                    comment=RETURN_COMMENT if back else None,
                    expected_version=submission.version,
                )
                returned = returned or back


async def load_demo_data(
    repo: Repo,
    *,
    catalog: Catalog | None = None,
    today: date | None = None,
    bot_username: str | None = None,
    expires_days: int = 30,
) -> DemoData:
    """Load (or refresh) the demo region and make a fresh invitation for everyone in it;
    with ``catalog`` and ``today``, also the reports of the three years before and this
    year's as they would stand today (see :mod:`bot.demo_history`), and the roadmap placed
    in the current school year."""
    schools: list[School] = []
    created_schools = 0
    for data in DEMO_SCHOOLS:
        school, action = await repo.schools.upsert(data)
        schools.append(school)
        created_schools += action == "created"
    by_short = {school.short_name: school for school in schools}

    people: list[DemoPerson] = []
    created_people = 0
    for spec in DEMO_PEOPLE:
        details = PersonData(full_name=spec.full_name, email=spec.email, position=spec.position)
        person = await repo.people.by_email(spec.email)
        if person is None:
            person = await repo.people.create(details)
            created_people += 1
        elif person.full_name != spec.full_name or person.position != spec.position:
            await repo.people.update_details(person.id, details)
        school_ids = [by_short[name].id for name in spec.schools]
        await repo.people.grant(person.id, spec.role, school_ids, spec.municipalities)
        link = None
        if person.telegram_id is None:
            await repo.invitations.revoke_pending_for(person.id)
            code, _invitation = await create_invitation(
                repo,
                spec.role,
                school_ids,
                person_id=person.id,
                expires_days=expires_days,
                municipalities=spec.municipalities,
            )
            link = deep_link(code, bot_username)
        people.append(
            DemoPerson(
                person.id, spec.full_name, spec.role, spec.schools, link, spec.municipalities
            )
        )
    roadmap = demo_roadmap(today)
    roadmap_id = await import_roadmap(repo, roadmap, source="demo", person_id=None)
    earlier = 0
    years: tuple[int, ...] = ()
    if catalog is not None and today is not None:
        history = demo_history(catalog, schools, today.year)
        for year, forms in history.items():
            deadlines = campaign_deadlines(catalog, year)
            await repo.submissions.write_imported(year, deadlines, forms, person_id=None)
            earlier += len(forms)
        years = tuple(history)
        deadlines = campaign_deadlines(catalog, today.year)
        for moment, form in this_year_reports(catalog, schools, today):
            author = reporter(people, {s.id: s.short_name or "" for s in schools}, form)
            await repo.submissions.write_imported(
                today.year, deadlines, [form], person_id=author, at=moment
            )
        regional = next(p for p in people if p.role == Role.COORDINATOR and not p.municipalities)
        await _review(repo, regional.person_id, (*years, today.year), today)
        await date_demo_assessments(repo, catalog, today)
        await demo_confirmations(repo, roadmap_id, today, people, schools)
        await demo_announcements(repo, today, regional.person_id, schools)
        await demo_consultations(repo, people, schools, today)
    return DemoData(
        tuple(schools),
        tuple(people),
        created_schools,
        created_people,
        roadmap_id,
        roadmap.title,
        len(roadmap.rows),
        earlier,
        years,
    )
