"""Building and running the sandbox server."""

from __future__ import annotations

from collections.abc import Generator
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from . import control, event_stream, webchat
from .bot_api import STATE_KEY, handle_file, handle_method
from .config import SandboxConfig
from .state import SandboxState

#: Room above the upload limit for the rest of a multipart body.
_BODY_MARGIN = 1024 * 1024


def create_app(
    config: SandboxConfig | None = None, state: SandboxState | None = None
) -> web.Application:
    """The sandbox as an aiohttp application.

    Run it with ``handler_cancellation=True`` (as :func:`start_sandbox` does) so that a long
    poll whose client went away, or an injected ``drop`` fault, ends at once.
    """
    state = state or SandboxState(config)
    app = web.Application(client_max_size=state.config.max_upload_bytes + _BODY_MARGIN)
    app[STATE_KEY] = state
    app.router.add_route("*", "/bot{token}/{method}", handle_method)
    app.router.add_get("/file/bot{token}/{path:.+}", handle_file)
    control.add_routes(app)
    event_stream.add_routes(app)
    webchat.add_routes(app)
    return app


class RunningSandbox:
    """A started sandbox: ``url`` for clients, ``state`` for in-process inspection."""

    def __init__(self, runner: web.AppRunner, state: SandboxState, url: str) -> None:
        self._runner = runner
        self.state = state
        self.url = url

    @property
    def config(self) -> SandboxConfig:
        return self.state.config

    async def close(self) -> None:
        """Release long polls and hangs, then stop the server."""
        self.state.close()
        await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


class StartingSandbox:
    """What :func:`start_sandbox` returns: await it, or use it with ``async with``."""

    def __init__(self, host: str, port: int, config: SandboxConfig | None) -> None:
        self._args = (host, port, config)
        self._sandbox: RunningSandbox | None = None

    def __await__(self) -> Generator[Any, None, RunningSandbox]:
        return _start(*self._args).__await__()

    async def __aenter__(self) -> RunningSandbox:
        self._sandbox = await _start(*self._args)
        return self._sandbox

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._sandbox is not None:
            await self._sandbox.close()


def start_sandbox(
    host: str = "127.0.0.1", port: int = 0, config: SandboxConfig | None = None
) -> StartingSandbox:
    """Start a sandbox on ``host:port`` (port 0 picks a free one).

    ``sandbox = await start_sandbox()`` returns the :class:`RunningSandbox` (close it with
    ``await sandbox.close()``); ``async with start_sandbox() as sandbox:`` closes it for you.
    """
    return StartingSandbox(host, port, config)


async def _start(host: str, port: int, config: SandboxConfig | None) -> RunningSandbox:
    state = SandboxState(config)
    app = create_app(state=state)
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_host, bound_port = runner.addresses[0][:2]
    return RunningSandbox(runner, state, f"http://{bound_host}:{bound_port}")


__all__ = ["RunningSandbox", "SandboxConfig", "StartingSandbox", "create_app", "start_sandbox"]
