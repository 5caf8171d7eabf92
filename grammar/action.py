"""The words of /action: raise, update, close, confirm, reopen, re-date, snooze, assign, show, list,
digest. Each verb is one registry entry (grammar.registry) and returns one typed command."""
from __future__ import annotations

import re

from grammar.clauses import scan
from grammar.commands import (
    Assign,
    CloseAction,
    ConfirmClosure,
    Digest,
    ListActions,
    NewAction,
    ReadMinutes,
    ReopenAction,
    SetDue,
    ShowAction,
    Snooze,
    UpdateAction,
)
from grammar.refs import take_ref
from grammar.registry import (
    Context,
    board_named,
    due_from,
    only_head,
    owners_from,
    refuse,
    require_ref,
    suggest,
    take_board_prefix,
    title_problem,
    verb,
)
from grammar.who import AmbiguousWho, WhoError, read_who
from store.permissions import Act

A = "action"
CLAUSES = {"owner": "owner", "owners": "owner", "due": "due", "board": "board", "numbered": "numbered"}
BOARD_ONLY = {"board": "board"}
LIST_FILTERS = ("mine", "open", "overdue", "closed", "all")
_PART_B_TITLE = re.compile(r"^part\s*b\b", re.I)
_CONDITION = re.compile(r"^(?:when|upon|once|on)\b\s*", re.I)


def _ref_and_text(text: str, context: Context, name: str):
    ref, rest = require_ref(text, A, name)
    board, rest = take_board_prefix(rest, context)
    return ref, board, rest


def _ref_only(text: str, context: Context, name: str):
    ref, rest = require_ref(text, A, name)
    found = scan(rest, clauses=BOARD_ONLY, boards=context.boards, head_allowed=True)
    extra = only_head(found, A, name)
    if extra:
        raise refuse(f"I don't know what to do with “{extra}”.", A, name)
    return ref, board_named(found.clauses.get("board"), context, A, name)


@verb(A, "new", "/action new <title> [owner <who>] [due <date>] [board <name>] [private] [numbered <ref>]",
      synonyms=("add", "raise", "create"), acts=(Act.RAISE,), about="raise an action",
      examples=[("Raise an action", "action new Circulate the updated OSG paper owner DM due 14/12"),
                ("Several owners, a Part B item",
                 "action new Timeline for the DVPO study owner AH and VH due end of January private"),
                ("Due at a meeting", "action new Report on cashable savings owner VH due next meeting"),
                ("A title with clause words in it", 'action new "Fees due to the council" owner AH due 14/12')])
def new(text: str, context: Context) -> NewAction:
    found = scan(text, clauses=CLAUSES, boards=context.boards, flags=("private",))
    title = " ".join(context.plain(only_head(found, A, "new")).split())
    problem = title_problem(title)
    if problem:
        raise refuse(problem, A, "new")
    owners = owners_from(found.clauses["owner"], context, A, "new") if "owner" in found.clauses else ()
    due = due_from(found.clauses["due"], context, A, "new") if "due" in found.clauses else None
    numbered = None
    if "numbered" in found.clauses:
        numbered, rest = take_ref(found.clauses["numbered"])
        if numbered is None or rest or numbered.year is None:
            raise refuse(f"“{found.clauses['numbered']}” is not a ref with its year, like 90/18.", A, "new")
    return NewAction(title=title, owners=owners, due=due, board=board_named(found.clauses.get("board"), context, A, "new"),
                     private="private" in found.flags or bool(_PART_B_TITLE.match(title)), numbered=numbered)


@verb(A, "update", "/action update <ref> <text>", acts=(Act.CHANGE_ACTION,), about="add a dated update",
      examples=[("Add a dated update", "action update 74/18 Paper prepared on cashable savings; to the {meeting_day} meeting")])
def update(text: str, context: Context) -> UpdateAction:
    ref, board, rest = _ref_and_text(text, context, "update")
    if not rest:
        raise refuse("What is the update? Put the text after the ref.", A, "update")
    return UpdateAction(target=ref, text=context.plain(rest).strip(), board=board)


@verb(A, "close", "/action close <ref> [note]   or   /action close <ref> when <condition>",
      acts=(Act.CHANGE_ACTION,), about="close, propose closure, or close when a condition is met",
      examples=[("Close it", "action close 85/18 Completed"),
                ("Close it once something happens", "action close 66/18 when evaluation of the updated paper")])
def close(text: str, context: Context) -> CloseAction:
    ref, board, rest = _ref_and_text(text, context, "close")
    m = _CONDITION.match(rest)
    if m:
        condition = " ".join(context.plain(rest[m.end():]).split())
        if not condition:
            raise refuse("Close when what? Give the condition after “when”.", A, "close")
        return CloseAction(target=ref, condition=condition, board=board)
    return CloseAction(target=ref, note=context.plain(rest).strip(), board=board)


@verb(A, "confirm", "/action confirm <ref>", acts=(Act.OFFICER_ACTION,),
      about="the chair or a secretary confirms a proposed or conditional closure",
      examples=[("Chair or secretary confirms", "action confirm 66/18")])
def confirm(text: str, context: Context) -> ConfirmClosure:
    ref, board = _ref_only(text, context, "confirm")
    return ConfirmClosure(target=ref, board=board)


