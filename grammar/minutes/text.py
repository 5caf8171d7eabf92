"""The words of minutes, before any decision is read: paragraphs and action-table rows with
their line numbers, sentences, refs, owners and date phrases.

Pure text. Every pattern here is linear: no nested quantifiers that can backtrack, bounded
repetitions, and the decision patterns only ever look at the first MAX_SENTENCE characters of
a sentence, so a 100,000-character paste reads in milliseconds.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from grammar.dates import DateError, read_date
from grammar.refs import take_ref
from grammar.who import WhoError, read_who

MAX_SENTENCE = 1000  # characters of one sentence the decision patterns look at
MAX_CELL = 4000  # characters of one table cell

# -- paragraphs and table rows ------------------------------------------------------------

_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]{0,120}\]")
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200b": None,
                         "\ufeff": None, "\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n"})
_BR = re.compile(r"<br\s{0,3}/?>", re.I)
_BULLET = re.compile(r"^(?:[-–—•·*▪◦‣●○■□➢➤►]|o(?=\s+[A-Z])|\(?[a-h]\)|\(?[ivx]{1,4}\)|\(?\d{1,2}[.)](?!\d))\s+")
_EMPHASIS = re.compile(r"\*\*|__")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_TERMINAL = re.compile(r"[.:;!?)\]”\"']\s*$")
_HEADING_NUMBER = re.compile(r"^(?:item\s+)?\d{1,3}(?:\.\d{1,2}){0,2}(?:\.?[ivx]{1,4})?[.)]?(?=\s)", re.I)
_STARTS_DATE = re.compile(r"^\d{1,2}\s?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
_STARTS_REF = re.compile(r"^(?:action\s+|#)?\d{1,5}/\d{1,4}\b", re.I)


@dataclass(frozen=True)
class Para:
    """One paragraph as written: its lines (1-based), its text with whitespace made single, and
    the bullet or list mark it began with (taken off `body`)."""

    lines: tuple[int, ...]
    text: str
    mark: str = ""
    in_table: bool = False  # a paragraph of a table's discussion cell

    @property
    def body(self) -> str:
        return self.text[len(self.mark):].strip() if self.mark else self.text

    @property
    def first(self) -> int:
        return self.lines[0]


@dataclass(frozen=True)
class Row:
    """One row of an action table, its cells by column (ref, title, owners, due, status, update, item).
    A discussion column's cell is not among them: its paragraphs come before the row, as paragraphs."""

    lines: tuple[int, ...]
    cells: dict[str, str] = field(default_factory=dict)
    raw: str = ""
    discussion: tuple[int, ...] = ()  # the lines of its discussion cell, read as paragraphs before it

    @property
    def first(self) -> int:
        return self.lines[0]


# Header words of action tables in minutes, lower-cased without spaces or punctuation.
_HEADERS = {
    "ref": {"ref", "refno", "no", "number", "actionno", "actionref", "actionnumber", "id"},
    "item": {"item", "itemno", "agendaitem", "minuteno", "minuteref", "minutenumber", "para", "agendano"},
    "discussion": {"minute", "minutes", "discussion", "summary", "summaryofdiscussion", "discussionsummary",
                   "narrative", "detail", "details", "matter", "matters", "subject", "topic", "itemdescription",
                   "discussionanddecisions", "keypoints", "minuteofdiscussion", "business"},
    "title": {"action", "actions", "actionagreed", "actionsagreed", "actionrequired", "actionpoint",
              "actionpoints", "description", "actiondescription", "task", "decision", "decisionaction"},
    "owners": {"owner", "owners", "lead", "leads", "by", "who", "responsible", "actionby", "officer", "leadofficer",
               "responsibility", "actionowner", "bywhom", "bywho"},
    "due": {"due", "duedate", "dateforcompletion", "deadline", "targetdate", "date", "bywhen", "when",
            "completiondate", "timescale", "timescales", "datedue", "completionby", "target", "by",
            "targetcompletiondate", "completeby", "datetobecompleted", "revisedduedate"},
    "status": {"status", "openclosed", "currentstatus", "actionstatus"},
    "rag": {"rag", "ragstatus", "brag", "ragrating", "bragrating", "rating"},
    "update": {"update", "updates", "progress", "comments", "comment", "commentary", "notes",
               "progressupdate", "latestupdate", "statusupdate", "updatestatus", "statusandupdate", "statuscomments",
              "statusandprogress", "progressstatus", "statusprogress", "updatecomments", "outcome"},
}


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower()[:60])


