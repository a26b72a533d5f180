"""A local stand-in for the Telegram Bot API, for end-to-end tests and benchmarks.

Start it with :func:`start_sandbox` (or ``python -m sandbox``), point aiogram at it with
``AiohttpSession(api=TelegramAPIServer.from_base(sandbox.url))``, and drive the users through
:class:`SandboxClient`.
"""

from .client import SandboxClient
from .config import SandboxConfig
from .server import RunningSandbox, create_app, start_sandbox
from .state import SandboxState

__all__ = [
    "RunningSandbox",
    "SandboxClient",
    "SandboxConfig",
    "SandboxState",
    "create_app",
    "start_sandbox",
]
