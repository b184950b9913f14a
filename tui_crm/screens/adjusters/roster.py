"""查勘员排班: the shifts of the user's units from today on. n adds a shift, Enter (or e)
corrects the highlighted one, Delete pressed twice removes it (`adjuster.edit`); r
reloads. A refusal shows under its field: the phone, the end after the start, an overlap
with the same person's other shift."""

from datetime import datetime, time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from tui_crm.formats import local_time, local_zone
from tui_crm.i18n import Phrase, tr
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

MOMENT = "YYYY-MM-DD HH:MM"


def open_screen(services: "Services", actor: "Actor") -> "RosterScreen":
    return RosterScreen(services, actor)


def parse_moment(text: str, field: str) -> datetime:
    """A local `YYYY-MM-DD HH:MM` typed in the form, or the refusal under its field."""
    from tui_crm.services.core import ValidationFailed

    value = text.strip().replace("T", " ")
    try:
        moment = datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValidationFailed(
            tr("时间格式应为 {f}", "Times are {f}", f=MOMENT), field=field
        ) from None
    return moment.replace(tzinfo=local_zone())


class RosterScreen(RecordsScreen):
    HEADING = ("查勘员排班", "Adjusters on duty")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("编号", "No."),
        ("查勘员", "Adjuster"),
        ("账号", "User"),
        ("电话", "Phone"),
        ("机构", "Unit"),
        ("开始", "From"),
        ("结束", "To"),
    ]
    EDIT_PERMISSION = "adjuster.edit"
    BINDINGS: ClassVar[list[BindingType]] = [
        *RecordsScreen.BINDINGS,
        Binding("e", "edit", Phrase("修改", "Correct"), show=False),
        Binding("delete", "remove", Phrase("删除", "Delete"), id="roster.remove"),
    ]

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__(services, actor)
        self.armed: int | None = None  # the shift a first Delete asked about

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return self.actor.can(self.EDIT_PERMISSION)
        return super().check_action(action, parameters)

    def load(self) -> list[Any]:
        today = datetime.combine(self.services.clock.today(), time(0), local_zone())
        return self.services.adjusters.shifts(self.actor, since=today)

    def cells(self, row: Any) -> list[Text]:
        return [
            literal(row.id),
            literal(row.name),
            literal(row.staff_username),
            literal(row.phone),
            literal(f"{row.unit_code} {row.unit_name}"),
            literal(local_time(row.starts_at)),
            literal(local_time(row.ends_at)),
        ]

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        def value(name: str, current: object) -> str:
            return values.get(name, "" if current is None else str(current))

        return [
            FormField("staff", tr("员工账号（可空）", "Staff user (optional)"),
                      value("staff", row and row.staff_username)),
            FormField("name", tr("查勘员姓名（员工可空）", "Adjuster's name (blank: the staff's)"),
                      value("name", row and row.name)),
            FormField("phone", tr("电话（员工可空）", "Phone (blank: the staff's)"),
                      value("phone", row and row.phone)),
            FormField("unit", tr("机构代码", "Unit code"),
                      value("unit", row.unit_code if row else self.actor.unit_code)),
            FormField("starts_at", tr("开始（本地时间）", "From (local time)"),
                      value("starts_at", row and local_time(row.starts_at)), placeholder=MOMENT),
            FormField("ends_at", tr("结束（本地时间）", "To (local time)"),
                      value("ends_at", row and local_time(row.ends_at)), placeholder=MOMENT),
        ]  # fmt: skip

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        from tui_crm.services.adjusters import ShiftInput

        data = ShiftInput(
            unit_code=values["unit"],
            starts_at=parse_moment(values["starts_at"], "starts_at"),
            ends_at=parse_moment(values["ends_at"], "ends_at"),
            staff_username=values["staff"],
            name=values["name"],
            phone=values["phone"],
        )
        return self.services.adjusters.save(self.actor, data, shift_id=row.id if row else None)

    def action_remove(self) -> None:
        index = self.query_one(DataTable).cursor_row
        if not 0 <= index < len(self.rows):
            return
        shift = self.rows[index]
        if self.armed != shift.id:
            self.armed = shift.id
            self._status(Text(tr(
                "再按 Delete 删除排班 {i}（{n}），其他键取消",
                "Press Delete again to remove shift {i} ({n})",
                i=shift.id, n=shift.name,
            ), style="bold yellow"))  # fmt: skip
            return
        self.armed = None
        self._run("remove", lambda: self.services.adjusters.remove(self.actor, shift.id))

    def on_key(self, event: Any) -> None:
        if event.key != "delete":
            self.armed = None

    def handle_done(self, message: RecordsScreen.Done) -> None:
        if message.kind != "remove":
            super().handle_done(message)
            return
        if message.error:
            self._status(Text(message.error, style="bold red"))
            return
        self.note = tr("已删除", "Removed")
        self.action_reload()
