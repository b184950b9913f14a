"""The tables of the customer 360 tabs: columns and rows from the 360 data (no queries).

Every value that came from a person or an import is rendered as literal `Text`.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable, Static

from tui_crm import formats
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.widgets.badges import class_label, literal, plain
from tui_crm.widgets.sized_table import widen_to_fit

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui_crm.services.customers import Revealed
    from tui_crm.services.customers.view360.service import Customer360, LossFigures


TAB_WORDS = [
    ("policies", "保单", "Policies"),
    ("vehicles", "车辆", "Vehicles"),
    ("claims", "理赔", "Claims"),
    ("receivables", "应收", "Receivables"),
    ("contacts", "联系方式", "Contacts"),
    ("service", "服务记录", "Service"),
    ("history", "分类历史", "Class history"),
    ("group", "集团", "Group"),
]


def tab_labels() -> list[tuple[str, str]]:
    return [(tab_id, tr(zh, en)) for tab_id, zh, en in TAB_WORDS]


TABS = tab_labels()


def money(value: Decimal | None) -> Text:
    return Text(formats.money(value), justify="right")


def ratio(value: Decimal | None) -> Text:
    return Text("—" if value is None else f"{value * 100:.1f}%", justify="right")


def day(value: date | datetime | None) -> Text:
    if value is None:
        return Text("")
    if isinstance(value, datetime):
        return Text(formats.local_time(value))
    return Text(value.isoformat())


def yes(flag: Any) -> Text:
    return Text("✓" if flag else "")


def _named(kind: str, code: str | None) -> Text:
    return Text(label(kind, code))


def _fill(
    screen: "Screen[Any]", table_id: str, columns: list[str], rows: list[tuple[Any, list[Text]]]
) -> None:
    table = screen.query_one(f"#{table_id}", DataTable)
    table.clear(columns=True)
    for heading in columns:
        table.add_column(Text(heading, style="bold"))
    widen_to_fit(table, [cells for _, cells in rows])
    for key, cells in rows:
        table.add_row(*cells, key=str(key))


def _summary(screen: "Screen[Any]", tab_id: str, text: Text | str) -> None:
    screen.query_one(f"#summary-{tab_id}", Static).update(
        text if isinstance(text, Text) else Text(text)
    )


def fill_tab(screen: "Screen[Any]", tab_id: str, view: "Customer360") -> None:
    {
        "policies": _policies,
        "vehicles": _vehicles,
        "claims": _claims,
        "receivables": _receivables,
        "contacts": fill_contacts,
        "service": _service,
        "history": _history,
        "group": _group,
    }[tab_id](screen, view)


def _marks(p: dict[str, Any]) -> Text:
    marks = []
    if p["surplus_reinsurance"]:
        marks.append(tr("溢额再保", "surplus RI"))
    if p["facultative_reinsurance"]:
        marks.append(tr("临分", "facultative"))
    if p["coinsurance"]:
        share = p.get("coinsurance_share")
        marks.append(tr("共保", "co-ins.") + (f" {share * 100:.0f}%" if share else ""))
    if p["is_tender"]:
        marks.append(tr("招标", "tender"))
    return Text(" ".join(marks))


def _policy_status(p: dict[str, Any]) -> Text:
    if p["status"] == "cancelled":
        return Text(tr("已退保", "cancelled"), style="red")
    if p["in_force"]:
        return Text(tr("有效", "in force"), style="green")
    return Text(tr("已到期", "expired"), style="dim")


def _policies(screen: "Screen[Any]", view: "Customer360") -> None:
    written = sum((p["premium"] for p in view.policies), Decimal("0.00"))
    in_force = sum(1 for p in view.policies if p["in_force"])
    _summary(
        screen,
        "policies",
        tr(
            "共 {n} 张保单，有效 {f} 张，累计保费 {w}",
            "{n} policies, {f} in force, premium written {w}",
            n=len(view.policies),
            f=in_force,
            w=formats.money(written),
        ),
    )
    columns = [tr(c, e) for c, e in (("保单号", "Policy no."), ("险种", "Line"), ("起期", "From"))]
    columns += [tr(c, e) for c, e in (("止期", "To"), ("状态", "Status"), ("保费", "Premium"))]
    columns += [tr(c, e) for c, e in (("保额", "Sum insured"), ("车牌", "Plate"))]
    columns += [tr("再保/共保", "RI / co-ins.")]
    rows = [
        (
            p["id"],
            [
                plain(formats.ident(p["policy_no"])),
                plain(p["line_name"]),
                day(p["start_date"]),
                day(p["end_date"]),
                _policy_status(p),
                money(p["premium"]),
                money(p["sum_insured"]),
                plain(p["plate"]),
                _marks(p),
            ],
        )
        for p in view.policies
    ]
    _fill(screen, "table-policies", columns, rows)


def _vehicles(screen: "Screen[Any]", view: "Customer360") -> None:
    _summary(screen, "vehicles", tr("T 为高亮车辆试算保费", "T quotes the highlighted vehicle"))
    columns = [tr("车牌", "Plate"), "VIN", tr("厂牌型号", "Make/model"), tr("使用性质", "Use")]
    columns += [tr("座位", "Seats"), tr("燃料", "Fuel"), tr("初登日期", "Registered")]
    rows = [
        (
            v["id"],
            [
                plain(v["plate"]),
                plain(v["vin"]),
                plain(v["make_model"]),
                _named("vehicle_use", v["use"]),
                plain(v["seats"]),
                _named("fuel", v["fuel"]),
                day(v["first_registration"]),
            ],
        )
        for v in view.vehicles
    ]
    _fill(screen, "table-vehicles", columns, rows)


def _loss_row(f: "LossFigures") -> list[Text]:
    return [
        plain(f.year if f.year is not None else tr("合计", "All")),
        plain(f.policies),
        money(f.written),
        money(f.earned),
        money(f.paid),
        money(f.outstanding),
        plain(f.claims),
        ratio(f.earned_loss_ratio),
        ratio(f.simple_loss_ratio),
    ]


def _claims(screen: "Screen[Any]", view: "Customer360") -> None:
    loss = view.loss
    if loss is not None:
        _summary(
            screen,
            "claims",
            Text(
                tr(
                    "满期赔付率 {e}（已决+未决÷满期保费）· 简单赔付率 {s}（已决÷签单保费）",
                    "Earned loss ratio {e} (paid+outstanding ÷ earned) · "
                    "simple {s} (paid ÷ written)",
                    e=ratio(loss.earned_loss_ratio).plain,
                    s=ratio(loss.simple_loss_ratio).plain,
                ),
                style="bold",
            ),
        )
    columns = [
        tr(c, e) for c, e in (("年度", "Year"), ("保单", "Policies"), ("签单保费", "Written"))
    ]
    columns += [tr(c, e) for c, e in (("满期保费", "Earned"), ("已决", "Paid"))]
    columns += [tr(c, e) for c, e in (("未决", "Outstanding"), ("赔案", "Claims"))]
    columns += [tr("满期赔付率", "Earned LR"), tr("简单赔付率", "Simple LR")]
    rows: list[tuple[Any, list[Text]]] = [(f.year, _loss_row(f)) for f in view.loss_by_year]
    if loss is not None:
        rows.append(("all", _loss_row(loss)))
    _fill(screen, "table-claims", columns, rows)
    columns = [tr(c, e) for c, e in (("赔案号", "Claim no."), ("保单号", "Policy no."))]
    columns += [tr(c, e) for c, e in (("出险", "Loss"), ("报案", "Reported"), ("原因", "Cause"))]
    columns += [
        tr(c, e) for c, e in (("已决", "Paid"), ("未决", "Outstanding"), ("状态", "Status"))
    ]
    claim_rows = [
        (
            c["id"],
            [
                plain(c["claim_no"]),
                plain(c["policy_no"]),
                day(c["loss_date"]),
                day(c["report_date"]),
                _named("cause_of_loss", c["cause"]),
                money(c["paid"]),
                money(c["outstanding"]),
                _named("claim_status", c["status"]),
            ],
        )
        for c in view.claims
    ]
    _fill(screen, "table2-claims", columns, claim_rows)


def _receivables(screen: "Screen[Any]", view: "Customer360") -> None:
    owed = sum((r["outstanding"] for r in view.receivables), Decimal("0.00"))
    _summary(screen, "receivables", tr("未收合计 {a}", "Outstanding {a}", a=formats.money(owed)))
    columns = [
        tr(c, e) for c, e in (("保单号", "Policy no."), ("应收日", "Due"), ("金额", "Amount"))
    ]
    columns += [tr(c, e) for c, e in (("已收", "Paid"), ("未收", "Open"), ("逾期天数", "Overdue"))]
    columns += [tr("结清日", "Settled")]
    rows = [
        (
            r["id"],
            [
                plain(r["policy_no"]),
                day(r["due_date"]),
                money(r["amount"]),
                money(r["paid_amount"]),
                money(r["outstanding"]),
                Text(str(r["overdue_days"] or ""), style="red" if r["overdue_days"] else ""),
                day(r["settled_on"]),
            ],
        )
        for r in view.receivables
    ]
    _fill(screen, "table-receivables", columns, rows)


def fill_contacts(
    screen: "Screen[Any]", view: "Customer360", revealed: "Revealed | None" = None
) -> None:
    """The contacts tab; with `revealed`, phones in full (the reveal was already audited)."""
    full = revealed.contacts if revealed else {}
    if revealed:
        _summary(screen, "contacts", tr("电话已显示（已留痕）", "Phones shown (audited)"))
    else:
        _summary(
            screen,
            "contacts",
            tr("电话已遮蔽；Ctrl+R 显示（留痕）", "Phones masked; Ctrl+R reveals (audited)"),
        )
    columns = [tr(c, e) for c, e in (("类型", "Kind"), ("号码/地址", "Value"), ("主要", "Main"))]
    columns += [tr("营销短信同意", "SMS consent"), tr("同意时间", "Consented")]
    columns += [tr("退订时间", "Opted out")]
    rows = [
        (
            c["id"],
            [
                _named("contact_kind", c["kind"]),
                plain(full.get(c["id"], c["value"])),
                yes(c["is_primary"]),
                yes(c["consent_marketing_sms"]),
                day(c["consent_at"]),
                day(c["opted_out_at"]),
            ],
        )
        for c in view.contacts
    ]
    _fill(screen, "table-contacts", columns, rows)
    relation_rows = [
        (i, [_named("relation", r["relation"]), plain(r["related_name"])])
        for i, r in enumerate(view.relations)
    ]
    _fill(
        screen, "table2-contacts", [tr("关系", "Relation"), tr("关系人", "Person")], relation_rows
    )


def _service(screen: "Screen[Any]", view: "Customer360") -> None:
    columns = [tr(c, e) for c, e in (("时间", "When"), ("类型", "Kind"), ("主题", "Subject"))]
    columns += [tr(c, e) for c, e in (("经办", "Staff"), ("投诉状态", "Complaint"))]
    columns += [tr("满意度", "Satisfaction")]
    rows = [
        (
            i,
            [
                day(s["occurred_at"]),
                _named("service_kind", s["kind"]),
                plain(s["subject"]),
                plain(s["staff"]),
                _named("complaint_status", s["complaint_status"]),
                plain(s["satisfaction"]),
            ],
        )
        for i, s in enumerate(view.service)
    ]
    _fill(screen, "table-service", columns, rows)


def _history(screen: "Screen[Any]", view: "Customer360") -> None:
    columns = [tr(c, e) for c, e in (("日期", "Date"), ("原分类", "From"), ("新分类", "To"))]
    columns += [tr("原因", "Reasons"), tr("来源", "Source")]
    rows = [
        (
            i,
            [
                day(h["changed_on"]),
                plain(class_label(h["from_class"])),
                plain(class_label(h["to_class"])),
                plain("；".join(h["reasons"])),
                _named("class_source", h["source"]),
            ],
        )
        for i, h in enumerate(view.class_history)
    ]
    _fill(screen, "table-history", columns, rows)


def _related(view: "Customer360") -> Text:
    parent = view.parent_company[1] if view.parent_company else "—"
    children = tr("、", ", ").join(name for _, name in view.subsidiaries) or "—"
    return literal(tr("\n母公司：{p}　下属公司：{c}", "\nParent: {p}  Subsidiaries: {c}",
                      p=parent, c=children))  # fmt: skip


def _group(screen: "Screen[Any]", view: "Customer360") -> None:
    group = view.group
    if group is None:
        text = Text(tr("不属于集团客户", "Not part of a group"))
        _summary(screen, "group", text + _related(view) if view.kind != "individual" else text)
        _fill(screen, "table-group", [], [])
        return
    words = tr("{g}：近12个月合计保费 {p}", "{g}: premium of the last 12 months {p}",
               g=group.name, p=formats.money(group.premium_12m))  # fmt: skip
    _summary(screen, "group", literal(words, "bold") + _related(view))
    columns = [tr("成员", "Member"), tr("角色", "Role"), tr("机构", "Unit")]
    columns += [tr("近12个月保费", "Premium 12 m")]
    rows = [
        (
            m.id,
            [
                plain(m.name),
                _named("group_role", m.role),
                plain(m.unit_code),
                money(m.premium_12m),
            ],
        )
        for m in group.members
    ]
    if group.other_units:
        others = tr("其他机构成员 {n} 家", "{n} members of other units", n=group.other_units)
        rows.append(
            (-1, [plain(others), plain(""), plain(tr("其他机构", "other unit")), plain("")])
        )
    _fill(screen, "table-group", columns, rows)
