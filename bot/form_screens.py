"""The screens of the indicator form: a question with its buttons, the review of all
answers, the question of whose value stays after a clash. Each screen also records
where the person now is in the conversation (see :class:`bot.form_session.Form`)."""

from __future__ import annotations

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.announcements.form_hint import REGIONAL_EVENTS, participation_note
from bot.callbacks import FormCallback
from bot.clock import from_db
from bot.form_session import Form, FormStates
from bot.indicators.answers.cross_checks import cross_check
from bot.indicators.catalog import Kind
from bot.indicators.form import missing_required
from bot.keyboards import Keyboard
from bot.people.acting import signature
from bot.submission_authors import author_lines
from bot.telegram_limits import shorten, split_message
from bot.texts import answer_lines, campaign_title
from storage.models import Status

Event = Message | CallbackQuery
SHOWN_IN_QUESTION = 1000  # characters of the current answer a question shows (the rest: a tap)


def button(form: Form, action: str, step: int = -1, value: str = "") -> FormCallback:
    return FormCallback(action=action, submission_id=form.submission.id, step=step, value=value)


async def send(
    event: Event, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool = False
) -> int | None:
    """Edit the message whose button was pressed, or send a new one; return its id. A text
    longer than one message is sent in several, the keyboard under the last."""
    pieces = split_message(text)
    if edit and len(pieces) == 1 and isinstance(event, CallbackQuery):
        if isinstance(event.message, Message):
            await event.message.edit_text(text, reply_markup=markup)
            return event.message.message_id
    chat_id = event.chat.id if isinstance(event, Message) else event.from_user.id
    bot = event.bot
    assert bot is not None
    sent = None
    for number, piece in enumerate(pieces, start=1):
        last = number == len(pieces)
        sent = await bot.send_message(chat_id, piece, reply_markup=markup if last else None)
    return sent.message_id if sent is not None else None


async def retire(event: Event, message_id: int | None, keep: int | None) -> None:
    """Take the buttons off a question that is answered (``message_id``), so an old keyboard
    does not invite presses; ``keep``: a message that stays as it is (the one edited)."""
    if message_id is None or message_id == keep or event.bot is None:
        return
    chat_id = event.chat.id if isinstance(event, Message) else event.from_user.id
    try:
        await event.bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=None
        )
    except TelegramBadRequest:
        pass  # already without buttons, or too old to edit: nothing to take off


async def show_question(
    form: Form,
    event: Event,
    index: int,
    *,
    edit: bool = False,
    problem: str | None = None,
    note: str | None = None,
    review_after: bool | None = None,
) -> None:
    """Question ``index`` with its buttons; ``problem`` (why the last answer was refused)
    and ``note`` (HTML: what was just saved) above it."""
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
    same_form = saved.get("submission_id") == form.submission.id
    on_screen = saved.get("question_message_id") if same_form else None
    await form.move_to(
        FormStates.answering,
        {
            "submission_id": form.submission.id,
            "step": index,
            "version": form.submission.version,
            "shown": current,
            "review_after": review_after,
            "choice": choice,
            # the question on screen until this one is shown: a text typed before this
            # one arrived (an earlier message id) is meant for that one
            "previous_step": saved.get("step") if same_form else None,
            "question_message_id": on_screen,
        },
    )
    lines = [
        _("<b>{campaign}</b> · question {n} of {total}").format(
            campaign=campaign_title(form.campaign, form.catalog), n=index + 1, total=len(steps)
        ),
        "",
    ]
    if note:
        lines += [note, ""]
    if problem:
        lines += [f"⚠️ {escape(problem)}", ""]
    keyboard = Keyboard()
    sizes: list[int] = []
    last = None
    if step.is_base:
        base = form.catalog.base(step.code)
        lines.append(f"<b>{escape(base.title.get(form.locale))}</b>")
        if base.help is not None:
            lines.append(f"<i>{escape(base.help.get(form.locale))}</i>")
        lines.append(_("Type a whole number."))
    else:
        indicator = form.catalog.indicator(step.code)
        lines.append(f"<b>{escape(indicator.title.get(form.locale))}</b>")
        lines.append(f"<i>{escape(indicator.help.get(form.locale))}</i>")
        if step.code == REGIONAL_EVENTS:  # what the program recorded, as a hint
            school_id, year = form.submission.school_id, form.campaign.year
            zone = form.settings.zone
            lines.append(await participation_note(form.repo, school_id, year, zone, form.locale))
        last = (await form.previous()).get(step.code)
        if current is None and last is not None:
            lines.append(_("Last year: {value}").format(value=escape(form.shown(step, last))))
        if indicator.kind is Kind.YES_NO:
            keyboard.button(text=_("Yes"), callback_data=button(form, "yes", index))
            keyboard.button(text=_("No"), callback_data=button(form, "no", index))
            sizes.append(2)
        elif indicator.kind is Kind.CHOICE:
            choice = [code for code in choice if code in indicator.options]  # offered ones
            for code in indicator.options:
                mark = "✅ " if code in choice else ""
                title = form.catalog.option(code).title.get(form.locale)
                keyboard.button(text=mark + title, callback_data=button(form, "opt", index, code))
                sizes.append(1)
            keyboard.button(
                text=_("Done ({count} selected)").format(count=len(choice)),
                callback_data=button(form, "optdone", index),
            )
            sizes.append(1)
    if current is not None:
        shown = form.shown(step, current)
        lines.append(_("Now: {value}").format(value=escape(shorten(shown, SHOWN_IN_QUESTION))))
        if len(shown) > SHOWN_IN_QUESTION:
            keyboard.button(
                text=_("📄 The whole answer"), callback_data=button(form, "full", index)
            )
            sizes.append(1)
    navigation = 0
    if index > 0:
        keyboard.button(text=_("⬅️ Back"), callback_data=button(form, "back", index))
        navigation += 1
    if not step.is_base and not form.catalog.indicator(step.code).required:
        keyboard.button(text=_("Skip ➡️"), callback_data=button(form, "skip", index))
        navigation += 1
    if navigation:
        sizes.append(navigation)
    if current is not None or last is not None:
        keep = _("Keep this answer") if current is not None else _("Keep last year's answer")
        keyboard.button(text=keep, callback_data=button(form, "keep", index))
        sizes.append(1)
    if review_after:
        keyboard.button(text=_("Back to review"), callback_data=button(form, "review"))
        sizes.append(1)
    keyboard.button(text=_("Cancel (the draft is kept)"), callback_data=button(form, "cancel"))
    sizes.append(1)
    keyboard.adjust(*sizes)
    if not edit:  # the answered screen loses its buttons before the next one comes
        await retire(event, on_screen, None)
    shown_id = await send(event, "\n".join(lines), keyboard.as_markup(), edit=edit)
    await form.remember(question_message_id=shown_id)


