"""Settings: what an operator sees when a setting is missing or wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings

TOKEN = "123456789:AAHsecretTOKENvalue_for_tests-0123456789"
NAMES = [
    "BOT_TOKEN",
    "BOT_API_BASE",
    "BOT_USERNAME",
    "DATABASE_PATH",
    "TIMEZONE",
    "DEFAULT_LOCALE",
    "LOG_LEVEL",
    "FLOOD_BURST",
    "FLOOD_RATE",
]


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.chdir(tmp_path)


def settings_error(monkeypatch: pytest.MonkeyPatch, **env: str) -> SettingsError:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return caught.value


def test_defaults_without_any_setting() -> None:
    settings = load_settings()
    assert settings.default_locale == "ru"
    assert settings.timezone == "Europe/Moscow"
    assert settings.zone.key == "Europe/Moscow"
    assert settings.bot_api_base == ""


def test_a_missing_token_is_named_in_both_languages() -> None:
    settings = load_settings()
    with pytest.raises(SettingsError) as caught:
        settings.token()
    ru = caught.value.render("ru")
    en = caught.value.render("en")
    assert "BOT_TOKEN" in ru and "BOT_TOKEN" in en
    assert "@BotFather" in ru and "@BotFather" in en
    assert ru != en and "не задан" in ru and "not set" in en
    assert "\n" not in ru and "\n" not in en


@pytest.mark.parametrize(
    "value",
    ["abc", "123:short", "123456789 AAHsecretTOKENvalue_for_tests-0123456789", TOKEN + "!"],
)
def test_a_malformed_token_is_refused_when_telegram_is_needed_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", value)
    settings = load_settings()  # the administrator's commands need no token
    with pytest.raises(SettingsError) as caught:
        settings.token()  # talking to Telegram does
    error = caught.value
    for locale in ("ru", "en"):
        text = error.render(locale)
        assert "BOT_TOKEN" in text
        assert value not in text and "AAHsecret" not in text
    # nor anywhere a log line or a traceback could print it
    assert value not in repr(error) and value not in str(error)
    assert all(value not in str(param) for param in error.params.values())
    assert "malformed" in error.render("en")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Mars/Olympus_Mons"),
        ("TIMEZONE", "Europe/Moskow"),
        ("DEFAULT_LOCALE", "de"),
        ("BOT_API_BASE", "localhost:8081"),
        ("BOT_API_BASE", "ftp://127.0.0.1"),
        ("FLOOD_BURST", "0"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_setting_is_named_with_its_value(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    error = settings_error(monkeypatch, BOT_TOKEN=TOKEN, **{name: value})
    for locale in ("ru", "en"):
        text = error.render(locale)
        assert name in text
        if name != "BOT_API_BASE":
            assert value in text
        assert TOKEN not in text and "\n" not in text
    assert error.render("ru") != error.render("en")


def test_good_values_are_tidied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", f"  {TOKEN} ")
    monkeypatch.setenv("BOT_API_BASE", "http://127.0.0.1:8081/")
    monkeypatch.setenv("TIMEZONE", " Asia/Yakutsk ")
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    settings = load_settings()
    assert settings.token() == TOKEN
    assert settings.bot_api_base == "http://127.0.0.1:8081"
    assert settings.zone.key == "Asia/Yakutsk"
    assert settings.default_locale == "en"


def test_the_token_never_appears_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.token() == TOKEN
    for shown in (repr(settings), str(settings), repr(settings.model_dump())):
        assert TOKEN not in shown and "AAHsecret" not in shown


def test_a_dotenv_file_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"BOT_TOKEN={TOKEN}\nTIMEZONE=Asia/Yakutsk\nDEFAULT_LOCALE=en\n"
        f"DATABASE_PATH={tmp_path / 'db' / 'bot.sqlite3'}\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.token() == TOKEN
    assert settings.timezone == "Asia/Yakutsk"
    assert settings.default_locale == "en"
    assert settings.database_path == tmp_path / "db" / "bot.sqlite3"


def test_the_environment_overrides_the_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("TIMEZONE=Asia/Yakutsk\n", encoding="utf-8")
    monkeypatch.setenv("TIMEZONE", "Europe/Samara")
    assert load_settings().timezone == "Europe/Samara"


def test_a_bad_value_in_the_dotenv_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEFAULT_LOCALE=fr\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "DEFAULT_LOCALE" in caught.value.render("en") and "fr" in caught.value.render("en")


def test_settings_can_be_built_directly_without_reading_files(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEFAULT_LOCALE=en\n", encoding="utf-8")
    settings = Settings(_env_file=None, bot_token=TOKEN)  # type: ignore[call-arg]
    assert settings.default_locale == "ru"
    assert settings.token() == TOKEN
