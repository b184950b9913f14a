"""The acting user every service call takes: identity, role, org scope and permissions."""

from dataclasses import dataclass, field

from tui_crm.i18n import tr
from tui_crm.services.core.errors import Forbidden


class Permission:
    """Permission codes. Which role holds which is data (table role_permission)."""

    CUSTOMER_READ = "customer.read"
    CUSTOMER_WRITE = "customer.write"
    CUSTOMER_MOVE = "customer.move_unit"
    CUSTOMER_MERGE = "customer.merge"  # duplicates: review, merge, unmerge
    CUSTOMER_ASSIGN = "customer.assign"  # account managers, one or in bulk
    INTERMEDIARY_EDIT = "intermediary.edit"  # agents, brokers, dealers: codes and rates
    DISASTER_EDIT = "disaster.edit"  # typhoons, floods: dates and districts
    ADJUSTER_EDIT = "adjuster.edit"  # the roster of loss adjusters on duty
    POLICY_MARK = "policy.mark"  # reinsurance and co-insurance marks corrected by hand
    PROSPECT_RECORD = "prospect.record"  # an intention declared, a customer lost to a rival
    GROUP_EDIT = "group.edit"  # corporate groups and parent/subsidiary links
    PII_REVEAL = "pii.reveal"  # show one customer's full ID number / phone (audited)
    PII_UNMASKED_EXPORT = "pii.export_unmasked"  # none by default
    EXPORT = "export.create"
    REPORT_RUN = "report.run"
    BLACKLIST_NOMINATE = "blacklist.nominate"
    BLACKLIST_REVIEW = "blacklist.review"
    BLACKLIST_LIFT = "blacklist.lift"
    CLASSIFY_RUN = "classification.run"
    THRESHOLD_EDIT = "threshold.edit"
    QUOTE = "quote.run"
    PROPOSAL_PRINT = "proposal.print"
    VEHICLE_PRICE_EDIT = "vehicle_price.edit"
    RATE_TABLE_EDIT = "rate_table.edit"
    SERVICE_RECORD = "service.record"
    SMS_SEND = "sms.send"
    SMS_RECEIVE = "sms.receive"  # the gateway's inbound hook, not a clerk's
    SMS_DISPATCH = "sms.dispatch"  # the dispatcher hands queued SMS to the gateway
    CAMPAIGN_RUN = "campaign.run"  # build, preview, queue and cancel SMS campaigns
    CAMPAIGN_APPROVE = "campaign.approve"  # large marketing campaigns need a supervisor
    IMPORT_RUN = "import.run"
    USER_ADMIN = "user.admin"
    AUDIT_READ = "audit.read"


@dataclass(frozen=True)
class Actor:
    id: int
    username: str
    display_name: str
    role: str
    unit_id: int
    unit_code: str
    unit_path: str
    scope_unit_ids: frozenset[int]
    permissions: frozenset[str] = field(default_factory=frozenset)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if permission not in self.permissions:
            raise Forbidden(
                tr(
                    "角色“{role}”无权执行此操作（需要 {perm}）",
                    "Role '{role}' may not do this (needs {perm})",
                    role=self.role,
                    perm=permission,
                ),
                code="wrong_role",
            )

    def in_scope(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.scope_unit_ids

    def require_scope(self, unit_id: int | None) -> None:
        if not self.in_scope(unit_id):
            raise Forbidden(
                tr("超出本机构及下级机构的范围", "Outside your unit and the units below it"),
                code="out_of_scope",
            )
