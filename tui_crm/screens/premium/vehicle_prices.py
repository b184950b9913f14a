"""Vehicle price table (车价表): search as you type by make/model fragment, pinyin initials
and year; add and edit rows (sales and underwriting roles), import and export xlsx.

Opened from the premium trial (F4) in pick mode — Enter returns the row — or on its own
(`open_screen`, command palette / administration) where Enter edits the row.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tui_crm.formats import money
from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

EDIT_FIELDS = (
    ("brand", "品牌", "Brand"),
    ("make_model", "厂牌型号", "Make / model"),
    ("model_year", "年款", "Year"),
    ("seats", "座位数", "Seats"),
    ("displacement", "排量（升）", "Displacement (L)"),
    ("fuel", "燃料 petrol/diesel/hybrid/electric", "Fuel petrol/diesel/hybrid/electric"),
    ("price", "新车购置价（元）", "New-car price (yuan)"),
    ("effective_from", "生效日期", "Effective from"),
)


def open_screen(services: "Services", actor: "Actor") -> "VehiclePriceScreen":
    return VehiclePriceScreen(services, actor)


class VehiclePriceCommands(Provider):
    """Command palette entry: the vehicle price table (for screens that list it)."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        services, actor = getattr(screen, "services", None), getattr(screen, "actor", None)
        if services is None or actor is None:
            return
        label = tr("车价表", "Vehicle price table")
        score = self.matcher(query).match(label + " vehicle price chejia cjb")
        if score > 0:
            yield Hit(
                score,
                self.matcher(query).highlight(label),
                lambda: self.app.push_screen(VehiclePriceScreen(services, actor)),
                help=tr("按厂牌型号、拼音首字母、年款查新车购置价", "Find new-car prices"),
            )


