"""The consultation conversations in aiogram's terms: the steps that wait for typed
text, and the filter that gives the consultation handlers their ``desk``
(:class:`bot.consultations.desk.Desk`)."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import TelegramObject

from bot.clock import Clock
from bot.consultations.desk import Desk
from bot.indicators.catalog import Catalog
from bot.settings import Settings
from scheduler.reminders import ReminderScheduler
from storage.models import Person, Roles
from storage.repo import Repo


class ConsultStates(StatesGroup):
    """The steps of the consultation conversations that wait for typed text."""

    availability = State()  # the curator's time, typed (or built with buttons)
    preview = State()  # what was understood is shown; a new line may still be typed
    link = State()  # the link of online consultations
    place = State()  # the place of in-person ones
    topic = State()  # the topic of a booking
    reason = State()  # why a consultation is cancelled or moved
    outcome = State()  # the host's note after a consultation


class WithDesk(Filter):
    """Gives the handlers of the consultation routers their ``desk``."""

    async def __call__(
        self,
        event: TelegramObject,
        repo: Repo,
        settings: Settings,
        catalog: Catalog,
        clock: Clock,
        person: Person | None,
        roles: Roles,
        locale: str,
        reminders: ReminderScheduler,
    ) -> dict[str, Any]:
        desk = Desk(repo, settings, catalog, clock, person, roles, locale, reminders)
        return {"desk": desk}
