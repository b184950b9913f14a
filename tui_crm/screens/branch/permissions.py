"""Role permissions: one row per permission, one column per role (administrators).
Move with the arrow keys; Space or Enter grants or takes back the permission under the
cursor (audited; the role's users get it at their next sign-in). r reloads, Esc goes back.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.widgets.badges import literal
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def open_screen(services: "Services", actor: "Actor") -> "PermissionsScreen":
    return PermissionsScreen(services, actor)


class PermissionsScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "branch.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="permissions.back"),
        Binding("space", "flip", Phrase("授予/收回", "Grant/revoke"), show=True),
        Binding("r", "reload", Phrase("刷新", "Reload"), id="permissions.reload"),
    ]

    class Done(Message):
        def __init__(self, payload: Any, error: str = "", note: str = "") -> None:
            super().__init__()
            self.payload, self.error, self.note = payload, error, note

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.matrix: Any = None

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("角色权限", "Role permissions"), style="bold"), id="title-bar")
        yield DataTable(id="permissions-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="permissions-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._run(None)

    @work(thread=True, exclusive=True, group="permissions")
    def _run(self, change: tuple[str, str, bool] | None) -> None:
        from tui_crm.services.core import ServiceError

        permissions = self.services.permissions
        note = ""
        try:
            if change is not None:
                role, permission, grant = change
                (permissions.grant if grant else permissions.revoke)(self.actor, role, permission)
                note = (
                    tr("已授予 {r}：{p}", "{r} may now: {p}", r=label("role", role), p=permission)
                    if grant
                    else tr("已收回 {r}：{p}", "{r} may no longer: {p}", r=label("role", role),
                            p=permission)
                )  # fmt: skip
            self.post_message(self.Done(permissions.matrix(self.actor), note=note))
        except ServiceError as error:
            self.post_message(self.Done(None, error.message))

    def on_permissions_screen_done(self, message: Done) -> None:
        status = self.query_one("#permissions-status", Static)
        if message.error:
            status.update(Text(message.error, style="bold red"))
            return
        self.matrix = message.payload
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(Text(tr("权限", "Permission"), style="bold"))
        for role in self.matrix.roles:
            table.add_column(Text(label("role", role), style="bold"))
        for permission in self.matrix.permissions:
            marks = [
                Text("✓", style="bold green")
                if permission in self.matrix.granted[role]
                else Text("")
                for role in self.matrix.roles
            ]
            table.add_row(literal(permission), *marks)
        table.cursor_coordinate = cursor
        hint = tr(
            "Space 授予或收回光标处的权限", "Space grants or takes back the one under the cursor"
        )
        status.update(
            Text(f"{message.note} {hint}".strip(), style="bold green" if message.note else "")
        )

    @on(DataTable.CellSelected)
    def _cell_chosen(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_flip()

    def action_flip(self) -> None:
        if self.matrix is None:
            return
        row, column = self.query_one(DataTable).cursor_coordinate
        if column == 0 or not 0 <= row < len(self.matrix.permissions):
            return
        role = self.matrix.roles[column - 1]
        permission = self.matrix.permissions[row]
        self._run((role, permission, permission not in self.matrix.granted[role]))

    def action_back(self) -> None:
        self.app.pop_screen()
