"""The execution report as rows: one per action, point and part — the December report on
the roadmap without retyping.

A year's report holds the points that fall in that year (an action without dates of a
roadmap that covers the year: one undated row); each row carries the latest answer for
its part at its point and how many answers came before. The history lists every answer.
Plain data in the reader's language: :mod:`bot.calendar.execution.workbook` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.calendar.execution.ledger import Ledger, PartFilter
from bot.calendar.execution.parts import Part
from bot.calendar.execution.status import Mark, point_mark
from bot.calendar.execution.texts import STATUS_WORDS, mark_word, new_period_words, part_label
from bot.i18n import translate
from storage.calendar import Event, Roadmap
from storage.execution import Confirmation

FILE_LINK = "https://t.me/{bot}?start=file-{id}"  # the bot sends the file to whom may see it


@dataclass(frozen=True, slots=True)
class ReportRow:
    roadmap: str
    section: str
    number: str
    title: str
    period: str  # as written
    due: date | None  # the point: a period's end or a reporting point
    responsible: str  # as written
    part: str  # a school, a municipality, the action as a whole
    municipality: str  # of a school's or a municipality's part
    mark: Mark
    status: str  # in words: «выполнено», «перенесено: до 15 декабря 2026», ...
    answered_at: datetime | None  # local time
    answered_by: str
    file_name: str | None
    file_url: str | None  # a t.me link that makes the bot send the file
    link: str | None
    evidence: str | None
    comment: str | None
    earlier: int  # answers for the same part and point before this one


@dataclass(frozen=True, slots=True)
class HistoryRow:
    answered_at: datetime  # local time
    roadmap: str
    number: str
    title: str
    due: date | None
    part: str
    status: str
    answered_by: str
    file_name: str | None
    file_url: str | None
    link: str | None
    evidence: str | None
    comment: str | None


def file_url(answer: Confirmation, bot_username: str | None) -> str | None:
    if not answer.file_id or not bot_username:
        return None
    return FILE_LINK.format(bot=bot_username, id=answer.id)


def status_text(mark: Mark, answer: Confirmation | None, locale: str) -> str:
    if mark is Mark.POSTPONED and answer is not None and answer.new_ends_on is not None:
        period = new_period_words(answer.new_starts_on, answer.new_ends_on, locale)
        return translate(locale, "postponed: new period {period}", period=period)
    if mark is Mark.OVERDUE and answer is not None and answer.status == "postponed":
        return translate(locale, "overdue after a postponement, not confirmed")
    return mark_word(mark, locale)


def _points_in(ledger: Ledger, event: Event, roadmap: Roadmap, year: int | None) -> list:
    points = ledger.points.get(event.id, [])
    if not points:
        covers = year is None or roadmap.starts_on.year <= year <= roadmap.ends_on.year
        return [None] if covers else []
    return [point for point in points if year is None or point.year == year]


def _municipality(ledger: Ledger, part: Part) -> str:
    if part.school_id is not None and part.school_id in ledger.schools:
        return ledger.schools[part.school_id].municipality
    return part.municipality or ""


def report_rows(
    ledger: Ledger,
    roadmaps: list[Roadmap],
    today: date,
    locale: str,
    zone: ZoneInfo,
    *,
    year: int | None = None,
    keep: PartFilter | None = None,
    bot_username: str | None = None,
) -> list[ReportRow]:
    """The rows of these roadmaps' actions, in the roadmaps' order (see the module)."""
    rows = []
    for roadmap in roadmaps:
        for event in ledger.of_roadmap(roadmap.id):
            points = _points_in(ledger, event, roadmap, year)
            parts = [part for part in ledger.parts(event) if keep is None or keep(part)]
            for point in points:
                for part in parts:
                    history = [a for a in ledger.history(event, part) if a.due_on == point]
                    answer = history[-1] if history else None
                    mark = point_mark(point, answer, today)
                    rows.append(
                        ReportRow(
                            roadmap=roadmap.title,
                            section=event.section,
                            number=event.number,
                            title=event.title,
                            period=event.period_text,
                            due=point,
                            responsible=event.responsible,
                            part=part_label(part, ledger.schools, locale),
                            municipality=_municipality(ledger, part),
                            mark=mark,
                            status=status_text(mark, answer, locale),
                            answered_at=answer.created_at.astimezone(zone).replace(tzinfo=None)
                            if answer
                            else None,
                            answered_by=answer.person_name if answer else "",
                            file_name=(answer.file_name or translate(locale, "photo"))
                            if answer and answer.file_id
                            else None,
                            file_url=file_url(answer, bot_username) if answer else None,
                            link=answer.link if answer else None,
                            evidence=answer.evidence if answer else None,
                            comment=answer.comment if answer else None,
                            earlier=max(len(history) - 1, 0),
                        )
                    )
    return rows


def history_rows(
    ledger: Ledger,
    roadmaps: list[Roadmap],
    locale: str,
    zone: ZoneInfo,
    *,
    year: int | None = None,
    keep: PartFilter | None = None,
    bot_username: str | None = None,
) -> list[HistoryRow]:
    """Every answer about the report's actions and parts, oldest first."""
    rows = []
    for roadmap in roadmaps:
        for event in ledger.of_roadmap(roadmap.id):
            points = set(_points_in(ledger, event, roadmap, year))
            for answer in ledger.answers.get(event.id, []):
                part = Part(answer.school_id, answer.municipality)
                if (keep is not None and not keep(part)) or (
                    year is not None and answer.due_on not in points
                ):
                    continue
                rows.append(
                    HistoryRow(
                        answered_at=answer.created_at.astimezone(zone).replace(tzinfo=None),
                        roadmap=roadmap.title,
                        number=event.number,
                        title=event.title,
                        due=answer.due_on,
                        part=part_label(part, ledger.schools, locale),
                        status=_answer_status(answer, locale),
                        answered_by=answer.person_name,
                        file_name=(answer.file_name or translate(locale, "photo"))
                        if answer.file_id
                        else None,
                        file_url=file_url(answer, bot_username),
                        link=answer.link,
                        evidence=answer.evidence,
                        comment=answer.comment,
                    )
                )
    rows.sort(key=lambda row: row.answered_at)
    return rows


def _answer_status(answer: Confirmation, locale: str) -> str:
    if answer.status == "postponed" and answer.new_ends_on is not None:
        period = new_period_words(answer.new_starts_on, answer.new_ends_on, locale)
        return translate(locale, "postponed: new period {period}", period=period)
    return translate(locale, STATUS_WORDS[answer.status])
