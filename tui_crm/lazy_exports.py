"""Packages that name some of their exports without importing them (PEP 562): a one-shot
command pays only for the modules it uses."""

import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, later: dict[str, str]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`: `later` maps an exported name to the
    submodule that defines it, imported the first time the name is asked for."""

    def load(name: str) -> Any:
        module = later.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return load
