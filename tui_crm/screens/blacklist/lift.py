"""Lift a customer's blacklisting: a reason, Enter to confirm, Esc to cancel. The class the
rules give the customer today is restored (and shown)."""

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.badges import class_label, literal
from tui_crm.widgets.confirm_discard import TracksTypedInput
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


class LiftDialog(TracksTypedInput, TranslatedKeys, ModalScreen[str | None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "blacklist.tcss")
    BINDINGS = [Binding("escape", "cancel", Phrase("取消", "Cancel"), id="lift.cancel")]

    class Done(Message):
        def __init__(self, restored: str) -> None:
            super().__init__()
            self.restored = restored

    class Refused(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, services: "Services", actor: "Actor", customer_id: int, name: str) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.customer_id = customer_id
        self.name_text = name

    def compose(self) -> ComposeResult:
        with Vertical(id="lift-box"):
            title = Text(tr("解除黑名单：", "Lift the blacklisting of "), style="bold")
            title.append_text(literal(self.name_text))
            title.append(f" #{self.customer_id}")
            yield Static(title)
            yield Label(tr("解除理由（Enter 确认）", "Reason (Enter to confirm)"))
            yield Input(id="reason", max_length=500)
            yield Static("", id="reason-error", classes="field-error")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _confirm(self, event: Input.Submitted) -> None:
        self._send(event.value)

    @work(thread=True, exclusive=True, group="lift-send")
    def _send(self, reason: str) -> None:
        from tui_crm.services.core import ServiceError

        try:
            restored = self.services.blacklist.lift(self.actor, self.customer_id, reason)
        except ServiceError as error:
            self.post_message(self.Refused(error.message))
            return
        self.post_message(self.Done(restored))

    def on_lift_dialog_done(self, message: Done) -> None:
        self.dismiss(
            tr(
                "已解除，客户类别恢复为：{c}",
                "Lifted; the customer is now {c}",
                c=class_label(message.restored),
            )
        )

    def on_lift_dialog_refused(self, message: Refused) -> None:
        self.query_one("#reason-error", Static).update(Text(message.reason))

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))
