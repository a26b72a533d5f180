"""Coordinators and curators: who has reported (/status), review (/review), Excel (/export).

A curator sees only their own schools; reviewing and exporting are the coordinator's.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CampaignCallback, MenuCallback, ReviewCallback, StatusCallback
from bot.i18n import translate
from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import Catalog
from bot.indicators.form import (
    CampaignState,
    campaign_deadlines,
    campaign_state,
    form_steps,
    is_reported,
    local_today,
)
from bot.keyboards import paginate
from bot.replies import refuse_button
from bot.settings import Settings
from bot.texts import campaign_title, state_name
from storage.models import Person, Roles, School, Status
from storage.outbox import OutboxMessage
from storage.repo import Repo
from storage.submissions import Campaign, Conflict

log = logging.getLogger(__name__)
router = Router(name="status")

SCHOOLS_PER_PAGE = 20
REVIEWS_PER_PAGE = 10
MAX_COMMENT = 1000


class ReviewStates(StatesGroup):
    comment = State()


async def _schools_in_view(repo: Repo, roles: Roles) -> list[School]:
    if roles.coordinator:
        return await repo.schools.list()
    return await repo.schools.list(sorted(roles.curator_school_ids))


async def _campaigns(repo: Repo, catalog: Catalog, settings: Settings) -> list[Campaign]:
    today = local_today(settings.zone, repo.db.clock())
    return await repo.submissions.ensure_campaigns(
        today.year, campaign_deadlines(catalog, today.year)
    )


async def _states(
    repo: Repo, settings: Settings, campaign: Campaign, schools: list[School]
) -> dict[int, CampaignState]:
    today = local_today(settings.zone, repo.db.clock())
    submissions = await repo.submissions.for_campaign(campaign.id)
    answered = await repo.submissions.answer_counts(campaign.id)
    states = {}
    for school in schools:
        submission = submissions.get(school.id)
        given = answered.get(school.id, 0) + (len(submission.bases) if submission else 0)
        states[school.id] = campaign_state(submission, given, campaign.due_date, today)
    return states


# --- /status ------------------------------------------------------------------------------


@router.message(Command("status"))
async def status_command(
    message: Message, repo: Repo, catalog: Catalog, settings: Settings, roles: Roles
) -> None:
    if not (roles.coordinator or roles.curator_school_ids):
        await message.answer(_("The status of schools is for coordinators and curators."))
        return
    text, markup = await status_summary(repo, catalog, settings, roles)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "status"))
async def status_button(
    callback: CallbackQuery, repo: Repo, catalog: Catalog, settings: Settings, roles: Roles
) -> None:
    if not (roles.coordinator or roles.curator_school_ids):
        await refuse_button(callback)
        return
    await callback.answer()
    text, markup = await status_summary(repo, catalog, settings, roles)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


async def status_summary(
    repo: Repo, catalog: Catalog, settings: Settings, roles: Roles
) -> tuple[str, InlineKeyboardMarkup]:
    schools = await _schools_in_view(repo, roles)
    count = len(schools)
    lines = [
        ngettext(
            "<b>Who has reported</b> ({n} school)", "<b>Who has reported</b> ({n} schools)", count
        ).format(n=count),
        "",
    ]
    builder = InlineKeyboardBuilder()
    for campaign in await _campaigns(repo, catalog, settings):
        states = await _states(repo, settings, campaign, schools)
        counts: dict[CampaignState, int] = defaultdict(int)
        for state in states.values():
            counts[state] += 1
        reported = counts[CampaignState.SUBMITTED] + counts[CampaignState.ACCEPTED]
        lines.append(f"<b>{campaign_title(campaign)}</b>")
        lines.append(
            _(
                "submitted {submitted} · drafts {drafts} · not started {not_started} · "
                "overdue {overdue} · returned {returned}"
            ).format(
                submitted=reported,
                drafts=counts[CampaignState.DRAFT],
                not_started=counts[CampaignState.NOT_STARTED],
                overdue=counts[CampaignState.OVERDUE],
                returned=counts[CampaignState.RETURNED],
            )
        )
        lines.append("")
        missing = len(schools) - reported
        if missing:
            builder.button(
                text=_("Not submitted: {count} · {campaign}").format(
                    count=missing, campaign=campaign_title(campaign)
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
    settings: Settings,
    roles: Roles,
) -> None:
    campaign = await repo.submissions.campaign(callback_data.campaign_id)
    if campaign is None or not (roles.coordinator or roles.curator_school_ids):
        await refuse_button(callback)
        return
    await callback.answer()
    schools = await _schools_in_view(repo, roles)
    states = await _states(repo, settings, campaign, schools)
    waiting = [s for s in schools if not is_reported(states[s.id])]
    shown, page, pages = paginate(waiting, callback_data.page, SCHOOLS_PER_PAGE)
    lines = [
        _("<b>Not submitted: {campaign}</b>").format(campaign=campaign_title(campaign)),
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
    if page > 0:
        builder.button(
            text="◀️", callback_data=StatusCallback(campaign_id=campaign.id, page=page - 1)
        )
    if page < pages - 1:
        builder.button(
            text="▶️", callback_data=StatusCallback(campaign_id=campaign.id, page=page + 1)
        )
    if isinstance(callback.message, Message):
        await callback.message.edit_text("\n".join(lines), reply_markup=builder.as_markup())


# --- review -------------------------------------------------------------------------------


@router.message(Command("review"))
async def review_command(message: Message, repo: Repo, roles: Roles) -> None:
    if not roles.coordinator:
        await message.answer(_("Reviewing submissions is for coordinators."))
        return
    text, markup = await review_list(repo, 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "review"))
async def review_button(callback: CallbackQuery, repo: Repo, roles: Roles) -> None:
    if not roles.coordinator:
        await refuse_button(callback)
        return
    await callback.answer()
    text, markup = await review_list(repo, 0)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


async def review_list(repo: Repo, page: int) -> tuple[str, InlineKeyboardMarkup]:
    waiting = []
    for campaign in await repo.submissions.campaigns():
        for submission in (await repo.submissions.for_campaign(campaign.id)).values():
            if submission.status == Status.SUBMITTED:
                waiting.append((submission, campaign))
    waiting.sort(key=lambda pair: pair[0].submitted_at or "")
    schools = {school.id: school for school in await repo.schools.list()}
    shown, page, pages = paginate(waiting, page, REVIEWS_PER_PAGE)
    builder = InlineKeyboardBuilder()
    for submission, campaign in shown:
        school = schools[submission.school_id]
        builder.button(
            text=f"{school.display_name} · {campaign_title(campaign)}",
            callback_data=ReviewCallback(action="open", submission_id=submission.id),
        )
    sizes = [1] * len(shown)
    navigation = 0
    if page > 0:
        builder.button(text="◀️", callback_data=ReviewCallback(action="list", page=page - 1))
        navigation += 1
    if page < pages - 1:
        builder.button(text="▶️", callback_data=ReviewCallback(action="list", page=page + 1))
        navigation += 1
    if navigation:
        sizes.append(navigation)
    builder.adjust(*sizes)
    if not waiting:
        return _("No submissions are waiting for review."), builder.as_markup()
    text = _("Submissions waiting for review: {count}. Choose one:").format(count=len(waiting))
    return text, builder.as_markup()


@router.callback_query(ReviewCallback.filter())
async def review_action(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
) -> None:
    if person is None or not roles.coordinator:
        await refuse_button(callback)
        return
    if callback_data.action == "list":
        await callback.answer()
        text, markup = await review_list(repo, callback_data.page)
        if isinstance(callback.message, Message):
            await callback.message.edit_text(text, reply_markup=markup)
        return
    submission = await repo.submissions.by_id(callback_data.submission_id)
    if submission is None:
        await refuse_button(callback)
        return
    if await state.get_state() == ReviewStates.comment.state:
        await state.set_state(None)  # any other review button ends a pending "return"
    if callback_data.action in ("accept", "return") and (
        submission.status != Status.SUBMITTED or submission.version != callback_data.version
    ):
        await callback.answer(
            _("This submission has changed since you opened it. Please look at it again."),
            show_alert=True,
        )
        await _show_submission(callback, repo, catalog, settings, submission.id)
        return
    await callback.answer()
    if callback_data.action == "open":
        await _show_submission(callback, repo, catalog, settings, submission.id)
    elif callback_data.action == "accept":
        try:
            await repo.submissions.review(
                submission.id, person.id, True, None, expected_version=callback_data.version
            )
        except Conflict:
            # changed between the check above and now: the coordinator sees it again first
            await _show_changed(callback, repo, catalog, settings, submission.id)
            return
        await _notify_principals(repo, submission.id, accepted=True, comment=None)
        await _show_submission(callback, repo, catalog, settings, submission.id)
    elif callback_data.action == "return":
        await state.set_state(ReviewStates.comment)
        await state.update_data(review_submission=submission.id, review_version=submission.version)
        if isinstance(callback.message, Message):
            await callback.message.answer(
                _("What should the school correct? Write a comment for the principal:")
            )


@router.message(StateFilter(ReviewStates.comment), F.text)
async def return_comment(
    message: Message,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
) -> None:
    data = await state.get_data()
    comment = (message.text or "").strip()
    if len(comment) > MAX_COMMENT:
        await message.answer(
            _(
                "The comment is {length} characters long; please keep it within {limit} "
                "and send it again."
            ).format(length=len(comment), limit=MAX_COMMENT)
        )
        return
    await state.set_state(None)
    submission = await repo.submissions.by_id(int(data.get("review_submission") or 0))
    if person is None or not roles.coordinator or submission is None:
        await message.answer(_("This action is not available to you. Please use /menu."))
        return
    if submission.status != Status.SUBMITTED or submission.version != data.get("review_version"):
        await message.answer(
            _("This submission has changed since you opened it. Please look at it again.")
        )
        return
    try:
        await repo.submissions.review(
            submission.id, person.id, False, comment, expected_version=data["review_version"]
        )
    except Conflict:
        await message.answer(
            _("This submission has changed since you opened it. Please look at it again.")
        )
        return
    await _notify_principals(repo, submission.id, accepted=False, comment=comment)
    await message.answer(_("Returned to the school with your comment. The principal is told."))


@router.message(StateFilter(ReviewStates.comment))
async def return_comment_not_text(message: Message) -> None:
    await message.answer(_("Please write the comment as text, or /cancel."))


async def _show_submission(
    callback: CallbackQuery, repo: Repo, catalog: Catalog, settings: Settings, submission_id: int
) -> None:
    locale = get_i18n().current_locale
    submission = await repo.submissions.by_id(submission_id)
    assert submission is not None
    campaign = await repo.submissions.campaign(submission.campaign_id)
    school = await repo.schools.get(submission.school_id)
    assert campaign is not None and school is not None
    answers = await repo.submissions.answers(submission.id)
    lines = [
        f"<b>{escape(school.name)}</b> · {escape(school.municipality)}",
        f"{campaign_title(campaign)} — {_submission_state(submission.status)}",
        "",
    ]
    for number, step in enumerate(form_steps(catalog, campaign), start=1):
        if step.is_base:
            title = catalog.base(step.code).title.get(locale)
            value = submission.bases.get(step.code)
            shown = str(value) if value is not None else "—"
        else:
            indicator = catalog.indicator(step.code)
            title = indicator.short.get(locale)
            value = answers.get(step.code)
            shown = format_answer(indicator, value, catalog, locale) if value else "—"
        lines.append(f"{number}. {escape(title)}: <b>{escape(shown)}</b>")
    if submission.late:
        lines += ["", _("Submitted after the deadline.")]
    builder = InlineKeyboardBuilder()
    if submission.status == Status.SUBMITTED:
        builder.button(
            text=_("✅ Accept"),
            callback_data=ReviewCallback(
                action="accept", submission_id=submission.id, version=submission.version
            ),
        )
        builder.button(
            text=_("↩️ Return for correction"),
            callback_data=ReviewCallback(
                action="return", submission_id=submission.id, version=submission.version
            ),
        )
    builder.button(text=_("To the list"), callback_data=ReviewCallback(action="list"))
    builder.adjust(2, 1)
    if isinstance(callback.message, Message):
        await callback.message.edit_text("\n".join(lines), reply_markup=builder.as_markup())


async def _show_changed(
    callback: CallbackQuery, repo: Repo, catalog: Catalog, settings: Settings, submission_id: int
) -> None:
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _("This submission has changed since you opened it. Please look at it again.")
        )
    await _show_submission(callback, repo, catalog, settings, submission_id)


def _submission_state(status: str) -> str:
    return state_name(CampaignState(status))


async def _notify_principals(
    repo: Repo, submission_id: int, *, accepted: bool, comment: str | None
) -> None:
    """Tell the school's principals, each in their own language, through the outbox."""
    submission = await repo.submissions.by_id(submission_id)
    assert submission is not None
    campaign = await repo.submissions.campaign(submission.campaign_id)
    assert campaign is not None
    messages = []
    for principal in await repo.people.principals_of(submission.school_id):
        assert principal.telegram_id is not None
        locale = principal.locale or get_i18n().default_locale
        with get_i18n().use_locale(locale):
            title = campaign_title(campaign)
        markup = None
        if accepted:
            text = translate(locale, "✅ Your submission «{campaign}» is accepted.", campaign=title)
        else:
            text = translate(
                locale,
                "↩️ Your submission «{campaign}» is returned for correction.\n"
                "Comment: {comment}\n\nOpen the form to correct it and submit again.",
                campaign=title,
                comment=escape(comment or ""),
            )
            keyboard = InlineKeyboardBuilder()
            keyboard.button(
                text=translate(locale, "Open the form"),
                callback_data=CampaignCallback(campaign_id=campaign.id),
            )
            markup = keyboard.as_markup()
        messages.append(
            OutboxMessage(
                # one notice per review decision (the version moves with each) and principal
                dedup_key=f"review:{submission.id}:{submission.version}:{principal.id}",
                chat_id=principal.telegram_id,
                person_id=principal.id,
                text=text,
                kind="review",
                reply_markup=markup,
            )
        )
    await repo.outbox.enqueue(messages)