def _columns(cells: list[str]) -> dict[int, str]:
    """Which column is which, from a header row in any order: a word that names two columns
    ("By": who, or by when) is the first of them not yet taken."""
    found: dict[int, str] = {}
    for i, text in enumerate(cells):
        key = _header_key(text)
        for column, words in _HEADERS.items():
            if key in words and column not in found.values():
                found[i] = column
                break
    return found


def _is_action_header(columns: dict[int, str]) -> bool:
    """A table of actions: an action column and who, when, status or progress; or the minutes kept
    as a table, a discussion column beside an action column, or beside who and when."""
    names = set(columns.values())
    if "title" in names:
        return bool(names & {"owners", "due", "status", "update", "discussion"})
    return "discussion" in names and bool(names & {"owners", "due"})


def _pipe_cells(line: str) -> list[str] | None:
    text = line.strip()
    if text.count("|") < 2 and not (text.startswith("|") and len(text) > 1):
        return None
    cells = re.split(r"(?<!\\)\|", text)
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [c.replace("\\|", "|").strip() for c in cells] if len(cells) >= 2 else None


def _tab_cells(line: str) -> list[str] | None:
    if "\t" not in line:
        return None
    cells = [c.strip() for c in line.split("\t")]
    return cells if sum(1 for c in cells if c) >= 2 else None


def _is_rule(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-{2,}:?|", c) for c in cells)


def _cell(text: str) -> str:
    lines = [" ".join(part.split()) for part in _BR.sub("\n", text[:MAX_CELL]).split("\n")]
    return "\n".join(line for line in lines if line)


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACES)
    return _BOOKMARK.sub("", text)


def split(text: str) -> tuple[list[Para | Row], list[Para]]:
    """The paragraphs and action-table rows of the minutes, in order, and the header lines of
    those tables (placed: they say what the columns are). A table is known by its header row, in
    any column order: `|` rows one a line (a .docx's tables come this way), or tab-separated text
    as Word copies a table out, where a row's cells may run over several lines."""
    lines = normalise(text).split("\n")
    items: list[Para | Row | None] = []
    headers: list[Para] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        for cut in (_pipe_cells, _tab_cells):
            cells = cut(line)
            columns = _columns(cells) if cells else {}
            if cells and _is_action_header(columns):
                headers.append(Para((i + 1,), " ".join(line.split())))
                if cut is _tab_cells:
                    i = _tab_table(lines, i + 1, len(line.split("\t")), columns, items)
                else:
                    i = _table(lines, i + 1, cut, columns, items, headers)
                break
        else:
            _paragraph(lines, i, items)
            i += 1
    return _joined(items), headers


def _table(lines: list[str], i: int, cut, columns: dict[int, str], items: list, rules: list[Para]) -> int:
    while i < len(lines):
        cells = cut(lines[i])
        if cells is None:
            if lines[i].strip():
                return i
            i += 1  # a blank line inside a pasted table
            if i < len(lines) and cut(lines[i]) is None:
                return i
            continue
        if _is_rule(cells):
            rules.append(Para((i + 1,), lines[i].strip()))  # `|---|---|`: the table's furniture
        else:
            _row(lines, [[(i + 1, part) for part in _BR.split(cell)] for cell in cells], columns, items)
        i += 1
    return i


def _tab_table(lines: list[str], i: int, width: int, columns: dict[int, str], items: list) -> int:
    """Rows of a table copied out of Word: cells split by tabs, rows by the end of the line that
    completes them. A cell of several paragraphs runs over several lines, so a row is the lines up
    to the one whose tabs bring it to the header's width. A blank line between rows, or text with
    no tab ahead before a blank line, ends the table."""
    pending: list[list[tuple[int, str]]] = [[]]
    while i < len(lines):
        line = lines[i]
        empty = pending == [[]]
        if "\t" not in line:
            if not line.strip():
                if empty:
                    return i  # a blank line between rows: Word copies a table without them, so the table ended
                if len(pending) == 1 and _tab_ahead(lines, i) is None:
                    break  # lines that never met a tab: paragraphs after the table
                i += 1
                continue
            if empty and _tab_ahead(lines, i) is None:
                return i
            pending[-1].append((i + 1, line))
            i += 1
            continue
        parts = line.split("\t")
        pending[-1].append((i + 1, parts[0]))
        pending += [[(i + 1, part)] for part in parts[1:]]
        i += 1
        if len(pending) >= width:
            _row(lines, pending, columns, items)
            pending = [[]]
    if pending != [[]]:
        if len(pending) == 1:  # never met a tab: give its lines back as paragraphs
            return pending[0][0][0] - 1
        _row(lines, pending, columns, items)
    return i


