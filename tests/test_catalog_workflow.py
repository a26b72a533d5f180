"""The contributors' catalog workflow in the README (extract, then update) leaves the
catalogs exactly as they are when no text changed: a diff only where a message did."""

from __future__ import annotations

import difflib
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[list[str]]:
    """The ``pybabel`` commands of the README's "Developing" section, as written there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [shlex.split(line) for line in re.findall(r"^pybabel .+$", text, re.MULTILINE)]
    assert [command[1] for command in commands] == ["extract", "update"], commands
    return commands


def test_extracting_and_updating_the_catalogs_changes_nothing(tmp_path: Path) -> None:
    for folder in ("bot", "handlers", "storage", "scheduler"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    shutil.copytree(ROOT / "locales", tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    for command in readme_commands():
        done = subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", *command[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    for language in ("ru", "en"):
        relative = Path("locales") / language / "LC_MESSAGES" / "messages.po"
        before = (ROOT / relative).read_text(encoding="utf-8").splitlines()
        after = (tmp_path / relative).read_text(encoding="utf-8").splitlines()
        diff = list(difflib.unified_diff(before, after, "committed", "after", lineterm=""))
        assert diff == [], (
            f"{relative}: the README's commands change it; run them and translate what is "
            "new:\n" + "\n".join(diff[:40])
        )
