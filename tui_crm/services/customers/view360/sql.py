"""The queries of the customer 360 view, one per subject, built once and reused with the
customer id as a parameter (building SQL expressions costs more than running them).
Aggregates (written and earned premium, paid and outstanding claims per policy year, the
group roll-up) are computed in SQL on both databases."""

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlmodel import col

from tui_crm.i18n import is_english
from tui_crm.services.core.earned import (
    in_force_sql,
)
from tui_crm.services.customers.view360.data import (
    Blacklist,
    parse_reasons,
    reason_texts,
)
from tui_crm.storage.models import (
    BlacklistEntry,
    BlacklistNomination,
    Claim,
    Contact,
    Customer,
    CustomerClassHistory,
    CustomerRelation,
    OrgUnit,
    Policy,
    ProductLine,
    Receivable,
    ServiceContact,
    SmsMessage,
    StaffUser,
    Vehicle,
)

CID: Any = bindparam("cid")
GID: Any = bindparam("gid")
_STATEMENTS: dict[tuple[str, date | None], Any] = {}


def head() -> Any:
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


def statement(key: str, today: date | None, build: Callable[[], Any]) -> Any:
    """Statements are built once (per day when they depend on the date) and reused with
    the customer id as a parameter: building SQL expressions costs more than running them."""
    statement = _STATEMENTS.get((key, today))
    if statement is None:
        if len(_STATEMENTS) > 200:
            _STATEMENTS.clear()
        statement = _STATEMENTS[(key, today)] = build()
    return statement


def rows_of(connection: Connection, query: Any, **params: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in connection.execute(query, params)]


def contacts(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return rows_of(
        connection,
        statement(
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


def blacklist(connection: Connection, customer_id: int) -> Blacklist:
    entry = connection.execute(
        statement(
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
        statement(
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


def policies(connection: Connection, customer_id: int, today: date) -> list[dict[str, Any]]:
    rows = rows_of(
        connection,
        statement(
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


def vehicles(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return rows_of(
        connection,
        statement(
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


def claims(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return rows_of(
        connection,
        statement(
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


def receivables(connection: Connection, customer_id: int, today: date) -> list[dict[str, Any]]:
    rows = rows_of(
        connection,
        statement(
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


def relations(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    return rows_of(
        connection,
        statement(
            "_relations",
            None,
            lambda: (
                select(
                    col(CustomerRelation.relation),
                    col(CustomerRelation.related_customer_id),
                    col(Customer.name).label("related_name"),
                    col(Customer.unit_id).label("related_unit_id"),
                )
                .join(Customer, col(Customer.id) == col(CustomerRelation.related_customer_id))
                .where(col(CustomerRelation.customer_id) == CID)
                .order_by(col(CustomerRelation.id))
            ),
        ),
        cid=customer_id,
    )


def service(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    """Service contacts and the customer's SMS replies, newest first."""
    return rows_of(
        connection,
        statement(
            "_service",
            None,
            lambda: (
                union_all(
                    select(
                        col(ServiceContact.occurred_at),
                        col(ServiceContact.kind),
                        col(ServiceContact.subject),
                        col(StaffUser.display_name).label("staff"),
                        col(ServiceContact.complaint_status),
                        col(ServiceContact.satisfaction),
                    )
                    .outerjoin(StaffUser, col(StaffUser.id) == col(ServiceContact.staff_id))
                    .where(col(ServiceContact.customer_id) == CID),
                    select(
                        col(SmsMessage.created_at).label("occurred_at"),
                        literal("sms_reply").label("kind"),
                        col(SmsMessage.body).label("subject"),
                        null().label("staff"),
                        null().label("complaint_status"),
                        null().label("satisfaction"),
                    ).where(col(SmsMessage.customer_id) == CID, col(SmsMessage.direction) == "in"),
                )
                .order_by(literal_column("occurred_at").desc())
                .limit(500)
            ),
        ),
        cid=customer_id,
    )


def class_history(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    rows = rows_of(
        connection,
        statement(
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
