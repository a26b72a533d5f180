"""A principal fills in the school's indicators: one question at a time, then review, submit.

Answers are saved to the database the moment they are given, so a draft survives
anything; the conversation state only remembers where the person is. Every button
names the submission it belongs to and is checked against the person's own school.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot.callbacks import CampaignCallback, FormCallback, MenuCallback
from bot.clock import from_db
from bot.i18n import N_, Msg
from bot.indicators.answers.cross_checks import cross_check
from bot.indicators.answers.links import check_document
from bot.indicators.answers.messages import AnswerError
from bot.indicators.answers.reading import parse_answer, parse_base
from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import Catalog, Kind
from bot.indicators.form import (
    CampaignState,
    Step,
    campaign_deadlines,
    campaign_state,
    days_left,
    first_unanswered,
    form_steps,
    is_late,
    local_today,
    missing_required,
)
from bot.keyboards import Keyboard
from bot.replies import refuse_button
from bot.settings import Settings
from bot.texts import campaign_title, state_name
from storage.models import Person, Roles, Status
from storage.repo import Repo
from storage.submissions import Campaign, Conflict, Submission

log = logging.getLogger(__name__)
router = Router(name="submit")

Event = Message | CallbackQuery


class FormStates(StatesGroup):
    answering = State()
    reviewing = State()


class TypedAnswer(Filter):
    """A text that is not a command.

    Written as an async filter on purpose: aiogram runs synchronous filters such as
    ``F.text`` in a worker thread (``asyncio.to_thread``), two thread hops per answer.
    """

    async def __call__(self, message: Message) -> bool:
        return bool(message.text) and not message.text.startswith("/")


@dataclass
class Form:
    """One person working on one school's submission for one campaign."""

    state: FSMContext
    repo: Repo
    catalog: Catalog
    settings: Settings
    person: Person
    campaign: Campaign
    submission: Submission
    _answers: tuple[int, dict[str, Any]] | None = field(default=None, repr=False)
    _previous: dict[str, Any] | None = field(default=None, repr=False)
    _conversation: dict[str, Any] | None = field(default=None, repr=False)

    @cached_property
    def steps(self) -> list[Step]:
        return form_steps(self.catalog, self.campaign)

    @property
    def locale(self) -> str:
        return get_i18n().current_locale

    async def conversation(self) -> dict[str, Any]:
        """The conversation's stored data, read once per update: one person's updates are
        handled one at a time, and while this one is, only the form changes the data."""
        if self._conversation is None:
            self._conversation = await self.state.get_data()
        return self._conversation

    async def _store(self, conversation: dict[str, Any]) -> None:
        await self.state.set_data(conversation)
        self._conversation = conversation

    async def data(self) -> dict[str, Any]:
        return dict((await self.conversation()).get("form") or {})

    async def remember(self, **values: Any) -> None:
        await self._store(
            {**(await self.conversation()), "form": {**(await self.data()), **values}}
        )

    async def move_to(self, state: State, form: dict[str, Any]) -> None:
        """Enter ``state`` with this form position (one write when the state is unchanged)."""
        if await self.state.get_state() != state.state:
            await self.state.set_state(state)
        await self._store({**(await self.conversation()), "form": form})

    async def answers(self) -> dict[str, Any]:
        """The saved answers, read once per version of the submission."""
        if self._answers is None or self._answers[0] != self.submission.version:
            answers = await self.repo.submissions.answers(self.submission.id)
            self._answers = (self.submission.version, answers)
        return dict(self._answers[1])

    def remember_answers(self, version: int, answers: dict[str, Any]) -> None:
        self._answers = (version, answers)

    async def previous(self) -> dict[str, Any]:
        """Last year's answers of the school for this campaign, for "keep"."""
        if self._previous is None:
            self._previous = await self.repo.submissions.previous_answers(
                self.submission.school_id, self.campaign.deadline_key, self.campaign.year
            )
        return self._previous

    async def stored(self, step: Step) -> Any:
        if step.is_base:
            return self.submission.bases.get(step.code)
        return (await self.answers()).get(step.code)

    def shown(self, step: Step, value: Any) -> str:
        if value is None:
            return _("no answer")
        if step.is_base:
            return str(value)
        return format_answer(self.catalog.indicator(step.code), value, self.catalog, self.locale)