def _tab_ahead(lines: list[str], i: int) -> int | None:
    """The next line with a tab, if one comes before a blank line, a heading or a `|` row."""
    for j in range(i, min(len(lines), i + 80)):
        line = lines[j]
        if "\t" in line:
            return j
        if j > i and not line.strip():
            return None
        if _MD_HEADING.match(line) or _pipe_cells(line):
            return None
    return None


def _row(lines: list[str], cells: list[list[tuple[int, str]]], columns: dict[int, str], items: list) -> None:
    """One table row into the items: its discussion cell's paragraphs, then the row of the rest."""
    row: dict[str, str] = {}
    discussion: list[int] = []
    for index, name in columns.items():
        if index >= len(cells):
            continue
        if name == "discussion":
            for number, text in cells[index]:
                if text.strip():  # each line of a cell is a paragraph of its own: Word does not wrap them
                    _paragraph([text], 0, items, number=number, in_table=True)
                    items.append(None)
                    discussion.append(number)
            continue
        row[name] = _cell("\n".join(text for _, text in cells[index]))
    kept = [index for index in range(len(cells)) if columns.get(index) != "discussion"]
    raw = " | ".join(c for c in (" ".join(" ".join(t for _, t in cells[k]).split()) for k in kept) if c)
    numbers = sorted({n for k in kept for n, t in cells[k] if t.strip()})
    said = {k: v for k, v in row.items() if v and k not in ("item", "ref")}
    if said or (row and not any(name == "discussion" for name in columns.values()) and any(row.values())):
        items.append(Row(tuple(numbers) or (cells[0][0][0],), row, raw, tuple(discussion)))


def _paragraph(lines: list[str], i: int, items: list, *, number: int | None = None, in_table: bool = False) -> None:
    text = " ".join(_EMPHASIS.sub("", lines[i]).split())
    if not text:
        items.append(None)  # a blank line: ends a wrapped paragraph
        return
    m = _MD_HEADING.match(text)
    mark = m.group(0) if m else ""
    if not m:
        for _ in range(2):  # "- (a) That …"
            m = _BULLET.match(text[len(mark):])
            if not m:
                break
            mark += m.group(0)
    items.append(Para((number or i + 1,), text, mark.strip(), in_table))


def _joined(items: list) -> list[Para | Row]:
    """Hard-wrapped lines made into one paragraph: a line that goes on in lower case, or a long
    line without an end that the next line continues (not a heading, bullet or ref)."""
    out: list[Para | Row] = []
    group: list[Para] = []  # the lines of the paragraph being built

    def flush() -> None:
        if group:
            out.append(group[0] if len(group) == 1 else
                       Para(tuple(n for p in group for n in p.lines), " ".join(p.text for p in group), group[0].mark,
                            group[0].in_table))
            group.clear()

    for item in items:
        if item is None or isinstance(item, Row):
            flush()
            if item is not None:
                out.append(item)
            continue
        if group and len(group) < 200 and _continues(group[0], group[-1], item):
            group.append(item)
            continue
        flush()
        group.append(item)
    flush()
    return out


FURNITURE = re.compile(r"^(?:page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|image\d{0,4}\.(?:png|jpe?g|gif|emf|wmf|tiff?)|"
                       r"\[(?:image|picture|logo)[^\]]{0,80}\]|-\s*\d{1,4}\s*-)$", re.I)


_LABEL_START = re.compile(r"^(?:present|apologies(?:\s+for\s+absence)?|in\s+attendance|attendees|also\s+present|absent|"
                          r"date|time|venue|location|officers\s+present|members\s+present)\s*[:–-]", re.I)
_REF_IN_FLOW = re.compile(r"^\d{1,5}/\d{1,4}(?:[.,;:)]|\s+(?!on\b|re\b)[a-z])")


