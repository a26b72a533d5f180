"""The files schools send as answers (the analytical notes on ВПР, ГИА-9...): a list per
campaign from /status, and the file itself, sent again by Telegram's file id from that
list or from the coordinator's review card.

Who may open a file is decided when the button is pressed, whatever it says: a
coordinator the schools of their territory, a curator their own schools, a principal
their school's; coordinators and curators see sent reports only (not drafts).
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import DocumentCallback, FilesCallback
from bot.clock import from_db
from bot.filters import IsRegistered
from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import Catalog, Indicator
from bot.keyboards import pager, paginate
from bot.replies import refuse_button
from bot.school_files import document_indicators, may_open, sent_files
from bot.settings import Settings
from bot.telegram_limits import shorten
from bot.texts import campaign_title
from handlers.status import schools_in_view
from storage.models import Roles, School
from storage.repo import Repo
from storage.submissions import Campaign, Submission

log = logging.getLogger(__name__)
router = Router(name="documents")
router.callback_query.filter(IsRegistered())

FILES_PER_PAGE = 10
CAPTION_LIMIT = 1024  # Telegram's limit on a caption
NAME_IN_BUTTON = 40


class MayOpen(Filter):
    """A file button the person may press: gives ``submission``, ``school``, ``campaign``
    and ``indicator``; anything else (forged, another school's, a draft) is refused."""

    async def __call__(
        self,
        callback: CallbackQuery,
        callback_data: DocumentCallback,
        repo: Repo,
        catalog: Catalog,
        roles: Roles,
    ) -> bool | dict[str, Any]:
        found = await repo.submissions.with_campaign(callback_data.submission_id)
        if found is None:
            return False
        submission, campaign = found
        school = await repo.schools.get(submission.school_id)
        indicators = document_indicators(catalog, campaign)
        if school is None or callback_data.indicator >= len(indicators):
            return False
        if not may_open(roles, school, submission):
            return False
        return {
            "submission": submission,
            "school": school,
            "campaign": campaign,
            "indicator": indicators[callback_data.indicator],
        }


@router.callback_query(DocumentCallback.filter(), MayOpen())
async def open_document(
    callback: CallbackQuery,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    locale: str,
    submission: Submission,
    school: School,
    campaign: Campaign,
    indicator: Indicator,
) -> None:
    value = (await repo.submissions.answers(submission.id)).get(indicator.code)
    if not isinstance(value, dict) or not value.get("file_id"):
        await callback.answer(_("The school has not sent this file (any more)."), show_alert=True)
        return
    await callback.answer()
    lines = [
        f"<b>{escape(school.display_name)}</b> · {escape(school.municipality)}",
        escape(campaign_title(campaign, catalog)),
        escape(format_answer(indicator, value, catalog, locale)),
    ]
    if submission.submitted_at:
        sent = from_db(submission.submitted_at).astimezone(settings.zone)
        lines.append(_("Sent {when}").format(when=sent.strftime("%d.%m.%Y %H:%M")))
    caption = shorten("\n".join(lines), CAPTION_LIMIT)
    if not isinstance(callback.message, Message):
        return
    try:
        await callback.message.answer_document(value["file_id"], caption=caption)
    except TelegramBadRequest as error:
        log.warning("file of submission %s not sent again: %s", submission.id, error)
        await callback.message.answer(
            _(
                "Telegram no longer has the file «{name}». Please ask the school to send it "
                "again in the form."
            ).format(name=escape(str(value.get("file_name") or "")))
        )


@router.callback_query(DocumentCallback.filter())
async def document_refused(callback: CallbackQuery) -> None:
    await refuse_button(callback)


# --- the files of a campaign (from /status) ---------------------------------------------------


@router.callback_query(FilesCallback.filter())
async def files_page(
    callback: CallbackQuery,
    callback_data: FilesCallback,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    roles: Roles,
    locale: str,
) -> None:
    campaign = await repo.submissions.campaign(callback_data.campaign_id)
    if campaign is None or not (roles.coordinator or roles.curator_school_ids):
        await refuse_button(callback)
        return
    await callback.answer()
    text, markup = await files_list(
        repo, catalog, settings, roles, campaign, callback_data.page, locale
    )
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


async def files_list(
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    roles: Roles,
    campaign: Campaign,
    page: int,
    locale: str,
) -> tuple[str, Any]:
    files = await sent_files(repo, catalog, await schools_in_view(repo, roles), campaign)
    files.sort(key=lambda item: (item[1].municipality, item[1].display_name.casefold()))
    shown, page, pages = paginate(files, page, FILES_PER_PAGE)
    lines = [
        _("<b>Files sent: {campaign}</b>").format(
            campaign=escape(campaign_title(campaign, catalog))
        ),
        _("Files: {count} · page {page} of {pages}").format(
            count=len(files), page=page + 1, pages=pages
        ),
    ]
    builder = InlineKeyboardBuilder()
    municipality = None
    indicators = document_indicators(catalog, campaign)
    for submission, school, number, value in shown:
        if school.municipality != municipality:
            municipality = school.municipality
            lines += ["", f"<b>{escape(municipality)}</b>"]
        answer = format_answer(indicators[number], value, catalog, locale)
        when = ""
        if submission.submitted_at:
            sent = from_db(submission.submitted_at).astimezone(settings.zone)
            when = " · " + sent.strftime("%d.%m.%Y")
        lines.append(f"• {escape(school.display_name)} — {escape(answer)}{when}")
        builder.button(
            text=f"📎 {shorten(school.display_name, NAME_IN_BUTTON)}",
            callback_data=DocumentCallback(submission_id=submission.id, indicator=number),
        )
    if not files:
        lines += ["", _("No school of yours has sent a file for it yet.")]
    sizes = [1] * len(shown)
    navigation = pager(
        builder, page, pages, lambda to: FilesCallback(campaign_id=campaign.id, page=to)
    )
    if navigation:
        sizes.append(navigation)
    builder.adjust(*(sizes or [1]))
    return "\n".join(lines), builder.as_markup()
