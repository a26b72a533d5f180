"""Who sent a report and who gave its answers, as the coordinator's review card and the
school's own screen name them («📤 Отправлено 20.09.2026 12:00: Иванова М. И.,
заместитель директора по УВР»). Read from the submission and its history, which keep
the person of every change."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.clock import from_db
from bot.people.acting import signature
from storage.repo import Repo
from storage.submissions import Submission


async def author_lines(
    repo: Repo, submission: Submission, zone: ZoneInfo, locale: str
) -> list[str]:
    """Who sent it and when; and who gave the answers when that is not only the sender
    (a principal and a deputy sharing the work). HTML, names escaped; [] for a draft
    nobody has touched."""
    authors: list[int] = []
    for entry in await repo.submissions.history(submission.id):
        if entry.field != "status" and entry.changed_by is not None:
            if entry.changed_by not in authors:
                authors.append(entry.changed_by)
    sender = submission.submitted_by if submission.submitted_at else None
    actors = await repo.people.actors([sender, *authors])
    lines = []
    if sender is not None and sender in actors:
        when = from_db(submission.submitted_at or "").astimezone(zone).strftime("%d.%m.%Y %H:%M")
        lines.append(
            _("📤 Sent {when} by {who}").format(
                when=when, who=escape(signature(actors[sender], locale))
            )
        )
    if authors and authors != [sender]:
        names = "; ".join(escape(signature(actors[a], locale)) for a in authors if a in actors)
        lines.append(_("✍️ Answers given by: {people}").format(people=names))
    return lines
