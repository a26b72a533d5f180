"""``python -m bot demo`` as a newcomer runs it: no token, no .env; one printed line with the
web chat's address; the page, the demo people and a round trip with the bot; Ctrl-C ends it
cleanly, leaving no process behind."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import aiohttp

from sandbox.client import SandboxClient


async def test_the_demo_starts_the_sandbox_and_the_bot_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BOT_TOKEN", "BOT_API_BASE", "DATABASE_PATH"}
    }
    database = tmp_path / "demo.sqlite3"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "demo",
        "--no-browser",
        "--port",
        "0",
        "--database",
        str(database),
        cwd=tmp_path,  # no .env here
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line
        assert line.startswith("Веб-чат с демонстрационным ботом")
        url = found.group(0).rstrip("/")
        async with (
            aiohttp.ClientSession() as session,
            SandboxClient(url, session=session) as client,
        ):
            page = await session.get(url + "/")
            assert page.status == 200 and "<html" in (await page.text()).lower()
            directory = await (await session.get(url + "/sandbox/directory")).json()
            names = [f"{p['last_name']} {p['first_name']}" for p in directory]
            assert "Костина Марина" in names and len(directory) == 14
            invited = [p for p in directory if "/start " in p["subtitle"]]
            assert len(invited) == 1, "one principal is left to join with her invitation"
            # a demo principal is already connected: /start shows her menu at once
            principal = next(
                p for p in directory if "руководитель ОО" in p["subtitle"] and p not in invited
            )
            await client.send_text(principal["user_id"], "/start")
            messages = await client.wait_for_messages(principal["user_id"], 1, timeout=20)
            assert "📝" in str(messages[-1].get("reply_markup")), messages[-1]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    # nothing of the demo is left running: its whole process group is gone
    await asyncio.sleep(0.2)
    try:
        os.killpg(process.pid, 0)
        left = True
    except ProcessLookupError:
        left = False
    assert not left, "a process of the demo outlived it"
    assert database.exists(), "--database keeps the demo database"
