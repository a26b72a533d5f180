"""The indicator form as handlers see it: one person working on one school's submission,
its place in the conversation (kept in the FSM storage, so a restart loses nothing), and
the filters that open it for a handler.

Handlers receive the open form as a parameter (aiogram's "context addition from a
filter"): :class:`ActiveForm` opens it from the conversation for a typed answer,
:class:`FormButton` from a button's callback data; either refuses (the handler is not
reached) when the person may not change that submission now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import FormCallback
from bot.indicators.answers.showing import format_answer
from bot.indicators.catalog import Catalog
from bot.indicators.form import Step, carried_over, form_steps
from bot.settings import Settings
from storage.models import Person, Roles
from storage.repo import Repo
from storage.submissions import Campaign, Submission

# the buttons that act on the question on screen (refused once it is no longer open)
STEP_ACTIONS = frozenset(
    {"back", "skip", "keep", "yes", "no", "opt", "optdone", "mine", "theirs", "share"}
)


class FormStates(StatesGroup):
    answering = State()
    reviewing = State()


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
    locale: str
    _answers: tuple[int, dict[str, Any]] | None = field(default=None, repr=False)
    _previous: dict[str, Any] | None = field(default=None, repr=False)
    _conversation: dict[str, Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # the campaign's catalog: its questions name the school year of its deadline
        self.catalog = self.catalog.for_year(self.campaign.year)

    @cached_property
    def steps(self) -> list[Step]:
        return form_steps(self.catalog, self.campaign)

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
        """The form's position: ``submission_id``, ``step``, the ``version`` and the answer
        (``shown``) the person was shown, and the step's pending choices."""
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

    async def leave(self) -> None:
        """The form is closed (cancelled or submitted); the draft stays in the database."""
        await self.state.set_state(None)
        await self._store({**(await self.conversation()), "form": {}})

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
            previous = await self.repo.submissions.previous_answers(
                self.submission.school_id, self.campaign.deadline_key, self.campaign.year
            )
            self._previous = carried_over(self.catalog, previous)
        return self._previous

    async def stored(self, step: Step) -> Any:
        if step.is_base:
            return self.submission.bases.get(step.code)
        return (await self.answers()).get(step.code)

    def shown(self, step: Step, value: Any) -> str:
        """An answer as the person reads it (not escaped)."""
        if value is None:
            return _("no answer")
        if step.is_base:
            return str(value)
        return format_answer(self.catalog.indicator(step.code), value, self.catalog, self.locale)


async def open_form(
    state: FSMContext,
    repo: Repo,
    catalog: Catalog,
    settings: Settings,
    person: Person | None,
    roles: Roles,
    submission_id: int,
    locale: str,
    conversation: dict[str, Any] | None = None,
) -> Form | None:
    """The form if this person may change this submission now, else None.

    The answers and last year's come in the same trip to the database: nearly every
    step of the form needs them.
    """
    if person is None or not 0 < submission_id < 2**63:
        return None
    found = await repo.submissions.load_form(submission_id)
    if found is None:
        return None
    submission, campaign = found.submission, found.campaign
    if submission.school_id != roles.principal_school_id or campaign.closed_at:
        return None
    answers = (submission.version, found.answers)
    return Form(
        state, repo, catalog, settings, person, campaign, submission, locale, answers,
        found.previous, conversation,
    )  # fmt: skip


class ActiveForm(Filter):
    """The form the person is answering (from the conversation): gives ``form`` and the
    question on screen as ``index``."""

    async def __call__(
        self,
        message: Message,
        state: FSMContext,
        repo: Repo,
        catalog: Catalog,
        settings: Settings,
        person: Person | None,
        roles: Roles,
        locale: str,
    ) -> bool | dict[str, Any]:
        conversation = await state.get_data()
        saved = conversation.get("form") or {}
        form = await open_form(
            state, repo, catalog, settings, person, roles,
            int(saved.get("submission_id", 0)), locale, conversation,
        )  # fmt: skip
        index = int(saved.get("step", -1))
        if form is None or not 0 <= index < len(form.steps):
            return False
        return {"form": form, "index": index}


class FormButton(Filter):
    """The form a button names: gives ``form``; refuses a button of a submission the person
    may not change (another school's, a closed campaign, a forged id)."""

    async def __call__(
        self,
        callback: CallbackQuery,
        callback_data: FormCallback,
        state: FSMContext,
        repo: Repo,
        catalog: Catalog,
        settings: Settings,
        person: Person | None,
        roles: Roles,
        locale: str,
    ) -> bool | dict[str, Any]:
        form = await open_form(
            state, repo, catalog, settings, person, roles, callback_data.submission_id, locale
        )
        return False if form is None else {"form": form}


class OpenQuestion(Filter):
    """A button of the question still on screen (after :class:`FormButton`)."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: FormCallback, form: Form
    ) -> bool:
        saved = await form.data()
        return (
            saved.get("submission_id") == form.submission.id
            and saved.get("step") == callback_data.step
            and 0 <= callback_data.step < len(form.steps)
        )
