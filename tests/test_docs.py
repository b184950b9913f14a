"""The project's own docs stand on their own: every subcommand, option and positional
choice of `tui-crm` is in docs/cli.md under its command, links between the pages resolve,
and no file of the repository cites reference texts kept outside it."""

import argparse
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_crm.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Options every command shares, described once at the top of docs/cli.md.
COMMON_OPTIONS = {"--config", "--help", "--json", "--lang", "--user"}
SKIPPED_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", "build", "dist"}
# A citation of a reference text kept outside the repository (spelt in pieces so that
# this file does not match itself).
OUTSIDE = "|".join(["CLI", "REFERENCE", "REQUIREMENTS", "ARCHITECTURE"])
CITATION = re.compile(rf"(?<![\w/])({OUTSIDE})\.md\b|/work/" + "shared")


def subcommands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield (*path, name), child
                yield from subcommands(child, (*path, name))


def cli_sections() -> dict[str, str]:
    """docs/cli.md cut at its '### `command`' headings: command → the text below it."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^### `([\w-]+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


ALL_SUBCOMMANDS = list(subcommands(build_parser()))


def test_the_parser_has_the_commands_the_docs_are_checked_against() -> None:
    names = {path[0] for path, _ in ALL_SUBCOMMANDS}
    assert {"search", "customer", "blacklist", "quote", "report", "demo"} <= names


@pytest.mark.parametrize(
    ("path", "parser"), ALL_SUBCOMMANDS, ids=[" ".join(p) for p, _ in ALL_SUBCOMMANDS]
)
def test_every_subcommand_and_its_options_are_in_cli_md(
    path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    sections = cli_sections()
    assert path[0] in sections, f"docs/cli.md has no section ### `{path[0]}`"
    section = sections[path[0]]
    # "[the options of quote]": a command documented as sharing another's options.
    for shared in re.findall(r"\[the options of ([\w-]+)\]", section):
        section += sections[shared]
    assert "tui-crm " + " ".join(path) in section
    for action in parser._actions:
        if (
            not action.option_strings
            and action.choices
            and not isinstance(action, argparse._SubParsersAction)
        ):
            for choice in action.choices:  # `audit verify`, `validate uscc`
                assert re.search(rf"(?<![\w-]){re.escape(str(choice))}(?![\w-])", section), (
                    f"tui-crm {' '.join(path)} {choice} is not in docs/cli.md"
                )
        for option in action.option_strings:
            if option.startswith("--") and option not in COMMON_OPTIONS:
                assert re.search(re.escape(option) + r"(?![\w-])", section), (
                    f"tui-crm {' '.join(path)} {option} is not in docs/cli.md"
                )


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces → hyphens."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: p.name)
def test_links_between_the_pages_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if "://" in target:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        assert linked.exists(), f"{page.name} links to a missing {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{page.name} links to a missing {target}"


def repository_text_files() -> Iterator[Path]:
    """Every file of the work tree but tool directories (virtualenv, caches, var/)."""
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and not d.endswith(".egg-info")
            and (not d.startswith(".") or d == ".ci")
        ]
        for name in files:
            yield Path(folder, name)


def test_no_file_cites_reference_texts_kept_outside_the_repository() -> None:
    found = []
    for path in repository_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if CITATION.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_citation_check_catches_what_it_is_meant_to() -> None:
    assert CITATION.search("# matched_on codes (" + "CLI" + ".md)")
    assert CITATION.search("转录自 " + "REFERENCE" + ".md（置信度：高）")
    assert CITATION.search("see /work/" + "shared/data")
    assert not CITATION.search("# matched_on codes (docs/cli.md)")
    assert not CITATION.search("来源说明见 docs/reference.md")
