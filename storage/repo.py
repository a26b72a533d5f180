"""All repositories over one database, handed to handlers as ``repo``."""

from __future__ import annotations

from storage.announcements import AnnouncementRepo
from storage.assessments import AssessmentRepo
from storage.calendar import CalendarRepo
from storage.consultations import ConsultationRepo
from storage.db import Database
from storage.execution import ExecutionRepo
from storage.invitations import InvitationRepo
from storage.meta import MetaRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from storage.schools import SchoolRepo
from storage.submissions import SubmissionRepo
from storage.updates import HandledUpdates


class Repo:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.schools = SchoolRepo(db)
        self.people = PeopleRepo(db)
        self.invitations = InvitationRepo(db)
        self.handled_updates = HandledUpdates(db)
        self.meta = MetaRepo(db)
        self.submissions = SubmissionRepo(db)
        self.outbox = OutboxRepo(db)
        self.calendar = CalendarRepo(db)
        self.assessments = AssessmentRepo(db)
        self.execution = ExecutionRepo(db)
        self.announcements = AnnouncementRepo(db)
        self.consultations = ConsultationRepo(db, self.outbox)
        # the coordinators have been told that the database cannot write (handlers/errors.py)
        self.cannot_write_reported = False
