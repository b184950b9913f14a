"""Follow-up tasks: care calls after a claim, satisfaction calls, SMS replies to answer.

Overdue tasks stand out in red. Keys: d closes the task under the cursor (the call notes
go into the customer's service history); g makes the tasks for new and closed claims;
m shows only mine.
"""

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.worklists import TaskItem


def open_screen(services: "Services", actor: "Actor") -> "TaskScreen":
    return TaskScreen(services, actor)


class TaskScreen(TranslatedKeys, Screen[None]):
    DEFAULT_CSS = """
    TaskScreen #tasks { height: 1fr; }
    TaskScreen #task-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", Phrase("返回", "Back"), id="tasks.back"),
        Binding("d", "done", Phrase("完成", "Done"), id="tasks.done"),
        Binding("g", "generate", Phrase("生成任务", "Make tasks"), id="tasks.generate"),
        Binding("m", "mine", Phrase("只看我的", "Mine only"), id="tasks.mine"),
        Binding("f5", "refresh", Phrase("刷新", "Refresh"), id="tasks.refresh"),
    ]

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.mine = False

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("服务任务", "Service tasks"), style="bold"), id="title-bar")
        yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
        yield Static("", id="task-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#tasks", DataTable).add_columns(
            tr("期限", "Due"),
            tr("类型", "Kind"),
            tr("客户", "Customer"),
            tr("事由", "Subject"),
            tr("负责人", "Assignee"),
        )
        self.action_refresh()

    def action_refresh(self) -> None:
        self._load()

    def action_mine(self) -> None:
        self.mine = not self.mine
        self.action_refresh()

    @work(thread=True, exclusive=True, group="tasks-load")
    def _load(self) -> None:
        items = self.services.tasks.tasks(self.actor, mine=self.mine)
        self.app.call_from_thread(self._show, items)

    def _show(self, items: "list[TaskItem]") -> None:
        table = self.query_one("#tasks", DataTable)
        table.clear()
        for t in items:
            style = "bold red" if t.overdue else ""
            due = t.due_date.isoformat() + (tr(" 逾期", " overdue") if t.overdue else "")
            table.add_row(
                Text(due, style=style),
                Text(label("task_kind", t.kind)),
                Text(t.customer_name),
                Text(t.subject),
                Text(t.assignee),
                key=str(t.id),
            )
        overdue = sum(1 for t in items if t.overdue)
        self._say(
            tr(
                "待办 {n} 项，逾期 {o} 项",
                "{n} open, {o} overdue",
                n=len(items),
                o=overdue,
            )
        )

    def _say(self, message: str) -> None:
        self.query_one("#task-status", Static).update(Text(message))

    def action_generate(self) -> None:
        from tui_crm.services.core import ServiceError

        try:
            run = self.services.tasks.generate(self.actor)
        except ServiceError as refusal:
            self._say(refusal.message)
            return
        self.notify(
            tr(
                "新增出险关怀 {c} 条，满意度回访 {s} 条",
                "{c} care calls and {s} satisfaction calls added",
                c=run.care_calls,
                s=run.satisfaction_calls,
            )
        )
        self.action_refresh()

    def action_done(self) -> None:
        table = self.query_one("#tasks", DataTable)
        if table.row_count == 0:
            return
        task_id = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

        def save(values: dict[str, str] | None) -> None:
            from tui_crm.services.core import ServiceError

            if values is None:
                return
            try:
                self.services.tasks.done(self.actor, task_id, values["notes"])
            except ServiceError as refusal:
                self._say(refusal.message)
                return
            self.action_refresh()

        fields = [FormField("notes", tr("处理记录", "Notes"))]
        self.app.push_screen(FormDialog(tr("完成任务", "Close the task"), fields), save)
