"""The prospect facts of one customer (准客户信息), opened with P from the customer 360
view: intentions declared and losses to competitors, newest first. n (or Enter) records
a new one in a form — kind, date, note, competitor, reason — with the refusal under its
field; the customer's class is evaluated again by the service."""

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from tui_crm.formats import local_time
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

KIND_WORDS = {"intent": ("意向", "intent"), "lost": ("流失", "lost")}


def open_screen(services: "Services", actor: "Actor", customer_id: int) -> "ProspectsScreen":
    return ProspectsScreen(services, actor, customer_id)


class ProspectsScreen(RecordsScreen):
    HEADING = ("准客户信息", "Prospect facts")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("日期", "Date"),
        ("类型", "Kind"),
        ("竞争对手", "Competitor"),
        ("原因", "Reason"),
        ("备注", "Note"),
        ("续保保单", "Policy"),
        ("登记人", "By"),
        ("登记时间", "Recorded"),
    ]
    EDIT_PERMISSION = "prospect.record"

    def __init__(self, services: "Services", actor: "Actor", customer_id: int) -> None:
        super().__init__(services, actor)
        self.customer_id = customer_id

    def load(self) -> list[Any]:
        return self.services.prospects.facts(self.actor, self.customer_id)

    def cells(self, row: Any) -> list[Text]:
        return [
            literal(row.fact_date.isoformat()),
            literal(label("prospect_fact", row.kind)),
            literal(row.competitor),
            literal(row.reason),
            literal(row.note),
            literal(row.policy_no),
            literal(row.recorded_by),
            literal(local_time(row.recorded_at)),
        ]

    def action_edit(self) -> None:
        self.action_add()  # facts are history: Enter records another one

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        return [
            FormField(
                "kind",
                tr("类型：意向 / 流失", "Kind: intent / lost"),
                values.get("kind", tr(*KIND_WORDS["intent"])),
            ),
            FormField(
                "date",
                tr("日期（YYYY-MM-DD，空为今天）", "Date (YYYY-MM-DD, empty for today)"),
                values.get("date", ""),
            ),
            FormField("note", tr("备注（意向）", "Note (intent)"), values.get("note", "")),
            FormField(
                "competitor",
                tr("竞争对手（流失）", "Competitor (lost)"),
                values.get("competitor", ""),
            ),
            FormField("reason", tr("原因（流失）", "Reason (lost)"), values.get("reason", "")),
        ]

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        from tui_crm.services.core import ValidationFailed

        kind = next(
            (code for code, words in KIND_WORDS.items() if values["kind"].strip() in words),
            None,
        )
        if kind is None:
            raise ValidationFailed(tr("请填 意向 或 流失", "Type intent or lost"), field="kind")
        day = None
        if values["date"].strip():
            try:
                day = date.fromisoformat(values["date"].strip())
            except ValueError:
                raise ValidationFailed(
                    tr("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"), field="date"
                ) from None
        if kind == "intent":
            return self.services.prospects.declare_intent(
                self.actor, self.customer_id, day=day, note=values["note"]
            )
        return self.services.prospects.record_lost(
            self.actor,
            self.customer_id,
            competitor=values["competitor"],
            reason=values["reason"],
            day=day,
        )
