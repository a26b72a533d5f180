"""``python -m bot``: run the bot, or one administrator's command.

Exit codes: 0 done, 1 the operation failed (reported), 2 bad settings or arguments."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys

from bot.cli.common import EXIT_USAGE, with_repo
from bot.cli.database import backup_command, migrate_command
from bot.cli.files import OutputRefused, check_output
from bot.cli.parser import build_parser
from bot.cli.registers import demo_data_command, import_command, invite_command, schools_command
from bot.cli.reports import assessment_command, close_campaign_command, export_command
from bot.cli.roadmaps import roadmap_command
from bot.i18n import N_, translate
from bot.indicators.catalog import CatalogError
from bot.settings import SettingsError, fallback_locale, load_settings
from storage.db import DatabaseUnusable


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in (None, "run"):
        gc.enable()  # off while ``python -m bot`` imported (see bot/__main__.py)
    if args.command == "demo":
        return _demo(args)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error.render(fallback_locale()), file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings.log_level)
    command = args.command or "run"
    try:
        if command == "run":
            settings.token()
            from bot.app import run_polling

            asyncio.run(run_polling(settings))
            return 0
        if command == "backup":
            return backup_command(settings, args)
        if command == "template":
            from bot.registers.template import write_template

            check_output(args.file, suffix=".xlsx", example="template")
            write_template(args.kind, args.file, settings.default_locale)
            print(translate(settings.default_locale, "Template written to {path}", path=args.file))
            return 0
        if command == "roadmap":
            return roadmap_command(settings, args)
        handler = _ASYNC_COMMANDS[command]
        return asyncio.run(with_repo(settings, lambda repo: handler(repo, settings, args)))
    except (SettingsError, DatabaseUnusable, OutputRefused) as error:
        print(error.render(settings.default_locale), file=sys.stderr)
        return EXIT_USAGE
    except CatalogError as error:
        print(_catalog_problem(error, settings.default_locale), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0


def _catalog_problem(error: CatalogError, locale: str) -> str:
    """Where the catalog is wrong, in the administrator's language; the parser's own words
    (English) follow, marked as its technical detail."""
    where = (
        translate(locale, N_("{path}, line {line}"), path=error.path, line=error.line)
        if error.line
        else str(error.path)
    )
    message = N_("The indicator catalog {where} cannot be used. The parser's detail: {problem}")
    return translate(locale, message, where=where, problem=error.problem)


def configure_logging(level: str) -> None:
    """One line per event; APScheduler's line for every job it adds or runs, and aiogram's
    for every update handled, only at DEBUG (our own log says how many reminders were
    planned and what each job queued)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)  # a line per update


def _demo(args: argparse.Namespace) -> int:
    """The demo needs no token and no .env; the locale and time zone come from them when
    they are valid."""
    from bot.demo_run import run_demo

    configure_logging("WARNING")
    try:
        settings = load_settings()
        locale, timezone = settings.default_locale, settings.timezone
    except SettingsError:
        locale, timezone = fallback_locale(), "Europe/Moscow"
    try:
        return asyncio.run(
            run_demo(args.port, args.database, not args.no_browser, locale, timezone)
        )
    except DatabaseUnusable as error:
        print(error.render(locale), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0


_ASYNC_COMMANDS = {
    "assessment": assessment_command,
    "migrate": migrate_command,
    "invite": invite_command,
    "import": import_command,
    "demo-data": demo_data_command,
    "export": export_command,
    "close-campaign": close_campaign_command,
    "schools": schools_command,
}
