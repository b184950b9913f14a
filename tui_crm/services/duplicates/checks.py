"""What a merge and an unmerge refuse, and where a merged record now lives."""

import json

from sqlalchemy import or_
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core.errors import Conflict
from tui_crm.storage.models import BlacklistEntry, BlacklistNomination, Customer, CustomerMerge


def resolve(session: Session, customer_id: int) -> int | None:
    """The survivor a merged record now lives on, following merges of merges."""
    current, seen = customer_id, set()
    while current not in seen:
        seen.add(current)
        survivor = session.exec(
            select(CustomerMerge.survivor_id).where(
                CustomerMerge.merged_id == current, col(CustomerMerge.unmerged_at).is_(None)
            )
        ).first()
        if survivor is None:
            break
        current = survivor
    return None if current == customer_id else current


def refuse_blacklist_clash(session: Session, a: int, b: int) -> None:
    """Both records with an open nomination, or both blacklisted: one must be settled first."""
    for model, where in (
        (BlacklistNomination, col(BlacklistNomination.status).in_(("pending", "returned"))),
        (BlacklistEntry, col(BlacklistEntry.lifted_at).is_(None)),
    ):
        holders = session.exec(
            select(model.customer_id).where(col(model.customer_id).in_((a, b)), where)
        ).all()
        if len(set(holders)) == 2:
            raise Conflict(
                tr(
                    "两条记录都有未结的黑名单提名或黑名单记录，请先处理其一",
                    "Both records have an open blacklist nomination or entry; settle one first",
                ),
                code="blacklist_clash",
            )


def refuse_later_changes(session: Session, row: CustomerMerge, survivor: Customer) -> None:
    after = json.loads(row.survivor_after)
    later = session.exec(
        select(CustomerMerge.id).where(
            col(CustomerMerge.id) > row.id,
            col(CustomerMerge.unmerged_at).is_(None),
            or_(
                col(CustomerMerge.survivor_id) == row.survivor_id,
                col(CustomerMerge.merged_id) == row.survivor_id,
            ),
        )
    ).first()
    if later is not None:
        raise Conflict(
            tr(
                "保留的客户之后又参与了合并，请先撤销之后的合并",
                "The survivor was merged again since; undo the later merge first",
            ),
            code="merged_since",
        )
    if survivor.version != after.get("version"):
        raise Conflict(
            tr(
                "合并后保留的客户已被修改，不能原样恢复",
                "The survivor was edited after the merge; it cannot be restored exactly",
            ),
            code="stale_version",
        )