async def _open_form(
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
    submission_id: int,
    conversation: dict[str, Any] | None = None,
) -> Form | None:
    """The form if this person may change this submission now, else None.

    The answers and last year's come in the same trip to the database: nearly every
    step of the form needs them.
    """
    if person is None:
        return None
    found = await repo.submissions.load_form(submission_id)
    if found is None:
        return None
    submission, campaign = found.submission, found.campaign
    if submission.school_id != roles.principal_school_id or campaign.closed_at:
        return None
    answers = (submission.version, found.answers)
    return Form(
        state, repo, catalog, settings, person, campaign, submission, answers, found.previous,
        conversation,
    )  # fmt: skip


# --- the list of campaigns ----------------------------------------------------------------


@router.message(Command("submit"))
async def submit_command(
    message: Message, repo: Repo, catalog: Catalog, settings: Settings, roles: Roles
) -> None:
    if roles.principal_school_id is None:
        await message.answer(_("Only a school principal submits indicators."))
        return
    text, markup = await campaign_list(repo, catalog, settings, roles.principal_school_id)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCallback.filter(F.action == "submit"))
async def submit_button(
    callback: CallbackQuery, repo: Repo, catalog: Catalog, settings: Settings, roles: Roles
) -> None:
    if roles.principal_school_id is None:
        await callback.answer(_("Only a school principal submits indicators."), show_alert=True)
        return
    await callback.answer()
    text, markup = await campaign_list(repo, catalog, settings, roles.principal_school_id)
    await _send(callback, text, markup)


async def campaign_list(
    repo: Repo, catalog: Catalog, settings: Settings, school_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    today = local_today(settings.zone, repo.db.clock())
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
    person: Person | None,
    roles: Roles,
) -> None:
    campaign = await repo.submissions.campaign(callback_data.campaign_id)
    if person is None or roles.principal_school_id is None or campaign is None:
        await refuse_button(callback, person.id if person else None)
        return
    if campaign.closed_at:
        await callback.answer(_("This campaign is closed: no more changes."), show_alert=True)
        return
    await callback.answer()
    submission = await repo.submissions.open(campaign.id, roles.principal_school_id, person.id)
    form = Form(state, repo, catalog, settings, person, campaign, submission)
    index = first_unanswered(form.steps, submission.bases, await form.answers())
    if submission.status.reported or index >= len(form.steps):
        await show_review(form, callback)
    else:
        await show_question(form, callback, index, review_after=False)


# --- one question -------------------------------------------------------------------------


async def show_question(
    form: Form,
    event: Event,
    index: int,
    *,
    edit: bool = False,
    problem: str | None = None,
    review_after: bool | None = None,
) -> None:
    steps = form.steps
    step = steps[index]
    saved = await form.data()
    if review_after is None:
        review_after = bool(saved.get("review_after"))
    current = await form.stored(step)
    same_question = saved.get("submission_id") == form.submission.id and saved.get("step") == index
    choice = saved.get("choice") if same_question else None
    if choice is None:
        choice = (current or {}).get("options", []) if not step.is_base else []
    await form.move_to(
        FormStates.answering,
        {
            "submission_id": form.submission.id,
            "step": index,
            "version": form.submission.version,
            "shown": current,
            "review_after": review_after,
            "choice": choice,
        },
    )
    lines = [
        _("<b>{campaign}</b> · question {n} of {total}").format(
            campaign=campaign_title(form.campaign), n=index + 1, total=len(steps)
        ),
        "",
    ]
    if problem:
        lines += [f"⚠️ {escape(problem)}", ""]
    keyboard = Keyboard()
    sizes: list[int] = []
    last = None
    if step.is_base:
        lines.append(f"<b>{escape(form.catalog.base(step.code).title.get(form.locale))}</b>")
        lines.append(_("Type a whole number."))
    else:
        indicator = form.catalog.indicator(step.code)
        lines.append(f"<b>{escape(indicator.title.get(form.locale))}</b>")
        lines.append(f"<i>{escape(indicator.help.get(form.locale))}</i>")
        last = (await form.previous()).get(step.code)
        if current is None and last is not None:
            lines.append(_("Last year: {value}").format(value=escape(form.shown(step, last))))
        if indicator.kind is Kind.YES_NO:
            keyboard.button(text=_("Yes"), callback_data=_button(form, "yes", index))
            keyboard.button(text=_("No"), callback_data=_button(form, "no", index))
            sizes.append(2)
        elif indicator.kind is Kind.CHOICE:
            for code in indicator.options:
                mark = "✅ " if code in choice else ""
                title = form.catalog.option(code).title.get(form.locale)
                keyboard.button(text=mark + title, callback_data=_button(form, "opt", index, code))
                sizes.append(1)
            keyboard.button(
                text=_("Done ({count} selected)").format(count=len(choice)),
                callback_data=_button(form, "optdone", index),
            )
            sizes.append(1)
    if current is not None:
        lines.append(_("Now: {value}").format(value=escape(form.shown(step, current))))
    navigation = 0
    if index > 0:
        keyboard.button(text=_("⬅️ Back"), callback_data=_button(form, "back", index))
        navigation += 1
    if not step.is_base and not form.catalog.indicator(step.code).required:
        keyboard.button(text=_("Skip ➡️"), callback_data=_button(form, "skip", index))
        navigation += 1
    if navigation:
        sizes.append(navigation)
    if current is not None or last is not None:
        keep = _("Keep this answer") if current is not None else _("Keep last year's answer")
        keyboard.button(text=keep, callback_data=_button(form, "keep", index))
        sizes.append(1)
    if review_after:
        keyboard.button(text=_("Back to review"), callback_data=_button(form, "review"))
        sizes.append(1)
    keyboard.button(text=_("Cancel (the draft is kept)"), callback_data=_button(form, "cancel"))
    sizes.append(1)
    keyboard.adjust(*sizes)
    await _send(event, "\n".join(lines), keyboard.as_markup(), edit=edit)