def _continues(first: Para, previous: Para, line: Para) -> bool:
    """Whether `line` goes on from `previous`, the last line of a paragraph that began with `first`."""
    if _REF_IN_FLOW.match(line.text) and len(previous.text) >= 65 and not _TERMINAL.search(previous.text[-4:]):
        return True  # "… cashable savings for" / "19/20. The non-cashable …": a wrapped line, not an item
    if line.mark or _STARTS_REF.match(line.text) or _HEADING_NUMBER.match(line.text) or _LABEL_START.match(line.text):
        return False
    if FURNITURE.match(previous.text) or FURNITURE.match(line.text):
        return False
    if _TERMINAL.search(previous.text[-4:]) or _STARTS_REF.match(first.text) or is_numbered_heading(first):
        return False
    if line.text[0].islower():
        return True
    return len(previous.text) >= 65


def is_numbered_heading(p: Para) -> bool:
    """`2.ii Action Log`, `3 ICCS Capita D3000 lite`, `145. Chairman's Announcement.`, `ii) Budget update`."""
    text = p.text
    if len(text) > 200 or _STARTS_REF.match(text):
        return False
    m = _HEADING_NUMBER.match(text) or re.match(r"^\(?[ivx]{1,4}\)(?=\s)", text)
    if not m or _STARTS_DATE.match(text):
        return False
    rest = text[m.end():].strip()
    if not rest or not (rest[0].isupper() or rest[0] in "(\"“'" or rest[0].isdigit()
                        or re.match(r"\(?[ivx]{1,4}\)\s+[A-Z]", rest)):
        return False
    if leading_owners(rest, strict=True)[0]:
        return False  # "1. JG to write to the Chief Constable." is an action, not a heading
    body = rest.rstrip(".")
    return "." not in body.replace("e.g.", "").replace("i.e.", "") or len(rest) < 60


# -- sentences ----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“‘'(\[]?[A-Z0-9£#])")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Col|Supt|Insp|Sgt|Det|Prof|Rev|St|No|Nos|Co|Ltd|"
                           r"approx|ca|cf|vs|etc|e\.g|i\.e|Sir)|\b[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, as written (abbreviations such as Mr. and e.g. do not end one)."""
    out: list[list[str]] = []
    for part in _SENTENCE_END.split(text):
        if out and _ABBREVIATION.search(out[-1][-1][-12:]) and len(out[-1]) < 50:
            out[-1].append(part)
        else:
            out.append([part])
    return [s for s in (" ".join(p).strip() for p in out) if s]


_SPEAKER = re.compile(r"^(?:[A-Z]{2,4}|[A-Z][a-z]+ [A-Z][a-z]+)[.:]\s+(?=[A-Z])")


def without_speaker(sentence: str) -> str:
    """`DM. Suggested removing …` -> `Suggested removing …` (minutes often lead with who spoke)."""
    return _SPEAKER.sub("", sentence, count=1)


# -- refs ---------------------------------------------------------------------------------

_SLASH_REF_START = re.compile(r"^\s*(?:(?:[Aa]ction|ACTION|[Rr]ef\.?|REF|[Mm]inute|MINUTE|[Mm]in\.)\s*(?:[Nn]o\.?\s*)?:?\s*|"
                              r"#)?(\d{1,5})/(\d{1,4})(?![\d/])")
_ACTION_N = re.compile(r"^\s*(?:[Nn]ew\s+)?(?:[Aa]ction|ACTION)\s+(?:[Nn]o\.?\s*|"
                       r"[Nn]umber\s+)?#?(\d{1,5})(?:/(\d{1,4}))?(?![\d/])\s*(?:[:.)–—-]\s*|\s+|$)")
_ACTION_LABEL = re.compile(r"^\s*(?:[Nn]ew\s+action|[Aa]ction\s+point|[Aa]greed\s+action|[Aa]ctions?|ACTIONS?)\s*[:–—-]\s*")
REF_IN_TEXT = re.compile(r"(?<![\w/£$.,-])(?:(?:[Aa]ctions?|ACTIONS?|"
                         r"[Mm]inutes?)\s+(?:[Nn]o\.?\s*)?)?(\d{1,4})/(\d{2})(?![\d/%])")
_ACTION_BARE = re.compile(r"\b(?:[Aa]ction|ACTION)s?\s+(?:[Nn]o\.?\s*)?#?(\d{1,5})(?![\d/])")


