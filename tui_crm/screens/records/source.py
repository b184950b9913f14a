"""Where one customer came from (客户来源), opened with O from the customer 360 view: the
source and the named list with its date. Enter corrects them in a form (clerks who edit
customers), the refusal under its field; audited by the service."""

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import choices, label
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def open_screen(services: "Services", actor: "Actor", customer_id: int) -> "SourceScreen":
    return SourceScreen(services, actor, customer_id)


def source_code(text: str) -> str:
    """The code typed, or the code of the words typed (车商 → dealer)."""
    typed = text.strip()
    return next((code for words, code in choices("customer_source") if words == typed), typed)


class SourceScreen(RecordsScreen):
    HEADING = ("客户来源", "Customer source")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("来源", "Source"),
        ("名单", "List"),
        ("名单日期", "List date"),
    ]
    EDIT_PERMISSION = "customer.write"

    def __init__(self, services: "Services", actor: "Actor", customer_id: int) -> None:
        super().__init__(services, actor)
        self.customer_id = customer_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return False  # one source per customer: Enter corrects it
        return super().check_action(action, parameters)

    def load(self) -> list[Any]:
        return [self.services.sources.get(self.actor, self.customer_id)]

    def cells(self, row: Any) -> list[Text]:
        return [
            literal(label("customer_source", row.source)),
            literal(row.list_name),
            literal(row.list_date.isoformat() if row.list_date else ""),
        ]

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        words = " / ".join(w for w, _ in choices("customer_source"))
        current = label("customer_source", row.source) if row else ""
        listed = row.list_name if row and row.list_name else ""
        day = row.list_date.isoformat() if row and row.list_date else ""
        return [
            FormField("source", tr("来源：", "Source: ") + words, values.get("source", current)),
            FormField(
                "list",
                tr("名单名称（空为不属名单）", "List name (empty: none)"),
                values.get("list", listed),
            ),
            FormField(
                "list_date",
                tr("名单日期（YYYY-MM-DD，空为今天）", "List date (YYYY-MM-DD, empty for today)"),
                values.get("list_date", day),
            ),
        ]

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        from tui_crm.services.core import ValidationFailed

        day = None
        if values["list_date"].strip():
            try:
                day = date.fromisoformat(values["list_date"].strip())
            except ValueError:
                raise ValidationFailed(
                    tr("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"), field="list_date"
                ) from None
        listed: str | None = values["list"]
        if (
            row is not None
            and (listed or "").strip() == (row.list_name or "")
            and (day == row.list_date or (day is None and row.list_date is None))
        ):
            listed = None  # the list untouched: leave it as it is
        return self.services.sources.correct(
            self.actor, self.customer_id, source_code(values["source"]),
            list_name=listed, list_date=day,
        )  # fmt: skip
