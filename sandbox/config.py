"""Settings of a sandbox server."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Methods that put a message into a chat and so count against Telegram's flood limits.
DEFAULT_LIMITED_METHODS: frozenset[str] = frozenset({"sendmessage", "sendphoto", "senddocument"})


@dataclass
class SandboxConfig:
    """How the sandbox behaves. Rates are messages per second; a rate of 0 turns that limit off.

    Telegram's documented limits are about 30 messages per second overall and about one message
    per second in a single chat (short bursts are tolerated, hence ``chat_burst``).
    """

    global_rate: float = 30.0
    global_burst: int = 30
    chat_rate: float = 1.0
    chat_burst: int = 3
    bot_username: str = "sandbox_bot"
    bot_first_name: str = "Sandbox Bot"
    #: Lower-cased Bot API method names that consume flood-limit tokens.
    limited_methods: frozenset[str] = field(default_factory=lambda: DEFAULT_LIMITED_METHODS)
    #: How many Bot API calls ``/sandbox/requests`` remembers (oldest are dropped first).
    request_log_limit: int = 100_000
    #: Largest upload accepted, like Telegram's 50 MB for bots.
    max_upload_bytes: int = 50 * 1024 * 1024
    #: Refuse a bare ``&`` in HTML. Telegram itself accepts it, so this is off by default.
    strict_html_ampersand: bool = False
