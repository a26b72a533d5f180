"""Polite refusals for what a person's roles do not allow.

The feature routers carry role filters (``bot.filters``), so a command, a button or the
next step of a conversation from someone without the role never reaches them. It comes
here instead, after every feature router: a command gets a sentence saying who it is for,
a step of a conversation the person may no longer take ends it, and a button is refused
by the fallback router.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.announcement_steps import AnnounceStates
from bot.consultation_session import ConsultStates
from bot.form_session import FormStates
from handlers.announce_results import ResultStates
from handlers.assessments import AssessmentStates
from handlers.deputies import DeputyForm
from handlers.invites import InviteForm
from handlers.progress import PointsStates
from handlers.review import ReviewStates
from handlers.roadmap import RoadmapStates

log = logging.getLogger(__name__)
router = Router(name="refusals")


@router.message(Command("submit"))
async def submit_refused(message: Message) -> None:
    await message.answer(
        _(
            "Indicators are sent by the school's responsible person: its principal or a "
            "deputy the principal invited."
        )
    )


@router.message(Command("status"))
async def status_refused(message: Message) -> None:
    await message.answer(_("The status of schools is for coordinators and curators."))


@router.message(Command("review"))
async def review_refused(message: Message) -> None:
    await message.answer(_("Reviewing submissions is for coordinators."))


@router.message(Command("export"))
async def export_refused(message: Message) -> None:
    await message.answer(_("Export to Excel is for coordinators."))


@router.message(Command("invite"))
async def invite_refused(message: Message) -> None:
    await message.answer(
        _("Inviting people is for coordinators; a school's principal invites their deputies.")
    )


@router.message(Command("roadmap"))
async def roadmap_refused(message: Message) -> None:
    await message.answer(
        _("The roadmap is managed by coordinators. You can see what is coming up with /calendar.")
    )


@router.message(Command("assessments"))
async def assessments_refused(message: Message) -> None:
    await message.answer(_("The dates of the assessment procedures are set by coordinators."))


@router.message(Command("progress"))
async def progress_refused(message: Message) -> None:
    await message.answer(
        _(
            "The roadmap's progress is for coordinators. Your own actions and their marks are "
            "in /calendar."
        )
    )


@router.message(
    StateFilter(RoadmapStates, ReviewStates, InviteForm, AssessmentStates, PointsStates)
)
async def coordinator_step_refused(message: Message, state: FSMContext) -> None:
    """The next step of a coordinator's conversation from someone who is no longer one."""
    log.warning("refused a coordinator's step from %s: not a coordinator", message.chat.id)
    await state.set_state(None)
    await message.answer(
        _("This step is for coordinators, so it has ended here. Please use /menu.")
    )


@router.message(StateFilter(DeputyForm))
async def principal_step_refused(message: Message, state: FSMContext) -> None:
    """A deputy's position typed by someone who is no longer the school's principal."""
    log.warning("refused a principal's step from %s: not a principal", message.chat.id)
    await state.set_state(None)
    await message.answer(
        _("This step is for the school's principal, so it has ended here. Please use /menu.")
    )


@router.message(StateFilter(FormStates))
async def form_step_refused(message: Message, state: FSMContext) -> None:
    """An answer to the form from someone who no longer answers for the school (a revoked
    deputy, a principal moved to another school)."""
    await state.set_state(None)
    await message.answer(_("This form is no longer available to you. Please use /menu."))


@router.message(StateFilter(ConsultStates))
async def consultation_step_refused(message: Message, state: FSMContext) -> None:
    """The next step of a consultation conversation from someone whose role no longer
    allows it (a curator no longer curating, a principal of another school)."""
    await state.set_state(None)
    await message.answer(
        _("This step is no longer available to you, so it has ended. Please use /menu.")
    )


@router.message(Command("announce"))
async def announce_refused(message: Message) -> None:
    await message.answer(
        _("Announcements are sent by coordinators. Events meant for you are in /calendar.")
    )


@router.message(StateFilter(AnnounceStates, ResultStates))
async def announce_step_refused(message: Message, state: FSMContext) -> None:
    """The next step of composing an announcement from someone who is no longer a
    coordinator."""
    await coordinator_step_refused(message, state)
