"""The words for every code the product stores: one place, the wording a counter clerk uses.

Screens, widgets, the CLI, reports and exports all read these tables through `label(kind,
code)`, so a class, a status or a vehicle use is called the same everywhere (游离客户, not
游离 in one place and 游离客户 in another). Plain data: no Textual, no services.
"""

from tui_crm.i18n import tr
from tui_crm.i18n.audit_words import AUDIT_ACTION, AUDIT_ENTITY, Words

CUSTOMER_CLASS: Words = {
    "floating": ("游离客户", "Floating"),
    "prospect": ("准客户", "Prospect"),
    "standard": ("标准客户", "Standard"),
    "quality": ("优质客户", "Quality"),
    "key": ("重要客户", "Key"),
    "blacklist": ("黑名单客户", "Blacklisted"),
}
CUSTOMER_KIND: Words = {
    "individual": ("个人", "Individual"),
    "corporate": ("企业", "Company"),
    "government": ("机关", "Authority"),
}
ID_TYPE: Words = {
    "resident_id": ("居民身份证", "Resident ID card"),
    "credit_code": ("统一社会信用代码", "Unified social credit code"),
    "passport": ("护照", "Passport"),
    "hk_macao_permit": ("港澳居民来往内地通行证", "Home-return permit"),
    "other": ("其他证件", "Other document"),
}
GENDER: Words = {"M": ("男", "Male"), "F": ("女", "Female")}
OWNERSHIP: Words = {
    "state": ("国有", "State-owned"),
    "private": ("民营", "Private"),
    "foreign": ("外资", "Foreign-owned"),
    "collective": ("集体", "Collective"),
    "government": ("机关事业", "Public body"),
}
CUSTOMER_SOURCE: Words = {
    "core": ("核心业务系统", "Core policy system"),
    "registry": ("社会车辆系统", "Vehicle registry"),
    "yellow_pages": ("黄页", "Yellow pages"),
    "enterprise_list": ("企业名录", "Enterprise list"),
    "walk_in": ("上门客户", "Walk-in"),
    "referral": ("转介绍", "Referral"),
    "dealer": ("车商", "Car dealer"),
    "guarantee": ("担保公司", "Guarantee company"),
}
PROSPECT_FACT: Words = {
    "intent": ("投保意向", "Intention to insure"),
    "lost": ("流失至竞争对手", "Lost to a competitor"),
}
CONTACT_KIND: Words = {
    "mobile": ("手机", "Mobile"),
    "landline": ("固定电话", "Landline"),
    "address": ("地址", "Address"),
    "email": ("电子邮箱", "E-mail"),
}
RELATION: Words = {
    "spouse": ("配偶", "Spouse"),
    "child": ("子女", "Child"),
    "parent": ("父母", "Parent"),
    "household": ("同户", "Same household"),
    "referrer": ("介绍人", "Referrer"),
    "contact_person": ("联系人", "Contact person"),
    "driver": ("指定驾驶人", "Designated driver"),
    "vehicle_owner": ("车主", "Vehicle owner"),
}
VEHICLE_USE: Words = {
    "family": ("家庭自用汽车", "Family car"),
    "enterprise": ("企业非营业客车", "Company car"),
    "government": ("机关非营业客车", "Authority car"),
    "taxi": ("出租租赁客车", "Taxi / rental"),
    "bus": ("城市公交客车", "City bus"),
    "coach": ("公路客运客车", "Coach"),
    "truck": ("非营业货车", "Non-business truck"),
    "business_truck": ("营业货车", "Business truck"),
    "motorcycle": ("摩托车", "Motorcycle"),
    "tractor": ("拖拉机", "Tractor"),
    "special": ("特种车", "Special vehicle"),
}
FUEL: Words = {
    "petrol": ("汽油", "Petrol"),
    "diesel": ("柴油", "Diesel"),
    "hybrid": ("插电混动", "Plug-in hybrid"),
    "electric": ("纯电动", "Electric"),
}
CHANNEL: Words = {
    "direct": ("直销", "Direct"),
    "agency": ("代理", "Agency"),
    "broker": ("经纪", "Broker"),
    "dealer": ("车商", "Car dealer"),
    "bank": ("银行", "Bank"),
    "phone": ("电销", "Phone sales"),
    "online": ("网销", "Online"),
}
INTERMEDIARY_KIND: Words = {
    "agency": ("代理机构", "Agency"),
    "broker": ("经纪公司", "Broker"),
    "dealer": ("车商", "Car dealer"),
    "bank": ("银行", "Bank"),
}
PRODUCT_LINE: Words = {
    "ctpl": ("交强险", "Compulsory traffic liability"),
    "motor_commercial": ("商业车险", "Commercial motor"),
    "property": ("企业财产险", "Commercial property"),
    "home": ("家庭财产险", "Home contents"),
    "cargo": ("货物运输险", "Cargo"),
    "liability": ("责任险", "Liability"),
    "accident": ("意外伤害险", "Personal accident"),
    "engineering": ("工程险", "Engineering"),
    "health": ("短期健康险", "Short-term health"),
    "other": ("其他险种", "Other"),
}
COVERAGE: Words = {
    "damage": ("机动车损失保险", "Vehicle damage"),
    "third_party": ("第三者责任保险", "Third-party liability"),
    "driver": ("车上人员责任险（司机）", "Driver seat cover"),
    "passenger": ("车上人员责任险（乘客）", "Passenger seat cover"),
    "scratch": ("附加车身划痕损失险", "Body scratch rider"),
    "holiday_double": ("附加法定节假日限额翻倍险", "Holiday double-limit rider"),
    "medical_extra": ("附加医保外医疗费用责任险", "Non-insured medical costs rider"),
}
CAUSE_OF_LOSS: Words = {
    "collision": ("碰撞", "Collision"),
    "scratch": ("划痕", "Scratch"),
    "glass": ("玻璃破碎", "Broken glass"),
    "flood": ("水淹", "Flood"),
    "theft": ("盗抢", "Theft"),
    "fire": ("火灾", "Fire"),
    "injury": ("人身伤害", "Injury"),
    "cargo_damage": ("货物受损", "Cargo damage"),
    "liability": ("第三者索赔", "Third-party claim"),
    "illness": ("疾病住院", "Illness"),
    "water_damage": ("水管爆裂", "Water damage"),
    "engineering": ("施工事故", "Construction accident"),
    "other": ("其他", "Other"),
}
POLICY_STATUS: Words = {
    "active": ("有效", "Active"),
    "cancelled": ("已退保", "Cancelled"),
}
CLAIM_STATUS: Words = {
    "open": ("未决", "Open"),
    "closed": ("已结案", "Closed"),
    "declined": ("拒赔", "Declined"),
    "withdrawn": ("已撤案", "Withdrawn"),
}
RECEIVABLE_STATUS: Words = {
    "paid": ("已缴清", "Paid in full"),
    "partial": ("部分缴费", "Partly paid"),
    "due": ("未到期未缴", "Not yet due"),
    "overdue": ("逾期未缴", "Overdue"),
}
PAYMENT_METHOD: Words = {
    "cash": ("现金", "Cash"),
    "card": ("刷卡", "Card"),
    "transfer": ("转账", "Transfer"),
    "pos": ("POS 机", "POS terminal"),
}
CATASTROPHE_KIND: Words = {
    "typhoon": ("台风", "Typhoon"),
    "flood": ("洪涝", "Flood"),
    "hail": ("冰雹", "Hail"),
    "snow": ("暴雪", "Snowstorm"),
}
COMPLAINT_STATUS: Words = {
    "open": ("待处理", "Open"),
    "resolved": ("已处理", "Resolved"),
}
SERVICE_KIND: Words = {
    "visit": ("拜访", "Visit"),
    "call": ("电话回访", "Call"),
    "call_centre": ("95585 来电", "95585 call"),
    "complaint": ("投诉", "Complaint"),
    "renewal_reminder": ("续保提醒", "Renewal reminder"),
    "claim_care": ("出险关怀", "Care after a claim"),
    "disaster_warning": ("灾害预警", "Disaster warning"),
    "proposal_printed": ("打印投保单", "Proposal printed"),
    "sms_reply": ("短信回复", "SMS reply"),
}
COMPLAINT_CAUSE: Words = {
    "claim_speed": ("理赔时效", "Claim speed"),
    "claim_amount": ("理赔金额", "Claim amount"),
    "service_attitude": ("服务态度", "Service attitude"),
    "renewal": ("续保", "Renewal"),
    "sales": ("销售误导", "Mis-selling"),
    "other": ("其他", "Other"),
}
COMPLAINT_STAGE: Words = {
    "received": ("已受理", "Received"),
    "assigned": ("已分派", "Assigned"),
    "resolved": ("已处理", "Resolved"),
    "confirmed": ("客户已确认", "Confirmed"),
}
TASK_STATUS: Words = {"open": ("待办", "Open"), "done": ("已办", "Done")}
TASK_KIND: Words = {
    "care_call": ("出险关怀电话", "Care call after a claim"),
    "satisfaction_call": ("结案满意度回访", "Satisfaction call"),
    "sms_reply": ("回复客户短信", "Answer an SMS reply"),
}
RENEWAL_STATUS: Words = {
    "not_contacted": ("未联系", "Not contacted"),
    "contacted": ("已联系", "Contacted"),
    "quoted": ("已报价", "Quoted"),
    "renewed": ("已续保", "Renewed"),
    "lost": ("已流失", "Lost"),
}
SKIP_REASON: Words = {
    "no_mobile": ("无手机号码", "No mobile number"),
    "opted_out": ("已退订", "Opted out"),
    "no_consent": ("未同意营销短信", "No marketing consent"),
    "out_of_scope": ("超出管辖范围", "Outside your units"),
    "missing_values": ("缺少模板参数", "Template values missing"),
    "duplicate_phone": ("手机号重复", "Same phone as another customer"),
}
CAMPAIGN_STATUS: Words = {
    "draft": ("草稿", "Draft"),
    "awaiting_approval": ("待主管批准", "Awaiting approval"),
    "approved": ("已批准", "Approved"),
    "queued": ("已排队", "Queued"),
    "cancelled": ("已取消", "Cancelled"),
}
SMS_STATUS: Words = {
    "queued": ("待发送", "Queued"),
    "sending": ("发送中", "Sending"),
    "sent": ("已发送", "Sent"),
    "delivered": ("已送达", "Delivered"),
    "failed": ("发送失败", "Failed"),
    "received": ("已接收", "Received"),
    "cancelled": ("已取消", "Cancelled"),
}
SMS_DIRECTION: Words = {"out": ("发出", "Out"), "in": ("收到", "In")}
NOMINATION_STATUS: Words = {
    "pending": ("待审核", "Pending"),
    "approved": ("已批准", "Approved"),
    "rejected": ("已拒绝", "Rejected"),
    "returned": ("已退回", "Returned"),
}
DECISION: Words = {
    "approve": ("批准", "Approve"),
    "reject": ("拒绝", "Reject"),
    "return": ("退回", "Send back"),
}
BLACKLIST_REASON: Words = {
    "frequent_claims": ("频繁出险", "Frequent claims"),
    "fraud": ("欺诈倾向", "Fraud tendency"),
    "hard_to_settle": ("出险后难以协商", "Hard to settle with"),
    "pre_catastrophe": ("灾前投保高风险", "Insured just before a catastrophe"),
    "other": ("其他", "Other"),
}
BLACKLIST_STATUS: Words = {
    "none": ("未列入", "Not listed"),
    "active": ("在黑名单中", "Blacklisted"),
    "lifted": ("已解除", "Lifted"),
}
CLASS_SOURCE: Words = {
    "engine": ("自动分类", "Classification run"),
    "blacklist": ("列入黑名单", "Blacklisted"),
    "lift": ("解除黑名单", "Blacklist lifted"),
    "manual": ("人工调整", "Set by hand"),
    "prospect": ("准客户信息", "Prospect fact"),
}
RUN_STATUS: Words = {
    "running": ("运行中", "Running"),
    "done": ("已完成", "Done"),
    "cancelled": ("已取消", "Cancelled"),
    "failed": ("失败", "Failed"),
}
ROLE: Words = {
    "counter": ("柜面人员", "Counter staff"),
    "underwriter": ("核保人员", "Underwriter"),
    "claims": ("理赔人员", "Claims staff"),
    "supervisor": ("主管", "Supervisor"),
    "account_manager": ("客户经理", "Account manager"),
    "manager": ("管理层", "Manager"),
    "admin": ("系统管理员", "Administrator"),
    "gateway": ("短信网关", "SMS gateway"),
}
UNIT_LEVEL: Words = {
    "centre": ("中心支公司", "Centre branch"),
    "county": ("县支公司", "County branch"),
    "department": ("营销服务部", "Sales department"),
}
REGION: Words = {
    "national": ("全国", "National"),
    "zhejiang": ("浙江", "Zhejiang"),
}
GROUP_ROLE: Words = {"head": ("集团总部", "Head office"), "subsidiary": ("下属公司", "Subsidiary")}
DUPLICATE_REASON: Words = {
    "same_id": ("证件号相同", "same ID number"),
    "id_15_18": ("15位与18位身份证号相同", "same ID in 15 and 18 digits"),
    "org_code": (
        "信用代码含另一记录的组织机构代码",
        "credit code embeds the other's organisation code",
    ),
    "name_birth": ("姓名和出生日期相同", "same name and birth date"),
    "phone_name": ("电话相同且姓名相近", "same phone, similar name"),
}
SEARCH_MATCH: Words = {
    "name": ("姓名", "name"),
    "pinyin_initials": ("拼音首字母", "initials"),
    "pinyin_full": ("拼音", "pinyin"),
    "id_number": ("证件号", "ID"),
    "credit_code": ("信用代码", "credit code"),
    "phone": ("电话", "phone"),
    "plate": ("车牌", "plate"),
    "vin": ("VIN", "VIN"),
    "policy_no": ("保单号", "policy"),
    "claim_no": ("赔案号", "claim"),
}

