"""Administration: staff accounts, business thresholds and the audit log.

What a role may not do is shown plainly instead of hidden behind an error later.
"""

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tui_crm.i18n import Phrase, language, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.home import role_name
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def open_screen(services: "Services", actor: "Actor") -> "AdminScreen":
    return AdminScreen(services, actor)


def _local(moment) -> str:
    from tui_crm.services.core import BRANCH_TZ

    return moment.astimezone(BRANCH_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


class AdminScreen(TranslatedKeys, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", Phrase("返回", "Back"), id="admin.back"),
        Binding("f5", "refresh", Phrase("刷新", "Refresh"), id="admin.refresh"),
        Binding("a", "add_user", Phrase("新增用户", "Add user"), id="admin.add_user"),
        Binding("k", "unlock", Phrase("解锁", "Unlock"), id="admin.unlock"),
        Binding("p", "reset_password", Phrase("重置密码", "Reset password"), id="admin.password"),
        Binding(
            "x", "toggle_active", Phrase("停用/启用", "Deactivate/activate"), id="admin.active"
        ),
        Binding("e", "edit_threshold", Phrase("修改阈值", "Edit threshold"), id="admin.threshold"),
        Binding(
            "v", "vehicle_prices", Phrase("车价表", "Vehicle prices"), id="admin.vehicle_prices"
        ),
        Binding("r", "rate_tables", Phrase("费率表", "Rate tables"), id="admin.rate_tables"),
        Binding("i", "data_import", Phrase("数据导入", "Data import"), id="admin.data_import"),
        Binding("1", "tab('users')", Phrase("用户", "Users"), show=False),
        Binding("2", "tab('thresholds')", Phrase("阈值", "Thresholds"), show=False),
        Binding("3", "tab('audit')", Phrase("审计日志", "Audit log"), show=False),
    ]

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("系统管理", "Administration"), style="bold"), id="title-bar")
        with TabbedContent(id="admin-tabs"):
            with TabPane(f"1 {tr('用户', 'Users')}", id="tab-users"):
                if self.actor.can("user.admin"):
                    yield DataTable(id="users", cursor_type="row", zebra_stripes=True)
                else:
                    yield Static(
                        tr(
                            "需要系统管理员权限才能管理用户。",
                            "Managing users needs the administrator role.",
                        )
                    )
            with TabPane(f"2 {tr('阈值', 'Thresholds')}", id="tab-thresholds"):
                yield DataTable(id="thresholds", cursor_type="row", zebra_stripes=True)
                if not self.actor.can("threshold.edit"):
                    yield Static(
                        tr(
                            "只读：修改阈值需要系统管理员权限。",
                            "Read only: editing thresholds needs the administrator role.",
                        ),
                        classes="muted",
                    )
            with TabPane(f"3 {tr('审计日志', 'Audit log')}", id="tab-audit"):
                if self.actor.can("audit.read"):
                    yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
                else:
                    yield Static(
                        tr(
                            "查看审计日志需要主管、管理层或系统管理员权限。",
                            "The audit log is for supervisors, managers and administrators.",
                        )
                    )
        yield FittingFooter()

    def on_mount(self) -> None:
        if self.actor.can("user.admin"):
            self.query_one("#users", DataTable).add_columns(
                tr("用户名", "Username"),
                tr("姓名", "Name"),
                tr("角色", "Role"),
                tr("机构", "Unit"),
                tr("状态", "Status"),
                tr("最近登录", "Last sign-in"),
            )
        self.query_one("#thresholds", DataTable).add_columns(
            tr("代码", "Code"), tr("值", "Value"), tr("说明", "Meaning")
        )
        if self.actor.can("audit.read"):
            self.query_one("#audit", DataTable).add_columns(
                tr("时间", "Time"),
                tr("用户", "User"),
                tr("动作", "Action"),
                tr("对象", "Entity"),
                tr("编号", "Id"),
                tr("详情", "Detail"),
            )
        self.action_refresh()

    def action_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab_id}"

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="admin-load")
    def _load(self) -> None:
        users = self.services.users.list(self.actor) if self.actor.can("user.admin") else []
        thresholds = self.services.thresholds.all(self.actor)
        rows = (
            self.services.audit.recent(self.actor, limit=300)
            if self.actor.can("audit.read")
            else []
        )
        self.app.call_from_thread(self._show, users, thresholds, rows)

    def _show(self, users, thresholds, audit_rows) -> None:
        if self.actor.can("user.admin"):
            table = self.query_one("#users", DataTable)
            table.clear()
            for user in users:
                status = tr("正常", "active") if user.active else tr("停用", "inactive")
                if user.locked_until:
                    status = tr("锁定", "locked")
                table.add_row(
                    Text(user.username),
                    Text(user.display_name),
                    Text(role_name(user.role)),
                    Text(f"{user.unit_code} {user.unit_name}"),
                    Text(status),
                    Text(_local(user.last_login_at)),
                    key=user.username,
                )
        table = self.query_one("#thresholds", DataTable)
        table.clear()
        for row in thresholds:
            meaning = row.description_en if language() == "en" else row.description_zh
            table.add_row(Text(row.code), Text(row.value), Text(meaning), key=row.code)
        if self.actor.can("audit.read"):
            table = self.query_one("#audit", DataTable)
            table.clear()
            for row in audit_rows:
                table.add_row(
                    Text(_local(row.at)),
                    Text(row.username),
                    Text(label("audit_action", row.action)),
                    Text(label("audit_entity", row.entity)),
                    Text(row.entity_id or ""),
                    Text((row.detail or row.after or "")[:60]),
                )

    def action_vehicle_prices(self) -> None:
        from tui_crm.screens.premium.vehicle_prices import open_screen as vehicle_prices

        self.app.push_screen(vehicle_prices(self.services, self.actor))

    def action_rate_tables(self) -> None:
        from tui_crm.screens.premium.rate_tables import open_screen as rate_tables

        self.app.push_screen(rate_tables(self.services, self.actor))

    def action_data_import(self) -> None:
        from tui_crm.screens.admin.data_import import open_screen as data_import

        self.app.push_screen(data_import(self.services, self.actor))

    # --- users ------------------------------------------------------------------------
    def _selected(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def _on_users_tab(self) -> bool:
        return self.query_one(TabbedContent).active == "tab-users" and self.actor.can("user.admin")

    def action_add_user(
        self, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
    ) -> None:
        if not self._on_users_tab():
            return
        values = values or {}
        fields = [
            FormField("username", tr("用户名", "Username"), values.get("username", "")),
            FormField("display_name", tr("姓名", "Name"), values.get("display_name", "")),
            FormField(
                "role",
                tr(
                    "角色（counter/underwriter/claims/supervisor/account_manager/manager/admin）",
                    "Role",
                ),
                values.get("role", "counter"),
            ),
            FormField(
                "unit_code",
                tr("机构代码", "Unit code"),
                values.get("unit_code", self.actor.unit_code),
            ),
            FormField(
                "password", tr("初始密码（至少 8 位）", "Initial password (8+)"), password=True
            ),
        ]
        self.app.push_screen(
            FormDialog(tr("新增用户", "Add user"), fields, errors), self._save_user
        )

    def _save_user(self, values: dict[str, str] | None) -> None:
        from tui_crm.services.core import ServiceError

        if values is None:
            return
        try:
            self.services.users.add(self.actor, **values)
        except ServiceError as refusal:
            self.action_add_user(values, {refusal.field or "": refusal.message})
            return
        self.notify(tr("已新增用户 {u}", "Added {u}", u=values["username"]))
        self.action_refresh()

    def action_unlock(self) -> None:
        username = self._selected("users") if self._on_users_tab() else None
        if username:
            self._run(
                lambda: self.services.users.unlock(self.actor, username),
                tr("已解锁 {u}", "Unlocked {u}", u=username),
            )

    def action_toggle_active(self) -> None:
        username = self._selected("users") if self._on_users_tab() else None
        if not username:
            return
        user = next(u for u in self.services.users.list(self.actor) if u.username == username)
        self._run(
            lambda: self.services.users.set_active(self.actor, username, not user.active),
            tr("已更新 {u}", "Updated {u}", u=username),
        )

    def action_reset_password(self, errors: dict[str, str] | None = None) -> None:
        username = self._selected("users") if self._on_users_tab() else None
        if not username:
            return

        def save(values: dict[str, str] | None) -> None:
            from tui_crm.services.core import ServiceError

            if values is None:
                return
            try:
                self.services.users.reset_password(self.actor, username, values["password"])
            except ServiceError as refusal:
                self.action_reset_password({refusal.field or "": refusal.message})
                return
            self.notify(tr("已重置 {u} 的密码", "Password reset for {u}", u=username))

        field = FormField("password", tr("新密码（至少 8 位）", "New password (8+)"), password=True)
        self.app.push_screen(
            FormDialog(tr("重置密码：", "Reset password: ") + username, [field], errors), save
        )

    # --- thresholds -------------------------------------------------------------------
    def action_edit_threshold(
        self, errors: dict[str, str] | None = None, typed: str | None = None
    ) -> None:
        if self.query_one(TabbedContent).active != "tab-thresholds":
            return
        code = self._selected("thresholds")
        if not code or not self.actor.can("threshold.edit"):
            self.notify(
                tr("修改阈值需要系统管理员权限", "Editing needs the administrator role"),
                severity="warning",
            )
            return
        current = next(t for t in self.services.thresholds.all(self.actor) if t.code == code)

        def save(values: dict[str, str] | None) -> None:
            from tui_crm.services.core import ServiceError

            if values is None:
                return
            try:
                self.services.thresholds.set(self.actor, code, values["value"].strip())
            except ServiceError as refusal:
                self.action_edit_threshold({"value": refusal.message}, values["value"])
                return
            self.notify(tr("已修改 {c}", "Changed {c}", c=code))
            self.action_refresh()

        field = FormField(
            "value", tr("新值", "New value"), current.value if typed is None else typed
        )
        self.app.push_screen(FormDialog(code, [field], errors), save)

    def _run(self, change, done: str) -> None:
        from tui_crm.services.core import ServiceError

        try:
            change()
        except ServiceError as refusal:
            self.notify(refusal.message, severity="error")
            return
        self.notify(done)
        self.action_refresh()
