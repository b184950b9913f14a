"""The prospect facts of the customers of the user's units (准客户信息), newest first:
intentions declared and losses to competitors, with the customer's class now. Enter
opens the customer's 360 view, where P records another fact."""

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def open_screen(services: "Services", actor: "Actor") -> "ProspectListScreen":
    return ProspectListScreen(services, actor)


class ProspectListScreen(RecordsScreen):
    HEADING = ("准客户信息", "Prospect facts")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("日期", "Date"),
        ("客户编号", "Customer"),
        ("名称", "Name"),
        ("机构", "Unit"),
        ("类型", "Kind"),
        ("竞争对手", "Competitor"),
        ("原因/备注", "Reason / note"),
        ("客户分类", "Class"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "add"

    def load(self) -> list[Any]:
        return self.services.prospects.rows(self.actor)

    def cells(self, row: Any) -> list[Text]:
        return [
            literal(row.fact_date.isoformat()),
            literal(str(row.customer_id)),
            literal(row.customer_name),
            literal(row.unit_code),
            literal(label("prospect_fact", row.kind)),
            literal(row.competitor),
            literal(row.reason or row.note),
            literal(label("customer_class", row.customer_class)),
        ]

    def _paint(self, rows: list[Any]) -> None:
        super()._paint(rows)
        self._status(Text(tr("共 {n} 条。Enter 打开客户", "{n} rows. Enter opens the customer",
                             n=len(rows))))  # fmt: skip

    def action_edit(self) -> None:
        from tui_crm.screens.customer.view import open_customer

        index = self.query_one("#records-table").cursor_row  # type: ignore[attr-defined]
        if 0 <= index < len(self.rows):
            customer_id = self.rows[index].customer_id
            self.app.push_screen(open_customer(self.services, self.actor, customer_id))
