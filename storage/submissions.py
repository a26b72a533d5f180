"""Campaigns, submissions, answers and their history.

Every save bumps the submission's ``version``. A save names the version it was
based on; if someone saved in between (another principal of the school, or the same
person on another device), the save is refused with :class:`Conflict` so the form
can show the newer value and ask before overwriting it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.clock import to_db
from storage.db import Database
from storage.errors import WriteAborted
from storage.models import Status


@dataclass(frozen=True, slots=True)
class Campaign:
    id: int
    year: int
    deadline_key: str
    due_date: date | None
    closed_at: str | None


@dataclass(frozen=True, slots=True)
class Submission:
    id: int
    campaign_id: int
    school_id: int
    status: Status
    version: int
    bases: dict[str, int]
    submitted_at: str | None
    submitted_by: int | None
    late: bool
    reviewed_at: str | None
    reviewed_by: int | None
    review_comment: str | None
    updated_at: str
    updated_by: int | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    submission_id: int
    field: str
    old_value: Any
    new_value: Any
    changed_by: int | None
    changed_at: str
    comment: str | None


@dataclass(frozen=True, slots=True)
class FormContext:
    """What the form needs for every answer, read in one trip: see ``load_form``."""

    submission: Submission
    campaign: Campaign
    answers: dict[str, Any]
    previous: dict[str, Any]  # the school's answers to the same campaign last year


@dataclass(frozen=True, slots=True)
class ImportedForm:
    """What an import writes into one school's submission for one campaign (see
    :meth:`SubmissionRepo.write_imported`): bases and answers saved unless equal to the
    stored ones, and with ``submit`` marked submitted (late or not) unless it already is
    or has been accepted."""

    deadline_key: str
    school_id: int
    bases: dict[str, int] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    submit: bool = False
    late: bool = False


class Conflict(Exception):
    """Someone saved this submission after the version the form was based on."""

    def __init__(self, current: Submission) -> None:
        super().__init__(f"submission {current.id} is at version {current.version}")
        self.current = current


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _campaign(row: sqlite3.Row) -> Campaign:
    due = date.fromisoformat(row["due_date"]) if row["due_date"] else None
    return Campaign(row["id"], row["year"], row["deadline_key"], due, row["closed_at"])


_WITH_CAMPAIGN = (
    "SELECT s.*, c.year, c.deadline_key, c.due_date, c.closed_at FROM submissions s"
    " JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?"
)
_ANSWERS = "SELECT indicator, value FROM answers WHERE submission_id = ?"
_PREVIOUS_ANSWERS = (
    "SELECT a.indicator, a.value FROM answers a"
    " JOIN submissions s ON s.id = a.submission_id"
    " JOIN campaigns c ON c.id = s.campaign_id"
    " WHERE s.school_id = ? AND c.deadline_key = ? AND c.year = ?"
)
_BUMP = (
    "UPDATE submissions SET version = version + 1, updated_at = ?, updated_by = ?,"
    " status = CASE WHEN ? AND status = 'accepted' THEN 'submitted' ELSE status END"
    " WHERE id = ? AND (? IS NULL OR version = ?) RETURNING *"
)
_UPSERT_ANSWER = (
    "INSERT INTO answers (submission_id, indicator, value, updated_at, updated_by)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (submission_id, indicator) DO UPDATE"
    " SET value = excluded.value, updated_at = excluded.updated_at,"
    " updated_by = excluded.updated_by WHERE answers.value IS NOT excluded.value"
)


def _values(rows: list[sqlite3.Row]) -> dict[str, Any]:
    return {row["indicator"]: json.loads(row["value"]) for row in rows}


def _with_campaign(row: sqlite3.Row) -> tuple[Submission, Campaign]:
    due = date.fromisoformat(row["due_date"]) if row["due_date"] else None
    campaign = Campaign(row["campaign_id"], row["year"], row["deadline_key"], due, row["closed_at"])
    return _submission(row), campaign


def _submission(row: sqlite3.Row) -> Submission:
    return Submission(
        id=row["id"],
        campaign_id=row["campaign_id"],
        school_id=row["school_id"],
        status=Status(row["status"]),
        version=row["version"],
        bases=json.loads(row["bases"]),
        submitted_at=row["submitted_at"],
        submitted_by=row["submitted_by"],
        late=bool(row["late"]),
        reviewed_at=row["reviewed_at"],
        reviewed_by=row["reviewed_by"],
        review_comment=row["review_comment"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )


class SubmissionRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- campaigns -------------------------------------------------------------
    async def ensure_campaigns(
        self, year: int, deadlines: list[tuple[str, date | None]]
    ) -> list[Campaign]:
        """The year's campaigns, one per catalog deadline, created on first use."""
        now = self.db.now()
        await self.db.write(lambda conn: _ensure_campaigns(conn, year, deadlines, now))
        keys = [key for key, _ in deadlines]
        campaigns = await self.campaigns(year)
        return sorted(
            (c for c in campaigns if c.deadline_key in keys),
            key=lambda c: keys.index(c.deadline_key),
        )

    async def campaigns(self, year: int | None = None) -> list[Campaign]:
        if year is None:
            rows = await self.db.fetch_all("SELECT * FROM campaigns ORDER BY year, deadline_key")
        else:
            rows = await self.db.fetch_all(
                "SELECT * FROM campaigns WHERE year = ? ORDER BY deadline_key", (year,)
            )
        return [_campaign(row) for row in rows]

    async def campaign(self, campaign_id: int) -> Campaign | None:
        row = await self.db.fetch_one("SELECT * FROM campaigns WHERE id = ?", (campaign_id,))
        return _campaign(row) if row else None

    async def find_campaign(self, year: int, deadline_key: str) -> Campaign | None:
        row = await self.db.fetch_one(
            "SELECT * FROM campaigns WHERE year = ? AND deadline_key = ?", (year, deadline_key)
        )
        return _campaign(row) if row else None

    async def close_campaign(self, campaign_id: int) -> None:
        await self.db.execute(
            "UPDATE campaigns SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (self.db.now(), campaign_id),
        )

    # --- submissions -----------------------------------------------------------
    async def get(self, campaign_id: int, school_id: int) -> Submission | None:
        row = await self.db.fetch_one(
            "SELECT * FROM submissions WHERE campaign_id = ? AND school_id = ?",
            (campaign_id, school_id),
        )
        return _submission(row) if row else None

    async def by_id(self, submission_id: int) -> Submission | None:
        row = await self.db.fetch_one("SELECT * FROM submissions WHERE id = ?", (submission_id,))
        return _submission(row) if row else None

    async def with_campaign(self, submission_id: int) -> tuple[Submission, Campaign] | None:
        """A submission and its campaign in one query."""
        row = await self.db.fetch_one(_WITH_CAMPAIGN, (submission_id,))
        return None if row is None else _with_campaign(row)

    async def load_form(self, submission_id: int) -> FormContext | None:
        """A submission with its campaign, its answers and last year's, in one trip."""

        def load(conn: sqlite3.Connection) -> FormContext | None:
            rows = conn.execute(_WITH_CAMPAIGN, (submission_id,)).fetchall()
            if not rows:
                return None
            submission, campaign = _with_campaign(rows[0])
            answers = _values(conn.execute(_ANSWERS, (submission_id,)).fetchall())
            last_year = (submission.school_id, campaign.deadline_key, campaign.year - 1)
            previous = _values(conn.execute(_PREVIOUS_ANSWERS, last_year).fetchall())
            return FormContext(submission, campaign, answers, previous)

        return await self.db.read(load)

    async def for_campaign(self, campaign_id: int) -> dict[int, Submission]:
        rows = await self.db.fetch_all(
            "SELECT * FROM submissions WHERE campaign_id = ?", (campaign_id,)
        )
        return {row["school_id"]: _submission(row) for row in rows}

    async def for_year(self, year: int) -> list[Submission]:
        rows = await self.db.fetch_all(
            "SELECT s.* FROM submissions s JOIN campaigns c ON c.id = s.campaign_id"
            " WHERE c.year = ? ORDER BY s.school_id, c.deadline_key",
            (year,),
        )
        return [_submission(row) for row in rows]

    async def open(self, campaign_id: int, school_id: int, person_id: int | None) -> Submission:
        """The school's submission for the campaign, created as an empty draft if new."""
        now = self.db.now()
        return await self.db.write(lambda conn: _open(conn, campaign_id, school_id, person_id, now))

    async def answer_counts(self, campaign_id: int) -> dict[int, int]:
        """school id -> how many answers its submission for the campaign has."""
        rows = await self.db.fetch_all(
            "SELECT s.school_id, count(a.indicator) AS n FROM submissions s"
            " LEFT JOIN answers a ON a.submission_id = s.id WHERE s.campaign_id = ?"
            " GROUP BY s.school_id",
            (campaign_id,),
        )
        return {row["school_id"]: row["n"] for row in rows}

    async def answers(self, submission_id: int) -> dict[str, Any]:
        return _values(await self.db.fetch_all(_ANSWERS, (submission_id,)))

    async def indicator_answers(self, indicator: str) -> list[tuple[int, int, Any]]:
        """Every school's sent answer to ``indicator``, every year: (year, school id, value).
        Drafts and reports returned for correction are left out: a chart shows what schools
        have reported."""
        rows = await self.db.fetch_all(
            "SELECT c.year, s.school_id, a.value FROM answers a"
            " JOIN submissions s ON s.id = a.submission_id"
            " JOIN campaigns c ON c.id = s.campaign_id"
            " WHERE a.indicator = ? AND s.status IN ('submitted', 'accepted')"
            " ORDER BY c.year, s.school_id",
            (indicator,),
        )
        return [(row[0], row[1], json.loads(row[2])) for row in rows]

    async def timeline(self, campaign_id: int) -> list[tuple[int, str, Any, str]]:
        """The campaign's history in the order it was written, for a chart of its progress:
        (school id, field, new value, changed at)."""
        rows = await self.db.fetch_all(
            "SELECT s.school_id, h.field, h.new_value, h.changed_at FROM submission_history h"
            " JOIN submissions s ON s.id = h.submission_id WHERE s.campaign_id = ?"
            " ORDER BY h.id",
            (campaign_id,),
        )
        return [(row[0], row[1], _load(row[2]), row[3]) for row in rows]

    async def answers_for_year(self, year: int) -> dict[int, dict[str, Any]]:
        """school id -> indicator code -> value, over all of the year's campaigns."""
        rows = await self.db.fetch_all(
            "SELECT s.school_id, a.indicator, a.value FROM answers a"
            " JOIN submissions s ON s.id = a.submission_id"
            " JOIN campaigns c ON c.id = s.campaign_id WHERE c.year = ?",
            (year,),
        )
        found: dict[int, dict[str, Any]] = {}
        for row in rows:
            found.setdefault(row["school_id"], {})[row["indicator"]] = json.loads(row["value"])
        return found

    async def previous_answers(self, school_id: int, deadline_key: str, year: int) -> dict:
        """Last year's answers of the school for the same campaign (for "keep")."""
        return _values(
            await self.db.fetch_all(_PREVIOUS_ANSWERS, (school_id, deadline_key, year - 1))
        )

    async def save_answer(
        self,
        submission_id: int,
        indicator: str,
        value: Any,
        person_id: int | None,
        expected_version: int | None,
    ) -> Submission:
        """Store (or with None, remove) one answer; returns the submission at its new version.

        ``expected_version`` None saves whatever the version (imports, confirmed overwrites).
        The answers table's triggers write the history (see migration 0003).
        """
        now = self.db.now()
        return await self.db.write(
            lambda conn: _save_answer(
                conn, now, submission_id, indicator, value, person_id, expected_version
            )
        )

    async def save_base(
        self,
        submission_id: int,
        base: str,
        count: int,
        person_id: int | None,
        expected_version: int | None,
    ) -> Submission:
        now = self.db.now()
        return await self.db.write(
            lambda conn: _save_base(
                conn, now, submission_id, base, count, person_id, expected_version
            )
        )

    async def submit(
        self, submission_id: int, person_id: int | None, expected_version: int | None, late: bool
    ) -> Submission:
        now = self.db.now()
        return await self.db.write(
            lambda conn: _submit(conn, now, submission_id, person_id, expected_version, late)
        )

    async def write_imported(
        self,
        year: int,
        deadlines: list[tuple[str, date | None]],
        forms: Sequence[ImportedForm],
        person_id: int | None,
        *,
        at: datetime | None = None,
    ) -> int:
        """Write what an import read, in one transaction: the year's campaigns (created on
        first use) and every form, or nothing should one fail (:class:`WriteAborted` names
        it, with its error). Returns how many submissions were marked submitted. ``at``:
        the moment recorded instead of now (the demo dates its reports back)."""
        now = self.db.now() if at is None else to_db(at)

        def write(conn: sqlite3.Connection) -> int:
            _ensure_campaigns(conn, year, deadlines, now)
            campaigns = dict(
                conn.execute(
                    "SELECT deadline_key, id FROM campaigns WHERE year = ?", (year,)
                ).fetchall()
            )
            submitted = 0
            for index, form in enumerate(forms):
                try:
                    campaign_id = campaigns[form.deadline_key]
                    submitted += _write_form(conn, now, campaign_id, form, person_id)
                except sqlite3.Error as error:
                    raise WriteAborted(index, error) from error
            return submitted

        return await self.db.write(write)

    async def review(
        self,
        submission_id: int,
        person_id: int,
        accept: bool,
        comment: str | None,
        expected_version: int,
    ) -> Submission:
        """Accept or return a submitted report, as the coordinator saw it: ``Conflict``
        (with the report as it is now) when it changed since, or is no longer waiting for
        review. The check and the decision are one transaction."""
        status = Status.ACCEPTED if accept else Status.RETURNED
        now = self.db.now()

        def review(conn: sqlite3.Connection) -> Submission:
            current = _current(conn, submission_id)
            if current.status != Status.SUBMITTED:
                raise Conflict(current)
            old = _bump(conn, now, submission_id, expected_version, person_id).status
            conn.execute(
                "UPDATE submissions SET status = ?, reviewed_at = ?, reviewed_by = ?,"
                " review_comment = ? WHERE id = ?",
                (status, now, person_id, comment, submission_id),
            )
            _history(conn, now, submission_id, "status", old, status, person_id, comment)
            return _current(conn, submission_id)

        return await self.db.write(review)

    async def history(self, submission_id: int | None = None, year: int | None = None) -> list:
        if submission_id is not None:
            rows = await self.db.fetch_all(
                "SELECT * FROM submission_history WHERE submission_id = ? ORDER BY id",
                (submission_id,),
            )
        else:
            rows = await self.db.fetch_all(
                "SELECT h.* FROM submission_history h JOIN submissions s ON s.id = h.submission_id"
                " JOIN campaigns c ON c.id = s.campaign_id WHERE (? IS NULL OR c.year = ?)"
                " ORDER BY h.id",
                (year, year),
            )
        return [
            HistoryEntry(
                row["submission_id"],
                row["field"],
                _load(row["old_value"]),
                _load(row["new_value"]),
                row["changed_by"],
                row["changed_at"],
                row["comment"],
            )
            for row in rows
        ]


