"""``python -m bot``: the bot and the administrator's commands (see :mod:`bot.cli.main`)."""

from bot.cli.main import main
from bot.cli.parser import build_parser

__all__ = ["build_parser", "main"]
