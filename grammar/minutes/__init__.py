"""Clerk's minutes reader: the text of a meeting's minutes in, the changes they ask of the action
log and the forward plan out. Nothing is applied here.

    from grammar.minutes import read_minutes          # files: exchange.minutes.read_minutes_file
    proposal = read_minutes(text, refs=["74/18", "84/18"], people={"AH": "Anna Hook"})
    for change in proposal.changes: ...                # Change: kind, ref, title, owners, due, …
    proposal.as_csv_rows()                             # change,ref,title,owners,due,condition,text
    proposal.unplaced                                  # every paragraph no change uses, quoted

Pure and deterministic: regular expressions and Clerk's own readers (grammar.dates.read_date for
British dates, grammar.who.read_who for owners, grammar.refs.take_ref for refs). No database, no
Slack, no network, no clock: dates without a year are read against the meeting's date (given, or
read from the minutes' heading), else against `today` if the caller passes its clock's date.

What it reads (see grammar/minutes/read.py for the forms):
  - an existing action's item (`42/18 on …`, `74/18 – …`, or a row of an action table) that
    "can now close" (close), "can close upon <condition>" (close when), "will remain open" or says
    no status (update: the item's sentences before the status become the update);
  - new actions: `Action 90: …`, `Action: …`, `Actions:` lists, "It was agreed that AH would …",
    a paragraph `SH/VH to …`, table rows `Item | Action | Owner | Date for Completion` whose action
    cell holds one or more `65/16 – SH/VH to discuss …`;
  - the forward plan: "Additions for the Forward Plan:" lists, "to be added to the Forward Plan …
    for March 2019", "a further update be reported to the Panel's meeting in September" (plan add,
    with quarterly/monthly recurrence), "removing the Finance report from April 2019" (plan drop),
    "once a date is identified this will be added to the Forward Plan" (plan tbc);
  - "Date of next meeting – 24 th November 2016" (meeting add), and "Meetings … as follows:" lists.
Unknown refs (`84/1`) are kept with the nearest real refs (edit distance with transpositions),
never replaced by one; unknown owners are kept and listed; minutes whose refs match none of the
log's say so (`Proposal.other_board` and a warning).

The modules: model (Change, Unplaced, Proposal, the CSV row), text (paragraphs, table rows,
sentences, refs, owners, date phrases, nearest refs), rules (the patterns of decisions, pure
functions), read (the walk through the minutes and the log's actions), plan (the forward plan,
meetings, lists and prose). Reading a file (.txt, .md, .docx) is exchange.minutes's.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from grammar.minutes import text as mt
from grammar.minutes.model import (
    CHANGES,
    CLOSE,
    CLOSE_WHEN,
    CSV_COLUMNS,
    DECISION,
    KINDS,
    MEETING_ADD,
    NEW,
    NOT_UNDERSTOOD,
    PLAN_ADD,
    PLAN_DROP,
    PLAN_TBC,
    UPDATE,
    Change,
    Proposal,
    Unplaced,
)
from grammar.minutes.read import Reader
from grammar.minutes.rules import meeting_date_in

MAX_CHARS = 100_000

__all__ = ["read_minutes", "MinutesError", "Change", "Proposal", "Unplaced",
           "MAX_CHARS", "CSV_COLUMNS", "KINDS", "CHANGES", "DECISION", "CLOSE", "CLOSE_WHEN", "UPDATE", "NEW",
           "PLAN_ADD", "PLAN_DROP", "PLAN_TBC", "MEETING_ADD", "NOT_UNDERSTOOD"]


class MinutesError(ValueError):
    """Minutes that cannot be read at all: empty, too long, or a file that is not .txt, .md or .docx."""


def read_minutes(text: str, *, meeting_date: dt.date | None = None, today: dt.date | None = None,
                 refs: Iterable[str] = (), people: Mapping[str, str] | None = None,
                 roles: Mapping[str, str] | None = None) -> Proposal:
    """The changes a meeting's minutes propose.

    meeting_date: the meeting's date if the caller knows it (`--date`, the modal's field); else it
    is read from the minutes' heading, else None (and a warning says so).
    today: the clock's date, to read dates against when the meeting's date is not known.
    refs: the board's refs before the meeting ("74/18"), to tell existing actions from new ones.
    people: initials -> name of the known people; owners not among them are flagged, never dropped.
    roles: the board's offices as minutes name them -> the initials of the one person who holds
    each ("chair", "secretary"; "clerk" is the secretary, as parish councils call theirs), so
    "Clerk to write to Highways" is owned by the secretary. An office no one (or more than one)
    holds is left out, and a sentence naming it is quoted, not guessed.
    """
    if not isinstance(text, str):
        raise MinutesError("The minutes must be text.")
    if not text.strip():
        raise MinutesError("The minutes are empty: paste the text of the minutes, or give a .txt, .md or .docx file.")
    if len(text) > MAX_CHARS:
        raise MinutesError(f"The minutes are {len(text):,} characters long; Clerk reads at most {MAX_CHARS:,} at once. "
                           f"Read them in parts (the action log and forward plan first).")
    items, headers = mt.split(text)
    warnings: list[str] = []
    found = meeting_date_in(items)
    if meeting_date is not None:
        source = "given"
        if found and found[0] != meeting_date:
            warnings.append(f"The minutes say the meeting was on {_day(found[0])} (line {found[1][0]}); "
                            f"they are read as the minutes of {_day(meeting_date)}, as given.")
    elif found:
        meeting_date, source = found[0], f"line {found[1][0]}"
    else:
        source = "not found"
    reader = Reader(items, base=meeting_date or today, refs=refs, people=people, headers=headers, roles=roles)
    reader.read()
    return reader.proposal(meeting_date, source, warnings)



def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