VOCABULARIES: dict[str, Words] = {
    "customer_class": CUSTOMER_CLASS,
    "customer_kind": CUSTOMER_KIND,
    "id_type": ID_TYPE,
    "gender": GENDER,
    "ownership": OWNERSHIP,
    "customer_source": CUSTOMER_SOURCE,
    "prospect_fact": PROSPECT_FACT,
    "contact_kind": CONTACT_KIND,
    "relation": RELATION,
    "vehicle_use": VEHICLE_USE,
    "fuel": FUEL,
    "channel": CHANNEL,
    "intermediary_kind": INTERMEDIARY_KIND,
    "product_line": PRODUCT_LINE,
    "coverage": COVERAGE,
    "cause_of_loss": CAUSE_OF_LOSS,
    "policy_status": POLICY_STATUS,
    "claim_status": CLAIM_STATUS,
    "receivable_status": RECEIVABLE_STATUS,
    "payment_method": PAYMENT_METHOD,
    "catastrophe_kind": CATASTROPHE_KIND,
    "complaint_status": COMPLAINT_STATUS,
    "service_kind": SERVICE_KIND,
    "sms_status": SMS_STATUS,
    "task_status": TASK_STATUS,
    "complaint_cause": COMPLAINT_CAUSE,
    "complaint_stage": COMPLAINT_STAGE,
    "task_kind": TASK_KIND,
    "renewal_status": RENEWAL_STATUS,
    "skip_reason": SKIP_REASON,
    "campaign_status": CAMPAIGN_STATUS,
    "sms_direction": SMS_DIRECTION,
    "nomination_status": NOMINATION_STATUS,
    "decision": DECISION,
    "blacklist_reason": BLACKLIST_REASON,
    "blacklist_status": BLACKLIST_STATUS,
    "class_source": CLASS_SOURCE,
    "run_status": RUN_STATUS,
    "role": ROLE,
    "unit_level": UNIT_LEVEL,
    "region": REGION,
    "group_role": GROUP_ROLE,
    "audit_action": AUDIT_ACTION,
    "audit_entity": AUDIT_ENTITY,
    "search_match": SEARCH_MATCH,
    "duplicate_reason": DUPLICATE_REASON,
}
CLASS_ORDER = tuple(CUSTOMER_CLASS)


def not_given() -> str:
    return tr("（未填）", "(not given)")


def label(kind: str, code: object, *, empty: str = "") -> str:
    """The word for `code` in the interface language; `empty` for a missing code, the code
    itself for one the vocabulary does not know (data from an import, never a crash)."""
    if code is None or code == "":
        return empty
    pair = VOCABULARIES[kind].get(str(code))
    return tr(*pair) if pair else str(code)


def labels(kind: str, codes: object, *, sep: str | None = None) -> str:
    """Several codes of one vocabulary joined the way the language lists things."""
    items = codes.split(",") if isinstance(codes, str) else list(codes or [])  # type: ignore[call-overload]
    joiner = tr("、", ", ") if sep is None else sep
    return joiner.join(label(kind, code) for code in items if code)


def choices(kind: str) -> list[tuple[str, str]]:
    """(label, code) pairs in the vocabulary's own order, for a select or a help text."""
    return [(tr(*pair), code) for code, pair in VOCABULARIES[kind].items()]