@dataclass(frozen=True)
class Typed:
    """A ref as the minutes wrote it: `84/1` is number 84, year "1"; `Action 90` has no year."""

    number: int
    year: str | None  # as written: "18", "2018", "1"
    typed: str  # the words, e.g. "Action 90", "42/18"
    labelled: bool = False  # written "Action 90" rather than "90/18"

    @property
    def yy(self) -> int | None:
        return int(self.year) % 100 if self.year is not None else None

    def raw(self) -> str:
        """As written, without "Action": `84/1`, `90`."""
        return f"{self.number}/{self.year}" if self.year is not None else str(self.number)

    def canonical(self) -> str:
        return f"{self.number}/{self.yy:02d}" if self.year is not None else str(self.number)


def ref_at_start(text: str) -> tuple[Typed | None, str]:
    """`42/18 on …`, `72/18 – Part B – …`, `Action 90: …`, `84/1 – …`: the ref and the rest.
    (take_ref would also take an agenda number such as `2.` or `1<tab>`; these are not refs.)"""
    m = _SLASH_REF_START.match(text)
    if m:
        typed, _ = take_ref(text[m.start(1):])
        rest = text[m.end():].lstrip(" \t:–—-.,").strip()
        return Typed(int(m.group(1)), m.group(2), typed.typed if typed else m.group(0).strip()), rest
    m = _ACTION_N.match(text)
    if m:
        return Typed(int(m.group(1)), m.group(2), m.group(0).strip().rstrip(":.)–—- "), True), text[m.end():].strip()
    return None, text


_OWNER_LINE = re.compile(r"^(?:owners?|leads?|lead\s+officer|responsible(?:\s+officer)?|action\s+by|by\s+whom|who)"
                         r"\s*[:–—-]\s*(?P<who>[^:;]{1,120}?)\s*(?:[.;,]?\s*(?:due|deadline|by\s+when|by|when|date|target"
                         r"(?:\s+date)?|timescale)\s*[:–—-]?\s*(?P<due>[^:;]{1,60}?))?\s*[.;]?$", re.I)


_TITLE = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Cllr|Councillor|Prof|Professor|Sir|Dame|Rev|Revd|Lord|Lady|Supt|"
                    r"Ch\s+Supt|Insp|DCC|ACC|CC)\.?\s+)+", re.I)


def without_title(name: str) -> str:
    """`Dr Rhys Morgan` -> `Rhys Morgan`, `Cllr Dean` -> `Dean`: a name as people are registered."""
    return _TITLE.sub("", name.strip())


def owner_line(text: str) -> tuple[tuple[str, ...], str] | None:
    """`Owner: RM`, `Lead: Dr Priya Patel`, `Owner: KB  Due: 15 March`: a line that says who does the
    action before it (and by when)."""
    m = _OWNER_LINE.match(text.strip()[:200])
    if not m:
        return None
    owners = owners_of(m.group("who"))
    return (owners, (m.group("due") or "").strip()) if owners else None


def action_label(text: str) -> str | None:
    """The text after `Action:` / `ACTION –` / `New action:` at the start of a paragraph, if any."""
    m = _ACTION_LABEL.match(text)
    return text[m.end():].strip() if m else None


def financial_year(number: int, yy: int | None) -> bool:
    """`2027/28`, `19/20`: a year and the next, as budgets are written, not an action's ref."""
    return yy is not None and (number >= 1900 or number < 100) and yy == (number + 1) % 100


def refs_in(sentence: str) -> list[Typed]:
    out = [Typed(int(m.group(1)), m.group(2), m.group(0)) for m in REF_IN_TEXT.finditer(sentence[:MAX_SENTENCE])
           if not (int(m.group(1)) >= 1900 and financial_year(int(m.group(1)), int(m.group(2))))]
    out += [Typed(int(m.group(1)), None, m.group(0), True) for m in _ACTION_BARE.finditer(sentence[:MAX_SENTENCE])]
    return out


_REF_CHUNK = re.compile(r"(?:^|(?<=[.;:]\s)|(?<=[.;]))\s*(?=(?:[Aa]ction\s+)?\d{1,5}/\d{2,4}\s*[–—:-])"
                        r"|(?<=[a-z)])\s+(?=\d{1,5}/\d{2,4}\s*[–—:-]\s*[A-Z][A-Za-z]{0,3}(?:\s*[/,&]\s*[A-Z][A-Za-z]{0,3})*\s+to\s)")


