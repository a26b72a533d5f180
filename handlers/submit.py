"""/submit: a principal fills in the school's indicators, one question at a time, then
reviews and submits.

Answers are saved to the database the moment they are given, so a draft survives
anything; the conversation only remembers where the person is. Every button names the
submission it belongs to and is checked against the person's own school
(:class:`bot.form_session.FormButton`). The screens are in :mod:`bot.form_screens`, the
save-and-conflict rule in :mod:`bot.indicators.saving`.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.callbacks import CampaignCallback, FormCallback, MenuCallback
from bot.clock import Clock
from bot.filters import IsPrincipal
from bot.form_screens import Event, ask_whose, send, show_question, show_review
from bot.form_session import (
    STEP_ACTIONS,
    ActiveForm,
    Form,
    FormButton,
    FormStates,
    OpenQuestion,
)
from bot.i18n import N_, Msg
from bot.indicators.answers.cross_checks import cross_check
from bot.indicators.answers.links import check_document
from bot.indicators.answers.messages import AnswerError
from bot.indicators.answers.reading import parse_answer, parse_base
from bot.indicators.catalog import Catalog, Kind
from bot.indicators.form import (
    CampaignState,
    Step,
    campaign_deadlines,
    campaign_state,
    days_left,
    first_unanswered,
    is_late,
    local_today,
    missing_required,
)
from bot.indicators.saving import Clash, save_answer, write
from bot.keyboards import Keyboard
from bot.replies import refuse_button
from bot.settings import Settings
from bot.texts import campaign_title, state_name
from storage.models import Person
from storage.repo import Repo
from storage.submissions import Conflict

log = logging.getLogger(__name__)
router = Router(name="submit")
router.message.filter(IsPrincipal())
router.callback_query.filter(IsPrincipal())


class TypedAnswer(Filter):
    """A text that is not a command.

    Written as an async filter on purpose: aiogram runs synchronous filters such as
    ``F.text`` in a worker thread (``asyncio.to_thread``), two thread hops per answer.
    """

    async def __call__(self, message: Message) -> bool:
        return bool(message.text) and not message.text.startswith("/")


# --- the list of campaigns ----------------------------------------------------------------


@router.message(Command("submit"))
async def submit_command(
    message: Message,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    school_id: int,
) -> None:
    text, markup = await campaign_list(repo, catalog, settings, clock, school_id)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "submit"))
async def submit_button(
    callback: CallbackQuery,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    clock: Clock,
    school_id: int,
) -> None:
    await callback.answer()
    text, markup = await campaign_list(repo, catalog, settings, clock, school_id)
    await send(callback, text, markup)


async def campaign_list(
    repo: Repo, catalog: Catalog, settings: Settings, clock: Clock, school_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    today = local_today(settings.zone, clock())
    campaigns = await repo.submissions.ensure_campaigns(
        today.year, campaign_deadlines(catalog, today.year)
    )
    school = await repo.schools.get(school_id)
    name = escape(school.display_name) if school else ""
    lines = [_("<b>Indicators of {school}</b>").format(school=name), ""]
    builder = Keyboard()
    for campaign in campaigns:
        if campaign.closed_at:
            continue
        submission = await repo.submissions.get(campaign.id, school_id)
        answered = 0
        if submission is not None:
            answered = len(await repo.submissions.answers(submission.id)) + len(submission.bases)
        state = campaign_state(submission, answered, campaign.due_date, today)
        left = days_left(campaign.due_date, today)
        line = f"• {campaign_title(campaign)} — {state_name(state)}"
        if left is not None and state in (CampaignState.NOT_STARTED, CampaignState.DRAFT):
            line += " " + ngettext("({n} day left)", "({n} days left)", left).format(n=left)
        if left is not None and state is CampaignState.OVERDUE:
            late = -left
            line += " " + ngettext("({n} day overdue)", "({n} days overdue)", late).format(n=late)
        lines.append(line)
        builder.button(
            text=campaign_title(campaign), callback_data=CampaignCallback(campaign_id=campaign.id)
        )
    builder.adjust(1)
    lines += ["", _("Choose a campaign to fill in or to check:")]
    return "\n".join(lines), builder.as_markup()


@router.callback_query(CampaignCallback.filter())
async def open_campaign(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person,
    school_id: int,
    locale: str,
) -> None:
    campaign = await repo.submissions.campaign(callback_data.campaign_id)
    if campaign is None:
        await refuse_button(callback, person.id)
        return
    if campaign.closed_at:
        await callback.answer(_("This campaign is closed: no more changes."), show_alert=True)
        return
    await callback.answer()
    submission = await repo.submissions.open(campaign.id, school_id, person.id)
    form = Form(state, repo, catalog, settings, person, campaign, submission, locale)
    index = first_unanswered(form.steps, submission.bases, await form.answers())
    if submission.status.reported or index >= len(form.steps):
        await show_review(form, callback)
    else:
        await show_question(form, callback, index, review_after=False)


# --- typed answers ------------------------------------------------------------------------


@router.message(StateFilter(FormStates.answering), TypedAnswer(), ActiveForm())
async def answer_text(message: Message, form: Form, index: int) -> None:
    try:
        value = _parse(form, form.steps[index], message.text or "")
    except AnswerError as error:
        await show_question(form, message, index, problem=error.render(form.locale))
        return
    await save(form, message, index, value)


def _parse(form: Form, step: Step, text: str) -> Any:
    if step.is_base:
        return parse_base(text)
    indicator = form.catalog.indicator(step.code)
    if indicator.kind is Kind.DOCUMENT:
        raise AnswerError(Msg(N_("Please send the document as a file.")))
    return parse_answer(indicator, text, form.catalog, form.submission.bases)


@router.message(StateFilter(FormStates.answering), F.document, ActiveForm())
async def answer_document(message: Message, form: Form, index: int) -> None:
    step = form.steps[index]
    document = message.document
    assert document is not None
    try:
        if step.is_base or form.catalog.indicator(step.code).kind is not Kind.DOCUMENT:
            raise AnswerError(Msg(N_("This question needs a typed answer, not a file.")))
        value = check_document(
            document.file_name or "document", document.file_size or 0, document.mime_type
        )
    except AnswerError as error:
        await show_question(form, message, index, problem=error.render(form.locale))
        return
    await save(form, message, index, {**value, "file_id": document.file_id})


@router.message(StateFilter(FormStates.answering), ~F.text, ~F.document)
async def answer_other(message: Message) -> None:
    await message.answer(
        _(
            "Please answer the question with text (or a file where a document is asked for), "
            "or use the buttons under it."
        )
    )


@router.message(StateFilter(FormStates.answering), TypedAnswer())
@router.message(StateFilter(FormStates.answering), F.document)
async def form_gone(message: Message, state: FSMContext) -> None:
    """An answer to a form that can no longer be changed (the campaign closed)."""
    await state.set_state(None)
    await message.answer(_("This form is no longer available to you. Please use /menu."))


async def save(form: Form, event: Event, index: int, value: Any) -> None:
    """Save one answer; if someone else changed the same answer meanwhile, ask first.

    Answers given with buttons are checked against the others here, as typed ones are
    in ``_parse``.
    """
    step = form.steps[index]
    if not step.is_base:
        problem = await _contradiction(form, step, value)
        if problem is not None:
            await show_question(form, event, index, problem=problem.render(form.locale))
            return
    saved = await form.data()
    outcome = await save_answer(
        form.repo.submissions,
        form.submission,
        step,
        value,
        form.person.id,
        seen_version=int(saved["version"]),
        seen_value=saved.get("shown"),
        known_answers=await form.answers(),
    )
    form.submission = outcome.submission
    if isinstance(outcome, Clash):
        await ask_whose(form, event, index, outcome.stored, value, form.settings.zone)
        return
    if outcome.answers is not None:
        form.remember_answers(outcome.submission.version, outcome.answers)
    await _advance(form, event, index)


async def _contradiction(form: Form, step: Step, value: Any) -> Msg | None:
    """A problem this answer adds to the others (30 % + 80 % of the same teachers)."""
    answers, bases, code = await form.answers(), form.submission.bases, step.code
    before = {p.msgid for _code, p in cross_check(form.catalog, answers, bases, code)}
    for _code, problem in cross_check(form.catalog, {**answers, code: value}, bases, code):
        if problem.msgid not in before:
            return problem
    return None


async def _advance(form: Form, event: Event, index: int) -> None:
    if (await form.data()).get("review_after") or index + 1 >= len(form.steps):
        await show_review(form, event)
    else:
        await show_question(form, event, index + 1)


# --- the form's buttons: one handler per action --------------------------------------------


def _on(action: str) -> Any:
    return FormCallback.filter(F.action == action)


@router.callback_query(_on("back"), FormButton(), OpenQuestion())
async def back_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    await callback.answer()
    await show_question(form, callback, max(callback_data.step - 1, 0), edit=True)


@router.callback_query(_on("skip"), FormButton(), OpenQuestion())
async def skip_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    await callback.answer()
    await _advance(form, callback, callback_data.step)


@router.callback_query(_on("keep"), FormButton(), OpenQuestion())
async def keep_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    """Keep the current answer, or copy last year's when there is none yet."""
    await callback.answer()
    index = callback_data.step
    step = form.steps[index]
    if await form.stored(step) is not None:
        await _advance(form, callback, index)
        return
    previous = await form.previous()
    if step.code in previous:
        await save(form, callback, index, previous[step.code])


