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

from bot.callbacks import CampaignCallback, FormCallback, MenuCallback
from bot.clock import Clock
from bot.deputy_notices import notify_school_of_sending
from bot.filters import IsPrincipal
from bot.form_screens import Event, ask_whose, button, retire, send, show_question, show_review
from bot.form_session import (
    STEP_ACTIONS,
    ActiveForm,
    Form,
    FormButton,
    FormStates,
    OpenQuestion,
    open_form,
)
from bot.i18n import N_, Msg
from bot.indicators.answers.cross_checks import check_bases, cross_check
from bot.indicators.answers.links import check_document
from bot.indicators.answers.messages import (
    DOCUMENT_TYPE_LIST,
    LINK_IS_A_FILE,
    PHOTO_NOT_DOCUMENT,
    AnswerError,
)
from bot.indicators.answers.numbers import count_or_percent
from bot.indicators.answers.reading import parse_answer, parse_base
from bot.indicators.catalog import Catalog, Kind
from bot.indicators.form import (
    Step,
    campaign_deadlines,
    campaign_state,
    first_unanswered,
    form_steps,
    is_late,
    local_today,
    missing_required,
)
from bot.indicators.saving import Clash, save_answer, write
from bot.keyboards import Keyboard
from bot.replies import refuse_button
from bot.review_notices import notify_coordinators
from bot.settings import Settings
from bot.telegram_limits import shorten
from bot.texts import campaign_title, long_date, progress_line, zone_phrase
from storage.models import Person, Roles, Status
from storage.repo import Repo
from storage.submissions import Conflict

log = logging.getLogger(__name__)
router = Router(name="submit")
SHOWN_IN_NOTE = 300  # characters of an answer said back after it is saved
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
        state = campaign_state(submission, answered)
        total = len(form_steps(catalog, campaign))
        late = submission is not None and submission.late
        progress = progress_line(state, answered, total, campaign.due_date, today, late=late)
        title = campaign_title(campaign, catalog)
        lines.append(f"• {title} — {progress}")
        builder.button(text=title, callback_data=CampaignCallback(campaign_id=campaign.id))
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
    await form.leave()  # opened afresh from the list: no earlier screen of it is retired
    index = first_unanswered(form.steps, submission.bases, await form.answers())
    if submission.status.reported or index >= len(form.steps):
        await show_review(form, callback)
    else:
        await show_question(form, callback, index, review_after=False)


# --- typed answers ------------------------------------------------------------------------


@router.message(StateFilter(FormStates.answering), TypedAnswer(), ActiveForm())
async def answer_text(message: Message, form: Form, index: int) -> None:
    saved = await form.data()
    earlier = _answered_before_shown(message, saved, form)
    if earlier is not None:
        await _correct_earlier(form, message, earlier, index)
        return
    step = form.steps[index]
    text = message.text or ""
    if not step.is_base and form.catalog.indicator(step.code).kind is Kind.SHARE:
        base = form.submission.bases.get(form.catalog.indicator(step.code).base or "")
        number = count_or_percent(text, base)
        if number is not None and base is not None:
            await _ask_count_or_percent(form, message, index, number, base)
            return
    try:
        value = _parse(form, step, text, choice=saved.get("choice") or [])
    except AnswerError as error:
        await show_question(form, message, index, problem=error.render(form.locale))
        return
    await save(form, message, index, value)


def _answered_before_shown(message: Message, saved: dict[str, Any], form: Form) -> int | None:
    """The question a text was meant for when it was typed before the current question
    arrived (in a private chat the person's messages and the bot's share one sequence of
    ids): the one on screen then. None when it answers the current question."""
    shown_id = saved.get("question_message_id")
    earlier = saved.get("previous_step")
    if not isinstance(shown_id, int) or not isinstance(earlier, int):
        return None
    if message.message_id > shown_id or earlier == saved.get("step"):
        return None
    return earlier if 0 <= earlier < len(form.steps) else None


async def _correct_earlier(form: Form, message: Message, earlier: int, index: int) -> None:
    """A second answer sent quickly after the first: it changes the answer to the question
    the person was looking at, not the next one; the current question stays open."""
    step = form.steps[earlier]
    number = earlier + 1
    try:
        value = _parse(form, step, message.text or "", choice=[])
        problem = None if step.is_base else await _contradiction(form, step, value)
        if problem is not None:
            raise AnswerError(problem)
    except AnswerError as error:
        note = "⚠️ " + _("The answer to question {n} is not changed: {problem}").format(
            n=number, problem=escape(error.render(form.locale))
        )
        await show_question(form, message, index, note=note)
        return
    form.submission = await write(
        form.repo.submissions, form.submission.id, step, value, form.person.id, None
    )
    shown = form.shown(step, value)
    note = "✏️ " + _("Changed the answer to question {n}: <b>{value}</b>").format(
        n=number, value=escape(shorten(shown, SHOWN_IN_NOTE))
    )
    await show_question(form, message, index, note=note)


