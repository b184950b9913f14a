"""The premium trial form: every input a clerk types, each with its message under it.

Data in, messages out: it is built from plain choices (labels and values), posts
`TrialForm.Changed` with the field texts whenever anything changes, and shows the
messages it is given next to the fields they name. Field names are the service's (the
CLI flags without dashes); coverages are `cov_<code>` fields gathered into `coverage`.
"""

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from tui_crm.i18n import tr


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    kind: str = "input"  # input | select | check
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for selects


@dataclass
class FormChoices:
    """What the selects offer: (label, value) pairs."""

    uses: list[tuple[str, str]] = field(default_factory=list)
    regions: list[tuple[str, str]] = field(default_factory=list)
    third_party: list[tuple[str, str]] = field(default_factory=list)
    scratch: list[tuple[str, str]] = field(default_factory=list)
    medical: list[tuple[str, str]] = field(default_factory=list)


COVERAGE_FIELDS = (
    "cov_damage",
    "cov_third_party",
    "cov_driver",
    "cov_passenger",
    "cov_scratch",
    "cov_holiday_double",
    "cov_medical_extra",
)


def specs(choices: FormChoices) -> list[tuple[str, list[Spec]]]:
    """Sections of the form, in Tab order."""
    return [
        (
            tr("车辆", "Vehicle"),
            [
                Spec("use", tr("使用性质", "Use"), "select", options=tuple(choices.uses)),
                Spec("seats", tr("核定座位数", "Seats"), placeholder=tr("如 5", "e.g. 5")),
                Spec(
                    "displacement",
                    tr("排量（升）", "Displacement (L)"),
                    placeholder=tr("如 1.6", "e.g. 1.6"),
                ),
                Spec("tonnage", tr("核定载质量（吨）", "Rated load (t)")),
                Spec("curb_weight", tr("整备质量（吨）", "Curb weight (t)")),
                Spec(
                    "special_class",
                    tr("特种车类别", "Special class"),
                    placeholder=tr("1–4 类", "class 1–4"),
                ),
                Spec("engine_cc", tr("摩托车排量（CC）", "Motorcycle cc")),
                Spec("power_kw", tr("拖拉机功率（kW）", "Tractor power (kW)")),
                Spec("new_energy", tr("新能源（免车船税）", "New energy (tax exempt)"), "check"),
                Spec(
                    "energy_saving", tr("节能车（车船税减半）", "Energy saving (half tax)"), "check"
                ),
                Spec("trailer", tr("挂车", "Trailer"), "check"),
                Spec(
                    "first_registration",
                    tr("初次登记日期", "First registered"),
                    placeholder="YYYY-MM-DD",
                ),
                Spec(
                    "purchase_date",
                    tr("购置日期", "Purchase date"),
                    placeholder=tr("默认登记日，新车为起期", "= registration / start"),
                ),
                Spec(
                    "new_car_price",
                    tr("新车购置价 F4查", "New-car price F4"),
                    placeholder=tr("元，如 150000", "yuan"),
                ),
                Spec("new_car", tr("新车（未上牌）", "New car (unregistered)"), "check"),
            ],
        ),
        (
            tr("保单与历史", "Policy and history"),
            [
                Spec("start", tr("保险起期", "Start date"), placeholder="YYYY-MM-DD"),
                Spec("region", tr("地区", "Region"), "select", options=tuple(choices.regions)),
                Spec(
                    "claim_free_years",
                    tr("连续无赔款年数", "Claim-free years"),
                    placeholder=tr("默认 0", "default 0"),
                ),
                Spec(
                    "at_fault_claims",
                    tr("上年有责事故次数", "At-fault claims last year"),
                    placeholder=tr("默认 0", "default 0"),
                ),
                Spec("fatal", tr("上年有责死亡事故", "Fatal accident last year"), "check"),
                Spec(
                    "ncd_level",
                    tr("NCD 等级（空=推算）", "NCD level (blank: derive)"),
                    placeholder="-4…+5",
                ),
                Spec(
                    "self_pricing",
                    tr("自主定价系数", "Self-pricing"),
                    placeholder=tr("默认 1.00", "default 1.00"),
                ),
            ],
        ),
        (
            tr("商业险险别", "Commercial coverages"),
            [
                Spec("cov_damage", tr("机动车损失保险", "Vehicle damage"), "check"),
                Spec(
                    "cov_third_party",
                    tr("第三者责任险限额", "Third-party limit"),
                    "select",
                    options=tuple(choices.third_party),
                ),
                Spec(
                    "cov_driver",
                    tr("司机座位限额", "Driver seat limit"),
                    placeholder=tr("元，空=不投保", "yuan; blank: none"),
                ),
                Spec(
                    "cov_passenger",
                    tr("乘客每座限额", "Passenger limit/seat"),
                    placeholder=tr("元，空=不投保", "yuan; blank: none"),
                ),
                Spec(
                    "cov_scratch",
                    tr("车身划痕险", "Scratch rider"),
                    "select",
                    options=tuple(choices.scratch),
                ),
                Spec("cov_holiday_double", tr("节假日限额翻倍", "Holiday double limit"), "check"),
                Spec(
                    "cov_medical_extra",
                    tr("医保外医疗费用", "Non-insured medical"),
                    "select",
                    options=tuple(choices.medical),
                ),
            ],
        ),
    ]


