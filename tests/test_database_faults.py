"""A database the bot cannot use is refused at start-up in one sentence, exit code 2,
at once and never hanging, and the file is left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import check_file, latest_version

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAHsecretTOKENvalue_for_tests-0123456789"


def digest(path: Path) -> str | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def a_database(path: Path, rows: int = 2000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.executemany("INSERT INTO notes (text) VALUES (?)", [("x" * 200,)] * rows)
    conn.execute("PRAGMA user_version = 1")  # the bot's, at an older schema
    conn.commit()
    conn.close()
    return path


def not_a_database(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 100)
    return path


def damaged_pages(path: Path) -> Path:
    a_database(path)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, 3 * page + 600):  # scribble over the middle of a b-tree page
        data[offset] = 0xFF
    path.write_bytes(bytes(data))
    return path


def newer_schema(path: Path) -> Path:
    a_database(path, rows=1)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 994}")
    conn.close()
    return path


def a_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


@contextmanager
def read_only(target: Path) -> Iterator[None]:
    """``target`` (a file or a folder) cannot be written, even by root (chattr +i)."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(target)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("chattr +i is not available here to make a file read-only for root")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(target)], capture_output=True)
    else:
        mode = target.stat().st_mode
        target.chmod(0o555 if target.is_dir() else 0o444)
        try:
            yield
        finally:
            target.chmod(mode)


FAULTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "not a database": (not_a_database, "не база данных SQLite"),
    "damaged pages": (damaged_pages, "повреждена"),
    "newer schema": (newer_schema, "более новой версией бота"),
    "a folder": (a_folder, "это папка"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_an_unusable_database_is_refused_in_one_sentence_and_left_alone(
    fault: str, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, words = FAULTS[fault]
    path = make(db_path)
    before = digest(path)
    started = time.monotonic()
    assert main(["migrate"]) == 2
    assert time.monotonic() - started < 1.0
    out, err = capsys.readouterr()
    assert out == ""
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert digest(path) == before
    assert not path.with_name(path.name + "-wal").exists()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_refused_and_left_alone(
    what: str, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = a_database(db_path, rows=10)
    before = digest(path)
    with read_only(path if what == "file" else path.parent):
        assert main(["migrate"]) == 2
        _, err = capsys.readouterr()
        assert "только для чтения" in err and "Traceback" not in err
    assert digest(path) == before


def test_the_check_takes_well_under_a_second_on_a_large_database(tmp_path: Path) -> None:
    path = a_database(tmp_path / "big.sqlite3", rows=50_000)  # about 11 MB, whole
    started = time.monotonic()
    check_file(path)  # readable, writable, whole, an older schema: usable
    assert time.monotonic() - started < 1.0


def test_the_bot_refuses_to_start_on_a_damaged_database_as_a_process(db_path: Path) -> None:
    path = damaged_pages(db_path)
    before = digest(path)
    env = {
        **{k: v for k, v in os.environ.items() if k != "BOT_API_BASE"},
        "BOT_TOKEN": TOKEN,
        "DATABASE_PATH": str(path),
        "BOT_API_BASE": "http://127.0.0.1:9",  # never reached: the database is refused first
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=db_path.parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "повреждена" in done.stderr and "Traceback" not in done.stderr
    assert digest(path) == before
