"""What an import of a register did, row by row, and the error for a file that cannot
be used at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.i18n import N_, LocalizedError, Msg, translate
from bot.xlsx.sheets import WorkbookError

Kind = Literal["schools", "people"]
Action = Literal["created", "updated", "unchanged", "refused"]
# --------------------------------------------------------------------------- errors


class RegisterError(WorkbookError):
    """A file that cannot be used as a whole; nothing was written."""


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int
    action: Action
    subject: str
    reason: Msg | None = None  # why the row was refused
    invite_link: str | None = None
    notes: tuple[Msg, ...] = ()  # changes worth naming (a school no longer curated)
    record_id: int | None = None  # the id of the school written (for `invite --school`)


@dataclass(slots=True)
class ImportReport:
    kind: Kind
    sheet: str
    header_row: int
    rows: list[RowResult]
    dry_run: bool = False
    not_written: Msg | None = None  # why nothing was written although rows were accepted

    @property
    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
        for result in self.rows:
            counts[result.action] += 1
        return counts

    def by_row(self, row: int) -> RowResult:
        for result in self.rows:
            if result.row == row:
                return result
        raise KeyError(row)

    def render(self, locale: str) -> str:
        title = (
            N_("Register of schools: sheet “{sheet}”, header in row {row}.")
            if self.kind == "schools"
            else N_("Register of people: sheet “{sheet}”, header in row {row}.")
        )
        lines = [translate(locale, title, sheet=self.sheet, row=self.header_row)]
        if self.dry_run:
            lines.append(translate(locale, N_("Dry run: nothing was written.")))
        if self.not_written is not None:
            lines.append(self.not_written.render(locale))
        for result in self.rows:
            lines.append(_render_row(locale, result))
            lines += [f"    {note.render(locale)}" for note in result.notes]
        counts = self.counts
        lines.append(
            translate(
                locale,
                N_(
                    "Total: {created} created, {updated} updated, {unchanged} unchanged,"
                    " {refused} refused."
                ),
                **counts,
            )
        )
        links = [result for result in self.rows if result.invite_link]
        if links:
            lines.append("")
            lines.append(
                translate(
                    locale,
                    N_(
                        "Personal invitation links (each works once; they are not stored,"
                        " so keep this list and send each person their own link):"
                    ),
                )
            )
            for result in links:
                lines.append(f"{result.subject}: {result.invite_link}")
        return "\n".join(lines)


_ACTION_LINES = {
    "created": N_("Row {row}: created — {subject}"),
    "updated": N_("Row {row}: updated — {subject}"),
    "unchanged": N_("Row {row}: unchanged — {subject}"),
}


def _render_row(locale: str, result: RowResult) -> str:
    if result.action != "refused":
        line = translate(
            locale, _ACTION_LINES[result.action], row=result.row, subject=result.subject
        )
        if result.record_id is None:
            return line
        return f"{line} (id {result.record_id})"
    reason = result.reason.render(locale) if result.reason else ""
    if result.subject:
        return translate(
            locale,
            N_("Row {row}: refused — {subject}: {reason}"),
            row=result.row,
            subject=result.subject,
            reason=reason,
        )
    return translate(locale, N_("Row {row}: refused: {reason}"), row=result.row, reason=reason)


class Refused(LocalizedError):
    """A row that cannot be imported, with its reason."""
