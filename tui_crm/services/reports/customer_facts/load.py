"""Loading the customer facts (`reports.customer_facts`) from the base tables.

Policies, counted claims and customers above the ids already held are read once, in id
order and in chunks, with their dates as day numbers and money as fen; text values become
small codes (the vocabularies grow as new values appear and are saved with the columns).
Each chunk is stored as one packed row per column.
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, case, extract, func, insert, select

from tui_crm.i18n import tr
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.reports.customer_facts.read import narrowest
from tui_crm.services.reports.customer_facts.store import (
    COLUMNS,
    NO_DAY,
    NO_SEATS,
    PART,
    VOCABULARIES,
)
from tui_crm.services.reports.engine.context import QueryContext
from tui_crm.services.reports.engine.tables import CL, C, P, R, V, fen

CHUNK = 250_000
# column → vocabulary of the text columns
CODED = {
    "line": "line",
    "channel": "channel",
    "use": "use",
    "kind": "kind",
    "gender": "gender",
    "industry": "industry",
    "ownership": "ownership",
    "klass": "klass",
    "make": "make",
}
# value standing for NULL in the integer columns
NULLS = {
    "manager": 0,
    "c": NO_DAY,
    "renewal_of": 0,
    "birth_year": 0,
    "reg_year": 0,
    "seats": NO_SEATS,
}


def load(
    connection: Connection, after: dict[str, int], upto: dict[str, int], *, progress: Any = None
) -> int:
    """Add the rows with ids above `after` (policy, claim, receivable, customer) up to
    `upto`; returns the largest customer id now held."""
    store = Store(connection)
    customer_max = after["customer"]
    for frame in chunks(connection, customers(C.c.id > customer_max)):
        store.add("customer", frame)
        customer_max = max(customer_max, int(max(frame["id"])))
    total = max(1, (upto["policy"] - after["policy"] + CHUNK - 1) // CHUNK)
    between = P.c.id > after["policy"], P.c.id <= upto["policy"]
    for number, frame in enumerate(chunks(connection, policies(*between))):
        if progress is not None:
            progress(number, total, tr("正在整理客户数据", "Preparing the customer data"))
        store.add("policy", frame)
    for frame in chunks(connection, claims(CL.c.id > after["claim"], CL.c.id <= upto["claim"])):
        store.add("claim", frame)
    received = R.c.id > after["receivable"], R.c.id <= upto["receivable"]
    for frame in chunks(connection, receivables(*received)):
        store.add("receivable", frame)
    store.save_vocabularies()
    return customer_max


def receivables(*where: Any) -> Any:
    return (
        select(
            P.c.customer_id.label("customer"),
            P.c.unit_id.label("unit"),
            P.c.line_code.label("line"),
            P.c.channel.label("channel"),
            earned_rules.day_number(P.c.start_date).label("s"),
            case((P.c.status == earned_rules.CANCELLED, 1), else_=0).label("cancelled"),
            earned_rules.day_number(P.c.cancelled_on).label("c"),
            earned_rules.day_number(R.c.due_date).label("due"),
            fen(R.c.amount).label("amount"),
            fen(R.c.paid_amount).label("paid_amount"),
        )
        .select_from(R.join(P, P.c.id == R.c.policy_id))
        .where(*where)
        .order_by(R.c.id)
    )


def customers(*where: Any) -> Any:
    return (
        select(
            C.c.id.label("id"),
            C.c.unit_id.label("unit"),
            C.c.kind.label("kind"),
            C.c.gender.label("gender"),
            C.c.industry.label("industry"),
            C.c.ownership.label("ownership"),
            C.c.customer_class.label("klass"),
            extract("year", C.c.birth_date).label("birth_year"),
        )
        .where(*where)
        .order_by(C.c.id)
    )


def _sold() -> tuple[Any, ...]:
    """Where and how a policy was sold: the dimensions policies and claims share."""
    return (
        P.c.unit_id.label("unit"),
        P.c.line_code.label("line"),
        P.c.channel.label("channel"),
        V.c.use.label("use"),
        P.c.account_manager_id.label("manager"),
    )


def _vehicle() -> tuple[Any, ...]:
    return (
        extract("year", V.c.first_registration).label("reg_year"),
        V.c.seats.label("seats"),
        V.c.make_model.label("make"),
    )


def policies(*where: Any) -> Any:
    return (
        select(
            P.c.id.label("id"),
            P.c.customer_id.label("customer"),
            *_sold(),
            earned_rules.day_number(P.c.start_date).label("s"),
            earned_rules.day_number(P.c.end_date).label("e"),
            case((P.c.status == earned_rules.CANCELLED, 1), else_=0).label("cancelled"),
            earned_rules.day_number(P.c.cancelled_on).label("c"),
            P.c.renewal_of_id.label("renewal_of"),
            fen(P.c.premium).label("premium"),
            fen(P.c.sum_insured).label("sum_insured"),
            fen(P.c.commission).label("commission"),
            *_vehicle(),
        )
        .select_from(P.outerjoin(V, V.c.id == P.c.vehicle_id))
        .where(*where)
        .order_by(P.c.id)
    )


def claims(*where: Any) -> Any:
    return (
        select(
            P.c.customer_id.label("customer"),
            *_sold(),
            *_vehicle(),
            earned_rules.day_number(CL.c.loss_date).label("loss"),
            fen(CL.c.paid).label("paid"),
            fen(CL.c.outstanding).label("outstanding"),
        )
        .select_from(CL.join(P, P.c.id == CL.c.policy_id).outerjoin(V, V.c.id == P.c.vehicle_id))
        .where(*where, QueryContext.claim_counted())
        .order_by(CL.c.id)
    )


Chunk = dict[str, Sequence[Any]]  # column → its values in the chunk


def chunks(connection: Connection, statement: Any) -> Iterator[Chunk]:
    result = connection.execute(statement.execution_options(stream_results=True, yield_per=CHUNK))
    names = list(result.keys())
    for part in result.partitions(CHUNK):
        columns = list(zip(*part, strict=True))  # plain tuples: no per-row key lookups
        yield dict(zip(names, columns, strict=True))


def _integers(values: Sequence[Any], null: int) -> np.ndarray:
    """The values as int64 (`null` for None; numbers of any type, Decimal included),
    without building a frame of Python objects first."""
    try:
        return np.fromiter(values, dtype=np.int64, count=len(values))
    except TypeError:  # a None among them
        filled = (null if value is None else value for value in values)
        return np.fromiter(filled, dtype=np.int64, count=len(values))


class Store:
    """Codes text values and writes each chunk's columns as packed rows."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.vocab: dict[str, list[Any]] = {name: [None] for name in VOCABULARIES}
        rows = connection.execute(
            select(PART.c.name, PART.c.data).where(PART.c.part == "vocab")
        ).all()
        for name, data in rows:
            self.vocab[name] = json.loads(bytes(data).decode("utf-8"))
        self.codes = {n: {v: i for i, v in enumerate(vs)} for n, vs in self.vocab.items()}
        self.seq = int(connection.execute(select(func.max(PART.c.seq))).scalar_one() or 0)

    def _coded(self, name: str, values: pd.Series) -> np.ndarray:
        codes = self.codes[name]
        for value in values.dropna().unique():
            if value not in codes:
                codes[value] = len(self.vocab[name])
                self.vocab[name].append(value)
        coded: np.ndarray = values.map(codes).fillna(0).to_numpy(np.int64)
        return coded

    def add(self, part: str, frame: Chunk) -> None:
        self.seq += 1
        rows = []
        for name in COLUMNS[part]:
            if name in CODED:
                values = self._coded(CODED[name], pd.Series(frame[name], dtype=object))
            else:
                values = _integers(frame[name], NULLS.get(name, 0))
            kind = narrowest(values)
            data = values.astype(kind).tobytes()
            rows.append({"part": part, "seq": self.seq, "name": name, "dtype": kind, "data": data})
        self.connection.execute(insert(PART), rows)

    def save_vocabularies(self) -> None:
        self.connection.execute(PART.delete().where(PART.c.part == "vocab"))
        rows: Sequence[dict[str, Any]] = [
            {
                "part": "vocab",
                "seq": 0,
                "name": name,
                "dtype": "json",
                "data": json.dumps(values).encode("utf-8"),
            }
            for name, values in self.vocab.items()
        ]
        self.connection.execute(insert(PART), list(rows))
