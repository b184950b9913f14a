"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from tui_crm.storage.models.adjuster import AdjusterShift, UnitServicePhone
from tui_crm.storage.models.audit import AuditChain, AuditLog
from tui_crm.storage.models.branch import AccountManagerChange, CatastropheDistrict
from tui_crm.storage.models.classification import (
    BlacklistEntry,
    BlacklistNomination,
    BlacklistReview,
    ClassificationRun,
    ClassMonthlyCount,
    CustomerClassHistory,
    Threshold,
)
from tui_crm.storage.models.customer import (
    Contact,
    CorporateGroup,
    Customer,
    CustomerRelation,
    CustomerUnitMove,
    Intermediary,
    RecentView,
)
from tui_crm.storage.models.derived import DerivedChange
from tui_crm.storage.models.group import CorporateGroupHead
from tui_crm.storage.models.import_rows import ImportRow
from tui_crm.storage.models.imports import CustomerExternalKey, ImportBatch
from tui_crm.storage.models.merge import CustomerMerge
from tui_crm.storage.models.meta import BookMeta
from tui_crm.storage.models.org import OrgUnit, RolePermission, StaffUser
from tui_crm.storage.models.outreach import (
    SmsCampaign,
    SmsCampaignMember,
    SmsDelivery,
)
from tui_crm.storage.models.pinyin import CustomerPinyin
from tui_crm.storage.models.policy import (
    CatastropheEvent,
    Claim,
    Payment,
    Policy,
    ProductLine,
    Receivable,
)
from tui_crm.storage.models.prospect import ProspectFact
from tui_crm.storage.models.reference import RateEntry, RateTable
from tui_crm.storage.models.registry import RegistryBatch, RegistryRecord
from tui_crm.storage.models.service import ServiceContact, SmsMessage, SmsTemplate
from tui_crm.storage.models.session_token import SessionToken
from tui_crm.storage.models.sms_callback import SmsCallback
from tui_crm.storage.models.source_list import CustomerSourceList, SourceList
from tui_crm.storage.models.staff_sms import StaffSmsPhone, StaffSmsQuery
from tui_crm.storage.models.submit import RecentSubmit
from tui_crm.storage.models.vehicle import RegistryVehicle, Vehicle, VehiclePrice
from tui_crm.storage.models.worklist import ComplaintTrack, RenewalFollowUp, ServiceTask

__all__ = [
    "AccountManagerChange",
    "AdjusterShift",
    "AuditChain",
    "AuditLog",
    "BlacklistEntry",
    "BlacklistNomination",
    "BlacklistReview",
    "BookMeta",
    "CatastropheDistrict",
    "CatastropheEvent",
    "Claim",
    "ClassMonthlyCount",
    "ClassificationRun",
    "ComplaintTrack",
    "Contact",
    "CorporateGroup",
    "CorporateGroupHead",
    "Customer",
    "CustomerClassHistory",
    "CustomerExternalKey",
    "CustomerMerge",
    "CustomerPinyin",
    "CustomerRelation",
    "CustomerSourceList",
    "CustomerUnitMove",
    "DerivedChange",
    "ImportBatch",
    "ImportRow",
    "Intermediary",
    "OrgUnit",
    "Payment",
    "Policy",
    "ProductLine",
    "ProspectFact",
    "RateEntry",
    "RateTable",
    "Receivable",
    "RecentSubmit",
    "RecentView",
    "RegistryBatch",
    "RegistryRecord",
    "RegistryVehicle",
    "RenewalFollowUp",
    "RolePermission",
    "ServiceContact",
    "ServiceTask",
    "SessionToken",
    "SmsCallback",
    "SmsCampaign",
    "SmsCampaignMember",
    "SmsDelivery",
    "SmsMessage",
    "SmsTemplate",
    "SourceList",
    "StaffSmsPhone",
    "StaffSmsQuery",
    "StaffUser",
    "Threshold",
    "UnitServicePhone",
    "Vehicle",
    "VehiclePrice",
]
