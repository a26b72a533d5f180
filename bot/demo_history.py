"""Three earlier years of plausible reports for the demo schools, so that every chart shows
something on a fresh demo: each school has its own level and drifts a little from year to
year (mostly for the better, as a program's schools should), and a few school-years are
missing, as they are in real life.

The numbers come from a generator seeded by the school's INN and the year: loading the
demo again writes the same reports (the import leaves equal answers alone).
"""

from __future__ import annotations

import random
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
PROJECTS = ("tochka_rosta", "digital_school", "success_for_everyone", "modern_school")


def demo_history(catalog: Catalog, schools: list[School], this_year: int) -> dict[int, list]:
    """year → the imported forms of that year (the campaigns whose indicators have numbers,
    for the ``YEARS`` years before ``this_year``)."""
    found: dict[int, list[ImportedForm]] = {}
    for year in range(this_year - YEARS, this_year):
        forms = []
        for key, _due in campaign_deadlines(catalog, year):
            indicators = catalog.campaign_indicators(key)
            if not any(i.kind.value in SHARES_AND_COUNTS for i in indicators):
                continue
            for school in schools:
                form = _form(catalog, key, indicators, school, year, this_year)
                if form is not None:
                    forms.append(form)
        found[year] = forms
    return found


SHARES_AND_COUNTS = frozenset({"share", "count", "count_list", "level_counts"})


def _form(
    catalog: Catalog,
    key: str,
    indicators: list[Indicator],
    school: School,
    year: int,
    this_year: int,
) -> ImportedForm | None:
    inn = school.inn or str(school.id)
    level = random.Random(f"{inn}").random()  # the school's own place in each range
    rng = random.Random(f"{inn}-{year}")
    if rng.random() < GAP_CHANCE:
        return None
    progress = (year - (this_year - YEARS)) * 0.06  # a little better every year
    city = "г." in school.name
    teachers = 18 + int(level * 30) + (15 if city else 0) + rng.randint(-2, 2)
    bases = {
        "teachers": teachers,
        "managers_and_teachers": teachers + rng.randint(2, 5),
        "grade4": 8 + int(level * 40) + (20 if city else 0) + rng.randint(-3, 3),
    }
    answers: dict[str, Any] = {}
    for indicator in indicators:
        value = _answer(indicator, bases, level, progress, rng)
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
) -> Any:
    kind = indicator.kind.value
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
        return {"options": sorted(rng.sample(PROJECTS, rng.randint(1, 2))), "other": None}
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
