"""Textual's command palette in the interface language: its placeholder and the line it
shows when nothing matches ("未找到匹配的命令" under zh_CN)."""

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from tui_crm.i18n import tr


class CrmCommandPalette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(
            id="--command-palette",
            placeholder=tr("输入功能或命令…", "Type an area or a command…"),
        )

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the words in the interface language."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not search_value:  # discovering (empty box): nothing to say
                self._list_visible = False
                return
            self.query_one(CommandList).add_option(
                Option(
                    Align.center(Text(no_matches(), style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def no_matches() -> str:
    return tr("未找到匹配的命令", "No matches found")
