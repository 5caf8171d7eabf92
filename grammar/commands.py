"""Parse one line of Clerk's command language into a Command.

The same words arrive as `/action close 74/18`, as a DM `action close 74/18`, after an
@mention, or typed at the console. Parsing is pure: the caller passes today's date (in the
board's zone) and the names of the boards, and gets a Command or a ParseError whose message
says what was wrong and shows the right form.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Sequence

from grammar.dates import DateError, ReadDate, read_date, read_when
from grammar.errors import Refusal
from grammar import planning
from grammar.refs import REF_FORMS, Ref, take_ref
from grammar.who import MENTION, Who, WhoError, read_who

MAX_TITLE = 500

USAGE: dict[str, str] = {
    "action new": "/action new <title> [owner <who>] [due <date>] [board <name>] [private]",
    "action update": "/action update <ref> <text>",
    "action close": "/action close <ref> [note]   or   /action close <ref> when <condition>",
    "action confirm": "/action confirm <ref>",
    "action reopen": "/action reopen <ref> [note]",
    "action due": "/action due <ref> <date>",
    "action assign": "/action assign <ref> <who>   (or + <who> to add an owner)",
    "action snooze": "/action snooze <ref> [until <date>]   (no reminders until then; a week if no date)",
    "action show": "/action show <ref>",
    "action list": "/action list [mine|open|overdue|closed|all|<who>] [board <name>]",
    "action digest": "/action digest [board <name>]",
    "action help": "/action help",
    "clerk board": "/clerk board <name> [chair <who>] [secretary <who>] [channel #channel]",
    "clerk person": "/clerk person <initials> <@user | Full Name>",
    "clerk settings": "/clerk settings [closure direct|chair-confirms] [numbering calendar-year|municipal-year|continuous] "
                      "[paper-deadline <days>] [publication <days>] [reminders <days,days>] [timezone <zone>] "
                      "[digest-day monday…friday] [board <name>]",
    "clerk help": "/clerk help",
    **planning.USAGE,
    "meeting help": "/meeting help",
    "plan help": "/plan help",
}
VERBS = {
    "action": ["new", "update", "close", "confirm", "reopen", "due", "assign", "snooze", "show", "list", "digest",
               "help"],
    "clerk": ["board", "person", "settings", "help"],
    "meeting": ["add", "cancel", "move", "list", "help"],
    "plan": ["add", "move", "drop", "received", "list", "help"],
}
SYNONYMS = {"receive": "received", "in": "received", "remove": "drop", "ls": "list"}
ACTION_SYNONYMS = {"add": "new", "raise": "new", "create": "new", "view": "show", "ls": "list",
            "owner": "assign", "owners": "assign", "reassign": "assign"}
LIST_FILTERS = ("mine", "open", "overdue", "closed", "all")
SETTINGS = {
    "closure": ("direct", "chair-confirms"),
    "numbering": ("calendar-year", "municipal-year", "continuous"),
    "paper-deadline": "a number of working days, e.g. 10",
    "publication": "a number of working days, e.g. 5",
    "reminders": "days before the due date, e.g. 7,1",
    "timezone": "a time zone such as Europe/London",
    "digest-day": ("monday", "tuesday", "wednesday", "thursday", "friday"),
}


class ParseError(Refusal):
    """Words that are not a command Clerk knows, or not in its form."""


@dataclass
class Command:
    noun: str
    verb: str
    ref: Ref | None = None
    text: str = ""
    owners: list[Who] | None = None
    add_owners: bool = False
    due: ReadDate | None = None
    board: str | None = None
    private: bool = False
    list_filter: str | None = None
    list_who: list[Who] | None = None
    chair: list[Who] | None = None
    secretaries: list[Who] | None = None
    channel: str | None = None
    initials: str | None = None
    person: Who | None = None
    person_name: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    condition: str | None = None  # /action close <ref> when <condition>
    days: list[dt.date] = field(default_factory=list)  # /meeting add
    time: dt.time | None = None
    provisional: bool = False
    fp: int | None = None  # FP-<n>
    when: object | None = None  # grammar.dates.When
    recurrence: str | None = None
    series: bool = False
    topic: str | None = None  # for help
    source: str | None = None  # a link to the Slack message an action was made from

    @property
    def name(self) -> str:
        return f"{self.noun} {self.verb}"


def parse(text: str, *, today: dt.date, boards: Sequence[str] = ()) -> Command:
    words = text.strip()
    m = re.match(r"^/?(action|actions|clerk|plan|meeting)\b\s*", words, re.I)
    if not m:
        raise ParseError("I didn't recognise that command.",
                         "action help · clerk help  (e.g. action new Circulate the OSG paper owner AH due 14/12)")
    noun = m.group(1).lower().rstrip("s") if m.group(1).lower() == "actions" else m.group(1).lower()
    rest = words[m.end():]
    verb_word, _, rest = rest.partition(" ")
    verb = (ACTION_SYNONYMS if noun == "action" else SYNONYMS).get(verb_word.lower(), verb_word.lower())
    if not verb:
        verb = "help"
    if verb not in VERBS[noun]:
        near = difflib.get_close_matches(verb, VERBS[noun], n=1, cutoff=0.5)
        hint = f" Did you mean /{noun} {near[0]}?" if near else ""
        raise ParseError(f"“{verb_word}” is not a /{noun} command.{hint}", f"/{noun} help")
    cmd = Command(noun, verb)
    rest = rest.strip()
    handler = _PARSERS.get(cmd.name)
    if handler:
        handler(cmd, rest, today, boards)
    elif verb == "help":
        cmd.topic = rest.lower() or None
    return cmd


# -- helpers -------------------------------------------------------------------------------

def _usage(cmd: Command) -> str:
    return USAGE[cmd.name]


def _take_board(cmd: Command, rest: str, boards: Sequence[str]) -> str:
    """Take a trailing `board <known name>` off `rest`."""
    m = re.search(r"\bboard\s+(.+)$", rest, re.I)
    if m:
        name = _match_board(m.group(1), boards)
        if name:
            cmd.board = name
            return rest[:m.start()].strip()
    return rest


def _match_board(text: str, boards: Sequence[str]) -> str | None:
    want = text.strip().strip('"“”').lower()
    for name in boards:
        if name.lower() == want:
            return name
    return None


def _require_ref(cmd: Command, rest: str) -> str:
    ref, rest = take_ref(rest)
    if ref is None:
        got = f"“{rest.split()[0]}” is not an action ref" if rest else "Which action?"
        raise ParseError(f"{got}. Refs look like {REF_FORMS}.", _usage(cmd))
    cmd.ref = ref
    return rest


def _read_owners(cmd: Command, text: str) -> list[Who]:
    try:
        return read_who(text)
    except WhoError as exc:
        raise ParseError(str(exc), _usage(cmd)) from None


def _read_due(cmd: Command, text: str, today: dt.date) -> ReadDate:
    try:
        return read_date(text, today)
    except DateError as exc:
        raise ParseError(str(exc), _usage(cmd)) from None


def title_problem(title: str) -> str | None:
    """What is wrong with a title however it was given (typed, or written in a form)."""
    if not title:
        return "The action needs a title."
    if len(title) > MAX_TITLE:
        return f"That title is {len(title)} characters; keep it to {MAX_TITLE} and add the detail as an update."
    return None


def _check_title(cmd: Command, title: str) -> str:
    title = " ".join(title.split())
    problem = title_problem(title)
    if problem:
        raise ParseError(problem, _usage(cmd))
    return title


_DATEISH = re.compile(r"\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
                      r"today|tomorrow|next|end|week|month|in\s+\d)", re.I)
_CLAUSE = re.compile(r"\b(owners?|due|board)\b", re.I)


# -- /action --------------------------------------------------------------------------------

def _new(cmd: Command, rest: str, today: dt.date, boards: Sequence[str]) -> None:
    body = rest
    m = re.search(r"\s*[\(\[]?\b(private|part\s*b)\b[\)\]]?\s*$", body, re.I)
    if m:
        cmd.private, body = True, body[:m.start()]
    end = len(body)
    seen: set[str] = set()
    for i, m in enumerate(reversed(list(_CLAUSE.finditer(body)))):
        if m.end() > end:
            continue
        kind = m.group(1).lower().rstrip("s")
        value = body[m.end():end].strip()
        rightmost = end == len(body)
        if not value:
            continue  # a clause word inside the next clause's value: "board Strategic Board"
        if kind in seen:
            break
        if kind == "owner":
            try:
                cmd.owners = read_who(value)
            except WhoError as exc:
                if rightmost and (MENTION.search(value) or value.split()[0][:1].isupper()):
                    raise ParseError(str(exc), _usage(cmd)) from None
                break
        elif kind == "due":
            if not _DATEISH.search(value) and value.lower() not in ("next meeting", "the next meeting"):
                break
            cmd.due = _read_due(cmd, value, today)
        else:
            name = _match_board(value, boards)
            if name is None:
                lowered = {b.lower(): b for b in boards}
                near = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
                if rightmost and near:
                    raise ParseError(f"There is no board “{value}”. Did you mean {lowered[near[0]]}?", _usage(cmd))
                break
            cmd.board = name
        seen.add(kind)
        end = m.start()
    title = body[:end].strip().rstrip(",;–-").strip()
    if re.match(r"^part\s*b\b", title, re.I):
        cmd.private = True
    cmd.text = _check_title(cmd, title)


def _take_board_prefix(cmd: Command, rest: str, boards: Sequence[str]) -> str:
    """`board <known name>` right after the ref, before free text (which may say "board")."""
    m = re.match(r"^board\s+", rest, re.I)
    if m:
        for name in sorted(boards, key=len, reverse=True):
            tail = rest[m.end():]
            if tail.lower().startswith(name.lower()) and tail[len(name):len(name) + 1] in ("", " ", ":", ","):
                cmd.board = name
                return tail[len(name):].lstrip(" :,").strip()
    return rest


def _update(cmd: Command, rest: str, today, boards) -> None:
    rest = _require_ref(cmd, rest)
    rest = _take_board_prefix(cmd, rest, boards)
    if not rest:
        raise ParseError("What is the update? Put the text after the ref.", _usage(cmd))
    cmd.text = rest


def _close(cmd: Command, rest: str, today, boards) -> None:
    rest = _require_ref(cmd, rest)
    rest = _take_board_prefix(cmd, rest, boards)
    m = re.match(r"^(?:when|upon|on|once)\b\s*(.*)$", rest, re.I | re.S)
    if m:
        if not m.group(1).strip():
            raise ParseError("Close when what? Give the condition after “when”.", _usage(cmd))
        cmd.condition = m.group(1).strip()
    else:
        cmd.text = rest


def _ref_and_note(cmd: Command, rest: str, today, boards) -> None:
    rest = _require_ref(cmd, rest)
    cmd.text = _take_board_prefix(cmd, rest, boards)


def _ref_only(cmd: Command, rest: str, today, boards) -> None:
    rest = _require_ref(cmd, rest)
    rest = _take_board(cmd, rest, boards)
    if rest:
        raise ParseError(f"I don't know what to do with “{rest}”.", _usage(cmd))


def _due(cmd: Command, rest: str, today, boards) -> None:
    rest = _require_ref(cmd, rest)
    rest = _take_board(cmd, rest, boards)
    cmd.due = _read_due(cmd, rest, today)


def _snooze(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board_prefix(cmd, _require_ref(cmd, rest), boards)
    rest = re.sub(r"^(until|till|to)\s+", "", rest, flags=re.I)
    if rest:
        cmd.due = _read_due(cmd, rest, today)


def _assign(cmd: Command, rest: str, today, boards) -> None:
    rest = _require_ref(cmd, rest)
    rest = _take_board(cmd, rest, boards)
    if rest.startswith("+"):
        cmd.add_owners, rest = True, rest[1:]
    rest = re.sub(r"^(to|owners?)\s+", "", rest.strip(), flags=re.I)
    cmd.owners = _read_owners(cmd, rest)


def _list(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    word = rest.strip().lower()
    if not word:
        cmd.list_filter = "open"
    elif word in LIST_FILTERS:
        cmd.list_filter = word
    else:
        try:
            cmd.list_who = read_who(rest)
        except WhoError:
            near = difflib.get_close_matches(word, LIST_FILTERS, n=1, cutoff=0.6)
            hint = f" Did you mean {near[0]}?" if near else ""
            raise ParseError(f"“{rest}” is not a list I know.{hint}", _usage(cmd)) from None
        cmd.list_filter = "who"


def _digest(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    if rest:
        m = re.match(r"^board\s+(.+)$", rest, re.I)
        raise ParseError(f"There is no board “{m.group(1) if m else rest}”."
                         + (f" Boards: {', '.join(boards)}." if boards else ""), _usage(cmd))


# -- /clerk ---------------------------------------------------------------------------------

def _board(cmd: Command, rest: str, today, boards) -> None:
    parts = re.split(r"\s+\b(chair|secretary|secretaries|channel)\b\s+", " " + rest + " ", flags=re.I)
    name = parts[0].strip().strip('"“”')
    if not name:
        raise ParseError("Which board? Give its name first.", _usage(cmd))
    if len(name) > 80:
        raise ParseError("A board name is at most 80 characters.", _usage(cmd))
    cmd.board = name
    for key, value in zip(parts[1::2], parts[2::2]):
        key, value = key.lower(), value.strip()
        if key == "chair":
            cmd.chair = _read_owners(cmd, value)
            if len(cmd.chair) > 1:
                raise ParseError("A board has one chair.", _usage(cmd))
        elif key.startswith("secretar"):
            cmd.secretaries = _read_owners(cmd, value)
        else:
            m = re.fullmatch(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>|([CG][A-Z0-9]{6,})", value)
            if not m:
                raise ParseError(f"“{value}” is not a channel. Pick it from Slack's # menu.", _usage(cmd))
            cmd.channel = m.group(1) or m.group(2)


def _person(cmd: Command, rest: str, today, boards) -> None:
    initials, _, who = rest.strip().partition(" ")
    if not re.fullmatch(r"[A-Za-z]{2,6}", initials or ""):
        raise ParseError(f"“{initials}” is not a set of initials (2 to 6 letters).", _usage(cmd))
    cmd.initials = initials.upper()
    who = who.strip()
    mention = MENTION.search(who)
    if mention:
        cmd.person = Who("slack", mention.group(1), mention.group(2) or "")
        name = MENTION.sub("", who).strip()
        cmd.person_name = " ".join(name.split()) or None
    elif who:
        if who.startswith("@"):
            raise ParseError(f"“{who}” is a plain-text @name; pick the person from Slack's @ menu.", _usage(cmd))
        cmd.person_name = " ".join(who.split())
    else:
        raise ParseError(f"Who is {cmd.initials}? Give a Slack @mention or a full name.", _usage(cmd))
    if cmd.person_name and len(cmd.person_name) > 120:
        raise ParseError("A name is at most 120 characters.", _usage(cmd))


def _settings(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    words = rest.split()
    if len(words) % 2:
        raise ParseError(f"“{rest}” is not a setting and value.", _usage(cmd))
    for name, value in zip(words[::2], words[1::2]):
        name, value = name.lower(), value if name.lower() == "timezone" else value.lower()
        if name not in SETTINGS:
            near = difflib.get_close_matches(name, list(SETTINGS), n=1)
            hint = f" Did you mean {near[0]}?" if near else ""
            raise ParseError(f"“{name}” is not a setting.{hint}", _usage(cmd))
        allowed = SETTINGS[name]
        if isinstance(allowed, tuple):
            if value not in allowed:
                raise ParseError(f"{name} can be {' or '.join(allowed)}, not “{value}”.", _usage(cmd))
        elif not _setting_ok(name, value):
            raise ParseError(f"{name} takes {allowed}, not “{value}”.", _usage(cmd))
        cmd.settings[name] = value


def _setting_ok(name: str, value: str) -> bool:
    if name in ("paper-deadline", "publication"):
        return value.isdigit() and 0 <= int(value) <= 40
    if name == "reminders":
        return bool(re.fullmatch(r"\d{1,2}(,\d{1,2}){0,4}", value))
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# -- /meeting and /plan ---------------------------------------------------------------------

def _meeting_add(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    m = re.search(r"\s*\(?\bprovisional(?:ly)?\b\)?", rest, re.I)
    if m:
        cmd.provisional, rest = True, (rest[:m.start()] + rest[m.end():]).strip()
    if not re.search(r"\bevery\b", rest, re.I):
        cmd.time, rest = planning.read_time(rest)
    if not rest:
        raise ParseError("Which date?", _usage(cmd))
    cmd.days = planning.read_meeting_days(rest, today)


def _meeting_cancel(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    try:
        cmd.days = [read_date(rest, today, allow_past=True, allow_next_meeting=False).value]
    except DateError as exc:
        raise ParseError(str(exc), _usage(cmd)) from None


def _meeting_move(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    parts = re.split(r"\s+to\s+", rest, maxsplit=1, flags=re.I)
    if len(parts) != 2:
        raise ParseError("Move which meeting to when? e.g. /meeting move 3 January 2019 to 10 January 2019", _usage(cmd))
    old, new = parts
    cmd.time, new = planning.read_time(new)
    try:
        cmd.days = [read_date(old, today, allow_past=True, allow_next_meeting=False).value,
                    read_date(new, today, allow_next_meeting=False).value]
    except DateError as exc:
        raise ParseError(str(exc), _usage(cmd)) from None


def _meeting_list(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    if rest:
        raise ParseError(f"I don't know what to do with “{rest}”.", _usage(cmd))


def _plan_add(cmd: Command, rest: str, today, boards) -> None:
    found = planning.read_plan_add(rest, today, boards, _match_board)
    cmd.text, cmd.when, cmd.owners = found["title"], found["when"], found["owners"]
    cmd.recurrence, cmd.private, cmd.board = found["recurrence"], found["private"], found["board"]


def _plan_move(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    cmd.fp, rest = planning.take_fp_ref(rest, _usage(cmd))
    rest = re.sub(r"^(to|for)\s+", "", rest, flags=re.I)
    if not rest:
        raise ParseError("Move it to which meeting or month?", _usage(cmd))
    try:
        cmd.when = read_when(rest, today)
    except DateError as exc:
        raise ParseError(str(exc), _usage(cmd)) from None


def _plan_drop(cmd: Command, rest: str, today, boards) -> None:
    cmd.fp, rest = planning.take_fp_ref(rest, _usage(cmd))
    m = re.match(r"^(?:the\s+)?series\b[\s:,-]*", rest, re.I)
    if m:
        cmd.series, rest = True, rest[m.end():]
    cmd.text = rest.strip()


def _plan_received(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards)
    cmd.fp, rest = planning.take_fp_ref(rest, _usage(cmd))


def _plan_list(cmd: Command, rest: str, today, boards) -> None:
    rest = _take_board(cmd, rest, boards).strip().lower()
    if rest in ("", "coming", "all", "tbc"):
        cmd.list_filter = rest or "coming"
        return
    try:
        cmd.when = read_when(rest, today)
    except DateError as exc:
        raise ParseError(str(exc), _usage(cmd)) from None
    if cmd.when.kind != "month":
        raise ParseError(f"List a month (March 2019), tbc or all, not “{rest}”.", _usage(cmd))
    cmd.list_filter = "month"


_PARSERS = {
    "meeting add": _meeting_add, "meeting cancel": _meeting_cancel, "meeting move": _meeting_move,
    "meeting list": _meeting_list,
    "plan add": _plan_add, "plan move": _plan_move, "plan drop": _plan_drop, "plan received": _plan_received,
    "plan list": _plan_list,
    "action new": _new, "action update": _update, "action close": _close,
    "action confirm": _ref_only, "action show": _ref_only, "action reopen": _ref_and_note,
    "action due": _due, "action assign": _assign, "action snooze": _snooze, "action list": _list, "action digest": _digest,
    "clerk board": _board, "clerk person": _person, "clerk settings": _settings,
}
