"""Callback data factories: ids and short codes only, never free text."""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Ids and numbers from a button are checked like any other input: a forged number too
# large for SQLite (or negative) fails to unpack, and the button is refused as stale.
Id = Annotated[int, Field(ge=0, lt=2**63)]
Page = Annotated[int, Field(ge=0, le=100_000)]
Step = Annotated[int, Field(ge=-1, le=1000)]
Year = Annotated[int, Field(ge=0, le=9999)]
Small = Annotated[int, Field(ge=0, le=1000)]


class MenuCallback(CallbackData, prefix="menu"):
    action: str


class LangCallback(CallbackData, prefix="lang"):
    code: str


class InviteRoleCallback(CallbackData, prefix="invr"):
    role: str


class InviteSchoolCallback(CallbackData, prefix="invs"):
    """Pick or toggle a school (school_id), turn a page (page), or finish (done)."""

    action: str
    school_id: Id = 0
    page: Page = 0


class DeputyCallback(CallbackData, prefix="dep"):
    """A principal's deputies: ``position`` (invite with the usual position), ``revoke`` /
    ``revoked`` (ask, then take the school away from the deputy ``person_id``),
    ``withdraw`` (an unused invitation ``invitation_id``), ``list``, ``cancel``. Checked
    against the principal's own school when pressed."""

    action: str
    person_id: Id = 0
    invitation_id: Id = 0


class CampaignCallback(CallbackData, prefix="camp"):
    """Open a campaign's form for the principal's own school."""

    campaign_id: Id


class FormCallback(CallbackData, prefix="form"):
    """A button of the form: back, skip, keep, cancel, yes, no, opt (toggle ``value``),
    optdone, edit (go to ``step``), review, submit, mine / theirs (after a conflict)."""

    action: str
    submission_id: Id
    step: Step = -1
    value: str = ""


class StatusCallback(CallbackData, prefix="stat"):
    """A page of the schools that have not submitted a campaign."""

    campaign_id: Id
    page: Page = 0


class ReviewCallback(CallbackData, prefix="rev"):
    """Coordinator's review: list (page), open, accept or return a submission; ``version``
    is the one the coordinator was shown, so a decision on an old screen is refused."""

    action: str
    submission_id: Id = 0
    page: Page = 0
    version: Id = 0


class CalendarCallback(CallbackData, prefix="cal"):
    """The calendar: ``up`` (the next 30 days, ``page``), ``month`` (``year``, ``month``,
    ``page``), ``event`` (open the action ``event_id``)."""

    action: str
    year: Year = 0
    month: Small = 0
    page: Page = 0
    event_id: Id = 0


class ReminderCallback(CallbackData, prefix="rem"):
    """Reminder preferences: ``show``, ``toggle`` a ``kind``, ``hours`` (the choice),
    ``hour`` (choose ``hour``), ``default`` (back to the program's hour)."""

    action: str
    kind: str = ""
    hour: Small = 0


class RoadmapCallback(CallbackData, prefix="rmap"):
    """Roadmaps (coordinators): ``upload``, ``list`` / ``unread`` (open / turn to a page of a
    roadmap's unreadable rows), ``dates`` (set the dates of ``event_id``), ``skip`` (the
    next row), ``stop``."""

    action: str
    roadmap_id: Id = 0
    event_id: Id = 0
    page: Page = 0


# --- consultations


class ConsultCallback(CallbackData, prefix="cns"):
    """Consultations: a screen (``home``, ``mine`` (``page``), ``book`` (choose a curator),
    ``publish``, ``times`` (the curator's published time), ``schools`` (``page``: book a
    school directly), ``report`` (``page``), ``excel``), or an action on the consultation
    ``cid``: ``open``, ``card``, ``cancel``, ``move``, ``accept``, ``decline``, ``held``,
    ``missed``, ``note`` (write the outcome), ``skip`` (no note)."""

    action: str
    cid: Id = 0
    page: Page = 0


class SlotCallback(CallbackData, prefix="csl"):
    """Choosing a time of curator ``host``: ``month`` (``year``, ``month``), ``day`` (and
    ``day``), ``slot`` (``at``: its start in minutes since 1970 (UTC), in publication
    ``block``). ``mode``: ``b`` a principal books, ``d`` the curator books school ``ref``,
    ``m`` consultation ``ref`` is moved."""

    action: str
    mode: str
    host: Id = 0
    ref: Id = 0
    year: Year = 0
    month: Small = 0
    day: Small = 0
    at: Id = 0
    block: Id = 0