# --- in aiosqlite's thread, inside a write (see storage.db) -------------------------------


def _ensure_campaigns(
    conn: sqlite3.Connection, year: int, deadlines: list[tuple[str, date | None]], now: str
) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO campaigns (year, deadline_key, due_date, created_at)"
        " VALUES (?, ?, ?, ?)",
        [(year, key, due.isoformat() if due else None, now) for key, due in deadlines],
    )


def _open(
    conn: sqlite3.Connection, campaign_id: int, school_id: int, person: int | None, now: str
) -> Submission:
    conn.execute(
        "INSERT OR IGNORE INTO submissions (campaign_id, school_id, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?)",
        (campaign_id, school_id, now, person),
    )
    row = conn.execute(
        "SELECT * FROM submissions WHERE campaign_id = ? AND school_id = ?",
        (campaign_id, school_id),
    ).fetchone()
    return _submission(row)


def _save_answer(
    conn: sqlite3.Connection,
    now: str,
    submission_id: int,
    indicator: str,
    value: Any,
    person: int | None,
    expected: int | None,
) -> Submission:
    """See :meth:`SubmissionRepo.save_answer`: the version and the answer together."""
    saved = _bump(conn, now, submission_id, expected, person)
    if value is not None:
        text = _dump(value)
        conn.execute(_UPSERT_ANSWER, (submission_id, indicator, text, now, person))
        return saved
    row = conn.execute(
        "DELETE FROM answers WHERE submission_id = ? AND indicator = ? RETURNING value",
        (submission_id, indicator),
    ).fetchone()
    if row is not None:
        _history(conn, now, submission_id, indicator, _load(row["value"]), None, person)
    return saved


