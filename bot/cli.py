"""``python -m bot``: run the bot, and the administrator's commands.

Exit codes: 0 done, 1 the operation failed (reported), 2 bad settings or arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path

from bot.clock import from_db
from bot.i18n import N_, translate
from bot.indicators.catalog import DEFAULT_CATALOG, Catalog, CatalogError, load_catalog
from bot.settings import Settings, SettingsError, fallback_locale, load_settings
from storage.db import Database, DatabaseUnusable
from storage.models import Role, match_key
from storage.repo import Repo

EXIT_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Telegram bot for programs supporting schools with low results.",
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="start long polling (the default)")
    commands.add_parser("migrate", help="apply database migrations and exit")

    invite = commands.add_parser("invite", help="print a one-time invitation code and link")
    invite.add_argument("--role", required=True, choices=[role.value for role in Role])
    invite.add_argument("--school", type=int, help="school id (principal)")
    invite.add_argument("--schools", help="comma-separated school ids (curator)")
    invite.add_argument(
        "--municipality",
        action="append",
        default=[],
        help="coordinator: a municipal coordinator of this municipality (repeat for several);"
        " without it a regional coordinator",
    )
    invite.add_argument("--expires-days", type=int, default=14)

    backup = commands.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("path", type=Path)

    imports = commands.add_parser("import", help="load a register from Excel")
    imports.add_argument("kind", choices=["schools", "people", "submissions"])
    imports.add_argument("file", type=Path)
    imports.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    imports.add_argument(
        "--invite", action="store_true", help="people: create personal invitation links"
    )
    imports.add_argument("--expires-days", type=int, default=14)

    export = commands.add_parser("export", help="write a report to Excel")
    export.add_argument("kind", choices=["submissions"])
    export.add_argument("--year", type=int, required=True)
    export.add_argument("--out", type=Path, required=True)
    export.add_argument(
        "--municipality",
        action="append",
        default=[],
        help="only the schools of this municipality (repeat for several), as its coordinator"
        " sees them",
    )

    campaign = commands.add_parser("close-campaign", help="close a campaign: no more edits")
    campaign.add_argument("--year", type=int, required=True)
    campaign.add_argument("--deadline", required=True, help='as in the catalog: "10-01"')

    template = commands.add_parser("template", help="write an Excel template of a register")
    template.add_argument("kind", choices=["schools", "people"])
    template.add_argument("file", type=Path)

    commands.add_parser("demo-data", help="load a small demo region for trying the bot")

    roadmap = commands.add_parser("roadmap", help="roadmaps (дорожная карта) from Excel")
    roadmap_commands = roadmap.add_subparsers(dest="roadmap_command", required=True)
    roadmap_import = roadmap_commands.add_parser("import", help="import a roadmap workbook")
    roadmap_import.add_argument("file", type=Path)
    roadmap_import.add_argument(
        "--dry-run", action="store_true", help="show how every period was read, write nothing"
    )
    roadmap_import.add_argument(
        "--json", action="store_true", help="with --dry-run: print the rows as JSON"
    )
    roadmap_import.add_argument(
        "--from", dest="start", type=date.fromisoformat, help="the program's first day"
    )
    roadmap_import.add_argument(
        "--to", dest="end", type=date.fromisoformat, help="the program's last day"
    )
    roadmap_import.add_argument(
        "--municipality", help="the roadmap of this municipality (without it: the region's)"
    )
    roadmap_template = roadmap_commands.add_parser(
        "template", help="write an empty roadmap workbook to fill in"
    )
    roadmap_template.add_argument("--out", type=Path, required=True)
    roadmap_demo = roadmap_commands.add_parser(
        "demo", help="write the demo roadmap (seed 000) as a workbook"
    )
    roadmap_demo.add_argument("--out", type=Path, required=True)
    roadmap_report = roadmap_commands.add_parser(
        "report", help="the execution report: every action, its status and evidence, to Excel"
    )
    roadmap_report.add_argument("--year", type=int, required=True)
    roadmap_report.add_argument("--out", type=Path, required=True)
    roadmap_report.add_argument(
        "--municipality", action="append", default=[], help="only this municipality's part"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error.render(fallback_locale()), file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    command = args.command or "run"
    try:
        if command == "run":
            settings.token()
            from bot.app import run_polling

            asyncio.run(run_polling(settings))
            return 0
        if command == "backup":
            return _backup(settings, args.path)
        if command == "template":
            from bot.registers.template import write_template

            write_template(args.kind, args.file, settings.default_locale)
            print(translate(settings.default_locale, "Template written to {path}", path=args.file))
            return 0
        if command == "roadmap":
            return _roadmap(settings, args)
        handler = _ASYNC_COMMANDS[command]
        return asyncio.run(_with_repo(settings, lambda repo: handler(repo, settings, args)))
    except (SettingsError, DatabaseUnusable) as error:
        print(error.render(settings.default_locale), file=sys.stderr)
        return EXIT_USAGE
    except CatalogError as error:
        print(
            translate(
                settings.default_locale,
                N_("The indicator catalog cannot be used: {problem}"),
                problem=str(error),
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0


async def _with_repo(settings: Settings, action: Callable[[Repo], Awaitable[int]]) -> int:
    db = await Database.open(settings.database_path)
    try:
        await db.migrate()
        return await action(Repo(db))
    finally:
        await db.close()


async def _migrate(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    version = await repo.db.schema_version()
    print(translate(settings.default_locale, "Database schema version {version}", version=version))
    return 0


async def _bot_username(repo: Repo, settings: Settings) -> str | None:
    return settings.bot_username or await repo.meta.get("bot_username")


async def _invite(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.people.invitations import create_invitation, deep_link

    locale = settings.default_locale
    role = Role(args.role)
    school_ids: list[int] = []
    try:
        if args.school is not None:
            school_ids.append(args.school)
        if args.schools:
            school_ids += [int(part) for part in args.schools.split(",") if part.strip()]
    except ValueError:
        print(
            translate(locale, N_("--schools takes school ids separated by commas")), file=sys.stderr
        )
        return EXIT_USAGE
    missing = [i for i in school_ids if await repo.schools.get(i) is None]
    if missing:
        print(
            translate(
                locale,
                N_("No school with id {ids}: see the register you imported"),
                ids=", ".join(map(str, missing)),
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    territory = await _municipalities(repo, locale, args.municipality)
    if territory is None:
        return EXIT_USAGE
    if territory and role is not Role.COORDINATOR:
        print(translate(locale, N_("--municipality goes with --role coordinator")), file=sys.stderr)
        return EXIT_USAGE
    try:
        code, invitation = await create_invitation(
            repo, role, school_ids, expires_days=args.expires_days, municipalities=territory
        )
    except ValueError:
        print(
            translate(
                locale,
                N_(
                    "A principal's invitation needs --school ID, a curator's needs --schools "
                    "ID,ID, a coordinator's none; it may live from 1 to 365 days"
                ),
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(translate(locale, N_("Invitation code: {code}"), code=code))
    print(
        translate(
            locale,
            N_("Link: {link}"),
            link=deep_link(code, await _bot_username(repo, settings)),
        )
    )
    expires = from_db(invitation.expires_at).astimezone(settings.zone)
    print(
        translate(
            locale,
            N_("Valid until {date} ({zone}); it works once."),
            date=expires.strftime("%d.%m.%Y %H:%M"),
            zone=settings.timezone,
        )
    )
    return 0


async def _municipalities(repo: Repo, locale: str, wanted: list[str]) -> list[str] | None:
    """The municipalities named on the command line, as the register spells them; None
    (after saying so) when one is not in the register."""
    known = await repo.schools.municipalities()
    found = []
    for name in wanted:
        match = next((m for m in known if match_key(m) == match_key(name)), None)
        if match is None:
            print(
                translate(
                    locale,
                    N_("There is no municipality «{name}» in the register of schools: {known}"),
                    name=name,
                    known=", ".join(known) or "—",
                ),
                file=sys.stderr,
            )
            return None
        if match not in found:
            found.append(match)
    return found


async def _import(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.registers.people import import_people
    from bot.registers.report import RegisterError
    from bot.registers.schools import import_schools

    locale = settings.default_locale
    if args.kind == "submissions":
        return await _import_submissions(repo, settings, args)
    try:
        if args.kind == "schools":
            report = await import_schools(repo, args.file, dry_run=args.dry_run)
        else:
            report = await import_people(
                repo,
                args.file,
                invite=args.invite,
                expires_days=args.expires_days,
                bot_username=await _bot_username(repo, settings),
                dry_run=args.dry_run,
            )
    except RegisterError as error:
        print(error.render(locale), file=sys.stderr)
        return EXIT_FAILED
    print(report.render(locale))
    return 0


def _catalog(settings: Settings) -> Catalog:
    return load_catalog(settings.indicators_path or DEFAULT_CATALOG)


async def _import_submissions(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.indicators.workbook.reading import SubmissionImportError, import_submissions

    try:
        report = await import_submissions(repo, _catalog(settings), args.file, dry_run=args.dry_run)
    except SubmissionImportError as error:
        print(error.render(settings.default_locale), file=sys.stderr)
        return EXIT_FAILED
    print(report.render(settings.default_locale))
    return 0


async def _export(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.indicators.workbook.export import export_submissions

    territory = await _municipalities(repo, settings.default_locale, args.municipality)
    if territory is None:
        return EXIT_USAGE
    content = await export_submissions(
        repo,
        _catalog(settings),
        args.year,
        settings.default_locale,
        settings.zone,
        municipalities=frozenset(territory),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(translate(settings.default_locale, N_("Report written to {path}"), path=args.out))
    return 0


async def _close_campaign(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    locale = settings.default_locale
    campaign = await repo.submissions.find_campaign(args.year, args.deadline)
    if campaign is None:
        message = N_("There is no campaign {deadline} in {year}: see the catalog's deadlines")
        print(translate(locale, message, deadline=args.deadline, year=args.year), file=sys.stderr)
        return EXIT_USAGE
    await repo.submissions.close_campaign(campaign.id)
    message = N_("Campaign {deadline} of {year} is closed: principals can no longer change it")
    print(translate(locale, message, deadline=args.deadline, year=args.year))
    return 0


async def _demo_data(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.demo import load_demo_data

    demo = await load_demo_data(
        repo,
        catalog=_catalog(settings),
        this_year=datetime.now(settings.zone).year,
        bot_username=await _bot_username(repo, settings),
    )
    print(demo.render(settings.default_locale))
    return 0


def _roadmap(settings: Settings, args: argparse.Namespace) -> int:
    """``roadmap import|template|demo``; only a real import opens the database."""
    from bot.calendar.roadmap.reading import dry_run_rows, read_roadmap
    from bot.calendar.roadmap.rendering import render_dry_run, render_unmapped
    from bot.calendar.roadmap.sheet import RoadmapError
    from bot.calendar.roadmap.workbook import demo_roadmap, write_roadmap_xlsx, write_template

    locale = settings.default_locale
    today = datetime.now(settings.zone).date()
    if args.roadmap_command == "report":
        return asyncio.run(_with_repo(settings, lambda repo: _roadmap_report(repo, settings, args)))
    if args.roadmap_command in ("template", "demo"):
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
            unmapped = render_unmapped(sheet, locale)
            if unmapped:
                print(unmapped)
        return 0
    return asyncio.run(_with_repo(settings, lambda repo: _import_roadmap(repo, settings, args)))


async def _import_roadmap(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.calendar.roadmap.reading import import_roadmap, read_roadmap
    from bot.calendar.roadmap.rendering import render_summary, render_unmapped

    today = datetime.now(settings.zone).date()
    sheet = read_roadmap(args.file, start=args.start, end=args.end, today=today)
    territory: list[str] = []
    if args.municipality:
        found = await _municipalities(repo, settings.default_locale, [args.municipality])
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
    unmapped = render_unmapped(sheet, settings.default_locale)
    if unmapped:
        print(unmapped)
    print(
        translate(
            settings.default_locale,
            N_("Saved as roadmap {id}; importing the file again replaces it."),
            id=roadmap_id,
        )
    )
    return 0


async def _roadmap_report(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    """``roadmap report --year Y --out FILE [--municipality M]``: the execution workbook of
    the roadmaps covering the year, for the region or a municipality (its roadmaps and its
    part of the region's)."""
    from bot.calendar.execution.export import execution_report
    from storage.models import Roles

    locale = settings.default_locale
    territory = await _municipalities(repo, locale, args.municipality)
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
        bot_username=await _bot_username(repo, settings),
    )
    if content is None:
        print(
            translate(locale, N_("No roadmap covers {year}: nothing to report"), year=args.year),
            file=sys.stderr,
        )
        return EXIT_FAILED
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(translate(locale, N_("Report written to {path}"), path=args.out))
    return 0


def _backup(settings: Settings, target: Path) -> int:
    from storage.db import backup

    if not settings.database_path.exists():
        print(
            translate(
                settings.default_locale,
                N_("There is no database at {path} yet: nothing to back up"),
                path=settings.database_path,
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
    backup(settings.database_path, target)
    print(translate(settings.default_locale, N_("Backup written to {path}"), path=target))
    return 0


_ASYNC_COMMANDS = {
    "migrate": _migrate,
    "invite": _invite,
    "import": _import,
    "demo-data": _demo_data,
    "export": _export,
    "close-campaign": _close_campaign,
}
