"""Mapping profiles: a small TOML file per source that maps its header set to the canonical
columns (and, optionally, its values to the canonical codes). The program ships `core_zh`
for the Chinese-header layout; a branch's own profile is a file given by path."""

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from tui_crm.i18n import tr
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.imports.columns import LAYOUTS, Layout

CANONICAL = "canonical"


@dataclass(frozen=True)
class Profile:
    name: str
    source: str = "core"
    headers: dict[str, str] = field(default_factory=dict)  # file header → canonical column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column → value map


def shipped_profiles() -> list[str]:
    folder = resources.files("tui_crm.services.imports.profiles")
    names = [p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")]
    return sorted([CANONICAL, *names])


def load_profile(name: str | None) -> Profile:
    """The canonical headers (no name), a shipped profile by name, or a TOML file by path."""
    if not name or name == CANONICAL:
        return Profile(CANONICAL)
    path = Path(name)
    if path.suffix == ".toml" and path.is_file():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    else:
        resource = resources.files("tui_crm.services.imports.profiles") / f"{name}.toml"
        if not resource.is_file():
            raise NotFound(
                tr(
                    "未知映射方案 {n}（可用：{a}，或 .toml 文件路径）",
                    "Unknown profile {n} (one of: {a}, or a .toml file path)",
                    n=name,
                    a=", ".join(shipped_profiles()),
                ),
                field="profile",
            )
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    return _parse(name, data)


def _parse(name: str, data: dict[str, object]) -> Profile:
    headers = data.get("headers", {})
    values = data.get("values", {})
    if not isinstance(headers, dict) or not isinstance(values, dict):
        raise ValidationFailed(
            tr("映射方案 {n} 格式错误", "Profile {n} is malformed", n=name), field="profile"
        )
    return Profile(
        name=str(data.get("name", Path(name).stem)),
        source=str(data.get("source", "core"))[:20],
        headers={str(k).strip(): str(v) for k, v in headers.items()},
        values={
            str(column): {str(k).strip().lower(): str(v) for k, v in mapping.items()}
            for column, mapping in values.items()
            if isinstance(mapping, dict)
        },
    )


@dataclass
class Mapping:
    """Where each canonical column sits in a file's rows, and what the file has extra."""

    layout: Layout
    positions: dict[str, int]
    ignored: list[str]

    def row(self, values: list[str], profile: Profile) -> dict[str, str]:
        if len(values) < self.width:
            values = values + [""] * (self.width - len(values))
        out = {column: values[index].strip() for column, index in self.positions.items()}
        for column, table in profile.values.items():
            raw = out.get(column)
            if raw and raw.lower() in table:
                out[column] = table[raw.lower()]
        return out

    @cached_property
    def width(self) -> int:
        return max(self.positions.values(), default=-1) + 1


def map_headers(kind: str, headers: list[str], profile: Profile) -> Mapping:
    """Match a file's headers to `kind`'s layout; refuse the file as a whole when a required
    column is missing (naming the kind it looks like, when it looks like another)."""
    layout = LAYOUTS[kind]
    canonical = [_canonical(h, profile) for h in headers]
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, (header, column) in enumerate(zip(headers, canonical, strict=True)):
        if column in layout.columns and column not in positions:
            positions[column] = index
        elif header:
            ignored.append(header)
    missing = [c for c in layout.required if c not in positions]
    if kind == "vehicles" and not ({"plate", "vin"} & set(positions)):
        missing.append("plate|vin")
    if missing:
        raise ValidationFailed(_refusal(kind, missing, set(canonical)), field="file")
    return Mapping(layout, positions, ignored)


def _canonical(header: str, profile: Profile) -> str:
    header = header.strip().lstrip("\ufeff")
    return profile.headers.get(header, header.lower())


def _refusal(kind: str, missing: list[str], present: set[str]) -> str:
    looks = [
        other.kind
        for other in LAYOUTS.values()
        if other.kind != kind and set(other.required) <= present
    ]
    if looks:
        return tr(
            "文件不是 {k} 数据，看起来是 {o}（缺少列：{m}）",
            "The file is not {k}; it looks like {o} (missing columns: {m})",
            k=kind,
            o=looks[0],
            m=", ".join(missing),
        )
    return tr(
        "文件缺少 {k} 的必需列：{m}",
        "The file lacks the required {k} columns: {m}",
        k=kind,
        m=", ".join(missing),
    )
