"""Nominate a customer for the blacklist, or resubmit a returned nomination.

Fields: customer number, reasons (Space ticks), evidence, the customer's claims to link
(Space ticks). Tab moves between fields, Ctrl+S (or Enter in the evidence box) submits,
Esc cancels. A refusal is shown next to the field it concerns.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.blacklist.texts import REASON_CODES, reason_label
from tui_crm.widgets.confirm_discard import TracksTypedInput
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.blacklist import ClaimLine, NominationItem
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

FIELDS = ("customer_id", "reasons", "evidence", "claims")


class NominateDialog(TracksTypedInput, TranslatedKeys, ModalScreen[str | None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "blacklist.tcss")
    BINDINGS = [
        Binding("ctrl+s", "submit", Phrase("提交", "Submit"), id="nominate.submit"),
        Binding("escape", "cancel", Phrase("取消", "Cancel"), id="nominate.cancel"),
    ]

    class Claims(Message):
        def __init__(self, customer_id: int, claims: "list[ClaimLine]", evidence: str | None,
                     linked: list[int]) -> None:  # fmt: skip
            super().__init__()
            self.customer_id, self.claims = customer_id, claims
            self.evidence, self.linked = evidence, linked

    class Done(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Refused(Message):
        def __init__(self, reason: str, field: str | None) -> None:
            super().__init__()
            self.reason, self.field = reason, field

    def __init__(
        self,
        services: "Services",
        actor: "Actor",
        customer_id: int | None = None,
        *,
        reasons: list[str] | None = None,
        resubmit: "NominationItem | None" = None,
        name: str = "",
    ) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.customer_id = resubmit.customer_id if resubmit else customer_id
        self.reasons = list(resubmit.reasons) if resubmit else list(reasons or [])
        self.resubmit = resubmit
        self.customer_name = resubmit.customer_name if resubmit else name

    def compose(self) -> ComposeResult:
        title = (
            tr("重新提交提名 #{i}", "Resubmit nomination #{i}", i=self.resubmit.id)
            if self.resubmit
            else tr("提名黑名单客户", "Nominate for the blacklist")
        )
        with Vertical(id="nominate-box"):
            yield Static(Text(title, style="bold"))
            yield Label(tr("客户号", "Customer number"))
            yield Input(
                str(self.customer_id or ""),
                id="customer_id",
                restrict=r"[0-9]*",
                disabled=self.resubmit is not None,
            )
            # The name, so the clerk sees who is being nominated and not only a number.
            yield Static(Text(self.customer_name), id="customer-name")
            yield Static("", id="customer_id-error", classes="field-error")
            yield Label(tr("理由（空格勾选）", "Reasons (Space ticks)"))
            yield SelectionList[str](
                *[(reason_label(c), c, c in self.reasons) for c in REASON_CODES], id="reasons"
            )
            yield Static("", id="reasons-error", classes="field-error")
            yield Label(tr("证据说明", "Evidence"))
            yield Input(id="evidence", max_length=2000)
            yield Static("", id="evidence-error", classes="field-error")
            yield Label(tr("关联赔案（空格勾选）", "Claims to link (Space ticks)"))
            yield SelectionList[int](id="claims")
            yield Static("", id="claims-error", classes="field-error")
        yield FittingFooter()

    def on_mount(self) -> None:
        if self.customer_id:
            self._claims(self.customer_id)
            self.query_one("#reasons", SelectionList).focus()
        else:
            self.query_one("#customer_id", Input).focus()
        self.remember_input()

    @on(Input.Changed, "#customer_id")
    def _customer_changed(self, event: Input.Changed) -> None:
        if event.value != str(self.customer_id or ""):
            self.query_one("#customer-name", Static).update("")
        if event.value.isdigit():
            self._claims(int(event.value))

    @work(thread=True, exclusive=True, group="nominate-claims")
    def _claims(self, customer_id: int) -> None:
        from tui_crm.services.core import ServiceError

        views = self.services.blacklist_views
        try:
            claims = views.customer_claims(self.actor, customer_id)
            evidence, linked = None, []
            if self.resubmit is not None:
                detail = views.detail(self.actor, self.resubmit.id)
                evidence, linked = detail.evidence, detail.linked_claim_ids
        except ServiceError as error:
            self.post_message(self.Refused(error.message, "customer_id"))
            return
        self.post_message(self.Claims(customer_id, claims, evidence, linked))

    def on_nominate_dialog_claims(self, message: Claims) -> None:
        self.query_one("#customer_id-error", Static).update("")
        box: SelectionList[int] = self.query_one("#claims", SelectionList)
        box.clear_options()
        for c in message.claims:
            label = Text(f"{c.claim_no}  {c.report_date}  {c.paid + c.outstanding:,.2f}")
            box.add_option((label, c.id, c.id in message.linked))
        if message.evidence is not None and not self.query_one("#evidence", Input).value:
            self.query_one("#evidence", Input).value = message.evidence

    @on(Input.Submitted, "#evidence")
    def _evidence_done(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}-error", Static).update("")
        raw = self.query_one("#customer_id", Input).value
        if not raw.isdigit():
            self._show(tr("请输入客户号", "Enter the customer number"), "customer_id")
            return
        reasons = list(self.query_one("#reasons", SelectionList).selected)
        claims = list(self.query_one("#claims", SelectionList).selected)
        evidence = self.query_one("#evidence", Input).value
        self._send(int(raw), reasons, evidence, claims)

    @work(thread=True, exclusive=True, group="nominate-send")
    def _send(self, customer_id: int, reasons: list[Any], evidence: str, claims: list[Any]) -> None:
        from tui_crm.services.core import ServiceError

        try:
            if self.resubmit is not None:
                self.services.blacklist.resubmit(
                    self.actor, self.resubmit.id, version=self.resubmit.version,
                    reasons=reasons, evidence=evidence, linked_claim_ids=claims,
                )  # fmt: skip
                text = tr("提名 #{i} 已重新提交", "Nomination #{i} resubmitted", i=self.resubmit.id)
            else:
                new_id = self.services.blacklist.nominate(
                    self.actor, customer_id, reasons, evidence, claims
                )
                text = tr(
                    "已提交提名 #{i}，待主管审核", "Nomination #{i} sent for review", i=new_id
                )
        except ServiceError as error:
            self.post_message(self.Refused(error.message, error.field))
            return
        self.post_message(self.Done(text))

    def on_nominate_dialog_done(self, message: Done) -> None:
        self.dismiss(message.text)

    def on_nominate_dialog_refused(self, message: Refused) -> None:
        self._show(message.reason, message.field if message.field in FIELDS else "customer_id")

    def _show(self, reason: str, field: str) -> None:
        self.query_one(f"#{field}-error", Static).update(Text(reason))

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))
