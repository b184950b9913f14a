"""Small pieces of styled text shared by the customer screens: class badges, kinds, flags,
what a search matched. Pure Rich text built from plain values (customer text is data:
always `Text(value)`, never markup)."""

import re

from rich.text import Text

from tui_crm.i18n import tr

_C0 = re.compile(r"[\x00-\x1f\x7f]")
_OTHER = re.compile(r"[\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

CLASS_LABELS = {
    "floating": ("游离", "Floating"),
    "prospect": ("准客户", "Prospect"),
    "standard": ("标准", "Standard"),
    "quality": ("优质", "Quality"),
    "key": ("重要", "Key"),
    "blacklist": ("黑名单", "Blacklist"),
}
CLASS_STYLES = {
    "floating": "dim",
    "prospect": "cyan",
    "standard": "bold blue",
    "quality": "bold green",
    "key": "bold white on dark_orange3",
    "blacklist": "bold white on red3",
}
KIND_LABELS = {
    "individual": ("个人", "Individual"),
    "corporate": ("企业", "Company"),
    "government": ("机关", "Authority"),
}
MATCH_LABELS = {
    "name": ("姓名", "name"),
    "pinyin_initials": ("拼音首字母", "initials"),
    "pinyin_full": ("拼音", "pinyin"),
    "id_number": ("证件号", "ID"),
    "credit_code": ("信用代码", "credit code"),
    "phone": ("电话", "phone"),
    "plate": ("车牌", "plate"),
    "vin": ("VIN", "VIN"),
    "policy_no": ("保单号", "policy"),
    "claim_no": ("赔案号", "claim"),
}
HIGHLIGHT = "bold reverse"


def _label(table: dict[str, tuple[str, str]], code: str | None) -> str:
    if not code:
        return ""
    zh, en = table.get(code, (code, code))
    return tr(zh, en)


def class_label(code: str | None) -> str:
    return _label(CLASS_LABELS, code)


def kind_label(code: str | None) -> str:
    return _label(KIND_LABELS, code)


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


def visible(value: str) -> str:
    """Control characters shown as their symbols (ESC → ␛), bidi overrides as �, one
    character for one, so a name can never act on the terminal or reorder the line."""
    value = _C0.sub(
        lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), value
    )
    return _OTHER.sub("\ufffd", value)


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
    out = Text(" ".join(_label(MATCH_LABELS, c) for c in codes), style="dim")
    if value:
        out.append(" ")
        out.append(literal(value, "bold"))
    return out


def plain(value: object) -> Text:
    """Any value as literal text ('' for None)."""
    return literal(value)