def _button(form: Form, action: str, step: int = -1, value: str = "") -> FormCallback:
    return FormCallback(action=action, submission_id=form.submission.id, step=step, value=value)


async def _form_from_state(
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
) -> tuple[Form, int] | None:
    conversation = await state.get_data()
    saved = conversation.get("form") or {}
    submission_id = int(saved.get("submission_id", 0))
    form = await _open_form(
        state, repo, catalog, settings, person, roles, submission_id, conversation
    )
    index = int(saved.get("step", -1))
    if form is None or not 0 <= index < len(form.steps):
        return None
    return form, index


@router.message(StateFilter(FormStates.answering), TypedAnswer())
async def answer_text(
    message: Message,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
) -> None:
    found = await _form_from_state(state, repo, catalog, settings, person, roles)
    if found is None:
        await _form_gone(message, state)
        return
    form, index = found
    try:
        value = await _parse(form, form.steps[index], message.text or "")
    except AnswerError as error:
        await show_question(form, message, index, problem=error.render(form.locale))
        return
    await save(form, message, index, value)


async def _parse(form: Form, step: Step, text: str) -> Any:
    if step.is_base:
        return parse_base(text)
    indicator = form.catalog.indicator(step.code)
    if indicator.kind is Kind.DOCUMENT:
        raise AnswerError(Msg(N_("Please send the document as a file.")))
    return parse_answer(indicator, text, form.catalog, form.submission.bases)


@router.message(StateFilter(FormStates.answering), F.document)
async def answer_document(
    message: Message,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
) -> None:
    found = await _form_from_state(state, repo, catalog, settings, person, roles)
    if found is None or message.document is None:
        await _form_gone(message, state)
        return
    form, index = found
    step = form.steps[index]
    document = message.document
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


@router.message(StateFilter(FormStates.answering), ~F.text)
async def answer_other(message: Message) -> None:
    await message.answer(
        _(
            "Please answer the question with text (or a file where a document is asked for), "
            "or use the buttons under it."
        )
    )


async def _form_gone(message: Message, state: FSMContext) -> None:
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
    try:
        form.submission = await _write(form, step, value, int(saved["version"]))
    except Conflict as conflict:
        form.submission = conflict.current
        stored = await form.stored(step)
        if stored != saved.get("shown"):
            await _ask_conflict(form, event, index, stored, value)
            return
        # someone changed other answers, not this one: save on top of their version,
        # and should this answer change meanwhile too, the next save will ask
        try:
            form.submission = await _write(form, step, value, conflict.current.version)
        except Conflict as again:
            form.submission = again.current
            await _ask_conflict(form, event, index, await form.stored(step), value)
            return
    await _advance(form, event, index)


