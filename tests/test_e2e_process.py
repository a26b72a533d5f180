"""``python -m bot`` as a real process against the sandbox: start-up, a reply, a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from sandbox.client import SandboxClient
from sandbox.server import start_sandbox
from tests.harness import TOKEN, sandbox_config


async def test_the_bot_process_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    async with start_sandbox(config=sandbox_config()) as sandbox:
        async with SandboxClient(sandbox.url) as client:
            env = {
                **os.environ,
                "BOT_TOKEN": TOKEN,
                "BOT_API_BASE": sandbox.url,
                "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
                "PYTHONWARNINGS": "default",
            }
            env.pop("PYTHONASYNCIODEBUG", None)  # any value at all turns asyncio's debug on
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=tmp_path,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                await client.wait_for(lambda: client.requests(method="getUpdates"), timeout=60)
                await client.send_text(4242, "/start")
                messages = await client.wait_for_messages(4242, 1, timeout=10)
                assert "приглашени" in messages[0]["text"]
                registered = await client.requests(method="setMyCommands")
                assert registered, "start-up registers the command lists"
                assert all(r["status"] == 200 for r in registered)
            finally:
                process.send_signal(signal.SIGTERM)
                _, stderr = await asyncio.wait_for(process.communicate(), 20)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert "Task was destroyed but it is pending" not in log
    assert "Unclosed" not in log
    assert TOKEN.split(":")[1] not in log, "the token is never logged"
    assert (tmp_path / "bot.sqlite3").exists()
    # a few lines a person can read: who, where, which schema and zone, what was planned
    lines = log.splitlines()
    polling = next(i for i, line in enumerate(lines) if "Start polling" in line)
    assert polling <= 4, log
    assert "schema version" in log and "time zone Europe/Moscow" in log, log
    assert "job(s) planned" in log and "@school_support_test_bot" in log, log
    assert "apscheduler" not in log, "APScheduler's line per job is for DEBUG"
    assert "missed" not in log and "dropped" not in log, "a fresh database missed nothing"
