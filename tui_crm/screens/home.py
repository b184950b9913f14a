"""Home screen: every area of the product one key away, who is signed in, and where."""

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import label
from tui_crm.screens.areas import AREAS
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.core import Actor


def role_name(role: str) -> str:
    return label("role", role)


class HomeScreen(TranslatedKeys, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(a.key, f"open_area('{a.id}')", Phrase(a.zh, a.en), id=f"home.{a.id}")
            for a in AREAS
        ),
        Binding("f3", "open_area('search')", Phrase("查客户", "Search"), show=False),
    ]
    # the menu above shows every area's key: on a narrow footer they give way to lock and ?
    FOOTER_GIVES_WAY = frozenset(a.key for a in AREAS)

    class OpenArea(Message):
        def __init__(self, area_id: str) -> None:
            super().__init__()
            self.area_id = area_id

    def __init__(self, actor: "Actor", unit_name: str = "") -> None:
        super().__init__()
        self.actor = actor
        self.unit_name = unit_name

    def compose(self) -> ComposeResult:
        who = Text()
        who.append(tr("当前用户：", "Signed in: "), style="bold")
        who.append(f"{self.actor.display_name} ({self.actor.username})")
        who.append(f"  {role_name(self.actor.role)}  ")
        who.append(f"{self.unit_name or self.actor.unit_code} [{self.actor.unit_code}]")
        yield Static(who, id="title-bar")
        with Vertical(id="home-menu"):
            yield Static(
                Text(
                    tr("请选择功能（按数字键）", "Choose an area (press its number)"), style="bold"
                )
            )
            for area in AREAS:
                line = Text()
                line.append(f" {area.key} ", style="reverse bold")
                title = area.title + " " * max(0, 16 - cell_len(area.title))
                line.append(f"  {title}", style="bold")
                usable = area.built and area.allowed(self.actor)
                line.append(f"  {area.hint}", style="" if usable else "dim")
                if not area.built:
                    line.append(tr("（尚未开放）", " (not available yet)"), style="dim italic")
                elif not usable:
                    line.append(tr("（无权限）", " (not for your role)"), style="dim italic")
                yield Static(line, classes="area-row", id=f"area-{area.id}")
        yield Static("", id="notice", markup=False)
        yield Static(
            Text(
                tr(
                    "F3 查客户 · Ctrl+P 命令面板 · Ctrl+L 锁屏 · Ctrl+Q 退出",
                    "F3 search · Ctrl+P commands · Ctrl+L lock · Ctrl+Q quit",
                ),
                style="dim",
            ),
            id="home-status",
        )
        yield FittingFooter()

    def action_open_area(self, area_id: str) -> None:
        self.post_message(self.OpenArea(area_id))

    def show_notice(self, text: str) -> None:
        self.query_one("#notice", Static).update(text)
