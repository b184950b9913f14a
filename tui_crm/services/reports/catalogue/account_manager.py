"""客户经理分析: account managers ranked over any period by premium, new business and
renewals, with the loss ratio of each manager's book."""

from typing import Any

from sqlalchemy import case, func, select

from tui_crm.i18n import tr
from tui_crm.services.reports.common import (
    premium_chart,
    segment_columns,
    segment_drill,
    segments,
)
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine.base import (
    Choice,
    Column,
    Kind,
    Param,
    ParamType,
    count,
    fraction,
)
from tui_crm.services.reports.engine.params import COMMON
from tui_crm.services.reports.facts import Context, Dim, P, S, U, fen
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.types import from_fen

RANK_BY = (
    Choice("written", "签单保费", "Written premium"),
    Choice("new_premium", "新保保费", "New business premium"),
    Choice("renewal_premium", "续保保费", "Renewal premium"),
    Choice("renewal_rate", "续保率", "Renewal rate"),
    Choice("earned_lr", "满期赔付率（低者在前）", "Earned loss ratio (lowest first)"),
)
GROUP = Dim("manager_id", P.c.account_manager_id)


RANK_PARAM = Param(
    "rank_by", "排名依据", "Rank by", ParamType.CHOICE, choices=RANK_BY, default="written"
)


def run(context: Context) -> Output:
    managers = {
        r.id: (r.display_name, r.username, r.unit_code)
        for r in context.rows(
            select(S.c.id, S.c.display_name, S.c.username, U.c.code.label("unit_code")).join(
                U, U.c.id == S.c.unit_id
            ),
            tr("客户经理", "account managers"),
        )
    }

    def name(code: Any) -> str:
        if code is None:
            return tr("（未分配客户经理）", "(no account manager)")
        about = managers.get(code)
        return f"{about[0]} ({about[1]})" if about else str(code)

    rows = segments(context, GROUP, name)
    extra = _split(context)
    for row in rows:
        more = extra.get(row["code"])
        row["unit_code"] = managers.get(row["code"], ("", "", ""))[2]
        for key in ("new_premium", "renewal_premium"):
            row[key] = from_fen(more[key] if more else 0)
        for key in ("renewals", "expiring", "renewed"):
            row[key] = int(more[key]) if more else 0
        row["renewal_rate"] = fraction(row["renewed"], row["expiring"])
    key = context.params.option("rank_by", "written")
    if key == "earned_lr":
        rows.sort(key=lambda r: (r["earned_lr"] is None, r["earned_lr"] or 0, r["segment"]))
    else:
        rows.sort(key=lambda r: (-(r[key] or 0), r["segment"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    columns = segment_columns("客户经理", "Account manager")
    columns[0:0] = [col.rank()]
    columns.insert(3, col.unit())
    at = next(i for i, c in enumerate(columns) if c.key == "share") + 1
    columns[at:at] = [
        col.new_premium(),
        col.renewal_premium(),
        col.renewals(),
        count("expiring", "到期件数", "Expiring"),
        count("renewed", "到期已续保", "Expiring renewed"),
        Column(
            "renewal_rate", "续保率", "Renewal rate", Kind.PERCENT, ratio_of=("renewed", "expiring")
        ),
    ]
    return Output(
        columns,
        rows,
        premium_chart("segment", "written"),
        notes=[
            tr(
                "新保 = 非续保保单；续保率 = 期间内到期（未退保）保单中已登记续保的比例",
                "New business = policies that renew none; renewal rate = share of the policies "
                "expiring in the period (not cancelled) that have a recorded renewal",
            )
        ],
    )


def _split(context: Context) -> Any:
    """Per manager: new and renewal premium, renewals, expiring and renewed policies —
    from the customer facts for whole months, else from the base tables."""
    from tui_crm.services.reports.customer_facts import query as customer_facts_query

    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        return customer_facts_query.manager_split(context, facts)
    split = (
        select(
            P.c.account_manager_id.label("manager_id"),
            func.sum(
                case((context.written() & P.c.renewal_of_id.is_(None), fen(P.c.premium)), else_=0)
            ).label("new_premium"),
            func.sum(
                case(
                    (context.written() & P.c.renewal_of_id.is_not(None), fen(P.c.premium)), else_=0
                )
            ).label("renewal_premium"),
            func.count(case((context.written() & P.c.renewal_of_id.is_not(None), P.c.id))).label(
                "renewals"
            ),
            func.count(case((context.expiring(), P.c.id))).label("expiring"),
            func.count(case((context.expiring() & context.renewed(), P.c.id))).label("renewed"),
        )
        .where(*context.policy_filters(), context.in_force())
        .group_by(P.c.account_manager_id)
    )
    found = context.rows(split, tr("新保续保", "new and renewal"))
    return {r.manager_id: r._mapping for r in found}


def drill(context: Context, row: dict[str, Any]) -> DrillSpec:
    return segment_drill(GROUP)(context, row)


REPORT = Report(
    name="account_manager",
    zh="客户经理分析",
    en="Account managers",
    description_zh="客户经理任意期间的保费、新保、续保排名及其客户的赔付率",
    description_en="Account managers ranked by premium, new business and renewals over any "
    "period, with the loss ratio of each book",
    params=(*COMMON, RANK_PARAM),
    run=run,
    drill=drill,
    steps=lambda params: 4,
)
