"""Settings from the environment or a ``.env`` file.

A bad setting ends the process with exit code 2 and one sentence naming the
setting and how to fix it (see :func:`load_settings`), never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.i18n import N_, SUPPORTED_LOCALES, translate

TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class SettingsError(Exception):
    """A setting that stops the bot from starting, explained in one sentence."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def render(self, locale: str) -> str:
        return translate(locale, self.message, **self.params)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    bot_api_base: str = ""
    bot_username: str = ""
    database_path: Path = Path("data/bot.sqlite3")
    indicators_path: Path | None = None  # the program's own indicator catalog (TOML)
    timezone: str = "Europe/Moscow"
    default_locale: Literal["ru", "en"] = "ru"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # the per-person flood guard: a burst of this many updates, refilled at this rate per second
    flood_burst: int = Field(default=10, ge=1, le=1000)
    flood_rate: float = Field(default=2.0, gt=0, le=1000)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TOKEN_SHAPE.match(value.get_secret_value().strip()):
            raise ValueError("malformed token")
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("bot_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("not a URL")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError("unknown time zone") from error
        return value.strip()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def token(self) -> str:
        if self.bot_token is None:
            raise SettingsError(
                N_(
                    "BOT_TOKEN is not set: get a token from @BotFather and put it in the "
                    "environment or in the .env file as BOT_TOKEN=123456:ABC…"
                )
            )
        return self.bot_token.get_secret_value()


_EXPLANATIONS = {
    "bot_token": N_(
        "BOT_TOKEN is malformed: it should look like 123456789:AAH… exactly as @BotFather "
        "gave it; check the environment or the .env file"
    ),
    "bot_api_base": N_(
        "BOT_API_BASE is not a URL: leave it empty for Telegram or set it to the sandbox's "
        "address such as http://127.0.0.1:8081"
    ),
    "timezone": N_(
        "TIMEZONE {value} is not an IANA time zone name: use a name such as Europe/Moscow "
        "or Asia/Yakutsk"
    ),
    "default_locale": N_("DEFAULT_LOCALE {value} is not supported: use ru or en"),
}
_GENERIC = N_("{name} has a value the bot cannot use ({value}): check the environment or .env")


def load_settings() -> Settings:
    """Read the settings, turning validation errors into one clear sentence."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        value = "" if field == "bot_token" else str(first.get("input", ""))
        message = _EXPLANATIONS.get(field, _GENERIC)
        raise SettingsError(message, name=field.upper(), value=value) from None


def fallback_locale() -> str:
    """The locale for messages about settings, before the settings themselves are valid."""
    import os

    value = os.environ.get("DEFAULT_LOCALE", "ru").strip()
    return value if value in SUPPORTED_LOCALES else "ru"
