"""What the minutes reader proposes: one Change per decision, the paragraphs it could not place,
and the meeting's date. Plain frozen values; nothing here touches a database or Slack."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

CLOSE = "close"
CLOSE_WHEN = "close when"
UPDATE = "update"  # stays open, with the update
NEW = "new action"
PLAN_ADD = "plan add"
PLAN_DROP = "plan drop"
PLAN_TBC = "plan tbc"
MEETING_ADD = "meeting add"
DECISION = "decision"  # a resolution that changes nothing on the log: listed, not applied
NOT_UNDERSTOOD = "not understood"
KINDS = (CLOSE, CLOSE_WHEN, UPDATE, NEW, PLAN_ADD, PLAN_DROP, PLAN_TBC, MEETING_ADD, DECISION, NOT_UNDERSTOOD)
CHANGES = KINDS[:8]  # the kinds that change the log, the plan or the meetings
CSV_COLUMNS = ("change", "ref", "title", "owners", "due", "condition", "text")


@dataclass(frozen=True)
class Change:
    """One change the minutes ask for, as the secretary will review it.

    ref: the existing action's ref (as on the log), the ref the minutes give a new action, a ref
    the log does not have (then `known_ref` is False and `nearest` lists the real refs to choose
    from), or None: for a new action "the next ref", for plan items and meetings nothing.
    owners: as written (initials upper-case, names as spelled), never resolved here.
    when: where a plan item goes, as the plan export writes it: `2019-01-03` (a meeting's day),
    `2019-03` (a month), `tbc` or `next meeting`; for a meeting to add, its day.
    """

    kind: str
    ref: str | None = None
    title: str = ""
    owners: tuple[str, ...] = ()
    due: dt.date | None = None
    due_words: str = ""  # the due date as written ("22 nd December", "next meeting")
    condition: str = ""  # close when <condition>
    text: str = ""  # the update's substance, or the paragraph quoted
    when: str = ""
    recurrence: str = ""  # "", "monthly", "quarterly"
    time: dt.time | None = None  # a meeting's time
    provisional: bool = False  # a meeting the minutes call provisional
    private: bool = False  # Part B
    lines: tuple[int, ...] = ()  # the source lines (1-based)
    known_ref: bool = True  # False: the log has no such action (a typo like 84/1, or another board's)
    nearest: tuple[str, ...] = ()  # for an unknown ref: the real refs nearest to it, to choose from
    unknown_owners: tuple[str, ...] = ()  # owners not among the known people (kept, never dropped)
    notes: tuple[str, ...] = ()  # what the secretary should check
    source: str = ""  # the minutes' words it was read from, as written (clipped)

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0

    @property
    def when_date(self) -> dt.date | None:
        """The meeting's day, or the first of the month, of `when`."""
        if len(self.when) == 10:
            return dt.date.fromisoformat(self.when)
        if len(self.when) == 7 and self.when[4] == "-":
            return dt.date.fromisoformat(self.when + "-01")
        return None

    def csv_row(self) -> list[str]:
        """change, ref, title, owners, due, condition, text. For plan items `due` is where the paper
        goes (as `when`) and `condition` its recurrence; for a meeting, its day and its time or
        "provisional". A ref not on the log is shown with the nearest real refs."""
        ref = self.ref or ""
        if ref and not self.known_ref and self.kind != NEW:
            ref += f" (not on the log; nearest: {', '.join(self.nearest)})" if self.nearest \
                else " (not on the log)"
        if self.kind in (PLAN_ADD, PLAN_DROP, PLAN_TBC):
            due, condition = self.when, self.recurrence
        elif self.kind == MEETING_ADD:
            due = self.when
            condition = "; ".join(x for x in (f"at {self.time:%H:%M}" if self.time else "",
                                             "provisional" if self.provisional else "") if x)
        else:
            due = self.due.isoformat() if self.due else self.due_words
            condition = self.condition
        return [self.kind, ref, self.title, "; ".join(self.owners), due, condition, self.text]


@dataclass(frozen=True)
class Unplaced:
    """A paragraph that no change uses, quoted, with where it stood (the section, or the action
    it followed)."""

    lines: tuple[int, ...]
    text: str
    context: str = ""

    @property
    def line(self) -> int:
        return self.lines[0]


@dataclass(frozen=True)
class Proposal:
    """Everything the reader found in one set of minutes. Nothing is applied by reading."""

    changes: tuple[Change, ...]
    meeting_date: dt.date | None
    meeting_date_source: str  # "given", "line 4", or "not found"
    unplaced: tuple[Unplaced, ...] = ()
    warnings: tuple[str, ...] = ()
    attendees: tuple[tuple[str, str], ...] = ()  # (initials, name) from the attendance list
    other_board: bool = False  # refs spoken of as the log's, none of them on it
    refs_matched: tuple[str, ...] = ()  # the log's refs these minutes speak of
    paragraphs: int = 0  # how many paragraphs and table rows were read
    structure: tuple[int, ...] = ()  # lines read as headings, attendance, table headers, page furniture

    def of(self, *kinds: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind in kinds)

    @property
    def not_understood(self) -> tuple[Change, ...]:
        return self.of(NOT_UNDERSTOOD)

    def as_csv_rows(self, *, header: bool = True) -> list[list[str]]:
        """The proposal as `change,ref,title,owners,due,condition,text` rows, in the minutes' order."""
        rows = [list(CSV_COLUMNS)] if header else []
        return rows + [c.csv_row() for c in self.changes]

    def summary(self) -> str:
        """One line: what was read, and what needs the secretary."""
        counts = Counter(c.kind for c in self.changes)
        parts = [f"{counts[k]} {k}" for k in CHANGES if counts[k]]
        date = f"{self.meeting_date:%a} {self.meeting_date.day} {self.meeting_date:%b %Y}" if self.meeting_date \
            else "an unknown date"
        unknown = sum(1 for c in self.changes if not c.known_ref and c.kind != NEW)
        proposed = sum(counts[k] for k in CHANGES)
        line = (f"Minutes of {date}: {proposed} change{'s' * (proposed != 1)} proposed"
                + (f" ({', '.join(parts)})" if parts else "")
                + (f"; {counts[DECISION]} decision{'s' * (counts[DECISION] != 1)} listed" if counts[DECISION] else "")
                + f"; {counts[NOT_UNDERSTOOD]} not understood; {len(self.unplaced)} "
                + f"paragraph{'s' * (len(self.unplaced) != 1)} not placed (quoted)")
        if unknown:
            line += f"; {unknown} ref{'s' if unknown > 1 else ''} not on the log"
        return line + "."
