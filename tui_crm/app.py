"""The Textual application: sign-in, home, areas, F3 search anywhere, palette; the lock
and switching users in `session_lock.py`.

Built by one factory, `make_app(settings, database)`, used by the CLI and the tests. The
database is opened in a worker after the first screen is up, so a cold start shows the
sign-in screen without waiting for the ORM.
"""

import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.screen import Screen
from textual.worker import WorkerFailed

from tui_crm import memory
from tui_crm.i18n import Phrase, set_language, tr
from tui_crm.key_order import KeyOrder
from tui_crm.screens.areas import AREAS, TOOLS, area
from tui_crm.screens.home import HomeScreen, role_name
from tui_crm.screens.login import LoginScreen
from tui_crm.session_lock import SessionLock

if TYPE_CHECKING:
    from tui_crm.config import Settings
    from tui_crm.screens.customer.form import CustomerFormScreen
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.storage.db import Database


class AreaCommands(Provider):
    """Command palette: the product's areas (after sign-in), listed when it opens."""

    async def discover(self) -> Hits:
        app = self.app
        if not isinstance(app, CrmApp) or app.actor is None:
            return
        for item in AREAS + TOOLS:
            if item.built and item.allowed(app.actor):
                label = f"{item.title} ({item.key})" if item.key else item.title
                yield DiscoveryHit(
                    label,
                    lambda i=item.id: app.open_area(i),
                    help=item.hint if item.key else None,
                )

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, CrmApp) or app.actor is None or app.locked:
            return
        matcher = self.matcher(query)
        sign_out = tr("退出登录（换用户）", "Sign out (switch user)")
        score = matcher.match(f"{sign_out} tuichu denglu zhuxiao sign out log out switch user")
        if score > 0:
            yield Hit(score, matcher.highlight(sign_out), app.sign_out, help=sign_out)
        for item in AREAS + TOOLS:
            label = f"{item.title} ({item.key})" if item.key else item.title
            score = matcher.match(f"{label} {item.en} {item.hint_zh}")
            if score > 0 and item.built:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    lambda i=item.id: app.open_area(i),
                    help=item.hint if item.key else None,
                )


