"""Interface language: Simplified Chinese by default, English on request.

Messages live next to the code that says them, as `tr("中文", "English")`, so every module
owns its own words and nothing drifts between a catalogue and its users.
"""

import os

SUPPORTED = ("zh_CN", "en")
_language = "zh_CN"


def normalise(lang: str | None) -> str:
    if not lang:
        return "zh_CN"
    lang = lang.strip().replace("-", "_")
    if lang.lower().startswith("en"):
        return "en"
    return "zh_CN"


def set_language(lang: str | None) -> str:
    global _language
    _language = normalise(lang)
    return _language


def language() -> str:
    return _language


def is_english() -> bool:
    return _language == "en"


def tr(zh: str, en: str, /, **values: object) -> str:
    """The message in the current language, with `{name}` placeholders filled in."""
    text = en if _language == "en" else zh
    return text.format(**values) if values else text


set_language(os.environ.get("TUI_CRM_LANG"))


class Phrase(str):
    """A message in both languages whose choice waits until it is shown.

    For words fixed when a module is imported (key bindings), which must follow the language
    the app is started in. As a `str` it is the Chinese text; `text()` is the current one.
    """

    en: str

    def __new__(cls, zh: str, en: str) -> "Phrase":
        phrase = super().__new__(cls, zh)
        phrase.en = en
        return phrase

    def text(self) -> str:
        return tr(str.__str__(self), self.en)
