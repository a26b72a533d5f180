"""How roles and schools are named to people, in their language."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from storage.models import Role, Roles, School


def role_name(role: Role) -> str:
    names = {
        Role.PRINCIPAL: _("school principal"),
        Role.CURATOR: _("curator"),
        Role.COORDINATOR: _("coordinator"),
        Role.DEPUTY: _("deputy principal"),
    }
    return names[role]


def describe_roles(roles: Roles, schools: dict[int, School]) -> list[str]:
    """One line per role, naming the schools it reaches."""
    lines = []
    if roles.regional:
        lines.append(_("coordinator of the program"))
    elif roles.coordinator:
        lines.append(
            _("municipal coordinator: {municipalities}").format(
                municipalities=", ".join(sorted(roles.municipalities))
            )
        )
    if roles.curator_school_ids:
        names = sorted(schools[i].display_name for i in roles.curator_school_ids if i in schools)
        lines.append(_("curator of: {schools}").format(schools=", ".join(names)))
    if roles.principal_school_id is not None and roles.principal_school_id in schools:
        school = schools[roles.principal_school_id].display_name
        if roles.deputy:
            lines.append(_("deputy principal of {school}").format(school=school))
        else:
            lines.append(_("principal of {school}").format(school=school))
    return lines
