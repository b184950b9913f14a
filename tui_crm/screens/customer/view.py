"""Customer 360: who the customer is, why they are in their class, and everything we have
with them, one tab per subject, each a key away.

Keys: 1–8 tabs (policies, vehicles, claims and loss ratios, receivables, contacts,
service, class history, group); E edit; Ctrl+R (as in search; R too) reveals the ID and
phones in the header and every tab, one audited reveal (roles that may); T premium trial
for the highlighted vehicle; M move to another unit (managers); P prospect facts; O the
customer's source and list; K the reinsurance and co-insurance marks of the highlighted
policy; F5 reload; Esc back.
"""

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tui_crm.formats import local_day
from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import labels
from tui_crm.screens.customer.form import CustomerFormScreen
from tui_crm.screens.customer.tabs import TAB_WORDS, TABS, fill_contacts, fill_tab
from tui_crm.widgets.badges import class_badge, kind_label, literal
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.customers import Revealed
    from tui_crm.services.customers.view360.service import Customer360


def header_text(view: "Customer360", revealed: "Revealed | None" = None) -> Text:
    text = Text()
    text.append(literal(view.name, "bold"))
    text.append(f"  {kind_label(view.kind)}  ")
    text.append(class_badge(view.customer_class))
    if view.flag_key:
        text.append(tr("  重要客户", "  key customer"), style="bold dark_orange3")
    if view.flag_blacklist or view.blacklist.status == "active":
        text.append(tr("  黑名单", "  blacklisted"), style="bold red3")
    if view.flag_renewal_due:
        text.append(tr("  续保到期", "  renewal due"), style="bold cyan")
    text.append("\n")
    id_number = revealed.id_number if revealed else view.id_number_masked
    phone = " / ".join(n for _, n in revealed.phones) if revealed else view.phone_masked
    text.append(tr("证件 ", "ID "), style="dim")
    text.append(literal(id_number or "—", "bold" if revealed else ""))
    text.append(tr("  电话 ", "  Phone "), style="dim")
    text.append(literal(phone or "—", "bold" if revealed else ""))
    text.append(tr("  机构 ", "  Unit "), style="dim")
    text.append(literal(f"{view.unit_name} ({view.unit_code})"))
    text.append(tr("  客户经理 ", "  Manager "), style="dim")
    text.append(literal(view.account_manager or "—"))
    text.append("\n")
    text.append(tr("分类原因：", "Why this class: "), style="dim")
    text.append(
        literal("；".join(view.class_reason_texts) or tr("（尚未分类）", "(not classified)"))
    )
    text.append("\n")
    text.append(tr("黑名单：", "Blacklist: "), style="dim")
    text.append(blacklist_text(view))
    return text


def blacklist_text(view: "Customer360") -> Text:
    b = view.blacklist
    reasons = labels("blacklist_reason", b.reasons)
    if b.status == "active":
        when = local_day(b.approved_at)
        out = Text(
            tr("在册（{r}；{d} 批准）", "listed ({r}; approved {d})", r=reasons, d=when),
            style="bold red3",
        )
    elif b.status == "lifted":
        when = local_day(b.lifted_at)
        out = Text(tr("已解除（{d}）", "lifted ({d})", d=when))
    else:
        out = Text(tr("无", "none"))
    if b.pending_nomination:
        out.append(tr("  · 提名待审核", "  · nomination pending review"), style="yellow")
    return out


def open_customer(services: "Services", actor: "Actor", customer_id: int) -> "CustomerScreen":
    return CustomerScreen(services, actor, customer_id)


class CustomerScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "customer.tcss")
    BINDINGS = [
        *[
            Binding(str(i + 1), f"tab('{tab_id}')", Phrase(zh, en), show=False)
            for i, (tab_id, zh, en) in enumerate(TAB_WORDS)
        ],
        Binding("escape", "back", Phrase("返回", "Back"), id="customer.back"),
        Binding("e", "edit", Phrase("修改", "Edit"), id="customer.edit"),
        Binding("ctrl+r", "reveal", Phrase("显示证件电话", "Reveal"), id="customer.reveal"),
        Binding("r", "reveal", Phrase("显示证件电话", "Reveal"), show=False),
        Binding("t", "trial", Phrase("保费试算", "Quote"), id="customer.trial"),
        Binding("m", "move", Phrase("调整机构", "Move unit"), id="customer.move"),
        Binding("p", "prospects", Phrase("准客户信息", "Prospect facts"), id="customer.prospects"),
        Binding("o", "source", Phrase("客户来源", "Source"), id="customer.source"),
        Binding("k", "marks", Phrase("再保/共保", "RI / co-ins."), id="customer.marks"),
        Binding("f5", "reload", Phrase("刷新", "Reload"), id="customer.reload"),
    ]

    FOOTER_GIVES_WAY = ("p", "o", "k")  # on a narrow terminal the record keys give way first

    class Loaded(Message):
        def __init__(self, view: "Customer360") -> None:
            super().__init__()
            self.view = view

    class Shown(Message):
        def __init__(self, revealed: "Revealed") -> None:
            super().__init__()
            self.revealed = revealed

    class Failed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, services: "Services", actor: "Actor", customer_id: int) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.customer_id = customer_id
        self.view: Customer360 | None = None
        self.revealed: Revealed | None = None
        self._stale = False  # reload when a record screen opened from here closes

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("客户全景", "Customer 360")), id="title-bar")
        yield Static(Text(tr("正在读取…", "Loading…")), id="customer-header")
        with TabbedContent(id="customer-tabs"):
            for number, (tab_id, label) in enumerate(TABS, start=1):
                with TabPane(f"{number} {label}", id=f"tab-{tab_id}"), Vertical():
                    yield Static("", id=f"summary-{tab_id}", classes="tab-summary")
                    yield DataTable(id=f"table-{tab_id}", cursor_type="row", zebra_stripes=True)
                    if tab_id in ("claims", "contacts"):
                        yield DataTable(
                            id=f"table2-{tab_id}", cursor_type="row", zebra_stripes=True
                        )
        yield FittingFooter()

    def on_mount(self) -> None:
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = {
            "edit": "customer.write",
            "move": "customer.move_unit",
            "trial": "quote.run",
        }.get(action)
        return needs is None or self.actor.can(needs)

    # ------------------------------------------------------------------ data
    @work(thread=True, exclusive=True, group="customer-360")
    def _load(self) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(
                self.Loaded(self.services.customers.view(self.actor, self.customer_id))
            )
        except ServiceError as refusal:
            self.post_message(self.Failed(refusal.message))

    def on_customer_screen_loaded(self, message: Loaded) -> None:
        self.view = message.view
        self.query_one("#customer-header", Static).update(header_text(self.view, self.revealed))
        for tab_id, _label in TABS:
            fill_tab(self, tab_id, self.view)
        if self.revealed is not None:
            fill_contacts(self, self.view, self.revealed)
        self._focus_table()

    def on_customer_screen_failed(self, message: Failed) -> None:
        if self.view is None:
            self.query_one("#customer-header", Static).update(Text(message.reason, style="red"))
        self.notify(message.reason, severity="error")

    def on_customer_screen_shown(self, message: Shown) -> None:
        self.revealed = message.revealed
        if self.view is not None:
            self.query_one("#customer-header", Static).update(header_text(self.view, self.revealed))
            fill_contacts(self, self.view, self.revealed)

    # ------------------------------------------------------------------ keys
    def action_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab_id}"
        self._focus_table()

    def on_tabbed_content_tab_activated(self, _event: Any) -> None:
        self._focus_table()

    def _focus_table(self) -> None:
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        self.query_one(f"#table-{active}", DataTable).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self._load()

    def action_reveal(self) -> None:
        self._reveal()

    @work(thread=True, exclusive=True, group="reveal")
    def _reveal(self) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(
                self.Shown(self.services.customers.reveal(self.actor, self.customer_id))
            )
        except ServiceError as refusal:
            self.post_message(self.Failed(refusal.message))

    def action_edit(self) -> None:
        def saved(changed: bool | None) -> None:
            if changed:
                self._load()

        self.app.push_screen(
            CustomerFormScreen(self.services, self.actor, customer_id=self.customer_id), saved
        )

    def action_trial(self) -> None:
        if importlib.util.find_spec("tui_crm.screens.premium.trial") is None:
            self.notify(tr("保费试算尚未开放", "Premium trial is not available yet"))
            return
        module = importlib.import_module("tui_crm.screens.premium.trial")
        vehicle_id = None
        table = self.query_one("#table-vehicles", DataTable)
        if self.view and self.view.vehicles and table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            vehicle_id = int(str(row_key.value))
        self.app.push_screen(
            module.open_trial(self.services, self.actor, self.customer_id, vehicle_id)
        )

    def action_prospects(self) -> None:
        from tui_crm.screens.records.prospects import open_screen

        self._stale = True
        self.app.push_screen(open_screen(self.services, self.actor, self.customer_id))

    def action_source(self) -> None:
        from tui_crm.screens.records.source import open_screen

        self._stale = True
        self.app.push_screen(open_screen(self.services, self.actor, self.customer_id))

    def action_marks(self) -> None:
        from tui_crm.screens.records.policy_marks import open_screen

        table = self.query_one("#table-policies", DataTable)
        if self.view is None or not self.view.policies or not table.row_count:
            self.notify(tr("请先在保单页选中一张保单", "Highlight a policy on the policies tab"))
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        policy = next(p for p in self.view.policies if str(p["id"]) == str(row_key.value))
        self._stale = True
        self.app.push_screen(open_screen(self.services, self.actor, policy["policy_no"]))

    def on_screen_resume(self) -> None:
        if self._stale:  # back from a record screen: the class or the marks may have changed
            self._stale = False
            self._load()

    def action_move(self) -> None:
        from tui_crm.widgets.form_dialog import FormDialog, FormField

        view = self.view
        if view is None:
            return
        fields = [
            FormField("unit", tr("调往机构代码（如 330411）", "Move to unit code (e.g. 330411)")),
            FormField("reason", tr("原因", "Reason")),
        ]

        def chosen(values: dict[str, str] | None) -> None:
            if values:
                self._move(values.get("unit", ""), values.get("reason", ""), view.version)

        self.app.push_screen(
            FormDialog(tr("调整服务机构：", "Move to another unit: ") + view.name, fields), chosen
        )

    @work(thread=True, exclusive=True, group="move")
    def _move(self, unit: str, reason: str, version: int) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.services.customers.move_unit(
                self.actor, self.customer_id, unit, version=version, reason=reason
            )
        except ServiceError as refusal:
            self.post_message(self.Failed(refusal.message))
            return
        self.app.call_from_thread(self.notify, tr("已调整机构", "Moved"))
        self.app.call_from_thread(self._load)
