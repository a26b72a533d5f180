"""/status: who has reported, for coordinators (every school) and curators (their own)."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import MenuCallback, StatusCallback
from bot.clock import Clock
from bot.filters import IsOverseer
from bot.indicators.catalog import Catalog
from bot.indicators.form import (
    CampaignState,
    campaign_deadlines,
    campaign_state,
    is_overdue,
    is_reported,
    local_today,
)
from bot.keyboards import pager, paginate
from bot.replies import refuse_button
from bot.settings import Settings
from bot.texts import campaign_title, long_date, state_name
from storage.models import Roles, School
from storage.repo import Repo
from storage.submissions import Campaign

router = Router(name="status")
router.message.filter(IsOverseer())
router.callback_query.filter(IsOverseer())

SCHOOLS_PER_PAGE = 20


async def schools_in_view(repo: Repo, roles: Roles) -> list[School]:
    """The schools a coordinator (their territory) or a curator (their own) watches."""
    if roles.coordinator:
        return [
            school
            for school in await repo.schools.list()
            if roles.coordinates(school) or school.id in roles.curator_school_ids
        ]
    return await repo.schools.list(sorted(roles.curator_school_ids))


async def _campaigns(repo: Repo, catalog: Catalog, settings: Settings, clock: Clock) -> list:
    today = local_today(settings.zone, clock())
    return await repo.submissions.ensure_campaigns(
        today.year, campaign_deadlines(catalog, today.year)
    )


async def _states(
    repo: Repo, settings: Settings, clock: Clock, campaign: Campaign, schools: list[School]
) -> dict[int, CampaignState]:
    submissions = await repo.submissions.for_campaign(campaign.id)
    answered = await repo.submissions.answer_counts(campaign.id)
    states = {}
    for school in schools:
        submission = submissions.get(school.id)
        given = answered.get(school.id, 0) + (len(submission.bases) if submission else 0)
        states[school.id] = campaign_state(submission, given)
    return states


@router.message(Command("status"))
async def status_command(
    message: Message, repo: Repo, catalog: Catalog, settings: Settings, clock: Clock, roles: Roles
) -> None:
    text, markup = await status_summary(repo, catalog, settings, clock, roles)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "status"))
async def status_button(
    callback: CallbackQuery,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
) -> None:
    await callback.answer()
    text, markup = await status_summary(repo, catalog, settings, clock, roles)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


async def status_summary(
    repo: Repo, catalog: Catalog, settings: Settings, clock: Clock, roles: Roles
) -> tuple[str, InlineKeyboardMarkup]:
    schools = await schools_in_view(repo, roles)
    count = len(schools)
    lines = [
        ngettext(
            "<b>Who has reported</b> ({n} school)", "<b>Who has reported</b> ({n} schools)", count
        ).format(n=count),
        "",
    ]
    builder = InlineKeyboardBuilder()
    today = local_today(settings.zone, clock())
    for campaign in await _campaigns(repo, catalog, settings, clock):
        states = await _states(repo, settings, clock, campaign, schools)
        counts: dict[CampaignState, int] = defaultdict(int)
        for state in states.values():
            counts[state] += 1
        reported = counts[CampaignState.SUBMITTED] + counts[CampaignState.ACCEPTED]
        lines.append(f"<b>{campaign_title(campaign, catalog)}</b>")
        lines.append(
            _(
                "sent {sent} (accepted {accepted}, waiting for review {waiting}) · "
                "drafts {drafts} · not started {not_started} · returned {returned}"
            ).format(
                sent=reported,
                accepted=counts[CampaignState.ACCEPTED],
                waiting=counts[CampaignState.SUBMITTED],
                drafts=counts[CampaignState.DRAFT],
                not_started=counts[CampaignState.NOT_STARTED],
                returned=counts[CampaignState.RETURNED],
            )
        )
        late = sum(is_overdue(state, campaign.due_date, today) for state in states.values())
        if late:
            lines.append(
                ngettext(
                    "⚠️ the deadline has passed (the last day was {date}): {n} school has not sent",
                    "⚠️ the deadline has passed (the last day was {date}): {n} schools have not"
                    " sent",
                    late,
                ).format(date=long_date(campaign.due_date) if campaign.due_date else "", n=late)
            )
        lines.append("")
        missing = len(schools) - reported
        if missing:
            builder.button(
                text=_("Not submitted: {count} · {campaign}").format(
                    count=missing, campaign=campaign_title(campaign, catalog)
                ),
                callback_data=StatusCallback(campaign_id=campaign.id, page=0),
            )
    builder.adjust(1)
    return "\n".join(lines).rstrip(), builder.as_markup()


@router.callback_query(StatusCallback.filter())
async def not_submitted_page(
    callback: CallbackQuery,
    callback_data: StatusCallback,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    roles: Roles,
) -> None:
    campaign = await repo.submissions.campaign(callback_data.campaign_id)
    if campaign is None:
        await refuse_button(callback)
        return
    await callback.answer()
    schools = await schools_in_view(repo, roles)
    states = await _states(repo, settings, clock, campaign, schools)
    waiting = [s for s in schools if not is_reported(states[s.id])]
    shown, page, pages = paginate(waiting, callback_data.page, SCHOOLS_PER_PAGE)
    lines = [
        _("<b>Not submitted: {campaign}</b>").format(campaign=campaign_title(campaign, catalog)),
        _("{count} schools · page {page} of {pages}").format(
            count=len(waiting), page=page + 1, pages=pages
        ),
    ]
    municipality = None
    for school in shown:
        if school.municipality != municipality:
            municipality = school.municipality
            lines += ["", f"<b>{escape(municipality)}</b>"]
        lines.append(f"• {escape(school.display_name)} — {state_name(states[school.id])}")
    if not waiting:
        lines += ["", _("Every school has submitted. 🎉")]
    builder = InlineKeyboardBuilder()
    pager(builder, page, pages, lambda to: StatusCallback(campaign_id=campaign.id, page=to))
    if isinstance(callback.message, Message):
        await callback.message.edit_text("\n".join(lines), reply_markup=builder.as_markup())
