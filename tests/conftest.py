"""Shared test plumbing.

Async tests are plain ``async def test_...`` functions: each runs in its own
event loop through ``asyncio.run`` with a hard time limit, so no plugin is needed
and no test can hang the suite.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from tests.command_line import SETTINGS

ASYNC_TEST_TIMEOUT = 60.0


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    func = pyfuncitem.obj
    if not inspect.iscoroutinefunction(func):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}

    async def guarded() -> None:
        await asyncio.wait_for(func(**kwargs), ASYNC_TEST_TIMEOUT)

    asyncio.run(guarded())
    return True


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment for the command line: no settings but DATABASE_PATH, which
    points at this file (not created), in a working folder of its own (no .env)."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data" / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    return path
