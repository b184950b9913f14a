"""The customer 360 read model: everything about one customer in one short transaction.

Header (class and why, flags, blacklist status, account manager, unit), policies with
reinsurance / co-insurance marks, vehicles, claims with loss ratios overall and per
policy year (aggregated in SQL), receivables, contacts and consent, service history,
class history and the corporate group with its rolled-up premium. Personal data is
masked here; `CustomerService.reveal` is the one audited way to the full values.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, extract, func, select
from sqlmodel import col

from tui_crm.i18n import is_english
from tui_crm.services.earned import (
    earned_loss_ratio,
    earned_premium_sql,
    in_force_sql,
    money_fen,
    simple_loss_ratio,
)
from tui_crm.services.masking import mask_id_number, mask_phone
from tui_crm.storage.models import (
    BlacklistEntry,
    BlacklistNomination,
    Claim,
    Contact,
    CorporateGroup,
    Customer,
    CustomerClassHistory,
    CustomerRelation,
    OrgUnit,
    Policy,
    ProductLine,
    Receivable,
    ServiceContact,
    StaffUser,
    Vehicle,
)
from tui_crm.storage.types import from_fen

PHONE_KINDS = ("mobile", "landline")
CID: Any = bindparam("cid")
GID: Any = bindparam("gid")
_STATEMENTS: dict[tuple[str, date | None], Any] = {}


@dataclass
class LossFigures:
    year: int | None  # None: all years
    policies: int
    written: Decimal
    earned: Decimal
    paid: Decimal
    outstanding: Decimal
    claims: int
    earned_loss_ratio: Decimal | None  # 满期赔付率 (paid + outstanding) / earned
    simple_loss_ratio: Decimal | None  # 简单赔付率 paid / written


@dataclass
class Blacklist:
    status: str  # none / active / lifted
    reasons: list[str] = field(default_factory=list)
    approved_at: datetime | None = None
    lifted_at: datetime | None = None
    pending_nomination: bool = False


@dataclass
class GroupMember:
    id: int
    name: str
    role: str  # head / subsidiary
    unit_code: str
    premium_12m: Decimal


@dataclass
class Group:
    id: int
    name: str
    members: list[GroupMember]
    premium_12m: Decimal  # rolled up over every member


@dataclass
class Customer360:
    id: int
    name: str
    kind: str
    customer_class: str
    class_reasons: list[dict[str, Any]]
    class_reason_texts: list[str]
    flag_key: bool
    flag_blacklist: bool
    flag_renewal_due: bool
    blacklist: Blacklist
    id_type: str | None
    id_number_masked: str | None
    phone_masked: str | None
    birth_date: date | None
    gender: str | None
    industry: str | None
    ownership: str | None
    source: str
    note: str | None
    unit_id: int
    unit_code: str
    unit_name: str
    account_manager: str | None
    version: int
    updated_at: datetime | None
    policies: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    loss: LossFigures | None = None
    loss_by_year: list[LossFigures] = field(default_factory=list)
    receivables: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    service: list[dict[str, Any]] = field(default_factory=list)
    class_history: list[dict[str, Any]] = field(default_factory=list)
    group: Group | None = None


def personal_id(kind: str) -> bool:
    """Resident ID numbers are personal data; companies' credit codes are public."""
    return kind == "individual"


def reason_texts(reasons: list[dict[str, Any]]) -> list[str]:
    key = "message_en" if is_english() else "message_zh"
    return [str(r.get(key) or r.get("message") or r.get("code") or "") for r in reasons]


def parse_reasons(raw: str | None) -> list[dict[str, Any]]:
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return [{"code": "unknown", "message": raw}]
    if isinstance(data, dict):
        data = [data]
    return [r if isinstance(r, dict) else {"code": str(r)} for r in data]


