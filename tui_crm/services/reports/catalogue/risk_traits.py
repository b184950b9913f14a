"""客户特征与赔付率: the traits view of the customer risk and credit report — which
customer traits (kind, gender, age band, industry, ownership, class) and which policy
traits (vehicle use, channel) drive the loss ratio; each trait adds up to the whole book,
its values' earned loss ratio set against the overall one."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from tui_crm.i18n import tr
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.reports.common import (
    AGE_BANDS,
    band_label,
    customer_age,
    premium_chart,
)
from tui_crm.services.reports.customer_facts import query as customer_facts_query
from tui_crm.services.reports.customer_facts import views as customer_facts_views
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import (
    Column,
    Kind,
    fraction,
    text,
)
from tui_crm.services.reports.facts import C, Context, Dim, P, V, finish
from tui_crm.services.reports.registry import Output


def traits(context: Context) -> list[tuple[str, str, str, Dim, Any]]:
    return [
        (
            "kind",
            "客户类型",
            "Customer kind",
            Dim("t_kind", C.c.kind),
            lambda c: labels.label(labels.KIND, c),
        ),
        (
            "gender",
            "性别",
            "Gender",
            Dim("t_gender", C.c.gender),
            lambda c: labels.label(labels.GENDER, c),
        ),
        ("age", "年龄", "Age", customer_age(context), lambda c: band_label(c, "岁", "years")),
        (
            "industry",
            "行业",
            "Industry",
            Dim("t_industry", C.c.industry),
            lambda c: c or labels.unknown(),
        ),
        (
            "ownership",
            "所有制",
            "Ownership",
            Dim("t_ownership", C.c.ownership),
            lambda c: labels.label(labels.OWNERSHIP, c),
        ),
        (
            "class",
            "客户分类",
            "Class",
            Dim("t_class", C.c.customer_class),
            lambda c: labels.label(labels.CLASS, c),
        ),
        (
            "use",
            "车辆使用性质",
            "Vehicle use",
            Dim("t_use", V.c.use, frozenset({"vehicle"})),
            lambda c: labels.label(labels.VEHICLE_USE, c),
        ),
        (
            "channel",
            "渠道",
            "Channel",
            Dim("t_channel", P.c.channel),
            lambda c: labels.label(labels.CHANNEL, c),
        ),
    ]


def trait_rows(context: Context) -> Output:
    """All traits in one pass: group by every trait at once, then add up per trait."""
    found = traits(context)
    totals, per_trait = _trait_sums(context, found)
    overall = finish(dict(totals))
    rows = []
    for key, zh, en, _dim, name in found:
        value_rows = []
        for code, slot in per_trait[key].items():
            row = finish(dict(slot))
            row.update(trait=tr(zh, en), trait_code=key, code=code, segment=name(code))
            row["relativity"] = (
                fraction(row["earned_lr"], overall["earned_lr"])
                if overall["earned_lr"] and row["earned_lr"] is not None
                else None
            )
            value_rows.append(row)
        value_rows.sort(key=lambda r: -(r["earned"]))
        rows += value_rows
    columns = [
        text("trait", "特征", "Trait"),
        col.segment("取值", "Value"),
        col.code(),
        text("trait_code", "", "", hidden=True),
        col.policies(),
        col.written(),
        col.earned(),
        col.claims(),
        col.incurred(),
        col.earned_lr(),
        Column("relativity", "相对赔付率", "Relative to overall", Kind.NUMBER),
    ]
    note = tr(
        "相对赔付率 = 该取值的满期赔付率 / 全部业务满期赔付率（{r}）；每个特征各自合计为全部业务",
        "Relativity = the value's earned loss ratio / the overall one ({r}); each trait adds "
        "up to the whole book",
        r=earned_rules.format_ratio(overall["earned_lr"]),
    )
    return Output(columns, rows, premium_chart("segment", "earned_lr"), totals=False, notes=[note])


ADDITIVE = ("policies", "written", "earned", "claims", "paid", "outstanding")


def _trait_sums(
    context: Context, traits: list[tuple[str, str, str, Dim, Any]]
) -> tuple[dict[str, int], dict[str, dict[Any, dict[str, int]]]]:
    """(overall fen sums, per trait: value → fen sums): from the customer facts for whole
    months, else from one grouping by every trait at once."""
    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        keys = [t[0] for t in traits]
        found = customer_facts_views.traits(context, facts, keys, AGE_BANDS)
        if found is not None:
            return found
    combos = context.measures([t[3] for t in traits], needs={"customer"})
    overall = {m: sum(_fen(c[m]) for c in combos) for m in ADDITIVE}
    per_trait: dict[str, dict[Any, dict[str, int]]] = {}
    for key, _zh, _en, dim, _name in traits:
        sums: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ADDITIVE, 0))
        for combo in combos:
            slot = sums[combo[dim.key]]
            for measure in ADDITIVE:
                slot[measure] += _fen(combo[measure])
        per_trait[key] = dict(sums)
    return overall, per_trait


def _fen(value: Any) -> int:
    if isinstance(value, Decimal):
        return int(value * 100)
    return int(value or 0)
