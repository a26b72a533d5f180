"""Telegram at start-up, as a real process: an unreachable Bot API is waited for (said once,
Ctrl-C stops it at once), and a token Telegram refuses ends in one sentence, exit code 2."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

from sandbox.client import SandboxClient
from sandbox.server import start_sandbox
from tests.harness import TOKEN, sandbox_config


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_bot(tmp_path: Path, api_base: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE": api_base,
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_an_unreachable_bot_api_is_waited_for_and_ctrl_c_stops_at_once(
    tmp_path: Path,
) -> None:
    process = await start_bot(tmp_path, f"http://127.0.0.1:{closed_port()}")
    assert process.stderr is not None
    seen = []
    try:
        while True:  # until the bot says, once, that it cannot reach Telegram
            line = (await asyncio.wait_for(process.stderr.readline(), 30)).decode()
            assert line, "the bot ended instead of waiting"
            seen.append(line)
            if "does not answer" in line:
                break
        await asyncio.sleep(3)  # a few more tries, said no more
    finally:
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        rest = (await asyncio.wait_for(process.communicate(), 10))[1].decode()
        stopped_in = time.monotonic() - started
    log = "".join(seen) + rest
    assert process.returncode == 0, log
    assert stopped_in < 5
    assert log.count("does not answer") == 1
    assert "Traceback" not in log


async def test_a_token_telegram_refuses_ends_in_one_sentence(tmp_path: Path) -> None:
    async with start_sandbox(config=sandbox_config()) as sandbox:
        async with SandboxClient(sandbox.url) as client:
            await client.fault("getMe", count=5, code=401)
            process = await start_bot(tmp_path, sandbox.url)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 2, log
    assert "Telegram не принимает BOT_TOKEN" in log
    assert "Traceback" not in log
    assert TOKEN.split(":")[1] not in log
