"""Backing a book up while clerks work, restoring it into an empty database, and checking
both (integrity, row counts, schema revision).

SQLite: the online backup API copies the file in one read transaction; in WAL mode that
blocks no writer, and the copy is one consistent moment. PostgreSQL: `pg_dump` in custom
format, run on a snapshot exported from a transaction that also counts the rows, so the
counts in the manifest are those of the dump. Beside every backup FILE a manifest
`FILE.manifest.json` records the dialect, revision and row counts that restore checks.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url

from tui_crm.i18n import tr
from tui_crm.storage import change_log, migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass
class BackupReport:
    file: str
    dialect: str
    revision: str | None
    bytes: int
    made_at: str
    tables: dict[str, int] = field(default_factory=dict)
    integrity: str = "ok"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def manifest_path(file: Path) -> Path:
    return file.with_name(file.name + ".manifest.json")


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows of every table of the book (derived report tables and FTS internals included
    only as far as they are ordinary tables the database lists)."""
    names = sorted(
        n for n in inspect(connection).get_table_names() if not n.startswith("customer_fts")
    )
    return {
        name: int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
        for name in names
    }


def _sqlite_path(engine: Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:":
        raise BackupError(tr("内存数据库无法备份", "An in-memory database cannot be backed up"))
    return Path(name)


def _check_target_free(file: Path) -> None:
    if file.exists():
        raise BackupError(
            tr(
                "备份文件已存在：{f}（请换一个文件名）",
                "The backup file exists: {f} (choose another name)",
                f=file,
            )
        )
    if not file.parent.is_dir():
        raise BackupError(tr("目录不存在：{d}", "No such folder: {d}", d=file.parent))


def _sqlite_integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
        return str(copy.execute("PRAGMA integrity_check").fetchone()[0])


def backup_sqlite(engine: Engine, file: Path) -> BackupReport:
    source_path = _sqlite_path(engine)
    partial = file.with_name(f".{file.name}.partial-{os.getpid()}")
    source = sqlite3.connect(source_path)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # pages=-1: one read transaction, one consistent moment
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            target.close()
    finally:
        source.close()
    integrity = _sqlite_integrity(partial)
    if integrity != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(
            tr("备份副本校验失败：{r}", "The copy failed its check: {r}", r=integrity)
        )
    os.replace(partial, file)
    from sqlalchemy import create_engine

    copy = create_engine(f"sqlite:///{file}")
    try:
        with copy.connect() as connection:
            counts = row_counts(connection)
            revision = migrate.current_revision(connection)
    finally:
        copy.dispose()
    return BackupReport(
        str(file), "sqlite", revision, file.stat().st_size, _now(), counts, integrity
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _libpq(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments and environment (the password goes in the
    environment, never on the command line) and the schema to limit them to, if any."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    options = str(url.query.get("options", ""))
    if options:
        env["PGOPTIONS"] = options
    args = ["--host", url.host or "localhost", "--dbname", url.database or ""]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    return args, env


def _schema_of(connection: Connection) -> str:
    return str(connection.execute(text("SELECT current_schema()")).scalar_one())


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            tr(
                "未找到 {t}：PostgreSQL 的备份与恢复需要它，请安装 postgresql-client"
                "（与服务器同一主版本或更新）",
                "{t} not found: PostgreSQL backup and restore need it; install "
                "postgresql-client (the server's major version or newer)",
                t=name,
            )
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            tr("{t} 失败：{m}", "{t} failed: {m}", t=Path(command[0]).name, m=done.stderr[-400:])
        )


def backup_postgresql(engine: Engine, file: Path) -> BackupReport:
    pg_dump = _tool("pg_dump")
    args, env = _libpq(engine)
    partial = file.with_name(f".{file.name}.partial-{os.getpid()}")
    with engine.connect() as connection:
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        snapshot = str(connection.execute(text("SELECT pg_export_snapshot()")).scalar_one())
        counts = row_counts(connection)
        revision = migrate.current_revision(connection)
        schema = _schema_of(connection)
        command = [pg_dump, *args, "--format=custom", "--no-owner", "--no-privileges"]
        command += ["--snapshot", snapshot, "--schema", schema, "--file", str(partial)]
        try:
            _run(command, env)
        except BackupError:
            partial.unlink(missing_ok=True)
            raise
        connection.rollback()
    os.replace(partial, file)
    return BackupReport(str(file), "postgresql", revision, file.stat().st_size, _now(), counts)


def write_manifest(report: BackupReport) -> None:
    manifest_path(Path(report.file)).write_text(
        json.dumps(report.as_json(), ensure_ascii=False, indent=2), encoding="utf-8"
    )


def backup(engine: Engine, file: Path) -> BackupReport:
    _check_target_free(file)
    if engine.dialect.name == "sqlite":
        report = backup_sqlite(engine, file)
    else:
        report = backup_postgresql(engine, file)
    write_manifest(report)
    return report


def read_manifest(file: Path) -> dict[str, Any] | None:
    path = manifest_path(file)
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _kind_of(file: Path) -> str:
    if not file.is_file():
        raise BackupError(tr("找不到备份文件：{f}", "No such backup file: {f}", f=file))
    with file.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        tr(
            "不是本程序的备份文件（SQLite 文件或 pg_dump 自定义格式）：{f}",
            "Not a backup this program made (a SQLite file or a pg_dump custom-format file): {f}",
            f=file,
        )
    )


@dataclass
class RestoreReport:
    file: str
    dialect: str
    revision: str | None
    state: str  # the restored book against this program: current, behind, ahead
    tables: dict[str, int]
    checked_against_manifest: bool
    integrity: str = "ok"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _refuse_unless_empty(connection: Connection, replace: bool) -> None:
    if replace or not inspect(connection).get_table_names():
        return
    raise BackupError(
        tr(
            "目标数据库不是空的；如要用备份替换其全部内容，请加 --replace",
            "The target database is not empty; add --replace to replace all of it with the backup",
        )
    )


def _restore_sqlite(engine: Engine, file: Path, replace: bool) -> str:
    target_path = _sqlite_path(engine)
    integrity = _sqlite_integrity(file)
    if integrity != "ok":
        raise BackupError(tr("备份文件已损坏：{r}", "The backup file is damaged: {r}", r=integrity))
    with engine.connect() as connection:
        _refuse_unless_empty(connection, replace)
    engine.dispose()
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        source.close()
    return _sqlite_integrity(target_path)


def _empty_pg_schema(connection: Connection) -> None:
    """--replace: drop every table of the target schema (the book, its derived tables)."""
    for name in inspect(connection).get_table_names():
        connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    connection.execute(text("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE"))
    # The change log's trigger functions outlive their tables; the dump brings its own.
    functions = connection.execute(
        text(
            "SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"
            " AND proname LIKE :prefix"
        ),
        {"prefix": f"{change_log.PREFIX}%"},
    ).scalars()
    for name in list(functions):
        connection.execute(text(f'DROP FUNCTION IF EXISTS "{name}"() CASCADE'))


def _restore_postgresql(engine: Engine, file: Path, replace: bool) -> None:
    pg_restore = _tool("pg_restore")
    args, env = _libpq(engine)
    listing = subprocess.run(
        [pg_restore, "--list", str(file)], capture_output=True, text=True, check=False, env=env
    )
    if listing.returncode != 0:
        raise BackupError(
            tr("备份文件无法读取：{m}", "The backup cannot be read: {m}", m=listing.stderr[-300:])
        )
    # The schema itself exists in the target already (public, or the one named by the URL).
    entries = [
        line
        for line in listing.stdout.splitlines()
        if " SCHEMA - " not in line and " COMMENT - SCHEMA " not in line
    ]
    with engine.begin() as connection:
        _refuse_unless_empty(connection, replace)
        if replace:
            _empty_pg_schema(connection)
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    list_file = file.with_name(f".{file.name}.list-{os.getpid()}")
    list_file.write_text("\n".join(entries) + "\n", encoding="utf-8")
    try:
        _run(
            [pg_restore, *args, "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", "--use-list", str(list_file), str(file)],
            env,
        )  # fmt: skip
    finally:
        list_file.unlink(missing_ok=True)


def restore(engine: Engine, file: Path, *, replace: bool = False) -> RestoreReport:
    """Restore `file` into the (empty, or with `replace` any) database of `engine`, then
    check the result: integrity, the row counts of the manifest, the schema revision."""
    kind = _kind_of(file)
    if kind != engine.dialect.name:
        raise BackupError(
            tr(
                "备份是 {a} 的，目标数据库是 {b} 的",
                "The backup is of {a}, the target database is {b}",
                a=kind,
                b=engine.dialect.name,
            )
        )
    integrity = "ok"
    if kind == "sqlite":
        integrity = _restore_sqlite(engine, file, replace)
    else:
        _restore_postgresql(engine, file, replace)
    with engine.connect() as connection:
        counts = row_counts(connection)
        state = migrate.schema_state(connection)
    manifest = read_manifest(file)
    if manifest is not None:
        _compare(manifest, counts, state.current)
    return RestoreReport(
        str(file), kind, state.current, state.kind, counts, manifest is not None, integrity
    )


def _compare(manifest: dict[str, Any], counts: dict[str, int], revision: str | None) -> None:
    expected: dict[str, int] = manifest.get("tables", {})
    wrong = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if wrong or manifest.get("revision") != revision:
        raise BackupError(
            tr(
                "恢复结果与备份清单不符：{w}",
                "The restored book does not match the backup's manifest: {w}",
                w=wrong or f"revision {revision} != {manifest.get('revision')}",
            )
        )
