"""Conflicts between our own units, for managers: one vehicle or customer with policies
sold by two units within the year, and a unit's registry prospect insured now through
another unit — each with both units, the policies and the account managers.
Keys: r reloads, Esc goes back."""

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

KINDS = {
    "vehicle_two_units": ("同一车辆两家机构承保", "One vehicle, two units"),
    "customer_two_units": ("同一客户两家机构承保", "One customer, two units"),
    "prospect_insured_elsewhere": ("准客户已在他机构投保", "Prospect insured elsewhere"),
}


def open_screen(services: "Services", actor: "Actor") -> "ConflictsScreen":
    return ConflictsScreen(services, actor)


class ConflictsScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "registry.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="conflicts.back"),
        Binding("r", "reload", Phrase("刷新", "Reload"), id="conflicts.reload"),
    ]

    class Done(Message):
        def __init__(self, payload: Any, error: str = "") -> None:
            super().__init__()
            self.payload, self.error = payload, error

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor

    def compose(self) -> ComposeResult:
        yield Static(
            Text(tr("机构间冲突", "Conflicts between units"), style="bold"), id="title-bar"
        )
        yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="conflicts-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for zh, en in (("类型", "Kind"), ("对象", "Subject"), ("机构", "Units"),
                       ("保单", "Policies"), ("客户经理", "Account managers")):  # fmt: skip
            table.add_column(Text(tr(zh, en), style="bold"))
        table.focus()
        self.action_reload()

    @work(thread=True, exclusive=True, group="conflicts")
    def action_reload(self) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Done(self.services.registry.conflicts(self.actor)))
        except ServiceError as error:
            self.post_message(self.Done(None, error.message))

    def on_conflicts_screen_done(self, message: Done) -> None:
        status = self.query_one("#conflicts-status", Static)
        if message.error:
            status.update(Text(message.error, style="bold red"))
            return
        table = self.query_one(DataTable)
        table.clear()
        for c in message.payload:
            table.add_row(
                literal(tr(*KINDS[c.kind])), literal(c.subject), literal(" ".join(c.units)),
                literal(" ".join(c.policies)), literal(tr("、", ", ").join(c.account_managers)),
            )  # fmt: skip
        status.update(Text(tr("共 {n} 项", "{n} conflicts", n=len(message.payload))))

    def action_back(self) -> None:
        self.app.pop_screen()
