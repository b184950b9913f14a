"""Vocabularies shared by storage, services and screens (English codes, as in the CLI contract).

Pure Python, no imports of the rest of the package, so every layer may use it.
"""

from enum import StrEnum


class UnitLevel(StrEnum):
    CENTRE = "centre"  # 中心支公司
    COUNTY = "county"  # 县支公司
    DEPARTMENT = "department"  # 营销服务部


class Role(StrEnum):
    COUNTER = "counter"
    UNDERWRITER = "underwriter"
    CLAIMS = "claims"
    SUPERVISOR = "supervisor"
    ACCOUNT_MANAGER = "account_manager"
    MANAGER = "manager"
    ADMIN = "admin"
    GATEWAY = "gateway"  # the SMS gateway's account: records inbound messages, nothing else


class CustomerKind(StrEnum):
    INDIVIDUAL = "individual"
    CORPORATE = "corporate"
    GOVERNMENT = "government"


class CustomerClass(StrEnum):
    FLOATING = "floating"
    PROSPECT = "prospect"
    STANDARD = "standard"
    QUALITY = "quality"
    KEY = "key"
    BLACKLIST = "blacklist"


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"
    CREDIT_CODE = "credit_code"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    OTHER = "other"


class ContactKind(StrEnum):
    MOBILE = "mobile"
    LANDLINE = "landline"
    ADDRESS = "address"
    EMAIL = "email"


class RelationKind(StrEnum):
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    HOUSEHOLD = "household"
    REFERRER = "referrer"  # related customer referred this one
    CONTACT_PERSON = "contact_person"  # an individual who is a company's contact
    DRIVER = "driver"  # designated driver of one of the customer's vehicles
    VEHICLE_OWNER = "vehicle_owner"


class VehicleUse(StrEnum):
    FAMILY = "family"  # 家庭自用汽车
    ENTERPRISE = "enterprise"  # 非营业客车 企业
    GOVERNMENT = "government"  # 非营业客车 机关
    TAXI = "taxi"  # 营业客车 出租租赁
    BUS = "bus"  # 营业客车 城市公交
    COACH = "coach"  # 营业客车 公路客运
    TRUCK = "truck"  # 非营业货车
    BUSINESS_TRUCK = "business_truck"  # 营业货车
    MOTORCYCLE = "motorcycle"
    TRACTOR = "tractor"
    SPECIAL = "special"


class Fuel(StrEnum):
    PETROL = "petrol"
    DIESEL = "diesel"
    HYBRID = "hybrid"  # plug-in hybrid counts as new energy
    ELECTRIC = "electric"


class Channel(StrEnum):
    DIRECT = "direct"
    AGENCY = "agency"
    BROKER = "broker"
    DEALER = "dealer"  # car dealership (4S) agency
    BANK = "bank"
    PHONE = "phone"
    ONLINE = "online"


class IntermediaryKind(StrEnum):
    AGENCY = "agency"
    BROKER = "broker"
    DEALER = "dealer"
    BANK = "bank"


class PolicyStatus(StrEnum):
    ACTIVE = "active"  # in force is a matter of dates; active means not cancelled
    CANCELLED = "cancelled"


class ClaimStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class NominationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"


class BlacklistReason(StrEnum):
    FREQUENT_CLAIMS = "frequent_claims"
    FRAUD = "fraud"
    HARD_TO_SETTLE = "hard_to_settle"
    PRE_CATASTROPHE = "pre_catastrophe"
    OTHER = "other"


class ServiceKind(StrEnum):
    VISIT = "visit"
    CALL = "call"
    CALL_CENTRE = "call_centre"  # 95585
    COMPLAINT = "complaint"
    RENEWAL_REMINDER = "renewal_reminder"
    CLAIM_CARE = "claim_care"
    DISASTER_WARNING = "disaster_warning"
    PROPOSAL_PRINTED = "proposal_printed"


class CustomerSource(StrEnum):
    CORE = "core"  # core policy system
    REGISTRY = "registry"  # regional vehicle registry 社会车辆系统
    YELLOW_PAGES = "yellow_pages"
    ENTERPRISE_LIST = "enterprise_list"
    WALK_IN = "walk_in"
    REFERRAL = "referral"
    DEALER = "dealer"  # a car dealer's list 车商
    GUARANTEE = "guarantee"  # a guarantee company's list 担保公司


class ProspectFactKind(StrEnum):
    INTENT = "intent"  # declared an intention to insure 投保意向
    LOST = "lost"  # lost to a competitor 流失至竞争对手


# Product lines (险种). Motor is most of the book.
LINE_CTPL = "ctpl"  # 交强险
LINE_MOTOR_COMMERCIAL = "motor_commercial"  # 商业车险
LINE_PROPERTY = "property"  # 企业财产险
LINE_HOME = "home"  # 家财险
LINE_CARGO = "cargo"  # 货运险
LINE_LIABILITY = "liability"  # 责任险
LINE_ACCIDENT = "accident"  # 意外险
LINE_ENGINEERING = "engineering"  # 工程险
LINE_HEALTH = "health"  # 短期健康险
MOTOR_LINES = (LINE_CTPL, LINE_MOTOR_COMMERCIAL)

# What `tui-crm validate KIND` checks: resident ID, credit code, phone, plate, VIN.
IDENTIFIER_KINDS = ("id", "uscc", "phone", "plate", "vin")

# The fields whose surviving value the user chooses when two records of one customer are
# merged, in the order the merge screen shows them.
MERGE_FIELDS = (
    "name",
    "id_number",
    "birth_date",
    "gender",
    "industry",
    "ownership",
    "source",
    "account_manager_id",
    "group_id",
    "intermediary_id",
    "note",
)