async def _contradiction(form: Form, step: Step, value: Any) -> Msg | None:
    """A problem this answer adds to the others (30 % + 80 % of the same teachers)."""
    answers, bases, code = await form.answers(), form.submission.bases, step.code
    before = {p.msgid for _code, p in cross_check(form.catalog, answers, bases, code)}
    for _code, problem in cross_check(form.catalog, {**answers, code: value}, bases, code):
        if problem.msgid not in before:
            return problem
    return None


async def _write(form: Form, step: Step, value: Any, version: int | None) -> Submission:
    submissions, person_id = form.repo.submissions, form.person.id
    if step.is_base:
        return await submissions.save_base(form.submission.id, step.code, value, person_id, version)
    known = await form.answers() if version is not None else None
    saved = await submissions.save_answer(form.submission.id, step.code, value, person_id, version)
    if known is not None and saved.version == version + 1:
        # nobody else saved in between: the answers are what we knew plus this one
        form.remember_answers(saved.version, {**known, step.code: value})
    return saved


async def _advance(form: Form, event: Event, index: int) -> None:
    if (await form.data()).get("review_after") or index + 1 >= len(form.steps):
        await show_review(form, event)
    else:
        await show_question(form, event, index + 1)


async def _ask_conflict(form: Form, event: Event, index: int, stored: Any, mine: Any) -> None:
    latest = form.submission
    who = await form.repo.people.get(latest.updated_by) if latest.updated_by else None
    when = from_db(latest.updated_at).astimezone(form.settings.zone).strftime("%d.%m.%Y %H:%M")
    await form.remember(version=latest.version, shown=stored, pending=mine)
    step = form.steps[index]
    keyboard = Keyboard()
    keyboard.button(text=_("Save mine"), callback_data=_button(form, "mine", index))
    keyboard.button(text=_("Keep theirs"), callback_data=_button(form, "theirs", index))
    keyboard.adjust(2)
    text = _(
        "While you were answering, {who} changed this answer ({when}).\n"
        "Saved now: <b>{theirs}</b>\nYours: <b>{yours}</b>\n\nWhich one should stay?"
    ).format(
        who=escape(who.full_name if who else _("someone")),
        when=when,
        theirs=escape(form.shown(step, stored)),
        yours=escape(form.shown(step, mine)),
    )
    await _send(event, text, keyboard.as_markup())


# --- the form's buttons -------------------------------------------------------------------

_STEP_ACTIONS = {"back", "skip", "keep", "yes", "no", "opt", "optdone", "mine", "theirs"}


@router.callback_query(FormCallback.filter())
async def form_button(
    callback: CallbackQuery,
    callback_data: FormCallback,
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
) -> None:
    form = await _open_form(
        state, repo, catalog, settings, person, roles, callback_data.submission_id
    )
    if form is None:
        await refuse_button(callback, person.id if person else None)
        return
    saved = await form.data()
    action, index = callback_data.action, callback_data.step
    if action in _STEP_ACTIONS and (
        saved.get("submission_id") != form.submission.id or saved.get("step") != index
    ):
        await callback.answer(
            _("This question is no longer open. Please use the latest message."), show_alert=True
        )
        return
    await callback.answer()
    if action == "cancel":
        await state.set_state(None)
        await state.update_data(form={})
        text = _("Stopped. Your answers are saved as a draft; continue any time with /submit.")
        await _send(callback, text, None, edit=True)
    elif action == "review":
        await show_review(form, callback, edit=True)
    elif action == "edit" and 0 <= index < len(form.steps):
        await show_question(form, callback, index, review_after=True)
    elif action == "submit":
        await _submit(form, callback)
    elif action == "back":
        await show_question(form, callback, max(index - 1, 0), edit=True)
    elif action == "skip":
        await _advance(form, callback, index)
    elif action == "keep":
        await _keep(form, callback, index)
    elif action in ("yes", "no"):
        await save(form, callback, index, {"yes": action == "yes"})
    elif action == "opt":
        await _toggle_option(form, callback, index, callback_data.value)
    elif action == "optdone":
        options = form.catalog.indicator(form.steps[index].code).options
        chosen = [code for code in saved.get("choice") or [] if code in options]
        other = ((await form.stored(form.steps[index])) or {}).get("other")
        await save(form, callback, index, {"options": chosen, "other": other})
    elif action == "mine" and "pending" in saved:
        form.submission = await _write(form, form.steps[index], saved["pending"], None)
        await _advance(form, callback, index)
    elif action == "theirs":
        await _advance(form, callback, index)