def action_chunks(cell: str) -> list[str]:
    """The actions of one table cell: each line, and each `65/16 – …` within a line."""
    chunks: list[str] = []
    for line in cell.split("\n"):
        for part in _REF_CHUNK.split(line):
            part = part.strip()
            if not part:
                continue
            starts_own = bool(_SLASH_REF_START.match(part) or _BULLET.match(part) or leading_owners(part)[0])
            if chunks and not starts_own:
                chunks[-1] += " " + part
            else:
                chunks.append(_BULLET.sub("", part, count=1))
    return chunks


# -- nearest refs -------------------------------------------------------------------------

_REF_ALPHABET = "0123456789/"


def _edits(word: str) -> set[str]:
    """Every string one edit away: a deletion, an insertion, a substitution or a transposition."""
    out: set[str] = set()
    for i in range(len(word) + 1):
        if i < len(word):
            out.add(word[:i] + word[i + 1:])
            if i + 1 < len(word):
                out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
            for c in _REF_ALPHABET:
                out.add(word[:i] + c + word[i + 1:])
        for c in _REF_ALPHABET:
            out.add(word[:i] + c + word[i:])
    out.discard(word)
    return out


@functools.lru_cache(maxsize=512)
def nearest_refs(typed: str, known: frozenset[str], n: int = 3) -> tuple[str, ...]:
    """The real refs one edit from `typed` (then two), closest number first: 84/1 -> 84/18,
    47/18 -> 74/18. Never one chosen: all of the nearest are offered."""
    if len(typed) > 12 or not known:
        return ()
    one = _edits(typed)
    found = one & known
    distance = 1
    if not found:
        found = {w for e in one for w in _edits(e) if w in known}
        distance = 2
    number = int(re.match(r"\d*", typed).group(0) or 0)

    def key(ref: str) -> tuple:
        head = re.match(r"\d*", ref).group(0)
        swapped = distance == 1 and len(ref) == len(typed) and sorted(ref) == sorted(typed)
        return (not swapped, len(ref) == len(typed), abs(int(head or 0) - number), ref)

    return tuple(sorted(found, key=key)[:n])


# -- owners -------------------------------------------------------------------------------

_INIT = r"[A-Z][A-Za-z]?[A-Z]{1,3}"
_NAME = r"[A-Z][a-z'’-]+(?:\s[A-Z][a-z'’-]+){1,2}"
_OWNER_LIST = rf"(?:{_INIT}|{_NAME})(?:\s?(?:/|,|&|\+|\band\b)\s?(?:{_INIT}|{_NAME})){{0,7}}"
_LEADING = re.compile(rf"^(?:(?:It\s+was\s+)?[Aa]greed\s*(?:that|:)?\s+)?({_OWNER_LIST})\s+"
                      r"(to|will|would|should|shall|is\s+to|are\s+to|agreed\s+to|undertook\s+to|offered\s+to)\s+"
                      r"(?!be\b|have\s+been\b)(?=[a-z])")
_NOT_NAMES = {"the", "this", "that", "these", "those", "it", "there", "a", "an", "all", "each", "members",
              "board", "panel", "committee", "group", "meeting", "officers", "chair", "update", "report",
              "paper", "papers", "action", "item", "forward", "plan", "minutes", "we", "they", "part", "see",
              "appendix", "annex", "minute", "tbc", "ongoing", "complete", "completed", "closed", "open", "agenda",
              "page", "note", "notes", "confidential", "exempt", "private", "public", "draft", "final"}
OWNER_LABEL = re.compile(r"\b(?:[Oo]wners?|OWNERS?|[Ll]eads?|LEAD|[Rr]esponsible|[Aa]ction\s+by|ACTION\s+BY|"
                         rf"[Aa]ctions?|ACTIONS?)\s*[:–—-]\s*({_OWNER_LIST})\s*[.;)]{{0,2}}\s*$")
_OWNER_PAREN = re.compile(rf"\(\s*({_OWNER_LIST})\s*\)\s*[.;]?\s*$")
_OWNER_DASH = re.compile(rf"\s[–—-]\s*({_INIT}(?:\s?(?:/|,|&|\band\b)\s?{_INIT}){{0,7}})\s*[.;]?\s*$")


