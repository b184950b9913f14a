"""One search result as table cells: the columns and how a hit fills them (masked unless
revealed; the matched part highlighted as data, never markup)."""

from typing import TYPE_CHECKING

from rich.text import Text

from tui_crm.i18n import tr
from tui_crm.widgets.badges import (
    class_badge,
    flags_text,
    highlighted,
    kind_label,
    matched_text,
    plain,
)

if TYPE_CHECKING:
    from tui_crm.services.customers import Revealed
    from tui_crm.services.search import SearchHit


def columns() -> list[str]:
    return [
        tr("客户", "Customer"),
        tr("类型", "Kind"),
        tr("分类", "Class"),
        tr("标记", "Flags"),
        tr("证件号", "ID number"),
        tr("电话", "Phone"),
        tr("车牌", "Plate"),
        tr("机构", "Unit"),
        tr("客户经理", "Manager"),
        tr("匹配", "Matched"),
    ]


def hit_cells(hit: "SearchHit", revealed: "Revealed | None" = None) -> list[Text]:
    id_number = plain(hit.id_number_masked)
    phone = plain(hit.phone_masked)
    if revealed is not None:
        id_number = Text(revealed.id_number or "", style="bold")
        phone = Text(revealed.phones[0][1] if revealed.phones else "", style="bold")
    return [
        highlighted(hit.name, hit.name_spans),
        plain(kind_label(hit.kind)),
        class_badge(hit.customer_class),
        flags_text(hit.flag_key, hit.flag_blacklist, hit.flag_renewal_due),
        id_number,
        phone,
        plain(hit.plate),
        plain(hit.unit_name),
        plain(hit.account_manager),
        matched_text(hit.matched_on, hit.matched_value),
    ]
