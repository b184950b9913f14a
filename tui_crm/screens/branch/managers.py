"""Account managers and their books: staff who left but still hold customers first.

Keys: Enter hands the highlighted person's customers over (to one colleague, or several
by rule: a dry run first, y confirms), a gives one customer to someone, r reloads, Esc
goes back. Managers and administrators (customer.assign).
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
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

COLUMNS = [("用户名", "User"), ("姓名", "Name"), ("角色", "Role"), ("机构", "Unit"),
           ("状态", "Status"), ("客户数", "Customers")]  # fmt: skip


def open_screen(services: "Services", actor: "Actor") -> "ManagersScreen":
    return ManagersScreen(services, actor)


class ManagersScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "branch.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="managers.back"),
        Binding("enter", "handover", Phrase("移交客户", "Hand over"), show=True),
        Binding("a", "assign", Phrase("指定单个客户", "Assign one"), id="managers.assign"),
        Binding("y", "confirm", Phrase("确认", "Confirm"), id="managers.confirm"),
        Binding("r", "reload", Phrase("刷新", "Reload"), id="managers.reload"),
    ]

    class Done(Message):
        def __init__(self, kind: str, payload: Any, error: str = "", field: str = "") -> None:
            super().__init__()
            self.kind, self.payload, self.error, self.field = kind, payload, error, field

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.rows: list[Any] = []
        self.pending: dict[str, Any] | None = None  # the hand-over awaiting y
        self.note = ""  # what the last change did, said on the next paint

    def compose(self) -> ComposeResult:
        yield Static(
            Text(tr("客户经理与客户移交", "Account managers"), style="bold"), id="title-bar"
        )
        yield DataTable(id="managers-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="managers-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for zh, en in COLUMNS:
            table.add_column(Text(tr(zh, en), style="bold"))
        table.focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.pending is not None
        return True

    # ------------------------------------------------------------------ workers
    def action_reload(self) -> None:
        self._run("books", lambda a: a.books(self.actor))

    @work(thread=True, group="managers")
    def _run(self, kind: str, call: Any) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Done(kind, call(self.services.assignment)))
        except ServiceError as error:
            self.post_message(self.Done(kind, None, error.message, error.field or ""))

    def on_managers_screen_done(self, message: Done) -> None:
        if message.error:
            self._status(Text(message.error, style="bold red"))
            return
        if message.kind == "books":
            self._paint(message.payload)
        elif message.kind == "plan":
            self._say_plan(message.payload)
        elif message.kind == "handover":
            result = message.payload
            self.note = tr(
                "已移交 {n} 位客户（{b}）",
                "{n} customers handed over ({b})",
                n=result.moved,
                b=result.batch,
            )
            self.action_reload()
        elif message.kind == "assign":
            self.note = tr("已指定客户经理", "Account manager set")
            self.action_reload()

    def _paint(self, rows: list[Any]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        previous = table.cursor_row
        table.clear()
        for b in rows:
            left = not b.active and b.customers
            table.add_row(
                literal(b.username),
                literal(b.display_name),
                literal(label("role", b.role)),
                literal(b.unit_code),
                literal(
                    tr("在职", "active") if b.active else tr("已停用", "left"),
                    "bold red" if left else "",
                ),
                literal(b.customers, "bold red" if left else ""),
            )
        if rows:
            table.move_cursor(row=min(max(previous, 0), len(rows) - 1))
        if self.note:
            self._status(Text(self.note, style="bold green"))
            self.note = ""
        elif self.pending is None:
            self._status(
                Text(
                    tr(
                        "Enter 移交所选员工的全部客户，a 指定单个客户",
                        "Enter hands the selected person's customers over, a assigns one",
                    )
                )
            )

    def _status(self, text: Text) -> None:
        self.query_one("#managers-status", Static).update(text)

    # ------------------------------------------------------------------ hand-over
    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_handover()

    def action_handover(self, values: dict[str, str] | None = None, errors: Any = None) -> None:
        index = self.query_one(DataTable).cursor_row
        if not 0 <= index < len(self.rows):
            return
        person = self.rows[index]
        values = values or {"rule": "even"}
        fields = [
            FormField("to", tr("接手人（用户名，多人用逗号分隔）", "Taken over by (users, commas)"),
                      values.get("to", "")),
            FormField("rule", tr("分配规则 even 轮流 / balance 均衡 / unit 按机构",
                                 "Rule: even / balance / unit"), values.get("rule", "even")),
            FormField("reason", tr("原因", "Reason"), values.get("reason", "")),
        ]  # fmt: skip
        title = tr("移交 {u} 的客户", "Hand over {u}'s customers", u=person.username)

        def chosen(result: dict[str, str] | None) -> None:
            if result is None:
                return
            self.pending = {"from": person.username, **result}
            self._plan()

        self.app.push_screen(FormDialog(title, fields, errors), chosen)

    def _plan(self, *, dry_run: bool = True) -> None:
        p = self.pending
        assert p is not None
        targets = [t for t in p["to"].replace("，", ",").split(",") if t.strip()]
        self._run(
            "plan" if dry_run else "handover",
            lambda a: a.hand_over(
                self.actor,
                p["from"],
                targets,
                rule=p["rule"].strip() or "even",
                reason=p["reason"],
                dry_run=dry_run,
            ),
        )

    def _say_plan(self, plan: Any) -> None:
        shares = tr("、", ", ").join(f"{u} {n}" for u, n in sorted(plan.by_taker.items()))
        self.refresh_bindings()
        self._status(
            Text(
                tr(
                    "将移交 {u} 的 {n} 位客户：{s}。按 y 确认，Esc 取消",
                    "{n} customers of {u} would go: {s}. y confirms, Esc cancels",
                    u=plan.from_username,
                    n=plan.moved,
                    s=shares or "—",
                ),
                style="bold yellow",
            )
        )

    def action_confirm(self) -> None:
        if self.pending is None:
            return
        self._plan(dry_run=False)
        self.pending = None
        self.refresh_bindings()

    # ------------------------------------------------------------------ one customer
    def action_assign(self) -> None:
        fields = [
            FormField("customer", tr("客户号", "Customer no.")),
            FormField("to", tr("客户经理（用户名）", "Account manager (user)")),
            FormField("reason", tr("原因", "Reason")),
        ]

        def chosen(result: dict[str, str] | None) -> None:
            if result is None:
                return
            number = result["customer"].strip()
            if not number.isdigit():
                self._status(Text(tr("请输入客户号", "Enter a customer number"), style="bold red"))
                return
            self._run(
                "assign",
                lambda a: a.assign(self.actor, int(number), result["to"], reason=result["reason"]),
            )

        self.app.push_screen(
            FormDialog(tr("指定客户经理", "Assign an account manager"), fields), chosen
        )

    def action_back(self) -> None:
        if self.pending is not None:
            self.pending = None
            self.refresh_bindings()
            self._status(Text(tr("已取消移交", "Hand-over cancelled")))
            return
        self.app.pop_screen()
