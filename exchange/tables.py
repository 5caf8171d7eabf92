"""Tables in and out: csv (UTF-8, or cp1252 as Excel saves it), the first sheet of an xlsx, md."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO

COLUMNS = ("ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private")
DATE_COLUMNS = ("due", "raised", "closed")


class TableError(ValueError):
    """A file that cannot be read as an action log at all: not csv or xlsx, or no header row."""


# -- the file -----------------------------------------------------------------------------

def read_table(path: Path) -> list[list[str]]:
    """Every row of the file as text cells; row i of the spreadsheet is item i - 1."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise TableError(f"{path.name}: Clerk imports .csv and .xlsx files (save an .xls or .ods as .xlsx first).")
    try:
        return _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    except OSError as exc:
        raise TableError(f"cannot open {path}: {exc.strerror or exc}") from None


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    return [[from_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]


def _read_xlsx(path: Path) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError) as exc:
        raise TableError(f"{path.name} is not an xlsx workbook ({exc}).") from None
    sheet = book.worksheets[0]
    return [[_cell_text(v) for v in row] for row in sheet.iter_rows(min_row=1, values_only=True)]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (OWASP: CSV injection)


def as_text(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, written to be shown as text (a leading ')."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def from_text(cell: str) -> str:
    """What as_text wrote, read back as typed."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def write_csv(rows: Sequence[Sequence[str]], out: IO[str], columns: Sequence[str] = COLUMNS) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([as_text(cell) for cell in row] for row in rows)


def write_md(rows: Sequence[Sequence[str]], out: IO[str], columns: Sequence[str] = COLUMNS) -> None:
    """A GitHub-style table; `|` in a cell is escaped and line breaks become <br>."""
    def cell(text: str) -> str:
        return text.replace("|", r"\|").replace("\r\n", "\n").replace("\n", "<br>")

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell(c) for c in cells) + " |\n"

    out.write(line(columns))
    out.write(line(["---"] * len(columns)))
    for row in rows:
        out.write(line(row))


def write_xlsx(rows: Sequence[Sequence[str]], path: Path, columns: Sequence[str] = COLUMNS,
               date_columns: Sequence[str] = DATE_COLUMNS, sheet_title: str = "Actions") -> None:
    """One sheet, dates as real dates shown YYYY-MM-DD, text never taken for a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    widths = {"ref": 9, "title": 50, "owners": 16, "status": 18, "last_update": 50}
    for c, column in enumerate(columns, start=1):
        sheet.cell(1, c, column).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(1, c).column_letter].width = widths.get(column, 12)
    for r, row in enumerate(rows, start=2):
        for c, (column, text) in enumerate(zip(columns, row), start=1):
            if column in date_columns and len(text) == 10:
                cell = sheet.cell(r, c, dt.date.fromisoformat(text))
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = sheet.cell(r, c, text or None)
                if text.startswith(FORMULA_START):
                    cell.data_type = "s"  # a title like "=SUM…" is text, not a formula
                cell.alignment = Alignment(wrap_text=column in ("title", "last_update"), vertical="top")
    sheet.freeze_panes = "A2"
    book.save(path)


def write_docx(title: str, headings: Sequence[str], rows: Sequence[Sequence[str]], path: Path,
               note: str | None = None) -> None:
    """A table for the meeting pack: a heading, an optional note, one row per item."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(title, level=1)
    if note:
        doc.add_paragraph(note)
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    doc.save(path)
