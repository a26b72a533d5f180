"""The command line's arguments: every command and option, each with its help."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from storage.models import Role


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
