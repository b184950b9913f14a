"""A footer that shows the keys that fit: on a narrow terminal (80 columns) keys give way
from the last on — first the command palette's Ctrl+P, then those the screen names in
`FOOTER_GIVES_WAY` (keys it shows elsewhere too, such as the home menu's area numbers) —
so key help (?) and Esc always show whole. Every key, shown or not, stays in the `?`
overlay and the command palette."""

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ESSENTIAL = frozenset({"question_mark", "escape"})
PALETTE_BORDER = 1  # the command palette key's left border


class FittingFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Hide the screen's keys from the last on until the rest fits the width."""
        if not self.size.width:
            return
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        palette = [k for k in self.query(FooterKey) if k.has_class("-command-palette")]
        widths = {id(k): _width(k) for k in keys}
        used = sum(widths.values())
        room = self.size.width - sum(_width(k) + PALETTE_BORDER for k in palette)
        for key in palette:  # Ctrl+P gives way first: the home line and ? list it
            key.display = used <= room
        if used > room:
            room = self.size.width
        for key in keys:
            key.display = True
        first = frozenset(getattr(self.screen, "FOOTER_GIVES_WAY", ()))
        for key in [k for k in reversed(keys) if k.key in first] + list(reversed(keys)):
            if used <= room:
                break
            if key.display and key.key not in ESSENTIAL:
                key.display = False
                used -= widths[id(key)]


def _width(key: FooterKey) -> int:
    return cell_len(key.render().plain)
