"""The duplicate check before a customer is saved.

Also refuses the same new customer saved twice by one user within seconds (`core.repeat`).

Searches the whole book (not only the clerk's units): the same ID number or credit code
is a hard stop; the same phone, or the same name and birth date (the same name for a
company), is a warning the clerk may accept. A match outside the clerk's units is
reported only as "already a customer of unit X" — no name, no number.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import repeat
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import Conflict
from tui_crm.storage.models import Contact, Customer, OrgUnit, RecentSubmit

LIMIT = 5


@dataclass(frozen=True)
class Duplicate:
    reason: str  # id_number / phone / name_birth / name
    hard: bool  # the same ID number or credit code: never saved twice
    unit_name: str
    customer_id: int | None = None  # None when outside the actor's units
    name: str | None = None

    @property
    def message(self) -> str:
        what = {
            "id_number": tr("证件号相同", "same ID number"),
            "phone": tr("电话相同", "same phone"),
            "name_birth": tr("姓名和出生日期相同", "same name and birth date"),
            "name": tr("名称相同", "same name"),
        }[self.reason]
        if self.customer_id is None:
            return tr(
                "已是“{u}”的客户（{w}）",
                "Already a customer of {u} ({w})",
                u=self.unit_name,
                w=what,
            )
        return tr(
            "可能重复：{n}（客户号 {i}，{u}）— {w}",
            "Possible duplicate: {n} (customer {i}, {u}) — {w}",
            n=self.name,
            i=self.customer_id,
            u=self.unit_name,
            w=what,
        )


class DuplicateFound(Conflict):
    code = "duplicate"

    def __init__(self, duplicates: list[Duplicate]) -> None:
        hard = any(d.hard for d in duplicates)
        lead = (
            tr("该证件号已存在，不能重复建档：", "This ID number is already on file: ")
            if hard
            else tr("发现可能重复的客户：", "Possible duplicates found: ")
        )
        field = "id_number" if hard else ("phone" if duplicates[0].reason == "phone" else "name")
        super().__init__(lead + "；".join(d.message for d in duplicates), field=field)
        self.duplicates = duplicates
        self.hard = hard


def find_duplicates(
    session: Session, actor: Actor, values: dict[str, Any], *, exclude_id: int | None = None
) -> list[Duplicate]:
    found: dict[tuple[int, str], Duplicate] = {}

    def add(rows: Any, reason: str, hard: bool) -> None:
        for customer_id, name, unit_id, unit_name in rows:
            if customer_id == exclude_id or (customer_id, reason) in found:
                continue
            visible = actor.in_scope(unit_id)
            found[(customer_id, reason)] = Duplicate(
                reason,
                hard,
                unit_name,
                customer_id if visible else None,
                name if visible else None,
            )

    base = select(Customer.id, Customer.name, Customer.unit_id, OrgUnit.name).join(
        OrgUnit, col(OrgUnit.id) == col(Customer.unit_id)
    )
    if values.get("id_number"):
        add(
            session.exec(base.where(Customer.id_number == values["id_number"]).limit(LIMIT)),
            "id_number",
            True,
        )
    phones = [values[k] for k in ("mobile", "landline") if values.get(k)]
    if phones:
        add(
            session.exec(
                base.join(Contact, col(Contact.customer_id) == col(Customer.id))
                .where(col(Contact.value_norm).in_(phones))
                .limit(LIMIT)
            ),
            "phone",
            False,
        )
    name = values.get("name")
    if name and values.get("kind") == "individual" and values.get("birth_date"):
        add(
            session.exec(
                base.where(
                    Customer.name == name, Customer.birth_date == values["birth_date"]
                ).limit(LIMIT)
            ),
            "name_birth",
            False,
        )
    elif name and values.get("kind") in ("corporate", "government"):
        add(session.exec(base.where(Customer.name == name).limit(LIMIT)), "name", False)
    return sorted(found.values(), key=lambda d: (not d.hard, d.reason))


def claim_new_customer(
    session: Session, actor: Actor, values: dict[str, Any], now: datetime
) -> RecentSubmit:
    """The same new customer (name with ID number and phones) saved twice by the same
    user within seconds is saved once: the second save is refused naming the first."""
    digest = repeat.fingerprint(
        values.get("name"), values.get("id_number"), values.get("mobile"), values.get("landline")
    )
    return repeat.claim(session, actor, "customer", digest, now, ("客户", "customer"))
