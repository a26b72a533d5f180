"""``python -m sandbox``: run the sandbox until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from .config import SandboxConfig
from .server import start_sandbox


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = SandboxConfig()
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="A local stand-in for the Telegram Bot API."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--bot-username", default=defaults.bot_username)
    parser.add_argument("--global-rate", type=float, default=defaults.global_rate)
    parser.add_argument("--global-burst", type=int, default=defaults.global_burst)
    parser.add_argument("--chat-rate", type=float, default=defaults.chat_rate)
    parser.add_argument("--chat-burst", type=int, default=defaults.chat_burst)
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    config = SandboxConfig(
        global_rate=args.global_rate,
        global_burst=args.global_burst,
        chat_rate=args.chat_rate,
        chat_burst=args.chat_burst,
        bot_username=args.bot_username,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    sandbox = await start_sandbox(args.host, args.port, config)
    print(f"Telegram Bot API sandbox listening on {sandbox.url}", flush=True)
    print(f"Web chat (a local stand-in for Telegram): {sandbox.url}/", flush=True)
    try:
        await stop.wait()
    finally:
        await sandbox.close()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
