"""The action log in and out of Clerk: logs as boards keep them (csv, xlsx) and Clerk's exports.

An import reads every row before it writes anything. Rows that cannot be read are listed with
their row number as the spreadsheet shows it (header = row 1), and then nothing is imported
unless the secretary asks to skip them. Refs in the file are kept; actions raised later continue
after the highest. An export writes COLUMNS, and imports back to the same log.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from grammar.dates import read_date
from grammar.refs import format_ref, take_ref
from grammar.who import Who, WhoError, read_who
from store.actions import latest_update, numbering_year, owners_label, query, raise_action, status_label
from store.errors import Refusal
from store.models import CLOSED, CLOSING_WHEN, OPEN, PROPOSED, Action, ActionEvent, Board, Person
from store.people import board_names, find_board, person_by_initials, person_for_slack_user

COLUMNS = ("ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private")
DATE_COLUMNS = ("due", "raised", "closed")
STATUS_CHOICES = ("all", "open", "overdue", "closed", "proposed", "closing")
SAY_BOARD = "/clerk board <name> chair <who> secretary <who> in Slack, or clerk board <name> at python bot.py console"

# Headers of real logs and of our exports, lower-cased, without spaces and punctuation.
HEADERS = {
    "ref": {"ref", "item", "no", "number", "actionno", "actionref", "refno", "itemno"},
    "title": {"title", "action", "actions", "description", "actiondescription"},
    "owners": {"owners", "owner", "lead", "actionowner", "responsible"},
    "due": {"due", "duedate", "dateforcompletion", "deadline", "targetdate"},
    "status": {"status"},
    "last_update": {"lastupdate", "update", "updates", "comments", "progress"},
    "raised": {"raised", "dateraised"},
    "closed": {"closed", "dateclosed"},
    "private": {"private", "partb"},
}


class TableError(ValueError):
    """A file that cannot be read as an action log at all: not csv or xlsx, or no header row."""


class BoardError(Refusal):
    """No board, or not the one named: says how to create or name it."""


class BadRows(Refusal):
    """Rows that cannot be read. Raised before anything is written."""

    def __init__(self, bad: Sequence[BadRow], readable: int):
        self.bad, self.readable = list(bad), readable
        super().__init__("\n".join(str(b) for b in self.bad))


@dataclass(frozen=True)
class BadRow:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass
class LogRow:
    """One action as a row of a log states it, before it is in the store."""

    row: int
    title: str
    raised: dt.date
    number: int | None = None
    year: int | None = None  # None when the log gave a bare number (74): the year it was raised in
    owners: list[Who] = field(default_factory=list)
    due: dt.date | None = None
    status: str = OPEN
    condition: str | None = None
    closed: dt.date | None = None
    updates: list[tuple[dt.date, str]] = field(default_factory=list)
    private: bool = False


@dataclass
class Imported:
    board: Board
    actions: list[Action]
    skipped: list[BadRow]
    new_people: list[Person]


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
    return list(csv.reader(io.StringIO(text, newline="")))


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


# -- reading the rows ---------------------------------------------------------------------

def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _columns(cells: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        for column, words in HEADERS.items():
            if _header_key(text) in words:
                found.setdefault(column, i)
    return found


def read_log(table: Sequence[Sequence[str]], as_of: dt.date) -> tuple[list[LogRow], list[BadRow]]:
    """The actions in a table, and the rows that cannot be read. The header is the first row
    with an Action/Description/Title column; rows above it (a heading) are ignored."""
    for index, cells in enumerate(table):
        columns = _columns(cells)
        if "title" in columns:
            break
    else:
        raise TableError("no header row: the log needs a column headed Action, Description or Title "
                         "(and may have Ref/Item, Owner(s), Due/Date for Completion, Status, Update).")
    names = {column: table[index][i].strip() for column, i in columns.items()}
    rows: list[LogRow] = []
    bad: list[BadRow] = []
    for number, cells in enumerate(table[index + 1:], start=index + 2):
        values = {column: (cells[i] if i < len(cells) else "").strip() for column, i in columns.items()}
        if any(values.values()):
            read = read_row(number, values, names, as_of)
            (rows if isinstance(read, LogRow) else bad).append(read)
    return rows, bad


def read_row(row: int, cells: dict[str, str], names: dict[str, str], as_of: dt.date) -> LogRow | BadRow:
    problems: list[str] = []

    def read(column: str, reader, *args):
        try:
            return reader(cells.get(column, ""), *args)
        except ValueError as exc:
            problems.append(f"{names[column]}: {exc}")
            return None

    title = cells.get("title", "")
    if not title:
        problems.append(f"no title (the {names['title']} column is empty)")
    elif "ref" in names and not any(v for column, v in cells.items() if column != "title"):
        problems.append("only a title, no ref, owner, date or status: a heading?")
    ref = read("ref", read_ref, as_of)
    owners = read("owners", read_owners)
    due = read("due", read_day, as_of, True)
    status, condition = read("status", read_status) or (OPEN, None)
    raised = read("raised", read_day, as_of) or as_of
    closed = read("closed", read_day, as_of) or as_of if status == CLOSED else None
    updates = read("last_update", read_updates, as_of)
    private = read("private", read_private)
    if problems:
        return BadRow(row, "; ".join(problems))
    number, year = ref or (None, None)
    return LogRow(row, title, raised, number, year, owners or [], due, status, condition, closed, updates or [],
                  private if private is not None else bool(PART_B.match(title)))


PART_B = re.compile(r"^\s*part\s*b\b", re.I)
_NO_DUE_DATE = re.compile(r"^(tbc|tbd|tba|to be confirmed|n/?a|none|ongoing|asap|-+)\.?$", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_WRITTEN = re.compile(r"\b\d{4}\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_DATED_UPDATE = re.compile(r"^(\d{4}-\d{2}-\d{2}):\s*(.*)$", re.S)


def read_ref(text: str, as_of: dt.date) -> tuple[int, int | None] | None:
    """74/18 → (74, 2018); 74 → (74, None); empty → None. 84/1 is a typo, not 2001."""
    if not text:
        return None
    ref, rest = take_ref(text.rstrip("."))
    typed_year = ref.typed.partition("/")[2] if ref else ""
    if ref is None or rest or (typed_year and len(typed_year) not in (2, 4)):
        yy = f"{as_of.year % 100:02d}"
        guess = f" (did you mean {ref.number}/{yy}?)" if ref and typed_year and yy.startswith(typed_year) else ""
        raise ValueError(f"“{text}” is not a ref like 74/18{guess}")
    year = ref.year
    if year is not None and len(typed_year) == 2 and year > as_of.year + 1:
        year -= 100  # 99 in a log kept in 2018 is 1999
    return ref.number, year


def read_day(text: str, as_of: dt.date, due: bool = False) -> dt.date | None:
    """A date as logs write it, read against the log's as-of date; empty or TBC is no date.

    A due date written without a year ("22 nd December" in a log of 28 November 2018) is
    the occurrence nearest the as-of date, so a log's next month is not last year's."""
    if not text or _NO_DUE_DATE.match(text):
        return None
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a real date") from None
    day = read_date(text, as_of, future=False, allow_past=True, allow_next_meeting=False).value
    if due and not _YEAR_WRITTEN.search(text) and (as_of - day).days > 183:
        day = day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else dt.date(day.year + 1, 2, 28)
    return day


def read_owners(text: str) -> list[Who]:
    """`AH and VH`, `SH/VH`, full names; or an export's `AH; Gareth Nicholson; anna.hook`."""
    whos: list[Who] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        try:
            whos += read_who(part)
        except WhoError:
            if ";" not in text and " " in part:
                raise
            whos.append(Who("name", " ".join(part.split())))  # an export's name Slack gave, e.g. anna.hook
    too_long = next((w.value for w in whos if len(w.value) > 120), None)
    if too_long:
        raise ValueError(f"“{too_long[:40]}…” is too long for a name")
    return list(dict.fromkeys(whos))


