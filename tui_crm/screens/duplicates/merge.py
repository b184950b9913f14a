"""Two customer records side by side: the surviving value chosen field by field.

Keys: ↑/↓ move between fields, Space (or ←/→) keeps the other record's value for the
highlighted field, s swaps which record survives, m merges (a second m confirms),
u undoes the merge just made, Esc goes back. The merge moves every policy, vehicle,
claim, contact, service record, class history and blacklist record to the survivor and
keeps the other record, marked merged.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.badges import literal
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

FIELD_LABELS = {
    "name": ("名称", "Name"),
    "id_number": ("证件号", "ID number"),
    "birth_date": ("出生日期", "Birth date"),
    "gender": ("性别", "Gender"),
    "industry": ("行业", "Industry"),
    "ownership": ("所有制", "Ownership"),
    "source": ("客户来源", "Source"),
    "account_manager_id": ("客户经理", "Account manager"),
    "group_id": ("集团", "Group"),
    "intermediary_id": ("中介", "Intermediary"),
    "note": ("备注", "Note"),
}


class MergeScreen(TranslatedKeys, Screen[str | None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "duplicates.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="merge.back"),
        Binding("space", "keep_other", Phrase("换用另一值", "Keep other value"), show=True),
        Binding("left,right", "keep_other", show=False),
        Binding("s", "swap", Phrase("互换保留记录", "Swap survivor"), id="merge.swap"),
        Binding("m", "merge", Phrase("合并", "Merge"), id="merge.merge"),
        Binding("u", "unmerge", Phrase("撤销合并", "Undo merge"), id="merge.unmerge"),
    ]

    class Done(Message):
        def __init__(self, kind: str, payload: Any, error: str = "") -> None:
            super().__init__()
            self.kind, self.payload, self.error = kind, payload, error

    def __init__(
        self, services: "Services", actor: "Actor", survivor_id: int, merged_id: int
    ) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.survivor_id = survivor_id
        self.merged_id = merged_id
        self.comparison: Any = None
        self.take: set[str] = set()
        self.confirming = False
        self.merged = False
        self.note = ""  # said before the key hints on the next paint

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("合并客户", "Merge customers"), style="bold"), id="title-bar")
        yield Static("", id="merge-heads")
        yield DataTable(id="merge-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="merge-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for zh, en in (("字段", "Field"), ("保留记录", "Survivor"), ("并入记录", "Merged"),
                       ("采用", "Kept")):  # fmt: skip
            table.add_column(Text(tr(zh, en), style="bold"))
        table.focus()
        self._compare()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unmerge":
            return self.merged
        if action in ("keep_other", "swap", "merge"):
            return not self.merged
        return True

    # ------------------------------------------------------------------ workers
    @work(thread=True, exclusive=True, group="merge")
    def _compare(self) -> None:
        self._call("compare", lambda d: d.compare(self.actor, self.survivor_id, self.merged_id))

    @work(thread=True, exclusive=True, group="merge")
    def _merge(self, take: list[str], version: int) -> None:
        self._call(
            "merge",
            lambda d: d.merge(
                self.actor, self.survivor_id, self.merged_id, take=take, version=version
            ),
        )

    @work(thread=True, exclusive=True, group="merge")
    def _unmerge(self) -> None:
        self._call("unmerge", lambda d: d.unmerge(self.actor, self.merged_id))

    def _call(self, kind: str, call: Any) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Done(kind, call(self.services.duplicates)))
        except ServiceError as error:
            self.post_message(self.Done(kind, None, error.message))

    def on_merge_screen_done(self, message: Done) -> None:
        if message.error:
            self._status(Text(message.error, style="bold red"))
            return
        if message.kind == "compare":
            self.comparison = message.payload
            self.take = set()
            self._paint()
        elif message.kind == "merge":
            self.merged = True
            self.refresh_bindings()
            self._status(
                Text(
                    tr(
                        "已合并：客户 {m} 并入 {s}，移动 {n} 条记录。u 撤销，Esc 返回",
                        "Merged: customer {m} into {s}, {n} rows moved. u undoes, Esc goes back",
                        m=self.merged_id,
                        s=self.survivor_id,
                        n=sum(message.payload.moved.values()),
                    ),
                    style="bold green",
                )
            )
        else:
            self.merged = False
            self.refresh_bindings()
            self.note = tr("已撤销合并，两条记录已恢复。", "Merge undone: both records restored. ")
            self._compare()

    # ------------------------------------------------------------------ painting
    def _paint(self) -> None:
        c = self.comparison
        heads = Text()
        heads.append(tr("保留：", "Survivor: "), style="bold")
        heads.append(f"{c.survivor.id} {c.survivor.name} ({c.survivor.unit_name})")
        heads.append(tr("    并入：", "    Merged: "), style="bold")
        heads.append(f"{c.merged.id} {c.merged.name} ({c.merged.unit_name})")
        self.query_one("#merge-heads", Static).update(heads)
        table = self.query_one(DataTable)
        previous = table.cursor_row
        table.clear()
        for field in c.fields:
            kept = field.field in self.take
            style = "bold" if field.differs else "dim"
            table.add_row(
                literal(tr(*FIELD_LABELS[field.field]), style),
                literal(field.survivor, "" if kept else "reverse" if field.differs else ""),
                literal(field.merged, "reverse" if kept else ""),
                literal(tr("并入记录", "merged") if kept else tr("保留记录", "survivor")),
            )
        table.move_cursor(row=min(max(previous, 0), len(c.fields) - 1))
        note, self.note = self.note, ""
        self._status(
            Text(
                note
                + tr(
                    "Space 换用另一值，s 互换，m 合并。保单、车辆、理赔、联系方式、服务记录、"
                    "分类历史与黑名单记录都将转到保留记录",
                    "Space keeps the other value, s swaps, m merges. Policies, vehicles, "
                    "claims, contacts, service records, class history and blacklist records "
                    "move to the survivor",
                )
            )
        )

    def _status(self, text: Text) -> None:
        self.query_one("#merge-status", Static).update(text)

    # ------------------------------------------------------------------ actions
    def action_keep_other(self) -> None:
        if self.comparison is None or self.merged:
            return
        index = self.query_one(DataTable).cursor_row
        field = self.comparison.fields[index]
        if not field.differs:
            return
        self.take ^= {field.field}
        self.confirming = False
        self._paint()

    def action_swap(self) -> None:
        self.survivor_id, self.merged_id = self.merged_id, self.survivor_id
        self.confirming = False
        self._compare()

    def action_merge(self) -> None:
        if self.comparison is None or self.merged:
            return
        if not self.confirming:
            self.confirming = True
            self._status(
                Text(
                    tr(
                        "确认将客户 {m} 并入 {s}？再按 m 合并，Esc 取消",
                        "Merge customer {m} into {s}? Press m again to merge, Esc to cancel",
                        m=self.merged_id,
                        s=self.survivor_id,
                    ),
                    style="bold yellow",
                )
            )
            return
        self.confirming = False
        self._merge(sorted(self.take), self.comparison.survivor_version)

    def action_unmerge(self) -> None:
        if self.merged:
            self._unmerge()

    def action_back(self) -> None:
        if self.confirming:
            self.confirming = False
            self._paint()
            return
        done = tr("已合并客户 {m}", "Customer {m} merged", m=self.merged_id)
        self.dismiss(done if self.merged else None)
