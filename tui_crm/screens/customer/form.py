"""New customer / edit customer: every field checked as it is typed, the message under
the field; a duplicate warning before saving; a clear refusal when someone else saved
the customer first (nothing is overwritten).

Keys: Tab / Shift+Tab move between fields, Ctrl+S saves (press again to save despite a
possible-duplicate warning), Esc leaves without saving (asking first when something was
typed).
"""

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Label, Select, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.services.customers import CustomerInput, check_field, check_input, id_label
from tui_crm.widgets.confirm_discard import ConfirmDiscardScreen
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys
from tui_crm.widgets.validated_input import ValidatedInput

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.customers import EditForm

MASKED = ("id_number", "mobile", "landline")
ROWS = (
    ("name", "id_number"),
    ("birth_date", "gender"),
    ("mobile", "landline"),
    ("address", "email"),
    ("industry", "ownership"),
    ("unit", "note"),
)


def open_screen(services: "Services", actor: "Actor") -> "CustomerFormScreen":
    return CustomerFormScreen(services, actor)


def labels(kind: str) -> dict[str, str]:
    return {
        "name": tr("名称 / 姓名 *", "Name *"),
        "id_number": id_label(kind),
        "birth_date": tr("出生日期 (YYYY-MM-DD)", "Birth date (YYYY-MM-DD)"),
        "gender": tr("性别 (男/女)", "Gender (M/F)"),
        "mobile": tr("手机", "Mobile"),
        "landline": tr("固定电话", "Landline"),
        "address": tr("地址", "Address"),
        "email": tr("电子邮箱", "E-mail"),
        "industry": tr("行业", "Industry"),
        "ownership": tr("所有制", "Ownership"),
        "unit": tr("服务机构代码", "Serving unit code"),
        "note": tr("备注", "Note"),
    }


def prefill_values(query: str) -> dict[str, str]:
    """What a search for a new customer already told us (ID, phone or name)."""
    from tui_crm.services.search import CREDIT_CODE, ID_NUMBER, PHONE, parse

    parsed = parse(query)
    probe = parsed.direct_open
    if probe is not None and probe.field in (ID_NUMBER, CREDIT_CODE):
        return {"id_number": probe.value}
    if probe is not None and probe.field == PHONE:
        return {"mobile": probe.value}
    if parsed.text and any(not ch.isascii() for ch in parsed.text):
        return {"name": parsed.text}
    return {}


