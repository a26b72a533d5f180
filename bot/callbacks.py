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
