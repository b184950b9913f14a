"""Engine and session factory for SQLite (default) and PostgreSQL.

`Database` is the one object the services receive. In production it wraps an engine; the
test suite can wrap a single connection holding an outer transaction so every test on
PostgreSQL rolls back (services still `commit()`: they commit a savepoint).
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tui_crm.storage import audit_guard, change_log, migrate, search_index
from tui_crm.storage.migrate import SchemaMismatch, SchemaState

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session


def metadata() -> MetaData:
    """Every table of the models. The ORM (SQLModel, pydantic, 40 table classes) is
    imported here, on first need, not when a database is opened: a one-shot command that
    reads with plain SQL never pays for it."""
    from sqlmodel import SQLModel

    import tui_crm.storage.models  # noqa: F401 - registers every table on SQLModel.metadata

    return SQLModel.metadata


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


CACHE_KIB = 16384


@contextmanager
def bulk_write_cache(session: "Session", mebibytes: int = 256) -> Iterator[None]:
    """A larger private page cache on SQLite for one bulk write: the many indexes of a
    million-row table stay in memory for the transaction instead of spilling to the WAL
    and being read back (back to the usual size after). Nothing on PostgreSQL."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql(f"PRAGMA cache_size=-{mebibytes * 1024}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")


def release_page_cache(connection: "Connection") -> None:
    """Give back a SQLite connection's page cache after a large read (a report): it stays
    with the pooled connection, private memory of the session, until the connection
    closes. Later reads fill it again as they need. Nothing on PostgreSQL."""
    if connection.dialect.name == "sqlite":
        with suppress(DBAPIError):  # an interrupted connection: it is closed anyway
            connection.exec_driver_sql("PRAGMA shrink_memory")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # 16 MiB private page cache
    cursor.execute("PRAGMA mmap_size=1073741824")  # reads through the shared OS page cache
    cursor.close()


def _private_folder(path: Path) -> None:
    """The folder of a new SQLite book, readable by its owner only."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)


def _owner_only_once(path: Path) -> Any:
    """A connect listener making a book this engine creates owner-only (600): it holds
    every customer's ID number and phone. SQLite gives its -wal and -shm files the mode
    of the database file. A book that already existed keeps the mode it has."""
    fresh = not path.exists()

    def on_connect(_dbapi_connection: Any, _record: Any) -> None:
        nonlocal fresh
        if fresh and path.exists():
            fresh = False
            path.chmod(0o600)

    return on_connect


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        if path and path != ":memory:":
            book = Path(path.split("?", 1)[0])
            _private_folder(book)
            event.listen(engine, "connect", _owner_only_once(book))
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Server-side prepared statements make pattern (LIKE/trigram) plans generic and slow.
    return create_engine(
        url, echo=echo, pool_pre_ping=True, connect_args={"prepare_threshold": None}
    )


# Partial unique indexes added after books already existed: create_all makes indexes only
# with a new table, so a book made earlier gets them here (unless old duplicates stand in
# the way; the services check the same rule).
UNIQUE_GUARDS = ("ux_blacklist_nomination_open", "ux_blacklist_entry_active")


def _add_unique_guards(connection: Connection) -> None:
    for table in metadata().tables.values():
        for index in table.indexes:
            if index.name in UNIQUE_GUARDS:
                try:
                    with connection.begin_nested():
                        index.create(connection, checkfirst=True)
                except IntegrityError:
                    pass


# Columns added after books already existed (create_all adds none to an existing table).
ADDED_COLUMNS = {"classification_run": ("pid", "host")}


def _add_missing_columns(connection: Connection) -> None:
    inspector = inspect(connection)
    for table_name, names in ADDED_COLUMNS.items():
        present = {c["name"] for c in inspector.get_columns(table_name)}
        table = metadata().tables[table_name]
        for name in names:
            if name not in present:
                kind = table.c[name].type.compile(connection.dialect)
                connection.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {name} {kind}"))


def _create_objects(connection: Connection, only: frozenset[str] | None = None) -> None:
    """The models' tables (or those named in `only`) and the objects beside them."""
    tables = [t for t in metadata().sorted_tables if only is None or t.name in only]
    metadata().create_all(connection, tables=tables)
    _add_missing_columns(connection)
    _add_unique_guards(connection)
    _reinstall_raw_objects(connection)


def _reinstall_raw_objects(connection: Connection) -> None:
    search_index.install(connection)
    audit_guard.install(connection)
    # The change log arrived after the baseline: its triggers only once its table exists.
    if inspect(connection).has_table("derived_change"):
        change_log.install(connection)


