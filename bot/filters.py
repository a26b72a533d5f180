"""Access filters, checked on the server for every message and button press.

Feature routers carry them as router-level filters (``router.message.filter(...)``), so a
handler is reached only by people whose roles allow it; the refusals router
(``handlers/refusals.py``) answers the others politely.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from storage.models import Roles


class IsRegistered(Filter):
    async def __call__(self, event: TelegramObject, roles: Roles) -> bool:
        return bool(roles)


class IsCoordinator(Filter):
    async def __call__(self, event: TelegramObject, roles: Roles) -> bool:
        return roles.coordinator


class IsOverseer(Filter):
    """Coordinators and curators: they watch schools (a curator only their own)."""

    async def __call__(self, event: TelegramObject, roles: Roles) -> bool:
        return roles.coordinator or bool(roles.curator_school_ids)


class IsPrincipal(Filter):
    """A school's responsible person («ответственный от ОО»: its principal or a deputy);
    the handler gets the school as ``school_id``."""

    async def __call__(self, event: TelegramObject, roles: Roles) -> bool | dict[str, Any]:
        if roles.principal_school_id is None:
            return False
        return {"school_id": roles.principal_school_id}


class IsSchoolHead(Filter):
    """A school's principal, not a deputy: they invite and revoke the school's deputies;
    the handler gets the school as ``school_id``."""

    async def __call__(self, event: TelegramObject, roles: Roles) -> bool | dict[str, Any]:
        if roles.head_school_id is None:
            return False
        return {"school_id": roles.head_school_id}
