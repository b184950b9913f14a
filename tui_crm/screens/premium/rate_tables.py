"""Rate tables (费率表): every effective-dated version, its rows, and an administrator's
change from a date on.

Left, the versions (the one in force today marked 在用); right, the rows of the version
under the cursor. F6 or Enter on a row changes its value, F2 adds a row; both ask for the
effective-from date (a version in force is never altered: the service writes a new version
from that date, audited). A refusal comes back under the field to blame.
"""

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.premium import EntryRow, TableVersion

TABLE_TITLES = {
    "ctpl_base": ("交强险基础保费", "CTPL base premiums"),
    "ctpl_floating": ("交强险费率浮动", "CTPL floating rates"),
    "ctpl_limits": ("交强险责任限额", "CTPL limits"),
    "vehicle_tax": ("车船税", "Vehicle and vessel tax"),
    "ncd": ("无赔款优待系数（NCD）", "No-claim discount"),
    "commercial_params": ("商业险附加费用率与自主定价系数", "Commercial loading and self-pricing"),
    "commercial_base": ("商业险基准纯风险保费（示例）", "Commercial base premiums (illustrative)"),
    "depreciation": ("折旧率", "Depreciation"),
}


def open_screen(services: "Services", actor: "Actor") -> "RateTableScreen":
    return RateTableScreen(services, actor)


def table_title(code: str) -> str:
    zh, en = TABLE_TITLES.get(code, (code, code))
    return tr(zh, en)


class RateTableScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "premium.tcss")
    BINDINGS = [
        Binding("escape", "app.pop_screen", Phrase("返回", "Back"), id="rates.back"),
        Binding("tab", "switch_table", Phrase("切换表格", "Switch table"), id="rates.switch"),
        Binding("f2", "add_row", Phrase("新增行", "Add row"), id="rates.add"),
        Binding("f6", "edit_row", Phrase("修改", "Change"), id="rates.edit"),
    ]

    class Loaded(Message):
        def __init__(self, versions: list[Any], today: date, note: str, select: int | None) -> None:
            super().__init__()
            self.versions, self.today, self.note, self.select = versions, today, note, select

    class Rows(Message):
        def __init__(self, version_id: int, rows: list[Any]) -> None:
            super().__init__()
            self.version_id, self.rows = version_id, rows

    class Refused(Message):
        def __init__(self, values: dict[str, str], errors: dict[str, str], adding: bool) -> None:
            super().__init__()
            self.values, self.errors, self.adding = values, errors, adding

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.versions: list[TableVersion] = []
        self.rows: list[EntryRow] = []
        self.in_force: set[int] = set()
        self.today = date.today()

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("费率表", "Rate tables"), style="bold"), id="title-bar")
        with Horizontal(id="rates-body"):
            yield DataTable(id="rate-versions", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="rate-rows", cursor_type="row", zebra_stripes=True)
        yield Static(Text(""), id="rates-hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        versions = self.query_one("#rate-versions", DataTable)
        for key, zh, en in (
            ("table", "费率表", "Table"),
            ("region", "地区", "Region"),
            ("from", "生效日期", "From"),
            ("rows", "行数", "Rows"),
            ("state", "状态", "State"),
        ):
            versions.add_column(tr(zh, en), key=key)
        rows = self.query_one("#rate-rows", DataTable)
        for key, zh, en in (
            ("key", "键", "Key"),
            ("label", "说明", "Label"),
            ("value", "值", "Value"),
        ):
            rows.add_column(tr(zh, en), key=key)
        versions.focus()
        self._load()

    # --- reading ----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="rate-versions")
    def _load(self, note: str = "", select: int | None = None) -> None:
        versions = self.services.rate_tables.versions(self.actor)
        self.post_message(self.Loaded(versions, self.services.clock.today(), note, select))

    def on_rate_table_screen_loaded(self, message: Loaded) -> None:
        self.versions, self.today = message.versions, message.today
        latest: dict[tuple[str, str], Any] = {}
        for version in self.versions:  # ordered by code, region, date
            if version.effective_from <= self.today:
                latest[(version.code, version.region)] = version
        self.in_force = {v.id for v in latest.values()}
        table = self.query_one("#rate-versions", DataTable)
        keep = table.cursor_row
        table.clear()
        for version in self.versions:
            table.add_row(
                Text(table_title(version.code)),
                Text(label("region", version.region)),
                Text(version.effective_from.isoformat()),
                Text(str(version.entries), justify="right"),
                Text(self._state(version)),
                key=str(version.id),
            )
        if message.select is not None:
            keep = next((i for i, v in enumerate(self.versions) if v.id == message.select), keep)
        if self.versions:
            table.move_cursor(row=min(max(keep, 0), len(self.versions) - 1))
            self._show_rows()
        self._hint(message.note)

    def _state(self, version: "TableVersion") -> str:
        if version.id in self.in_force:
            return tr("在用", "in force")
        if version.effective_from > self.today:
            return tr("待生效", "scheduled")
        return tr("已停用", "superseded")

    @on(DataTable.RowHighlighted, "#rate-versions")
    def _version_moved(self, event: DataTable.RowHighlighted) -> None:
        self._show_rows()

    def _version(self) -> "TableVersion | None":
        row = self.query_one("#rate-versions", DataTable).cursor_row
        return self.versions[row] if 0 <= row < len(self.versions) else None

    def _show_rows(self) -> None:
        version = self._version()
        if version is not None:
            self._read_rows(version.id)

    @work(thread=True, exclusive=True, group="rate-rows")
    def _read_rows(self, version_id: int) -> None:
        self.post_message(
            self.Rows(version_id, self.services.rate_tables.entries(self.actor, version_id))
        )

    def on_rate_table_screen_rows(self, message: Rows) -> None:
        version = self._version()
        if version is None or version.id != message.version_id:
            return  # the cursor has moved on
        self.rows = message.rows
        table = self.query_one("#rate-rows", DataTable)
        table.clear()
        for row in message.rows:
            table.add_row(
                Text(row.key),
                Text(row.label),
                Text(f"{row.value.normalize():f}", justify="right"),
                key=row.key,
            )

    def _hint(self, note: str = "") -> None:
        text = note or tr(
            "Tab 切换 · ↑↓ 选择版本 · Enter/F6 修改值 · F2 新增行 · "
            "已生效的版本不变，修改从生效日期起另存新版本",
            "Tab switch · ↑↓ version · Enter/F6 change · F2 add row · versions in force are "
            "kept: a change is a new version from its date",
        )
        self.query_one("#rates-hint", Static).update(Text(text))

    def action_switch_table(self) -> None:
        versions = self.query_one("#rate-versions", DataTable)
        rows = self.query_one("#rate-rows", DataTable)
        (rows if versions.has_focus else versions).focus()

    @on(DataTable.RowSelected, "#rate-rows")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_edit_row()

    @on(DataTable.RowSelected, "#rate-versions")
    def _version_chosen(self, event: DataTable.RowSelected) -> None:
        self.query_one("#rate-rows", DataTable).focus()

    # --- changing ---------------------------------------------------------------------
    def action_edit_row(self, values: dict[str, str] | None = None, errors: Any = None) -> None:
        if values is None:  # not a retry after a refusal: start from the row
            row = self._row()
            if row is None:
                return
            values = {
                "key": row.key,
                "value": f"{row.value.normalize():f}",
                "effective_from": self._default_date(),
                "note": "",
            }
        self._form(values, errors, adding=False)

    def action_add_row(self, values: dict[str, str] | None = None, errors: Any = None) -> None:
        current = values or {
            "key": "",
            "label": "",
            "value": "",
            "effective_from": self._default_date(),
            "note": "",
        }
        self._form(current, errors, adding=True)

    def _row(self) -> "EntryRow | None":
        index = self.query_one("#rate-rows", DataTable).cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _default_date(self) -> str:
        version = self._version()
        start = self.today + timedelta(days=1)
        if version is not None and version.effective_from > start:
            start = version.effective_from  # a scheduled version: change it on its own date
        return start.isoformat()

    def _form(self, values: dict[str, str], errors: dict[str, str] | None, *, adding: bool) -> None:
        version = self._version()
        if version is None:
            return
        if not self.actor.can("rate_table.edit"):
            self._hint(
                tr("修改费率表需要系统管理员权限", "Changing rate tables needs an administrator")
            )
            return
        fields = [FormField("key", tr("键", "Key"), values.get("key", ""))]
        if adding:
            fields.append(FormField("label", tr("说明", "Label"), values.get("label", "")))
        fields += [
            FormField("value", tr("值", "Value"), values.get("value", "")),
            FormField(
                "effective_from",
                tr("生效日期 YYYY-MM-DD", "Effective from YYYY-MM-DD"),
                values.get("effective_from", ""),
            ),
            FormField(
                "note",
                tr("变更说明（文件号等）", "Note (circular no. etc.)"),
                values.get("note", ""),
            ),
        ]
        title = tr(
            "{t}（{r}）",
            "{t} ({r})",
            t=table_title(version.code),
            r=label("region", version.region),
        )
        self.app.push_screen(
            FormDialog(title, fields, errors), lambda v: self._save(version, v, adding)
        )

    def _save(self, version: "TableVersion", values: dict[str, str] | None, adding: bool) -> None:
        if values is not None:
            self._write(version.code, version.region, values, adding)

    @work(thread=True, exclusive=True, group="rate-write")
    def _write(self, code: str, region: str, values: dict[str, str], adding: bool) -> None:
        from tui_crm.services.core import ServiceError

        try:
            written = self.services.rate_tables.set_entry(
                self.actor,
                code=code,
                region=region,
                key=values["key"],
                value=values["value"],
                effective_from=values["effective_from"],
                label=values.get("label") or None,
                note=values.get("note", ""),
            )
        except ServiceError as refusal:
            field = refusal.field if refusal.field in values else ""
            self.post_message(self.Refused(values, {field or "": refusal.message}, adding))
            return
        self._load(
            tr(
                "已保存：{t} {k} = {v}，自 {d} 起生效",
                "Saved: {t} {k} = {v} from {d}",
                t=table_title(code),
                k=values["key"],
                v=values["value"],
                d=written.effective_from.isoformat(),
            ),
            written.id,
        )

    def on_rate_table_screen_refused(self, message: Refused) -> None:
        retry = self.action_add_row if message.adding else self.action_edit_row
        retry(message.values, message.errors)
