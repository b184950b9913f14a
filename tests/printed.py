"""Look at a spreadsheet as a person would: LibreOffice prints it to PDF, poppler reads the
pages back. Tests skip (saying why) on a machine without LibreOffice."""

import shutil
import subprocess
from pathlib import Path

import pytest


def print_to_pdf(sheet: Path) -> Path:
    """The PDF LibreOffice prints from `sheet` (next to it)."""
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and poppler (pdftotext) are needed to print")
    profile = sheet.parent / "lo-profile"  # its own profile: tests may print in parallel
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(sheet.parent), str(sheet)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pdf = sheet.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice printed no {pdf.name}"
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def page_text(pdf: Path, page: int | None = None) -> str:
    """The text of one page (or all), laid out as printed (`pdftotext -layout`)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return out.stdout
