"""``python -m bot``: run the bot, and the administrator's commands.

Exit codes: 0 done, 1 the operation failed (reported), 2 bad settings or arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path

from bot.cli_files import OutputRefused, check_output, human_size
from bot.clock import from_db
from bot.i18n import N_, translate, translate_plural
from bot.indicators.catalog import DEFAULT_CATALOG, Catalog, CatalogError, load_catalog
from bot.settings import Settings, SettingsError, fallback_locale, load_settings
from storage.db import Database, DatabaseUnusable
from storage.models import Role, in_municipalities, match_key
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
    invite.add_argument(
        "--role", required=True, choices=[role.value for role in Role], help="who is invited"
    )
    invite.add_argument(
        "--school",
        help="principal, deputy: the school's id or an unambiguous piece of its name"
        " (see `python -m bot schools`)",
    )
    invite.add_argument(
        "--school-inn", help="principal, deputy: the school's INN instead of --school"
    )
    invite.add_argument("--schools", help="curator: the schools' ids separated by commas")
    invite.add_argument(
        "--municipality",
        action="append",
        default=[],
        help="coordinator: a municipal coordinator of this municipality (repeat for several);"
        " without it a regional coordinator",
    )
    invite.add_argument(
        "--position",
        help="deputy: the position, «заместитель директора по УВР» when not given",
    )
    invite.add_argument(
        "--expires-days", type=int, default=14, help="how long the code works (14 days)"
    )

    schools = commands.add_parser(
        "schools", help="list the schools of the register: ids, names, municipality, flags"
    )
    schools.add_argument(
        "--municipality",
        action="append",
        default=[],
        help="only this municipality's schools (repeat for several)",
    )
    schools.add_argument("--search", help="only schools whose id, INN or name contains this")

    backup = commands.add_parser(
        "backup", help="write a consistent, checked copy of the database while the bot runs"
    )
    backup.add_argument("path", type=Path, help="the copy's file name (not the database itself)")
    backup.add_argument("--force", action="store_true", help="replace an existing file")

    imports = commands.add_parser("import", help="load a register from Excel")
    imports.add_argument(
        "kind", choices=["schools", "people", "submissions"], help="what the workbook holds"
    )
    imports.add_argument("file", type=Path, help="the .xlsx workbook")
    imports.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    imports.add_argument(
        "--invite", action="store_true", help="people: create personal invitation links"
    )
    imports.add_argument(
        "--expires-days", type=int, default=14, help="with --invite: how long links work (14)"
    )

    export = commands.add_parser("export", help="write a report to Excel")
    export.add_argument(
        "kind",
        choices=["submissions", "consultations"],
        help="the report: schools' indicators, or consultations per school and curator",
    )
    export.add_argument("--year", type=int, required=True, help="the year of the campaigns")
    export.add_argument("--out", type=Path, required=True, help="the report's file name (.xlsx)")
    export.add_argument(
        "--municipality",
        action="append",
        default=[],
        help="only the schools of this municipality (repeat for several), as its coordinator"
        " sees them",
    )

    campaign = commands.add_parser("close-campaign", help="close a campaign: no more edits")
    campaign.add_argument("--year", type=int, required=True, help="the campaign's year")
    campaign.add_argument("--deadline", required=True, help='as in the catalog: "10-01"')

    assessment = commands.add_parser(
        "assessment", help="assessment procedures' reports (VPR, GIA-9, GIA-11...): their dates"
    )
    assessment_commands = assessment.add_subparsers(dest="assessment_command", required=True)
    set_date = assessment_commands.add_parser(
        "set-date", help="set or move the date a procedure's analytical note is due"
    )
    set_date.add_argument(
        "--year", type=int, required=True, help="the year of the reports, e.g. 2026"
    )
    set_date.add_argument("--procedure", required=True, help='as in the catalog: "vpr", "gia9"')
    set_date.add_argument("--date", required=True, help='"2026-06-15" or "15.06.2026"')
    dates = assessment_commands.add_parser("dates", help="the year's procedures and their dates")
    dates.add_argument("--year", type=int, required=True, help="the year of the reports")

    template = commands.add_parser("template", help="write an Excel template of a register")
    template.add_argument("kind", choices=["schools", "people"], help="which register")
    template.add_argument("file", type=Path, help="the template's file name (.xlsx)")

    commands.add_parser("demo-data", help="load a small demo region for trying the bot")

    demo = commands.add_parser(
        "demo",
        help="try the whole bot in a browser: the sandbox, a demo database and the bot, "
        "no token needed",
    )
    demo.add_argument(
        "--port", type=int, default=8081, help="the web chat's port on 127.0.0.1 (8081)"
    )
    demo.add_argument(
        "--no-browser", action="store_true", help="print the web chat's address, open nothing"
    )
    demo.add_argument(
        "--database",
        type=Path,
        help="keep the demo database in this file (default: a temporary folder, removed at exit)",
    )

    roadmap = commands.add_parser("roadmap", help="roadmaps (дорожная карта) from Excel")
    roadmap_commands = roadmap.add_subparsers(dest="roadmap_command", required=True)
    roadmap_import = roadmap_commands.add_parser("import", help="import a roadmap workbook")
    roadmap_import.add_argument("file", type=Path, help="the roadmap workbook (.xlsx)")
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
    roadmap_template.add_argument(
        "--out", type=Path, required=True, help="the workbook's file name (.xlsx)"
    )
    roadmap_demo = roadmap_commands.add_parser(
        "demo", help="write the demo roadmap (seed 000) as a workbook"
    )
    roadmap_demo.add_argument(
        "--out", type=Path, required=True, help="the workbook's file name (.xlsx)"
    )
    roadmap_report = roadmap_commands.add_parser(
        "report", help="the execution report: every action, its status and evidence, to Excel"
    )
    roadmap_report.add_argument(
        "--year", type=int, required=True, help="the year whose points the report holds"
    )
    roadmap_report.add_argument(
        "--out", type=Path, required=True, help="the workbook's file name (.xlsx)"
    )
    roadmap_report.add_argument(
        "--municipality", action="append", default=[], help="only this municipality's part"
    )
    return parser


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
            return _backup(settings, args)
        if command == "template":
            from bot.registers.template import write_template

            check_output(args.file, suffix=".xlsx", example="template")
            write_template(args.kind, args.file, settings.default_locale)
            print(translate(settings.default_locale, "Template written to {path}", path=args.file))
            return 0
        if command == "roadmap":
            return _roadmap(settings, args)
        handler = _ASYNC_COMMANDS[command]
        return asyncio.run(_with_repo(settings, lambda repo: handler(repo, settings, args)))
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
    from bot.people.acting import DEFAULT_POSITION, MAX_POSITION, clean_position
    from bot.people.invitations import create_invitation, deep_link

    locale = settings.default_locale
    role = Role(args.role)
    school_ids: list[int] = []
    if args.school is not None or args.school_inn is not None:
        school = await _one_school(repo, locale, args.school, args.school_inn)
        if school is None:
            return EXIT_USAGE
        school_ids.append(school)
    try:
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
    position = None
    if role is Role.DEPUTY:
        position = clean_position(args.position or translate(locale, DEFAULT_POSITION))
        if position is None:
            print(
                translate(
                    locale,
                    N_("--position takes the deputy's position in words, up to {limit} characters"),
                    limit=MAX_POSITION,
                ),
                file=sys.stderr,
            )
            return EXIT_USAGE
    elif args.position is not None:
        print(translate(locale, N_("--position goes with --role deputy")), file=sys.stderr)
        return EXIT_USAGE
    try:
        code, invitation = await create_invitation(
            repo,
            role,
            school_ids,
            expires_days=args.expires_days,
            municipalities=territory,
            position=position,
        )
    except ValueError:
        print(
            translate(
                locale,
                N_(
                    "A principal's or a deputy's invitation needs --school ID, a curator's needs "
                    "--schools ID,ID, a coordinator's none; it may live from 1 to 365 days"
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
    if invitation.position:
        print(translate(locale, N_("Position: {position}"), position=invitation.position))
    return 0


async def _one_school(
    repo: Repo, locale: str, reference: str | None, inn: str | None
) -> int | None:
    """The id of the school ``--school`` (an id or a piece of its name) or ``--school-inn``
    names; None (after saying why: none, or which ones) when it is not exactly one."""
    from bot.registers.school_search import matching, school_line

    schools = await repo.schools.list()
    if inn is not None:
        found = [school for school in schools if school.inn == inn.strip()]
        asked = inn
    else:
        assert reference is not None
        by_id = [school for school in schools if reference.strip() == str(school.id)]
        found = by_id or matching(schools, reference)
        asked = reference
    if len(found) == 1:
        return found[0].id
    if not found:
        message = N_("No school matches «{text}»: `python -m bot schools --search …` finds it")
        print(translate(locale, message, text=asked), file=sys.stderr)
        return None
    message = N_("«{text}» matches {n} schools; give the id of one of them:")
    print(translate(locale, message, text=asked, n=len(found)), file=sys.stderr)
    for school in found[:20]:
        print(school_line(school, locale), file=sys.stderr)
    return None


async def _schools(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.registers.school_search import in_municipalities, matching, school_line

    locale = settings.default_locale
    if await _municipalities(repo, locale, args.municipality) is None:
        return EXIT_USAGE
    schools = in_municipalities(await repo.schools.list(), args.municipality)
    if args.search:
        schools = matching(schools, args.search)
    if not schools:
        print(
            translate(
                locale,
                N_("No schools found")
                if await repo.schools.count()
                else N_("The register of schools is empty: `python -m bot import schools FILE`"),
            )
        )
        return 0
    for school in schools:
        print(school_line(school, locale))
    print(translate_plural(locale, "{n} school", "{n} schools", len(schools)))
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
    locale = settings.default_locale
    check_output(args.out, suffix=".xlsx")
    territory = await _municipalities(repo, locale, args.municipality)
    if territory is None:
        return EXIT_USAGE
    if args.kind == "consultations":
        content = await _consultations_workbook(repo, settings, args.year, frozenset(territory))
        args.out.write_bytes(content)
        print(translate(locale, N_("Report written to {path}"), path=args.out))
        return 0
    from bot.indicators.workbook.export import export_submissions

    if not await _year_campaigns(repo, settings, args.year):
        years = sorted({campaign.year for campaign in await repo.submissions.campaigns()})
        message = N_("There were no campaigns in {year}; the database has reports for: {years}")
        shown = ", ".join(map(str, years)) or "—"
        print(translate(locale, message, year=args.year, years=shown), file=sys.stderr)
        return EXIT_USAGE
    content = await export_submissions(
        repo,
        _catalog(settings),
        args.year,
        settings.default_locale,
        settings.zone,
        municipalities=frozenset(territory),
    )
    args.out.write_bytes(content)
    print(translate(settings.default_locale, N_("Report written to {path}"), path=args.out))
    return 0


async def _consultations_workbook(
    repo: Repo, settings: Settings, year: int, territory: frozenset[str]
) -> bytes:
    """The coordinators' consultations report of ``year`` (every school, or those of
    ``territory``), as the chat's "Report to Excel" sends it."""
    from bot.consultations.report_data import consultation_report, report_workbook

    report, rows = await consultation_report(
        repo,
        settings,
        year,
        lambda school: not territory or in_municipalities(school.municipality, territory),
    )
    return await report_workbook(report, rows, settings.default_locale, settings.zone)


