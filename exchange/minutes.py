"""Minutes files into the minutes reader (grammar.minutes): .txt and .md as text (UTF-8, or
Windows-1252 as Word saves it), .docx with python-docx (paragraphs and tables, in order)."""
from __future__ import annotations

from pathlib import Path

from exchange.tables import TableError, check_zip, clean_text
from grammar.minutes import MAX_CHARS, MinutesError, Proposal, read_minutes

SUFFIXES = (".txt", ".md", ".docx")

__all__ = ["read_minutes_file", "minutes_text", "MinutesError", "MAX_CHARS", "read_minutes"]


def read_minutes_file(path: str | Path, **options) -> Proposal:
    """read_minutes on a file: .txt and .md as text (UTF-8, or Windows-1252 as Word saves it),
    .docx with python-docx (paragraphs and tables, in order)."""
    return read_minutes(minutes_text(path), **options)


def minutes_text(path: str | Path) -> str:
    """The text of a minutes file. A .docx's tables come out as `| a | b |` rows, one paragraph of a
    cell per `<br>`, so the reader sees them as the tables they are."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = " (save a .doc as .docx first)" if suffix in (".doc", ".rtf", ".odt", ".pdf") else ""
        raise MinutesError(f"{path.name}: Clerk reads minutes from .txt, .md or .docx files{hint}.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MinutesError(f"cannot open {path}: {exc.strerror or exc}") from None
    if suffix == ".docx":
        import zipfile

        if zipfile.is_zipfile(path):  # one that is not a zip at all is told below how to save it as one
            try:
                check_zip(path, "a Word .docx document")  # a zip bomb, before python-docx unpacks it
            except TableError as exc:
                raise MinutesError(str(exc)) from None
        return clean_text(_docx_text(path))[0]
    if size > 8 * MAX_CHARS:
        raise MinutesError(f"{path.name} is {size:,} bytes; Clerk reads at most {MAX_CHARS:,} characters of minutes at once.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return clean_text(text)[0]  # as any file's text: control characters a Word paste leaves are taken out


def _docx_text(path: Path) -> str:
    from docx import Document

    try:
        document = Document(str(path))
    except Exception:  # PackageNotFoundError, BadZipFile, KeyError, ValueError (a workbook), lxml's errors …
        # not a zip, a zip without Word's parts, a workbook renamed, a damaged package: one answer
        raise MinutesError(f"{path.name} is not a Word .docx document. Open it in Word and save it as .docx "
                           f"(Word document), or paste the text of the minutes.") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    total = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            added = [Paragraph(child, document).text]
        elif tag == "tbl":
            added = _table_lines(Table(child, document)) + [""]
        else:
            continue
        out += added
        total += sum(len(line) + 1 for line in added)
        if total > 2 * MAX_CHARS:
            break  # read_minutes will refuse it with the limit
    return "\n".join(out)


def _table_lines(table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats
                continue
            seen.add(id(cell._tc))
            text = " <br> ".join(p.text.strip().replace("|", "\\|") for p in cell.paragraphs if p.text.strip())
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
        if len(lines) == 1:
            lines.append("|" + "---|" * len(cells))
    return lines
