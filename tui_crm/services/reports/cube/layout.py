"""The report cube's dimensions and measures (`reports.cube`), shared by its store and the
writing of its cells."""

from typing import Any

from sqlalchemy import Integer, String

__all__ = ["DIMENSIONS", "MEASURES"]

DIMENSIONS: tuple[tuple[str, Any], ...] = (
    ("unit_id", Integer),
    ("line_code", String(20)),
    ("channel", String(12)),
    ("kind", String(12)),
    ("industry", String(40)),
    ("ownership", String(20)),
    ("gender", String(1)),
    ("v_use", String(20)),
    ("intermediary_id", Integer),
    ("im_kind", String(20)),
    ("manager_id", Integer),
    ("group_id", Integer),
)
MEASURES = (
    "policies",
    "written",
    "sum_insured",
    "commission",
    "earned",
    "claims",
    "paid",
    "outstanding",
)
