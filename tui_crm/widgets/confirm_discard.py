"""Ask before unsaved input is thrown away: leaving a form (Esc) or quitting (Ctrl+Q) with
something typed and not saved.

Enter or Y goes on (the input is discarded), N or Esc stays where the input is. A screen
that holds input a user may lose says so through `unsaved_input()` (see `HoldsInput`).
"""

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.keys import TranslatedKeys


@runtime_checkable
class HoldsInput(Protocol):
    """A screen with a form: whether anything typed there would be lost on leaving."""

    def unsaved_input(self) -> bool: ...


def unsaved_input(screens: object) -> bool:
    """Whether any of `screens` holds unsaved input."""
    return any(
        isinstance(screen, HoldsInput) and screen.unsaved_input()
        for screen in screens  # type: ignore[attr-defined]
    )


class TracksTypedInput:
    """Mixin for a screen whose typed text is the work: `remember_input()` marks the values
    as they are now (opened, prefilled, just saved), `unsaved_input()` says whether any
    input or text area differs from them, `leave_or_ask(leave)` asks before throwing it away.
    """

    _typed_baseline: dict[str, str] | None = None

    def _typed_now(self) -> dict[str, str]:
        assert isinstance(self, DOMNode)
        values: dict[str, str] = {}
        for number, widget in enumerate(self.query("Input, TextArea")):
            key = widget.id or f"#{number}"
            if isinstance(widget, Input):
                values[key] = widget.value
            elif isinstance(widget, TextArea):
                values[key] = widget.text
        return values

    def remember_input(self) -> None:
        self._typed_baseline = self._typed_now()

    def unsaved_input(self) -> bool:
        baseline = self._typed_baseline or {}
        return any(
            value.strip() and value != baseline.get(key, "")
            for key, value in self._typed_now().items()
        )

    def leave_or_ask(self, leave: Callable[[], object], going: str | None = None) -> None:
        if not self.unsaved_input():
            leave()
            return

        def decided(discard: bool | None) -> None:
            if discard:
                leave()

        assert isinstance(self, DOMNode)
        self.app.push_screen(ConfirmDiscardScreen(going or tr("离开", "leaving")), decided)


class ConfirmDiscardScreen(TranslatedKeys, ModalScreen[bool]):
    """Dismissed with True to discard and go on, False to stay."""

    DEFAULT_CSS = """
    ConfirmDiscardScreen { align: center middle; }
    ConfirmDiscardScreen > Vertical {
        width: 48; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("enter", "discard", Phrase("放弃并继续", "Discard"), id="confirm_discard.yes"),
        Binding("y", "discard", Phrase("放弃", "Discard"), show=False),
        Binding("n", "stay", Phrase("留下", "Stay"), id="confirm_discard.no"),
        Binding("escape", "stay", Phrase("留下", "Stay"), show=False),
    ]

    def __init__(self, going: str) -> None:
        super().__init__()
        self.going = going  # what happens on "yes": leave the form, quit the program

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(tr("有未保存的输入", "Unsaved input"), style="bold"))
            yield Static(
                Text(
                    tr(
                        "已输入的内容尚未保存，{g}后将丢失。",
                        "What you typed is not saved; {g} discards it.",
                        g=self.going,
                    )
                ),
                id="confirm-discard-text",
            )
            yield Static(
                Text(tr("Enter / Y 放弃并继续　N / Esc 留下", "Enter / Y discard   N / Esc stay"))
            )

    def action_discard(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)
