"""Customer service: the complaint queue, recording a contact, SMS, and the summary.

A customer is named by any fragment the search understands (name, phone tail, plate…);
the fragment must identify one customer in the user's scope.
"""

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static, TabbedContent, TabPane

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.confirm_discard import TracksTypedInput
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

RECORD_KINDS = [
    "visit",
    "call",
    "call_centre",
    "complaint",
    "renewal_reminder",
    "claim_care",
    "disaster_warning",
]


TABS = [
    ("complaints", "投诉处理", "Complaints"),
    ("record", "记录服务", "Record a contact"),
    ("sms", "短信", "SMS"),
    ("summary", "服务统计", "Summary"),
    ("inbox", "短信回复", "SMS replies"),
]


def tab_title(tab_id: str) -> str:
    """The tab's label with the number key that opens it ("1 投诉处理")."""
    number, zh, en = next((n, z, e) for n, (t, z, e) in enumerate(TABS, start=1) if t == tab_id)
    return f"{number} {tr(zh, en)}"


def open_screen(services: "Services", actor: "Actor") -> "ServiceScreen":
    return ServiceScreen(services, actor)


class ServiceScreen(TracksTypedInput, TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).parent.parent / "styles" / "service.tcss")
    BINDINGS = [
        Binding("escape", "back", Phrase("返回", "Back"), id="service.back"),
        Binding("ctrl+s", "save", Phrase("保存/发送", "Save/send"), id="service.save"),
        Binding("r", "resolve", Phrase("处理投诉", "Resolve"), id="service.resolve"),
        Binding("f5", "refresh", Phrase("刷新", "Refresh"), id="service.refresh"),
        Binding("w", "renewals", Phrase("续保清单", "Renewals"), id="service.renewals"),
        Binding("k", "tasks", Phrase("服务任务", "Tasks"), id="service.tasks"),
        # Number keys as in the customer 360 view; while a field has focus they type digits.
        *[
            Binding(str(number), f"tab('{tab_id}')", Phrase(zh, en), show=False)
            for number, (tab_id, zh, en) in enumerate(TABS, start=1)
        ],
    ]

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor

    def compose(self) -> ComposeResult:
        from tui_crm.services.servicing import kind_name

        yield Static(Text(tr("客户服务", "Customer service"), style="bold"), id="title-bar")
        with TabbedContent(id="service-tabs"):
            with TabPane(tab_title("complaints"), id="tab-complaints"):
                yield DataTable(id="complaints", cursor_type="row", zebra_stripes=True)
            with TabPane(tab_title("record"), id="tab-record"), Vertical():
                yield Label(
                    tr("客户（姓名、电话后四位、车牌…）", "Customer (name, phone tail, plate…)")
                )
                yield Input(id="record-customer")
                yield Static("", id="record-customer-error", classes="field-error")
                yield Label(tr("类型", "Kind"))
                yield Select(
                    [(kind_name(k), k) for k in RECORD_KINDS],
                    value="call",
                    allow_blank=False,
                    id="record-kind",
                )
                yield Label(tr("事由", "Subject"))
                yield Input(id="record-subject", max_length=200)
                yield Static("", id="record-subject-error", classes="field-error")
                yield Label(tr("详细记录", "Notes"))
                yield Input(id="record-notes")
                yield Static(Text(tr("Ctrl+S 保存", "Ctrl+S to save"), style="dim"))
            with TabPane(tab_title("sms"), id="tab-sms"), Vertical():
                yield Label(tr("客户", "Customer"))
                yield Input(id="sms-customer")
                yield Static("", id="sms-customer-error", classes="field-error")
                yield Label(tr("模板", "Template"))
                yield Select([], id="sms-template", prompt=tr("选择模板", "Pick a template"))
                yield Label(
                    tr(
                        "模板参数（如 event=台风 date=7月1日）",
                        "Values (e.g. event=typhoon date=1 July)",
                    )
                )
                yield Input(id="sms-values")
                yield Static("", id="sms-error", classes="field-error")
                yield Static("", id="sms-preview")
                yield Static(Text(tr("Ctrl+S 发送", "Ctrl+S to send"), style="dim"))
            with TabPane(tab_title("summary"), id="tab-summary"):
                yield DataTable(id="summary", cursor_type="row")
            with TabPane(tab_title("inbox"), id="tab-inbox"):
                yield DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#complaints", DataTable).add_columns(
            tr("编号", "No."),
            tr("登记时间", "Logged"),
            tr("客户", "Customer"),
            tr("事由", "Subject"),
            tr("经办", "Staff"),
            tr("已等待", "Waiting"),
        )
        self.query_one("#summary", DataTable).add_columns(tr("项目", "Item"), tr("数量", "Count"))
        self.query_one("#inbox", DataTable).add_columns(
            tr("收到", "Received"),
            tr("客户", "Customer"),
            tr("手机", "Phone"),
            tr("内容", "Text"),
            tr("跟进任务", "Task"),
        )
        if self.actor.can("sms.send"):
            templates = self.services.sms.templates(self.actor)
            self.query_one("#sms-template", Select).set_options(
                [
                    (f"{t.name}{tr('（营销）', ' (marketing)') if t.marketing else ''}", t.code)
                    for t in templates
                ]
            )
        self.action_refresh()
        self.remember_input()

    def action_back(self) -> None:
        self.leave_or_ask(self.app.pop_screen)

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="service-load")
    def _load(self) -> None:
        today = self.services.clock.today()
        complaints = self.services.service_log.complaints(self.actor)
        summary = self.services.service_log.summary(
            self.actor, start=today - timedelta(days=364), end=today
        )
        inbox = self.services.sms_inbox.inbox(self.actor) if self.actor.can("sms.send") else []
        self.app.call_from_thread(self._show, complaints, summary, self.services.clock.now())
        self.app.call_from_thread(self._show_inbox, inbox)

    def _show_inbox(self, inbox) -> None:
        from tui_crm.formats import local_time
        from tui_crm.i18n.vocabulary import label

        table = self.query_one("#inbox", DataTable)
        table.clear()
        for item in inbox:
            table.add_row(
                Text(local_time(item.received_at)),
                Text(item.customer_name or tr("未知号码", "Unknown sender")),
                Text(item.phone_masked),
                Text(item.body),
                Text(label("task_status", item.task_status) if item.task_status else ""),
                key=str(item.id),
            )

    def _show(self, complaints, summary, now) -> None:
        from tui_crm.services.core import BRANCH_TZ
        from tui_crm.services.servicing import kind_name

        table = self.query_one("#complaints", DataTable)
        table.clear()
        for c in complaints:
            waited = (now - c.occurred_at).days
            table.add_row(
                Text(str(c.id)),
                Text(c.occurred_at.astimezone(BRANCH_TZ).strftime("%Y-%m-%d %H:%M")),
                Text(c.customer_name),
                Text(c.subject),
                Text(c.staff),
                Text(tr("{d} 天", "{d} d", d=waited)),
                key=str(c.id),
            )
        table = self.query_one("#summary", DataTable)
        table.clear()
        table.add_row(Text(tr("近 12 个月", "Last 12 months"), style="bold"), Text(""))
        for kind, count in summary.by_kind.items():
            table.add_row(Text(kind_name(kind)), Text(str(count)))
        table.add_row(
            Text(tr("投诉已处理", "Complaints resolved")),
            Text(f"{summary.complaints_resolved}/{summary.complaints}"),
        )
        if summary.average_days_to_resolve is not None:
            table.add_row(
                Text(tr("平均处理天数", "Average days to resolve")),
                Text(str(summary.average_days_to_resolve)),
            )
        for month, count in summary.by_month.items():
            table.add_row(Text(month), Text(str(count)))

    # --- naming a customer by fragment -------------------------------------------------
    def _customer(self, field_id: str) -> int | None:
        fragment = self.query_one(f"#{field_id}", Input).value.strip()
        error = self.query_one(f"#{field_id}-error", Static)
        if not fragment:
            error.update(tr("请输入客户信息", "Name the customer"))
            return None
        page = self.services.search.search(self.actor, fragment, limit=2)
        if page.total == 1 and page.hits:
            hit = page.hits[0]
            error.update(Text(tr("✓ {n}", "✓ {n}", n=hit.name), style="green"))
            return hit.id
        error.update(
            page.hint
            or (
                tr("没有找到客户", "No customer found")
                if not page.hits
                else tr(
                    "找到 {n} 位客户，请输入更多信息",
                    "{n} customers match: be more specific",
                    n=page.total_label,
                )
            )
        )
        return None

    def action_renewals(self) -> None:
        from tui_crm.screens.worklists.renewals import RenewalScreen

        self.app.push_screen(RenewalScreen(self.services, self.actor))

    def action_tasks(self) -> None:
        from tui_crm.screens.worklists.tasks import TaskScreen

        self.app.push_screen(TaskScreen(self.services, self.actor))

    def action_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab_id}"

    # --- saving -----------------------------------------------------------------------
    def action_save(self) -> None:
        from tui_crm.services.core import ServiceError

        active = self.query_one(TabbedContent).active
        try:
            if active == "tab-record":
                self._save_record()
            elif active == "tab-sms":
                self._send_sms(send=True)
        except ServiceError as refusal:
            target = {"tab-record": "#record-subject-error", "tab-sms": "#sms-error"}[active]
            if refusal.field == "customer":
                target = (
                    "#record-customer-error" if active == "tab-record" else "#sms-customer-error"
                )
            self.query_one(target, Static).update(refusal.message)

    def _save_record(self) -> None:
        customer_id = self._customer("record-customer")
        if customer_id is None:
            return
        record = self.services.service_log.record(
            self.actor,
            customer_id,
            kind=str(self.query_one("#record-kind", Select).value),
            subject=self.query_one("#record-subject", Input).value,
            notes=self.query_one("#record-notes", Input).value,
        )
        for field in ("record-subject", "record-notes"):
            self.query_one(f"#{field}", Input).value = ""
        self.query_one("#record-subject-error", Static).update("")
        self.notify(tr("已记录：{s}", "Recorded: {s}", s=record.subject))
        self.remember_input()
        self.action_refresh()

    @on(Input.Changed, "#sms-values")
    @on(Select.Changed, "#sms-template")
    def _preview_sms(self) -> None:
        from tui_crm.services.core import ServiceError

        if self.query_one("#sms-customer", Input).value.strip():
            try:
                self._send_sms(send=False)
            except ServiceError as refusal:
                self.query_one("#sms-error", Static).update(refusal.message)

    def _send_sms(self, *, send: bool) -> None:
        template = self.query_one("#sms-template", Select).value
        if template is Select.BLANK:
            self.query_one("#sms-error", Static).update(tr("请选择模板", "Pick a template"))
            return
        customer_id = self._customer("sms-customer")
        if customer_id is None:
            return
        values = dict(
            pair.split("=", 1)
            for pair in self.query_one("#sms-values", Input).value.split()
            if "=" in pair
        )
        sms = self.services.sms
        result = (sms.send if send else sms.preview)(self.actor, customer_id, str(template), values)
        self.query_one("#sms-error", Static).update("")
        self.query_one("#sms-preview", Static).update(Text(f"{result.phone_masked}\n{result.body}"))
        if send:
            self.notify(tr("短信已排队发送", "SMS queued"))
            self.remember_input()

    # --- complaints -------------------------------------------------------------------
    def action_resolve(
        self, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None
    ) -> None:
        if self.query_one(TabbedContent).active != "tab-complaints":
            return
        table = self.query_one("#complaints", DataTable)
        if table.row_count == 0:
            return
        contact_id = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

        def save(values: dict[str, str] | None) -> None:
            from tui_crm.services.core import ServiceError

            if values is None:
                return
            raw = values["satisfaction"].strip()
            if raw and not raw.isdigit():
                # Reopen with what was typed kept rather than dropping the bad score silently.
                message = tr("满意度为 1–5 的数字", "Satisfaction is a number 1–5")
                self.action_resolve({"satisfaction": message}, values)
                return
            try:
                self.services.service_log.resolve(
                    self.actor,
                    contact_id,
                    resolution=values["resolution"],
                    satisfaction=int(raw) if raw else None,
                )
            except ServiceError as refusal:
                self.action_resolve({refusal.field or "resolution": refusal.message}, values)
                return
            self.notify(tr("投诉已处理", "Complaint resolved"))
            self.action_refresh()

        kept = typed or {}
        fields = [
            FormField("resolution", tr("处理结果", "Resolution"), kept.get("resolution", "")),
            FormField(
                "satisfaction",
                tr("客户满意度 1–5（可空）", "Satisfaction 1–5 (optional)"),
                kept.get("satisfaction", ""),
            ),
        ]
        self.app.push_screen(FormDialog(tr("处理投诉", "Resolve complaint"), fields, errors), save)
