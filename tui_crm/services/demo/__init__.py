"""The demo book: a realistic, deterministic Jiaxing branch book of any size (`tui-crm demo`)."""

from tui_crm.services.demo.build import DEFAULT_SEED, DemoResult, build_demo, has_data

__all__ = [
    "DEFAULT_SEED",
    "DemoResult",
    "build_demo",
    "has_data",
]
