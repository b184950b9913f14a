"""Sign-in screen: username, password, the reason next to the field when it fails.

Also used as the lock screen of a shared counter terminal (`locked_user` set): the same
user types the password again, or anyone signs in afresh.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.core import Actor

SignIn = Callable[[str, str], "Actor"]


def _demo_hint() -> str:
    return tr(
        "演示账套：用户 counter、manager、admin…，密码 demo-pass",
        "Demo book: users counter, manager, admin…, password demo-pass",
    )


class LoginScreen(TranslatedKeys, Screen[None]):
    BINDINGS = [
        Binding("escape", "clear", Phrase("清空", "Clear"), id="login.clear"),
        Binding("f2", "switch_user", Phrase("换用户", "Switch user"), id="login.switch_user"),
    ]

    class SignedIn(Message):
        def __init__(self, actor: "Actor") -> None:
            super().__init__()
            self.actor = actor

    class _Failed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(
        self, sign_in: SignIn, *, locked_user: str | None = None, demo: bool = False
    ) -> None:
        super().__init__()
        self._sign_in = sign_in
        self.locked_user = locked_user
        self.demo = demo  # a demo book: say how to sign in

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            if self.locked_user:
                yield Static(
                    tr(
                        "终端已锁定 — 输入密码继续，或换用其他用户登录",
                        "Terminal locked — enter the password, or sign in as someone else",
                    ),
                    id="login-title",
                )
            else:
                yield Static(
                    tr("嘉兴中心支公司 客户关系管理 — 登录", "Jiaxing branch CRM — sign in"),
                    id="login-title",
                )
            yield Label(tr("用户名", "Username"))
            yield Input(
                value=self.locked_user or "",
                id="username",
                placeholder=tr("例如 counter", "e.g. counter"),
                max_length=40,
            )
            yield Label(tr("密码", "Password"))
            yield Input(password=True, id="password", max_length=128)
            yield Static("", id="login-error", classes="field-error", markup=False)
            yield Static(_demo_hint(), id="login-demo", markup=False)
        yield FittingFooter()

    typing_ready = True  # False while a sign-in is being checked

    def on_mount(self) -> None:
        self.query_one("#login-demo", Static).display = self.demo
        # set_focus, not focus(): focus() is deferred and would undo an early Enter's move
        self.set_focus(self.query_one("#password" if self.locked_user else "#username", Input))

    def show_demo_hint(self) -> None:
        """The book turned out to be a demo book after this screen opened."""
        self.demo = True
        self.query_one("#login-demo", Static).display = True

    def show_refusal(self, reason: str) -> None:
        """The database cannot be used by this program: say why and what to run."""
        self.query_one("#login-error", Static).update(reason)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._advance(event.input)

    def _advance(self, field: Input) -> None:
        if field.id == "username":
            self.set_focus(self.query_one("#password", Input))
        else:
            self._submit()

    def take_enter_early(self, key: str) -> bool:
        """Called by the app before it routes a key: Enter or Tab in the username box
        (Shift+Tab in the password box) moves to the other box at once, so keys already
        typed behind it (a fast typist, a password manager, keys typed while the app
        starts) land in the right box instead of racing the focus change. `key` is
        "enter" after the app has mapped a cooked-mode line feed to it."""
        if not isinstance(self.focused, Input):
            return False
        field = self.focused.id
        if key in ("enter", "tab") and field == "username":
            self._advance(self.focused)
            return True
        if key == "enter" and field == "password":
            # Keys typed behind this Enter (the first keys for the home screen) wait until
            # the sign-in is decided instead of joining the password.
            self.typing_ready = False
        if key == "shift+tab" and field == "password" and not self.locked_user:
            self.set_focus(self.query_one("#username", Input))
            return True
        return False

    def _submit(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        error = self.query_one("#login-error", Static)
        self.typing_ready = True
        if not username:
            error.update(tr("请输入用户名", "Enter your username"))
            self.query_one("#username", Input).focus()
            return
        if not password:
            error.update(tr("请输入密码", "Enter your password"))
            return
        error.update(tr("正在验证…", "Checking…"))
        self.typing_ready = False  # keys typed ahead wait for the home screen
        self._check(username, password)

    @work(thread=True, exclusive=True, group="sign-in")
    def _check(self, username: str, password: str) -> None:
        from tui_crm.services.core import ServiceError

        try:
            actor = self._sign_in(username, password)
        except ServiceError as refusal:
            self.post_message(self._Failed(refusal.message))
            return
        self.post_message(self.SignedIn(actor))

    def on_login_screen__failed(self, message: "_Failed") -> None:
        # What was typed behind a refused password was meant for the home screen: it is
        # dropped, not typed into the password box.
        drop = getattr(self.app, "drop_typed_ahead", None)
        if drop is not None:
            drop()
        self.typing_ready = True
        self.query_one("#login-error", Static).update(message.reason)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_user":
            return self.locked_user is not None  # only a locked terminal has a user to leave
        return True

    def action_switch_user(self) -> None:
        """Someone else signs in at a locked counter: the locked user's name goes."""
        self.locked_user = None
        self.query_one("#login-title", Static).update(
            tr(
                "换用户登录 — 输入您的用户名和密码",
                "Switch user — enter your username and password",
            )
        )
        self.query_one("#username", Input).value = ""
        self.query_one("#password", Input).value = ""
        self.query_one("#login-error", Static).update("")
        self.set_focus(self.query_one("#username", Input))

    def action_clear(self) -> None:
        for field in self.query(Input):
            if not (self.locked_user and field.id == "username"):
                field.value = ""
        self.query_one("#login-error", Static).update("")
