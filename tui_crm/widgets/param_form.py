"""A parameter form: one labelled input or choice per field, its message right under it.

Plain data in (FieldSpec), plain values out; Enter moves to the next field and, on the
last one, posts Submitted. The screen validates through the service and calls
`show_error(field, message)` for the field to blame.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from tui_crm.i18n import tr

ALL = "__all__"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    help: str = ""
    value: str = ""
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (code, label)
    allow_all: bool = False  # a choice that may be left at "all"


class ParamForm(VerticalScroll):
    DEFAULT_CSS = """
    ParamForm { height: 1fr; padding: 0 1; }
    ParamForm .param-row { height: 1; margin-top: 1; }
    ParamForm .param-label { width: 12; }
    ParamForm Input, ParamForm Select { width: 36; }
    ParamForm .field-help { color: $text-muted; width: 1fr; padding-left: 2; }
    ParamForm .field-error { color: $error; height: auto; padding-left: 12; display: none; }
    ParamForm .field-error.shown { display: block; }
    """

    class Submitted(Message):
        pass

    def __init__(self, fields: Sequence[FieldSpec], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fields = list(fields)

    def compose(self) -> ComposeResult:
        for spec in self.fields:
            with Horizontal(classes="param-row"):
                yield Label(Text(spec.label), classes="param-label")
                if spec.choices or spec.allow_all:
                    options = [(label, code) for code, label in spec.choices]
                    if spec.allow_all:
                        options.insert(0, (tr("全部", "All"), ALL))
                    value = spec.value or (ALL if spec.allow_all else options[0][1])
                    yield Select(
                        options,
                        value=value,
                        allow_blank=False,
                        compact=True,
                        id=f"param-{spec.key}",
                    )
                else:
                    yield Input(value=spec.value, compact=True, id=f"param-{spec.key}")
                yield Static(Text(spec.help), classes="field-help")
            yield Static("", classes="field-error", id=f"error-{spec.key}", markup=False)

    def values(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#param-{spec.key}")
            if isinstance(widget, Select):
                value = widget.value
                result[spec.key] = "" if value in (ALL, Select.BLANK) else str(value)
            elif isinstance(widget, Input):
                result[spec.key] = widget.value.strip()
        return result

    def set_value(self, key: str, value: str) -> None:
        widget = self.query_one(f"#param-{key}")
        if isinstance(widget, Input):
            widget.value = value
        elif isinstance(widget, Select):
            widget.value = value or ALL

    def clear_errors(self) -> None:
        for spec in self.fields:
            error = self.query_one(f"#error-{spec.key}", Static)
            error.update("")
            error.remove_class("shown")

    def show_error(self, key: str | None, message: str) -> None:
        """The message under the field to blame (the first field when none is named)."""
        known = {spec.key for spec in self.fields}
        target = key if key in known else self.fields[0].key
        error = self.query_one(f"#error-{target}", Static)
        error.update(Text(message))
        error.add_class("shown")
        self.query_one(f"#param-{target}").focus()

    def focus_first(self) -> None:
        if self.fields:
            self.query_one(f"#param-{self.fields[0].key}").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        keys = [spec.key for spec in self.fields]
        current = (event.input.id or "").removeprefix("param-")
        index = keys.index(current) if current in keys else len(keys) - 1
        if index + 1 < len(keys):
            self.query_one(f"#param-{keys[index + 1]}").focus()
        else:
            self.post_message(self.Submitted())
