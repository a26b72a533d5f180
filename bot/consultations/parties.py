"""Who a consultation concerns: the school, its principals, the curator, and the
program's zone and language (each notice is worded in its reader's language)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from storage.models import Person, School


@dataclass(frozen=True, slots=True)
class Parties:
    """Who a consultation concerns, read before the change: the school and its
    principals (who have joined), the curator, and the program's zone and language."""

    school: School
    host: Person
    principals: tuple[Person, ...]
    zone: ZoneInfo
    default_locale: str

    def locale(self, person: Person) -> str:
        return person.locale or self.default_locale
