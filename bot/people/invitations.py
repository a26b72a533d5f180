"""Invitation codes: made unguessable, stored hashed, used once, expiring."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.clock import from_db, to_db
from storage.models import Invitation, Role
from storage.repo import Repo

DEFAULT_EXPIRES_DAYS = 14
# 16 URL-safe characters = 96 random bits; fits Telegram's /start payload (64 chars, [A-Za-z0-9_-])
CODE_BYTES = 12
_CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class CodeProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class CodeCheck:
    invitation: Invitation | None
    problem: CodeProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def check_invitation(role: Role, school_ids: list[int], expires_days: int) -> None:
    """ValueError unless an invitation for ``role`` may name these schools and live so long."""
    if role in (Role.PRINCIPAL, Role.DEPUTY) and len(school_ids) != 1:
        raise ValueError("a principal's or a deputy's invitation names exactly one school")
    if role is Role.CURATOR and not school_ids:
        raise ValueError("a curator's invitation names at least one school")
    if role is Role.COORDINATOR and school_ids:
        raise ValueError("a coordinator's invitation names no school")
    if not 1 <= expires_days <= 365:
        raise ValueError("an invitation lives from 1 to 365 days")


def deep_link(code: str, bot_username: str | None) -> str:
    if bot_username:
        return f"https://t.me/{bot_username}?start={code}"
    return f"/start {code}"


async def create_invitation(
    repo: Repo,
    role: Role,
    school_ids: list[int],
    *,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    person_id: int | None = None,
    created_by: int | None = None,
    now: datetime | None = None,
    municipalities: Sequence[str] = (),
    position: str | None = None,
) -> tuple[str, Invitation]:
    """Make an invitation and return the code, which is shown once and never stored.
    ``now`` (None: the database's clock) starts its life; ``municipalities`` make a
    coordinator's invitation a municipal coordinator's; ``position`` is a deputy's."""
    check_invitation(role, school_ids, expires_days)
    if municipalities and role is not Role.COORDINATOR:
        raise ValueError("only a coordinator's invitation names municipalities")
    if position is not None and role is not Role.DEPUTY:
        raise ValueError("only a deputy's invitation names a position")
    code = new_code()
    expires_at = to_db((now or repo.db.clock()) + timedelta(days=expires_days))
    invitation = await repo.invitations.create(
        hash_code(code),
        role,
        school_ids,
        expires_at,
        person_id=person_id,
        created_by=created_by,
        municipalities=municipalities,
        position=position,
    )
    return code, invitation


async def check_code(repo: Repo, code: str, now: datetime | None = None) -> CodeCheck:
    """Whether a code can be used at ``now`` (None: the database's clock), and if not, why
    (for a clear refusal)."""
    if not _CODE_SHAPE.match(code.strip()):
        return CodeCheck(None, CodeProblem.UNKNOWN)
    invitation = await repo.invitations.by_hash(hash_code(code))
    if invitation is None:
        return CodeCheck(None, CodeProblem.UNKNOWN)
    return CodeCheck(invitation, invitation_problem(invitation, now or repo.db.clock()))


def invitation_problem(invitation: Invitation, now: datetime) -> CodeProblem | None:
    """Why this invitation cannot be used at ``now``, or None if it can."""
    if invitation.used_at is not None:
        return CodeProblem.USED
    if invitation.revoked_at is not None:
        return CodeProblem.REVOKED
    if from_db(invitation.expires_at) <= now:
        return CodeProblem.EXPIRED
    return None
