"""What a deputy's joining and leaving tells people, through the outbox: whoever invited
the deputy hears that they joined; a deputy whose access the principal revoked hears it."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import get_i18n

from bot.i18n import N_, translate
from bot.people.acting import signature
from storage.models import Actor, Invitation, Person, Role
from storage.outbox import OutboxMessage
from storage.repo import Repo


async def notify_deputy_joined(repo: Repo, invitation: Invitation, deputy: Person) -> None:
    """Tell the person who made the invitation that the deputy has joined."""
    if invitation.created_by is None or not invitation.school_ids:
        return
    inviter = await repo.people.get(invitation.created_by)
    school = await repo.schools.get(invitation.school_ids[0])
    if inviter is None or inviter.telegram_id is None or school is None:
        return
    locale = inviter.locale or get_i18n().default_locale
    text = translate(
        locale,
        N_("👥 {deputy} has joined as a deputy for {school}."),
        deputy=escape(signature(Actor(deputy, Role.DEPUTY), locale)),
        school=escape(school.display_name),
    )
    await repo.outbox.enqueue(
        [
            OutboxMessage(
                dedup_key=f"deputy-joined:{invitation.id}",
                chat_id=inviter.telegram_id,
                person_id=inviter.id,
                text=text,
                kind="deputy",
            )
        ]
    )


async def notify_deputy_revoked(repo: Repo, deputy: Person, school_name: str, when: str) -> None:
    """Tell the former deputy that they no longer act for the school (``when``: the
    revocation's time, so a second revocation later is told again)."""
    if deputy.telegram_id is None:
        return
    locale = deputy.locale or get_i18n().default_locale
    text = translate(
        locale,
        N_(
            "The principal of {school} has revoked your access as a deputy: you no longer "
            "fill in or see the school's forms."
        ),
        school=escape(school_name),
    )
    await repo.outbox.enqueue(
        [
            OutboxMessage(
                dedup_key=f"deputy-revoked:{deputy.id}:{when}",
                chat_id=deputy.telegram_id,
                person_id=deputy.id,
                text=text,
                kind="deputy",
            )
        ]
    )