class TrialForm(VerticalScroll):
    class Changed(Message):
        def __init__(self, values: dict[str, object]) -> None:
            super().__init__()
            self.values = values

    def __init__(
        self, choices: FormChoices, values: dict[str, object] | None = None, **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.choices = choices
        self.initial = values or {}
        self._ready = False

    def compose(self) -> ComposeResult:
        for title, section in specs(self.choices):
            yield Static(Text(title, style="bold"), classes="form-section")
            for spec in section:
                with Horizontal(classes="form-row"):
                    yield Label(Text(spec.label), classes="form-label")
                    yield self._widget(spec)
                yield Static(Text(""), id=f"e-{spec.name}", classes="field-error form-error")
        yield Static(Text(""), id="e-general", classes="field-error form-error")

    def _widget(self, spec: Spec) -> Widget:
        value = self.initial.get(spec.name)
        if spec.kind == "check":
            return Checkbox("", bool(value), id=f"f-{spec.name}", compact=True)
        if spec.kind == "select":
            known = {v for _, v in spec.options}
            return Select(
                [(Text(label), v) for label, v in spec.options],
                allow_blank=spec.name.startswith("cov_"),
                value=value
                if value in known
                else (Select.NULL if spec.name.startswith("cov_") else spec.options[0][1]),
                prompt=tr("（不投保）", "(none)"),
                id=f"f-{spec.name}",
                compact=True,
            )
        return Input(
            "" if value is None else str(value),
            placeholder=spec.placeholder,
            id=f"f-{spec.name}",
            compact=True,
            max_length=20,
        )

    def on_mount(self) -> None:
        self._ready = True
        self.post_message(self.Changed(self.values()))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed(event)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed(event)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._changed(event)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    def _changed(self, event: Message) -> None:
        event.stop()
        if self._ready:
            self.post_message(self.Changed(self.values()))

    def value_of(self, name: str) -> object:
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else widget.value
        if isinstance(widget, Checkbox | Input):
            return widget.value
        return None

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        coverage: list[str] = []
        for _, section in specs(self.choices):
            for spec in section:
                value = self.value_of(spec.name)
                if not spec.name.startswith("cov_"):
                    out[spec.name] = value
                    continue
                code = spec.name.removeprefix("cov_")
                if value is True:
                    coverage.append(code)
                elif isinstance(value, str) and value.strip():
                    coverage.append(f"{code}:{value.strip()}")
        out["coverage"] = coverage
        return out

    def set_value(self, name: str, value: object) -> None:
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, Input):
            widget.value = "" if value is None else str(value)
        elif isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, Select):
            widget.value = value if value not in (None, "") else Select.NULL

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages by field name ('' for messages that belong to no field)."""
        for static in self.query(".form-error").results(Static):
            name = (static.id or "").removeprefix("e-")
            message = errors.get("" if name == "general" else name, "")
            static.update(Text(message))
            static.set_class(bool(message), "has-error")
