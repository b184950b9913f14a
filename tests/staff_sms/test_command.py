"""The `CX <plate> <PIN>` command as staff type it on a phone."""

import pytest

from tui_crm.services.staff_sms import is_query
from tui_crm.services.staff_sms.command import QueryCommand, parse


@pytest.mark.parametrize(
    ("body", "command"),
    [
        ("CX 浙F12345 2468", QueryCommand("浙F12345", "2468")),
        ("cx 浙f 123 45   13579", QueryCommand("浙F12345", "13579")),
        ("ＣＸ　浙Ｆ１２３４５　２４６８", QueryCommand("浙F12345", "2468")),
        ("CX 浙F12345", QueryCommand("", "")),  # the PIN goes in the same message
        ("CX", QueryCommand("", "")),
        ("CX 浙F12345 12", QueryCommand("", "")),
        ("CX " + "浙" * 20 + " 2468", QueryCommand("", "2468")),  # no plate is that long
    ],
)
def test_parse(body: str, command: QueryCommand) -> None:
    assert is_query(body)
    assert parse(body) == command


@pytest.mark.parametrize("body", ["CXY 1234", "请CX 浙F12345 2468", "", "我的车险什么时候到期"])
def test_other_texts_are_not_queries(body: str) -> None:
    assert not is_query(body)
