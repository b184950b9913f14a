"""Proposal form (投保单) from a trial: a printable A4 .xlsx (print area, fit to page width,
CJK fonts) and plain text for a line printer, saved under a chosen folder and recorded in
the customer's history (service_contact of kind proposal_printed, with the file path).

ID numbers and phones on the form follow the acting role (masked unless pii.reveal); a form
printed with them in full says so in the audit row. The plain text is laid out for 80
columns counting CJK characters as two; its encoding is UTF-8 or GB18030 for older
printers. A trial from scratch (no customer) still prints; it is audited but has no
customer history to record in.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_crm.domain import ServiceKind
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.premium.money import money_text
from tui_crm.services.premium.parties import Prefill, load_prefill
from tui_crm.services.premium.proposal_layout import (
    Cell,
    ProposalContent,
    Section,
    build,
    cell_text,
)
from tui_crm.services.premium.trial import TrialResult
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit, ServiceContact

WIDTH = 80
FONT = "宋体"
ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class ProposalFiles:
    xlsx: Path | None
    txt: Path | None
    service_contact_id: int | None
    customer_id: int | None


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-aligned to `width` display columns (cut if longer)."""
    out, used = "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def _pairs(row: list[str]) -> list[str]:
    """A form row [label, value, label, value...] as 'label：value' cells, laid out in
    columns of 26 and wrapped at the page width."""
    cells = [f"{row[k]}：{row[k + 1]}" for k in range(0, len(row) - 1, 2) if row[k]]
    lines, current = [], "  "
    for cell in cells:
        width = max(26, display_width(cell) + 2)
        if display_width(current) + display_width(cell) > WIDTH and current.strip():
            lines.append(current.rstrip())
            current = "  "
        current += pad(cell, width)
    return lines + ([current.rstrip()] if current.strip() else [])


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns as wide as their widest cell; the first column gives way if too wide."""
    grid = [header, *rows]
    widths = [max(display_width(r[c]) for r in grid) + 2 for c in range(len(header))]
    spare = WIDTH - 2 - sum(widths)
    if spare < 0:
        widths[0] = max(8, widths[0] + spare)
    out = []
    for row in grid:
        cells = [pad(row[0], widths[0])] + [
            " " * max(0, widths[c] - display_width(row[c])) + row[c] for c in range(1, len(row))
        ]
        out.append(("  " + "".join(cells)).rstrip())
    return out


def render_text(content: ProposalContent) -> str:
    indent = " " * max(0, (WIDTH - display_width(content.title)) // 2)
    lines = [indent + content.title, content.subtitle, "=" * WIDTH]
    for section in content.sections:
        lines.append(f"【{section.title}】")
        rows = [[cell_text(c) for c in r] for r in section.rows]
        if section.header:
            lines.extend(_table(section.header, rows))
        for row in [] if section.header else rows:
            if len(row) == 1:
                lines.extend("  " + part for part in _wrap(row[0], WIDTH - 2))
            else:
                lines.extend(_pairs(row))
        lines.append("-" * WIDTH)
    if content.estimate_note:
        lines.append(content.estimate_note)
    lines.extend(_wrap(content.declaration, WIDTH))
    lines.append("")
    lines.extend(content.signatures)
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for ch in text:
        if display_width(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return lines + ([current] if current else [])


COLUMN_WIDTHS = (14, 20, 14, 22, 14, 16)  # A–F, in character widths; 100 fit an A4 page
LINE_HEIGHT = 14  # points per line of 10-point text


def _fit_height(sheet: Any, row: int, values: Sequence[Cell]) -> None:
    """Make the row tall enough for its wrapped text: one value spans the whole row, two
    are a label and the rest of the row, more are one cell each."""
    if len(values) == 1:
        spans = [sum(COLUMN_WIDTHS)]
    elif len(values) == 2:
        spans = [COLUMN_WIDTHS[0], sum(COLUMN_WIDTHS[1:])]
    else:
        spans = list(COLUMN_WIDTHS)
    lines = 1
    for value, width in zip(values, spans, strict=False):
        if isinstance(value, str) and value:
            room = max(1, width)
            lines = max(lines, -(-display_width(value) // room))
    sheet.row_dimensions[row].height = LINE_HEIGHT * lines + 3


def render_xlsx(content: ProposalContent, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = tr("投保单", "Proposal")
    for letter, width in zip("ABCDEF", COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    _write_heading(sheet, content)
    for section in content.sections:
        _write_section(sheet, section)
    _write_closing(sheet, content)
    _set_up_page(sheet)
    workbook.save(path)


def _write_heading(sheet: Any, content: ProposalContent) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append([content.title])
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([content.subtitle])
    sheet.merge_cells("A2:F2")
    sheet["A2"].font = Font(name=FONT, size=10)


def _write_section(sheet: Any, section: Section) -> None:
    """A shaded title row, the optional column header, then the boxed rows."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain = Font(name=FONT, size=10)
    bold = Font(name=FONT, size=10, bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    fit = Alignment(shrink_to_fit=True, vertical="center", horizontal="right")
    sheet.append([section.title])
    row = sheet.max_row
    sheet.merge_cells(f"A{row}:F{row}")
    sheet[f"A{row}"].font = bold
    sheet[f"A{row}"].fill = PatternFill("solid", fgColor="DDEBF7")
    if section.header:
        sheet.append(section.header)
        for cell in sheet[sheet.max_row]:
            cell.font, cell.border, cell.alignment = bold, box, wrap
        _fit_height(sheet, sheet.max_row, section.header)
    for values in section.rows:
        sheet.append(list(values))
        r = sheet.max_row
        for cell in sheet[r]:
            cell.font, cell.border, cell.alignment = plain, box, wrap
            if cell.data_type == "n" and cell.value is not None:
                cell.number_format = "#,##0.00"
                cell.alignment = fit  # an amount never wraps: it shrinks if it must
        if len(values) == 1:
            sheet.merge_cells(f"A{r}:F{r}")
        elif len(values) == 2:  # a label and a long value (地址) across the rest
            for cell in sheet[r][2:6]:
                cell.border = box
            sheet.merge_cells(f"B{r}:F{r}")
        _fit_height(sheet, r, list(values))


def _write_closing(sheet: Any, content: ProposalContent) -> None:
    """The estimate note and declaration, a blank row, then the signature lines."""
    from openpyxl.styles import Alignment, Font

    plain = Font(name=FONT, size=10)
    for text in ([content.estimate_note] if content.estimate_note else []) + [content.declaration]:
        sheet.append([text])
        r = sheet.max_row
        sheet.merge_cells(f"A{r}:F{r}")
        sheet[f"A{r}"].font = plain
        sheet[f"A{r}"].alignment = Alignment(wrap_text=True, vertical="top")
        _fit_height(sheet, r, [text])
    sheet.append([])
    for signature in content.signatures:
        sheet.append([signature])
        r = sheet.max_row
        sheet.merge_cells(f"A{r}:F{r}")
        sheet[f"A{r}"].font = plain


def _set_up_page(sheet: Any) -> None:
    """A4 portrait, one page wide, centred."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.print_area = f"A1:F{sheet.max_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)[:40] or "trial"


class ProposalService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def save_form(
        self,
        actor: Actor,
        result: TrialResult,
        *,
        folder: str | Path,
        customer_id: int | None = None,
        vehicle_id: int | None = None,
        formats: tuple[str, ...] = ("xlsx", "txt"),
        encoding: str = "utf-8",
    ) -> ProposalFiles:
        """Write the proposal form of a trial (.xlsx and/or .txt) into `folder`, log it on
        the applicant's service record and audit it."""
        actor.require(Permission.PROPOSAL_PRINT)
        _check_options(formats, encoding)
        with self.database.session() as session:
            prefill = (
                load_prefill(session, actor, customer_id, vehicle_id)
                if (customer_id or vehicle_id)
                else Prefill()
            )
            unit = session.get(OrgUnit, actor.unit_id)
        target = _folder(folder)
        content = build(
            result,
            prefill,
            unit_name=unit.name if unit else actor.unit_code,
            clerk=actor.display_name,
            printed=self.clock.today(),
        )
        stamp = self.clock.now().strftime("%Y%m%d-%H%M%S")
        who = (
            prefill.vehicle.plate or (prefill.applicant.name if prefill.applicant else "")
        ) or "trial"
        stem = f"{tr('投保单', 'proposal')}_{safe_name(who)}_{stamp}"
        xlsx = target / f"{stem}.xlsx" if "xlsx" in formats else None
        txt = target / f"{stem}.txt" if "txt" in formats else None
        _write(content, xlsx, txt, encoding)
        contact_id = self._record(actor, result, prefill, xlsx, txt)
        applicant = prefill.applicant
        return ProposalFiles(xlsx, txt, contact_id, applicant.customer_id if applicant else None)

    def _record(
        self,
        actor: Actor,
        result: TrialResult,
        prefill: Prefill,
        xlsx: Path | None,
        txt: Path | None,
    ) -> int | None:
        """The service contact on the applicant's record (when there is one) and the audit
        row; returns the contact's id."""
        document = str(xlsx or txt)
        applicant = prefill.applicant
        contact_id = None
        with self.database.session() as session:
            if applicant is not None:
                contact = ServiceContact(
                    customer_id=applicant.customer_id,
                    kind=ServiceKind.PROPOSAL_PRINTED.value,
                    staff_id=actor.id,
                    subject=tr(
                        "打印投保单 合计 {t} 元",
                        "Proposal form printed, total {t}",
                        t=money_text(result.total),
                    ),
                    notes=tr(
                        "保险起期 {s}；交强险 {c}；车船税 {x}；商业险 {m}",
                        "Start {s}; CTPL {c}; tax {x}; commercial {m}",
                        s=result.start.isoformat(),
                        c=money_text(result.ctpl.premium),
                        x=money_text(result.tax.amount),
                        m=money_text(result.commercial_total),
                    ),
                    document_path=document[:400],
                )
                session.add(contact)
                session.flush()
                contact_id = contact.id
            audit.record(
                session,
                actor,
                "proposal.print",
                entity="customer" if applicant else "trial",
                entity_id=applicant.customer_id if applicant else None,
                after={
                    "total": result.total,
                    "start": result.start,
                    "files": [str(p) for p in (xlsx, txt) if p],
                    "unmasked_id": bool(applicant and applicant.unmasked),
                },
            )
            session.commit()
        return contact_id


def _check_options(formats: tuple[str, ...], encoding: str) -> None:
    if encoding not in ENCODINGS:
        raise ValidationFailed(
            tr("编码可选 utf-8 或 gb18030", "Encoding is utf-8 or gb18030"), field="encoding"
        )
    if not formats or any(f not in ("xlsx", "txt") for f in formats):
        raise ValidationFailed(tr("格式可选 xlsx、txt", "Formats are xlsx and txt"), field="format")


def _folder(folder: str | Path) -> Path:
    target = Path(str(folder)).expanduser()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValidationFailed(
            tr("无法创建文件夹：{e}", "Cannot create the folder: {e}", e=error.strerror),
            field="folder",
        ) from None
    return target


def _write(content: ProposalContent, xlsx: Path | None, txt: Path | None, encoding: str) -> None:
    try:
        if xlsx:
            render_xlsx(content, xlsx)
        if txt:
            txt.write_text(render_text(content), encoding=encoding, errors="replace")
    except OSError as error:
        raise ValidationFailed(
            tr("无法保存：{e}", "Cannot save: {e}", e=error.strerror), field="folder"
        ) from None
