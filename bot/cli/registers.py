"""The registers: ``schools``, ``invite``, ``import`` (schools, people, submissions),
``demo-data``."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.cli.common import EXIT_FAILED, EXIT_USAGE, bot_username, catalog_of, find_municipalities
from bot.clock import from_db
from bot.i18n import N_, translate, translate_plural
from bot.settings import Settings
from storage.models import Role, in_municipalities
from storage.repo import Repo


async def invite_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
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
    territory = await find_municipalities(repo, locale, args.municipality)
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
            link=deep_link(code, await bot_username(repo, settings)),
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

    if inn is not None:
        found = [school for school in await repo.schools.list() if school.inn == inn.strip()]
        asked = inn
    else:
        assert reference is not None
        # an id, an INN or a whole name first (as the registers read them), then a piece
        found = await repo.schools.find_by_reference(reference)
        found = found or matching(await repo.schools.list(), reference)
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


async def schools_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.registers.school_search import matching, school_line

    locale = settings.default_locale
    wanted = await find_municipalities(repo, locale, args.municipality)
    if wanted is None:
        return EXIT_USAGE
    schools = [
        school
        for school in await repo.schools.list()
        if not wanted or in_municipalities(school.municipality, set(wanted))
    ]
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


async def import_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
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
                bot_username=await bot_username(repo, settings),
                dry_run=args.dry_run,
            )
    except RegisterError as error:
        print(error.render(locale), file=sys.stderr)
        return EXIT_FAILED
    print(report.render(locale))
    return 0


async def _import_submissions(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.indicators.workbook.reading import SubmissionImportError, import_submissions

    try:
        report = await import_submissions(
            repo, catalog_of(settings), args.file, dry_run=args.dry_run
        )
    except SubmissionImportError as error:
        print(error.render(settings.default_locale), file=sys.stderr)
        return EXIT_FAILED
    print(report.render(settings.default_locale))
    return 0


async def demo_data_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    from bot.demo import load_demo_data

    demo = await load_demo_data(
        repo,
        catalog=catalog_of(settings),
        today=datetime.now(settings.zone).date(),
        bot_username=await bot_username(repo, settings),
    )
    print(demo.render(settings.default_locale))
    return 0
