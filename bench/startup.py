"""How long ``python -m bot`` takes from launch to its first getUpdates, against a bare
aiogram bot started the same way on the same sandbox in the same run.

    python -m bench.startup [--runs 5] [--json]

Goals: ready to poll in under 2 s on the project's 2-core machines (issue 2), at most
1.15 times the bare bot (issue 16); the administrator's commands that need no Telegram
(``schools``, ``invite``, ``backup``) done in under 1 s each.

With ``--json`` it prints one line instead, a JSON object: ``bare_s`` and ``ours_s`` (the
median seconds to the first getUpdates), ``ratio`` (ours over the bare bot's), ``runs``,
every run's times in ``bare_runs_s`` and ``ours_runs_s``, and ``admin_s``: the median
seconds of each admin command, start to exit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sandbox.client import SandboxClient
from sandbox.server import SandboxConfig, start_sandbox

TOKEN = "123456789:AAHbenchTOKENforSTARTUPonly_0123456789"

BARE_BOT = """
import asyncio, os
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
async def main():
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["BOT_API_BASE"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dp = Dispatcher()
    await dp.start_polling(bot)
asyncio.run(main())
"""


async def time_to_first_poll(
    command: list[str], env: dict[str, str], client: SandboxClient
) -> float:
    await client.reset()
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    try:
        deadline = started + 30
        while time.monotonic() < deadline:
            if await client.requests(method="getUpdates"):
                return time.monotonic() - started
            if process.returncode is not None:
                err = (await process.stderr.read()).decode() if process.stderr else ""
                raise RuntimeError(f"{command} exited: {err}")
            await asyncio.sleep(0.01)
        raise TimeoutError(f"{command} did not poll within 30 s")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


async def measure(runs: int) -> tuple[list[float], list[float]]:
    """Seconds to the first getUpdates of the bare bot and of ours, ``runs`` times each."""
    async with start_sandbox(config=SandboxConfig()) as sandbox:
        async with SandboxClient(sandbox.url) as client:
            with tempfile.TemporaryDirectory() as folder:
                env = dict(os.environ)
                env.update(
                    BOT_TOKEN=TOKEN,
                    BOT_API_BASE=sandbox.url,
                    DATABASE_PATH=str(Path(folder) / "bench.sqlite3"),
                    LOG_LEVEL="WARNING",
                )
                bare, ours = [], []
                for _ in range(runs):
                    bare.append(
                        await time_to_first_poll([sys.executable, "-c", BARE_BOT], env, client)
                    )
                    ours.append(
                        await time_to_first_poll([sys.executable, "-m", "bot"], env, client)
                    )
    return bare, ours


ADMIN_COMMANDS = {
    "schools": ["schools"],
    "invite": ["invite", "--role", "coordinator"],
    "backup": ["backup", "--force", "{folder}/copy.sqlite3"],
}


def measure_admin(runs: int) -> dict[str, float]:
    """Median seconds of each admin command, as a process, on the demo region's database."""
    import subprocess

    times: dict[str, list[float]] = {name: [] for name in ADMIN_COMMANDS}
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "BOT_API_BASE")}
        env["DATABASE_PATH"] = str(Path(folder) / "bench.sqlite3")
        subprocess.run(
            [sys.executable, "-m", "bot", "demo-data"], env=env, check=True, capture_output=True
        )
        for _ in range(runs):
            for name, argv in ADMIN_COMMANDS.items():
                command = [part.format(folder=folder) for part in argv]
                started = time.monotonic()
                subprocess.run(
                    [sys.executable, "-m", "bot", *command],
                    env=env,
                    check=True,
                    capture_output=True,
                )
                times[name].append(time.monotonic() - started)
    return {name: statistics.median(found) for name, found in times.items()}


def main(runs: int, as_json: bool) -> None:
    bare, ours = asyncio.run(measure(runs))
    bare_s, ours_s = statistics.median(bare), statistics.median(ours)
    admin = measure_admin(runs)
    if as_json:
        figures = {
            "ratio": round(ours_s / bare_s, 3),
            "bare_s": round(bare_s, 3),
            "ours_s": round(ours_s, 3),
            "runs": runs,
            "bare_runs_s": [round(t, 3) for t in bare],
            "ours_runs_s": [round(t, 3) for t in ours],
            "admin_s": {name: round(t, 3) for name, t in admin.items()},
        }
        print(json.dumps(figures))
        return
    print(f"bare aiogram bot: median {bare_s:.2f} s to first getUpdates")
    print(
        f"python -m bot:    median {ours_s:.2f} s to first getUpdates "
        f"({ours_s / bare_s:.2f}x the bare bot; goals < 2 s and at most 1.15x)"
    )
    for name, seconds in admin.items():
        print(f"python -m bot {name}: median {seconds:.2f} s (goal < 1 s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    main(args.runs, args.json)
