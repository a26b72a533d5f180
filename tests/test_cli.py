"""``python -m bot``: the operator's commands, in-process and as a real process."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest

from bot.people.invitations import CodeProblem, check_code
from storage.db import Database, latest_version
from storage.repo import Repo
from storage.schools import SchoolData
from tests.command_line import SETTINGS, run

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAHsecretTOKENvalue_for_tests-0123456789"


async def _with_repo(path: Path, action: Callable[[Repo], Awaitable[T]]) -> T:
    db = await Database.open(path)
    try:
        await db.migrate()
        return await action(Repo(db))
    finally:
        await db.close()


def with_repo(path: Path, action: Callable[[Repo], Awaitable[T]]) -> T:
    return asyncio.run(_with_repo(path, action))


def add_schools(path: Path, *names: str) -> list[int]:
    async def action(repo: Repo) -> list[int]:
        ids = []
        for name in names:
            school, _ = await repo.schools.upsert(SchoolData(name, "Ливенский район"))
            ids.append(school.id)
        return ids

    return with_repo(path, action)


def invitation_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM invitations").fetchone()[0]
    finally:
        conn.close()


def printed_code(out: str) -> str:
    found = re.search(r"^(?:Код приглашения|Invitation code): (\S+)$", out, re.MULTILINE)
    assert found, out
    return found.group(1)


# --- starting the bot with a bad token, as a real process ------------------------------


def test_run_without_a_usable_token_exits_2_with_one_line_and_no_traceback(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
    env["DATABASE_PATH"] = str(tmp_path / "bot.sqlite3")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    cases = {
        "missing": {},
        "malformed": {"BOT_TOKEN": "12345:not-a-token", "DEFAULT_LOCALE": "en"},
    }
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env={**env, **extra},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, extra in cases.items()
    }
    errors = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=30)
        assert process.returncode == 2, (name, out, err)
        assert "Traceback" not in err and out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1, (name, err)
        assert "BOT_TOKEN" in lines[0]
        errors[name] = lines[0]
    assert "не задан" in errors["missing"]  # Russian by default
    assert "malformed" in errors["malformed"]
    assert "not-a-token" not in errors["malformed"]
    assert not (tmp_path / "bot.sqlite3").exists()


def test_run_without_a_token_in_process(
    db_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(["run"], capsys)
    assert code == 2 and out == ""
    assert "BOT_TOKEN" in err and "не задан" in err
    monkeypatch.setenv("BOT_TOKEN", "12345:not-a-token")
    code, out, err = run(["run"], capsys)
    assert code == 2 and out == ""
    assert "BOT_TOKEN" in err and "записан неверно" in err and "not-a-token" not in err
    assert not db_path.exists()


def test_a_bad_setting_stops_every_command_with_code_2(
    db_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMEZONE", "Europe/Moskow")
    code, out, err = run(["migrate"], capsys)
    assert code == 2 and out == ""
    assert "TIMEZONE" in err and "Europe/Moskow" in err
    assert not db_path.exists()


# --- invitations ---------------------------------------------------------------------


def test_invite_a_coordinator_prints_a_working_code_and_a_link(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    zone = ZoneInfo("Europe/Moscow")
    before = datetime.now(zone) + timedelta(days=14)
    code, out, err = run(["invite", "--role", "coordinator"], capsys)
    after = datetime.now(zone) + timedelta(days=14)
    assert (code, err) == (0, "")
    invitation_code = printed_code(out)
    assert f"Ссылка: /start {invitation_code}" in out
    valid = {moment.strftime("%d.%m.%Y %H:%M") for moment in (before, after)}
    assert any(f"Действует до {date} (Europe/Moscow)" in out for date in valid), out

    check = with_repo(db_path, lambda repo: check_code(repo, invitation_code))
    assert check.ok and check.invitation is not None
    assert check.invitation.role == "coordinator" and check.invitation.school_ids == ()


def test_invite_links_to_the_bot_by_username_and_speaks_english(
    db_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "school_support_bot")
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    monkeypatch.setenv("TIMEZONE", "Asia/Yakutsk")
    code, out, err = run(["invite", "--role", "coordinator", "--expires-days", "3"], capsys)
    assert (code, err) == (0, "")
    invitation_code = printed_code(out)
    assert f"Link: https://t.me/school_support_bot?start={invitation_code}" in out
    assert "(Asia/Yakutsk)" in out and "Valid until" in out
    assert not re.search("[А-Яа-яЁё]", out)


def test_invite_a_principal_without_a_school_exits_2(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code, out, err = run(["invite", "--role", "principal"], capsys)
    assert code == 2 and out == ""
    assert "--school" in err
    assert invitation_count(db_path) == 0


def test_invite_with_an_unknown_school_exits_2(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    add_schools(db_path, "МБОУ СОШ №1")
    code, out, err = run(["invite", "--role", "curator", "--schools", "1,42"], capsys)
    assert code == 2 and out == ""
    assert "42" in err and "Нет школы" in err
    assert invitation_count(db_path) == 0


def test_invite_a_curator_for_two_schools(db_path: Path, capsys: pytest.CaptureFixture) -> None:
    first, second = add_schools(db_path, "МБОУ СОШ №1", "МБОУ СОШ №2")
    code, out, err = run(["invite", "--role", "curator", "--schools", f"{first},{second}"], capsys)
    assert (code, err) == (0, "")
    check = with_repo(db_path, lambda repo: check_code(repo, printed_code(out)))
    assert check.ok and check.invitation is not None
    assert set(check.invitation.school_ids) == {first, second}

    code, out, _ = run(["invite", "--role", "principal", "--school", str(second)], capsys)
    assert code == 0
    check = with_repo(db_path, lambda repo: check_code(repo, printed_code(out)))
    assert check.invitation is not None and check.invitation.school_ids == (second,)
    assert check.problem is not CodeProblem.UNKNOWN


def test_invite_a_deputy_with_the_usual_or_a_given_position(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    (school,) = add_schools(db_path, "МБОУ СОШ №1")
    code, out, err = run(["invite", "--role", "deputy", "--school", str(school)], capsys)
    assert (code, err) == (0, "")
    assert "Должность: заместитель директора по УВР" in out
    check = with_repo(db_path, lambda repo: check_code(repo, printed_code(out)))
    assert check.invitation is not None and check.invitation.role == "deputy"
    assert check.invitation.school_ids == (school,)
    given = ["invite", "--role", "deputy", "--school", str(school), "--position", "Зам. по ВР"]
    code, out, err = run(given, capsys)
    assert (code, err) == (0, "") and "Должность: зам. по ВР" in out
    # a position is a deputy's only
    code, out, err = run(
        ["invite", "--role", "principal", "--school", "1", "--position", "x"], capsys
    )
    assert code == 2 and out == "" and "--role deputy" in err
    assert invitation_count(db_path) == 2


def test_a_malformed_school_list_is_refused_on_stderr(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code, out, err = run(["invite", "--role", "curator", "--schools", "1,x"], capsys)
    assert code == 2
    assert "--schools" in err and out == ""


# --- migrate and backup --------------------------------------------------------------


def test_migrate_prints_the_schema_version(db_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = run(["migrate"], capsys)
    assert (code, err) == (0, "")
    assert out.strip() == f"Версия схемы базы данных: {latest_version()}"
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    finally:
        conn.close()


def test_migrate_speaks_english_when_asked(
    db_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    code, out, _ = run(["migrate"], capsys)
    assert code == 0
    assert out.strip() == f"Database schema version {latest_version()}"


def test_backup_writes_a_usable_copy(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    add_schools(db_path, "МБОУ СОШ №1", "МБОУ «Казанская СОШ»")
    target = tmp_path / "backups" / "copy.sqlite3"
    target.parent.mkdir()
    code, out, err = run(["backup", str(target)], capsys)
    assert (code, err) == (0, "")
    assert str(target) in out and "Резервная копия" in out and "целостность проверена" in out
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [row[0] for row in conn.execute("SELECT name FROM schools ORDER BY id")]
        assert names == ["МБОУ СОШ №1", "МБОУ «Казанская СОШ»"]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    finally:
        conn.close()


def test_backup_without_a_database_exits_1_and_says_so(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "copy.sqlite3"
    code, out, err = run(["backup", str(target)], capsys)
    assert code == 1 and out == ""
    assert str(db_path) in err and "копировать нечего" in err
    assert not target.exists() and not db_path.exists()

    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    code, _, err = run(["backup", str(target)], capsys)
    assert code == 1 and "nothing to back up" in err


def test_indicators_export_import_round_trip_and_campaign_closing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.indicators.catalog import load_catalog
    from bot.indicators.form import campaign_deadlines

    (school,) = add_schools(db_path, "МБОУ «Казанская СОШ»")

    async def fill(repo: Repo) -> None:
        campaigns = await repo.submissions.ensure_campaigns(
            2025, campaign_deadlines(load_catalog(), 2025)
        )
        may = next(c for c in campaigns if c.deadline_key == "05-01")
        submission = await repo.submissions.open(may.id, school, None)
        value = {"url": "https://school.ru/acts"}
        await repo.submissions.save_answer(submission.id, "local_acts", value, None, None)
        await repo.submissions.submit(submission.id, None, None, late=False)

    with_repo(db_path, fill)
    out_file = tmp_path / "reports" / "indicators-2025.xlsx"
    out_file.parent.mkdir()
    code, out, _ = run(["export", "submissions", "--year", "2025", "--out", str(out_file)], capsys)
    assert code == 0 and out_file.exists()
    assert str(out_file) in out

    fresh = tmp_path / "fresh" / "bot.sqlite3"
    os.environ["DATABASE_PATH"] = str(fresh)
    add_schools(fresh, "МБОУ «Казанская СОШ»")
    code, out, err = run(["import", "submissions", str(out_file)], capsys)
    assert code == 0, err

    async def answers(repo: Repo) -> dict:
        campaign = await repo.submissions.find_campaign(2025, "05-01")
        assert campaign is not None
        submission = await repo.submissions.get(campaign.id, 1)
        assert submission is not None and submission.status == "submitted"
        return await repo.submissions.answers(submission.id)

    assert with_repo(fresh, answers) == {"local_acts": {"url": "https://school.ru/acts"}}

    code, out, _ = run(["close-campaign", "--year", "2025", "--deadline", "05-01"], capsys)
    assert code == 0 and "закрыт" in out
    code, _, err = run(["close-campaign", "--year", "2025", "--deadline", "07-07"], capsys)
    assert code == 2 and "07-07" in err
