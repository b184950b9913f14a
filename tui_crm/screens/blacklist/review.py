"""Blacklist area: a screen that adapts to the role.

Claims staff and underwriters (blacklist.nominate) see the candidates the rules found and
their own nominations; supervisors (blacklist.review / blacklist.lift) see the review
queue, oldest first, and the customers on the blacklist; everyone with a blacklist or
report right sees the quota per unit. Keys: Tab / Shift+Tab or 1–5 switch lists, Enter
opens the highlighted row (review a nomination, nominate a candidate, resubmit a returned
nomination), n nominates by customer number, l lifts, c opens the classification run and
class statistics, r reloads, Esc goes back.
"""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.blacklist.texts import reason_labels, status_label
from tui_crm.screens.classification import ClassificationCommands, can_see_classes
from tui_crm.widgets.badges import class_badge, literal
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

NOMINATE = "blacklist.nominate"
REVIEW = "blacklist.review"
LIFT = "blacklist.lift"


def open_screen(services: "Services", actor: "Actor") -> "BlacklistScreen":
    return BlacklistScreen(services, actor)


def tabs_for(actor: "Actor") -> list[tuple[str, str]]:
    """(tab id, title) in the order shown, for the actor's rights."""
    tabs: list[tuple[str, str]] = []
    if actor.can(REVIEW):
        tabs.append(("queue", tr("审核队列", "Review queue")))
    if actor.can(NOMINATE):
        tabs.append(("candidates", tr("候选客户", "Candidates")))
        tabs.append(("mine", tr("我的提名", "My nominations")))
    if actor.can(LIFT) or actor.can(REVIEW):
        tabs.append(("entries", tr("黑名单", "Blacklisted")))
    if tabs or can_see_classes(actor):
        tabs.append(("quota", tr("提名配额", "Quota")))
    return tabs


COLUMNS = {
    "queue": [("#", "#"), ("客户", "Customer"), ("类别", "Class"), ("机构", "Unit"),
              ("理由", "Reasons"), ("提名人", "Nominated by"), ("提交时间", "Submitted")],
    "candidates": [("客户号", "No."), ("客户", "Customer"), ("类别", "Class"), ("机构", "Unit"),
                   ("年出险", "Claims"), ("满期赔付率", "Earned LR"), ("依据", "Why"),
                   ("提名", "Nomination")],
    "mine": [("#", "#"), ("客户", "Customer"), ("理由", "Reasons"), ("状态", "Status"),
             ("提交时间", "Submitted")],
    "entries": [("客户号", "No."), ("客户", "Customer"), ("机构", "Unit"), ("理由", "Reasons"),
                ("批准日期", "Approved"), ("批准人", "By")],
    "quota": [("机构", "Unit"), ("名称", "Name"), ("已提名", "Submitted"),
              ("已批准", "Approved"), ("待审核", "Pending"), ("配额", "Quota"), ("差额", "Short")],
}  # fmt: skip


def _when(moment: Any) -> Text:
    from tui_crm.services.core import BRANCH_TZ

    return Text(moment.astimezone(BRANCH_TZ).strftime("%Y-%m-%d %H:%M") if moment else "")


class BlacklistScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "blacklist.tcss")
    COMMANDS = Screen.COMMANDS | {ClassificationCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="blacklist.back"),
        Binding("enter", "open", Phrase("打开", "Open"), id="blacklist.open", show=True),
        Binding("n", "nominate", Phrase("提名", "Nominate"), id="blacklist.nominate"),
        Binding("l", "lift", Phrase("解除", "Lift"), id="blacklist.lift"),
        Binding("c", "classes", Phrase("客户分类", "Classes"), id="blacklist.classes"),
        Binding("r", "reload", Phrase("刷新", "Reload"), id="blacklist.reload"),
        Binding("tab", "next_tab(1)", Phrase("下一页签", "Next list"), show=False),
        Binding("shift+tab", "next_tab(-1)", Phrase("上一页签", "Previous list"), show=False),
        *[Binding(str(i), f"tab({i})", show=False) for i in range(1, 6)],
    ]

    class Loaded(Message):
        def __init__(self, tab: str, rows: list[Any]) -> None:
            super().__init__()
            self.tab, self.rows = tab, rows

    class Failed(Message):
        def __init__(self, tab: str, reason: str) -> None:
            super().__init__()
            self.tab, self.reason = tab, reason

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.tabs = tabs_for(actor)
        self.rows: dict[str, list[Any]] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("黑名单管理", "Blacklist"), style="bold"), id="title-bar")
        if not self.tabs:
            yield Static(
                Text(
                    tr(
                        "您的角色没有黑名单相关权限。按 Esc 返回。",
                        "Your role has no blacklist rights. Press Esc to go back.",
                    )
                ),
                id="blacklist-none",
            )
        else:
            with TabbedContent(id="blacklist-tabs"):
                for number, (tab_id, title) in enumerate(self.tabs, start=1):
                    with TabPane(f"{number} {title}", id=f"tab-{tab_id}"), Vertical():
                        yield DataTable(id=f"table-{tab_id}", cursor_type="row", zebra_stripes=True)
        yield Static("", id="blacklist-status")
        yield FittingFooter()

    def on_mount(self) -> None:
        for tab_id, _ in self.tabs:
            table = self.query_one(f"#table-{tab_id}", DataTable)
            for zh, en in COLUMNS[tab_id]:
                table.add_column(Text(tr(zh, en), style="bold"))
        if self.tabs:
            self.query_one(f"#table-{self.tabs[0][0]}", DataTable).focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "nominate":
            return self.actor.can(NOMINATE)
        if action == "lift":
            return self.actor.can(LIFT)
        if action == "classes":
            return can_see_classes(self.actor)
        if action == "open":
            return bool(self.tabs)
        return True

    # ------------------------------------------------------------------ loading
    def current_tab(self) -> str | None:
        if not self.tabs:
            return None
        active = self.query_one(TabbedContent).active or f"tab-{self.tabs[0][0]}"
        return active.removeprefix("tab-")

    def action_reload(self) -> None:
        for tab_id, _ in self.tabs:
            self._load(tab_id)

    @work(thread=True, group="blacklist-load")
    def _load(self, tab: str) -> None:
        from tui_crm.services.core import ServiceError

        views = self.services.blacklist_views
        fetchers: dict[str, Callable[[], list[Any]]] = {
            "queue": lambda: list(views.queue(self.actor)),
            "candidates": lambda: list(views.candidates(self.actor)),
            "mine": lambda: list(views.mine(self.actor)),
            "entries": lambda: list(views.entries(self.actor)),
            "quota": lambda: list(views.quota(self.actor)),
        }
        fetch = fetchers[tab]
        try:
            self.post_message(self.Loaded(tab, list(fetch())))
        except ServiceError as error:
            self.post_message(self.Failed(tab, error.message))

    def on_blacklist_screen_loaded(self, message: Loaded) -> None:
        self.rows[message.tab] = message.rows
        table = self.query_one(f"#table-{message.tab}", DataTable)
        # Keep the cursor on the row acted on, so the next Enter does not hit another one.
        previous = table.cursor_row
        table.clear()
        for row in message.rows:
            table.add_row(*self._cells(message.tab, row))
        if message.rows:
            table.move_cursor(row=min(max(previous, 0), len(message.rows) - 1))
        if message.tab == self.current_tab():
            self._say_count(message.tab)

    def on_blacklist_screen_failed(self, message: Failed) -> None:
        self._status(Text(message.reason, style="bold red"))

    def _cells(self, tab: str, row: Any) -> list[Text]:
        from tui_crm.services.core import format_ratio

        if tab == "queue":
            who = row.nominated_by + (tr("（本人）", " (you)") if row.own else "")
            return [literal(row.id), literal(row.customer_name), class_badge(row.customer_class),
                    literal(row.unit_code), literal(reason_labels(row.reasons)), literal(who),
                    _when(row.submitted_at)]  # fmt: skip
        if tab == "candidates":
            nomination = (
                f"#{row.open_nomination_id} {status_label(row.open_status)}"
                if row.open_nomination_id
                else ""
            )
            return [literal(row.customer_id), literal(row.customer_name),
                    class_badge(row.customer_class), literal(row.unit_code),
                    literal(row.claims_year), literal(format_ratio(row.earned_ratio_year)),
                    literal("；".join(row.reasons)), literal(nomination)]  # fmt: skip
        if tab == "mine":
            reasons = literal(reason_labels(row.reasons))
            return [literal(row.id), literal(row.customer_name), reasons,
                    literal(status_label(row.status)), _when(row.submitted_at)]  # fmt: skip
        if tab == "entries":
            return [literal(row.customer_id), literal(row.customer_name), literal(row.unit_code),
                    literal(reason_labels(row.reasons)), _when(row.approved_at),
                    literal(row.approved_by)]  # fmt: skip
        short = Text(str(row.shortfall), style="bold red" if row.shortfall else "green")
        return [literal(row.unit_code), literal(row.unit_name), literal(row.submitted),
                literal(row.approved), literal(row.pending), literal(row.quota), short]  # fmt: skip

    def _status(self, text: Text) -> None:
        self.query_one("#blacklist-status", Static).update(text)

    def _say_count(self, tab: str) -> None:
        count = len(self.rows.get(tab, []))
        hints = {
            "queue": tr("Enter 审核", "Enter to review"),
            "candidates": tr("Enter 提名", "Enter to nominate"),
            "mine": tr("Enter 重新提交被退回的提名", "Enter resubmits a returned one"),
            "entries": tr("l 解除", "l to lift"),
            "quota": "",
        }
        self._status(Text(tr("共 {n} 条。", "{n} rows. ", n=count) + hints.get(tab, "")))

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        tab = self.current_tab()
        if tab:
            self.query_one(f"#table-{tab}", DataTable).focus()
            self._say_count(tab)

    def action_tab(self, number: int) -> None:
        if 1 <= number <= len(self.tabs):
            self.query_one(TabbedContent).active = f"tab-{self.tabs[number - 1][0]}"

    def action_next_tab(self, step: int) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        index = [t for t, _ in self.tabs].index(tab)
        self.action_tab((index + step) % len(self.tabs) + 1)

    # ------------------------------------------------------------------ actions
    def _selected(self) -> tuple[str | None, Any]:
        tab = self.current_tab()
        if tab is None or not self.rows.get(tab):
            return None, None
        table = self.query_one(f"#table-{tab}", DataTable)
        index = table.cursor_row
        rows = self.rows[tab]
        return (tab, rows[index]) if 0 <= index < len(rows) else (None, None)

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        tab, row = self._selected()
        if tab == "queue":
            from tui_crm.screens.blacklist.decide import DecideScreen

            self.app.push_screen(
                DecideScreen(self.services, self.actor, row.id), self._after_dialog
            )
        elif tab == "candidates":
            reasons = ["fraud"] if row.fraud else ["frequent_claims"]
            self._nominate(row.customer_id, reasons, row.customer_name)
        elif tab == "mine" and row.status == "returned":
            from tui_crm.screens.blacklist.nominate import NominateDialog

            self.app.push_screen(
                NominateDialog(self.services, self.actor, row.customer_id, resubmit=row),
                self._after_dialog,
            )
        elif tab == "entries":
            self.action_lift()

    def action_nominate(self) -> None:
        tab, row = self._selected()
        picked = tab in ("candidates", "entries")
        customer = getattr(row, "customer_id", None) if picked else None
        self._nominate(customer, [], getattr(row, "customer_name", "") if picked else "")

    def _nominate(self, customer_id: int | None, reasons: list[str], name: str = "") -> None:
        from tui_crm.screens.blacklist.nominate import NominateDialog

        self.app.push_screen(
            NominateDialog(self.services, self.actor, customer_id, reasons=reasons, name=name),
            self._after_dialog,
        )

    def action_lift(self) -> None:
        tab, row = self._selected()
        if tab != "entries":
            self.notify(
                tr("请先在“黑名单”页签中选择客户", "Pick a customer on the Blacklisted list")
            )
            return
        from tui_crm.screens.blacklist.lift import LiftDialog

        self.app.push_screen(
            LiftDialog(self.services, self.actor, row.customer_id, row.customer_name),
            self._after_dialog,
        )

    def _after_dialog(self, result: str | None) -> None:
        if result:
            self.notify(result)
            self.action_reload()

    def action_classes(self) -> None:
        from tui_crm.screens.classification import ClassificationScreen

        self.app.push_screen(ClassificationScreen(self.services, self.actor))

    def action_back(self) -> None:
        self.app.pop_screen()