def owners_of(text: str) -> tuple[str, ...] | None:
    """`SH/VH` -> ("SH", "VH"), `AH and VH`, `Abbey Gough`; None when the words are not people."""
    text = text.strip().strip(".;:")
    if not text or len(text) > 200:
        return None
    words = re.split(r"[\s/,&+]+", text)
    if any(w.lower() in _NOT_NAMES for w in words):
        return None
    try:
        return tuple(w.value for w in read_who(text))
    except (WhoError, ValueError):
        return None


def leading_owners(text: str, *, strict: bool = False) -> tuple[tuple[str, ...] | None, str]:
    """`SH/VH to discuss …` -> (("SH", "VH"), "discuss …"); passive forms (`X will be invited`) name
    nobody. strict: only the action-log form "X to <verb>" (not "X will …", which minutes also use
    to report what someone said)."""
    m = _LEADING.match(text[:MAX_SENTENCE])
    if not m or (strict and m.group(2) != "to"):
        return None, text
    owners = owners_of(m.group(1))
    return (owners, text[m.end():]) if owners else (None, text)


def action_form(text: str) -> str:
    """`TB would circulate the paper` -> `TB to circulate the paper`, as an action log words it."""
    m = _LEADING.match(text[:MAX_SENTENCE])
    if not m or m.group(2) == "to":
        return text
    return f"{m.group(1)} to {text[m.end():]}"


_BRACKET_END = re.compile(r"\(([^()]{2,160})\)\s*[.;]?\s*$")
_DUE_WORD = re.compile(r"\b(?:by|due|deadline|before|for|target|date)\s*:?\s*$", re.I)


@dataclass(frozen=True)
class Bracket:
    """`(AH and VH, 27 th January 2019)`, `(CL – by end of March)`, `(next meeting; KB)`: who and
    by when, as the minutes put them in brackets after an action."""

    owners: tuple[str, ...]
    due_words: str
    before: str  # the action's words before the bracket


def bracket_after(text: str) -> Bracket | None:
    """The owners and due date in brackets at the end of an action, when that is all they hold."""
    tail = text[-220:]
    m = _BRACKET_END.search(tail)
    if not m:
        return None
    inside = m.group(1)
    due_words, rest = "", inside
    phrases = date_phrases(inside)
    if phrases:
        ph = phrases[0]
        lead = _DUE_WORD.search(inside[:ph.start])
        start = lead.start() if lead else ph.start
        due_words = "next meeting" if ph.kind == "next meeting" else ph.words
        rest = inside[:start] + " " + inside[ph.end:]
    rest = re.sub(r"^[\s,;:–—-]+|[\s,;:–—-]+$", "", rest)
    owners: tuple[str, ...] = ()
    if rest:
        found = owners_of(re.sub(r"\s*;\s*", ", ", rest))
        if not found:
            return None
        owners = found
    if not owners and not due_words:
        return None
    offset = len(text) - len(tail)
    return Bracket(owners, due_words, text[:offset + m.start()].rstrip(" ,;:–—-"))


def labelled_owners(text: str) -> tuple[tuple[str, ...] | None, str]:
    """`… Owners: AH and VH.`, `… (AH)`, `… – AH`, `… Action: AH`: the owners and the text without them."""
    tail = text[-300:]
    offset = len(text) - len(tail)
    for pattern in (OWNER_LABEL, _OWNER_PAREN, _OWNER_DASH):
        m = pattern.search(tail)
        if m:
            owners = owners_of(m.group(1))
            if owners:
                return owners, text[:offset + m.start()].rstrip(" ,;:–—-(")
    return None, text


# -- dates --------------------------------------------------------------------------------

_M = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
      r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
MONTH_WORD = _M
_MONTH_NUMBER = {name: i for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_DATE_PHRASE = re.compile(
    r"(?P<day>(?:\bw/c\s+|\bweek\s+commencing\s+)?\b(?:(?:mon|tues|wednes|thurs|fri|satur|"
    r"sun)day,?\s+)?(?:the\s+)?\d{1,2}\s?(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _M + r"\b\.?(?:,?\s+(?:20|19)\d{2}\b)?)"
    r"|(?P<mdy>\b" + _M + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:20|19)\d{2}\b)"
    r"|(?P<end>\b(?:the\s+)?end\s+of\s+(?:the\s+)?" + _M + r"\b(?:\s+(?:20|19)\d{2}\b)?)"
    r"|(?P<endm>\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?month\b)"
    r"|(?P<month>\b" + _M + r"\b\.?(?:\s+(?:20|19)\d{2}\b)?)"
    r"|(?P<num>(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.](?:20)?\d{2}(?![\d/.]))"
    r"|(?P<iso>\b(?:20|19)\d{2}-\d{2}-\d{2}\b)"
    r"|(?P<next>\b(?:the\s+)?next\s+(?:[\w&'’]+\s+){0,2}?meeting\b)", re.I)
