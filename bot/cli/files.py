"""The files the command line writes (reports, templates, backups): every mistake in the
path is refused in one sentence before anything is written, and nothing that exists is
overwritten by surprise."""

from __future__ import annotations

import os
from pathlib import Path

from bot.i18n import N_, LocalizedError, format_number, translate


class OutputRefused(LocalizedError):
    """The output path cannot be written as given; nothing was written or changed."""


def check_output(
    path: Path, *, suffix: str | None = None, overwrite: bool = True, example: str = "report"
) -> Path:
    """``path`` if a file can be written there, else :class:`OutputRefused` saying why:
    a folder (``example``: a file name to suggest in it), a missing or unwritable folder, a
    wrong extension (``suffix``), an existing file when ``overwrite`` is false."""
    shown = str(path)
    if path.is_dir():
        raise OutputRefused(
            N_("{path} is a folder: give the name of a file in it, for example {example}"),
            path=shown,
            example=str(path / f"{example}{suffix or ''}"),
        )
    if suffix and path.suffix.lower() != suffix:
        raise OutputRefused(
            N_("The file name must end in {suffix}, for example {example}"),
            suffix=suffix,
            example=str(path.with_suffix(suffix) if path.suffix else Path(shown + suffix)),
        )
    folder = path.parent
    if not folder.is_dir():
        raise OutputRefused(
            N_("The folder {folder} does not exist: create it first or choose another one"),
            folder=str(folder),
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputRefused(
            N_("The folder {folder} is not writable: choose another one"), folder=str(folder)
        )
    if path.exists():
        if not overwrite:
            raise OutputRefused(
                N_("{path} already exists: choose another name or add --force to replace it"),
                path=shown,
            )
        if not os.access(path, os.W_OK):
            raise OutputRefused(N_("{path} exists and is read-only"), path=shown)
    return path


def human_size(size: int, locale: str) -> str:
    """1536 → "1,5 КБ" ("1.5 KB" in English)."""
    if size < 1024:
        return translate(locale, N_("{n} bytes"), n=size)
    if size < 1024 * 1024:
        return translate(locale, N_("{n} KB"), n=format_number(round(size / 1024, 1), locale))
    return translate(locale, N_("{n} MB"), n=format_number(round(size / 1024**2, 1), locale))
