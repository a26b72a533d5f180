"""What the review of a report tells people, through the outbox: the principals hear the
coordinator's decision; the coordinators hear when a returned report comes back and when
an accepted one is changed (it is back for review), with what changed."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import get_i18n
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CampaignCallback, ReviewCallback
from bot.i18n import N_, translate, translate_plural
from bot.indicators.catalog import Catalog, UnknownCode
from bot.texts import campaign_title
from storage.models import Status
from storage.outbox import OutboxMessage
from storage.reminders import ReminderRepo
from storage.repo import Repo
from storage.submissions import Campaign, Submission

CHANGED_SHOWN = 8  # changed answers named in a notice; the rest are counted


async def notify_principals(
    repo: Repo, catalog: Catalog, submission_id: int, *, accepted: bool, comment: str | None
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
            title = campaign_title(campaign, catalog)
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


async def changed_since_review(
    repo: Repo, catalog: Catalog, submission: Submission, locale: str
) -> list[str]:
    """The questions (short titles) whose answers changed since the last review decision
    (the history in the order it was written: after the last «returned» or «accepted»)."""
    if submission.reviewed_at is None:
        return []
    names: list[str] = []
    for entry in await repo.submissions.history(submission.id):
        if entry.field == "status":
            if entry.new_value in (Status.RETURNED, Status.ACCEPTED):
                names = []  # a decision: only what came after it counts
            continue
        try:
            if entry.field.startswith("base:"):
                name = catalog.base(entry.field.removeprefix("base:")).title.get(locale)
            else:
                name = catalog.indicator(entry.field).short.get(locale)
        except UnknownCode:
            name = entry.field
        if name not in names:
            names.append(name)
    return names


async def notify_coordinators(
    repo: Repo, catalog: Catalog, submission: Submission, campaign: Campaign, *, resent: bool
) -> None:
    """A returned report sent again (``resent``), or an accepted one changed: each
    coordinator hears it once per version, with the changed answers and a review button."""
    catalog = catalog.for_year(campaign.year)
    school = await repo.schools.get(submission.school_id)
    if school is None:
        return
    messages = []
    for person, roles in await ReminderRepo(repo.db).recipients():
        if not roles.coordinator or person.telegram_id is None:
            continue
        locale = person.locale or get_i18n().default_locale
        with get_i18n().use_locale(locale):
            title = campaign_title(campaign, catalog)
        changed = await changed_since_review(repo, catalog, submission, locale)
        msgid = (
            N_("📨 {school} sent «{campaign}» again after your return.")
            if resent
            else N_("✏️ {school} changed the accepted report «{campaign}»: it is back for review.")
        )
        lines = [translate(locale, msgid, school=escape(school.display_name), campaign=title)]
        if changed:
            shown = ", ".join(escape(name) for name in changed[:CHANGED_SHOWN])
            more = len(changed) - CHANGED_SHOWN
            if more > 0:
                shown += " " + translate_plural(locale, "and {n} more", "and {n} more", more)
            lines.append(translate(locale, N_("Changed: {answers}."), answers=shown))
        keyboard = InlineKeyboardBuilder()
        keyboard.button(
            text=translate(locale, N_("Open the report")),
            callback_data=ReviewCallback(action="open", submission_id=submission.id),
        )
        kind = "resent" if resent else "changed"
        messages.append(
            OutboxMessage(
                dedup_key=f"{kind}:{submission.id}:{submission.version}:{person.id}",
                chat_id=person.telegram_id,
                person_id=person.id,
                text="\n".join(lines),
                kind="review",
                reply_markup=keyboard.as_markup(),
            )
        )
    await repo.outbox.enqueue(messages)