_MONTH_PREPOSITION = re.compile(r"(?:\b(?:in|for|from|by|until|till|before|during|of|to|at|the)\s+|\()$", re.I)


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    words: str
    kind: str  # "day" | "month" | "next meeting"


def date_phrases(sentence: str) -> list[DatePhrase]:
    """The dates written in a sentence: days (`3rd January 2019`, `22 nd December`, `29/11/2018`),
    months (`March 2019`, `in September`) and `the next meeting`. Refs like 74/18 are never dates."""
    text = sentence[:MAX_SENTENCE]
    out: list[DatePhrase] = []
    for m in _DATE_PHRASE.finditer(text):
        words = m.group(0).strip()
        if m.lastgroup == "month":
            name = words.split()[0]
            has_year = bool(re.search(r"\d{4}", words))
            if not name[0].isupper() or (not has_year and not _MONTH_PREPOSITION.search(text[max(0, m.start() - 12):m.start()])):
                continue
            if name.lower().rstrip(".") == "may" and not has_year and not re.match(r"\s+meeting\b", text[m.end():m.end() + 9]):
                continue  # "may" the verb; "the May meeting" is the month
            out.append(DatePhrase(m.start(), m.end(), words, "month"))
        elif m.lastgroup == "next":
            out.append(DatePhrase(m.start(), m.end(), words, "next meeting"))
        else:
            if re.search(r"[a-z]{4}\.$", words, re.I):
                words = words[:-1]  # the sentence's full stop, not an abbreviation's
            out.append(DatePhrase(m.start(), m.end(), words, "day"))
    return out


def month_of(words: str, base: dt.date | None) -> dt.date | None:
    """`March 2019` -> 2019-03-01; `September` -> the next September from `base` (its own month counts)."""
    m = re.match(r"([a-z]{3})[a-z]*\.?(?:\s+(\d{4}))?$", words.strip(), re.I)
    if not m:
        return None
    month = _MONTH_NUMBER[m.group(1).lower()]
    if m.group(2):
        return dt.date(int(m.group(2)), month, 1)
    if base is None:
        return None
    first = dt.date(base.year, month, 1)
    return first if first >= base.replace(day=1) else dt.date(base.year + 1, month, 1)


@functools.lru_cache(maxsize=1024)
def _read_day(words: str, base: dt.date) -> dt.date | None:
    try:
        value = read_date(words, base, future=True, allow_past=True, allow_next_meeting=False).value
    except (DateError, ValueError, OverflowError):
        return None
    return value


_END_OF = re.compile(r"^(?:the\s+)?end\s+of\s+(?:the\s+)?([a-z]{3,9}\.?(?:\s+\d{4})?)$", re.I)


def day_of(words: str, base: dt.date | None) -> dt.date | None:
    """A day as the minutes write it, read against the meeting's date (dates without a year are the
    next such day from the meeting). With no meeting date only a date with its year can be read."""
    words = re.sub(r"^the\s+", "", words.strip(), flags=re.I)
    month_end = re.fullmatch(r"end\s+of\s+(?:the\s+|this\s+|(next)\s+)?month", words, re.I)
    if month_end:  # "by end of month": the end of the meeting's month (or the next)
        if base is None:
            return None
        ahead = 2 if month_end.group(1) else 1
        first = dt.date(base.year + (base.month + ahead - 1) // 12, (base.month + ahead - 1) % 12 + 1, 1)
        return first - dt.timedelta(days=1)
    end = _END_OF.match(words)
    if end:  # "end of February" read in February is this February's end (read_date makes it next year's)
        month = month_of(end.group(1), base)
        if month is None:
            return None
        following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if base is None:
        year = re.search(r"\b((?:19|20)\d{2})\b", words) or re.search(r"[/.](\d{2}|\d{4})$", words)
        if not year:
            return None
        y = int(year.group(1))
        base = dt.date(y if y > 100 else 2000 + y, 1, 1)
    return _read_day(words, base)
