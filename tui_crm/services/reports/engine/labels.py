"""The vocabularies reports group by, under the short names the report catalogue uses.

The words themselves live once, in `tui_crm.i18n.vocabulary`; a report column header or a
segment reads the same as the screens and the CLI.
"""

from collections.abc import Mapping

from tui_crm.i18n import tr, vocabulary

KIND = vocabulary.CUSTOMER_KIND
CLASS = vocabulary.CUSTOMER_CLASS
CLASS_ORDER = vocabulary.CLASS_ORDER
CHANNEL = vocabulary.CHANNEL
VEHICLE_USE = vocabulary.VEHICLE_USE
OWNERSHIP = vocabulary.OWNERSHIP
INTERMEDIARY_KIND = vocabulary.INTERMEDIARY_KIND
GENDER = vocabulary.GENDER
unknown = vocabulary.not_given


def label(table: Mapping[str, tuple[str, str]], code: object) -> str:
    """A segment's name: the word for its code, "(not given)" when it has none."""
    if code is None or code == "":
        return unknown()
    pair = table.get(str(code))
    return tr(*pair) if pair else str(code)
