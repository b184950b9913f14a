"""Premium trial (保费试算): the clerk types, everything recomputes at once (no submit
step), each message sits under its field; F4 picks the new-car price from the vehicle
price table, F9 prints the proposal form (投保单) to a chosen folder.

`open_screen(services, actor)` starts from scratch; `open_trial(services, actor,
customer_id, vehicle_id)` starts prefilled from a customer's vehicle (the 360 view).
Every database call runs in a worker; results come back as messages.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui_crm.formats import money
from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.premium.vehicle_prices import VehiclePriceCommands
from tui_crm.widgets.confirm_discard import TracksTypedInput
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys
from tui_crm.widgets.sized_table import cut_last_column, fill_sized
from tui_crm.widgets.trial_form import COVERAGE_FIELDS, FormChoices, TrialForm, specs

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.premium import TrialOutcome, TrialResult

USES = (
    "family",
    "enterprise",
    "government",
    "taxi",
    "bus",
    "coach",
    "truck",
    "business_truck",
    "motorcycle",
    "tractor",
    "special",
)
STYLE = {"subtotal": "bold", "total": "bold reverse", "note": "dim", "step": ""}


def default_folder() -> Path:
    return Path.home() / tr("投保单", "proposals")


def open_screen(services: "Services", actor: "Actor") -> "PremiumTrialScreen":
    return PremiumTrialScreen(services, actor)


def open_trial(
    services: "Services",
    actor: "Actor",
    customer_id: int | None = None,
    vehicle_id: int | None = None,
) -> "PremiumTrialScreen":
    return PremiumTrialScreen(services, actor, customer_id=customer_id, vehicle_id=vehicle_id)


class PremiumTrialScreen(TracksTypedInput, TranslatedKeys, Screen[None]):
    COMMANDS = Screen.COMMANDS | {VehiclePriceCommands}
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "premium.tcss")
    # Below 100 columns the form narrows so the amounts keep their room (premium.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "back", Phrase("返回", "Back"), id="premium.back"),
        Binding(
            "f4",
            "pick_price",
            Phrase("查车价", "Vehicle prices"),
            id="premium.price",
            tooltip=Phrase("从车价表选取新车购置价", "Take the new-car price from the price table"),
        ),
        Binding(
            "f9",
            "print",
            Phrase("打印投保单", "Print proposal"),
            id="premium.print",
            tooltip=Phrase("保存投保单 xlsx 与文本", "Save the proposal form as xlsx and text"),
        ),
    ]

    class Loaded(Message):
        def __init__(
            self, choices: FormChoices | None, values: dict[str, object], who: Text
        ) -> None:
            super().__init__()
            self.choices, self.values, self.who = choices, values, who

    class ChooseVehicle(Message):
        def __init__(self, choices: list[tuple[int, str]]) -> None:
            super().__init__()
            self.choices = choices

    class Computed(Message):
        def __init__(self, outcome: "TrialOutcome") -> None:
            super().__init__()
            self.outcome = outcome

    class Printed(Message):
        def __init__(self, text: str, ok: bool) -> None:
            super().__init__()
            self.text, self.ok = text, ok

    def __init__(
        self,
        services: "Services",
        actor: "Actor",
        *,
        customer_id: int | None = None,
        vehicle_id: int | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.customer_id = customer_id
        self.vehicle_id = vehicle_id
        self.without_vehicle = False  # the clerk declined to choose one of several vehicles
        self.result: TrialResult | None = None
        self.folder = str(default_folder())
        self.typing_ready = False  # keys typed ahead wait for the form
        self._details: list[str] = []  # the 计算 of each breakdown row, whole

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("保费试算", "Premium trial"), style="bold"), id="title-bar")
        with Horizontal(id="premium-body"):
            yield Vertical(id="premium-form-slot")
            with Vertical(id="premium-result"):
                yield Static(Text(""), id="premium-who")
                yield Static(Text(""), id="premium-estimate")
                yield DataTable(id="breakdown", cursor_type="row", zebra_stripes=True)
                yield Static(Text(""), id="premium-detail")  # the cut 计算 of the row, whole
                yield Static(Text(""), id="premium-total")
                yield Static(Text(""), id="premium-status")
        yield FittingFooter()

    def on_mount(self) -> None:
        fill_sized(self.query_one("#breakdown", DataTable), self._columns(), [])
        self._load()

    @staticmethod
    def _columns() -> list[tuple[str, str]]:
        return [
            (tr("项目", "Item"), "item"),
            (tr("金额", "Amount"), "amount"),
            (tr("计算", "How"), "detail"),
        ]

    # --- loading -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="premium-load")
    def _load(self) -> None:
        from datetime import timedelta
        from decimal import Decimal

        from tui_crm.services.core import ServiceError
        from tui_crm.services.premium import use_name

        try:
            options = self.services.premium.coverage_options(self.actor)
        except ServiceError as refusal:  # e.g. a role without quote.run
            self.post_message(self.Loaded(None, {}, Text(refusal.message, style="red")))
            return
        choices = FormChoices(
            uses=[(use_name(u), u) for u in USES],
            regions=[(label("region", r), r) for r in self.services.premium.regions()],
            third_party=[
                (tr("{n}万", "{m}", n=f"{v / 10000:,.0f}", m=f"{v:,.0f}"), f"{v:.0f}")
                for v in options.third_party_limits
            ],
            scratch=[(f"{v:,.0f}", f"{v:.0f}") for v in options.scratch_limits],
            medical=[(f"{v:,.0f}", f"{v:.0f}") for v in options.medical_limits],
        )
        tomorrow = self.services.premium.today() + timedelta(days=1)
        values: dict[str, object] = {"region": "zhejiang", "start": tomorrow.isoformat()}
        who = Text(
            tr("从零开始试算（未关联客户）", "Trial from scratch (no customer)"), style="dim"
        )
        if self.customer_id is not None or self.vehicle_id is not None:
            from tui_crm.services.core import ServiceError

            try:
                prefill = self.services.premium.prefill(
                    self.actor, self.customer_id, self.vehicle_id
                )
            except ServiceError as refusal:
                who = Text(refusal.message, style="red")
            else:
                if prefill.choices and not self.without_vehicle:
                    vehicles = [(c.vehicle_id, c.label) for c in prefill.choices]
                    self.post_message(self.ChooseVehicle(vehicles))
                    return
                values.update({k: v for k, v in prefill.values.items() if v not in ("", None)})
                if values.get("new_car_price"):  # money reads the same in every field
                    values["new_car_price"] = money(Decimal(str(values["new_car_price"])))
                who = Text()
                if prefill.applicant:
                    self.customer_id = prefill.applicant.customer_id
                    who.append(tr("投保人：", "Applicant: "), style="bold")
                    who.append(prefill.applicant.name)
                if prefill.vehicle.plate or prefill.vehicle.make_model:
                    who.append(tr("  车辆：", "  Vehicle: "), style="bold")
                    who.append(f"{prefill.vehicle.plate or ''} {prefill.vehicle.make_model or ''}")
        self.post_message(self.Loaded(choices, values, who))

    def on_premium_trial_screen_choose_vehicle(self, message: ChooseVehicle) -> None:
        from tui_crm.screens.premium.vehicle_choice import VehicleChoiceDialog

        def chosen(vehicle_id: int | None) -> None:
            self.vehicle_id = vehicle_id
            self.without_vehicle = vehicle_id is None
            self._load()

        self.app.push_screen(VehicleChoiceDialog(message.choices), chosen)

    def on_premium_trial_screen_loaded(self, message: Loaded) -> None:
        self.query_one("#premium-who", Static).update(message.who)
        if message.choices is None:
            self.typing_ready = True
            return
        form = TrialForm(message.choices, message.values, id="trial-form")
        self.query_one("#premium-form-slot", Vertical).mount(form)
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        for widget in self.query("#f-use"):
            self.set_focus(widget)
        self.remember_input()  # the values as prefilled are not "typed"
        self.typing_ready = True

    def action_back(self) -> None:
        self.leave_or_ask(self.app.pop_screen)

    # --- recomputing as the clerk types ------------------------------------------------
    def on_trial_form_changed(self, message: TrialForm.Changed) -> None:
        self._compute(message.values)

    @work(thread=True, exclusive=True, group="premium-trial")
    def _compute(self, values: dict[str, object]) -> None:
        from tui_crm.services.core import ServiceError
        from tui_crm.services.premium import FieldError, TrialOutcome

        try:
            outcome = self.services.premium.trial(self.actor, values)
        except ServiceError as refusal:
            outcome = TrialOutcome(None, [FieldError(refusal.field or "", refusal.message)])
        self.post_message(self.Computed(outcome))

    def on_premium_trial_screen_computed(self, message: Computed) -> None:
        outcome = message.outcome
        self.result = outcome.result
        form = self.query_one(TrialForm)
        names = {s.name for _, section in specs(form.choices) for s in section}
        errors: dict[str, str] = {}
        for error in outcome.errors:
            key = error.field
            if key == "coverage":
                key = f"cov_{error.coverage}" if f"cov_{error.coverage}" in COVERAGE_FIELDS else ""
            elif key not in names:
                key = ""
            errors.setdefault(key, error.message)
        form.show_errors(errors)
        self._show_result(outcome.result)

    def _show_result(self, result: "TrialResult | None") -> None:
        table = self.query_one("#breakdown", DataTable)
        total = self.query_one("#premium-total", Static)
        estimate = self.query_one("#premium-estimate", Static)
        if result is None:
            fill_sized(table, self._columns(), [])
            total.update(Text(tr("请按提示修正输入", "Correct the inputs marked"), style="yellow"))
            estimate.update(Text(""))
            return
        from tui_crm.services.premium import breakdown

        rows = []
        self._details = []
        for line in breakdown(result):
            style = STYLE.get(line.kind, "")
            rows.append(
                (
                    Text(line.item, style=style),
                    Text(line.amount, style=style, justify="right"),
                    Text(line.detail, style=style),
                )
            )
            self._details.append(line.detail)
        labels = [label for label, _ in self._columns()]
        room = table.scrollable_content_region.width
        shown, cut = cut_last_column(labels, rows, room, table.cell_padding)
        fill_sized(table, self._columns()[:shown], cut)
        self._show_detail(table.cursor_row)
        total.update(Text(tr("合计 {t} 元", "Total {t} yuan", t=money(result.total)), style="bold"))
        estimate.update(
            Text(
                tr("商业险为估算（示例费率表）", "Commercial: estimate (illustrative table)"),
                style="yellow",
            )
            if result.estimate and result.commercial
            else Text("")
        )

    @on(DataTable.RowHighlighted, "#breakdown")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        """The highlighted row's 计算 in full under the table, when the column cuts it."""
        detail = self._details[row] if 0 <= row < len(self._details) else ""
        table = self.query_one("#breakdown", DataTable)
        columns = table.ordered_columns
        if len(columns) < len(self._columns()):  # 计算 left out: always shown here
            cut = True
        else:
            cut = bool(columns) and cell_len(detail) > columns[-1].width
        self.query_one("#premium-detail", Static).update(Text(detail if cut else "", style="dim"))

    def on_resize(self) -> None:
        if self.result is not None:
            self._show_result(self.result)

    # --- vehicle price table -----------------------------------------------------------
    def action_pick_price(self) -> None:
        if not self.query(TrialForm):
            return
        from tui_crm.screens.premium.vehicle_prices import VehiclePriceScreen

        self.app.push_screen(VehiclePriceScreen(self.services, self.actor, pick=True), self._picked)

    def _picked(self, row: Any) -> None:
        if row is None:
            return
        form = self.query_one(TrialForm)
        form.set_value("new_car_price", money(row.price))
        if row.seats and not form.value_of("seats"):
            form.set_value("seats", row.seats)
        if row.displacement and not form.value_of("displacement"):
            form.set_value("displacement", f"{row.displacement.normalize():f}")
        self._status(
            tr("已取车价：{m} {p}", "Price taken: {m} {p}", m=row.make_model, p=money(row.price)),
            True,
        )

    # --- proposal form -----------------------------------------------------------------
    def action_print(self, error: str | None = None) -> None:
        if self.result is None:
            self._status(tr("试算有误，无法打印", "Fix the trial before printing"), False)
            return
        field = FormField("folder", tr("保存到文件夹", "Save in folder"), self.folder)
        errors = {"folder": error} if error else None
        self.app.push_screen(
            FormDialog(tr("打印投保单", "Print the proposal form"), [field], errors), self._print_to
        )

    def _print_to(self, values: dict[str, str] | None) -> None:
        if values is None or self.result is None:
            return
        self.folder = values["folder"].strip() or self.folder
        self._print(self.result, self.folder)

    @work(thread=True, exclusive=True, group="premium-print")
    def _print(self, result: "TrialResult", folder: str) -> None:
        from tui_crm.services.core import ServiceError

        try:
            files = self.services.proposals.save_form(
                self.actor,
                result,
                folder=folder,
                customer_id=self.customer_id,
                vehicle_id=self.vehicle_id,
            )
        except ServiceError as refusal:
            self.post_message(self.Printed(refusal.message, False))
            return
        self.post_message(
            self.Printed(tr("投保单已保存：{p}", "Proposal saved: {p}", p=files.xlsx), True)
        )

    def on_premium_trial_screen_printed(self, message: Printed) -> None:
        self._status(message.text, message.ok)
        if message.ok:
            self.remember_input()  # printed: the proposal holds what was typed
        if not message.ok:
            self.action_print(message.text)

    def _status(self, text: str, ok: bool) -> None:
        self.query_one("#premium-status", Static).update(Text(text, style="green" if ok else "red"))
