"""/review: a coordinator accepts a submitted report or returns it with a comment; the
school's responsible people (its principal and deputies) are told through the outbox. The
card names who sent the report and who gave its answers.

Every decision carries the version of the report the coordinator was shown: a report
changed since (or no longer waiting for review) is refused with the fresh card.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import MenuCallback, ReviewCallback
from bot.filters import IsCoordinator
from bot.indicators.catalog import Catalog
from bot.indicators.form import CampaignState, form_steps
from bot.keyboards import pager, paginate
from bot.review_notices import changed_since_review, notify_principals
from bot.settings import Settings
from bot.submission_authors import author_lines
from bot.telegram_limits import shorten
from bot.texts import answer_lines, campaign_title, state_name
from storage.models import Person, Roles, Status
from storage.repo import Repo
from storage.submissions import Conflict, Submission

log = logging.getLogger(__name__)
router = Router(name="review")
router.message.filter(IsCoordinator())
router.callback_query.filter(IsCoordinator())

REVIEWS_PER_PAGE = 10
MAX_COMMENT = 1000


class ReviewStates(StatesGroup):
    comment = State()


class InTerritory(Filter):
    """A review button about a submission of a school in the coordinator's territory: gives
    the ``submission``; a forged or foreign id is not reached (the fallback refuses it)."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: ReviewCallback, repo: Repo, roles: Roles
    ) -> bool | dict[str, Any]:
        submission = await repo.submissions.by_id(callback_data.submission_id)
        if submission is None:
            return False
        school = await repo.schools.get(submission.school_id)
        if school is None or not roles.coordinates(school):
            return False
        return {"submission": submission}


@router.message(Command("review"))
async def review_command(message: Message, repo: Repo, catalog: Catalog, roles: Roles) -> None:
    text, markup = await review_list(repo, catalog, roles, 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "review"))
async def review_button(
    callback: CallbackQuery, repo: Repo, catalog: Catalog, roles: Roles
) -> None:
    await callback.answer()
    text, markup = await review_list(repo, catalog, roles, 0)
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


async def review_list(
    repo: Repo, catalog: Catalog, roles: Roles, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The reports waiting for review in the coordinator's territory, oldest first."""
    schools = {
        school.id: school for school in await repo.schools.list() if roles.coordinates(school)
    }
    waiting = []
    for campaign in await repo.submissions.campaigns():
        for submission in (await repo.submissions.for_campaign(campaign.id)).values():
            if submission.status == Status.SUBMITTED and submission.school_id in schools:
                waiting.append((submission, campaign))
    waiting.sort(key=lambda pair: pair[0].submitted_at or "")
    shown, page, pages = paginate(waiting, page, REVIEWS_PER_PAGE)
    builder = InlineKeyboardBuilder()
    for submission, campaign in shown:
        school = schools[submission.school_id]
        builder.button(
            text=f"{school.display_name} · {campaign_title(campaign, catalog)}",
            callback_data=ReviewCallback(action="open", submission_id=submission.id),
        )
    sizes = [1] * len(shown)
    navigation = pager(builder, page, pages, lambda to: ReviewCallback(action="list", page=to))
    if navigation:
        sizes.append(navigation)
    builder.adjust(*sizes)
    if not waiting:
        return _("No submissions are waiting for review."), builder.as_markup()
    text = _("Submissions waiting for review: {count}. Choose one:").format(count=len(waiting))
    return text, builder.as_markup()


@router.callback_query(ReviewCallback.filter(F.action == "list"))
async def review_page(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    repo: Repo,
    catalog: Catalog,
    roles: Roles,
) -> None:
    await callback.answer()
    text, markup = await review_list(repo, catalog, roles, callback_data.page)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


@router.callback_query(ReviewCallback.filter(F.action == "open"), InTerritory())
async def review_open(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    locale: str,
    settings: Settings,
) -> None:
    await _end_pending_return(state)
    await callback.answer()
    await _show_submission(callback, repo, catalog, settings, locale, callback_data.submission_id)


@router.callback_query(ReviewCallback.filter(F.action == "accept"), InTerritory())
async def review_accept(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    person: Person,
    locale: str,
    settings: Settings,
) -> None:
    submission_id = callback_data.submission_id
    await _end_pending_return(state)
    try:
        await repo.submissions.review(
            submission_id, person.id, True, None, expected_version=callback_data.version
        )
    except Conflict:
        await _refuse_changed(callback)
        await _show_submission(callback, repo, catalog, settings, locale, submission_id)
        return
    await callback.answer()
    await notify_principals(repo, catalog, submission_id, accepted=True, comment=None)
    await _show_submission(callback, repo, catalog, settings, locale, submission_id)


@router.callback_query(ReviewCallback.filter(F.action == "return"), InTerritory())
async def review_return(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    locale: str,
    submission: Submission,
    settings: Settings,
) -> None:
    await _end_pending_return(state)
    if submission.status != Status.SUBMITTED or submission.version != callback_data.version:
        await _refuse_changed(callback)
        await _show_submission(callback, repo, catalog, settings, locale, submission.id)
        return
    await callback.answer()
    await state.set_state(ReviewStates.comment)
    await state.update_data(review_submission=submission.id, review_version=submission.version)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            _("What should the school correct? Write a comment for its responsible people:")
        )


