"""One chunk from the drawn rows to the book's tables: customers, contacts, vehicles,
relations, policies, receivables, payments, claims, registry rows and service contacts.

The same statements run either on the build's own connection (PostgreSQL, and SQLite
books of one chunk) or, for SQLite books of several chunks, in the producer process on a
chunk file of its own, which the loader then appends to the book (`append_chunk`): the
set-based derivation then runs on the second core while the loader writes the previous
chunk.
"""

import tui_crm.services.demo.business as business
import tui_crm.services.demo.claims as claims
from tui_crm.services.demo.business import Span
from tui_crm.services.demo.chunk import ChunkRows
from tui_crm.services.demo.loader import BulkLoader, Writer
from tui_crm.services.demo.lookups import (
    COMPANY_COLUMNS,
    INDIVIDUAL_COLUMNS,
    VEHICLE_COLUMNS,
    SqlKit,
)

REGISTRY_COLUMNS = [
    "plate", "vin", "owner_name", "owner_id_number", "use", "make_model",
    "first_registration", "imported_at",
]  # fmt: skip
# Tables a chunk file holds, in the order the loader appends them; the rest of the book's
# tables keep their ids (drawn or derived), these four are numbered as they are appended.
CHUNK_TABLES = (
    "corporate_group",
    "customer",
    "contact",
    "vehicle",
    "customer_relation",
    "claim",
    "registry_vehicle",
    "service_contact",
)
NUMBERED_ON_APPEND = {"contact", "customer_relation", "registry_vehicle", "service_contact"}


def derive_chunk(db: Writer, kit: SqlKit, rows: ChunkRows, today: int) -> None:
    """Write one chunk's rows; the drawn customers and vehicles must be in the work tables
    `demo_customer` and `demo_vehicle` (they are left there)."""
    draw_chunk(db, kit, rows, today)
    book_terms(db, kit, rows, today)
    db.execute("DELETE FROM demo_pterm")


def draw_chunk(db: Writer, kit: SqlKit, rows: ChunkRows, today: int) -> None:
    """Everything but the policies, receivables and payments, which `book_terms` writes
    from the policy terms left in `demo_pterm`."""
    db.insert("corporate_group", ["id", "name"], rows.groups)
    span = Span(rows.customers, rows.vehicle_span, rows.policy_span)
    business.copy_customers(db, kit, span)
    business.copy_contacts(db, kit, span, today)
    business.copy_vehicles(db, kit, span)
    db.insert(
        "customer_relation",
        ["customer_id", "related_customer_id", "relation", "note"],
        rows.relations,
    )
    business.motor_terms(db, kit, span)
    business.non_motor_terms(db, kit, span)
    claims.claims(db, kit, today)
    claims.registry_matches(db, kit, span, today)
    claims.service_contacts(db, kit, span, today)
    db.insert("registry_vehicle", REGISTRY_COLUMNS, rows.registry)


def book_terms(db: Writer, kit: SqlKit, rows: ChunkRows, today: int) -> None:
    """Policies, receivables and payments of the chunk's policy terms (`demo_pterm`). With
    chunk files the loader runs this itself, reading the file's terms: its share of the
    work, and those rows are written once instead of twice."""
    business.policies(db, kit, today)
    first, last = rows.policy_span
    business.receivables(db, kit, today, first, last)


def fill_work_tables(db: Writer, rows: ChunkRows) -> None:
    db.insert("demo_customer", INDIVIDUAL_COLUMNS, rows.individuals)
    db.insert("demo_customer", COMPANY_COLUMNS, rows.companies)
    db.insert("demo_vehicle", VEHICLE_COLUMNS, rows.vehicles)


def chunk_columns(loader: BulkLoader) -> dict[str, list[str]]:
    """The columns `append_chunk` copies per table (SQLite)."""
    out = {}
    for table in CHUNK_TABLES:
        names = [r[1] for r in loader.raw.execute(f"PRAGMA table_info({table})").fetchall()]
        out[table] = [n for n in names if not (n == "id" and table in NUMBERED_ON_APPEND)]
    return out


def append_chunk(
    loader: BulkLoader, kit: SqlKit, rows: ChunkRows, today: int, columns: dict[str, list[str]]
) -> None:
    """Append the attached chunk file's tables (schema `chunk`) to the book, in id order,
    then write the policies, receivables and payments of its terms (`chunk.demo_pterm`)."""
    for table, names in columns.items():
        listed = ", ".join(names)
        loader.execute(
            f"INSERT INTO main.{table} ({listed}) SELECT {listed} FROM chunk.{table} ORDER BY id"
        )
    book_terms(loader, kit, rows, today)
