"""Freed memory handed back: on Linux with glibc the calls reach malloc_trim and mallopt
(a failed lookup would make them silent no-ops)."""

import sys

import pytest

from tui_crm import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_glibc_is_found_and_a_trim_returns() -> None:
    assert memory._libc() is not None
    memory.release()
    assert memory._libc().malloc_trim(0) in (0, 1)  # 1: memory was released
