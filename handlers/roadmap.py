"""Placeholder: filled in by the roadmap/reminders work."""

from aiogram import Router

router = Router(name="roadmap")
