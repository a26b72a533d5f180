"""What the log says about reminders that came due while the bot was not running: nothing
for a fresh database, one line after real downtime."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.models import Role
from tests.harness import ShiftedClock, bot_under_test


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The reminder scheduler's records (APScheduler, running on real time, has its own
    opinion of the test's dates)."""
    return [r for r in caplog.records if r.name == "scheduler.reminders"]


async def test_missed_reminders_are_one_line_after_downtime_and_none_on_a_fresh_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler.reminders")
    # 09:00 in Moscow on 20 September 2026: the 14-day reminder of the 1 October campaign
    # was due on the 17th, before this database existed
    clock = ShiftedClock(datetime(2026, 9, 20, 6, 0, tzinfo=UTC))
    async with bot_under_test(tmp_path, clock=clock) as env:
        school = await env.add_school("Казанская СОШ")
        await env.register(Role.PRINCIPAL, [school])
        fresh = [r for r in ours(caplog) if r.levelno >= logging.WARNING]
        assert fresh == [], [r.getMessage() for r in fresh]
        assert any("job(s) planned" in r.getMessage() for r in caplog.records)

        await env.stop()
        caplog.clear()
        # the bot was down for ten days: the 3-day reminder (28 September) is too old now
        clock.jump(datetime(2026, 9, 30, 6, 0, tzinfo=UTC))
        await env.start()
        warnings = [r.getMessage() for r in ours(caplog) if r.levelno >= logging.WARNING]
        assert len(warnings) == 1, warnings
        assert "while the bot was not running" in warnings[0]
        assert "dropped as more than" in warnings[0]
        assert "deadline:2026:10-01:d3@10" in warnings[0]
