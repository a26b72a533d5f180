"""Finding schools in the register the way an administrator names them: an id, an INN,
or a piece of the name ("казанская", "СОШ № 2")."""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import N_, translate
from storage.models import School, match_key


def matching(schools: Iterable[School], text: str) -> list[School]:
    """Schools whose id or INN is ``text``, or whose full or short name contains it
    (case, ё/е, quotes and spacing do not matter)."""
    text = text.strip()
    wanted = match_key(text)
    found = []
    for school in schools:
        names = [match_key(school.name)]
        if school.short_name:
            names.append(match_key(school.short_name))
        if text == str(school.id) or (school.inn and text == school.inn):
            found.append(school)
        elif wanted and any(wanted in name for name in names):
            found.append(school)
    return found


def school_line(school: School, locale: str) -> str:
    """One line of ``python -m bot schools``: id, short name, municipality, flags, INN."""
    flags = [
        translate(locale, label)
        for flag, label in (
            (school.is_shnor, N_("Low results (ШНОР)")),
            (school.is_shssu, N_("Unfavourable conditions (ШССУ)")),
        )
        if flag
    ]
    inn = translate(locale, N_(" · INN {inn}"), inn=school.inn) if school.inn else ""
    shown_flags = f" · {', '.join(flags)}" if flags else ""
    return f"{school.id:>5}  {school.display_name} — {school.municipality}{shown_flags}{inn}"