class CustomerFormScreen(TranslatedKeys, Screen[bool]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "customer.tcss")
    BINDINGS = [
        Binding("ctrl+s", "save", Phrase("保存", "Save"), id="customer_form.save", priority=True),
        Binding("escape", "cancel", Phrase("取消", "Cancel"), id="customer_form.cancel"),
    ]

    class Loaded(Message):
        def __init__(self, form: "EditForm") -> None:
            super().__init__()
            self.form = form

    class Saved(Message):
        def __init__(self, customer_id: int) -> None:
            super().__init__()
            self.customer_id = customer_id

    class Created(Message):
        """A new customer was saved; the app replaces the form with the customer's screen."""

        def __init__(self, customer_id: int) -> None:
            super().__init__()
            self.customer_id = customer_id

    class Refused(Message):
        def __init__(self, error: Any) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        services: "Services",
        actor: "Actor",
        *,
        customer_id: int | None = None,
        prefill: str = "",
    ) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.customer_id = customer_id
        self.prefill = prefill_values(prefill) if prefill else {}
        self.form: EditForm | None = None
        self.kind = "individual"
        self.confirm_duplicates = False
        self.saving = False
        self.typing_ready = customer_id is None  # an edit takes keys once its values are in
        self._as_opened: dict[str, object] | None = None  # the values before any typing

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        editing = self.customer_id is not None
        title = tr("修改客户", "Edit customer") if editing else tr("新建客户", "New customer")
        yield Static(Text(title), id="title-bar")
        yield Static("", id="form-status", markup=False)
        with VerticalScroll(id="customer-form"):
            yield Label(Text(tr("客户类型", "Kind")))
            yield Select(
                [
                    (tr("个人", "Individual"), "individual"),
                    (tr("企业", "Company"), "corporate"),
                    (tr("机关事业单位", "Authority"), "government"),
                ],
                value="individual",
                allow_blank=False,
                id="kind",
                disabled=editing,
            )
            names = labels(self.kind)
            for row in ROWS:
                with Horizontal(classes="form-row"):
                    for name in row:
                        value = self.prefill.get(name, "")
                        if name == "unit":
                            value = self.actor.unit_code
                        yield ValidatedInput(
                            name, names[name], value, disabled=editing and name == "unit"
                        )
            yield Checkbox(tr("同意接收营销短信", "Agrees to marketing SMS"), id="consent")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.field("name").input.focus()
        if self.customer_id is not None:
            self._load(self.customer_id)
        else:
            self._warm()
        for name, value in self.prefill.items():
            self._check(name, value)
        if self.customer_id is None:
            self._as_opened = self._current()

    def field(self, name: str) -> ValidatedInput:
        return self.query_one(f"#field-{name}", ValidatedInput)

    def status(self, text: str, style: str = "") -> None:
        self.query_one("#form-status", Static).update(Text(text, style=style))

    @work(thread=True, exclusive=True, group="customer-form")
    def _warm(self) -> None:
        self.services.search.warm()  # pinyin tables: the first save need not wait for them

    # ------------------------------------------------------------------ editing
    @work(thread=True, exclusive=True, group="customer-form")
    def _load(self, customer_id: int) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(
                self.Loaded(self.services.customers.edit_form(self.actor, customer_id))
            )
        except ServiceError as refusal:
            self.post_message(self.Refused(refusal))

    def on_customer_form_screen_loaded(self, message: Loaded) -> None:
        form = message.form
        self.form = form
        self.kind = form.values.kind
        self.query_one("#kind", Select).value = self.kind
        for name in labels(self.kind):
            if name == "unit":
                self.field(name).value = form.unit_code
                continue
            value = getattr(form.values, name)
            self.field(name).value = "" if value is None else str(value)
            if name in MASKED and value:
                self.field(name).set_note(
                    tr("已遮蔽；不改动则保持原值", "Masked; left as it is unless you retype it")
                )
        self.query_one("#consent", Checkbox).value = bool(form.values.consent_marketing_sms)
        self._relabel()
        self._as_opened = self._current()
        self.typing_ready = True

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self.kind = str(event.value)
        self._relabel()
        self._check("id_number", self.field("id_number").value)

    def _relabel(self) -> None:
        names = labels(self.kind)
        self.field("id_number").set_label(names["id_number"])
        for name in ("birth_date", "gender"):
            self.field(name).display = self.kind == "individual"

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("input-")
        if name in labels(self.kind):
            self.confirm_duplicates = False
            self._check(name, event.value)

    def _check(self, name: str, value: str) -> None:
        if name == "unit" or self._untouched(name, value):
            return
        if not value.strip() and name != "name":
            self.field(name).set_note("")
            return
        checked = check_field(self.kind, name, value, today=self.services.clock.today())
        if checked.errors:
            self.field(name).set_error(checked.errors[name])
            return
        note = checked.warnings.get(name, "")
        if name == "id_number" and checked.values.get("_birth_from_id"):
            born = checked.values["_birth_from_id"]
            gender = {"M": tr("男", "male"), "F": tr("女", "female")}.get(
                checked.values.get("_gender_from_id") or "", ""
            )
            note = tr("出生 {d} {g}", "born {d}, {g}", d=born.isoformat(), g=gender) + (
                f"  {note}" if note else ""
            )
        self.field(name).set_note(note)

    def _untouched(self, name: str, value: str) -> bool:
        if self.form is None or name not in MASKED:
            return False
        return value == (getattr(self.form.values, name) or "")

    # ------------------------------------------------------------------ saving
    def collect(self) -> CustomerInput:
        values: dict[str, Any] = {}
        for name in labels(self.kind):
            if name == "unit":
                continue
            value = self.field(name).value
            values[name] = None if self._untouched(name, value) else value
        if self.kind != "individual":
            values["birth_date"] = values["gender"] = None
        data = CustomerInput(kind=self.kind, **values)
        unit = self.field("unit").value.strip()
        consent = self.query_one("#consent", Checkbox).value
        return replace(data, unit_code=unit or None, consent_marketing_sms=consent)

    def action_save(self) -> None:
        if self.saving:
            return
        data = self.collect()
        checked = check_input(data, today=self.services.clock.today())
        for name in labels(self.kind):
            if name in checked.errors:
                self.field(name).set_error(checked.errors[name])
        if checked.errors:
            first = next(n for n in labels(self.kind) if n in checked.errors)
            self.field(first).input.focus()
            self.status(tr("请先改正标红的项目", "Correct the fields marked in red"), "bold red")
            return
        self.saving = True
        self.status(tr("正在保存…", "Saving…"))
        self._save(data, self.confirm_duplicates)

    @work(thread=True, exclusive=True, group="customer-form")
    def _save(self, data: CustomerInput, allow_duplicates: bool) -> None:
        from tui_crm.services.core import ServiceError

        try:
            if self.customer_id is None:
                new_id = self.services.customers.create(
                    self.actor, data, allow_duplicates=allow_duplicates
                )
                self.post_message(self.Saved(new_id))
                return
            assert self.form is not None
            self.services.customers.update(
                self.actor,
                self.customer_id,
                data,
                version=self.form.version,
                allow_duplicates=allow_duplicates,
            )
            self.post_message(self.Saved(self.customer_id))
        except ServiceError as refusal:
            self.post_message(self.Refused(refusal))

    def on_customer_form_screen_saved(self, message: Saved) -> None:
        self.saving = False
        if self.customer_id is not None:
            self.dismiss(True)
            return
        self.post_message(self.Created(message.customer_id))

    def on_customer_form_screen_refused(self, message: Refused) -> None:
        from tui_crm.services.customers import DuplicateFound

        self.saving = False
        self.typing_ready = True
        error = message.error
        if isinstance(error, DuplicateFound) and not error.hard:
            self.confirm_duplicates = True
            self.status(
                error.message
                + tr("  — 确认不是同一客户请再按 Ctrl+S", "  — press Ctrl+S again to save anyway"),
                "bold yellow",
            )
            return
        field = getattr(error, "field", None)
        if field in labels(self.kind):
            self.field(field).set_error(error.message)
            self.field(field).input.focus()
        self.status(error.message, "bold red")

    # ------------------------------------------------------------------ leaving
    def _current(self) -> dict[str, object]:
        values: dict[str, object] = {name: self.field(name).value for name in labels(self.kind)}
        values["kind"] = self.kind
        values["consent"] = self.query_one("#consent", Checkbox).value
        return values

    def unsaved_input(self) -> bool:
        """Something typed here that leaving would lose (the values as opened do not count)."""
        return self._as_opened is not None and self._current() != self._as_opened

    def action_cancel(self) -> None:
        if not self.unsaved_input():
            self.dismiss(False)
            return

        def leave(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(ConfirmDiscardScreen(tr("离开", "leaving")), leave)
