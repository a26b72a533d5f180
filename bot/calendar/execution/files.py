"""Evidence files: who may have an answer's file sent to them, and its caption.

The file stays in Telegram (its ``file_id``); the bot sends it again to whoever may see
the part it belongs to — the coordinators of its territory, the school itself and its
curators — or to the people who answer for that part.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.calendar.audience import sees_roadmap
from bot.calendar.execution.ledger import load_ledger
from bot.calendar.execution.parts import Part, confirms, sees
from bot.calendar.execution.texts import action_name, part_label
from bot.calendar.view import long_date, shorten
from bot.i18n import translate
from storage.execution import Confirmation
from storage.models import Roles
from storage.repo import Repo

CAPTION_LIMIT = 1000  # Telegram: 1024


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    answer: Confirmation
    file_id: str
    is_photo: bool
    caption: str  # HTML


async def evidence_file(
    repo: Repo, roles: Roles, answer_id: int, locale: str
) -> EvidenceFile | None:
    """The file of answer ``answer_id`` if the person may have it; None otherwise."""
    answer = await repo.execution.confirmation(answer_id)
    if answer is None or not answer.file_id:
        return None
    event = await repo.calendar.event(answer.event_id)
    if event is None:
        return None
    ledger = await load_ledger(repo, [event.roadmap_id])
    found = ledger.event(answer.event_id)
    if found is None:
        return None
    roadmap = ledger.roadmap_of(found)
    part = Part(answer.school_id, answer.municipality)
    allowed = sees_roadmap(roles, roadmap.municipality, ledger.schools) and (
        sees(roles, part, ledger.schools, roadmap.municipality)
        or confirms(roles, part, found.roles, roadmap.municipality, ledger.schools)
    )
    if not allowed:
        return None
    caption = translate(
        locale,
        "«{file}» — {part}, {title}, answered {date}",
        file=escape(answer.file_name or translate(locale, "photo")),
        part=escape(part_label(part, ledger.schools, locale)),
        title=action_name(found, 200),
        date=long_date(answer.created_at.date(), locale),
    )
    return EvidenceFile(
        answer, answer.file_id, answer.file_kind == "photo", shorten(caption, CAPTION_LIMIT)
    )