@router.callback_query(_on("yes"), FormButton(), OpenQuestion())
@router.callback_query(_on("no"), FormButton(), OpenQuestion())
async def yes_no_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    await callback.answer()
    await save(form, callback, callback_data.step, {"yes": callback_data.action == "yes"})


@router.callback_query(_on("opt"), FormButton(), OpenQuestion())
async def option_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    """Tick or untick one option of a choice question."""
    await callback.answer()
    index = callback_data.step
    indicator = form.catalog.indicator(form.steps[index].code)
    if callback_data.value not in indicator.options:
        return
    chosen = set((await form.data()).get("choice") or []) ^ {callback_data.value}
    await form.remember(choice=[c for c in indicator.options if c in chosen])
    await show_question(form, callback, index, edit=True)


@router.callback_query(_on("optdone"), FormButton(), OpenQuestion())
async def options_done_button(
    callback: CallbackQuery, callback_data: FormCallback, form: Form
) -> None:
    await callback.answer()
    index = callback_data.step
    options = form.catalog.indicator(form.steps[index].code).options
    chosen = [code for code in (await form.data()).get("choice") or [] if code in options]
    other = ((await form.stored(form.steps[index])) or {}).get("other")
    await save(form, callback, index, {"options": chosen, "other": other})


@router.callback_query(_on("mine"), FormButton(), OpenQuestion())
async def mine_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    """After a clash: this person's value stays (saved whatever the version now is)."""
    await callback.answer()
    pending = (await form.data()).get("pending")
    index = callback_data.step
    if pending is not None:
        step = form.steps[index]
        form.submission = await write(
            form.repo.submissions, form.submission.id, step, pending, form.person.id, None
        )
    await _advance(form, callback, index)


