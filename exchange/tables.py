"""Tables in and out: csv (UTF-8, or cp1252 as Excel saves it), the first sheet of an xlsx, md."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from grammar.slacktext import MAX_TEXT

COLUMNS = ("ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private")
DATE_COLUMNS = ("due", "raised", "closed")


class TableError(ValueError):
    """A file that cannot be read as an action log at all: not csv or xlsx, or no header row."""


# -- what Clerk reads from any file -----------------------------------------------------------

# Limits checked before (or as) a file is read, so a spreadsheet bomb is refused in a second or two
# with memory bounded: a log of ten years of a busy board is a few thousand rows and a few MB.
MAX_FILE_MB = 30
MAX_ROWS = 150_000
MAX_COLUMNS = 60
MAX_UNZIPPED_MB = 300  # an xlsx or docx is a zip: what it would take once unpacked
MAX_CELL = MAX_TEXT  # characters of a cell: no more than a typed command
SPLIT = "split it into smaller files (by year, say) and import each"
# Control characters a cell never keeps (Word-to-Excel pastes bring vertical tabs and form feeds; a NUL
# breaks PostgreSQL): all but tab and newline; and what XML 1.0 cannot hold (xlsx and docx are XML).
_UNKEPT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, int]:
    """Text from a file as Clerk keeps text, whatever the file: line breaks as \\n, and the control
    characters no cell keeps removed. Returns the text and how many were removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNKEPT.subn("", text)


def printable(text: str) -> str:
    """What every writer (xlsx, docx, backup) puts in a cell: stored text can never break an export."""
    return _UNKEPT.sub("", text)


class Table(list):
    """A file's rows as text cells; `cleaned` names the rows (as the spreadsheet numbers them)
    whose cells had control characters removed."""

    cleaned: list[int]


# -- the file -----------------------------------------------------------------------------

def read_table(path: Path) -> Table:
    """Every row of the file as text cells; row i of the spreadsheet is item i - 1. Refused (one
    sentence naming the limit) before it is loaded when it is too big, and as its rows stream when
    they are too many or too wide."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise TableError(f"{path.name}: Clerk imports .csv and .xlsx files (save an .xls or .ods as .xlsx first).")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB * 1024 * 1024:
            raise TableError(f"{path.name} is {size / 1024 / 1024:,.0f} MB; Clerk imports files of up to "
                             f"{MAX_FILE_MB} MB: {SPLIT}.")
        rows, suspect = _read_csv(path) if suffix == ".csv" else (_read_xlsx(path), True)
    except OSError as exc:
        raise TableError(f"cannot open {path}: {exc.strerror or exc}") from None
    table = Table(rows)
    table.cleaned = []
    for number, row in enumerate(table, start=1):
        removed = 0
        for i, cell in enumerate(row):
            if "\r" in cell or (suspect and _UNKEPT.search(cell)):
                row[i], n = clean_text(cell)
                removed += n
        if removed:
            table.cleaned.append(number)
    return table


def _too_many(path: Path, what: str) -> TableError:
    return TableError(f"{path.name} has more than {what}; Clerk imports up to {MAX_ROWS:,} rows of up to "
                      f"{MAX_COLUMNS} columns: {SPLIT}.")


def _read_csv(path: Path) -> tuple[list[list[str]], bool]:
    """The rows, and whether any cell may hold a character no cell keeps (one scan of the whole
    text: most files have none, and their cells are then not scanned one by one)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    try:
        return _csv_rows(text, path), _UNKEPT.search(text) is not None
    except csv.Error as exc:
        raise TableError(f"{path.name} is not a csv Clerk can read ({exc}).") from None


def _csv_rows(text: str, path: Path) -> list[list[str]]:
    """Rows of a csv's text, each cell as typed (what `as_text` wrote for safety, undone)."""
    rows = []
    for row in csv.reader(io.StringIO(text, newline="")):
        if len(rows) >= MAX_ROWS:
            raise _too_many(path, f"{MAX_ROWS:,} rows")
        if len(row) > MAX_COLUMNS and any(cell.strip() for cell in row[MAX_COLUMNS:]):
            raise _too_many(path, f"{MAX_COLUMNS} columns")
        rows.append([from_text(cell) for cell in row[:MAX_COLUMNS]])
    return rows


def check_zip(path: Path, what: str) -> None:
    """An xlsx or docx is a zip: refuse one that is not, or that would unpack past MAX_UNZIPPED_MB
    (a zip bomb), before anything is unpacked."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(f"{path.name} is not {what} ({exc}).") from None
    if unpacked > MAX_UNZIPPED_MB * 1024 * 1024:
        raise TableError(f"{path.name} would unpack to {unpacked / 1024 / 1024:,.0f} MB; Clerk opens files of up to "
                         f"{MAX_UNZIPPED_MB} MB unpacked: {SPLIT}.")


def _read_xlsx(path: Path) -> list[list[str]]:
    """The first sheet, opened read-only and read as its rows stream: its real extent is counted,
    never taken from its dimension tag (a sheet of A1 and XFD1048576 is refused, not allocated)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_zip(path, "an xlsx workbook")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise TableError(f"{path.name} is not an xlsx workbook ({exc}).") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # its own claim of its size is not believed
        rows, blank = [], 0
        for row in sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1, values_only=True):
            if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] not in (None, ""):
                raise _too_many(path, f"{MAX_COLUMNS} columns")
            cells = [_cell_text(v) for v in row[:MAX_COLUMNS]]
            if not any(cells):
                blank += 1
                if blank > MAX_ROWS:
                    raise _too_many(path, f"{MAX_ROWS:,} rows")
                continue
            rows.extend([[]] * blank)
            blank = 0
            rows.append(cells)
            if len(rows) > MAX_ROWS:
                raise _too_many(path, f"{MAX_ROWS:,} rows")
        return rows
    except TableError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise TableError(f"{path.name} is not an xlsx workbook Clerk can read ({exc}).") from None
    finally:
        book.close()


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how Excel writes a character XML cannot hold: _x000B_


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # Excel's escapes, as Excel shows them (the control characters then go)
        return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (OWASP: CSV injection)


def as_text(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, written to be shown as text (a leading '); the
    one function every csv Clerk writes goes through (write_csv)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def from_text(cell: str) -> str:
    """What as_text wrote, read back as typed."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def write_csv(rows: Sequence[Sequence[str]], out: IO[str], columns: Sequence[str] = COLUMNS) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([as_text(printable(cell)) for cell in row] for row in rows)


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
                text = printable(text)  # what is kept is what is judged: a stray character before "=" is gone
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
    doc.add_heading(printable(title), level=1)
    if note:
        doc.add_paragraph(printable(note))
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = printable(text)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    doc.save(path)