class PublishCallback(CallbackData, prefix="cpub"):
    """Publishing time: ``build`` (with buttons), ``save``, ``length`` / ``buffer`` /
    ``notice`` (the choices; ``set`` one with ``what`` and ``value``), ``online`` /
    ``inperson`` (ask the link / the place), ``back`` (the preview), ``withdraw`` /
    ``withdrawn`` (publication ``pub``); the builder: ``bday`` / ``bfrom`` / ``bto`` /
    ``bweeks`` (``value``), ``bdone``."""

    action: str
    what: str = ""
    value: Small = 0
    pub: Id = 0


class TopicCallback(CallbackData, prefix="ctop"):
    """The topic of a booking: the indicator at ``index`` of the catalog, a ``page`` of
    them, or ``none`` (no topic)."""

    action: str
    index: Small = 0
    page: Page = 0


class AnnounceCallback(CallbackData, prefix="ann"):
    """Announcements (coordinators): ``action`` on ``announcement_id``; ``page`` of a list;
    ``value``: a school, a roadmap action, or the number of a role, kind, municipality or
    field in the lists the screen shows (see ``handlers/announce.py``)."""

    action: str
    announcement_id: Id = 0
    page: Page = 0
    value: Id = 0


class RsvpCallback(CallbackData, prefix="rsvp"):
    """A recipient's answer to an announcement: ``yes``, ``no``, ``staff`` (how many of the
    school's staff will come: ask), ``n`` (that number is ``staff``). Who answers is the
    person pressing, never a number in the button."""

    action: str
    announcement_id: Id
    staff: Small = 0


class ChartCallback(CallbackData, prefix="chart"):
    """Quick charts: ``kind`` (``h`` a school over the years, ``c`` schools side by side,
    ``p`` a campaign's progress) chosen step by step — ``group`` (a form's number among the
    catalog's deadlines), ``indicator`` (its number among the catalog's numeric indicators),
    ``school_id``, ``year``, ``muni`` (a municipality's number in the person's list) or
    ``mine`` (a curator's own schools), ``campaign_id``, ``event_id`` (``a``: an event's
    attendance per municipality) — then ``draw``. Every number is checked again against
    what the person may see when the button is pressed."""

    action: str
    kind: str = ""
    group: Small = 0
    indicator: Small = 0
    school_id: Id = 0
    year: Year = 0
    muni: Small = 0
    mine: bool = False
    campaign_id: Id = 0
    page: Page = 0
    event_id: Id = 0


class AssessmentCallback(CallbackData, prefix="asmt"):
    """Assessment procedures' report dates (coordinators): ``list`` (the procedures of
    ``year``), ``date`` (set the date of the catalog's procedure number ``procedure`` in
    ``year``: regional coordinators only, checked when pressed)."""

    action: str
    year: Year = 0
    procedure: Small = 0


class FilesCallback(CallbackData, prefix="files"):
    """The files schools sent for a campaign (from /status): a page of the list."""

    campaign_id: Id
    page: Page = 0


class DocumentCallback(CallbackData, prefix="doc"):
    """Send a file a school sent again: the answer of ``submission_id`` to its campaign's
    indicator number ``indicator``; who may open it is checked when pressed."""

    submission_id: Id
    indicator: Small = 0


class ExecutionCallback(CallbackData, prefix="exe"):
    """The execution of roadmap actions. Answering for a part of the action ``event_id`` —
    ``school_id`` (a school's), ``muni`` (the number of a municipality's part, see
    :func:`bot.calendar.execution.parts.municipality_index`) or neither (the whole
    action) — at ``point`` (a date's ordinal; 0: no dates): ``done``, ``move``, ``fail``;
    ``nocomment`` (no reason for a postponement). Coordinators: ``list`` (the roadmaps'
    progress), ``rm`` (a roadmap's actions, ``roadmap_id``, ``page``), ``act`` (an action's
    parts, ``page``), ``file`` (send the file of answer ``item``), ``xlsx`` (the report of
    ``roadmap_id``), ``points`` (set reporting points), ``nopoints`` (remove them), ``ask``
    (ask the parts that have not answered again). Every id is checked when pressed."""

    action: str
    event_id: Id = 0
    school_id: Id = 0
    muni: Small = 0
    point: Id = 0
    roadmap_id: Id = 0
    page: Page = 0
    item: Id = 0
