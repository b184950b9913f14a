"""What the search box says when it finds nothing a clerk may see."""

from collections.abc import Callable
from typing import Any

from tui_crm.i18n import tr
from tui_crm.services.search.query import PLATE, TIER_EXACT, ParsedQuery, Probe
from tui_crm.services.search.sql import Sql, id_list


def outside_scope_hint(
    parsed: ParsedQuery,
    ids_of: Callable[[Probe], list[int]],
    run: Callable[[Sql], list[Any]],
) -> str | None:
    """An exact identifier that belongs to a customer of another unit: say which unit
    (and nothing else), as the duplicate check does."""
    tokens = [parsed.whole] if parsed.whole else list(parsed.tokens)
    probes = [p for t in tokens if t for p in t.probes if p.tier == TIER_EXACT]
    units: set[str] = set()
    for probe in probes:
        ids = ids_of(probe)
        if ids:
            statement = Sql(
                "SELECT DISTINCT u.name FROM customer c JOIN org_unit u ON u.id = c.unit_id"
                f" WHERE c.id IN ({id_list(ids)})"
            )
            units.update(row[0] for row in run(statement))
    if not units:
        return None
    return tr(
        "已是“{u}”的客户，不在您的机构范围内",
        "Already a customer of {u}, outside your units",
        u="、".join(sorted(units)),
    )


def too_short_hint(parsed: ParsedQuery) -> str:
    if parsed.compact.isdigit():
        return tr("请至少输入4位数字（电话、证件或车牌尾号）", "Type at least 4 digits (a tail)")
    return tr("请继续输入", "Keep typing")


def plate_hint(parsed: ParsedQuery) -> str | None:
    """Nothing found for what reads as a plate: say how plates are found."""
    tokens = [parsed.whole] if parsed.whole else list(parsed.tokens)
    if any(p.field == PLATE for t in tokens if t for p in t.probes):
        return tr("车牌请输入完整或后 4 位", "Type the whole plate or its last 4 characters")
    return None
