"""An administrator's everyday mistakes on the command line: each one is a sentence and
exit code 2, nothing existing is changed; schools are findable; backups are safe."""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import build_parser
from storage.db import latest_version
from tests.command_line import SETTINGS, run
from tests.test_cli import add_schools, invitation_count, printed_code, with_repo

ROOT = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


# --- output paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "submissions", "--year", "{year}", "--out", "{out}"],
        ["template", "schools", "{out}"],
        ["roadmap", "template", "--out", "{out}"],
    ],
    ids=["export", "template", "roadmap-template"],
)
def test_an_output_path_mistake_is_one_sentence_and_exit_2(
    argv: list[str], db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    year = str(datetime.now().year)
    folder = tmp_path / "reports"
    folder.mkdir()
    existing = tmp_path / "notes.txt"
    existing.write_text("мои заметки")
    cases = {
        str(folder): "это папка",
        str(tmp_path / "missing" / "r.xlsx"): "Папки",
        str(existing): ".xlsx",
        str(tmp_path / "report.csv"): "report.xlsx",
    }
    for out, said in cases.items():
        code, printed, err = run([part.format(year=year, out=out) for part in argv], capsys)
        assert (code, printed) == (2, ""), (out, printed, err)
        no_traceback(err)
        assert said in err, (out, err)
    assert existing.read_text() == "мои заметки"
    assert not (tmp_path / "missing").exists() and list(folder.iterdir()) == []


def test_export_of_a_year_without_campaigns_says_so(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    add_schools(db_path, "Казанская СОШ")
    out = tmp_path / "r.xlsx"
    code, printed, err = run(["export", "submissions", "--year", "2019", "--out", str(out)], capsys)
    assert (code, printed) == (2, "")
    no_traceback(err)
    assert "В 2019 году сборов показателей не было" in err
    assert not out.exists()
    this_year = str(datetime.now().year)
    code, _, err = run(["export", "submissions", "--year", this_year, "--out", str(out)], capsys)
    assert (code, err) == (0, "") and out.exists()


def test_close_campaign_works_before_the_bot_ever_ran(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    year = str(datetime.now().year)
    code, out, err = run(["close-campaign", "--year", year, "--deadline", "10-01"], capsys)
    assert (code, err) == (0, "")
    assert "закрыт" in out


# --- database paths -------------------------------------------------------------------


def test_an_unusable_database_is_refused_and_left_as_it_was(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"SQLite? no, a letter to the ministry" * 100)
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    conn.commit()
    conn.close()
    cases = {
        tmp_path: "это папка",
        corrupt: "не база данных SQLite",
        foreign: "другой программы",
        newer: "более новой версией",
    }
    for path, said in cases.items():
        before = None if path.is_dir() else digest(path)
        monkeypatch.setenv("DATABASE_PATH", str(path))
        for argv in (["migrate"], ["schools"], ["invite", "--role", "coordinator"]):
            code, out, err = run(argv, capsys)
            assert (code, out) == (2, ""), (path, argv, out)
            no_traceback(err)
            assert said in err, (path, err)
        if before is not None:
            assert digest(path) == before


# --- backup -----------------------------------------------------------------------------


def test_backup_never_writes_onto_the_database_or_over_a_file_without_force(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    add_schools(db_path, "Казанская СОШ")
    before = digest(db_path)
    for target in (db_path, tmp_path / "data" / ".." / "data" / "bot.sqlite3"):
        code, out, err = run(["backup", str(target), "--force"], capsys)
        assert (code, out) == (2, "")
        no_traceback(err)
        assert "рабочая база данных" in err
    assert digest(db_path) == before

    copy = tmp_path / "copy.sqlite3"
    copy.write_text("вчерашняя копия")
    code, out, err = run(["backup", str(copy)], capsys)
    assert (code, out) == (2, "") and "--force" in err
    assert copy.read_text() == "вчерашняя копия"

    code, out, err = run(["backup", str(copy), "--force"], capsys)
    assert (code, err) == (0, "")
    assert "целостность проверена" in out and "КБ" in out
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT name FROM schools").fetchall() == [("Казанская СОШ",)]
    finally:
        conn.close()
    assert not (tmp_path / "copy.sqlite3.part").exists()


# --- finding schools --------------------------------------------------------------------


def test_schools_are_listed_filtered_and_named_for_invitations(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from storage.schools import SchoolData

    async def fill(repo):  # type: ignore[no-untyped-def]
        ids = []
        for data in (
            SchoolData("МБОУ «Казанская СОШ»", "Ливенский район", inn="5715018478", is_shnor=True),
            SchoolData("МБОУ «Сосновская СОШ»", "Ливенский район", is_shssu=True),
            SchoolData("МБОУ СОШ № 2", "город Ливны", short_name="СОШ № 2"),
        ):
            school, _ = await repo.schools.upsert(data)
            ids.append(school.id)
        return ids

    kazan, sosnovka, second = with_repo(db_path, fill)
    code, out, err = run(["schools"], capsys)
    assert (code, err) == (0, "")
    lines = out.strip().splitlines()
    assert lines[-1] == "3 школы"
    kazan_line = next(line for line in lines if "Казанская" in line)
    assert kazan_line.split()[0] == str(kazan)
    assert "Ливенский район" in kazan_line and "ШНОР" in kazan_line and "5715018478" in kazan_line

    code, out, _ = run(["schools", "--municipality", "город ливны"], capsys)
    assert "СОШ № 2" in out and "Казанская" not in out and out.strip().endswith("1 школа")
    code, out, _ = run(["schools", "--search", "сосновская"], capsys)
    assert "Сосновская" in out and "Казанская" not in out

    # an invitation by a piece of the name, by INN; an ambiguous piece lists the candidates
    code, out, err = run(["invite", "--role", "principal", "--school", "казанская"], capsys)
    assert (code, err) == (0, "") and printed_code(out)
    code, out, err = run(["invite", "--role", "principal", "--school-inn", "5715018478"], capsys)
    assert (code, err) == (0, "")
    code, out, err = run(["invite", "--role", "principal", "--school", "СОШ"], capsys)
    assert (code, out) == (2, "")
    assert "несколько школ" in err and str(sosnovka) in err and str(second) in err
    code, out, err = run(["invite", "--role", "principal", "--school", "гимназия"], capsys)
    assert code == 2 and "schools --search" in err
    assert invitation_count(db_path) == 2


def test_importing_schools_prints_the_id_of_each_row(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from tests.test_registers import xlsx

    header = ["Муниципальное образование", "Полное наименование ОО", "Категория"]
    rows = [
        header,
        ["Ливенский район", "МБОУ «Казанская СОШ»", "ШНОР"],
        ["город Ливны", "МБОУ СОШ № 2", "ШССУ"],
    ]
    register = tmp_path / "schools.xlsx"
    register.write_bytes(xlsx(("Школы", rows, [])))
    code, out, err = run(["import", "schools", str(register)], capsys)
    assert code == 0, err
    ids = with_repo(db_path, _ids)
    assert len(ids) == 2
    for school_id, name in ids:
        line = next(line for line in out.splitlines() if name in line)
        assert line.endswith(f"(id {school_id})"), out
    code, out, err = run(["import", "schools", str(register)], capsys)
    assert "Строка 2: без изменений — МБОУ «Казанская СОШ» (id" in out


async def _ids(repo):  # type: ignore[no-untyped-def]
    return [(school.id, school.name) for school in await repo.schools.list()]


# --- help and languages -----------------------------------------------------------------


def test_every_argument_of_every_command_is_described_in_help() -> None:
    undescribed = []

    def walk(parser: argparse.ArgumentParser, name: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, sub in action.choices.items():
                    walk(sub, f"{name} {sub_name}")
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                undescribed.append(f"{name}: {'/'.join(action.option_strings) or action.dest}")

    walk(build_parser(), "python -m bot")
    assert undescribed == []


def test_default_locale_from_the_env_file_applies_to_settings_errors(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    (tmp_path / ".env").write_text("DEFAULT_LOCALE=en\nTIMEZONE=Mars/Olympus\n")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "schools"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    no_traceback(done.stderr)
    assert "TIMEZONE Mars/Olympus is not an IANA time zone name" in done.stderr


def test_admin_commands_start_without_aiogram_or_a_token(db_path: Path, tmp_path: Path) -> None:
    """`schools`, `invite`, `backup` need no token, and do not import aiogram (the bot's
    heaviest import) or openpyxl, which is what keeps them under a second."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["DATABASE_PATH"] = str(db_path)
    env["BOT_TOKEN"] = "12345:mistyped"  # only talking to Telegram needs a usable token
    add_schools(db_path, "Казанская СОШ")
    probe = (
        "import sys, runpy; sys.argv = ['bot'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    heavy = sorted(m for m in ('aiogram', 'openpyxl', 'matplotlib') if m in sys.modules)\n"
        "    print('IMPORTED', heavy, done.code)\n"
    )
    for argv in (
        ["schools"],
        ["invite", "--role", "coordinator"],
        ["backup", str(tmp_path / "b.sqlite3")],
    ):
        done = subprocess.run(
            [sys.executable, "-c", probe, *argv],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.stdout.strip().splitlines()[-1] == "IMPORTED [] 0", (argv, done)


def test_a_broken_catalog_is_named_in_the_administrators_language(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = tmp_path / "indicators.toml"
    catalog.write_text('title = "Показатели"\n\n[[indicators]\ncode = "x"\n', encoding="utf-8")
    monkeypatch.setenv("INDICATORS_PATH", str(catalog))
    year = str(datetime.now().year)
    code, out, err = run(["export", "submissions", "--year", year, "--out", "r.xlsx"], capsys)
    assert (code, out) == (2, "")
    no_traceback(err)
    assert err.startswith(f"Каталог показателей {catalog}, строка 3 нельзя использовать.")


def test_a_whole_name_is_not_ambiguous_because_a_longer_one_contains_it(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from storage.schools import SchoolData

    async def fill(repo):  # type: ignore[no-untyped-def]
        for name in ("МБОУ СОШ № 2", "МБОУ СОШ № 25"):
            await repo.schools.upsert(SchoolData(name, "город Ливны"))

    with_repo(db_path, fill)
    code, out, err = run(["invite", "--role", "principal", "--school", "мбоу сош № 2"], capsys)
    assert (code, err) == (0, "") and printed_code(out)
    code, out, err = run(["invite", "--role", "principal", "--school", "сош № 2"], capsys)
    assert code == 2 and "несколько школ" in err  # a piece of both names: the ids are listed
