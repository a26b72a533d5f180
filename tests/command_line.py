"""The operator's command line, called in-process by the tests of ``python -m bot``."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.settings import Settings

#: every setting's environment name: a test of the command line starts without any of them
SETTINGS = [name.upper() for name in Settings.model_fields]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``python -m bot <argv>`` in this process: the exit code, stdout and stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err
