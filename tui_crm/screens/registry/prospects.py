"""Registry prospects of the user's units: vehicles on the road not insured with us now,
with make/model, registration year and when the policy elsewhere probably ends.

Keys: s changes the order (renewal date, unit, account manager, owner), m shows only my
customers or everyone's, e exports the list as CSV (masked, audited), c opens the
conflicts between units (managers), r reloads, Esc goes back.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.badges import literal
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

SORTS = ("renewal", "unit", "manager", "owner")
SORT_WORDS = {
    "renewal": ("按预计到期", "by renewal date"),
    "unit": ("按机构", "by unit"),
    "manager": ("按客户经理", "by account manager"),
    "owner": ("按车主", "by owner"),
}
COLUMNS = [("客户号", "No."), ("车主", "Owner"), ("证件号", "ID"), ("号牌", "Plate"),
           ("厂牌型号", "Make/model"), ("登记年份", "Registered"), ("预计到期", "Due"),
           ("状态", "Status"), ("机构", "Unit"), ("客户经理", "Manager")]  # fmt: skip


def open_screen(services: "Services", actor: "Actor") -> "ProspectsScreen":
    return ProspectsScreen(services, actor)


class ProspectsScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "registry.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="prospects.back"),
        Binding("s", "sort", Phrase("排序", "Sort"), id="prospects.sort"),
        Binding("m", "mine", Phrase("只看我的", "Mine only"), id="prospects.mine"),
        Binding("e", "export", Phrase("导出", "Export"), id="prospects.export"),
        Binding("c", "conflicts", Phrase("机构冲突", "Conflicts"), id="prospects.conflicts"),
        Binding("r", "reload", Phrase("刷新", "Reload"), id="prospects.reload"),
    ]

    class Done(Message):
        def __init__(self, kind: str, payload: Any, error: str = "") -> None:
            super().__init__()
            self.kind, self.payload, self.error = kind, payload, error

    def __init__(self, services: "Services", actor: "Actor", export_dir: Path | None = None):
        super().__init__()
        self.services = services
        self.actor = actor
        self.sort = "renewal"
        self.mine = False
        self.rows: list[Any] = []
        self.export_dir = export_dir or Path.cwd()

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("社会车辆准客户", "Registry prospects"), style="bold"), id="title-bar")
        yield DataTable(id="prospects-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="prospects-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for zh, en in COLUMNS:
            table.add_column(Text(tr(zh, en), style="bold"))
        table.focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return self.actor.can("export.create")
        if action == "conflicts":
            return self.actor.can("customer.move_unit")
        return True

    def action_reload(self) -> None:
        manager = self.actor.username if self.mine else None
        self._run(
            "load",
            lambda r: r.prospects(self.actor, manager=manager, sort=self.sort),
        )

    @work(thread=True, exclusive=True, group="prospects")
    def _run(self, kind: str, call: Any) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Done(kind, call(self.services.registry)))
        except ServiceError as error:
            self.post_message(self.Done(kind, None, error.message))

    def on_prospects_screen_done(self, message: Done) -> None:
        status = self.query_one("#prospects-status", Static)
        if message.error:
            status.update(Text(message.error, style="bold red"))
            return
        if message.kind == "export":
            status.update(Text(tr("已导出到 {p}", "Exported to {p}", p=message.payload),
                               style="bold green"))  # fmt: skip
            return
        self.rows = message.payload
        table = self.query_one(DataTable)
        table.clear()
        words = {"lapsed": tr("脱保", "lapsed"), "not_insured": tr("未在我司投保", "never with us")}
        for p in self.rows:
            table.add_row(
                literal(p.customer_id), literal(p.owner_name), literal(p.owner_id_masked),
                literal(p.plate), literal(p.make_model), literal(p.registration_year),
                literal(p.renewal_due), literal(words.get(p.status, p.status)),
                literal(p.unit_code), literal(p.account_manager),
            )  # fmt: skip
        whose = tr("我的客户", "my customers") if self.mine else tr("全部", "everyone's")
        status.update(
            Text(
                tr(
                    "共 {n} 辆（{w}，{s}）",
                    "{n} vehicles ({w}, {s})",
                    n=len(self.rows),
                    w=whose,
                    s=tr(*SORT_WORDS[self.sort]),
                )
            )
        )

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.action_reload()

    def action_mine(self) -> None:
        self.mine = not self.mine
        self.action_reload()

    def action_export(self) -> None:
        rows = list(self.rows)
        path = self.export_dir / "registry_prospects.csv"
        self._run("export", lambda r: (r.export_prospects(self.actor, rows, path), str(path))[1])

    def action_conflicts(self) -> None:
        from tui_crm.screens.registry.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(self.services, self.actor))

    def action_back(self) -> None:
        self.app.pop_screen()
