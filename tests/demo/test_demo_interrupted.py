"""An interrupted demo build leaves no half-built book: on SQLite the book is built in a
file beside the target and renamed into place when whole, temporary files go on every
exit path (SIGTERM too); on PostgreSQL the load is one transaction. Also: the load works
for an ordinary owner role (no superuser switch of foreign-key triggers)."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from tui_crm.services.demo import build_demo
from tui_crm.services.demo.build import has_data
from tui_crm.storage.db import Database

AS_OF = date(2026, 11, 25)


class Stop(Exception):
    pass


def stop_after_first_chunk(phase: str, done: int, total: int) -> None:
    raise Stop


def customers(database: Database) -> int:
    with database.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM customer")).scalar_one())


def foreign_keys(database: Database) -> int:
    with database.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                    " AND connamespace = current_schema()::regnamespace"
                )
            ).scalar_one()
        )


def test_interrupted_build_leaves_no_file_and_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "book" / "demo.db"
    database = Database.from_url(f"sqlite:///{target}")
    with pytest.raises(Stop):  # several chunks: the producer writes chunk files
        build_demo(database, 120, seed=7, as_of=AS_OF, chunk=50, progress=stop_after_first_chunk)
    assert list(target.parent.iterdir()) == []


def test_interrupted_replace_keeps_the_old_book(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    database = Database.from_url(f"sqlite:///{target}")
    build_demo(database, 40, seed=7, as_of=AS_OF)
    before = customers(database)
    with pytest.raises(Stop):
        build_demo(
            database, 120, seed=8, as_of=AS_OF, chunk=50, replace=True,
            progress=stop_after_first_chunk,
        )  # fmt: skip
    assert customers(database) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "building" in p.name) == []
    build_demo(database, 60, seed=8, as_of=AS_OF, replace=True)
    assert customers(database) > before
    database.dispose()


def test_interrupted_build_commits_nothing(committed_database: Database) -> None:
    with pytest.raises(Stop):
        build_demo(committed_database, 30, seed=7, as_of=AS_OF, progress=stop_after_first_chunk)
    assert not has_data(committed_database)


def test_build_as_an_ordinary_owner_role_keeps_every_foreign_key(
    committed_database: Database,
) -> None:
    if committed_database.is_sqlite:
        pytest.skip("roles are PostgreSQL's")
    with committed_database.connect() as connection:
        superuser = connection.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar_one()
    if superuser:
        pytest.skip("the suite's role is a superuser; this checks an ordinary owner")
    expected = foreign_keys(committed_database)
    build_demo(committed_database, 60, seed=7, as_of=AS_OF)
    assert customers(committed_database) > 60
    assert foreign_keys(committed_database) == expected


def test_sigterm_mid_build_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    env = {**os.environ, "TUI_CRM_DATABASE_URL": f"sqlite:///{target}", "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_crm", "demo", "--customers", "4000", "--as-of", "2026-11-25"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any("building" in p.name for p in tmp_path.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert "已中断" in err.decode() and "Traceback" not in err.decode()
    assert list(tmp_path.iterdir()) == []
