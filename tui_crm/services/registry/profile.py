"""Registry mapping profiles: a small TOML file that maps a registry extract's headers to
the canonical registry columns (and, optionally, its values to the canonical codes), as
the extract imports have. The program ships `registry_zh` for the registry's
Chinese-header extract (号牌号码, 车辆识别代号, 所有人, 身份证明号码 …); a branch's own
profile is a `.toml` file given by path."""

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tui_crm.i18n import tr
from tui_crm.services.core.errors import NotFound, ValidationFailed

CANONICAL = "canonical"
PACKAGE = "tui_crm.services.registry.profiles"


@dataclass(frozen=True)
class Profile:
    name: str
    headers: dict[str, str] = field(default_factory=dict)  # file header → canonical column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column → value map

    def column(self, header: str) -> str:
        """The canonical column of a file header (canonical headers are always understood)."""
        header = (header or "").strip().lstrip("\ufeff")
        return self.headers.get(header, header.lower())

    def headers_for(self, column: str) -> list[str]:
        """The file headers this profile reads as `column` (for saying what is missing)."""
        return [h for h, c in self.headers.items() if c == column]

    def value(self, column: str, text: str) -> str:
        table = self.values.get(column)
        if not table or not text:
            return text
        return table.get(text.strip().lower(), text)


def shipped_profiles() -> list[str]:
    folder = resources.files(PACKAGE)
    names = [p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")]
    return sorted([CANONICAL, *names])


def load_profile(name: str | None) -> Profile:
    """The canonical headers (no name), a shipped profile by name, or a TOML file by path."""
    if not name or name == CANONICAL:
        return Profile(CANONICAL)
    if name in shipped_profiles():
        text = (resources.files(PACKAGE) / f"{name}.toml").read_text(encoding="utf-8")
    elif name.endswith(".toml"):
        try:
            raw = Path(name).read_bytes()
        except (OSError, ValueError):
            raise NotFound(tr("没有文件 {p}", "No file {p}", p=name), field="profile") from None
        text = _read(raw, name)
    else:
        raise NotFound(
            tr(
                "未知映射方案 {n}（可用：{a}，或 .toml 文件路径）",
                "Unknown profile {n} (one of: {a}, or a .toml file path)",
                n=name,
                a=", ".join(shipped_profiles()),
            ),
            field="profile",
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _malformed(name, str(error)) from None
    return _parse(name, data)


def _read(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _malformed(name, tr("不是 UTF-8 文本", "not UTF-8 text")) from None


def _malformed(name: str, why: str) -> ValidationFailed:
    return ValidationFailed(
        tr("映射方案 {n} 格式错误：{w}", "Profile {n} is malformed: {w}", n=name, w=why),
        field="profile",
    )


def _parse(name: str, data: dict[str, object]) -> Profile:
    headers = data.get("headers", {})
    values = data.get("values", {})
    if not isinstance(headers, dict) or not isinstance(values, dict):
        raise _malformed(
            name, tr("[headers] 与 [values] 应为表", "[headers] and [values] are tables")
        )
    if not all(isinstance(v, str) for v in headers.values()):
        raise _malformed(name, tr("[headers] 的值应为列名", "[headers] values are column names"))
    return Profile(
        name=str(data.get("name", Path(name).stem))[:60],
        headers={str(k).strip(): v.strip().lower() for k, v in headers.items()},
        values={
            str(column).strip().lower(): {
                str(k).strip().lower(): str(v) for k, v in mapping.items()
            }
            for column, mapping in values.items()
            if isinstance(mapping, dict)
        },
    )