async def _close_campaign(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    locale = settings.default_locale
    await _year_campaigns(repo, settings, args.year)
    campaign = await repo.submissions.find_campaign(args.year, args.deadline)
    if campaign is None:
        message = N_("There is no campaign {deadline} in {year}: see the catalog's deadlines")
        print(translate(locale, message, deadline=args.deadline, year=args.year), file=sys.stderr)
        return EXIT_USAGE
    await repo.submissions.close_campaign(campaign.id)
    message = N_(
        "Campaign {deadline} of {year} is closed: the schools' principals and deputies can no "
        "longer change it"
    )
    print(translate(locale, message, deadline=args.deadline, year=args.year))
    return 0


async def _year_campaigns(repo: Repo, settings: Settings, year: int) -> bool:
    """Whether ``year`` has campaigns; this year's exist as soon as the catalog does (the
    bot creates them when it plans reminders; the command line may come first)."""
    from bot.indicators.form import campaign_deadlines

    if year == datetime.now(settings.zone).year:
        await repo.submissions.ensure_campaigns(year, campaign_deadlines(_catalog(settings), year))
    return bool(await repo.submissions.campaigns(year))


async def _demo_data(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.demo import load_demo_data

    demo = await load_demo_data(
        repo,
        catalog=_catalog(settings),
        today=datetime.now(settings.zone).date(),
        bot_username=await _bot_username(repo, settings),
    )
    print(demo.render(settings.default_locale))
    return 0


def _roadmap(settings: Settings, args: argparse.Namespace) -> int:
    """``roadmap import|template|demo``; only a real import opens the database."""
    from bot.calendar.roadmap.reading import dry_run_rows, read_roadmap
    from bot.calendar.roadmap.rendering import render_dry_run
    from bot.calendar.roadmap.sheet import RoadmapError
    from bot.calendar.roadmap.workbook import demo_roadmap, write_roadmap_xlsx, write_template

    locale = settings.default_locale
    today = datetime.now(settings.zone).date()
    if args.roadmap_command == "report":
        check_output(args.out, suffix=".xlsx", example="roadmap-report")
        return asyncio.run(_with_repo(settings, lambda repo: _roadmap_report(repo, settings, args)))
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
    return asyncio.run(_with_repo(settings, lambda repo: _import_roadmap(repo, settings, args)))


async def _import_roadmap(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.calendar.roadmap.reading import import_roadmap, read_roadmap
    from bot.calendar.roadmap.rendering import render_summary

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
    args.out.write_bytes(content)
    print(translate(locale, N_("Report written to {path}"), path=args.out))
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    """A checked copy of the live database; never onto the database itself, never over an
    existing file without ``--force``."""
    from storage.db import backup, check_file

    locale = settings.default_locale
    source, target = settings.database_path, args.path
    if not source.exists():
        message = N_("There is no database at {path} yet: nothing to back up")
        print(translate(locale, message, path=source), file=sys.stderr)
        return EXIT_FAILED
    check_file(source)
    journals = {source.with_name(source.name + end).resolve() for end in ("-wal", "-shm")}
    same = target.exists() and target.samefile(source)
    if same or target.resolve() in {source.resolve(), *journals}:
        message = N_("{path} is the live database (or its journal): give the copy another name")
        print(translate(locale, message, path=target), file=sys.stderr)
        return EXIT_USAGE
    check_output(target, overwrite=args.force, example="backup.sqlite3")
    size = backup(source, target)
    message = N_("Backup written to {path} ({size}); its integrity was checked")
    print(translate(locale, message, path=target, size=human_size(size, locale)))
    return 0


async def _assessment(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    """``assessment set-date`` and ``assessment dates``: each procedure's report date, said
    back as stored. A running bot picks a new date up within five minutes."""
    from bot.indicators.assessments import (
        DateRefused,
        due_with_weekday,
        procedure_key,
        procedure_reports,
        read_report_date,
        report_title,
    )

    locale = settings.default_locale
    catalog = _catalog(settings)
    reports = procedure_reports(catalog, await repo.submissions.campaigns(args.year), args.year)
    if args.assessment_command == "dates":
        for report in reports:
            when = (
                due_with_weekday(report.due, locale)
                if report.due
                else translate(locale, N_("no date set yet"))
            )
            title = report_title(locale, report.procedure, args.year)
            print(f"{report.procedure.code}\t{title}\t{when}")
        return 0
    codes = [report.procedure.code for report in reports]
    if args.procedure not in codes:
        print(
            translate(
                locale,
                N_("There is no procedure «{code}» in the catalog: {known}"),
                code=args.procedure,
                known=", ".join(codes) or "—",
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    key = procedure_key(args.procedure)
    campaign = await repo.submissions.find_campaign(args.year, key)
    if campaign is not None and campaign.closed_at:
        print(translate(locale, N_("This campaign is closed: no more changes.")), file=sys.stderr)
        return EXIT_FAILED
    today = datetime.now(settings.zone).date()
    try:
        due = read_report_date(args.date, args.year, today)
    except DateRefused as error:
        print(error.render(locale), file=sys.stderr)
        return EXIT_USAGE
    stored, before = await repo.assessments.set_due(args.year, key, due, None)
    assert stored.due_date is not None
    procedure = catalog.procedure(args.procedure)
    message = N_("«{title}» is due {date}.")
    if before is not None and before != stored.due_date:
        message = N_("«{title}» is due {date} (it was {before}).")
    print(
        translate(
            locale,
            message,
            title=report_title(locale, procedure, args.year),
            date=due_with_weekday(stored.due_date, locale),
            before=due_with_weekday(before, locale) if before else "",
        )
    )
    return 0


_ASYNC_COMMANDS = {
    "assessment": _assessment,
    "migrate": _migrate,
    "invite": _invite,
    "import": _import,
    "demo-data": _demo_data,
    "export": _export,
    "close-campaign": _close_campaign,
    "schools": _schools,
}
