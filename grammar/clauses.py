"""Clauses: the `owner …`, `due …`, `board …`, `for …` parts of a command, in any order, and the
flag words (`private`, `Part B`, `confidential`, `monthly`, `quarterly`) among them.

Clerk never guesses: a clause word starts a clause, and a clause whose value cannot be read is
refused (by the verb's parser, which quotes the words), never kept in a title. A clause word is
an ordinary word of the title only where English makes it one: after a determiner ("the board",
"a new owner"), before a linking word ("fees due to the council", "owner of the estate",
"board meeting"), or at the very end with nothing to read. A title in quotes is never scanned.
Flags count where a clause could stand: at the end of the title or of a clause's value, on their
own, or in brackets anywhere ("(Part B)").

Scanning is one pass over the words: linear in the text's length whatever it holds (the
patterns here have no nested repetition), and the text is capped before it gets here.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from store.names import loose
from store.terms import Refusal

_WORD = re.compile(r"\S+")
_QUOTED = re.compile(r'^\s*["“”]([^"“”]*)["“”](?=\s|$)')
_BRACKETED_FLAG = re.compile(r"[\(\[]\s*(private|part\s?b|confidential)\s*[\)\]]", re.I)
_EDGE = ",;:–—-"

DETERMINERS = frozenset("the a an this that these those its their our his her my your each every any no new "
                        "whose which of interim acting".split())
LINKING = frozenset("to for of the a an and or with from is are was were be been as that this it its who "
                    "which".split())
NOT_AFTER = {
    "owner": LINKING - {"the", "a", "an", "this", "that", "its"} | {"in", "on", "at", "by"},
    "due": LINKING - {"the"} | {"date", "dates", "diligence", "process", "regard", "course"},
    "board": LINKING | {"in", "on", "at", "by", "meeting", "meetings", "paper", "papers", "member", "members",
                        "report", "reports", "minutes", "agenda", "level", "room", "day", "away", "pack",
                        "development", "review", "decision", "decisions", "chair"},
    "when": frozenset("is are was were the".split()),
}
FLAGS = {"private": "private", "confidential": "private", "partb": "private",
         "monthly": "monthly", "quarterly": "quarterly"}


@dataclass
class Scanned:
    """A command's words after the verb (and ref): free text runs, and clauses by kind."""

    head: str = ""  # the free text before the first clause (a title, an update, a positional value)
    loose: list[str] = field(default_factory=list)  # free text after a bounded clause (board <known name>)
    clauses: dict[str, str] = field(default_factory=dict)  # kind -> value as typed
    typed: dict[str, str] = field(default_factory=dict)  # kind -> the clause word as typed ("owners")
    flags: set[str] = field(default_factory=set)
    quoted: bool = False


def _bare(word: str) -> str:
    return word.strip(_EDGE + "()[]\"“”").lower()


