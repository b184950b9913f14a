"""Customer search: one box, results as you type, Enter opens the 360 view.

Keys: letters and digits always go to the box; ↓ ↑ PgDn PgUp move through the results;
Enter opens the highlighted customer — or, for a full ID or mobile number (an ID-card
reader types like a keyboard), the one customer who has it; Esc clears, and Esc on an
empty box goes back. F2 shows the recently viewed customers (also shown whenever the
box is empty), Ctrl+R reveals the highlighted customer's ID and phone (audited, roles
that may), Ctrl+N adds a customer, Ctrl+B keeps an account manager to their own book.
"""

import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.search_row import columns, hit_cells
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys
from tui_crm.widgets.results_table import ResultsTable

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.customers import Revealed
    from tui_crm.services.search import DirectHit, SearchHit, SearchPage

DEBOUNCE = 0.1  # seconds between keystrokes before a search starts (bursts wait)
DEEP_DELAY = 0.15  # after the first rows are painted, look inside names (1–2 characters)
PAGE = 50


def open_screen(services: "Services", actor: "Actor") -> "SearchScreen":
    return SearchScreen(services, actor)


class SearchScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).parent.parent / "styles" / "search.tcss")
    BINDINGS = [
        Binding("escape", "clear_or_back", Phrase("清空/返回", "Clear/back"), id="search.clear"),
        Binding("down", "move(1)", Phrase("下一位", "Next"), show=False),
        Binding("up", "move(-1)", Phrase("上一位", "Previous"), show=False),
        Binding("pagedown", "move(10)", Phrase("下页", "Page down"), show=False),
        Binding("pageup", "move(-10)", Phrase("上页", "Page up"), show=False),
        Binding("f2", "recent", Phrase("最近查看", "Recent"), id="search.recent"),
        Binding("ctrl+r", "reveal", Phrase("显示证件电话", "Reveal"), id="search.reveal"),
        Binding("ctrl+n", "new_customer", Phrase("新建客户", "New"), id="search.new"),
        Binding("ctrl+b", "toggle_mine", Phrase("我的客户", "My book"), id="search.mine"),
    ]

    class Done(Message):
        def __init__(self, generation: int, page: "SearchPage", append: bool) -> None:
            super().__init__()
            self.generation, self.page, self.append = generation, page, append

    class Direct(Message):
        def __init__(self, generation: int, hit: "DirectHit | None") -> None:
            super().__init__()
            self.generation, self.hit = generation, hit

    class Recent(Message):
        def __init__(self, hits: "list[SearchHit]") -> None:
            super().__init__()
            self.hits = hits

    class Shown(Message):
        def __init__(self, revealed: "Revealed") -> None:
            super().__init__()
            self.revealed = revealed

    class Failed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.generation = 0
        self.shown_query: str | None = None  # the query whose rows are on screen
        self.page: SearchPage | None = None
        self.hits: dict[int, SearchHit] = {}
        self.revealed: dict[int, Revealed] = {}
        self.mine = False
        self._timer: Timer | None = None
        self._last_key = 0.0
        self._loading_more = False
        self._open_when_ready = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static(
            Text(tr("客户查询", "Customer search") + f"  —  {self.actor.display_name}"),
            id="title-bar",
        )
        yield Input(
            placeholder=tr(
                "姓名 / 拼音首字母 / 证件号 / 电话 / 车牌 / VIN / 保单号 — 可组合，如：张 5678",
                "Name / pinyin / ID / phone / plate / VIN / policy no. — combine: 张 5678",
            ),
            id="search-box",
            max_length=100,
        )
        yield Static("", id="search-status", markup=False)
        yield ResultsTable(columns(), id="results")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#search-box", Input).focus()
        self.action_recent()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_mine":
            return self.actor.role == "account_manager"
        return True

    @property
    def box(self) -> Input:
        return self.query_one("#search-box", Input)

    @property
    def table(self) -> ResultsTable:
        return self.query_one("#results", ResultsTable)

    def status(self, text: str | Text) -> None:
        self.query_one("#search-status", Static).update(
            text if isinstance(text, Text) else Text(text)
        )

    # ------------------------------------------------------------------ typing
    @on(Input.Changed, "#search-box")
    def _typed(self, event: Input.Changed) -> None:
        if event.value == "?":  # no search starts with "?": in the empty box it asks for key help
            self.box.value = ""
            self.call_later(self.app.run_action, "key_help")
            return
        self.generation += 1
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not event.value.strip():
            self.action_recent()
            return
        now = time.monotonic()
        if now - self._last_key >= DEBOUNCE:
            self._fire()
        else:
            self._timer = self.set_timer(DEBOUNCE, self._fire)
        self._last_key = now

    def _fire(self) -> None:
        self._timer = None
        query = self.box.value
        if query.strip():
            self._search(query, 0, self.generation, False)

    @work(thread=True, exclusive=True, group="search")
    def _search(
        self, query: str, offset: int, generation: int, append: bool, deep: bool = False
    ) -> None:
        from tui_crm.services.core import ServiceError

        worker = get_current_worker()
        try:
            page = self.services.search.search(
                self.actor,
                query,
                offset=offset,
                limit=PAGE,
                mine=self.mine,
                deep=deep,
                cancelled=lambda: worker.is_cancelled,
            )
        except ServiceError as refusal:
            self.post_message(self.Failed(refusal.message))
            return
        self.post_message(self.Done(generation, page, append))

    def on_search_screen_done(self, message: Done) -> None:
        self._loading_more = False
        if message.generation != self.generation:
            return  # a newer keystroke superseded this query
        page = message.page
        self.page = page
        if not message.append:
            self.hits = {}
        self.hits.update({h.id: h for h in page.hits})
        rows = [(h.id, hit_cells(h, self.revealed.get(h.id))) for h in page.hits]
        self.table.show(rows, append=message.append)
        self.shown_query = page.query
        self._show_status(page)
        if self._open_when_ready:
            self._open_when_ready = False
            self._open_current()
        elif page.pending and not message.append:
            # The first rows came from the indexes; once they are painted, look inside
            # names too and add what that finds.
            self._loading_more = True
            self.set_timer(DEEP_DELAY, partial(self._deepen, self.generation))

    def _show_status(self, page: "SearchPage") -> None:
        text = Text()
        if page.hits or page.total:
            text.append(tr("共 {n} 位客户", "{n} customers", n=page.total_label), style="bold")
            text.append(f"  ·  {page.elapsed_ms:.0f} ms", style="dim")
            if page.pending:
                text.append(
                    tr("  ·  正在姓名中继续查找…", "  ·  looking inside names…"), style="dim"
                )
            elif page.has_more:
                text.append(tr("  ·  ↓ 继续加载", "  ·  ↓ for more"), style="dim")
        else:
            text.append(tr("没有找到客户", "No customer found"), style="bold")
            text.append(tr("  ·  Ctrl+N 新建客户", "  ·  Ctrl+N to add one"), style="dim")
        if page.hint:
            text.append("  ")
            text.append(Text(page.hint, style="yellow"))
        if self.mine:
            text.append(tr("  ·  仅我的客户", "  ·  my book only"), style="cyan")
        self.status(text)

    def _deepen(self, generation: int) -> None:
        if generation != self.generation:
            self._loading_more = False
            return
        self._search(self.box.value, len(self.hits), generation, True, True)

    @on(ResultsTable.NearEnd)
    def _more(self) -> None:
        page = self.page
        if page is None or not page.has_more or self._loading_more or not self.box.value.strip():
            return
        self._loading_more = True
        self._search(self.box.value, len(self.hits), self.generation, True, True)

    # ------------------------------------------------------------------ opening
    @on(Input.Submitted, "#search-box")
    def _enter(self, event: Input.Submitted) -> None:
        query = event.value
        if not query.strip():
            self._open_current()
            return
        if self._timer is not None:  # Enter right after a burst: search now
            self._timer.stop()
            self._fire()
        self._direct(query, self.generation)

    @work(thread=True, exclusive=True, group="direct")
    def _direct(self, query: str, generation: int) -> None:
        self.post_message(
            self.Direct(generation, self.services.search.open_direct(self.actor, query))
        )

    def on_search_screen_direct(self, message: Direct) -> None:
        if message.generation != self.generation:
            return
        hit = message.hit
        if hit is not None and hit.customer_id is not None:
            self.open_customer(hit.customer_id)
            return
        if hit is not None and hit.message:
            self.notify(hit.message, severity="warning")
        if self.shown_query is not None and self.shown_query == self.page_query():
            self._open_current()
        else:
            self._open_when_ready = True

    def page_query(self) -> str:
        from tui_crm.services.search import parse

        return parse(self.box.value).text

    def _open_current(self) -> None:
        key = self.table.current_key()
        if key is not None:
            self.open_customer(key)

    @on(ResultsTable.Chosen)
    def _chosen(self, event: ResultsTable.Chosen) -> None:
        self.open_customer(event.key)

    def open_customer(self, customer_id: int) -> None:
        from tui_crm.screens.customer.view import CustomerScreen

        self.app.push_screen(CustomerScreen(self.services, self.actor, customer_id))

    # ------------------------------------------------------------------ keys
    def action_move(self, step: int) -> None:
        self.table.move(step)

    def action_clear_or_back(self) -> None:
        if self.box.value:
            self.box.value = ""
        else:
            self.app.pop_screen()

    def action_recent(self) -> None:
        if self.box.value:
            self.box.value = ""  # Changed → shows the list
            return
        self._recent()

    @work(thread=True, exclusive=True, group="search")
    def _recent(self) -> None:
        self.post_message(self.Recent(self.services.customers.recent(self.actor)))
        self.services.search.warm()

    def on_search_screen_recent(self, message: Recent) -> None:
        if self.box.value.strip():
            return
        self.page = None
        self.hits = {h.id: h for h in message.hits}
        self.table.show([(h.id, hit_cells(h, self.revealed.get(h.id))) for h in message.hits])
        self.shown_query = ""
        if message.hits:
            self.status(
                Text(tr("最近查看的客户（{n}）", "Recently viewed ({n})", n=len(message.hits)))
            )
        else:
            self.status(Text(tr("输入任意片段开始查找", "Type any fragment to search")))

    def action_reveal(self) -> None:
        key = self.table.current_key()
        if key is not None:
            self._reveal(key)

    @work(thread=True, exclusive=True, group="reveal")
    def _reveal(self, customer_id: int) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Shown(self.services.customers.reveal(self.actor, customer_id)))
        except ServiceError as refusal:
            self.post_message(self.Failed(refusal.message))

    def on_search_screen_shown(self, message: Shown) -> None:
        revealed = message.revealed
        self.revealed[revealed.id] = revealed
        hit = self.hits.get(revealed.id)
        if hit is not None:
            self.table.replace_cells(revealed.id, hit_cells(hit, revealed))

    def on_search_screen_failed(self, message: Failed) -> None:
        self.notify(message.reason, severity="error")

    def action_new_customer(self) -> None:
        from tui_crm.screens.customer.form import CustomerFormScreen

        self.app.push_screen(CustomerFormScreen(self.services, self.actor, prefill=self.box.value))

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine
        self.generation += 1
        if self.box.value.strip():
            self._fire()
        else:
            self.status(Text(tr("仅我的客户", "My book only") if self.mine else ""))

    def on_screen_resume(self, _event: Any) -> None:
        self.box.focus()
        if not self.box.value.strip():
            self.action_recent()
