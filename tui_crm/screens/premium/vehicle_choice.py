"""Which of the customer's vehicles the trial is for: a list, Enter to choose, Esc for a
trial without a vehicle."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_crm.i18n import tr
from tui_crm.widgets.footer import FittingFooter


class VehicleChoiceDialog(ModalScreen[int | None]):
    DEFAULT_CSS = """
    VehicleChoiceDialog { align: center middle; }
    VehicleChoiceDialog > Vertical {
        width: 64; height: auto; max-height: 20; border: round $accent; padding: 0 1;
    }
    VehicleChoiceDialog OptionList { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding("escape", "cancel", tr("不选车辆", "No vehicle"), id="vehicle_choice.cancel")
    ]

    def __init__(self, choices: list[tuple[int, str]]) -> None:
        """`choices`: (vehicle id, label) in the order to show them."""
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(tr("该客户有多辆车，请选择试算的车辆", "Choose the vehicle"), style="bold")
            )
            yield OptionList(
                *(Option(Text(label), id=str(vehicle_id)) for vehicle_id, label in self.choices),
                id="vehicle-choices",
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#vehicle-choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#vehicle-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
