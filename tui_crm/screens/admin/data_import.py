"""数据导入: pick the kind and the file, preview the first rows as mapped, run the import
with progress and cancel, and the list of batches. Keyboard only; the work runs in thread
workers, a cancel stops the run between chunks (what committed stays, and the next run of
the same file resumes)."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.file_import import FileImportScreen
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

KINDS = (
    ("customers", ("客户", "Customers")),
    ("vehicles", ("车辆", "Vehicles")),
    ("policies", ("保单", "Policies")),
    ("claims", ("赔案", "Claims")),
    ("receivables", ("应收保费", "Receivables")),
)
STATUS = {
    "done": ("完成", "done"),
    "dry_run": ("试运行", "dry run"),
    "running": ("进行中", "running"),
    "cancelled": ("已取消", "cancelled"),
    "failed": ("失败", "failed"),
}


def open_screen(services: "Services", actor: "Actor") -> "DataImportScreen":
    return DataImportScreen(services, actor)


def _local(moment: Any) -> str:
    from tui_crm.services.core import BRANCH_TZ

    return moment.astimezone(BRANCH_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


class DataImportScreen(TranslatedKeys, FileImportScreen):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "imports.tcss")
    BINDINGS = [
        Binding("escape", "back", Phrase("返回/取消", "Back/cancel"), id="import.back"),
        Binding("f2", "preview", Phrase("预览", "Preview"), id="import.preview"),
        Binding("f5", "run", Phrase("导入", "Import"), id="import.run"),
        Binding("f6", "dry_run", Phrase("试运行", "Dry run"), id="import.dry_run"),
        Binding("f8", "batches", Phrase("刷新批次", "Refresh batches"), id="import.batches"),
    ]

    STATUS_LINE = "#import-status"
    MESSAGE_LINE = "#import-message"
    CANCELLING = ("正在取消（当前批次写完后停止）…", "Cancelling after the current chunk…")

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("系统管理 › 数据导入", "Administration › Data import"), style="bold"))
        with Horizontal(id="import-form"):
            yield Select(
                [(tr(*words), code) for code, words in KINDS],
                value="customers",
                allow_blank=False,
                id="import-kind",
            )
            yield Input(
                placeholder=tr("文件路径（CSV 或 xlsx）", "File (CSV or xlsx)"), id="import-file"
            )
            yield Input(
                placeholder=tr("映射方案，如 core_zh", "Profile, e.g. core_zh"), id="import-profile"
            )
            yield Input(placeholder=tr("编码（自动）", "Encoding (auto)"), id="import-encoding")
        yield Static("", id="import-message")
        yield Static("", id="import-status")
        yield Static(
            tr("预览（前 10 行，按映射）", "Preview (first 10 rows, mapped)"),
            classes="import-heading",
        )
        yield DataTable(id="import-preview", zebra_stripes=True)
        yield Static(tr("导入批次", "Import batches"), classes="import-heading")
        yield DataTable(id="import-batches", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-batches", DataTable).add_columns(
            tr("批次", "Batch"),
            tr("时间", "Time"),
            tr("用户", "User"),
            tr("类型", "Kind"),
            tr("文件", "File"),
            tr("状态", "Status"),
            tr("读取", "Read"),
            tr("新增", "Inserted"),
            tr("更新", "Updated"),
            tr("未变", "Unchanged"),
            tr("拒绝", "Rejected"),
        )
        if not self.actor.can("import.run"):
            self._say(tr("数据导入需要系统管理员权限。", "Importing needs the administrator role."))
            return
        self.query_one("#import-file", Input).focus()
        self.action_batches()

    # --- what the form holds ------------------------------------------------------------
    def _form(self) -> dict[str, Any]:
        encoding = self.query_one("#import-encoding", Input).value.strip()
        profile = self.query_one("#import-profile", Input).value.strip()
        return {
            "kind": str(self.query_one("#import-kind", Select).value),
            "path": Path(self.query_one("#import-file", Input).value.strip()),
            "profile": profile or None,
            "encoding": encoding or None,
        }

    def _ready(self) -> bool:
        if self.running or not self.actor.can("import.run"):
            return False
        if not self.query_one("#import-file", Input).value.strip():
            self._say(tr("请输入文件路径", "Enter the file's path"))
            self.query_one("#import-file", Input).focus()
            return False
        self._say("")
        return True

    # --- preview ------------------------------------------------------------------------
    def action_preview(self) -> None:
        if self._ready():
            self._preview(self._form())

    @work(thread=True, exclusive=True, group="import-preview")
    def _preview(self, form: dict[str, Any]) -> None:
        from tui_crm.services.core import ServiceError

        try:
            preview = self.services.imports.preview(self.actor, **form)
        except ServiceError as refusal:
            self.app.call_from_thread(self._say, refusal.message)
            return
        self.app.call_from_thread(self._show_preview, preview)

    def _show_preview(self, preview: Any) -> None:
        table = self.query_one("#import-preview", DataTable)
        table.clear(columns=True)
        table.add_columns(*preview.columns)
        for row in preview.rows:
            table.add_row(*(Text(cell) for cell in row))
        note = tr("编码：{e}", "Encoding: {e}", e=preview.encoding or "xlsx")
        if preview.ignored_columns:
            note += tr(
                "；将忽略的列：{c}", "; columns ignored: {c}", c=", ".join(preview.ignored_columns)
            )
        self._status(note)

    # --- run ----------------------------------------------------------------------------
    def action_run(self) -> None:
        if self._ready():
            self._start(dry_run=False)

    def action_dry_run(self) -> None:
        if self._ready():
            self._start(dry_run=True)

    def _start(self, *, dry_run: bool) -> None:
        form = self._form()
        self._start_import(
            lambda progress, cancelled: self.services.imports.run(
                self.actor, **form, dry_run=dry_run, progress=progress, cancelled=cancelled
            )
        )

    def _show_result(self, result: Any) -> None:
        status = tr(*STATUS.get(result.status, (result.status, result.status)))
        line = tr(
            "{s}：读取 {r}，新增 {i}，更新 {u}，未变 {n}，拒绝 {j}",
            "{s}: read {r}, inserted {i}, updated {u}, unchanged {n}, rejected {j}",
            s=status,
            r=result.read,
            i=result.inserted,
            u=result.updated,
            n=result.unchanged,
            j=result.rejected,
        )
        if result.rejects_file:
            line += tr("；拒绝文件：{f}", "; rejects file: {f}", f=result.rejects_file)
        self._status(line)
        if result.message:
            self._say(result.message)
        self.action_batches()

    # --- batches ------------------------------------------------------------------------
    def action_batches(self) -> None:
        if self.actor.can("import.run"):
            self._load_batches()

    @work(thread=True, exclusive=True, group="import-batches")
    def _load_batches(self) -> None:
        rows = self.services.imports.batches(self.actor, limit=100)
        self.app.call_from_thread(self._show_batches, rows)

    def _show_batches(self, rows: list[Any]) -> None:
        table = self.query_one("#import-batches", DataTable)
        table.clear()
        for b in rows:
            table.add_row(
                Text(str(b.id)),
                Text(_local(b.started_at)),
                Text(b.username),
                Text(b.kind),
                Text(Path(b.file_name).name),
                Text(tr(*STATUS.get(b.status, (b.status, b.status)))),
                Text(f"{b.read:,}"),
                Text(f"{b.inserted:,}"),
                Text(f"{b.updated:,}"),
                Text(f"{b.unchanged:,}"),
                Text(f"{b.rejected:,}"),
                key=str(b.id),
            )