def load(connection: Connection, customer_id: int, today: date) -> Customer360 | None:
    head = connection.execute(_statement("head", None, _head), {"cid": customer_id}).first()
    if head is None:
        return None
    row = head._mapping

    def get(name: str) -> Any:
        return row[name]

    contacts = _contacts(connection, customer_id)
    phone = next((x["value"] for x in contacts if x["kind"] in PHONE_KINDS), None)
    for x in contacts:
        if x["kind"] in PHONE_KINDS:
            x["value"] = mask_phone(x["value"])
    reasons = parse_reasons(get("class_reasons"))
    kind = get("kind")
    view = Customer360(
        id=customer_id,
        name=get("name"),
        kind=kind,
        customer_class=get("customer_class"),
        class_reasons=reasons,
        class_reason_texts=reason_texts(reasons),
        flag_key=bool(get("flag_key")),
        flag_blacklist=bool(get("flag_blacklist")),
        flag_renewal_due=bool(get("flag_renewal_due")),
        blacklist=_blacklist(connection, customer_id),
        id_type=get("id_type"),
        id_number_masked=(
            mask_id_number(get("id_number")) if personal_id(kind) else get("id_number")
        ),
        phone_masked=mask_phone(phone),
        birth_date=get("birth_date"),
        gender=get("gender"),
        industry=get("industry"),
        ownership=get("ownership"),
        source=get("source"),
        note=get("note"),
        unit_id=get("unit_id"),
        unit_code=get("unit_code_"),
        unit_name=get("unit_name_"),
        account_manager=get("manager_"),
        version=get("version"),
        updated_at=get("updated_at"),
        contacts=contacts,
    )
    view.policies = _policies(connection, customer_id, today)
    view.vehicles = _vehicles(connection, customer_id)
    view.claims = _claims(connection, customer_id)
    view.loss, view.loss_by_year = _loss(connection, customer_id, today)
    view.receivables = _receivables(connection, customer_id, today)
    view.relations = _relations(connection, customer_id)
    view.service = _service(connection, customer_id)
    view.class_history = _class_history(connection, customer_id)
    group_id = get("group_id")
    if group_id:
        view.group = _group(connection, group_id, today)
    return view


def _head() -> Any:
    manager = StaffUser.__table__.alias("manager")  # type: ignore[attr-defined]
    table = Customer.__table__  # type: ignore[attr-defined]
    return (
        select(
            *table.c,
            col(OrgUnit.code).label("unit_code_"),
            col(OrgUnit.name).label("unit_name_"),
            manager.c.display_name.label("manager_"),
        )
        .join(OrgUnit, col(OrgUnit.id) == table.c.unit_id)
        .outerjoin(manager, manager.c.id == table.c.account_manager_id)
        .where(table.c.id == CID)
    )


def _statement(key: str, today: date | None, build: Callable[[], Any]) -> Any:
    """Statements are built once (per day when they depend on the date) and reused with
    the customer id as a parameter: building SQL expressions costs more than running them."""
    statement = _STATEMENTS.get((key, today))
    if statement is None:
        if len(_STATEMENTS) > 200:
            _STATEMENTS.clear()
        statement = _STATEMENTS[(key, today)] = build()
    return statement


def _rows(connection: Connection, query: Any, **params: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in connection.execute(query, params)]