async def show_review(
    form: Form, event: Event, *, edit: bool = False, note: str | None = None
) -> None:
    steps = form.steps
    answers = await form.answers()
    submission = form.submission
    saved = await form.data()
    same_form = saved.get("submission_id") == form.submission.id
    on_screen = saved.get("question_message_id") if same_form else None
    await form.move_to(
        FormStates.reviewing,
        {
            "submission_id": submission.id,
            "step": -1,
            "version": submission.version,
            "review_after": True,
            "previous_step": saved.get("step") if same_form else None,
            "question_message_id": on_screen,
        },
    )
    lines = [
        _("<b>{campaign}</b>: your answers").format(
            campaign=campaign_title(form.campaign, form.catalog)
        )
    ]
    lines.append("")
    if note:
        lines += [note, ""]
    if submission.status == Status.RETURNED and submission.review_comment:
        comment = escape(submission.review_comment)
        lines += [_("↩️ Returned for correction: {comment}").format(comment=comment), ""]
    # who of the school's responsible people sent it and gave the answers
    authors = await author_lines(form.repo, submission, form.settings.zone, form.locale)
    if authors:
        lines += [*authors, ""]
    lines += answer_lines(form.catalog, steps, submission.bases, answers, form.locale)
    problems = cross_check(form.catalog, answers, submission.bases)
    missing = missing_required(form.catalog, steps, submission.bases, answers)
    for code, problem in problems:
        short = form.catalog.indicator(code).short.get(form.locale)
        lines.append(f"⚠️ {escape(short)}: {problem.render(form.locale, html=True)}")
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
        keyboard.button(text=f"✏️ {number}", callback_data=button(form, "edit", number - 1))
    sizes = [6] * (len(steps) // 6) + ([len(steps) % 6] if len(steps) % 6 else [])
    if not answers and not reported:
        lines += ["", _("Nothing to send yet: answer at least one question.")]
    if not problems and not missing and not reported and answers:
        keyboard.button(text=_("📤 Submit"), callback_data=button(form, "submit"))
        sizes.append(1)
    keyboard.button(text=_("Close"), callback_data=button(form, "cancel"))
    sizes.append(1)
    keyboard.adjust(*sizes)
    if not edit:  # the answered screen loses its buttons before the next one comes
        await retire(event, on_screen, None)
    shown_id = await send(event, "\n".join(lines), keyboard.as_markup(), edit=edit)
    await form.remember(question_message_id=shown_id)


async def ask_whose(
    form: Form, event: Event, index: int, stored: Any, mine: Any, zone: ZoneInfo
) -> None:
    """Someone changed this answer while the person was answering: which value stays?"""
    latest = form.submission
    # «Иванова М. И., заместитель директора по УВР»: the principal or a deputy
    actors = await form.repo.people.actors([latest.updated_by])
    who = actors.get(latest.updated_by) if latest.updated_by else None
    when = from_db(latest.updated_at).astimezone(zone).strftime("%d.%m.%Y %H:%M")
    await form.remember(version=latest.version, shown=stored, pending=mine)
    step = form.steps[index]
    keyboard = Keyboard()
    keyboard.button(text=_("Save mine"), callback_data=button(form, "mine", index))
    keyboard.button(text=_("Keep theirs"), callback_data=button(form, "theirs", index))
    keyboard.adjust(2)
    text = _(
        "While you were answering, {who} changed this answer ({when}).\n"
        "Saved now: <b>{theirs}</b>\nYours: <b>{yours}</b>\n\nWhich one should stay?"
    ).format(
        who=escape(signature(who, form.locale) if who else _("someone")),
        when=when,
        theirs=escape(form.shown(step, stored)),
        yours=escape(form.shown(step, mine)),
    )
    await send(event, text, keyboard.as_markup())
