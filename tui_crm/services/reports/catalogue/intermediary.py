"""中介业务分析: premium structure per agency/broker/dealer/bank, the value of the customers
each brings (premium per customer, loss ratio) and commission against underwriting profit."""

from typing import Any

from sqlalchemy import select

from tui_crm.i18n import tr
from tui_crm.services.reports.common import (
    premium_chart,
    segment_columns,
    segment_drill,
    segments,
)
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import (
    Choice,
    Column,
    fraction,
    money,
    per,
    percent,
    text,
)
from tui_crm.services.reports.engine.params import COMMON, view
from tui_crm.services.reports.facts import IM, Context, Dim, P
from tui_crm.services.reports.registry import DrillSpec, Output, Report

VIEWS = (
    Choice("list", "按中介机构", "By intermediary"),
    Choice("kind", "按中介类型", "By kind"),
)


def _group(context: Context) -> Dim:
    if context.params.option("view", "list") == "kind":
        return Dim("kind", IM.c.kind, frozenset({"intermediary"}))
    return Dim("intermediary_id", P.c.intermediary_id)


def run(context: Context) -> Output:
    chosen = context.params.option("view", "list")
    group = _group(context)
    names: dict[Any, tuple[str, str, str]] = {}
    if chosen == "list":
        statement = select(IM.c.id, IM.c.code, IM.c.name, IM.c.kind)
        names = {r.id: (r.code, r.name, r.kind) for r in context.rows(statement, "")}

    def name(code: Any) -> str:
        if code is None:
            return tr("直接业务（无中介）", "Direct business (no intermediary)")
        if chosen == "kind":
            return labels.label(labels.INTERMEDIARY_KIND, code)
        return names[code][1] if code in names else str(code)

    rows = segments(context, group, name)
    for row in rows:
        about = names.get(row["code"])
        row["im_code"] = about[0] if about else ""
        row["im_kind"] = labels.label(labels.INTERMEDIARY_KIND, about[2]) if about else ""
        row["per_customer"] = per(row["written"], row["customers"])
        row["commission_rate"] = fraction(row["commission"], row["written"])
        row["margin"] = row["earned"] - row["incurred"]
        row["profit"] = row["margin"] - row["commission"]
        row["commission_of_margin"] = (
            fraction(row["commission"], row["margin"]) if row["margin"] > 0 else None
        )
    columns = segment_columns(
        "中介机构" if chosen == "list" else "中介类型",
        "Intermediary" if chosen == "list" else "Kind",
        commission=True,
    )
    extra: list[Column] = []
    if chosen == "list":
        extra = [text("im_code", "代码", "Code"), text("im_kind", "类型", "Kind")]
    columns[1:1] = extra
    at = next(i for i, c in enumerate(columns) if c.key == "commission") + 1
    columns[at:at] = [
        percent("commission_rate", "手续费率", "Commission rate", of=("commission", "written")),
    ]
    columns += [
        col.premium_per_customer(),
        money("margin", "满期保费−赔款", "Earned − claims"),
        money("profit", "承保利润（扣手续费）", "Underwriting profit after commission"),
        percent(
            "commission_of_margin",
            "手续费占承保毛利",
            "Commission / (earned − claims)",
            of=("commission", "margin"),
        ),
    ]
    return Output(
        columns,
        rows,
        premium_chart("segment", "written", "commission"),
        subtitle=next(c.label for c in VIEWS if c.code == chosen),
        notes=[
            tr(
                "承保利润 = 满期保费 − 已决未决赔款 − 手续费（未含其他费用）",
                "Underwriting profit = earned premium − paid and outstanding claims − commission "
                "(other expenses not included)",
            )
        ],
    )


def drill(context: Context, row: dict[str, Any]) -> DrillSpec:
    return segment_drill(_group(context))(context, row)


REPORT = Report(
    name="intermediary",
    zh="中介业务分析",
    en="Intermediaries",
    description_zh="各代理、经纪、车商、银行的保费结构，所带客户的价值与赔付率，手续费与承保利润",
    description_en="Premium per agency, broker, dealer and bank; the value and loss ratio of "
    "the customers each brings; commission against underwriting profit",
    params=(*COMMON, view(*VIEWS)),
    run=run,
    drill=drill,
    steps=lambda params: 3,
)