class VehiclePriceScreen(TranslatedKeys, Screen[Any]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "premium.tcss")
    BINDINGS = [
        Binding("escape", "close", Phrase("返回", "Back"), id="prices.back"),
        Binding(
            "enter", "choose", Phrase("选取/修改", "Choose/edit"), id="prices.choose", priority=True
        ),
        Binding("f2", "add", Phrase("新增", "Add"), id="prices.add"),
        Binding("f6", "edit", Phrase("修改", "Edit"), id="prices.edit"),
        Binding("f7", "import_file", Phrase("导入", "Import"), id="prices.import"),
        Binding("f8", "export_file", Phrase("导出", "Export"), id="prices.export"),
        Binding("down", "to_table", show=False),
    ]

    class Found(Message):
        def __init__(self, rows: list[Any], note: str = "") -> None:
            super().__init__()
            self.rows, self.note = rows, note

    class Refused(Message):
        def __init__(self, row: Any, values: dict[str, str], errors: dict[str, str]) -> None:
            super().__init__()
            self.row, self.values, self.errors = row, values, errors

    def __init__(self, services: "Services", actor: "Actor", *, pick: bool = False) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.pick = pick
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        title = (
            tr("车价表 — 选取新车购置价", "Vehicle prices — pick a price")
            if self.pick
            else tr("车价表", "Vehicle prices")
        )
        yield Static(Text(title, style="bold"), id="title-bar")
        yield Input(
            placeholder=tr(
                "厂牌型号、拼音首字母或年款，如 朗逸 / ly 2024",
                "Make/model, pinyin initials or year",
            ),
            id="price-search",
        )
        yield DataTable(id="prices", cursor_type="row", zebra_stripes=True)
        yield Static(Text(""), id="price-hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one("#prices", DataTable)
        for key, zh, en in (
            ("brand", "品牌", "Brand"),
            ("model", "厂牌型号", "Make / model"),
            ("year", "年款", "Year"),
            ("seats", "座位", "Seats"),
            ("litres", "排量", "Litres"),
            ("fuel", "燃料", "Fuel"),
            ("price", "新车购置价", "Price"),
        ):
            table.add_column(tr(zh, en), key=key)
        self.query_one("#price-search", Input).focus()
        self._search("")

    @on(Input.Changed, "#price-search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, group="price-search")
    def _search(self, query: str, note: str = "") -> None:
        self._found(query, note)

    def _found(self, query: str, note: str = "") -> None:
        """Runs in a worker thread: search and post the rows."""
        from tui_crm.services.core import ServiceError

        try:
            rows = self.services.vehicle_prices.search(self.actor, query, limit=200)
        except ServiceError as refusal:
            self.post_message(self.Found([], refusal.message))
            return
        self.post_message(self.Found(rows, note))

    def on_vehicle_price_screen_found(self, message: Found) -> None:
        self.rows = message.rows
        table = self.query_one("#prices", DataTable)
        table.clear()
        for row in message.rows:
            table.add_row(
                Text(row.brand),
                Text(row.make_model),
                Text(str(row.model_year)),
                Text(str(row.seats or "")),
                Text(f"{row.displacement.normalize():f}" if row.displacement else ""),
                Text(label("fuel", row.fuel)),
                Text(money(row.price), justify="right"),
                key=str(row.id),
            )
        hint = message.note or tr(
            "{n} 条 · Enter {a} · F2 新增 · F6 修改 · F7 导入 · F8 导出",
            "{n} rows · Enter {a} · F2 add · F6 edit · F7 import · F8 export",
            n=len(message.rows),
            a=tr("选取", "choose") if self.pick else tr("修改", "edit"),
        )
        self.query_one("#price-hint", Static).update(Text(hint))

    def _selected(self) -> Any:
        table = self.query_one("#prices", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_to_table(self) -> None:
        self.query_one("#prices", DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_choose(self) -> None:
        row = self._selected()
        if row is None:
            return
        if self.pick:
            self.dismiss(row)
        else:
            self.action_edit()

    # --- add / edit -------------------------------------------------------------------
    def action_add(
        self, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
    ) -> None:
        self._form(None, values or {}, errors)

    def action_edit(
        self, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
    ) -> None:
        row = self._selected()
        if row is None:
            return
        current = {
            "brand": row.brand,
            "make_model": row.make_model,
            "model_year": str(row.model_year),
            "seats": str(row.seats or ""),
            "fuel": row.fuel,
            "price": f"{row.price:.2f}",
            "displacement": f"{row.displacement.normalize():f}" if row.displacement else "",
            "effective_from": row.effective_from.isoformat(),
        }
        self._form(row, values or current, errors)

    def _form(self, row: Any, values: dict[str, str], errors: dict[str, str] | None) -> None:
        if not self.actor.can("vehicle_price.edit"):
            self.query_one("#price-hint", Static).update(
                Text(
                    tr(
                        "修改车价需要销售或核保岗位权限",
                        "Editing prices needs a sales or underwriting role",
                    ),
                    style="red",
                )
            )
            return
        fields = [FormField(name, tr(zh, en), values.get(name, "")) for name, zh, en in EDIT_FIELDS]
        title = tr("新增车价", "Add a price") if row is None else tr("修改车价", "Edit the price")
        self.app.push_screen(FormDialog(title, fields, errors), lambda v: self._save(row, v))

    def _save(self, row: Any, values: dict[str, str] | None) -> None:
        if values is not None:
            self._write(row, values, self.query_one("#price-search", Input).value)

    @work(thread=True, exclusive=True, group="price-write")
    def _write(self, row: Any, values: dict[str, str], query: str) -> None:
        from tui_crm.services.core import ServiceError

        try:
            if row is None:
                self.services.vehicle_prices.add(self.actor, values)
            else:
                self.services.vehicle_prices.edit(self.actor, row.id, values, version=row.version)
        except ServiceError as refusal:
            self.post_message(self.Refused(row, values, {refusal.field or "": refusal.message}))
            return
        self._found(query, tr("已保存", "Saved"))

    def on_vehicle_price_screen_refused(self, message: "Refused") -> None:
        retry = self.action_add if message.row is None else self.action_edit
        retry(message.values, message.errors)

    # --- import / export --------------------------------------------------------------
    def action_import_file(self) -> None:
        field = FormField("path", tr("xlsx 文件路径", "xlsx file"), "")
        self.app.push_screen(FormDialog(tr("导入车价表", "Import prices"), [field]), self._import)

    def action_export_file(self) -> None:
        field = FormField(
            "path", tr("保存为 xlsx", "Save as xlsx"), str(Path.home() / "vehicle_prices.xlsx")
        )
        self.app.push_screen(FormDialog(tr("导出车价表", "Export prices"), [field]), self._export)

    def _import(self, values: dict[str, str] | None) -> None:
        if values and values["path"].strip():
            self._transfer("import", values["path"].strip())

    def _export(self, values: dict[str, str] | None) -> None:
        if values and values["path"].strip():
            self._transfer("export", values["path"].strip())

    @work(thread=True, exclusive=True, group="price-transfer")
    def _transfer(self, kind: str, path: str) -> None:
        from tui_crm.services.core import ServiceError

        query = self.query_one("#price-search", Input).value
        try:
            if kind == "import":
                report = self.services.vehicle_prices.import_xlsx(self.actor, path)
                note = tr(
                    "导入：新增 {a}，更新 {u}，错误 {e}",
                    "Import: {a} added, {u} updated, {e} refused",
                    a=report.added,
                    u=report.updated,
                    e=len(report.errors),
                )
                if report.errors:
                    first = report.errors[0]
                    note += tr(
                        "（第 {r} 行 {f}：{m}）",
                        " (row {r} {f}: {m})",
                        r=first.row,
                        f=first.field,
                        m=first.message,
                    )
            else:
                count = self.services.vehicle_prices.export_xlsx(self.actor, path, query)
                note = tr("已导出 {n} 行到 {p}", "Exported {n} rows to {p}", n=count, p=path)
        except ServiceError as refusal:
            note = refusal.message
        self._found(query, note)
