"""The members of one corporate group in the user's units. n adds a company (its customer
number), D takes the highlighted one out, L makes it a subsidiary of another company, U
unlinks it from its parent (`group.edit`); the refusal shows under the field or below
the table."""

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def customer_number(text: str, field: str) -> int:
    from tui_crm.services.core import ValidationFailed

    value = text.strip()
    if not value.isdigit() or not 0 < int(value) < 2**63:
        raise ValidationFailed(tr("请填客户编号", "Type the customer number"), field=field)
    return int(value)


def under(field: str, call: Any) -> Any:
    """Run `call`; a refusal of the input is shown under the form's one field `field`."""
    from tui_crm.services.core import ValidationFailed

    try:
        return call()
    except ValidationFailed as refusal:
        raise ValidationFailed(refusal.message, field=field) from None


class GroupMembersScreen(RecordsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *RecordsScreen.BINDINGS,
        Binding("d", "remove", Phrase("移出集团", "Remove"), id="group.remove"),
        Binding("l", "link", Phrase("设母公司", "Set parent"), id="group.link"),
        Binding("u", "unlink", Phrase("解除母公司", "Unlink"), id="group.unlink"),
    ]
    HEADING = ("集团成员", "Group members")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("客户编号", "Customer"),
        ("名称", "Name"),
        ("机构", "Unit"),
        ("母公司", "Parent"),
        ("总部", "Head"),
    ]
    EDIT_PERMISSION = "group.edit"

    def __init__(self, services: "Services", actor: "Actor", group_id: int, name: str) -> None:
        super().__init__(services, actor)
        self.group_id = group_id
        self.group_name = name
        self.mode = "add"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("remove", "link", "unlink"):
            return self.actor.can(self.EDIT_PERMISSION)
        return super().check_action(action, parameters)

    def load(self) -> list[Any]:
        return self.services.groups.members(self.actor, self.group_id)

    def cells(self, row: Any) -> list[Text]:
        return [
            literal(str(row.customer_id)),
            literal(row.name),
            literal(row.unit_code),
            literal("" if row.parent_id is None else str(row.parent_id)),
            literal(tr("是", "yes") if row.head else ""),
        ]

    def _current(self) -> Any | None:
        index = self.query_one("#records-table").cursor_row  # type: ignore[attr-defined]
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def action_add(self) -> None:
        self.mode = "add"
        super().action_add()

    def action_edit(self) -> None:
        self.action_link()  # Enter on a member: name its parent

    def action_link(self) -> None:
        row = self._current()
        if row is not None and self.actor.can(self.EDIT_PERMISSION):
            self.mode = "link"
            self._form(row, {}, {})

    def action_remove(self) -> None:
        row = self._current()
        if row is not None:
            self._run("change", lambda: self.services.groups.remove(
                self.actor, self.group_id, row.customer_id))  # fmt: skip

    def action_unlink(self) -> None:
        row = self._current()
        if row is not None:
            self._run("change", lambda: self.services.groups.unlink(self.actor, row.customer_id))

    def handle_done(self, message: RecordsScreen.Done) -> None:
        if message.kind != "change":
            super().handle_done(message)
        elif message.error:
            self._status(Text(message.error, style="bold red"))
        else:
            self.note = tr("已保存", "Saved")
            self.action_reload()

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        if self.mode == "link" and row is not None:
            words = tr("{n} 的母公司客户编号", "Parent company of {n}: customer no.", n=row.name)
            return [FormField("parent", words, values.get("parent", ""))]
        words = tr("加入 {g} 的客户编号", "Customer no. to add to {g}", g=self.group_name)
        return [FormField("customer", words, values.get("customer", ""))]

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        if self.mode == "link" and row is not None:
            parent = customer_number(values["parent"], "parent")
            return under("parent", lambda: self.services.groups.link(
                self.actor, parent, row.customer_id))  # fmt: skip
        customer = customer_number(values["customer"], "customer")
        return under("customer", lambda: self.services.groups.add(
            self.actor, self.group_id, customer))  # fmt: skip
