"""What acting for a school tells people, through the outbox: whoever invited a deputy
hears that they joined; a deputy whose access the principal revoked hears it; the school's
other responsible people hear who sent its report."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import get_i18n

from bot.i18n import N_, translate
from bot.indicators.catalog import Catalog
from bot.people.acting import signature
from bot.texts import campaign_title
from storage.models import Actor, Invitation, Person, Role
from storage.outbox import OutboxMessage
from storage.repo import Repo
from storage.submissions import Submission


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


async def notify_school_of_sending(
    repo: Repo, catalog: Catalog, submission: Submission, sender_id: int
) -> None:
    """Tell the school's other responsible people (the principal when a deputy sent it, or
    the deputies) that the report went to the coordinator, and who sent it."""
    others = [p for p in await repo.people.principals_of(submission.school_id) if p.id != sender_id]
    sender = (await repo.people.actors([sender_id])).get(sender_id)
    campaign = await repo.submissions.campaign(submission.campaign_id)
    if not others or sender is None or campaign is None:
        return
    messages = []
    for person in others:
        assert person.telegram_id is not None
        locale = person.locale or get_i18n().default_locale
        with get_i18n().use_locale(locale):
            title = campaign_title(campaign, catalog)
        text = translate(
            locale,
            N_("📤 {who} has sent «{campaign}» for the coordinator's review."),
            who=escape(signature(sender, locale)),
            campaign=title,
        )
        messages.append(
            OutboxMessage(
                # one notice per sending (the version moves with each) and person
                dedup_key=f"school-sent:{submission.id}:{submission.version}:{person.id}",
                chat_id=person.telegram_id,
                person_id=person.id,
                text=text,
                kind="deputy",
            )
        )
    await repo.outbox.enqueue(messages)
