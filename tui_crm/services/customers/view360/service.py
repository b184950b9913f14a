"""The customer 360 read model: everything about one customer in one short transaction.

Header (class and why, flags, blacklist status, account manager, unit), policies with
reinsurance / co-insurance marks, vehicles, claims with loss ratios overall and per
policy year (aggregated in SQL), receivables, contacts and consent, service history,
class history and the corporate group with its rolled-up premium. Personal data is
masked here; `CustomerService.reveal` is the one audited way to the full values.
"""

from datetime import date
from typing import Any

from sqlalchemy import Connection

from tui_crm.i18n import tr
from tui_crm.services.core.masking import mask_id_number, mask_phone
from tui_crm.services.customers.view360 import sql as q
from tui_crm.services.customers.view360 import sums
from tui_crm.services.customers.view360.data import (
    Blacklist,
    Customer360,
    Group,
    GroupMember,
    LossFigures,
    parse_reasons,
    personal_id,
    reason_texts,
)

PHONE_KINDS = ("mobile", "landline")

__all__ = [
    "Blacklist",
    "Customer360",
    "Group",
    "GroupMember",
    "LossFigures",
    "load",
    "personal_id",
]


OTHER_UNIT = ("其他机构客户", "customer of another unit")


def load(
    connection: Connection, customer_id: int, today: date, scope: frozenset[int]
) -> Customer360 | None:
    """The 360 view; related customers and group members outside `scope` (the reader's
    units) show as another unit's, never by name, id or figures."""
    head = connection.execute(q.statement("head", None, q.head), {"cid": customer_id}).first()
    if head is None:
        return None
    row = head._mapping

    def get(name: str) -> Any:
        return row[name]

    contacts = q.contacts(connection, customer_id)
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
        blacklist=q.blacklist(connection, customer_id),
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
    view.policies = q.policies(connection, customer_id, today)
    view.vehicles = q.vehicles(connection, customer_id)
    view.claims = q.claims(connection, customer_id)
    view.loss, view.loss_by_year = sums.loss(connection, customer_id, today)
    view.receivables = q.receivables(connection, customer_id, today)
    view.relations = [_scoped_relation(r, scope) for r in q.relations(connection, customer_id)]
    view.service = q.service(connection, customer_id)
    view.class_history = q.class_history(connection, customer_id)
    group_id = get("group_id")
    if group_id:
        view.group = sums.group(connection, group_id, today, scope)
    if view.kind != "individual":
        view.parent_company, view.subsidiaries = sums.related(
            connection, customer_id, get("parent_customer_id"), scope
        )
    return view


def _scoped_relation(row: dict[str, Any], scope: frozenset[int]) -> dict[str, Any]:
    in_scope = row.pop("related_unit_id") in scope
    if not in_scope:
        row["related_customer_id"] = None
        row["related_name"] = tr(*OTHER_UNIT)
    return row
