"""Three earlier years of plausible reports for the demo schools, so that every chart shows
something on a fresh demo: each school has its own level and drifts a little from year to
year (mostly for the better, as a program's schools should), and a few school-years are
missing, as they are in real life. This year's campaigns look lived in too: most schools
sent on time, some late, some have a draft and some have not started, dated back from
today (:func:`this_year_reports`).

The numbers come from a generator seeded by the school's INN and the year: loading the
demo again writes the same reports (the import leaves equal answers alone).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.indicators.catalog import Catalog, Indicator
from bot.indicators.form import campaign_deadlines
from storage.models import School
from storage.submissions import ImportedForm

YEARS = 3
GAP_CHANCE = 0.12  # a school-year left without a report

# the share of the base each share indicator has, at its lowest and highest (in percent)
SHARE_RANGES: dict[str, tuple[int, int]] = {
    "first_category": (22, 45),
    "highest_category": (8, 30),
    "young_teachers": (4, 22),
    "three_subjects": (5, 30),
    "optimal_load": (40, 85),
    "trained_three_years": (55, 100),
    "federal_register_training": (15, 45),
    "raised_qualification": (45, 90),
    "regional_events": (20, 65),
    "grade4_mastered": (78, 100),
}
VACANCIES = (
    "учитель математики",
    "учитель физики",
    "учитель английского языка",
    "педагог-психолог",
    "учитель начальных классов",
)
# the federal projects a school names: those of «Молодёжь и дети» from 2025, before that
# those of «Образование» (2019–2024), as the catalog keeps them
PROJECTS = ("tochka_rosta", "best_for_children", "teachers_and_mentors", "we_are_together")
EARLIER_PROJECTS = ("tochka_rosta", "digital_school", "success_for_everyone", "modern_school")
FIRST_YEAR_OF_PROJECTS = 2025


def demo_history(
    catalog: Catalog, schools: list[School], this_year: int
) -> dict[int, list[ImportedForm]]:
    """year → the imported forms of that year (every dated campaign, for the ``YEARS``
    years before ``this_year``)."""
    found: dict[int, list[ImportedForm]] = {}
    for year in range(this_year - YEARS, this_year):
        forms = []
        for key, due in campaign_deadlines(catalog, year):
            if due is None:  # reports "on schedule" have no date to have been due by
                continue
            indicators = catalog.campaign_indicators(key)
            for school in schools:
                form = _form(catalog, key, indicators, school, year, this_year)
                if form is not None:
                    forms.append(form)
        found[year] = forms
    return found


def _form(
    catalog: Catalog,
    key: str,
    indicators: list[Indicator],
    school: School,
    year: int,
    this_year: int,
    gap: float = GAP_CHANCE,
) -> ImportedForm | None:
    inn = school.inn or str(school.id)
    level = random.Random(f"{inn}").random()  # the school's own place in each range
    rng = random.Random(f"{inn}-{year}-{key}")
    if rng.random() < gap:
        return None
    progress = (year - (this_year - YEARS)) * 0.06  # a little better every year
    city = "г." in school.name
    teachers = 18 + int(level * 30) + (15 if city else 0) + rng.randint(-2, 2)
    bases = {
        "teachers": teachers,
        "subject_teachers": teachers - 2 - int(level * 4),  # without psychologists and others
        "managers_and_teachers": teachers + rng.randint(2, 5),
        "grade4": 8 + int(level * 40) + (20 if city else 0) + rng.randint(-3, 3),
    }
    answers: dict[str, Any] = {}
    for indicator in indicators:
        value = _answer(indicator, bases, level, progress, rng, inn, year)
        if value is not None:
            answers[indicator.code] = value
    _keep_checks(answers, bases)
    wanted = {i.base for i in indicators if i.base}
    return ImportedForm(
        key,
        school.id,
        bases={code: count for code, count in bases.items() if code in wanted},
        answers=answers,
        submit=True,
    )


def _answer(
    indicator: Indicator,
    bases: dict[str, int],
    level: float,
    progress: float,
    rng: random.Random,
    inn: str,
    year: int,
) -> Any:
    kind = indicator.kind.value
    if kind == "link":
        return {"url": f"https://school{inn[-4:]}.example.ru/{indicator.code.replace('_', '-')}"}
    if kind == "share" and indicator.base in bases:
        low, high = SHARE_RANGES.get(indicator.code, (10, 60))
        position = min(1.0, max(0.0, level * 0.8 + progress + rng.uniform(-0.08, 0.08)))
        base = bases[indicator.base]
        return _share(round(base * (low + (high - low) * position) / 100), base)
    if kind == "count_list":
        items = rng.sample(VACANCIES, rng.choice((0, 0, 1, 1, 2, 3)))
        return {"count": len(items), "items": items}
    if kind == "count":
        return {"count": rng.randint(0, 5)}
    if kind == "level_counts":
        return {level_code: rng.choice((0, 0, 1, 2)) for level_code in indicator.levels}
    if kind == "yes_no":
        return {"yes": rng.random() < 0.6}
    if kind == "choice":
        projects = PROJECTS if year >= FIRST_YEAR_OF_PROJECTS else EARLIER_PROJECTS
        return {"options": sorted(rng.sample(projects, rng.randint(1, 2))), "other": None}
    return None


def _share(count: int, base: int) -> dict[str, Any]:
    count = max(0, min(count, base))
    return {"percent": round(100 * count / base, 1), "count": count, "base": base}


def _keep_checks(answers: dict[str, Any], bases: dict[str, int]) -> None:
    """The catalog's cross-checks hold, as they do for a report the bot accepted: the first
    and highest categories together within the staff; trained by the federal register
    within those who raised their qualification."""
    first, highest = answers.get("first_category"), answers.get("highest_category")
    if first and highest and first["count"] + highest["count"] > bases["teachers"]:
        answers["highest_category"] = _share(bases["teachers"] - first["count"], bases["teachers"])
    register, raised = answers.get("federal_register_training"), answers.get("raised_qualification")
    if register and raised and register["count"] > raised["count"]:
        answers["federal_register_training"] = _share(raised["count"], raised["base"])


def this_year_reports(
    catalog: Catalog, schools: list[School], today: date
) -> list[tuple[datetime, ImportedForm]]:
    """This year's reports as they would stand today, each with the moment it was last
    written: for a campaign already due, about two schools in three sent on time, one in
    eight late, and the rest have a draft or nothing (the first school always a draft of
    the latest form, to try the form with); for one still ahead, a few have started (or
    sent early)."""
    found = []
    dated = [(key, due) for key, due in campaign_deadlines(catalog, today.year) if due]
    latest = max((due for _key, due in dated if due < today), default=None)
    for key, due in dated:
        indicators = catalog.campaign_indicators(key)
        for school in schools:
            form = _form(catalog, key, indicators, school, today.year, today.year, gap=0)
            assert form is not None
            rng = random.Random(f"{school.inn or school.id}-{today.year}-{key}-state")
            roll = rng.random()
            if school == schools[0] and due == latest:
                roll = 0.8  # the first school is filling in the latest form: a draft to try
            if due < today:
                if roll < 0.62:
                    day, state = due - timedelta(days=rng.randint(1, 12)), "sent"
                elif roll < 0.75:
                    day, state = due + timedelta(days=rng.randint(1, 6)), "late"
                elif roll < 0.9:
                    day, state = due - timedelta(days=rng.randint(1, 20)), "draft"
                else:
                    continue
            else:
                if roll < 0.5:
                    continue
                day = today - timedelta(days=rng.randint(1, 10))
                state = "sent" if roll > 0.85 else "draft"
            day = min(day, today - timedelta(days=1))
            if state == "draft":  # about half of the form answered
                kept = dict(list(form.answers.items())[: max(1, len(form.answers) // 2)])
                form = replace(form, answers=kept, submit=False)
            else:
                form = replace(form, late=state == "late")
            moment = datetime.combine(day, time(6 + rng.randint(0, 9), rng.randint(0, 59)), UTC)
            found.append((moment, form))
    found.sort(key=lambda item: item[0])
    return found
