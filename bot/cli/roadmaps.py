"""``roadmap import|template|demo|report``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime

from bot.cli.common import EXIT_FAILED, EXIT_USAGE, bot_username, find_municipalities, with_repo
from bot.cli.files import check_output
from bot.i18n import N_, translate
from bot.settings import Settings
from storage.repo import Repo


def roadmap_command(settings: Settings, args: argparse.Namespace) -> int:
    """``roadmap import|template|demo``; only a real import opens the database."""
    from bot.calendar.roadmap.reading import dry_run_rows, read_roadmap
    from bot.calendar.roadmap.rendering import render_dry_run
    from bot.calendar.roadmap.sheet import RoadmapError
    from bot.calendar.roadmap.workbook import demo_roadmap, write_roadmap_xlsx, write_template

    locale = settings.default_locale
    today = datetime.now(settings.zone).date()
    if args.roadmap_command == "report":
        check_output(args.out, suffix=".xlsx", example="roadmap-report")
        return asyncio.run(
            with_repo(settings, lambda repo: roadmap_report_command(repo, settings, args))
        )
    if args.roadmap_command in ("template", "demo"):
        check_output(args.out, suffix=".xlsx", example="roadmap")
        if args.roadmap_command == "template":
            write_template(args.out, today=today, locale=locale)
        else:
            write_roadmap_xlsx(demo_roadmap(), args.out)
        print(translate(locale, N_("Roadmap written to {path}"), path=args.out))
        return 0
    if args.json and not args.dry_run:
        print(translate(locale, N_("--json goes with --dry-run")), file=sys.stderr)
        return EXIT_USAGE
    try:
        sheet = read_roadmap(args.file, start=args.start, end=args.end, today=today)
    except RoadmapError as error:
        print(error.render(locale), file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run:
        if args.json:
            print(json.dumps(dry_run_rows(sheet), ensure_ascii=False, indent=2))
        else:
            print(render_dry_run(sheet, locale))
        return 0
    return asyncio.run(with_repo(settings, lambda repo: _import_roadmap(repo, settings, args)))


async def _import_roadmap(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.calendar.roadmap.reading import import_roadmap, read_roadmap
    from bot.calendar.roadmap.rendering import render_summary

    today = datetime.now(settings.zone).date()
    sheet = read_roadmap(args.file, start=args.start, end=args.end, today=today)
    territory: list[str] = []
    if args.municipality:
        found = await find_municipalities(repo, settings.default_locale, [args.municipality])
        if found is None:
            return EXIT_USAGE
        territory = found
    roadmap_id = await import_roadmap(
        repo,
        sheet,
        source=args.file.name,
        person_id=None,
        municipality=territory[0] if territory else None,
    )
    print(render_summary(sheet, settings.default_locale))
    print(
        translate(
            settings.default_locale,
            N_("Saved as roadmap {id}; importing the file again replaces it."),
            id=roadmap_id,
        )
    )
    return 0


async def roadmap_report_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    """``roadmap report --year Y --out FILE [--municipality M]``: the execution workbook of
    the roadmaps covering the year, for the region or a municipality (its roadmaps and its
    part of the region's)."""
    from bot.calendar.execution.export import execution_report
    from storage.models import Roles

    locale = settings.default_locale
    territory = await find_municipalities(repo, locale, args.municipality)
    if territory is None:
        return EXIT_USAGE
    now = datetime.now(settings.zone)
    content = await execution_report(
        repo,
        Roles(coordinator=True, municipalities=frozenset(territory)),
        now.date(),
        locale,
        settings.zone,
        now,
        year=args.year,
        bot_username=await bot_username(repo, settings),
    )
    if content is None:
        print(
            translate(locale, N_("No roadmap covers {year}: nothing to report"), year=args.year),
            file=sys.stderr,
        )
        return EXIT_FAILED
    args.out.write_bytes(content)
    print(translate(locale, N_("Report written to {path}"), path=args.out))
    return 0
