"""Access filters, checked on the server for every message and button press."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from storage.models import Roles


class IsRegistered(Filter):
    async def __call__(self, event: TelegramObject, roles: Roles) -> bool:
        return bool(roles)


class IsCoordinator(Filter):
    async def __call__(self, event: TelegramObject, roles: Roles) -> bool:
        return roles.coordinator
