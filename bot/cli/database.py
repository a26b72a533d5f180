"""``migrate`` and ``backup``."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_FAILED, EXIT_USAGE
from bot.cli.files import check_output, human_size
from bot.i18n import N_, translate
from bot.settings import Settings
from storage.repo import Repo


async def migrate_command(repo: Repo, settings: Settings, args: argparse.Namespace) -> int:
    version = await repo.db.schema_version()
    print(translate(settings.default_locale, "Database schema version {version}", version=version))
    return 0


def backup_command(settings: Settings, args: argparse.Namespace) -> int:
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