_OPEN_WORDS = {"", "open", "ongoing", "in progress", "not started", "on track", "pending", "overdue"}
_CLOSED_WORDS = {"closed", "close", "complete", "completed", "done", "can close", "can now close"}
_PROPOSED_WORDS = {"closure proposed", "proposed", "proposed for closure"}
_EXPORT_CONDITION = re.compile(r"^closing when\s+(.+)$", re.S)
_LOG_CONDITION = re.compile(r"\b(?:can\s+|will\s+)?clos(?:e|ing)\s+(?:upon|when|once|after|following)\s+(.+)$",
                            re.I | re.S)
STATUS_WORDS = ("open, closure proposed, closing when <condition>, closed "
                "(or “can now close”, “will remain open”, “can close upon …”)")


def read_status(text: str) -> tuple[str, str | None]:
    """(status, closing condition) from an export's words or a real log's."""
    exported = _EXPORT_CONDITION.match(text)
    if exported:
        return CLOSING_WHEN, exported.group(1).strip()
    condition = _LOG_CONDITION.search(text)
    if condition:
        return CLOSING_WHEN, condition.group(1).strip().rstrip(".;").strip()
    words = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    if words in _OPEN_WORDS or words.endswith(("remain open", "remains open")):
        return OPEN, None
    if words in _PROPOSED_WORDS:
        return PROPOSED, None
    if words in _CLOSED_WORDS or words.endswith(("can now close", "can close", "now closed")):
        return CLOSED, None
    raise ValueError(f"“{text}” is not a status Clerk knows: {STATUS_WORDS}")


