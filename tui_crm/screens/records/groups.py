"""Corporate groups (集团客户) with a member in the user's units: name, head company,
members here and in other units. n adds a group, Enter renames it or names another head
(`group.edit`: account managers, managers, administrators), M opens its members."""

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.screens.records.group_members import GroupMembersScreen, customer_number, under
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def open_screen(services: "Services", actor: "Actor") -> "GroupsScreen":
    return GroupsScreen(services, actor)


class GroupsScreen(RecordsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *RecordsScreen.BINDINGS,
        Binding("m", "members", Phrase("成员", "Members"), id="groups.members"),
    ]
    HEADING = ("集团客户", "Corporate groups")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("编号", "No."),
        ("集团名称", "Group"),
        ("总部客户", "Head"),
        ("本机构成员", "Members"),
        ("其他机构成员", "Other units"),
    ]
    EDIT_PERMISSION = "group.edit"

    def load(self) -> list[Any]:
        return self.services.groups.rows(self.actor)

    def cells(self, row: Any) -> list[Text]:
        head = f"{row.head_name} ({row.head_id})" if row.head_id else ""
        return [
            literal(str(row.id)),
            literal(row.name),
            literal(head),
            literal(str(row.members)),
            literal(str(row.other_members)),
        ]

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        head = "" if row is None or row.head_id is None else str(row.head_id)
        return [
            FormField(
                "name", tr("集团名称", "Group name"), values.get("name", row.name if row else "")
            ),
            FormField("head", tr("总部客户编号", "Head customer no."), values.get("head", head)),
        ]

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        head = customer_number(values["head"], "head")
        group_id = row.id if row else None
        if not values["name"].strip() or len(values["name"]) > 100:
            return self.services.groups.save(self.actor, values["name"], head, group_id=group_id)
        return under("head", lambda: self.services.groups.save(
            self.actor, values["name"], head, group_id=group_id))  # fmt: skip

    def action_members(self) -> None:
        index = self.query_one("#records-table").cursor_row  # type: ignore[attr-defined]
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.app.push_screen(GroupMembersScreen(self.services, self.actor, row.id, row.name))
