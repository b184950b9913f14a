"""Handing memory a session no longer uses back to the system.

A TUI session lives for hours and its big moments (sign-in's argon2id verify, a report's
frames and customer facts) are short: glibc keeps what they freed in the heap of the
thread that allocated it, so the process stays as large as its largest moment. After
those moments the app collects garbage and asks glibc to return free pages
(`malloc_trim`); at start it limits glibc to two heaps (arenas) instead of up to eight
per core, so worker threads do not each keep a heap of their own. Elsewhere than glibc
on Linux both are no-ops.
"""

import ctypes
import gc
import sys
from functools import cache
from typing import Any

M_ARENA_MAX = -8  # mallopt parameter (glibc malloc.h)


@cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc, not musl
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def limit_arenas(count: int = 2) -> None:
    """At most `count` malloc heaps for all threads; call before the threads start."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, count)


def release() -> None:
    """Collect garbage and return the free pages of every heap to the system."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
