"""Duplicate candidates over the whole book, each pair scored with its reasons.

Reasons, strongest first:
- `same_id`: the same ID number or credit code on two records (100);
- `id_15_18`: a 15-digit resident ID and the 18-digit form of it (95);
- `org_code`: a credit code whose embedded organisation code (characters 9–17) is the
  old 组织机构代码 of another record (90);
- `name_birth`: the same name and birth date (70);
- `phone_name`: the same phone and a similar name (50–80, by how similar).

A pair with several reasons scores its best reason plus 5 for each other one (at most
100). Records merged away are left out. Each query reads an index or one column of the
book; the pairing happens in Python, so the whole book is one pass per reason.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tui_crm.services.validation import id_18_from_15
from tui_crm.storage.models import Contact, Customer, CustomerMerge

SCORES = {"same_id": 100, "id_15_18": 95, "org_code": 90, "name_birth": 70, "phone_name": 50}
PHONE_KINDS = ("mobile", "landline")
GROUP_MAX = 8  # a phone or name shared by more records is a switchboard, not a duplicate
SIMILAR = 0.5  # SequenceMatcher ratio from which two names are "similar"
CHUNK = 500
AddPair = Callable[..., None]  # add(ids, reason, score=None)


def organisation_code(value: str | None) -> str | None:
    """An old organisation code (8 characters and a check, with or without the hyphen)."""
    if not value:
        return None
    code = value.replace("-", "").upper()
    return code if len(code) == 9 and code.isalnum() else None


@dataclass
class Pair:
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def score(self) -> int:
        if not self.reasons:
            return 0
        best = max(self.reasons.values())
        return min(100, best + 5 * (len(self.reasons) - 1))


def name_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def find_pairs(session: Session) -> dict[tuple[int, int], Pair]:
    """Every candidate pair of the book: (lower id, higher id) → its reasons and score."""
    merged = set(
        session.execute(
            select(CustomerMerge.merged_id).where(col(CustomerMerge.unmerged_at).is_(None))
        ).scalars()
    )
    pairs: dict[tuple[int, int], Pair] = defaultdict(Pair)

    def add(ids: Iterable[int], reason: str, score: int | None = None) -> None:
        members = sorted({i for i in ids if i not in merged})
        if len(members) > GROUP_MAX:
            return
        for a, b in combinations(members, 2):
            current = pairs[(a, b)].reasons.get(reason, 0)
            pairs[(a, b)].reasons[reason] = max(current, score or SCORES[reason])

    _same_id(session, add)
    _id_15_18(session, add)
    _org_code(session, add)
    _name_birth(session, add)
    _phone_name(session, add)
    return dict(pairs)


def _groups(session: Session, statement: Any) -> dict[object, list[int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for key, customer_id in session.execute(statement):
        groups[key].append(customer_id)
    return groups


def _same_id(session: Session, add: AddPair) -> None:
    shared = (
        select(Customer.id_number)
        .where(col(Customer.id_number).is_not(None))
        .group_by(Customer.id_number)
        .having(func.count() > 1)
    )
    rows = select(Customer.id_number, Customer.id).where(col(Customer.id_number).in_(shared))
    for ids in _groups(session, rows).values():
        add(ids, "same_id")


def _id_15_18(session: Session, add: AddPair) -> None:
    old = session.execute(
        select(Customer.id_number, Customer.id).where(
            Customer.kind == "individual", func.length(Customer.id_number) == 15
        )
    ).all()
    by_new: dict[str, list[int]] = defaultdict(list)
    for number, customer_id in old:
        if number and number.isdigit():
            by_new[id_18_from_15(number)].append(customer_id)
    for chunk in _chunks(sorted(by_new)):
        rows = session.execute(
            select(Customer.id_number, Customer.id).where(col(Customer.id_number).in_(chunk))
        ).all()
        for number, customer_id in rows:
            for other in by_new[number]:
                add((customer_id, other), "id_15_18")


def _org_code(session: Session, add: AddPair) -> None:
    rows = session.execute(
        select(Customer.id_number, Customer.id).where(
            Customer.kind != "individual",
            col(Customer.id_number).is_not(None),
            func.length(Customer.id_number).in_((9, 10, 18)),
        )
    ).all()
    old: dict[str, list[int]] = defaultdict(list)
    for number, customer_id in rows:
        code = organisation_code(number)
        if code is not None:
            old[code].append(customer_id)
    if not old:
        return
    for number, customer_id in rows:
        if len(number) == 18:
            for other in old.get(number[8:17].upper(), ()):
                add((customer_id, other), "org_code")


def _name_birth(session: Session, add: AddPair) -> None:
    shared = (
        select(Customer.name, col(Customer.birth_date))
        .where(col(Customer.birth_date).is_not(None))
        .group_by(col(Customer.name), col(Customer.birth_date))
        .having(func.count() > 1)
    ).subquery()
    rows = select(Customer.name, col(Customer.birth_date), col(Customer.id)).join(
        shared,
        (shared.c.name == col(Customer.name)) & (shared.c.birth_date == col(Customer.birth_date)),
    )
    groups: dict[tuple[object, object], list[int]] = defaultdict(list)
    for name, birth, customer_id in session.execute(rows):
        groups[(name, birth)].append(customer_id)
    for ids in groups.values():
        add(ids, "name_birth")


def _phone_name(session: Session, add: AddPair) -> None:
    phone = col(Contact.value_norm)
    shared = (
        select(phone)
        .where(col(Contact.kind).in_(PHONE_KINDS), phone.is_not(None))
        .group_by(phone)
        .having(func.count(func.distinct(Contact.customer_id)) > 1)
    ).subquery()
    rows = (
        select(phone, Customer.id, Customer.name, Customer.kind)
        .join(Customer, col(Customer.id) == col(Contact.customer_id))
        .join(shared, shared.c.value_norm == phone)
        .where(col(Contact.kind).in_(PHONE_KINDS))
    )
    groups: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for number, customer_id, name, kind in session.execute(rows):
        groups[number][customer_id] = (name, kind)
    for members in groups.values():
        if len(members) > GROUP_MAX:
            continue
        for (a, (name_a, kind_a)), (b, (name_b, kind_b)) in combinations(members.items(), 2):
            ratio = name_similarity(name_a, name_b)
            if kind_a == kind_b and ratio >= SIMILAR:
                add((a, b), "phone_name", SCORES["phone_name"] + round(30 * ratio))