class CrmApp(SessionLock):
    CSS_PATH = str(Path(__file__).parent / "styles" / "app.tcss")
    TITLE = "tui_crm"
    COMMANDS = App.COMMANDS | {AreaCommands}
    BINDINGS = [
        Binding(
            "f3",
            "open_area('search')",
            Phrase("查客户", "Search"),
            id="app.search",
            show=False,  # the footer keeps each screen's own keys; ? lists this one
            tooltip=Phrase("从任何界面打开客户查询", "Customer search from any screen"),
        ),
        Binding("ctrl+l", "lock", Phrase("锁屏", "Lock"), id="app.lock"),
        # Priority: Ctrl+Q works from a dialog too (a modal hides the app's other keys).
        Binding("ctrl+q", "quit", Phrase("退出", "Quit"), id="app.quit", show=False, priority=True),
        # Priority so it works from a table too; in a text field it types "?" (F1 works there).
        Binding("question_mark", "key_help", Phrase("按键", "Keys"), priority=True, id="app.help"),
        Binding("f1", "key_help", Phrase("按键帮助", "Key help"), priority=True, show=False),
    ]

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: the traceback into the error log for the administrator
        (masked), one line for the clerk when the app has closed — never the traceback
        with its local values (customer data) on a shared terminal."""
        from tui_crm.logs import log_exception

        cause = error.error if isinstance(error, WorkerFailed) else error
        logged = log_exception(cause, "tui")
        super()._handle_exception(error)
        if logged is not None and self._exit_renderables:
            self._exit_renderables[-1] = Text(
                tr(
                    "程序出错已退出（{k}），详情已记入 {f}，请告知系统管理员",
                    "The program stopped on an error ({k}); details are in {f} for the "
                    "administrator",
                    k=type(cause).__name__,
                    f=logged,
                )
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands (theme, screenshot, key help…) replaced by the
        product's: lock and quit, in the interface language."""
        if self.actor is not None:
            yield SystemCommand(
                tr("锁屏", "Lock"),
                tr("锁定终端（Ctrl+L）", "Lock the terminal (Ctrl+L)"),
                self.action_lock,
            )
        yield SystemCommand(
            tr("退出", "Quit"),
            tr("退出程序（Ctrl+Q）", "Quit the application (Ctrl+Q)"),
            self.action_quit,
        )

    def action_command_palette(self) -> None:
        from tui_crm.screens.command_palette import CrmCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(CrmCommandPalette())

    async def action_quit(self) -> None:
        """Ctrl+Q: quit, but ask first when a form on any open screen holds unsaved input."""
        from tui_crm.widgets.confirm_discard import ConfirmDiscardScreen, unsaved_input

        if isinstance(self.screen, ConfirmDiscardScreen):
            return  # already asking
        if not unsaved_input(self.screen_stack):
            self.exit()
            return

        def leave(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(ConfirmDiscardScreen(tr("退出程序", "quitting")), leave)

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit: say which key does, in the interface language."""
        self.notify(tr("按 Ctrl+Q 退出", "Press Ctrl+Q to quit"))

    class _Ready(Message):
        def __init__(self, services: "Services", demo_book: bool) -> None:
            super().__init__()
            self.services = services
            self.demo_book = demo_book

    class _Unusable(Message):
        """The database cannot be used by this program (e.g. its schema is behind)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(
        self,
        settings: "Settings",
        database: "Database | None" = None,
        *,
        services: "Services | None" = None,
    ) -> None:
        super().__init__()
        set_language(settings.lang)
        self.settings = settings
        self._database = database
        self.services: Services | None = services
        self.demo_book = False  # the sign-in screen then says how to sign in
        self.database_refusal: str | None = None  # why the database cannot be used
        self.actor: Actor | None = None
        self.idle_lock_seconds = 15 * 60
        self._last_input = time.monotonic()
        self._held = []  # screens opened behind the lock (session_lock.py)
        self._key_order = KeyOrder(cast("App[object]", self))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast: text only. A message may quote what a customer or clerk typed, so
        it is never read as markup and its control characters are shown, not obeyed."""
        from tui_crm.services.core.text import printable

        super().notify(
            printable(message), title=printable(title), severity=severity, timeout=timeout,
            markup=False,
        )  # fmt: skip

    # --- start-up -------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.services is not None:
            self.demo_book = self.services.auth.is_demo_book()
        self.push_screen(LoginScreen(self._sign_in, demo=self.demo_book))
        if self.services is None:
            self._open_services()
        self.set_interval(30, self._check_idle)

    @work(thread=True, exclusive=True, group="open-database")
    def _open_services(self) -> None:
        from tui_crm.services.container import make_services
        from tui_crm.services.core import ServiceError
        from tui_crm.services.setup import ensure_ready
        from tui_crm.storage.db import Database

        database = self._database or Database.from_url(self.settings.database_url)
        try:
            ensure_ready(database)
        except ServiceError as refusal:  # a schema older or newer than this program
            self.post_message(self._Unusable(refusal.message))
            return
        services = make_services(database, fast_hash=self.settings.fast_hash)
        self.post_message(self._Ready(services, services.auth.is_demo_book()))

    def on_crm_app__ready(self, message: "_Ready") -> None:
        self.services = message.services
        self.demo_book = message.demo_book
        if self.demo_book:
            for screen in self.screen_stack:
                if isinstance(screen, LoginScreen):
                    screen.show_demo_hint()

    def on_crm_app__unusable(self, message: "_Unusable") -> None:
        self.database_refusal = message.reason
        for screen in self.screen_stack:
            if isinstance(screen, LoginScreen):
                screen.show_refusal(message.reason)

    def _sign_in(self, username: str, password: str) -> "Actor":
        """Runs in the sign-in worker thread."""
        from tui_crm.services.core import SchemaOutOfDate

        for _ in range(200):  # the database opens in the background at cold start
            if self.services is not None:
                break
            if self.database_refusal is not None:
                raise SchemaOutOfDate(self.database_refusal)
            time.sleep(0.05)
        assert self.services is not None
        actor = self.services.auth.sign_in(username, password)
        memory.release()  # argon2id's working memory and the first queries' garbage
        return actor

    def on_customer_form_screen_created(self, message: "CustomerFormScreen.Created") -> None:
        # screens are imported when first opened, to keep start-up fast
        from tui_crm.screens.customer.view import CustomerScreen

        if self.services is not None and self.actor is not None:
            self.switch_screen(CustomerScreen(self.services, self.actor, message.customer_id))

    def on_home_screen_open_area(self, message: HomeScreen.OpenArea) -> None:
        self.open_area(message.area_id)

    def open_area(self, area_id: str) -> None:
        if self.actor is None or self.services is None or self.locked:
            return
        item = area(area_id)
        text = ""
        if not item.built:
            text = tr("“{a}”尚未开放，敬请期待。", "“{a}” is not available yet.", a=item.title)
        elif not item.allowed(self.actor):
            text = tr(
                "您的角色（{r}）不能使用“{a}”。",
                "Your role ({r}) cannot use “{a}”.",
                r=role_name(self.actor.role),
                a=item.title,
            )
        if text:
            if isinstance(self.screen, HomeScreen):
                self.screen.show_notice(text)
            else:
                self.notify(text, severity="warning")
            return
        if type(self.screen).__module__ == (item.module or "").partition(":")[0]:
            return  # already there
        self.push_screen(item.open(self.services, self.actor))

    def action_open_area(self, area_id: str) -> None:
        self.open_area(area_id)

    def action_key_help(self) -> None:
        """Open the key help over the current screen (not over itself, and never where `?`
        is part of what the user is typing)."""
        from textual.actions import SkipAction
        from textual.widgets import Input, TextArea

        from tui_crm.screens.key_help import KeyHelpScreen
        from tui_crm.widgets.keys import TEXTUAL_WORDS, shown

        focused = self.focused
        typing = isinstance(focused, Input) and (focused.value or focused.password)
        if typing or isinstance(focused, TextArea) or isinstance(self.screen, KeyHelpScreen):
            raise SkipAction()
        screen_keys: list[tuple[str, str]] = []
        global_keys: list[tuple[str, str]] = []
        # Untranslated bindings, to tell the product's keys (Phrases) from Textual's own.
        untranslated = Screen.active_bindings.fget(self.screen)  # type: ignore[attr-defined]
        for active in untranslated.values():
            binding = active.binding
            if not isinstance(binding.description, Phrase | str):
                continue
            if (
                not isinstance(binding.description, Phrase)
                and binding.description not in TEXTUAL_WORDS
            ):
                continue  # Textual's cursor and focus keys: not the product's, not translated
            row = (self.get_key_display(binding), shown(binding.description))
            (global_keys if active.node is self else screen_keys).append(row)
        self.push_screen(KeyHelpScreen(screen_keys, global_keys))

    async def on_event(self, event: Any) -> None:
        from textual import events

        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = time.monotonic()
        if isinstance(event, events.Key) and not event.is_forwarded:  # from the terminal
            if not self._key_order.hold(event):
                await self._route_key(event)
            return
        await super().on_event(event)

    def drop_typed_ahead(self) -> None:
        """Forget keys typed ahead that wait for a screen (a refused sign-in)."""
        self._key_order.drop()

    @property
    def keys_pending(self) -> bool:
        """Keys typed ahead that have not been handed on yet."""
        return self._key_order.pending

    async def _route_key(self, event: Any) -> None:
        """Hand one key from the terminal on; the keys behind it wait until it is done."""
        from textual import events

        if isinstance(self.screen, LoginScreen):
            # the sign-in screen moves between its two boxes itself, before the next key
            if event.key == "ctrl+j":  # keys typed during start-up: Enter came as a line feed
                event = events.Key("enter", "\r")
            if not self.screen.take_enter_early(event.key):
                await super().on_event(event)
            return
        await super().on_event(event)
        self._key_order.handed_on()

    def _unit_name(self, actor: "Actor") -> str:
        assert self.services is not None
        return self.services.org.unit(actor, actor.unit_id).name


def make_app(
    settings: "Settings", database: "Database | None" = None, *, services: "Services | None" = None
) -> CrmApp:
    """The one way to build the app (CLI and tests)."""
    return CrmApp(settings, database, services=services)
