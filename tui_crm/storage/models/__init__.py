"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from tui_crm.storage.models.audit import AuditChain, AuditLog
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
from tui_crm.storage.models.meta import BookMeta
from tui_crm.storage.models.org import OrgUnit, RolePermission, StaffUser
from tui_crm.storage.models.pinyin import CustomerPinyin
from tui_crm.storage.models.policy import (
    CatastropheEvent,
    Claim,
    Payment,
    Policy,
    ProductLine,
    Receivable,
)
from tui_crm.storage.models.reference import RateEntry, RateTable
from tui_crm.storage.models.service import ServiceContact, SmsMessage, SmsTemplate
from tui_crm.storage.models.submit import RecentSubmit
from tui_crm.storage.models.vehicle import RegistryVehicle, Vehicle, VehiclePrice

__all__ = [
    "AuditChain",
    "AuditLog",
    "BlacklistEntry",
    "BlacklistNomination",
    "BlacklistReview",
    "BookMeta",
    "CatastropheEvent",
    "Claim",
    "ClassMonthlyCount",
    "ClassificationRun",
    "Contact",
    "CorporateGroup",
    "Customer",
    "CustomerClassHistory",
    "CustomerPinyin",
    "CustomerRelation",
    "CustomerUnitMove",
    "Intermediary",
    "OrgUnit",
    "Payment",
    "Policy",
    "ProductLine",
    "RateEntry",
    "RateTable",
    "Receivable",
    "RecentSubmit",
    "RecentView",
    "RegistryVehicle",
    "RolePermission",
    "ServiceContact",
    "SmsMessage",
    "SmsTemplate",
    "StaffUser",
    "Threshold",
    "Vehicle",
    "VehiclePrice",
]
