"""Who manages an announcement, and the territory it was composed for."""

from __future__ import annotations

from storage.announcements import Announcement
from storage.models import Roles, in_municipalities


def manages(roles: Roles, announcement: Announcement) -> bool:
    """A regional coordinator manages every announcement; a municipal one those composed
    for their municipality."""
    if roles.regional:
        return True
    if not roles.coordinator or not announcement.municipalities:
        return False
    return all(
        in_municipalities(name, roles.municipalities) for name in announcement.municipalities
    )


def author_roles(announcement: Announcement) -> Roles:
    """The author's territory as it was when they composed it."""
    return Roles(coordinator=True, municipalities=frozenset(announcement.municipalities or ()))
