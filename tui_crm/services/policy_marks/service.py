"""Reinsurance (溢额再保 surplus, 临分 facultative) and co-insurance (共保) marks on a
policy: imports set them, a correction by an underwriter, manager or administrator
(`policy.mark`) is checked and audited with before and after."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlmodel import select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.storage.db import Database
from tui_crm.storage.models import Policy

FLAGS = ("surplus_reinsurance", "facultative_reinsurance", "coinsurance", "coinsurance_lead")
SHARES = ("reinsurance_share", "coinsurance_share")


@dataclass(frozen=True)
class PolicyMarks:
    policy_no: str
    surplus_reinsurance: bool
    facultative_reinsurance: bool
    coinsurance: bool
    coinsurance_lead: bool | None
    reinsurance_share: Decimal | None
    coinsurance_share: Decimal | None


class PolicyMarkService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def marks(self, actor: Actor, policy_no: str) -> PolicyMarks:
        """The marks of a policy of the user's units."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            policy = session.exec(
                select(Policy).where(Policy.policy_no == policy_no.strip())
            ).first()
            if policy is None:
                raise NotFound(tr("没有保单 {p}", "No policy {p}", p=policy_no), field="policy")
            actor.require_scope(policy.unit_id)
            return _marks(policy)

    def correct(self, actor: Actor, policy_no: str, changes: dict[str, str]) -> PolicyMarks:
        """Set the marks named in `changes` ("yes"/"no" flags, shares as fractions 0–1,
        "" clears a share)."""
        actor.require(Permission.POLICY_MARK)
        values = {name: _value(name, text) for name, text in changes.items()}
        with self.database.session() as session:
            policy = session.exec(
                select(Policy).where(Policy.policy_no == policy_no.strip())
            ).first()
            if policy is None:
                raise NotFound(tr("没有保单 {p}", "No policy {p}", p=policy_no), field="policy")
            actor.require_scope(policy.unit_id)
            before = _marks(policy)
            for name, value in values.items():
                setattr(policy, name, value)
            if not policy.coinsurance and (policy.coinsurance_share or policy.coinsurance_lead):
                raise ValidationFailed(
                    tr(
                        "非共保保单不填共保份额与主承",
                        "Only a co-insured policy has a share or lead",
                    ),
                    field="coinsurance",
                )
            after = _marks(policy)
            if after == before:
                raise Conflict(tr("没有修改", "Nothing changed"), code="unchanged")
            session.add(policy)
            audit.record(
                session, actor, "update", entity="policy", entity_id=policy.policy_no,
                before=before.__dict__, after=after.__dict__, detail="marks",
            )  # fmt: skip
            session.commit()
            return after


def _value(name: str, text: str) -> object:
    if name in FLAGS:
        word = (text or "").strip().lower()
        if word in ("yes", "y", "1", "true", "是"):
            return True
        if word in ("no", "n", "0", "false", "否"):
            return False
        raise ValidationFailed(tr("请填 yes 或 no", "Answer yes or no"), field=name)
    if name in SHARES:
        if not (text or "").strip():
            return None
        try:
            share = Decimal(text.strip())
        except InvalidOperation:
            share = Decimal(-1)
        if (
            not share.is_finite()
            or not 0 < share <= 1
            or share != share.quantize(Decimal("0.000001"))
        ):
            raise ValidationFailed(
                tr("份额为 0 到 1 之间的小数（如 0.3），最多 6 位小数",
                   "A share is a fraction above 0 up to 1 (0.3), 6 decimals at most"),
                field=name,
            )  # fmt: skip
        return share
    raise ValidationFailed(tr("不能修改 {n}", "Not a mark: {n}", n=name), field=name)


def _marks(p: Policy) -> PolicyMarks:
    return PolicyMarks(
        p.policy_no, p.surplus_reinsurance, p.facultative_reinsurance, p.coinsurance,
        p.coinsurance_lead, p.reinsurance_share, p.coinsurance_share,
    )  # fmt: skip