def _migrate(connection: Connection, revision: str) -> None:
    migrate.upgrade(connection, revision)
    if migrate.current_revision(connection) == migrate.head_revision():
        _reinstall_raw_objects(connection)


class Database:
    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind
        self.engine: Engine = bind if isinstance(bind, Engine) else bind.engine
        self._sessions: sessionmaker[Session] | None = None

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls(make_engine(url))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name  # "sqlite" | "postgresql"

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def location(self) -> str:
        """Where the book is, as a person may be told: the SQLite file, or the server and
        database name of PostgreSQL (never the password)."""
        url = self.engine.url
        if self.is_sqlite:
            return str(Path(url.database).absolute()) if url.database else ":memory:"
        return url.render_as_string(hide_password=True)

    def session(self) -> "Session":
        """An ORM session; the models are imported the first time one is asked for."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker
            from sqlmodel import Session

            metadata()
            self._sessions = sessionmaker(
                bind=self.bind,
                class_=Session,
                expire_on_commit=False,
                join_transaction_mode="create_savepoint",
            )
        return self._sessions()

    def read_marker(self, key: str) -> tuple[str, str | None] | None:
        """The schema revision and the `book_meta` value of `key`, in one query and
        without reflection; None when the book has no single revision row (new, made
        before migrations, or not a book) — the caller then looks closer."""
        query = text(
            f"SELECT v.version_num, m.value FROM {migrate.VERSION_TABLE} v"
            " LEFT JOIN book_meta m ON m.key = :key"
        )
        try:
            with self.connect() as connection:
                rows = connection.execute(query, {"key": key}).all()
        except DBAPIError:
            return None
        if len(rows) != 1:
            return None
        return rows[0][0], rows[0][1]

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection in a transaction that commits on success (a savepoint in tests)."""
        if isinstance(self.bind, Engine):
            with self.bind.begin() as connection:
                yield connection
        else:
            with self.bind.begin_nested():
                yield self.bind

    def create_schema(self) -> None:
        """Create every table and the search objects if missing (idempotent), at the
        models' schema: the head revision."""
        with self.connect() as connection:
            _create_objects(connection)
            migrate.stamp(connection, "head")

    def prepare_schema(self) -> SchemaState:
        """Make the book usable by this code or say why not: a new book is created at head;
        a book made before migrations is brought up to the baseline and stamped there; a
        book at another revision raises `SchemaMismatch` (its message says what to run)."""
        with self.connect() as connection:
            state = migrate.schema_state(connection)
            if state.kind == "empty":
                _create_objects(connection)
                migrate.stamp(connection, "head")
            elif state.kind == "unversioned":
                _create_objects(connection, only=migrate.BASELINE_TABLES)
                migrate.stamp(connection, migrate.BASELINE)
            else:
                return self._checked(state)
            state = migrate.schema_state(connection)
        # Checked once the stamp is committed: a book stamped at the baseline and older
        # than this code keeps its stamp while it waits for `tui-crm db upgrade`.
        return self._checked(state)

    @staticmethod
    def _checked(state: SchemaState) -> SchemaState:
        if state.kind != "current":
            raise SchemaMismatch(state)
        return state

    def schema_state(self) -> SchemaState:
        with self.connect() as connection:
            return migrate.schema_state(connection)

    def upgrade_schema(self, revision: str = "head") -> SchemaState:
        """Run the migrations up to `revision` (a book made before migrations is stamped at
        the baseline first; a book made by newer code is refused). On SQLite foreign keys
        are off while tables are copied in batch mode (checked afterwards), and the search
        triggers a copied table lost are put back."""
        state = self.schema_state()
        if state.kind == "ahead":
            raise SchemaMismatch(state)
        if state.kind == "unversioned":
            with self.connect() as connection:
                _create_objects(connection, only=migrate.BASELINE_TABLES)
                migrate.stamp(connection, migrate.BASELINE)
        if self.is_sqlite and isinstance(self.bind, Engine):
            with self.bind.connect() as connection:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
                try:
                    with connection.begin():
                        _migrate(connection, revision)
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                        if broken is not None:
                            raise RuntimeError(f"foreign key broken by the migration: {broken}")
                finally:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
        else:
            with self.connect() as connection:
                _migrate(connection, revision)
        return self.schema_state()

    def drop_schema(self) -> None:
        with self.connect() as connection:
            search_index.uninstall(connection)
            metadata().drop_all(connection)
            connection.execute(text(f"DROP TABLE IF EXISTS {migrate.VERSION_TABLE}"))

    def is_empty(self) -> bool:
        with self.connect() as connection:
            return not connection.execute(text("SELECT 1 FROM customer LIMIT 1")).first()

    def dispose(self) -> None:
        self.engine.dispose()