def scan(text: str, *, clauses: Mapping[str, str], boards: Sequence[str] = (), flags: Sequence[str] = (),
         head_allowed: bool = True, last_wins: Sequence[str] = ()) -> Scanned:
    """Split `text` by clause words. `clauses` maps a typed word to its kind (owners -> owner);
    `boards` are the known board names (a `board` clause takes the longest one that follows, and
    the words after it are free again); `flags` the flag kinds this verb knows; `last_wins` the
    kinds of which only the last occurrence is a clause (`for`: "funding for Specials for March")."""
    out = Scanned()
    rest, offset = text, 0
    if head_allowed:
        m = _QUOTED.match(text)
        if m and m.group(1).strip():
            out.head, out.quoted = " ".join(m.group(1).split()), True
            rest, offset = text[m.end():], m.end()
    words = [(m.start() + offset, m.end() + offset, m.group()) for m in _WORD.finditer(rest)]
    names = sorted(((loose(name).split(), name) for name in boards), key=lambda x: -len(x[0]))
    candidates = _clause_words(words, clauses, names)
    for kind in last_wins:
        at = [i for i, k in candidates.items() if k == kind]
        for i in at[:-1]:
            del candidates[i]
    segments: list[tuple[str | None, int, int]] = []  # (kind or None for free text, first word, end word)
    current: str | None = None
    start = 0
    i = 0
    while i < len(words):
        kind = candidates.get(i)
        if kind is None:
            i += 1
            continue
        segments.append((current, start, i))
        if kind == "board" and names:
            matched = _board_at(words, i + 1, names)
            if matched is not None:
                name, end = matched
                segments.append(("board", i + 1, end))
                out.typed.setdefault("board", words[i][2])
                current, start, i = None, end, end
                continue
        current, start = kind, i + 1
        out.typed.setdefault(kind, _bare(words[i][2]))
        i += 1
    segments.append((current, start, len(words)))
    for kind, first, end in segments:
        value = _text(text, words, first, end)
        value = _take_flags(value, out.flags, flags)
        if kind is None:
            if first == 0 and not out.quoted:
                out.head = value
            elif value:
                out.loose.append(value)
        elif kind in out.clauses:
            raise Refusal(f"“{out.typed.get(kind, kind)}” is given twice. If one belongs to the title, put the "
                          f"title in quotes: \"…\"")
        else:
            out.clauses[kind] = value
    if out.quoted and out.head:
        out.head = _take_bracketed(out.head, out.flags, flags)
    return out


def _clause_words(words: list[tuple[int, int, str]], clauses: Mapping[str, str], names) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, (_, _, word) in enumerate(words):
        kind = clauses.get(_bare(word))
        if kind is None or word[:1] in "\"“(":
            continue
        if kind == "board" and _board_at(words, i + 1, names) is not None:
            found[i] = kind  # `board` and a board's name: a clause, whatever comes before
            continue
        before = _bare(words[i - 1][2]) if i else ""
        after = _bare(words[i + 1][2]) if i + 1 < len(words) else None
        if after is None or before in DETERMINERS or after in NOT_AFTER.get(kind, ()):
            continue  # an ordinary word of the text: "the board", "due to", "a new owner", "… owner"
        if after in clauses:
            continue  # a clause word right before another has no value: "Staff board owner BON" is a title's
        found[i] = kind
    return found


def _board_at(words, i: int, names) -> tuple[str, int] | None:
    """The longest known board name at word i (compared word by word, as people mean names)."""
    for parts, name in names:
        end = i + len(parts)
        if end <= len(words) and loose(" ".join(w[2].strip(_EDGE + '"“”') for w in words[i:end])).split() == parts:
            return name, end
    return None


def _text(text: str, words, first: int, end: int) -> str:
    """The run's text as typed; punctuation that only joined it to a clause word is dropped (a
    leading + or - is kept: `secretary + GA`)."""
    if first >= end:
        return ""
    return text[words[first][0]:words[end - 1][1]].strip().rstrip(_EDGE).lstrip(",;:").strip()


def _take_flags(value: str, found: set[str], known: Sequence[str]) -> str:
    """Flag words at the end of a run (and bracketed ones anywhere) are taken out of it; one pass
    from the end over the run's words, so a run of flags costs no more than its words."""
    value = _take_bracketed(value, found, known)
    words = value.split()
    end = len(words)
    while end:
        last = _bare(words[end - 1])
        two = (_bare(words[end - 2]) + last) if end > 1 else ""
        if two in FLAGS and FLAGS[two] in known:
            found.add(FLAGS[two])
            end -= 2
        elif last in FLAGS and FLAGS[last] in known:
            found.add(FLAGS[last])
            end -= 1
        else:
            break
    if end == len(words):
        return value
    return " ".join(words[:end]).strip(_EDGE).strip()


def _take_bracketed(value: str, found: set[str], known: Sequence[str]) -> str:
    if "private" not in known:
        return value
    if _BRACKETED_FLAG.search(value):
        found.add("private")
        value = " ".join(_BRACKETED_FLAG.sub(" ", value).split())
    return value
