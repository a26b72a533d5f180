"""Dates the bot works with: the production calendar and who an action is for."""