def _contacts(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return _rows(
        connection,
        _statement(
            "_contacts",
            None,
            lambda: (
                select(
                    col(Contact.id),
                    col(Contact.kind),
                    col(Contact.value),
                    col(Contact.is_primary),
                    col(Contact.consent_marketing_sms),
                    col(Contact.consent_at),
                    col(Contact.consent_source),
                    col(Contact.opted_out_at),
                )
                .where(col(Contact.customer_id) == CID)
                .order_by(col(Contact.is_primary).desc(), col(Contact.kind), col(Contact.id))
            ),
        ),
        cid=customer_id,
    )


def _blacklist(connection: Connection, customer_id: int) -> Blacklist:
    entry = connection.execute(
        _statement(
            "_blacklist",
            None,
            lambda: (
                select(
                    col(BlacklistEntry.reasons),
                    col(BlacklistEntry.approved_at),
                    col(BlacklistEntry.lifted_at),
                )
                .where(col(BlacklistEntry.customer_id) == CID)
                .order_by(col(BlacklistEntry.lifted_at).is_not(None), col(BlacklistEntry.id).desc())
                .limit(1)
            ),
        ),
        {"cid": customer_id},
    ).first()
    pending = connection.execute(
        _statement(
            "_pending",
            None,
            lambda: select(func.count(col(BlacklistNomination.id))).where(
                col(BlacklistNomination.customer_id) == CID,
                col(BlacklistNomination.status) == "pending",
            ),
        ),
        {"cid": customer_id},
    ).scalar()
    if entry is None:
        return Blacklist("none", pending_nomination=bool(pending))
    reasons = [r for r in (entry[0] or "").split(",") if r]
    return Blacklist(
        "lifted" if entry[2] is not None else "active",
        reasons,
        entry[1],
        entry[2],
        bool(pending),
    )


def _policies(connection: Connection, customer_id: int, today: date) -> list[dict[str, Any]]:
    rows = _rows(
        connection,
        _statement(
            "_policies",
            today,
            lambda: (
                select(
                    col(Policy.id),
                    col(Policy.policy_no),
                    col(Policy.line_code),
                    col(ProductLine.name_zh).label("line_zh"),
                    col(ProductLine.name_en).label("line_en"),
                    col(Policy.start_date),
                    col(Policy.end_date),
                    col(Policy.status),
                    col(Policy.premium),
                    col(Policy.sum_insured),
                    col(Policy.channel),
                    col(Policy.is_tender),
                    col(Policy.surplus_reinsurance),
                    col(Policy.facultative_reinsurance),
                    col(Policy.coinsurance),
                    col(Policy.coinsurance_share),
                    col(Vehicle.plate),
                    in_force_sql(Policy, today).label("in_force"),
                )
                .join(ProductLine, col(ProductLine.code) == col(Policy.line_code))
                .outerjoin(Vehicle, col(Vehicle.id) == col(Policy.vehicle_id))
                .where(col(Policy.customer_id) == CID)
                .order_by(col(Policy.start_date).desc(), col(Policy.id).desc())
            ),
        ),
        cid=customer_id,
    )
    for r in rows:
        r["line_name"] = r.pop("line_en") if is_english() else r.pop("line_zh")
        r.pop("line_zh", None)
        r.pop("line_en", None)
        r["in_force"] = bool(r["in_force"])
    return rows


def _vehicles(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return _rows(
        connection,
        _statement(
            "_vehicles",
            None,
            lambda: (
                select(
                    col(Vehicle.id),
                    col(Vehicle.plate),
                    col(Vehicle.vin),
                    col(Vehicle.make_model),
                    col(Vehicle.use),
                    col(Vehicle.seats),
                    col(Vehicle.fuel),
                    col(Vehicle.new_energy),
                    col(Vehicle.first_registration),
                    col(Vehicle.new_car_price),
                )
                .where(col(Vehicle.owner_customer_id) == CID)
                .order_by(col(Vehicle.id))
            ),
        ),
        cid=customer_id,
    )


def _claims(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return _rows(
        connection,
        _statement(
            "_claims",
            None,
            lambda: (
                select(
                    col(Claim.id),
                    col(Claim.claim_no),
                    col(Policy.policy_no),
                    col(Claim.loss_date),
                    col(Claim.report_date),
                    col(Claim.cause),
                    col(Claim.paid),
                    col(Claim.outstanding),
                    col(Claim.status),
                    col(Claim.fraud_suspected),
                    col(Claim.catastrophe_event_id),
                )
                .join(Policy, col(Policy.id) == col(Claim.policy_id))
                .where(col(Claim.customer_id) == CID)
                .order_by(col(Claim.report_date).desc(), col(Claim.id).desc())
            ),
        ),
        cid=customer_id,
    )


def _loss(
    connection: Connection, customer_id: int, today: date
) -> tuple[LossFigures, list[LossFigures]]:
    """Written / earned premium and claims per policy year (start year), in SQL."""
    year = extract("year", col(Policy.start_date))
    premiums = {
        int(r[0]): r[1:]
        for r in connection.execute(
            _statement(
                "_loss_premiums",
                today,
                lambda: (
                    select(
                        year,
                        func.count(),
                        func.sum(money_fen(col(Policy.premium))),
                        func.sum(earned_premium_sql(Policy, today)),
                    )
                    .where(col(Policy.customer_id) == CID)
                    .group_by(year)
                ),
            ),
            {"cid": customer_id},
        )
    }
    claims = {
        int(r[0]): r[1:]
        for r in connection.execute(
            _statement(
                "_loss_claims",
                None,
                lambda: (
                    select(
                        year,
                        func.count(),
                        func.sum(money_fen(col(Claim.paid))),
                        func.sum(money_fen(col(Claim.outstanding))),
                    )
                    .join(Policy, col(Policy.id) == col(Claim.policy_id))
                    .where(col(Policy.customer_id) == CID)
                    .group_by(year)
                ),
            ),
            {"cid": customer_id},
        )
    }
    years = sorted(set(premiums) | set(claims), reverse=True)
    per_year = []
    totals = [0, 0, 0, 0, 0, 0]
    for y in years:
        count, written, earned = premiums.get(y, (0, 0, 0))
        n_claims, paid, outstanding = claims.get(y, (0, 0, 0))
        parts = [count or 0, written or 0, earned or 0, n_claims or 0, paid or 0, outstanding or 0]
        totals = [a + b for a, b in zip(totals, parts, strict=True)]
        per_year.append(_figures(y, parts))
    return _figures(None, totals), per_year


def _figures(year: int | None, parts: list[int]) -> LossFigures:
    count, written, earned, n_claims, paid, outstanding = parts
    w, e, p, o = (from_fen(int(v)) for v in (written, earned, paid, outstanding))
    return LossFigures(
        year=year,
        policies=int(count),
        written=w,
        earned=e,
        paid=p,
        outstanding=o,
        claims=int(n_claims),
        earned_loss_ratio=earned_loss_ratio(p, o, e),
        simple_loss_ratio=simple_loss_ratio(p, w),
    )


def _receivables(connection: Connection, customer_id: int, today: date) -> list[dict[str, Any]]:
    rows = _rows(
        connection,
        _statement(
            "_receivables",
            None,
            lambda: (
                select(
                    col(Receivable.id),
                    col(Policy.policy_no),
                    col(Receivable.due_date),
                    col(Receivable.amount),
                    col(Receivable.paid_amount),
                    col(Receivable.settled_on),
                )
                .join(Policy, col(Policy.id) == col(Receivable.policy_id))
                .where(col(Receivable.customer_id) == CID)
                .order_by(col(Receivable.due_date).desc())
            ),
        ),
        cid=customer_id,
    )
    for r in rows:
        r["outstanding"] = r["amount"] - r["paid_amount"]
        open_ = r["settled_on"] is None and r["outstanding"] > 0
        r["overdue_days"] = (today - r["due_date"]).days if open_ and r["due_date"] < today else 0
    return rows


def _relations(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return _rows(
        connection,
        _statement(
            "_relations",
            None,
            lambda: (
                select(
                    col(CustomerRelation.relation),
                    col(CustomerRelation.related_customer_id),
                    col(Customer.name).label("related_name"),
                )
                .join(Customer, col(Customer.id) == col(CustomerRelation.related_customer_id))
                .where(col(CustomerRelation.customer_id) == CID)
                .order_by(col(CustomerRelation.id))
            ),
        ),
        cid=customer_id,
    )


def _service(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return _rows(
        connection,
        _statement(
            "_service",
            None,
            lambda: (
                select(
                    col(ServiceContact.occurred_at),
                    col(ServiceContact.kind),
                    col(ServiceContact.subject),
                    col(StaffUser.display_name).label("staff"),
                    col(ServiceContact.complaint_status),
                    col(ServiceContact.satisfaction),
                )
                .outerjoin(StaffUser, col(StaffUser.id) == col(ServiceContact.staff_id))
                .where(col(ServiceContact.customer_id) == CID)
                .order_by(col(ServiceContact.occurred_at).desc())
                .limit(500)
            ),
        ),
        cid=customer_id,
    )


def _class_history(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    rows = _rows(
        connection,
        _statement(
            "_class_history",
            None,
            lambda: (
                select(
                    col(CustomerClassHistory.changed_on),
                    col(CustomerClassHistory.from_class),
                    col(CustomerClassHistory.to_class),
                    col(CustomerClassHistory.reasons),
                    col(CustomerClassHistory.source),
                )
                .where(col(CustomerClassHistory.customer_id) == CID)
                .order_by(
                    col(CustomerClassHistory.changed_on).desc(), col(CustomerClassHistory.id).desc()
                )
            ),
        ),
        cid=customer_id,
    )
    for r in rows:
        r["reasons"] = reason_texts(parse_reasons(r["reasons"]))
    return rows


def _group(connection: Connection, group_id: int, today: date) -> Group | None:
    name = connection.execute(
        select(col(CorporateGroup.name)).where(col(CorporateGroup.id) == GID), {"gid": group_id}
    ).scalar()
    if name is None:
        return None
    since = today - timedelta(days=365)
    premium = (
        select(col(Policy.customer_id), func.sum(money_fen(col(Policy.premium))).label("fen"))
        .where(
            col(Policy.customer_id).in_(
                select(col(Customer.id)).where(col(Customer.group_id) == GID)
            ),
            col(Policy.start_date) > since,
            col(Policy.start_date) <= today,
        )
        .group_by(col(Policy.customer_id))
        .subquery()
    )
    members = [
        GroupMember(
            id=r[0],
            name=r[1],
            role="subsidiary" if r[2] else "head",
            unit_code=r[3],
            premium_12m=from_fen(int(r[4] or 0)),
        )
        for r in connection.execute(
            select(
                col(Customer.id),
                col(Customer.name),
                col(Customer.parent_customer_id),
                col(OrgUnit.code),
                premium.c.fen,
            )
            .join(OrgUnit, col(OrgUnit.id) == col(Customer.unit_id))
            .outerjoin(premium, premium.c.customer_id == col(Customer.id))
            .where(col(Customer.group_id) == GID)
            .order_by(col(Customer.parent_customer_id).is_not(None), col(Customer.id)),
            {"gid": group_id},
        )
    ]
    return Group(group_id, name, members, sum((m.premium_12m for m in members), Decimal("0.00")))
