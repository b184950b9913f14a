"""zh/en labels of the codes reports group by (kinds, classes, channels, vehicle uses...)."""

from collections.abc import Mapping

from tui_crm.i18n import tr

KIND = {
    "individual": ("个人", "Individual"),
    "corporate": ("企业", "Corporate"),
    "government": ("机关", "Government"),
}
CLASS = {
    "floating": ("游离客户", "Floating"),
    "prospect": ("准客户", "Prospect"),
    "standard": ("标准客户", "Standard"),
    "quality": ("优质客户", "Quality"),
    "key": ("重要客户", "Key"),
    "blacklist": ("黑名单客户", "Blacklist"),
}
CLASS_ORDER = ("floating", "prospect", "standard", "quality", "key", "blacklist")
CHANNEL = {
    "direct": ("直销", "Direct"),
    "agency": ("代理", "Agency"),
    "broker": ("经纪", "Broker"),
    "dealer": ("车商", "Car dealer"),
    "bank": ("银行", "Bank"),
    "phone": ("电销", "Phone"),
    "online": ("网销", "Online"),
}
VEHICLE_USE = {
    "family": ("家庭自用汽车", "Family car"),
    "enterprise": ("企业非营业客车", "Enterprise car"),
    "government": ("机关非营业客车", "Government car"),
    "taxi": ("出租租赁", "Taxi / rental"),
    "bus": ("城市公交", "City bus"),
    "coach": ("公路客运", "Coach"),
    "truck": ("非营业货车", "Truck"),
    "business_truck": ("营业货车", "Business truck"),
    "motorcycle": ("摩托车", "Motorcycle"),
    "tractor": ("拖拉机", "Tractor"),
    "special": ("特种车", "Special vehicle"),
}
OWNERSHIP = {
    "state": ("国有", "State-owned"),
    "private": ("民营", "Private"),
    "foreign": ("外资", "Foreign"),
    "collective": ("集体", "Collective"),
    "government": ("机关事业", "Public body"),
}
INTERMEDIARY_KIND = {
    "agency": ("代理机构", "Agency"),
    "broker": ("经纪公司", "Broker"),
    "dealer": ("车商", "Car dealer"),
    "bank": ("银行", "Bank"),
}
GENDER = {"M": ("男", "Male"), "F": ("女", "Female")}


def unknown() -> str:
    return tr("（未填）", "(not given)")


def label(table: Mapping[str, tuple[str, str]], code: object) -> str:
    if code is None or code == "":
        return unknown()
    pair = table.get(str(code))
    return tr(*pair) if pair else str(code)
