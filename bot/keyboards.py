"""Inline keyboards; their texts come from the catalogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.calendar.execution.screens import Screen as ExecutionScreen
from bot.callbacks import (
    ExecutionCallback,
    InviteRoleCallback,
    InviteSchoolCallback,
    LangCallback,
    MenuCallback,
)
from storage.models import Role, Roles, School

SCHOOLS_PER_PAGE = 8
T = TypeVar("T")


def main_menu(roles: Roles) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if roles.principal_school_id is not None:
        builder.button(text=_("📝 Indicators"), callback_data=MenuCallback(action="submit"))
    if roles.head_school_id is not None:
        builder.button(text=_("👥 Invite a deputy"), callback_data=MenuCallback(action="deputies"))
    if roles.coordinator or roles.curator_school_ids:
        builder.button(text=_("📊 Who has reported"), callback_data=MenuCallback(action="status"))
    if roles.coordinator:
        builder.button(text=_("🔎 Review submissions"), callback_data=MenuCallback(action="review"))
        builder.button(text=_("📥 Export to Excel"), callback_data=MenuCallback(action="export"))
        builder.button(text=_("✉️ Invite a person"), callback_data=MenuCallback(action="invite"))
        builder.button(text=_("🗺 Roadmap"), callback_data=MenuCallback(action="roadmap"))
        builder.button(
            text=_("📅 Assessment procedures"), callback_data=MenuCallback(action="assessments")
        )
        builder.button(text=_("📋 Roadmap progress"), callback_data=MenuCallback(action="progress"))
        builder.button(text=_("📣 Announcements"), callback_data=MenuCallback(action="announce"))
    if roles:
        builder.button(
            text=_("🤝 Consultations"), callback_data=MenuCallback(action="consultations")
        )
        builder.button(text=_("🗓 Calendar"), callback_data=MenuCallback(action="calendar"))
        builder.button(text=_("📈 Charts"), callback_data=MenuCallback(action="charts"))
        builder.button(text=_("🔔 Reminders"), callback_data=MenuCallback(action="reminders"))
    builder.button(text=_("❓ Help"), callback_data=MenuCallback(action="help"))
    builder.button(text=_("🌐 Language"), callback_data=MenuCallback(action="lang"))
    builder.adjust(1)
    return builder.as_markup()


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="🇷🇺 Русский", callback_data=LangCallback(code="ru"))
    builder.button(text="🇬🇧 English", callback_data=LangCallback(code="en"))
    builder.adjust(2)
    return builder.as_markup()


def invite_roles(regional: bool) -> InlineKeyboardMarkup:
    """Whom a coordinator may invite: a regional one also coordinators (regional or
    municipal), a municipal one principals, their deputies and curators of their
    territory's schools."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("School principal"), callback_data=InviteRoleCallback(role=Role.PRINCIPAL)
    )
    builder.button(text=_("Deputy principal"), callback_data=InviteRoleCallback(role=Role.DEPUTY))
    builder.button(text=_("Curator"), callback_data=InviteRoleCallback(role=Role.CURATOR))
    if regional:
        builder.button(
            text=_("Regional coordinator"), callback_data=InviteRoleCallback(role=Role.COORDINATOR)
        )
        builder.button(
            text=_("Municipal coordinator"), callback_data=InviteRoleCallback(role="municipal")
        )
    builder.button(text=_("Cancel"), callback_data=InviteSchoolCallback(action="cancel"))
    builder.adjust(1)
    return builder.as_markup()


def municipality_picker(municipalities: list[str]) -> InlineKeyboardMarkup:
    """The register's municipalities by their number in the list (kept with the
    conversation, so a button carries a number, never a name)."""
    builder = InlineKeyboardBuilder()
    for index, name in enumerate(municipalities):
        builder.button(text=name, callback_data=InviteSchoolCallback(action="muni", page=index))
    builder.button(text=_("Cancel"), callback_data=InviteSchoolCallback(action="cancel"))
    builder.adjust(1)
    return builder.as_markup()


def paginate(items: list[T], page: int, per_page: int) -> tuple[list[T], int, int]:
    """The items on ``page`` (clamped to the pages there are), the page and the page count."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 0), pages - 1)
    return items[page * per_page : (page + 1) * per_page], page, pages


def pager(
    builder: InlineKeyboardBuilder | Keyboard,
    page: int,
    pages: int,
    to_page: Callable[[int], CallbackData],
) -> int:
    """Add ◀️ / ▶️ for the pages around ``page``; return how many buttons were added (the
    size of the navigation row for ``adjust``)."""
    added = 0
    if page > 0:
        builder.button(text="◀️", callback_data=to_page(page - 1))
        added += 1
    if page < pages - 1:
        builder.button(text="▶️", callback_data=to_page(page + 1))
        added += 1
    return added


def school_picker(
    schools: list[School], selected: set[int], page: int, multiple: bool
) -> InlineKeyboardMarkup:
    """A page of schools; with ``multiple`` the buttons toggle and a Done button finishes."""
    shown, page, pages = paginate(schools, page, SCHOOLS_PER_PAGE)
    builder = InlineKeyboardBuilder()
    for school in shown:
        mark = "✅ " if school.id in selected else ""
        builder.button(
            text=f"{mark}{school.display_name} · {school.municipality}",
            callback_data=InviteSchoolCallback(action="pick", school_id=school.id, page=page),
        )
    sizes = [1] * len(shown)
    navigation = pager(
        builder, page, pages, lambda to: InviteSchoolCallback(action="page", page=to)
    )
    if navigation:
        sizes.append(navigation)
    if multiple:
        builder.button(
            text=_("Done ({count} selected)").format(count=len(selected)),
            callback_data=InviteSchoolCallback(action="done", page=page),
        )
        sizes.append(1)
    builder.button(text=_("Cancel"), callback_data=InviteSchoolCallback(action="cancel"))
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


class Keyboard:
    """A light stand-in for aiogram's InlineKeyboardBuilder on hot paths (the form).

    The builder deep-copies every button when it exports the markup; for the form's
    keyboards that was about a seventh of the time an answer takes. Same calls:
    ``button(text=, callback_data=)``, ``adjust(*sizes)``, ``as_markup()``.
    """

    def __init__(self) -> None:
        self._buttons: list[InlineKeyboardButton] = []
        self._sizes: list[int] = [1]

    def button(self, *, text: str, callback_data: CallbackData) -> None:
        self._buttons.append(InlineKeyboardButton(text=text, callback_data=callback_data.pack()))

    def adjust(self, *sizes: int) -> None:
        self._sizes = list(sizes) or [1]

    def as_markup(self) -> InlineKeyboardMarkup:
        rows: list[list[InlineKeyboardButton]] = []
        position, index = 0, 0
        while position < len(self._buttons):
            size = self._sizes[min(index, len(self._sizes) - 1)]
            rows.append(self._buttons[position : position + size])
            position += size
            index += 1
        return InlineKeyboardMarkup(inline_keyboard=rows)


def screen_markup(screen: ExecutionScreen) -> InlineKeyboardMarkup | None:
    """The buttons of an execution screen (:mod:`bot.calendar.execution.screens`)."""
    if not screen.rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=button.text,
                    callback_data=ExecutionCallback(
                        action=button.action,
                        event_id=button.event_id,
                        roadmap_id=button.roadmap_id,
                        page=button.page,
                        item=button.item,
                        school_id=button.school_id,
                        muni=button.muni,
                        point=button.point,
                    ).pack(),
                )
                for button in row
            ]
            for row in screen.rows
        ]
    )
