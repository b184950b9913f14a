"""The renewal worklist: policies ending soon without a renewal, oldest end date first.

Keys: 3/6/9 for the next 30/60/90 days; c logs a call; t opens the premium trial with
the customer and vehicle of the expiring policy; s queues the renewal SMS; u sets the
status (quoted, renewed, lost with competitor and reason); m sends the renewal SMS to
every customer of the list as one campaign, after its preview.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.worklists import RenewalItem


def open_screen(services: "Services", actor: "Actor") -> "RenewalScreen":
    return RenewalScreen(services, actor)


class RenewalScreen(TranslatedKeys, Screen[None]):
    DEFAULT_CSS = """
    RenewalScreen #renewals { height: 1fr; }
    RenewalScreen #renewal-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", Phrase("返回", "Back"), id="renewals.back"),
        Binding("c", "call", Phrase("记录电话", "Log call"), id="renewals.call"),
        Binding("t", "trial", Phrase("续保试算", "Premium trial"), id="renewals.trial"),
        Binding("s", "sms", Phrase("续保短信", "Renewal SMS"), id="renewals.sms"),
        Binding("u", "status", Phrase("更新状态", "Set status"), id="renewals.status"),
        Binding("m", "campaign", Phrase("群发短信", "SMS to all"), id="renewals.campaign"),
        Binding("3", "days(30)", Phrase("30 天", "30 days"), id="renewals.30"),
        Binding("6", "days(60)", Phrase("60 天", "60 days"), id="renewals.60"),
        Binding("9", "days(90)", Phrase("90 天", "90 days"), id="renewals.90"),
        Binding("f5", "refresh", Phrase("刷新", "Refresh"), id="renewals.refresh"),
    ]

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.days = 60
        self.items: dict[str, RenewalItem] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("续保清单", "Renewals"), style="bold"), id="title-bar")
        yield DataTable(id="renewals", cursor_type="row", zebra_stripes=True)
        yield Static("", id="renewal-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#renewals", DataTable).add_columns(
            tr("到期日", "Ends"),
            tr("剩余", "Days"),
            tr("保单号", "Policy"),
            tr("客户", "Customer"),
            tr("车牌", "Plate"),
            tr("保费", "Premium"),
            tr("客户经理", "Manager"),
            tr("状态", "Status"),
        )
        self.action_refresh()

    def action_days(self, days: int) -> None:
        self.days = days
        self.action_refresh()

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="renewals-load")
    def _load(self) -> None:
        items = self.services.renewals.worklist(self.actor, days=self.days)
        self.app.call_from_thread(self._show, items)

    def _show(self, items: "list[RenewalItem]") -> None:
        table = self.query_one("#renewals", DataTable)
        table.clear()
        self.items = {str(i.policy_id): i for i in items}
        for i in items:
            status = label("renewal_status", i.status)
            if i.status == "lost" and i.competitor:
                status = f"{status}（{i.competitor}）"
            table.add_row(
                Text(i.end_date.isoformat(), style="bold red" if i.days_left <= 7 else ""),
                Text(str(i.days_left)),
                Text(i.policy_no),
                Text(i.customer_name),
                Text(i.plate or ""),
                Text(f"{i.premium:,.2f}", justify="right"),
                Text(i.manager),
                Text(status),
                key=str(i.policy_id),
            )
        self._say(
            tr(
                "未来 {d} 天到期未续保：{n} 张（3/6/9 切换 30/60/90 天）",
                "Ending in the next {d} days without a renewal: {n} (3/6/9: 30/60/90 days)",
                d=self.days,
                n=len(items),
            )
        )

    def _say(self, message: str) -> None:
        self.query_one("#renewal-status", Static).update(Text(message))

    def _current(self) -> "RenewalItem | None":
        table = self.query_one("#renewals", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(str(key))

    def _attempt(self, act: Callable[[], object]) -> None:
        from tui_crm.services.core import ServiceError

        try:
            act()
        except ServiceError as refusal:
            self._say(refusal.message)
            return
        self.action_refresh()

    def action_call(self) -> None:
        item = self._current()
        if item is None:
            return

        def save(values: dict[str, str] | None) -> None:
            if values is not None:
                self._attempt(
                    lambda: self.services.renewals.log_call(
                        self.actor, item.policy_id, values["notes"]
                    )
                )

        fields = [FormField("notes", tr("通话记录", "Call notes"))]
        title = tr("续保电话：{n}", "Renewal call: {n}", n=item.customer_name)
        self.app.push_screen(FormDialog(title, fields), save)

    def action_sms(self) -> None:
        item = self._current()
        if item is not None:

            def send() -> None:
                sent = self.services.renewals.send_notice(self.actor, item.policy_id)
                self.notify(tr("短信已排队：{p}", "SMS queued: {p}", p=sent.phone_masked))

            self._attempt(send)

    def action_campaign(self) -> None:
        from tui_crm.screens.worklists.campaign_preview import CampaignPreviewDialog
        from tui_crm.services.core import ServiceError

        customers = [i.customer_id for i in self.items.values()]
        if not customers:
            return
        try:
            preview = self.services.campaigns.build(
                self.actor,
                name=tr("续保提醒（{d} 天内到期）", "Renewal notice ({d} days)", d=self.days),
                template_code="renewal_notice",
                customer_ids=customers,
                source="renewals",
            )
        except ServiceError as refusal:
            self._say(refusal.message)
            return

        def queue(go: bool | None) -> None:
            if go:
                self._attempt(lambda: self.services.campaigns.queue(self.actor, preview.id))
                self.notify(tr("已排队 {n} 条短信", "{n} SMS queued", n=preview.to_send))

        self.app.push_screen(CampaignPreviewDialog(preview), queue)

    def action_trial(self) -> None:
        from tui_crm.screens.premium.trial import open_trial

        item = self._current()
        if item is not None:
            self.app.push_screen(
                open_trial(self.services, self.actor, item.customer_id, item.vehicle_id)
            )

    def action_status(
        self, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None
    ) -> None:
        item = self._current()
        if item is None:
            return
        codes = "quoted / renewed / lost / contacted"

        def save(values: dict[str, str] | None) -> None:
            from tui_crm.services.core import ServiceError

            if values is None:
                return
            try:
                self.services.renewals.set_status(
                    self.actor,
                    item.policy_id,
                    values["status"].strip(),
                    competitor=values["competitor"],
                    reason=values["reason"],
                )
            except ServiceError as refusal:
                self.action_status({refusal.field or "status": refusal.message}, values)
                return
            self.action_refresh()

        kept = typed or {}
        fields = [
            FormField("status", tr("状态（{c}）", "Status ({c})", c=codes), kept.get("status", "")),
            FormField("competitor", tr("流失去向", "Lost to"), kept.get("competitor", "")),
            FormField("reason", tr("原因", "Reason"), kept.get("reason", "")),
        ]
        title = tr("续保状态：{p}", "Renewal status: {p}", p=item.policy_no)
        self.app.push_screen(FormDialog(title, fields, errors), save)
