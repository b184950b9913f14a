"""Disaster events: name, kind, dates and the districts struck. n records one, Enter
corrects the highlighted one (managers and administrators), w lists the customers to call."""

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.branch.listing import RecordsScreen
from tui_crm.widgets.badges import literal
from tui_crm.widgets.form_dialog import FormField

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def open_screen(services: "Services", actor: "Actor") -> "DisastersScreen":
    return DisastersScreen(services, actor)


class DisastersScreen(RecordsScreen):
    HEADING = ("灾害事件", "Disaster events")
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("编号", "No."),
        ("名称", "Name"),
        ("类型", "Kind"),
        ("开始", "Start"),
        ("结束", "End"),
        ("预警", "Warned"),
        ("受灾区县", "Districts"),
    ]
    EDIT_PERMISSION = "disaster.edit"
    BINDINGS: ClassVar[list[BindingType]] = [
        *RecordsScreen.BINDINGS,
        Binding(
            "w", "worklist", Phrase("待回访客户", "Customers to call"), id="disasters.worklist"
        ),
    ]

    def load(self) -> list[Any]:
        return self.services.disasters.events(self.actor)

    def cells(self, row: Any) -> list[Text]:
        return [
            literal(row.id),
            literal(row.name),
            literal(label("catastrophe_kind", row.kind)),
            literal(row.start_date),
            literal(row.end_date),
            literal(row.warned_on),
            literal(" ".join(row.districts)),
        ]

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        def value(name: str, current: object) -> str:
            return values.get(name, "" if current is None else str(current))

        return [
            FormField("name", tr("名称", "Name"), value("name", row and row.name)),
            FormField(
                "kind",
                tr(
                    "类型 typhoon 台风 / flood 洪涝 / hail 冰雹 / snow 暴雪",
                    "Kind: typhoon / flood / hail / snow",
                ),
                value("kind", row and row.kind),
            ),
            FormField(
                "start_date",
                tr("开始日期", "Start"),
                value("start_date", row and row.start_date),
                placeholder="YYYY-MM-DD",
            ),
            FormField(
                "end_date",
                tr("结束日期", "End"),
                value("end_date", row and row.end_date),
                placeholder="YYYY-MM-DD",
            ),
            FormField(
                "warned_on",
                tr("预警日期（可空）", "Warned on (optional)"),
                value("warned_on", row and row.warned_on),
                placeholder="YYYY-MM-DD",
            ),
            FormField(
                "districts",
                tr("受灾区县代码（空格分隔）", "District codes (spaces)"),
                value("districts", row and " ".join(row.districts)),
                placeholder="330402 330411",
            ),
        ]

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        from tui_crm.services.core import ValidationFailed
        from tui_crm.services.disasters import DisasterInput

        dates: dict[str, date | None] = {}
        for name in ("start_date", "end_date", "warned_on"):
            text = values[name].strip()
            try:
                dates[name] = date.fromisoformat(text) if text else None
            except ValueError:
                dates[name] = None
                text = "?"
            if (text == "?") or (dates[name] is None and name != "warned_on"):
                raise ValidationFailed(
                    tr("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"), field=name
                )
        start, end = dates["start_date"], dates["end_date"]
        assert start is not None and end is not None
        districts = values["districts"].replace(",", " ").replace("，", " ").split()
        data = DisasterInput(values["name"], values["kind"].strip(), start, end, districts,
                             dates["warned_on"])  # fmt: skip
        return self.services.disasters.save(self.actor, data, event_id=row.id if row else None)

    def action_worklist(self) -> None:
        index = self.query_one("#records-table").cursor_row  # type: ignore[attr-defined]
        if not 0 <= index < len(self.rows):
            return
        event = self.rows[index]
        self._run("worklist", lambda: self.services.disasters.affected(self.actor, event.id))

    def handle_done(self, message: RecordsScreen.Done) -> None:
        if message.kind != "worklist":
            super().handle_done(message)
            return
        if message.error:
            self._status(Text(message.error, style="bold red"))
            return
        names = tr("、", ", ").join(f"{c.id} {c.name}" for c in message.payload[:20])
        more = "…" if len(message.payload) > 20 else ""
        self._status(
            Text(tr("待回访 {n} 位：", "{n} to call: ", n=len(message.payload)) + names + more)
        )
