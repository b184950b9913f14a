"""The doctor's database checks: reachable, holding a book, PostgreSQL's ctype and pg_trgm."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from tui_crm.i18n import tr
from tui_crm.storage.db import Database, normalise_url

# (name, status, message, fix): the plain tuple `checks.Check` is built from.
Line = tuple[str, str, str, str]
SET_UP = "tui-crm init  |  tui-crm demo --customers 2000"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL and in-memory databases."""
    url = normalise_url(url)
    if not url.startswith("sqlite") or "///" not in url:
        return None
    path = url.split("///", 1)[1].split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def safe_url(url: str) -> str:
    """The URL as it may be shown: the password replaced by ***."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def database_checks(url: str, database: Database | None = None) -> Iterator[Line]:
    """Checks of the configured database; `database` (tests) instead of opening `url`."""
    path = sqlite_path(url)
    if database is None and path is not None and not path.exists():
        yield (
            "database",
            "fail",
            tr("没有数据库文件：{p}", "No database file at {p}", p=path),
            SET_UP,
        )
        return
    own = database is None
    database = database or Database.from_url(url)
    try:
        with database.connect() as connection:
            yield from _checks(connection, url)
    except SQLAlchemyError as error:
        first = str(getattr(error, "orig", None) or error).strip().splitlines()
        yield (
            "database",
            "fail",
            tr(
                "无法连接数据库 {u}：{e}",
                "Cannot reach the database {u}: {e}",
                u=safe_url(url),
                e=(first[0] if first else type(error).__name__)[:200],
            ),
            tr(
                "检查 TUI_CRM_DATABASE_URL 或配置文件中的 database_url，并确认数据库服务已启动",
                "Check TUI_CRM_DATABASE_URL or database_url in the config file and that "
                "the database server is running",
            ),
        )
    finally:
        if own:
            database.dispose()


def _checks(connection: Connection, url: str) -> Iterator[Line]:
    connection.execute(text("SELECT 1"))
    yield (
        "database",
        "ok",
        tr("数据库可连接：{u}", "Database reachable: {u}", u=safe_url(url)),
        "",
    )
    yield _book(connection, url)
    if connection.dialect.name == "postgresql":
        yield _ctype(connection)
        yield _trigram(connection)


def _book(connection: Connection, url: str) -> Line:
    tables = set(inspect(connection).get_table_names())
    staff = 0
    if "staff_user" in tables:
        staff = connection.execute(text("SELECT count(*) FROM staff_user")).scalar_one()
    if not staff:
        return (
            "book",
            "fail",
            tr(
                "数据库 {u} 中还没有账套（没有员工账户）",
                "The database {u} holds no book yet (no staff accounts)",
                u=safe_url(url),
            ),
            SET_UP,
        )
    revision = ""
    if "alembic_version" in tables:
        revision = (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
        )
    return (
        "book",
        "ok",
        tr("账套：{n} 个员工账户", "Book: {n} staff accounts", n=staff)
        + (tr("，结构版本 {r}", ", schema revision {r}", r=revision) if revision else ""),
        "",
    )


def _ctype(connection: Connection) -> Line:
    ctype = connection.execute(
        text("SELECT datctype FROM pg_database WHERE datname = current_database()")
    ).scalar_one()
    if "utf" not in ctype.lower().replace("-", ""):
        return (
            "pg_ctype",
            "fail",
            tr(
                "数据库 LC_CTYPE 为 {c}：pg_trgm 会忽略汉字，中文搜索变慢",
                "The database's LC_CTYPE is {c}: pg_trgm ignores Chinese characters, "
                "so searching names is slow",
                c=ctype,
            ),
            "CREATE DATABASE … ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
            + tr("（然后备份并恢复到新库）", "(then back up and restore into it)"),
        )
    return ("pg_ctype", "ok", f"LC_CTYPE {ctype}", "")


def _trigram(connection: Connection) -> Line:
    version = connection.execute(
        text("SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'")
    ).scalar()
    if version is None:
        return (
            "pg_trgm",
            "fail",
            tr("未安装 pg_trgm 扩展", "The pg_trgm extension is not installed"),
            tr(
                "由数据库管理员执行：CREATE EXTENSION pg_trgm;（Debian：postgresql-contrib）",
                "As a database superuser: CREATE EXTENSION pg_trgm; (Debian: postgresql-contrib)",
            ),
        )
    return ("pg_trgm", "ok", f"pg_trgm {version}", "")