def read_updates(text: str, as_of: dt.date) -> list[tuple[dt.date, str]]:
    """Lines `YYYY-MM-DD: text` (an export's form) are dated updates, continued by the lines
    under them; other text is one update dated as of the log."""
    dated: list[list] = []
    undated: list[str] = []
    for line in text.splitlines():
        found = _DATED_UPDATE.match(line.strip())
        if found:
            try:
                day = dt.date.fromisoformat(found.group(1))
            except ValueError:
                raise ValueError(f"“{found.group(1)}” is not a real date") from None
            dated.append([day, found.group(2)])
        elif dated:
            dated[-1][1] += "\n" + line
        else:
            undated.append(line)
    updates = [(as_of, "\n".join(undated).strip())] + [(day, words.strip()) for day, words in dated]
    return sorted((u for u in updates if u[1]), key=lambda u: u[0])


def read_private(text: str) -> bool | None:
    """yes/no; empty leaves it to the title (a "Part B …" title is private)."""
    words = text.strip().lower()
    if not words:
        return None
    if words in ("yes", "y", "true", "1", "private", "part b"):
        return True
    if words in ("no", "n", "false", "0", "public", "part a"):
        return False
    raise ValueError(f"“{text}” is not yes or no")


# -- importing ----------------------------------------------------------------------------

def choose_board(s: Session, name: str | None) -> Board:
    """The board named, else the only one."""
    names = board_names(s)
    if name:
        board = find_board(s, name)
        if board is None:
            known = f" Boards: {', '.join(names)}." if names else ""
            how = SAY_BOARD.replace("<name>", name)
            raise BoardError(f"There is no board “{name}”.{known} To create it: {how}.")
        return board
    if len(names) == 1:
        return find_board(s, names[0])
    if not names:
        raise BoardError(f"There is no board yet. Create one first: {SAY_BOARD}; then run this again.")
    raise BoardError(f"Which board? Add --board <name> (boards: {', '.join(names)}).")


def import_log(s: Session, board: Board, rows: Sequence[LogRow], bad: Sequence[BadRow], as_of: dt.date,
               now: dt.datetime, *, skip_bad: bool = False) -> Imported:
    """Raise the rows' actions on the board, in the caller's unit of work.

    Any bad row (including a ref already on the log) stops the import before it writes,
    unless skip_bad. Rows with refs go first, so rows without one continue after the highest."""
    rows, bad = _without_duplicates(s, board, rows, bad)
    if bad and not skip_bad:
        raise BadRows(bad, len(rows))
    new_people: list[Person] = []
    ordered = [r for r in rows if r.number is not None] + [r for r in rows if r.number is None]
    actions = [_raise(s, board, row, as_of, now, new_people) for row in ordered]
    actions.sort(key=lambda a: (a.year, a.number))
    return Imported(board, actions, bad, new_people)


def _ref_year(board: Board, row: LogRow) -> int:
    if board.numbering == "continuous":
        return 0
    return row.year if row.year is not None else numbering_year(board, row.raised)


def _without_duplicates(s: Session, board: Board, rows: Sequence[LogRow],
                        bad: Sequence[BadRow]) -> tuple[list[LogRow], list[BadRow]]:
    on_log = {(n, y) for n, y in s.execute(select(Action.number, Action.year).where(Action.board_id == board.id))}
    first_row: dict[tuple[int, int], int] = {}
    good, bad = [], list(bad)
    for row in rows:
        if row.number is None:
            good.append(row)
            continue
        ref = (row.number, _ref_year(board, row))
        if ref in on_log:
            bad.append(BadRow(row.row, f"{format_ref(*ref)} is already on the log"))
        elif ref in first_row:
            bad.append(BadRow(row.row, f"{format_ref(*ref)} is also on row {first_row[ref]}"))
        else:
            first_row[ref] = row.row
            good.append(row)
    return good, sorted(bad, key=lambda b: b.row)


