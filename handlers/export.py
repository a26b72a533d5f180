"""/export: a coordinator gets the year's indicators workbook in the chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import MenuCallback
from bot.clock import Clock
from bot.filters import IsCoordinator
from bot.indicators.catalog import Catalog
from bot.indicators.form import local_today
from bot.settings import Settings
from storage.models import Roles
from storage.repo import Repo

router = Router(name="export")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())


@router.message(Command("export"))
async def export_command(
    message: Message,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    locale: str,
    roles: Roles,
) -> None:
    await send_export(message, repo, catalog, settings, clock, locale, roles)


@router.callback_query(MenuCallback.filter(F.action == "export"))
async def export_button(
    callback: CallbackQuery,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    locale: str,
    roles: Roles,
) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await send_export(callback.message, repo, catalog, settings, clock, locale, roles)


async def send_export(
    message: Message,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    locale: str,
    roles: Roles,
) -> None:
    """The year's workbook: a municipal coordinator's holds their territory's schools."""
    from bot.indicators.workbook.export import export_submissions  # openpyxl: only when used

    year = local_today(settings.zone, clock()).year
    content = await export_submissions(
        repo, catalog, year, locale, settings.zone, municipalities=roles.municipalities
    )
    name = _("indicators-{year}.xlsx").format(year=year)
    await message.answer_document(
        BufferedInputFile(content, filename=name),
        caption=_(
            "Indicators of {year}: one row per school; not submitted; change history."
        ).format(year=year),
    )
