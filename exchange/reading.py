"""Reading the rows of a log as boards keep them: headers, refs, dates, owners, statuses, updates.

Every row is read before anything is written; a row that cannot be read says why, with its
row number as the spreadsheet shows it (header = row 1)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from exchange.tables import MAX_CELL, TableError
from grammar.dates import read_date
from grammar.refs import take_ref
from grammar.registry import title_problem
from grammar.who import Who, WhoError, read_who
from store.models import CLOSED, CLOSING_WHEN, OPEN, PROPOSED
from store.terms import MAX_TITLE

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
    due_note: str | None = None  # "Ongoing", "TBC": the due cell's words when it held no date



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
    for index, cells in enumerate(table):  # noqa: B007 - the header's index, kept after the loop
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
    for column, text in cells.items():  # the same limits as typed text
        if len(text) > MAX_CELL:
            problems.append(f"{names[column]}: {len(text):,} characters; a cell holds at most {MAX_CELL:,}")
    too_long = title_problem(title) if len(title) > MAX_TITLE else None
    if not title:
        problems.append(f"no title (the {names['title']} column is empty)")
    elif too_long:
        problems.append(f"{names['title']}: {too_long}")
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
    words = " ".join(cells.get("due", "").split())
    return LogRow(row, title, raised, number, year, owners or [], due, status, condition, closed, updates or [],
                  private if private is not None else bool(PART_B.match(title)),
                  due_note=words[:60] if due is None and words and words not in ("-", "--") else None)


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


