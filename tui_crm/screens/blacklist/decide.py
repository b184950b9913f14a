"""Review one nomination: the customer, the reasons and evidence, the claims and the
loss-ratio picture, earlier reviews; then approve, reject or send back with a comment.

Keys: a approve, j reject (拒绝), b send back (退回); the comment box takes the focus,
Enter confirms (a comment is required to reject or send back), Esc cancels the decision
or, with none pending, goes back to the queue. The decision is sent with the version
shown, so a nomination changed or reviewed meanwhile is refused, not overwritten.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tui_crm.formats import local_day
from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.blacklist.texts import decision_label, reason_labels, status_label
from tui_crm.widgets.badges import class_badge, literal
from tui_crm.widgets.confirm_discard import TracksTypedInput
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.blacklist import NominationDetail
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


def _money(value: Any) -> str:
    return f"{value:,.2f}"


class DecideScreen(TracksTypedInput, TranslatedKeys, Screen[str | None]):
    """Dismisses with a message for the list (or None when nothing was decided)."""

    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "blacklist.tcss")
    BINDINGS = [
        Binding("a", "decide('approve')", Phrase("批准", "Approve"), id="decide.approve"),
        Binding("j", "decide('reject')", Phrase("拒绝", "Reject"), id="decide.reject"),
        Binding("b", "decide('return')", Phrase("退回", "Send back"), id="decide.return"),
        Binding("escape", "cancel", Phrase("取消/返回", "Cancel/back"), id="decide.cancel"),
    ]

    class Loaded(Message):
        def __init__(self, detail: "NominationDetail") -> None:
            super().__init__()
            self.detail = detail

    class Done(Message):
        def __init__(self, status: str) -> None:
            super().__init__()
            self.status = status

    class Refused(Message):
        def __init__(self, reason: str, field: str | None) -> None:
            super().__init__()
            self.reason, self.field = reason, field

    def __init__(self, services: "Services", actor: "Actor", nomination_id: int) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.nomination_id = nomination_id
        self.detail: NominationDetail | None = None
        self.decision: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text(tr("审核提名 #{i}", "Review nomination #{i}", i=self.nomination_id), style="bold"),
            id="title-bar",
        )
        with VerticalScroll(id="decide-body"):
            yield Static(Text(tr("读取中…", "Loading…")), id="decide-head")
            yield Static("", id="decide-evidence")
            yield Static("", id="decide-picture")
            yield DataTable(id="decide-claims", cursor_type="row", zebra_stripes=True)
            yield Static("", id="decide-reviews")
        yield Static("", id="decide-prompt")
        yield Input(
            placeholder=tr("审核意见", "Comment"), id="comment", disabled=True, max_length=500
        )
        yield Static("", id="comment-error", classes="field-error")
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one("#decide-claims", DataTable)
        for zh, en in [("赔案号", "Claim"), ("报案日", "Reported"), ("原因", "Cause"),
                       ("已付", "Paid"), ("未决", "Outstanding"), ("状态", "Status"),
                       ("标记", "Flags"), ("附证", "Linked")]:  # fmt: skip
            table.add_column(Text(tr(zh, en), style="bold"))
        table.focus()
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return self.detail is not None and self.detail.item.status == "pending"
        return True

    @work(thread=True, exclusive=True, group="decide-load")
    def _load(self) -> None:
        from tui_crm.services.core import ServiceError

        try:
            detail = self.services.blacklist_views.detail(self.actor, self.nomination_id)
        except ServiceError as error:
            self.post_message(self.Refused(error.message, None))
            return
        self.post_message(self.Loaded(detail))

    def on_decide_screen_loaded(self, message: Loaded) -> None:
        detail = self.detail = message.detail
        item = detail.item
        head = Text()
        head.append(tr("客户：", "Customer: "), style="bold")
        head.append_text(literal(item.customer_name))
        head.append(f"  #{item.customer_id}  ")
        head.append_text(class_badge(item.customer_class))
        head.append(f"  {item.unit_code}\n")
        head.append(tr("理由：", "Reasons: "), style="bold")
        head.append(reason_labels(item.reasons) + "\n")
        head.append(tr("提名人：", "Nominated by: "), style="bold")
        head.append_text(literal(item.nominated_by))
        if item.own:
            head.append(tr("（本人提名，不能审核）", " (your own: you cannot review it)"), "red")
        head.append(tr("  状态：", "  Status: ") + status_label(item.status))
        head.append(tr("  版本 {v}", "  version {v}", v=item.version))
        self.query_one("#decide-head", Static).update(head)
        evidence = Text(tr("证据：", "Evidence: "), style="bold")
        evidence.append_text(literal(detail.evidence))
        self.query_one("#decide-evidence", Static).update(evidence)
        self.query_one("#decide-picture", Static).update(self._picture(detail))
        table = self.query_one("#decide-claims", DataTable)
        table.clear()
        for c in detail.claims:
            flags = (tr("欺诈", "fraud ") if c.fraud_suspected else "") + (
                tr("难缠", "hard") if c.hard_to_settle else ""
            )
            linked = literal("★" if c.linked else "")
            cause, status = label("cause_of_loss", c.cause), label("claim_status", c.status)
            table.add_row(literal(c.claim_no), literal(c.report_date), literal(cause),
                          literal(_money(c.paid)), literal(_money(c.outstanding)),
                          literal(status), literal(flags), linked)  # fmt: skip
        reviews = Text()
        for r in detail.reviews:
            reviews.append(
                f"{local_day(r.reviewed_at)} {decision_label(r.decision)} ", style="bold"
            )
            reviews.append_text(literal(f"{r.reviewer}：{r.comment}"))
            reviews.append("\n")
        self.query_one("#decide-reviews", Static).update(reviews)
        self._prompt()
        self.refresh_bindings()

    def _picture(self, detail: "NominationDetail") -> Text:
        from tui_crm.services.core import LossRatioKind, format_ratio

        p = detail.picture
        text = Text()
        text.append(tr("赔付情况 ", "Claims picture "), style="bold")
        text.append(
            tr(
                "{a} 至 {b}：出险 {n} 次，赔款 {i} 元，满期保费 {e} 元，{label} {r}\n",
                "{a} to {b}: {n} claims, {i} yuan claimed, {e} yuan earned, {label} {r}\n",
                a=p.year_from, b=p.as_of, n=p.claims_year, i=_money(p.incurred_year),
                e=_money(p.earned_year), label=LossRatioKind.EARNED.label,
                r=format_ratio(p.earned_ratio_year),
            )
        )  # fmt: skip
        text.append(
            tr(
                "累计：{label} {r}（赔款 {i} / 满期保费 {e}）；"
                "{simple} {s}（已付 {paid} / 签单保费 {w}）",
                "All years: {label} {r} ({i} / {e}); {simple} {s} (paid {paid} / written {w})",
                label=LossRatioKind.EARNED.label, r=format_ratio(p.earned_ratio_total),
                i=_money(p.incurred_total), e=_money(p.earned_total),
                simple=LossRatioKind.SIMPLE.label, s=format_ratio(p.simple_ratio),
                paid=_money(p.paid_total), w=_money(p.written_total),
            )
        )  # fmt: skip
        return text

    def _prompt(self) -> None:
        prompt = self.query_one("#decide-prompt", Static)
        if self.decision is None:
            if self.detail and self.detail.item.status != "pending":
                prompt.update(Text(tr("该提名已处理。", "This nomination was dealt with.")))
            else:
                prompt.update(
                    Text(tr("a 批准 · j 拒绝 · b 退回", "a approve · j reject · b send back"))
                )
            return
        need = self.decision != "approve"
        prompt.update(
            Text(
                tr(
                    "{d}：请输入意见{n}，Enter 确认，Esc 取消",
                    "{d}: type a comment{n}, Enter to confirm, Esc to cancel",
                    d=decision_label(self.decision),
                    n=tr("（必填）", " (required)") if need else tr("（可空）", " (optional)"),
                ),
                style="bold",
            )
        )

    def action_decide(self, decision: str) -> None:
        self.decision = decision
        box = self.query_one("#comment", Input)
        box.disabled = False
        box.focus()
        self.query_one("#comment-error", Static).update("")
        self._prompt()

    def action_cancel(self) -> None:
        if self.decision is not None:
            self.leave_or_ask(self._drop_decision, tr("取消本次审核", "cancelling this decision"))
            return
        self.dismiss(None)

    def _drop_decision(self) -> None:
        if self.decision is not None:
            self.decision = None
            box = self.query_one("#comment", Input)
            box.value = ""
            box.disabled = True
            self.query_one("#decide-claims", DataTable).focus()
            self.query_one("#comment-error", Static).update("")
            self._prompt()

    @on(Input.Submitted, "#comment")
    def _confirm(self, event: Input.Submitted) -> None:
        if self.decision is None or self.detail is None:
            return
        self._send(self.decision, event.value, self.detail.item.version)

    @work(thread=True, exclusive=True, group="decide-send")
    def _send(self, decision: str, comment: str, version: int) -> None:
        from tui_crm.services.core import ServiceError

        try:
            status = self.services.blacklist.review(
                self.actor, self.nomination_id, decision, comment, version=version
            )
        except ServiceError as error:
            self.post_message(self.Refused(error.message, error.field))
            return
        self.post_message(self.Done(status))

    def on_decide_screen_done(self, message: Done) -> None:
        self.dismiss(
            tr(
                "提名 #{i}：{s}",
                "Nomination #{i}: {s}",
                i=self.nomination_id,
                s=status_label(message.status),
            )
        )

    def on_decide_screen_refused(self, message: Refused) -> None:
        target = "#comment-error" if self.detail is not None else "#decide-head"
        self.query_one(target, Static).update(Text(message.reason, style="bold red"))
