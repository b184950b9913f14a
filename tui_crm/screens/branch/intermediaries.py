"""Intermediaries of the user's units: code, name, kind, licence, commission rate.
n adds one, Enter corrects the highlighted one (managers and administrators)."""

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def open_screen(services: "Services", actor: "Actor") -> "IntermediariesScreen":
    return IntermediariesScreen(services, actor)


class IntermediariesScreen(RecordsScreen):
    HEADING = ("中介机构", "Intermediaries")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("代码", "Code"),
        ("名称", "Name"),
        ("类型", "Kind"),
        ("许可证", "Licence"),
        ("佣金比例", "Commission"),
        ("机构", "Unit"),
        ("有效", "Active"),
    ]
    EDIT_PERMISSION = "intermediary.edit"

    def load(self) -> list[Any]:
        return self.services.intermediaries.rows(self.actor, include_inactive=True)

    def cells(self, row: Any) -> list[Text]:
        rate = "" if row.commission_rate is None else f"{row.commission_rate * 100:.2f}%"
        return [
            literal(row.code),
            literal(row.name),
            literal(label("intermediary_kind", row.kind)),
            literal(row.licence_no),
            literal(rate),
            literal(row.unit_code),
            literal(tr("是", "yes") if row.active else tr("否", "no")),
        ]

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        def value(name: str, current: object) -> str:
            return values.get(name, "" if current is None else str(current))

        return [
            FormField("code", tr("代码", "Code"), value("code", row and row.code)),
            FormField("name", tr("名称", "Name"), value("name", row and row.name)),
            FormField(
                "kind",
                tr(
                    "类型 agency 代理 / broker 经纪 / dealer 车商 / bank 银行",
                    "Kind: agency / broker / dealer / bank",
                ),
                value("kind", row and row.kind),
            ),
            FormField("unit", tr("机构代码", "Unit code"), value("unit", row and row.unit_code)),
            FormField(
                "commission_rate",
                tr("佣金比例（小数，0.15 即 15%）", "Commission rate (0.15 = 15%)"),
                value("commission_rate", row and row.commission_rate),
            ),
            FormField(
                "licence", tr("许可证号", "Licence no."), value("licence", row and row.licence_no)
            ),
            FormField(
                "active",
                tr("有效（是/否）", "Active (yes/no)"),
                values.get("active", tr("否", "no") if row and not row.active else tr("是", "yes")),
            ),
        ]

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        from tui_crm.services.intermediaries import IntermediaryInput

        data = IntermediaryInput(
            code=values["code"],
            name=values["name"],
            kind=values["kind"].strip(),
            unit_code=values["unit"],
            commission_rate=values["commission_rate"],
            licence_no=values["licence"],
            active=values["active"].strip().lower() not in ("否", "no", "n", "0"),
        )
        return self.services.intermediaries.save(self.actor, data)
