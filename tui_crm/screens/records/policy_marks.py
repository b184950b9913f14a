"""One policy's reinsurance (溢额再保, 临分) and co-insurance (共保) marks, opened with K
from the highlighted policy of the customer 360 view. Enter corrects them in a form
(underwriters, managers, administrators: `policy.mark`), the refusal under its field;
audited by the service."""

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from tui_crm.i18n import tr
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

FLAG_WORDS = {
    "surplus_reinsurance": ("溢额再保（是/否）", "Surplus reinsurance (yes/no)"),
    "facultative_reinsurance": ("临分（是/否）", "Facultative reinsurance (yes/no)"),
    "coinsurance": ("共保（是/否）", "Co-insurance (yes/no)"),
    "coinsurance_lead": ("我司主承（是/否）", "We lead the co-insurance (yes/no)"),
}
SHARE_WORDS = {
    "reinsurance_share": ("分出比例（小数，0.3 即 30%）", "Ceded share (0.3 = 30%)"),
    "coinsurance_share": ("我司共保份额（小数，0.6 即 60%）", "Our co-insurance share (0.6)"),
}


def open_screen(services: "Services", actor: "Actor", policy_no: str) -> "PolicyMarksScreen":
    return PolicyMarksScreen(services, actor, policy_no)


def yes_no(value: bool | None) -> str:
    return tr("是", "yes") if value else tr("否", "no")


class PolicyMarksScreen(RecordsScreen):
    HEADING = ("再保与共保标记", "Reinsurance and co-insurance marks")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("保单号", "Policy no."),
        ("溢额再保", "Surplus RI"),
        ("临分", "Facultative"),
        ("分出比例", "Ceded"),
        ("共保", "Co-ins."),
        ("主承", "Lead"),
        ("共保份额", "Our share"),
    ]
    EDIT_PERMISSION = "policy.mark"

    def __init__(self, services: "Services", actor: "Actor", policy_no: str) -> None:
        super().__init__(services, actor)
        self.policy_no = policy_no

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return False  # a policy has one set of marks: Enter corrects them
        return super().check_action(action, parameters)

    def load(self) -> list[Any]:
        return [self.services.policy_marks.marks(self.actor, self.policy_no)]

    def cells(self, row: Any) -> list[Text]:
        def share(value: Any) -> str:
            return "" if value is None else f"{value * 100:.2f}%"

        return [
            literal(row.policy_no),
            literal(yes_no(row.surplus_reinsurance)),
            literal(yes_no(row.facultative_reinsurance)),
            literal(share(row.reinsurance_share)),
            literal(yes_no(row.coinsurance)),
            literal(yes_no(row.coinsurance_lead) if row.coinsurance else ""),
            literal(share(row.coinsurance_share)),
        ]

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        fields = [
            FormField(name, tr(*words), values.get(name, yes_no(getattr(row, name, None))))
            for name, words in FLAG_WORDS.items()
        ]
        for name, words in SHARE_WORDS.items():
            current = getattr(row, name, None)
            fields.append(
                FormField(
                    name, tr(*words), values.get(name, "" if current is None else str(current))
                )
            )
        return fields

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        from tui_crm.services.core import Conflict

        shown = {f.name: f.value for f in self.fields(row, {})}
        changes = {k: v for k, v in values.items() if v.strip() != shown.get(k)}
        if not changes:
            raise Conflict(tr("没有修改", "Nothing changed"), code="unchanged")
        return self.services.policy_marks.correct(self.actor, self.policy_no, changes)
