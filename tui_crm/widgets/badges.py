"""Small pieces of styled text shared by the customer screens: class badges, kinds, flags,
what a search matched. Pure Rich text built from plain values (customer text is data:
always `Text(value)`, never markup)."""

from rich.text import Text

from tui_crm.formats import visible
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

CLASS_STYLES = {
    "floating": "dim",
    "prospect": "cyan",
    "standard": "bold blue",
    "quality": "bold green",
    "key": "bold white on dark_orange3",
    "blacklist": "bold white on red3",
}
HIGHLIGHT = "bold reverse"


def class_label(code: str | None) -> str:
    return label("customer_class", code)


def kind_label(code: str | None) -> str:
    return label("customer_kind", code)


def class_badge(code: str | None) -> Text:
    return Text(class_label(code), style=CLASS_STYLES.get(code or "", ""))


def flags_text(key: bool, blacklist: bool, renewal_due: bool) -> Text:
    out = Text()
    if key:
        out.append(tr("重", "K"), style="bold dark_orange3")
    if blacklist:
        out.append(tr("黑", "B"), style="bold red3")
    if renewal_due:
        out.append(tr("续", "R"), style="bold cyan")
    return out


def literal(value: object, style: str = "") -> Text:
    """Any value as literal, visible text (never markup): '' for None."""
    return Text(visible("" if value is None else str(value)), style=style)


def highlighted(value: str, spans: list[tuple[int, int]]) -> Text:
    """`value` as literal text with the matched spans emphasised."""
    text = literal(value)
    for start, end in spans:
        text.stylize(HIGHLIGHT, start, end)
    return text


def matched_text(codes: list[str], value: str | None) -> Text:
    out = Text(" ".join(label("search_match", c) for c in codes), style="dim")
    if value:
        out.append(" ")
        out.append(literal(value, "bold"))
    return out


def plain(value: object) -> Text:
    """Any value as literal text ('' for None)."""
    return literal(value)
