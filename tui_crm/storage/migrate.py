"""Schema revisions with Alembic: which revision a book is at, upgrading it, and refusing
to run against a book older or newer than this code.

The migrations live in `tui_crm/storage/migrations/` (package data, so an installed wheel
carries them). A new book is created from the models at head and stamped; a book made
before migrations existed (tables, no `alembic_version`) is recognised and stamped at the
baseline. The derived report tables (`report_cube*`, `report_change`, `customer_fact*`)
are outside the migrations: their code rebuilds them when their layout changes.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import as_file, files
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, text

from tui_crm.i18n import tr

if TYPE_CHECKING:
    from alembic.config import Config

BASELINE = "0001"
VERSION_TABLE = "alembic_version"
# The tables of the baseline: a book made before migrations gets any of these it lacks
# (as the release before migrations did on start) and nothing newer, then is stamped.
BASELINE_TABLES = frozenset(
    {
        "audit_chain",
        "audit_log",
        "blacklist_entry",
        "blacklist_nomination",
        "blacklist_review",
        "book_meta",
        "catastrophe_event",
        "claim",
        "class_monthly_count",
        "classification_run",
        "contact",
        "corporate_group",
        "customer",
        "customer_class_history",
        "customer_relation",
        "customer_unit_move",
        "intermediary",
        "org_unit",
        "payment",
        "policy",
        "product_line",
        "rate_entry",
        "rate_table",
        "receivable",
        "recent_view",
        "registry_vehicle",
        "role_permission",
        "service_contact",
        "sms_message",
        "sms_template",
        "staff_user",
        "threshold",
        "vehicle",
        "vehicle_price",
    }
)
# Made with raw SQL beside the models (search_index.py, audit_guard.py): the migrations
# create them, autogenerate does not compare them.
RAW_INDEXES = frozenset({"ix_customer_name_trgm", "ix_contact_address_trgm"})


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """What autogenerate compares: the models' tables, not the derived report tables, the
    FTS tables or the raw search indexes that only the database has."""
    if type_ == "table" and reflected and compare_to is None:
        return False
    return not (type_ == "index" and name in RAW_INDEXES)


@contextmanager
def alembic_config(connection: Connection | None = None) -> Iterator["Config"]:
    """An Alembic configuration for the packaged migrations, on `connection` if given."""
    from alembic.config import Config

    with as_file(files("tui_crm.storage") / "migrations") as folder:
        config = Config()
        config.set_main_option("script_location", str(folder))
        if connection is not None:
            config.attributes["connection"] = connection
        yield config


_REVISION = re.compile(r"^revision: str = [\"'](\w+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision: [^=]+= (?:None|[\"'](\w+)[\"'])", re.MULTILINE)


@lru_cache(maxsize=1)
def _revision_graph() -> dict[str, str | None]:
    """Revision → the one it revises, read from the migration files without importing
    Alembic (every command checks the revision on start; Alembic itself is for changing)."""
    graph: dict[str, str | None] = {}
    for item in (files("tui_crm.storage") / "migrations" / "versions").iterdir():
        if not item.name.endswith(".py") or item.name.startswith("__"):
            continue
        source = item.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is not None and down is not None:
            graph[revision.group(1)] = down.group(1)
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have one head, not {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def current_revision(connection: Connection) -> str | None:
    if VERSION_TABLE not in inspect(connection).get_table_names():
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


@dataclass(frozen=True)
class SchemaState:
    """`empty` (no tables), `unversioned` (tables made before migrations), `current`,
    `behind` (an older revision: upgrade) or `ahead` (made by newer code)."""

    kind: str
    current: str | None
    head: str

    @property
    def message(self) -> str:
        if self.kind == "behind":
            return tr(
                "数据库结构版本 {c} 旧于程序（{h}）：请先备份（tui-crm backup 文件），"
                "再运行 tui-crm db upgrade",
                "The database schema is at revision {c}, older than this program ({h}): "
                "back it up (tui-crm backup FILE), then run tui-crm db upgrade",
                c=self.current,
                h=self.head,
            )
        if self.kind == "ahead":
            return tr(
                "数据库结构版本 {c} 新于程序（{h}）：请安装与数据库相符的新版 tui-crm",
                "The database schema is at revision {c}, newer than this program ({h}): "
                "install the newer tui-crm that made it",
                c=self.current,
                h=self.head,
            )
        return ""


class SchemaMismatch(Exception):
    """The book's schema is older or newer than the code; `state.message` says what to run."""

    def __init__(self, state: SchemaState) -> None:
        super().__init__(state.message)
        self.state = state


def schema_state(connection: Connection) -> SchemaState:
    head = head_revision()
    tables = set(inspect(connection).get_table_names())
    if VERSION_TABLE in tables:
        current = current_revision(connection)
        if current == head:
            return SchemaState("current", current, head)
        if current is not None:
            kind = "behind" if current in known_revisions() else "ahead"
            return SchemaState(kind, current, head)
    if "customer" in tables or "staff_user" in tables:
        return SchemaState("unversioned", None, head)
    return SchemaState("empty", None, head)


def stamp(connection: Connection, revision: str) -> None:
    from alembic import command

    with alembic_config(connection) as config:
        command.stamp(config, revision)


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    with alembic_config(connection) as config:
        command.upgrade(config, revision)


@dataclass(frozen=True)
class Revision:
    revision: str
    down_revision: str | None
    title: str
    is_head: bool


def history() -> list[Revision]:
    """Every revision, newest first."""
    from alembic.script import ScriptDirectory

    with alembic_config() as config:
        scripts = list(ScriptDirectory.from_config(config).walk_revisions())
    return [
        Revision(
            revision=script.revision,
            down_revision=script.down_revision
            if isinstance(script.down_revision, str | None)
            else ",".join(script.down_revision),
            title=(script.doc or "").strip(),
            is_head=script.is_head,
        )
        for script in scripts
    ]