async def _keep(form: Form, event: Event, index: int) -> None:
    """Keep the current answer, or copy last year's when there is none yet."""
    step = form.steps[index]
    if await form.stored(step) is not None:
        await _advance(form, event, index)
        return
    previous = await form.previous()
    if step.code in previous:
        await save(form, event, index, previous[step.code])


async def _toggle_option(form: Form, event: Event, index: int, code: str) -> None:
    indicator = form.catalog.indicator(form.steps[index].code)
    if code not in indicator.options:
        return
    chosen = set((await form.data()).get("choice") or []) ^ {code}
    await form.remember(choice=[c for c in indicator.options if c in chosen])
    await show_question(form, event, index, edit=True)


# --- review and submission ----------------------------------------------------------------


async def show_review(form: Form, event: Event, *, edit: bool = False) -> None:
    steps = form.steps
    answers = await form.answers()
    submission = form.submission
    await form.move_to(
        FormStates.reviewing,
        {
            "submission_id": submission.id,
            "step": -1,
            "version": submission.version,
            "review_after": True,
        },
    )
    lines = [_("<b>{campaign}</b>: your answers").format(campaign=campaign_title(form.campaign))]
    lines.append("")
    if submission.status == Status.RETURNED and submission.review_comment:
        comment = escape(submission.review_comment)
        lines += [_("↩️ Returned for correction: {comment}").format(comment=comment), ""]
    for number, step in enumerate(steps, start=1):
        if step.is_base:
            title = form.catalog.base(step.code).title.get(form.locale)
            value = submission.bases.get(step.code)
        else:
            title = form.catalog.indicator(step.code).short.get(form.locale)
            value = answers.get(step.code)
        shown = form.shown(step, value) if value is not None else "—"
        lines.append(f"{number}. {escape(title)}: <b>{escape(shown)}</b>")
    problems = cross_check(form.catalog, answers, submission.bases)
    missing = missing_required(form.catalog, steps, submission.bases, answers)
    for code, problem in problems:
        short = form.catalog.indicator(code).short.get(form.locale)
        lines.append(f"⚠️ {escape(short)}: {escape(problem.render(form.locale))}")
    if missing:
        lines += [
            "",
            _("Not answered yet: {count}. Answer them to submit.").format(count=len(missing)),
        ]
    reported = submission.status.reported
    if reported:
        lines += ["", _("Submitted; you can still correct answers until the campaign closes.")]
    keyboard = Keyboard()
    for number in range(1, len(steps) + 1):
        keyboard.button(text=f"✏️ {number}", callback_data=_button(form, "edit", number - 1))
    sizes = [6] * (len(steps) // 6) + ([len(steps) % 6] if len(steps) % 6 else [])
    if not problems and not missing and not reported:
        keyboard.button(text=_("📤 Submit"), callback_data=_button(form, "submit"))
        sizes.append(1)
    keyboard.button(text=_("Close"), callback_data=_button(form, "cancel"))
    sizes.append(1)
    keyboard.adjust(*sizes)
    await _send(event, "\n".join(lines), keyboard.as_markup(), edit=edit)


async def _submit(form: Form, event: CallbackQuery) -> None:
    answers = await form.answers()
    bases = form.submission.bases
    blocked = missing_required(form.catalog, form.steps, bases, answers) or cross_check(
        form.catalog, answers, bases
    )
    if blocked:
        await show_review(form, event)
        return
    now = form.repo.db.clock()
    late = is_late(form.campaign.due_date, local_today(form.settings.zone, now))
    saved = await form.data()
    if saved.get("submission_id") != form.submission.id:
        await show_review(form, event)  # an old review message: show what stands now
        return
    version = int(saved["version"])
    try:
        done = await form.repo.submissions.submit(form.submission.id, form.person.id, version, late)
    except Conflict as conflict:
        form.submission = conflict.current
        await show_review(form, event)
        return
    await form.state.set_state(None)
    await form.state.update_data(form={})
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
    await _send(event, "\n".join(lines), None)


# --- helpers ------------------------------------------------------------------------------


async def _send(
    event: Event, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool = False
) -> None:
    """Edit the message whose button was pressed, or send a new one."""
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)
    elif edit and isinstance(event.message, Message):
        await event.message.edit_text(text, reply_markup=markup)
    elif event.bot is not None:
        await event.bot.send_message(event.from_user.id, text, reply_markup=markup)
