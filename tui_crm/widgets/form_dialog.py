"""A small modal form: labelled inputs, the error shown under its field, Enter to save.

It only collects values; the caller runs the service and, on a refusal, opens it again
with the values kept and the message under the field to blame.
"""

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.confirm_discard import TracksTypedInput
from tui_crm.widgets.keys import TranslatedKeys


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: str = ""
    password: bool = False
    placeholder: str = ""


class FormDialog(TracksTypedInput, TranslatedKeys, ModalScreen[dict[str, str] | None]):
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 64; height: auto; border: round $primary; background: $surface; padding: 1 2;
    }
    FormDialog .dialog-title { text-style: bold; margin-bottom: 1; }
    FormDialog .field-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", Phrase("取消", "Cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "save", Phrase("保存", "Save"), id="dialog.save"),
    ]

    def __init__(
        self, title: str, fields: list[FormField], errors: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.errors = errors or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="dialog-title")
            for field in self.fields:
                yield Label(Text(field.label))
                yield Input(
                    value=field.value,
                    password=field.password,
                    placeholder=field.placeholder,
                    id=f"field-{field.name}",
                )
                yield Static(
                    Text(self.errors.get(field.name, "")),
                    classes="field-error",
                    id=f"error-{field.name}",
                )
            general = self.errors.get("", "")
            yield Static(Text(general), classes="field-error", id="error-general")
            yield Static(
                Text(
                    tr("Enter 下一项/保存 · Esc 取消", "Enter next/save · Esc cancel"), style="dim"
                )
            )

    def on_mount(self) -> None:
        first_bad = next((f.name for f in self.fields if f.name in self.errors), None)
        target = first_bad or self.fields[0].name
        self.query_one(f"#field-{target}", Input).focus()
        if not self.errors:  # reopened after a refusal: what it holds was typed, not given
            self.remember_input()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        names = [f.name for f in self.fields]
        current = (event.input.id or "").removeprefix("field-")
        index = names.index(current)
        if index + 1 < len(names):
            self.query_one(f"#field-{names[index + 1]}", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        self.dismiss({f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.fields})

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))
