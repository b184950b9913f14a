"""The preview of a campaign before it is queued: how many get the message, who is
skipped and why, three messages as they will read. Enter queues it, Esc keeps it as a
draft (a large marketing campaign waits for a supervisor's approval first)."""

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.campaigns import CampaignPreview


class CampaignPreviewDialog(TranslatedKeys, ModalScreen[bool]):
    DEFAULT_CSS = """
    CampaignPreviewDialog { align: center middle; }
    CampaignPreviewDialog > Vertical {
        width: 90; height: auto; border: round $primary; background: $surface; padding: 1 2;
    }
    CampaignPreviewDialog .dialog-title { text-style: bold; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("enter", "queue", Phrase("排队发送", "Queue"), id="campaign.queue"),
        Binding("escape", "keep", Phrase("暂存", "Keep as draft"), id="campaign.keep"),
    ]

    def __init__(self, preview: "CampaignPreview") -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        p = self.preview
        with Vertical():
            yield Static(Text(p.name), classes="dialog-title")
            yield Static(
                Text(
                    tr(
                        "共 {t} 人：发送 {g}，跳过 {k}",
                        "{t} customers: {g} to send, {k} skipped",
                        t=p.total,
                        g=p.to_send,
                        k=p.total - p.to_send,
                    )
                ),
                id="campaign-count",
            )
            skipped = "\n".join(f"  {label('skip_reason', r)}: {n}" for r, n in p.skipped.items())
            yield Static(Text(skipped), id="campaign-skipped")
            yield Static(Text("\n".join(p.samples)), id="campaign-samples")
            hint = (
                tr(
                    "营销群发人数超过规定，需主管批准后发送（Esc 暂存）",
                    "This marketing campaign needs a supervisor's approval (Esc keeps it)",
                )
                if p.needs_approval
                else tr("Enter 排队发送 · Esc 暂存", "Enter queue · Esc keep as draft")
            )
            yield Static(Text(hint, style="dim"), id="campaign-hint")

    def action_queue(self) -> None:
        if not self.preview.needs_approval:
            self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)
