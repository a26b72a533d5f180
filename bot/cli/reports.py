"""Reports and campaigns: ``export`` (indicators, consultations), ``close-campaign``,
``assessment`` (the assessment procedures' dates)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.cli.common import EXIT_FAILED, EXIT_USAGE, catalog_of, find_municipalities, year_campaigns
from bot.cli.files import check_output
from bot.i18n import N_, translate
from bot.settings import Settings
from storage.models import in_municipalities
from storage.repo import Repo


async def export_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    locale = settings.default_locale
    check_output(args.out, suffix=".xlsx")
    territory = await find_municipalities(repo, locale, args.municipality)
    if territory is None:
        return EXIT_USAGE
    if args.kind == "consultations":
        content = await _consultations_workbook(repo, settings, args.year, frozenset(territory))
        args.out.write_bytes(content)
        print(translate(locale, N_("Report written to {path}"), path=args.out))
        return 0
    from bot.indicators.workbook.export import export_submissions

    if not await year_campaigns(repo, settings, args.year):
        years = sorted({campaign.year for campaign in await repo.submissions.campaigns()})
        message = N_("There were no campaigns in {year}; the database has reports for: {years}")
        shown = ", ".join(map(str, years)) or "—"
        print(translate(locale, message, year=args.year, years=shown), file=sys.stderr)
        return EXIT_USAGE
    content = await export_submissions(
        repo,
        catalog_of(settings),
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


async def close_campaign_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    locale = settings.default_locale
    await year_campaigns(repo, settings, args.year)
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


async def assessment_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
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
    catalog = catalog_of(settings)
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