def _parse(form: Form, step: Step, text: str, *, choice: list[str]) -> Any:
    if step.is_base:
        count = parse_base(text)
        problem = check_bases(form.catalog, {**form.submission.bases, step.code: count})
        if problem is not None:
            raise AnswerError(problem)
        return count
    indicator = form.catalog.indicator(step.code)
    if indicator.kind is Kind.DOCUMENT:
        raise AnswerError(Msg(N_("Please send the document as a file.")))
    value = parse_answer(indicator, text, form.catalog, form.submission.bases)
    if indicator.kind is Kind.CHOICE and (value["options"] or value.get("other")):
        # options ticked with the buttons and items typed add up
        chosen = set(choice) | set(value["options"])
        value = {**value, "options": [code for code in indicator.options if code in chosen]}
    return value


async def _ask_count_or_percent(
    form: Form, message: Message, index: int, number: int, base: int
) -> None:
    """ "8" on a share of 40 teachers: 8 % or 8 of 40? Two buttons."""
    await form.remember(pending_share=number)
    keyboard = Keyboard()
    keyboard.button(text=f"{number} %", callback_data=button(form, "share", index, "percent"))
    keyboard.button(
        text=_("{n} of {base}").format(n=number, base=base),
        callback_data=button(form, "share", index, "count"),
    )
    keyboard.adjust(2)
    text = _("Did you mean {n} % or {n} of {base}?").format(n=number, base=base)
    await message.answer(text, reply_markup=keyboard.as_markup())


@router.message(StateFilter(FormStates.answering), F.document, ActiveForm())
async def answer_document(message: Message, form: Form, index: int) -> None:
    step = form.steps[index]
    document = message.document
    assert document is not None
    try:
        kind = None if step.is_base else form.catalog.indicator(step.code).kind
        if kind is Kind.LINK:
            raise AnswerError(Msg(LINK_IS_A_FILE))
        if kind is not Kind.DOCUMENT:
            raise AnswerError(Msg(N_("This question needs a typed answer, not a file.")))
        value = check_document(
            document.file_name or "document", document.file_size or 0, document.mime_type
        )
    except AnswerError as error:
        await show_question(form, message, index, problem=error.render(form.locale))
        return
    await save(form, message, index, {**value, "file_id": document.file_id})


@router.message(StateFilter(FormStates.answering), F.photo, ActiveForm())
async def answer_photo(message: Message, form: Form, index: int) -> None:
    step = form.steps[index]
    kind = None if step.is_base else form.catalog.indicator(step.code).kind
    if kind is Kind.DOCUMENT:
        problem = Msg(PHOTO_NOT_DOCUMENT, {"types": DOCUMENT_TYPE_LIST})
    elif kind is Kind.LINK:
        problem = Msg(LINK_IS_A_FILE)
    else:
        problem = Msg(N_("This question needs a typed answer, not a picture."))
    await show_question(form, message, index, problem=problem.render(form.locale))


@router.message(StateFilter(FormStates.answering), ~F.text, ~F.document, ~F.photo)
async def answer_other(message: Message) -> None:
    await message.answer(
        _(
            "Please answer the question with text (or a file where a document is asked for), "
            "or use the buttons under it."
        )
    )


@router.message(StateFilter(FormStates.answering), TypedAnswer())
@router.message(StateFilter(FormStates.answering), F.document)
@router.message(StateFilter(FormStates.answering), F.photo)
async def form_gone(message: Message, state: FSMContext) -> None:
    """An answer to a form that can no longer be changed (the campaign closed)."""
    await state.set_state(None)
    await message.answer(_("This form is no longer available to you. Please use /menu."))


@router.message(StateFilter(FormStates.reviewing), TypedAnswer())
@router.message(StateFilter(FormStates.reviewing), F.document)
@router.message(StateFilter(FormStates.reviewing), F.photo)
async def typed_at_the_summary(
    message: Message,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
    locale: str,
) -> None:
    """Text or a file sent while the summary is on screen: nothing asked for it, nothing
    is lost, and the buttons under the summary say what to do."""
    saved = (await state.get_data()).get("form") or {}
    submission_id = int(saved.get("submission_id", 0))
    form = await open_form(state, repo, catalog, settings, person, roles, submission_id, locale)
    if form is None:
        await form_gone(message, state)
        return
    await message.answer(
        _(
            "Your answers are saved. To change one, press its number under the summary; to "
            "send the report, press «📤 Submit». /submit opens the list of forms."
        )
    )


