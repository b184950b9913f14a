"""社会车辆导入: an administrator imports a registry snapshot — the file, the mapping
profile of its headers (the shipped ones, or a branch's own .toml file) and the snapshot
date — with progress and cancel, and sees the counts.

Keys: F5 imports, Esc cancels a running import (nothing is kept) or goes back.
"""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Select, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.file_import import FileImportScreen
from tui_crm.services.registry import shipped_profiles
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.registry import ImportResult

PROFILE_WORDS = {
    "canonical": ("标准列名（plate, vin …）", "Canonical headers (plate, vin …)"),
    "registry_zh": ("车管所中文列名（号牌号码 …）", "Registry Chinese headers (号牌号码 …)"),
}


def open_screen(services: "Services", actor: "Actor") -> "RegistryImportScreen":
    return RegistryImportScreen(services, actor)


class RegistryImportScreen(TranslatedKeys, FileImportScreen):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "registry.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回/取消", "Back/cancel"), id="registry_import.back"),
        Binding("f5", "run", Phrase("导入", "Import"), id="registry_import.run"),
    ]

    STATUS_LINE = "#registry-import-status"
    MESSAGE_LINE = "#registry-import-message"
    MESSAGE_STYLE = "bold"

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("社会车辆导入", "Vehicle registry import"), style="bold"))
        with Horizontal(id="registry-import-form"):
            yield Input(
                placeholder=tr("文件路径（CSV 或 xlsx）", "File (CSV or xlsx)"),
                id="registry-file",
            )
            yield Select(
                [(tr(*PROFILE_WORDS.get(n, (n, n))), n) for n in shipped_profiles()],
                value="registry_zh",
                allow_blank=False,
                id="registry-profile",
            )
            yield Input(
                placeholder=tr("自定义映射方案 .toml（可空）", "Own profile .toml (optional)"),
                id="registry-profile-file",
            )
            yield Input(
                placeholder=tr("快照日期 YYYY-MM-DD（默认今天）", "Snapshot YYYY-MM-DD (today)"),
                id="registry-snapshot",
            )
        yield Static("", id="registry-import-message")
        yield Static("", id="registry-import-status")
        yield Footer()

    def on_mount(self) -> None:
        if not self.actor.can("import.run"):
            self._say(tr("导入需要系统管理员权限。", "Importing needs the administrator role."))
            return
        self.query_one("#registry-file", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _form(self) -> dict[str, Any] | None:
        """The import's arguments, or None with the reason next to the form."""
        if not self._value("#registry-file"):
            self._say(tr("请输入文件路径", "Enter the file's path"))
            self.query_one("#registry-file", Input).focus()
            return None
        snapshot = None
        if self._value("#registry-snapshot"):
            try:
                snapshot = date.fromisoformat(self._value("#registry-snapshot"))
            except ValueError:
                self._say(tr("快照日期应为 YYYY-MM-DD", "The snapshot date is YYYY-MM-DD"))
                self.query_one("#registry-snapshot", Input).focus()
                return None
        own = self._value("#registry-profile-file")
        shipped = str(self.query_one("#registry-profile", Select).value)
        return {
            "path": Path(self._value("#registry-file")),
            "profile": own or shipped,
            "snapshot": snapshot,
        }

    def action_run(self) -> None:
        if self.running or not self.actor.can("import.run"):
            return
        form = self._form()
        if form is None:
            return
        self._say("")
        self._start_import(
            lambda progress, cancelled: self.services.registry.import_file(
                self.actor, **form, progress=progress, cancelled=cancelled
            )
        )

    def _show_result(self, result: "ImportResult") -> None:
        line = tr(
            "完成：读取 {r:,}，在保 {i:,}，脱保 {l:,}，未在我司投保 {n:,}，拒绝 {j:,}，"
            "机构冲突 {c:,}，变更 {g:,}，新增游离客户 {u:,}",
            "Done: read {r:,}, insured {i:,}, lapsed {l:,}, never with us {n:,}, "
            "rejected {j:,}, conflicts {c:,}, changed {g:,}, new floating customers {u:,}",
            r=result.read,
            i=result.insured,
            l=result.lapsed,
            n=result.not_insured,
            j=result.rejected,
            c=result.conflicts,
            g=result.changed,
            u=result.new_customers,
        )
        if result.rejects_path:
            line += tr("；拒绝文件：{f}", "; rejects file: {f}", f=result.rejects_path)
        self._status(line)
