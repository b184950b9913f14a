"""The areas of the product reachable from the home screen, each by one key.

An area names the module of its screen; that module exposes
`open_screen(services, actor) -> Screen` ("module:factory" names another factory),
imported only when the area is opened (fast cold start). An area without a module yet
says so plainly and goes nowhere else.
"""

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_crm.i18n import tr

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


@dataclass(frozen=True)
class Area:
    key: str
    id: str
    zh: str
    en: str
    hint_zh: str
    hint_en: str
    module: str | None = None
    # Permissions of which the role needs one to use the area; none: every role may.
    needs: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return tr(self.zh, self.en)

    @property
    def hint(self) -> str:
        return tr(self.hint_zh, self.hint_en)

    @property
    def built(self) -> bool:
        return self.module is not None

    def allowed(self, actor: "Actor") -> bool:
        return not self.needs or any(actor.can(permission) for permission in self.needs)

    def open(self, services: "Services", actor: "Actor") -> "Screen[object]":
        assert self.module is not None
        module, _, factory = self.module.partition(":")
        build = getattr(importlib.import_module(module), factory or "open_screen")
        return build(services, actor)


AREAS: list[Area] = [
    Area(
        "1",
        "search",
        "客户查询",
        "Customer search",
        "按姓名、拼音、证件、电话、车牌、VIN、保单号查找（F3）",
        "Find by name, pinyin, ID, phone, plate, VIN or policy no. (F3)",
        module="tui_crm.screens.search",
    ),
    Area(
        "2",
        "customer",
        "新建客户",
        "New customer",
        "录入个人、企业或机关客户并查重",
        "Add an individual, company or authority, with duplicate check",
        module="tui_crm.screens.customer.form",
        needs=("customer.write",),
    ),
    Area(
        "3",
        "blacklist",
        "黑名单",
        "Blacklist",
        "提名、审核、解除黑名单客户",
        "Nominate, review and lift blacklist customers",
        module="tui_crm.screens.blacklist.review",
    ),
    Area(
        "4",
        "premium",
        "保费试算",
        "Premium trial",
        "交强险、车船税、商业车险试算并打印投保单",
        "Quote CTPL, vehicle tax and commercial motor; print the proposal form",
        module="tui_crm.screens.premium.trial",
        needs=("quote.run",),
    ),
    Area(
        "5",
        "reports",
        "统计分析",
        "Reports",
        "客户分析报表、图表与导出",
        "Customer analyses, charts and exports",
        module="tui_crm.screens.reports.picker",
        needs=("report.run",),
    ),
    Area(
        "6",
        "service",
        "客户服务",
        "Customer service",
        "回访、95585 来电、投诉与短信",
        "Visits, 95585 calls, complaints and SMS",
        module="tui_crm.screens.service",
    ),
    Area(
        "7",
        "admin",
        "系统管理",
        "Administration",
        "用户、阈值、审计日志",
        "Users, thresholds, audit log",
        module="tui_crm.screens.admin.console",
    ),
]


# Screens reached from the command palette (and from keys inside areas), not the home menu.
TOOLS: list[Area] = [
    Area(
        "",
        "classification",
        "客户分类：运行分类、月度数量、流转矩阵",
        "Customer classes: run, monthly counts, flows",
        "classification fenlei kehufenlei",
        "classification classes",
        module="tui_crm.screens.classification:ClassificationScreen",
    ),
    Area(
        "",
        "vehicle_prices",
        "车价表",
        "Vehicle price table",
        "chejia cjb vehicle price",
        "vehicle price",
        module="tui_crm.screens.premium.vehicle_prices",
    ),
    Area(
        "",
        "rate_tables",
        "费率表：交强险、车船税、商业险、NCD",
        "Rate tables: CTPL, vehicle tax, commercial, NCD",
        "feilvbiao flb rate tables jiaoqiangxian chechuanshui",
        "rate tables",
        module="tui_crm.screens.premium.rate_tables",
    ),
    Area(
        "",
        "renewals",
        "续保清单：到期未续保的保单、电话、试算、短信",
        "Renewals: policies ending without a renewal, calls, trial, SMS",
        "xubao xbqd renewals daoqi",
        "renewals expiring",
        module="tui_crm.screens.worklists.renewals",
        needs=("customer.read",),
    ),
    Area(
        "",
        "duplicates",
        "重复客户：查重与合并",
        "Duplicate customers: review and merge",
        "chongfu kehu hebing chachong duplicates merge",
        "duplicates merge",
        module="tui_crm.screens.duplicates.review",
        needs=("customer.merge",),
    ),
    Area(
        "",
        "account_managers",
        "客户经理：移交与指定",
        "Account managers: hand over and assign",
        "kehujingli yijiao zhiding account managers handover",
        "account managers handover",
        module="tui_crm.screens.branch.managers",
        needs=("customer.assign",),
    ),
    Area(
        "",
        "tasks",
        "服务任务：出险关怀、满意度回访、短信回复",
        "Service tasks: care calls, satisfaction calls, SMS replies",
        "renwu fwrw tasks guanhuai",
        "tasks care",
        module="tui_crm.screens.worklists.tasks",
        needs=("customer.read",),
    ),
    Area(
        "",
        "intermediaries",
        "中介机构：代理、经纪、车商、银行",
        "Intermediaries: agencies, brokers, dealers, banks",
        "zhongjie daili jingji intermediaries agencies brokers",
        "intermediaries",
        module="tui_crm.screens.branch.intermediaries",
        needs=("customer.read",),
    ),
    Area(
        "",
        "groups",
        "集团客户：总部、成员与母子公司",
        "Corporate groups: head, members, parents and subsidiaries",
        "jituan kehu muzi gongsi groups subsidiaries",
        "groups subsidiaries",
        module="tui_crm.screens.records.groups",
        needs=("customer.read",),
    ),
    Area(
        "",
        "prospects",
        "准客户信息：投保意向与流失",
        "Prospect facts: intentions and losses",
        "zhunkehu yixiang liushi prospects intentions lost",
        "prospects lost competitor",
        module="tui_crm.screens.customer.prospect_list",
        needs=("customer.read",),
    ),
    Area(
        "",
        "permissions",
        "角色权限",
        "Role permissions",
        "quanxian juese permissions roles",
        "permissions roles",
        module="tui_crm.screens.branch.permissions",
        needs=("user.admin",),
    ),
    Area(
        "",
        "disasters",
        "灾害事件：台风、洪涝",
        "Disaster events: typhoons, floods",
        "zaihai taifeng honglao disasters typhoon flood",
        "disasters typhoon flood",
        module="tui_crm.screens.branch.disasters",
        needs=("customer.read",),
    ),
    Area(
        "",
        "adjusters",
        "客户服务：查勘员排班",
        "Customer service: adjusters on duty",
        "chakanyuan paiban zhiban adjusters roster on duty",
        "adjusters roster on duty",
        module="tui_crm.screens.adjusters.roster",
        needs=("customer.read",),
    ),
    Area(
        "",
        "registry",
        "社会车辆：准客户与机构冲突",
        "Vehicle registry: prospects and conflicts",
        "shehui cheliang zhunkehu registry prospects",
        "registry prospects",
        module="tui_crm.screens.registry.prospects",
        needs=("customer.read",),
    ),
    Area(
        "",
        "registry_import",
        "社会车辆导入",
        "Vehicle registry import",
        "cheguansuo daoru shehui cheliang registry import",
        "registry import",
        module="tui_crm.screens.registry.import_file",
        needs=("import.run",),
    ),
]


def area(area_id: str) -> Area:
    return next(a for a in AREAS + TOOLS if a.id == area_id)
