"""The coordinators' consultations report: per school against the target (schools below it
first, by municipality) and per curator, in chat and as an Excel file; a municipal
coordinator's covers their municipality (``Roles.coordinates``)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ConsultCallback
from bot.consultation_screens import report_screen, show
from bot.consultation_session import WithDesk
from bot.consultations.desk import Desk
from bot.consultations.report_data import consultation_report, report_workbook
from bot.filters import IsCoordinator

router = Router(name="consultation_report")
router.callback_query.filter(IsCoordinator(), WithDesk())


@router.callback_query(ConsultCallback.filter(F.action == "report"))
async def report_button(
    callback: CallbackQuery, callback_data: ConsultCallback, desk: Desk
) -> None:
    await callback.answer()
    report, _rows = await consultation_report(
        desk.repo, desk.settings, desk.today().year, desk.roles.coordinates
    )
    await show(callback, report_screen(report, callback_data.page))


@router.callback_query(ConsultCallback.filter(F.action == "excel"))
async def excel_button(callback: CallbackQuery, desk: Desk) -> None:
    await callback.answer()
    year = desk.today().year
    report, rows = await consultation_report(desk.repo, desk.settings, year, desk.roles.coordinates)
    content = await report_workbook(report, rows, desk.locale, desk.zone)
    if isinstance(callback.message, Message):
        await callback.message.answer_document(
            BufferedInputFile(content, filename=_("consultations-{year}.xlsx").format(year=year)),
            caption=_(
                "Consultations of {year}: per school against the target, per curator, and "
                "every consultation."
            ).format(year=year),
        )