def _raise(s: Session, board: Board, row: LogRow, as_of: dt.date, now: dt.datetime,
           new_people: list[Person]) -> Action:
    owners = [_person(s, who, now, new_people) for who in row.owners]
    year = _ref_year(board, row) if row.number is not None else None
    action = raise_action(s, board, None, row.title, list(dict.fromkeys(owners)), row.due, row.private,
                          now, row.raised, number=row.number, year=year).action
    for day, text in row.updates:
        s.add(ActionEvent(action=action, at=now, dated=day, kind="update", text=text))
    if row.status != OPEN:
        action.status, action.closing_condition, action.closed = row.status, row.condition, row.closed
        s.add(ActionEvent(action=action, at=now, dated=row.closed or as_of, kind="status",
                          old=OPEN, new=status_label(action)))
    s.flush()
    return action


def _person(s: Session, who: Who, now: dt.datetime, new_people: list[Person]) -> Person:
    """The person an owner cell names; initials or names Clerk does not know become people
    without Slack, for the secretary to register."""
    if who.kind == "slack":
        return person_for_slack_user(s, who.value, who.display or None, now)
    if who.kind == "initials":
        person = person_by_initials(s, who.value)
    else:
        person = s.scalars(select(Person).where(func.lower(Person.name) == who.value.lower())
                           .order_by(Person.id).limit(1)).first()
    if person is None:
        person = Person(slack_user_id=None, initials=who.value if who.kind == "initials" else None,
                        name=who.value, created=now)
        s.add(person)
        s.flush()
        new_people.append(person)
    return person


# -- exporting ----------------------------------------------------------------------------

def export_rows(s: Session, board: Board, status: str, today: dt.date) -> list[list[str]]:
    """The log as rows of COLUMNS, by year then number. status: one of STATUS_CHOICES."""
    actions = list(s.scalars(_chosen(board, status, today).order_by(None).order_by(Action.year, Action.number)))
    updates = latest_update(s, [a.id for a in actions])
    return [export_row(a, updates.get(a.id)) for a in actions]


def _chosen(board: Board, status: str, today: dt.date) -> Select:
    if status == "proposed":
        return query(board, "all").where(Action.status == PROPOSED)
    if status == "closing":
        return query(board, "all").where(Action.status == CLOSING_WHEN)
    return query(board, status, today=today)


def export_row(action: Action, update: ActionEvent | None) -> list[str]:
    def iso(day: dt.date | None) -> str:
        return day.isoformat() if day else ""

    last_update = f"{update.dated.isoformat()}: {update.text or ''}" if update else ""
    return [action.ref, action.title, owners_label(action.owners), iso(action.due), status_label(action),
            iso(action.raised), iso(action.closed), last_update, "yes" if action.private else "no"]


def write_csv(rows: Sequence[Sequence[str]], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)


def write_md(rows: Sequence[Sequence[str]], out: IO[str]) -> None:
    """A GitHub-style table; `|` in a cell is escaped and line breaks become <br>."""
    def cell(text: str) -> str:
        return text.replace("|", r"\|").replace("\r\n", "\n").replace("\n", "<br>")

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell(c) for c in cells) + " |\n"

    out.write(line(COLUMNS))
    out.write(line(["---"] * len(COLUMNS)))
    for row in rows:
        out.write(line(row))


def write_xlsx(rows: Sequence[Sequence[str]], path: Path) -> None:
    """One sheet, dates as real dates shown YYYY-MM-DD, text never taken for a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    widths = {"ref": 9, "title": 50, "owners": 16, "status": 18, "last_update": 50}
    for c, column in enumerate(COLUMNS, start=1):
        sheet.cell(1, c, column).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(1, c).column_letter].width = widths.get(column, 12)
    for r, row in enumerate(rows, start=2):
        for c, (column, text) in enumerate(zip(COLUMNS, row), start=1):
            if column in DATE_COLUMNS and text:
                cell = sheet.cell(r, c, dt.date.fromisoformat(text))
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = sheet.cell(r, c, text or None)
                if text.startswith("="):
                    cell.data_type = "s"  # a title like "=SUM…" is text, not a formula
                cell.alignment = Alignment(wrap_text=column in ("title", "last_update"), vertical="top")
    sheet.freeze_panes = "A2"
    book.save(path)
