"""Callback data factories: ids and short codes only, never free text."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MenuCallback(CallbackData, prefix="menu"):
    action: str


class LangCallback(CallbackData, prefix="lang"):
    code: str


class InviteRoleCallback(CallbackData, prefix="invr"):
    role: str


class InviteSchoolCallback(CallbackData, prefix="invs"):
    """Pick or toggle a school (school_id), turn a page (page), or finish (done)."""

    action: str
    school_id: int = 0
    page: int = 0


class CampaignCallback(CallbackData, prefix="camp"):
    """Open a campaign's form for the principal's own school."""

    campaign_id: int


class FormCallback(CallbackData, prefix="form"):
    """A button of the form: back, skip, keep, cancel, yes, no, opt (toggle ``value``),
    optdone, edit (go to ``step``), review, submit, mine / theirs (after a conflict)."""

    action: str
    submission_id: int
    step: int = -1
    value: str = ""


class StatusCallback(CallbackData, prefix="stat"):
    """A page of the schools that have not submitted a campaign."""

    campaign_id: int
    page: int = 0


class ReviewCallback(CallbackData, prefix="rev"):
    """Coordinator's review: list (page), open, accept or return a submission; ``version``
    is the one the coordinator was shown, so a decision on an old screen is refused."""

    action: str
    submission_id: int = 0
    page: int = 0
    version: int = 0


class CalendarCallback(CallbackData, prefix="cal"):
    """The calendar: ``up`` (the next 30 days, ``page``), ``month`` (``year``, ``month``,
    ``page``), ``event`` (open the action ``event_id``)."""

    action: str
    year: int = 0
    month: int = 0
    page: int = 0
    event_id: int = 0


class ReminderCallback(CallbackData, prefix="rem"):
    """Reminder preferences: ``show``, ``toggle`` a ``kind``, ``hours`` (the choice),
    ``hour`` (choose ``hour``), ``default`` (back to the program's hour)."""

    action: str
    kind: str = ""
    hour: int = 0


class RoadmapCallback(CallbackData, prefix="rmap"):
    """Roadmaps (coordinators): ``upload``, ``list`` / ``unread`` (open / turn to a page of a
    roadmap's unreadable rows), ``dates`` (set the dates of ``event_id``), ``skip`` (the
    next row), ``stop``."""

    action: str
    roadmap_id: int = 0
    event_id: int = 0
    page: int = 0
