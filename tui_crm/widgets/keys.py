"""Key descriptions in the language the app runs in, whenever the footer asks for them.

Bindings are declared when a module is imported, before `--lang` is known; their words are
`Phrase`s, chosen here each time a screen lists its active bindings (footer, key help).
Textual's own words that reach the footer are translated here too.
"""

from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding

from tui_crm.i18n import Phrase, tr

TEXTUAL_WORDS = {
    "Dismiss menu": ("关闭菜单", "Close menu"),
    "palette": ("命令", "Commands"),
    "Open the command palette": ("打开命令面板", "Open the command palette"),
}


def shown(text: str) -> str:
    """`text` as the footer should show it now."""
    if isinstance(text, Phrase):
        return text.text()
    pair = TEXTUAL_WORDS.get(text)
    return tr(*pair) if pair else text


class TranslatedKeys:
    """Mixin for screens (before `Screen` in the bases): active bindings in today's language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        return {key: _translated(binding) for key, binding in active.items()}


def _translated(active: ActiveBinding) -> ActiveBinding:
    binding: Any = active.binding
    return active._replace(
        binding=replace(
            binding, description=shown(binding.description), tooltip=shown(binding.tooltip)
        ),
        tooltip=shown(active.tooltip),
    )