def _save_base(
    conn: sqlite3.Connection,
    now: str,
    submission_id: int,
    base: str,
    count: int,
    person: int | None,
    expected: int | None,
) -> Submission:
    row = conn.execute("SELECT bases FROM submissions WHERE id = ?", (submission_id,)).fetchone()
    bases = json.loads(row["bases"])
    old = bases.get(base)
    saved = _bump(conn, now, submission_id, expected, person, changed=old != count)
    if old == count:
        return saved
    bases[base] = count
    conn.execute("UPDATE submissions SET bases = ? WHERE id = ?", (_dump(bases), submission_id))
    _history(conn, now, submission_id, f"base:{base}", old, count, person)
    return replace(saved, bases=bases)


def _submit(
    conn: sqlite3.Connection,
    now: str,
    submission_id: int,
    person: int | None,
    expected: int | None,
    late: bool,
) -> Submission:
    old = _bump(conn, now, submission_id, expected, person).status
    conn.execute(
        "UPDATE submissions SET status = 'submitted', submitted_at = ?, submitted_by = ?,"
        " late = ? WHERE id = ?",
        (now, person, int(late), submission_id),
    )
    _history(conn, now, submission_id, "status", old, Status.SUBMITTED, person)
    return _current(conn, submission_id)


def _write_form(
    conn: sqlite3.Connection, now: str, campaign_id: int, form: ImportedForm, person: int | None
) -> int:
    """One form of :meth:`SubmissionRepo.write_imported`; 1 if it was marked submitted."""
    submission = _open(conn, campaign_id, form.school_id, person, now)
    for base, count in form.bases.items():
        if submission.bases.get(base) != count:
            submission = _save_base(conn, now, submission.id, base, count, person, None)
    for code, value in form.answers.items():
        submission = _save_answer(conn, now, submission.id, code, value, person, None)
    if form.submit and not submission.status.reported:
        _submit(conn, now, submission.id, person, None, form.late)
        return 1
    return 0


def _bump(
    conn: sqlite3.Connection,
    now: str,
    submission_id: int,
    expected: int | None,
    person: int | None,
    changed: bool = False,
) -> Submission:
    """Move the version on, or raise Conflict if it is not the one the form saw.

    A change to an accepted submission needs another look from the coordinator,
    so ``changed`` moves it back to "submitted". Returns the submission as it was
    before this write's other changes, at its new version.
    """
    bump = (now, person, int(changed), submission_id, expected, expected)
    row = conn.execute(_BUMP, bump).fetchone()
    if row is None:
        raise Conflict(_current(conn, submission_id))
    return _submission(row)


def _current(conn: sqlite3.Connection, submission_id: int) -> Submission:
    return _submission(
        conn.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
    )


def _history(
    conn: sqlite3.Connection,
    now: str,
    submission_id: int,
    field: str,
    old: Any,
    new: Any,
    person: int | None,
    comment: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO submission_history (submission_id, field, old_value, new_value,"
        " changed_by, changed_at, comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (submission_id, field, _dump(old), _dump(new), person, now, comment),
    )
