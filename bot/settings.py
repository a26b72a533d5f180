"""Settings from the environment or a ``.env`` file.

A bad setting ends the process with exit code 2 and one sentence naming the
setting and how to fix it (see :func:`load_settings`), never a traceback.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.i18n import N_, SUPPORTED_LOCALES, LocalizedError

TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class SettingsError(LocalizedError):
    """A setting that stops the bot from starting, explained in one sentence."""


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
    # reminders: days before an indicator deadline (0: on the day), at this local hour
    reminder_days: str = "14,7,3,1,0"
    reminder_hour: int = Field(default=10, ge=0, le=23)
    # roadmap actions: a reminder this many days before a period starts and before it ends
    event_reminder_days: int = Field(default=3, ge=0, le=60)
    # nothing bulk is sent between these local times ("21:00-09:00"; empty: no quiet hours)
    quiet_hours: str = "21:00-09:00"
    # after downtime, jobs missed by at most this many hours still run; older ones are dropped
    reminder_grace_hours: int = Field(default=12, ge=0, le=24 * 14)
    # announcements: those who said they will come are reminded this many hours before
    announcement_reminder_hours: str = "24,1"

    @field_validator("bot_token")
    @classmethod
    def _token_stripped(cls, value: SecretStr | None) -> SecretStr | None:
        """Its shape is checked by :meth:`token`: only talking to Telegram needs it, so the
        administrator's commands work with a token that is missing or mistyped."""
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

    @field_validator("reminder_days")
    @classmethod
    def _reminder_days(cls, value: str) -> str:
        parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if not parts or not all(part.isdigit() and int(part) <= 120 for part in parts):
            raise ValueError("not a list of days")
        return ",".join(str(day) for day in sorted({int(part) for part in parts}, reverse=True))

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        value = value.strip()
        if value and _parse_quiet_hours(value) is None:
            raise ValueError("not a time range")
        return value

    @field_validator("announcement_reminder_hours")
    @classmethod
    def _announcement_reminder_hours(cls, value: str) -> str:
        parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() and 1 <= int(part) <= 24 * 14 for part in parts):
            raise ValueError("not a list of hours")
        return ",".join(str(hours) for hours in sorted({int(part) for part in parts}, reverse=True))

    @property
    def announcement_reminders(self) -> tuple[int, ...]:
        """Hours before an announced event its reminders go, largest first (none: empty)."""
        return tuple(int(part) for part in self.announcement_reminder_hours.split(",") if part)

    @property
    def reminder_offsets(self) -> tuple[int, ...]:
        """Days before a deadline a reminder is due, largest first (0: on the day)."""
        return tuple(int(part) for part in self.reminder_days.split(","))

    @property
    def quiet(self) -> tuple[time, time] | None:
        """Quiet hours as (start, end) local times, or None when there are none."""
        return _parse_quiet_hours(self.quiet_hours) if self.quiet_hours else None

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
        token = self.bot_token.get_secret_value()
        if not TOKEN_SHAPE.match(token):
            raise SettingsError(_EXPLANATIONS["bot_token"], name="BOT_TOKEN", value="")
        return token


_QUIET = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–—]\s*(\d{1,2})(?::(\d{2}))?\s*$")


def _parse_quiet_hours(value: str) -> tuple[time, time] | None:
    match = _QUIET.match(value)
    if match is None:
        return None
    hour1, minute1, hour2, minute2 = (int(part or 0) for part in match.groups())
    if hour1 > 23 or hour2 > 23 or minute1 > 59 or minute2 > 59:
        return None
    start, end = time(hour1, minute1), time(hour2, minute2)
    return None if start == end else (start, end)


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
    "reminder_days": N_(
        "REMINDER_DAYS {value} is not a list of days: write days before a deadline "
        "separated by commas, such as 14,7,3,1,0"
    ),
    "announcement_reminder_hours": N_(
        "ANNOUNCEMENT_REMINDER_HOURS {value} is not a list of hours: write hours before an "
        "announced event separated by commas, such as 24,1 (empty: no reminders)"
    ),
    "quiet_hours": N_(
        "QUIET_HOURS {value} is not a time range: write it like 21:00-09:00, or leave it "
        "empty for no quiet hours"
    ),
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

    from dotenv import dotenv_values  # what pydantic-settings reads .env with

    value = os.environ.get("DEFAULT_LOCALE")
    if value is None and Path(".env").is_file():
        value = dotenv_values(".env").get("DEFAULT_LOCALE")
    value = (value or "ru").strip().lower()
    return value if value in SUPPORTED_LOCALES else "ru"