@verb(A, "reopen", "/action reopen <ref> [note]", acts=(Act.OFFICER_ACTION,), about="reopen a closed action",
      examples=[("Reopen", "action reopen 81/18 Figures still missing")])
def reopen(text: str, context: Context) -> ReopenAction:
    ref, board, rest = _ref_and_text(text, context, "reopen")
    return ReopenAction(target=ref, note=context.plain(rest).strip(), board=board)


@verb(A, "due", "/action due <ref> <date>", acts=(Act.CHANGE_ACTION,), about="change the due date",
      examples=[("Move the due date", "action due 74/18 {meeting}"),
                ("To a meeting", "action due 74/18 the {month_name} meeting")])
def due(text: str, context: Context) -> SetDue:
    ref, rest = require_ref(text, A, "due")
    found = scan(rest, clauses=BOARD_ONLY, boards=context.boards)
    board = board_named(found.clauses.get("board"), context, A, "due")
    words = only_head(found, A, "due")
    if not words:
        raise refuse("Which date?", A, "due")
    return SetDue(target=ref, due=due_from(words, context, A, "due", clause="the date"), board=board)


@verb(A, "snooze", "/action snooze <ref> [until <date>]   (no reminders until then; a week if no date)",
      acts=(Act.CHANGE_ACTION,), about="no reminders for a while",
      examples=[("No reminders for a week", "action snooze 74/18")])
def snooze(text: str, context: Context) -> Snooze:
    ref, rest = require_ref(text, A, "snooze")
    found = scan(rest, clauses=BOARD_ONLY, boards=context.boards)
    words = re.sub(r"^(until|till|to)\s+", "", only_head(found, A, "snooze"), flags=re.I)
    until = due_from(words, context, A, "snooze", clause="the date") if words else None
    return Snooze(target=ref, until=until, board=board_named(found.clauses.get("board"), context, A, "snooze"))


@verb(A, "assign", "/action assign <ref> <who>   (or + <who> to add an owner)",
      synonyms=("owner", "owners", "reassign"), acts=(Act.OFFICER_ACTION,), about="give an action to someone",
      examples=[("Reassign", "action assign 91/18 AH and VH"), ("Add an owner", "action assign 91/18 + SH")])
def assign(text: str, context: Context) -> Assign:
    ref, rest = require_ref(text, A, "assign")
    found = scan(rest, clauses=BOARD_ONLY, boards=context.boards)
    words = only_head(found, A, "assign")
    add = words.startswith("+")
    words = re.sub(r"^(to|owners?)\s+", "", words.lstrip("+ ").strip(), flags=re.I)
    if not words:
        raise refuse("Assign it to whom?", A, "assign")
    return Assign(target=ref, owners=owners_from(words, context, A, "assign"), add=add,
                  board=board_named(found.clauses.get("board"), context, A, "assign"))


@verb(A, "show", "/action show <ref>", synonyms=("view",), acts=(Act.READ,), about="everything, with its history",
      examples=[("See one, with its history", "action show 74/18")])
def show(text: str, context: Context) -> ShowAction:
    ref, board = _ref_only(text, context, "show")
    return ShowAction(target=ref, board=board)


@verb(A, "list", "/action list [mine|open|overdue|closed|all|<who>] [board <name>]", synonyms=("ls",),
      acts=(Act.READ,), about="a list of actions",
      examples=[("Lists", "action list mine · action list overdue · action list VH")])
def listing(text: str, context: Context) -> ListActions:
    found = scan(text, clauses=BOARD_ONLY, boards=context.boards)
    board = board_named(found.clauses.get("board"), context, A, "list")
    rest = only_head(found, A, "list")
    word = rest.lower()
    if not word:
        return ListActions(which="open", board=board)
    if word in LIST_FILTERS:
        return ListActions(which=word, board=board)
    try:
        who = tuple(read_who(rest, context.initials, context.names, context.aliases))
    except AmbiguousWho as exc:
        raise refuse(str(exc), A, "list") from None
    except WhoError:
        raise refuse(f"“{rest}” is not a list I know.{suggest(word, LIST_FILTERS)}", A, "list") from None
    return ListActions(which="who", who=who, board=board)


@verb(A, "digest", "/action digest [board <name>]", acts=(Act.READ,),
      about="the chair's view: counts, overdue, due in 14 days, the rest",
      examples=[("The chair's view", "action digest")])
def digest(text: str, context: Context) -> Digest:
    found = scan(text, clauses=BOARD_ONLY, boards=context.boards)
    extra = only_head(found, A, "digest")
    if extra:
        raise refuse(f"I don't know what to do with “{extra}”.", A, "digest")
    return Digest(board=board_named(found.clauses.get("board"), context, A, "digest"))


@verb(A, "minutes", "/action minutes   (paste a meeting's minutes: Clerk proposes the changes, you apply)",
      acts=(Act.OFFICER_ACTION,), about="read a meeting's minutes into the log",
      examples=[("Minutes into the log", "action minutes")])
def minutes(text: str, context: Context) -> ReadMinutes:
    found = scan(text, clauses=BOARD_ONLY, boards=context.boards)
    return ReadMinutes(board=board_named(found.clauses.get("board"), context, A, "minutes"))