async def save(form: Form, event: Event, index: int, value: Any) -> None:
    """Save one answer; if someone else changed the same answer meanwhile, ask first; then
    the next screen says back what was saved, in its stored form.

    Answers given with buttons are checked against the others here, as typed ones are
    in ``_parse``.
    """
    step = form.steps[index]
    if not step.is_base:
        problem = await _contradiction(form, step, value)
        if problem is not None:
            edit = isinstance(event, CallbackQuery)
            await show_question(form, event, index, problem=problem.render(form.locale), edit=edit)
            return
    saved = await form.data()
    was = form.submission.status
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
    if was is Status.ACCEPTED:
        current = await form.repo.submissions.by_id(form.submission.id)
        if current is not None and current.status is Status.SUBMITTED:
            form.submission = current
            await notify_coordinators(form.repo, form.catalog, current, form.campaign, resent=False)
    note = "✅ " + _("Saved for question {n}: <b>{value}</b>").format(
        n=index + 1, value=escape(shorten(form.shown(step, value), SHOWN_IN_NOTE))
    )
    await _advance(form, event, index, note)


async def _contradiction(form: Form, step: Step, value: Any) -> Msg | None:
    """A problem this answer adds to the others (30 % + 80 % of the same teachers)."""
    answers, bases, code = await form.answers(), form.submission.bases, step.code
    before = {p.msgid for _code, p in cross_check(form.catalog, answers, bases, code)}
    for _code, problem in cross_check(form.catalog, {**answers, code: value}, bases, code):
        if problem.msgid not in before:
            return problem
    return None


async def _advance(form: Form, event: Event, index: int, note: str | None = None) -> None:
    """The next question (or the review). A button's answer turns its own message into the
    next screen; a typed one gets a new message."""
    edit = isinstance(event, CallbackQuery)
    if (await form.data()).get("review_after") or index + 1 >= len(form.steps):
        await show_review(form, event, note=note, edit=edit)
    else:
        await show_question(form, event, index + 1, note=note, edit=edit)


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


@router.callback_query(_on("share"), FormButton(), OpenQuestion())
async def share_button(callback: CallbackQuery, callback_data: FormCallback, form: Form) -> None:
    """The answer to "8 % or 8 of 40?"."""
    await callback.answer()
    index = callback_data.step
    indicator = form.catalog.indicator(form.steps[index].code)
    number = (await form.data()).get("pending_share")
    base = form.submission.bases.get(indicator.base or "")
    if not isinstance(number, int) or base is None:
        return
    if callback_data.value == "count":
        value: dict[str, Any] = {"percent": 100 * number / base, "count": number, "base": base}
    else:
        value = {"percent": float(number)}
    await save(form, callback, index, value)


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
        await show_question(form, callback, callback_data.step, review_after=True, edit=True)


@router.callback_query(_on("submit"), FormButton())
async def submit_form_button(callback: CallbackQuery, form: Form, clock: Clock) -> None:
    await callback.answer()
    answers = await form.answers()
    bases = form.submission.bases
    blocked = (
        not answers
        or missing_required(form.catalog, form.steps, bases, answers)
        or cross_check(form.catalog, answers, bases)
    )
    saved = await form.data()
    if blocked or saved.get("submission_id") != form.submission.id:
        await show_review(form, callback)  # an old review message: show what stands now
        return
    now = clock()
    late = is_late(form.campaign.due_date, local_today(form.settings.zone, now))
    was = form.submission.status
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
    if was is Status.RETURNED:
        await notify_coordinators(form.repo, form.catalog, done, form.campaign, resent=True)
    await notify_school_of_sending(form.repo, form.catalog, done, form.person.id)
    when = now.astimezone(form.settings.zone).strftime("%d.%m.%Y %H:%M")
    lines = [
        _("✅ Sent: {campaign}, {when} {zone}.").format(
            campaign=campaign_title(form.campaign, form.catalog),
            when=when,
            zone=zone_phrase(form.settings.timezone, form.locale),
        ),
        _("It is waiting for the coordinator's review; you will be told of the decision."),
    ]
    if late and form.campaign.due_date:
        lines.append(
            _("The deadline was {date} inclusive: the report is marked as sent late.").format(
                date=long_date(form.campaign.due_date)
            )
        )
    await send(callback, "\n".join(lines), None)
    await retire(callback, saved.get("question_message_id"), None)


@router.callback_query(_on("full"), FormButton())
async def whole_answer_button(
    callback: CallbackQuery, callback_data: FormCallback, form: Form
) -> None:
    """The whole of a long answer, which the question and the review show shortened."""
    if not 0 <= callback_data.step < len(form.steps):
        await callback.answer()
        return
    step = form.steps[callback_data.step]
    value = await form.stored(step)
    await callback.answer()
    if value is None:
        return
    heading = _("Answer to question {n}:").format(n=callback_data.step + 1)
    await send(callback, f"<b>{heading}</b>\n{escape(form.shown(step, value))}", None)
