"""A labelled input with its message directly under it (error in red, note in grey).

The widget does not validate: the screen checks the value (through the services' field
checks) and calls `set_error` / `set_note`, so the same rules hold in the CLI and here.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static


class ValidatedInput(Vertical):
    DEFAULT_CSS = """
    ValidatedInput { height: auto; width: 1fr; margin: 0 1 0 0; }
    ValidatedInput > Label { color: $text-muted; }
    ValidatedInput > Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    ValidatedInput > Input:focus { border: none; background: $primary 30%; }
    ValidatedInput > .field-message { height: auto; min-height: 1; }
    ValidatedInput.-invalid > Input { background: $error 25%; }
    ValidatedInput > .field-message.-error { color: $error; }
    ValidatedInput > .field-message.-note { color: $text-muted; }
    """

    def __init__(
        self,
        name: str,
        label: str,
        value: str = "",
        *,
        placeholder: str = "",
        max_length: int = 0,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=f"field-{name}")
        self.field_name = name
        self._label = label
        self._value = value
        self._placeholder = placeholder
        self._max_length = max_length
        self._disabled = disabled

    def compose(self) -> ComposeResult:
        yield Label(Text(self._label))
        yield Input(
            value=self._value,
            placeholder=self._placeholder,
            max_length=self._max_length,
            id=f"input-{self.field_name}",
            disabled=self._disabled,
        )
        yield Static("", classes="field-message", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    @property
    def message(self) -> str:
        return str(self.query_one(".field-message", Static).render())

    def set_label(self, label: str) -> None:
        self.query_one(Label).update(Text(label))

    def set_error(self, message: str | None) -> None:
        self._show(message or "", "-error")
        self.set_class(bool(message), "-invalid")

    def set_note(self, message: str | None) -> None:
        self._show(message or "", "-note")
        self.remove_class("-invalid")

    def _show(self, message: str, kind: str) -> None:
        widget = self.query_one(".field-message", Static)
        widget.remove_class("-error", "-note")
        widget.add_class(kind)
        widget.update(Text(message))