@router.callback_query(_on("theirs"), FormButton(), OpenQuestion())
async def theirs_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    await callback.answer()
    await _advance(form, callback, callback_data.step)


@router.callback_query(FormCallback.filter(F.action.in_(STEP_ACTIONS)), FormButton())
async def question_closed(callback: CallbackQuery) -> None:
    """A button of a question that is no longer on screen."""
    await callback.answer(
        _("This question is no longer open. Please use the latest message."), show_alert=True
    )


@router.callback_query(_on("cancel"), FormButton())
async def cancel_button(callback: CallbackQuery, form: Form) -> None:
    await callback.answer()
    await form.leave()
    text = _("Stopped. Your answers are saved as a draft; continue any time with /submit.")
    await send(callback, text, None, edit=True)


@router.callback_query(_on("review"), FormButton())
async def review_button(callback: CallbackQuery, form: Form) -> None:
    await callback.answer()
    await show_review(form, callback, edit=True)


@router.callback_query(_on("edit"), FormButton())
async def edit_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    await callback.answer()
    if 0 <= callback_data.step < len(form.steps):
        await show_question(form, callback, callback_data.step, review_after=True)


@router.callback_query(_on("submit"), FormButton())
async def submit_form_button(callback: CallbackQuery, form: Form, clock: Clock) -> None:
    await callback.answer()
    answers = await form.answers()
    bases = form.submission.bases
    blocked = missing_required(form.catalog, form.steps, bases, answers) or cross_check(
        form.catalog, answers, bases
    )
    saved = await form.data()
    if blocked or saved.get("submission_id") != form.submission.id:
        await show_review(form, callback)  # an old review message: show what stands now
        return
    now = clock()
    late = is_late(form.campaign.due_date, local_today(form.settings.zone, now))
    try:
        done = await form.repo.submissions.submit(
            form.submission.id, form.person.id, int(saved["version"]), late
        )
    except Conflict as conflict:
        form.submission = conflict.current
        await show_review(form, callback)
        return
    await form.leave()
    log.info("submission %s submitted by person %s (late=%s)", done.id, form.person.id, late)
    when = now.astimezone(form.settings.zone).strftime("%d.%m.%Y %H:%M")
    lines = [
        _("✅ Submitted: {campaign}, {when} ({zone}).").format(
            campaign=campaign_title(form.campaign), when=when, zone=form.settings.timezone
        )
    ]
    if late and form.campaign.due_date:
        due = form.campaign.due_date.strftime("%d.%m.%Y")
        lines.append(
            _("The deadline was {date}: the submission is accepted and marked as late.").format(
                date=due
            )
        )
    await send(callback, "\n".join(lines), None)
