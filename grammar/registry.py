"""One place per verb: its usage, examples, parser and the permissions it asks for.

The noun modules (grammar.action, grammar.planning, grammar.clerk) register each verb with
`@verb(...)`; help, the README's command list and the tests' examples are generated from VERBS.
The service finds a command's runner by the command's type (service.runners), so a verb is its
registry entry here plus one runner there."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from grammar import slacktext
from grammar.clauses import Scanned
from grammar.commands import Command
from grammar.dates import DateError, read_due, read_when
from grammar.refs import REF_FORMS, take_ref
from grammar.who import WhoError, read_who
from store import names
from store.nearest import either, nearest
from store.permissions import Act
from store.terms import MAX_TITLE, Ref, Refusal, When, Who

NOUNS = ("action", "plan", "meeting", "clerk")


class ParseError(Refusal):
    """Words that are not a command Clerk knows, or not in its form."""


@dataclass(frozen=True)
class Context:
    """What parsing may know besides the text: today (in the board's zone), the boards' names, and
    the registered initials and names (so `ah` reads as AH), and Slack users' names for mentions
    in free text. Read from the process's directory cache before any transaction."""

    today: dt.date
    boards: tuple[str, ...] = ()
    initials: frozenset[str] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)  # store.names.key(name) -> as registered
    name_of: Callable[[str], str | None] | None = None
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # a first name's key -> full names
    region: str = "ENG"  # the board's bank holidays (CLERK_HOLIDAYS), for "after Christmas", working days

    def plain(self, text: str) -> str:
        return slacktext.plain(text, self.name_of)


@dataclass(frozen=True)
class Verb:
    noun: str
    name: str
    usage: str
    parse: Callable[[str, Context], Command]
    examples: tuple[tuple[str, str], ...] = ()  # (what it does, an example line without the slash)
    synonyms: tuple[str, ...] = ()
    acts: tuple[Act, ...] = ()
    about: str = ""

    @property
    def key(self) -> str:
        return f"{self.noun} {self.name}"


VERBS: dict[tuple[str, str], Verb] = {}


def verb(noun: str, name: str, usage: str, *, examples: Sequence[tuple[str, str]] = (),
         synonyms: Sequence[str] = (), acts: Sequence[Act] = (), about: str = ""):
    def register(parse: Callable[[str, Context], Command]):
        VERBS[(noun, name)] = Verb(noun, name, usage, parse, tuple(examples), tuple(synonyms), tuple(acts), about)
        return parse
    return register


def example_dates(today: dt.date) -> dict[str, str]:
    """The dates help's examples use, from today: a Thursday meeting in the month after next, a
    week and five weeks after it, and the months after that. Never in the past, never too far out."""
    month = (today.replace(day=1) + dt.timedelta(days=62)).replace(day=1)  # the month after next
    meeting = month + dt.timedelta(days=(3 - month.weekday()) % 7)  # its first Thursday
    later_month = (month + dt.timedelta(days=62)).replace(day=1)

    def day(d: dt.date) -> str:
        return f"{d.day} {d:%B %Y}"
    return {"meeting": day(meeting), "week_later": day(meeting + dt.timedelta(days=7)),
            "later_meeting": day(meeting + dt.timedelta(days=35)), "meeting_day": f"{meeting.day} {meeting:%B}",
            "month": f"{month:%B %Y}", "month_name": f"{month:%B}", "later_month": f"{later_month:%B %Y}"}


def dated(example: str, today: dt.date) -> str:
    """An example of the registry with its dates written from today (help never shows a past date)."""
    return example.format(**example_dates(today)) if "{" in example else example


def usage(noun: str, name: str) -> str:
    return VERBS[(noun, name)].usage


def verbs_of(noun: str) -> list[Verb]:
    return [v for (n, _), v in VERBS.items() if n == noun]


# -- helpers the noun modules share -----------------------------------------------------------

def refuse(message: str, noun: str, name: str) -> ParseError:
    return ParseError(message, usage(noun, name))