# --- export -------------------------------------------------------------------------------


@router.message(Command("export"))
async def export_command(
    message: Message, repo: Repo, catalog: Catalog, settings: Settings, roles: Roles
) -> None:
    if not roles.coordinator:
        await message.answer(_("Export to Excel is for coordinators."))
        return
    await _send_export(message, repo, catalog, settings)


@router.callback_query(MenuCallback.filter(F.action == "export"))
async def export_button(
    callback: CallbackQuery, repo: Repo, catalog: Catalog, settings: Settings, roles: Roles
) -> None:
    if not roles.coordinator:
        await refuse_button(callback)
        return
    await callback.answer()
    if isinstance(callback.message, Message):
        await _send_export(callback.message, repo, catalog, settings)


async def _send_export(message: Message, repo: Repo, catalog: Catalog, settings: Settings) -> None:
    from bot.indicators.workbook.export import export_submissions

    locale = get_i18n().current_locale
    year = local_today(settings.zone, repo.db.clock()).year
    content = await export_submissions(repo, catalog, year, locale, settings.zone)
    name = _("indicators-{year}.xlsx").format(year=year)
    await message.answer_document(
        BufferedInputFile(content, filename=name),
        caption=_(
            "Indicators of {year}: one row per school; not submitted; change history."
        ).format(year=year),
    )