@router.message(StateFilter(ReviewStates.comment), F.text)
async def return_comment(
    message: Message,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    person: Person,
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
    submission_id = int(data.get("review_submission") or 0)
    submission = await repo.submissions.by_id(submission_id)
    school = await repo.schools.get(submission.school_id) if submission else None
    if school is None or not roles.coordinates(school):
        await message.answer(_("This action is not available to you. Please use /menu."))
        return
    try:
        await repo.submissions.review(
            submission_id,
            person.id,
            False,
            comment,
            expected_version=int(data.get("review_version") or 0),
        )
    except Conflict:
        await message.answer(
            _("This submission has changed since you opened it. Please look at it again.")
        )
        return
    await notify_principals(repo, catalog, submission_id, accepted=False, comment=comment)
    await message.answer(
        _(
            "Returned to the school with your comment. The school's responsible people (the "
            "principal and the deputies) are told."
        )
    )


@router.message(StateFilter(ReviewStates.comment))
async def return_comment_not_text(message: Message) -> None:
    await message.answer(_("Please write the comment as text, or /cancel."))


async def _end_pending_return(state: FSMContext) -> None:
    """Any other review button ends a "return" still waiting for its comment."""
    if await state.get_state() == ReviewStates.comment.state:
        await state.set_state(None)


async def _refuse_changed(callback: CallbackQuery) -> None:
    await callback.answer(
        _("This submission has changed since you opened it. Please look at it again."),
        show_alert=True,
    )


async def _show_submission(
    callback: CallbackQuery,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    locale: str,
    submission_id: int,
) -> None:
    submission = await repo.submissions.by_id(submission_id)
    assert submission is not None
    campaign = await repo.submissions.campaign(submission.campaign_id)
    school = await repo.schools.get(submission.school_id)
    assert campaign is not None and school is not None
    catalog = catalog.for_year(campaign.year)  # its questions name the campaign's school year
    answers = await repo.submissions.answers(submission.id)
    lines = [
        f"<b>{escape(school.name)}</b> · {escape(school.municipality)}",
        f"{campaign_title(campaign, catalog)} — {state_name(CampaignState(submission.status))}",
        *await author_lines(repo, submission, settings.zone, locale),
        "",
    ]
    if submission.review_comment:
        lines.append(
            _("↩️ Your earlier comment: {comment}").format(
                comment=escape(shorten(submission.review_comment, 500))
            )
        )
    changed = await changed_since_review(repo, catalog, submission, locale)
    if changed:
        lines.append(
            _("✏️ Changed since your last decision: {answers}").format(
                answers=escape(", ".join(changed))
            )
        )
    if submission.review_comment or changed:
        lines.append("")
    lines += answer_lines(catalog, form_steps(catalog, campaign), submission.bases, answers, locale)
    if submission.late:
        lines += ["", _("Sent late.")]
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
