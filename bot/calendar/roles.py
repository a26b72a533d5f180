"""Who a roadmap action reminds, read from its «Ответственные» cell (by keywords)."""

from __future__ import annotations

import re

from storage.models import Role

# --------------------------------------------------------------------------- roles

_PRINCIPAL = re.compile(
    r"директор|школ|\bоо\b|\bоу\b|общеобразовательн|образовательн\w*\s+организац"
    r"|руководител\w*\s+(?:оо|оу|школ|образовательн|общеобразовательн)"
)
_CURATOR = re.compile(r"куратор|консультант|тьютор|эксперт")
_COORDINATOR = re.compile(
    r"координатор|управлени\w*\s+образовани|\bмоуо\b|\bоуо\b|министерств|департамент"
    r"|комитет|\bиро\b|институт\w*\s+развития|\bцмоко\b|рабоч\w*\s+групп|администрац\w*\s+(?!оо)"
)


def responsible_roles(text: str) -> tuple[Role, ...]:
    """Who is reminded of an action, from its «Ответственные» cell.

    Principals when it names principals or schools («руководители ОО», «директора»,
    «школы», «образовательные организации»); curators when it names curators,
    consultants, tutors or experts; coordinators when it names an authority or a
    coordinator, or names neither of the others (an empty cell included).
    """
    value = " ".join(text.casefold().replace("ё", "е").split())
    roles: list[Role] = []
    if _PRINCIPAL.search(value):
        roles.append(Role.PRINCIPAL)
    if _CURATOR.search(value):
        roles.append(Role.CURATOR)
    if not roles or _COORDINATOR.search(value):
        roles.append(Role.COORDINATOR)
    return tuple(roles)