def require_ref(text: str, noun: str, name: str) -> tuple[Ref, str]:
    ref, rest = take_ref(text)
    if ref is None:
        got = f"“{text.split()[0]}” is not an action ref" if text.strip() else "Which action?"
        raise refuse(f"{got}. Refs look like {REF_FORMS}.", noun, name)
    return ref, rest


def board_named(value: str | None, context: Context, noun: str, name: str) -> str | None:
    """The board a `board` clause names: a known board (in any case), else refused with the nearest."""
    if value is None:
        return None
    want = " ".join(names.visible(value).strip().strip('"“”').split())
    known = names.find(want, context.boards)
    if known is not None:
        return known
    if not want:
        raise refuse("Which board? Give its name after “board”.", noun, name)
    words = want.split()
    for n in range(1, min(len(words), 6) + 1):  # the board a typo was meant to be, from the first words
        near = nearest(" ".join(words[:n]), context.boards, n=1, limit=2, key=names.loose)
        if near:
            raise refuse(f"There is no board “{' '.join(words[:n])}”. Did you mean {near[0]}?", noun, name)
    known = f" Boards: {', '.join(context.boards)}." if context.boards else ""
    raise refuse(f"There is no board “{want}”.{known}", noun, name)


def take_board_prefix(text: str, context: Context) -> tuple[str | None, str]:
    """`board <known name>` right after a ref, before free text (which may say "board" itself)."""
    words = text.split(None, 1)
    if not words or words[0].lower() != "board" or len(words) < 2:
        return None, text
    tail = words[1].split()
    for known in sorted(context.boards, key=len, reverse=True):
        n = len(known.split())
        if len(tail) >= n and names.same(" ".join(tail[:n]).rstrip(":,"), known):
            return known, " ".join(tail[n:]).lstrip(" :,").strip()
    return None, text


def owners_from(value: str, context: Context, noun: str, name: str, clause: str = "owner") -> tuple[Who, ...]:
    try:
        return tuple(read_who(value, context.initials, context.names, context.aliases))
    except WhoError as exc:
        raise refuse(f"I can't read “{value}” as {clause}s: {exc}{_quote_hint(clause, noun, name)}", noun,
                     name) from None


def due_from(value: str, context: Context, noun: str, name: str, clause: str = "due") -> When:
    try:
        return read_due(value, context.today, context.region)
    except DateError as exc:
        why = str(exc)
        if value.strip().lower() in ("tbc", "tbd", "tba", "ongoing", "asap", "none"):
            why += f" Leave out “{clause}” when there is no date yet."
        raise refuse(f"{why}{_quote_hint(clause, noun, name)}", noun, name) from None


def when_from(value: str, context: Context, noun: str, name: str) -> When:
    try:
        return read_when(value, context.today, context.region)
    except DateError as exc:
        raise refuse(str(exc), noun, name) from None


def _quote_hint(clause: str, noun: str, name: str) -> str:
    if (noun, name) not in (("action", "new"), ("plan", "add")):
        return ""
    return f" If “{clause}” is part of the title, put the title in quotes: /{noun} {name} \"…\" …"


def only_head(scanned: Scanned, noun: str, name: str) -> str:
    """The one free text of a command: before its clauses, or after a board clause."""
    runs = ([scanned.head] if scanned.head else []) + scanned.loose
    if len(runs) > 1:
        raise refuse(f"I don't know what to do with “{runs[-1]}”.", noun, name)
    return runs[0] if runs else ""


def title_problem(title: str, what: str = "action") -> str | None:
    """What is wrong with a title however it was given (typed, or written in a form)."""
    if names.blank(title):  # nothing, or only characters nobody sees (a zero-width space, a Hangul filler)
        return f"The {what} needs a title."
    if len(title) > MAX_TITLE:
        return f"That title is {len(title)} characters; keep it to {MAX_TITLE} and add the detail as an update."
    return None


def suggest(word: str, choices: Sequence[str]) -> str:
    near = nearest(word, choices, n=2)
    return f" Did you mean {either(near)}?" if near else ""

