"""The words of /clerk: boards, people, merging two records of one person, and settings."""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from grammar.clauses import scan
from grammar.commands import (
    ChangePerson,
    ChangeSettings,
    MergePeople,
    RegisterPerson,
    RoleWords,
    SetUpBoard,
    ShowBoard,
    ShowPerson,
    ShowSettings,
)
from grammar.registry import Context, board_named, only_head, owners_from, refuse, suggest, verb
from grammar.slacktext import CHANNEL, MENTION, NAMED_CHANNEL
from store import names
from store.nearest import nearest
from store.permissions import Act
from store.terms import ClosureRule, Numbering, Who

C = "clerk"
SETTINGS = {
    "closure": tuple(ClosureRule),
    "numbering": tuple(Numbering),
    "paper-deadline": "a number of working days, e.g. 10",
    "publication": "a number of working days, e.g. 5",
    "reminders": "days before the due date, e.g. 7,1",
    "timezone": "a time zone such as Europe/London",
    "digest-day": ("monday", "tuesday", "wednesday", "thursday", "friday"),
}
BOARD_CLAUSES = {"chair": "chair", "secretary": "secretary", "secretaries": "secretary", "member": "member",
                 "members": "member", "channel": "channel"}
_INITIALS = re.compile(r"[^\W\d_]{2,6}")  # letters of any script: SÓB
_RAW_CHANNEL = re.compile(r"[CG][A-Z0-9]{6,31}")
_COMMA_LIST = re.compile(r"(?<=\d) ?, ?(?=\d)")
_DAYS_WORD = re.compile(r"(?<=\d)\s+(?:clear\s+)?(?:working\s+)?days?(?:\s+before)?\b", re.I)


@verb(C, "board", "/clerk board <name> [chair <who>] [secretary [+|-] <who>] [members [+|-] <who>] [channel #channel]",
      acts=(Act.CREATE_BOARD, Act.BOARD_OFFICERS, Act.READ), about="set up a board, or change who holds its roles",
      examples=[("Set up a board", "clerk board P&R chair JG secretary GA channel #pr-board"),
                ("Another secretary; a member", "clerk board P&R secretary + SH · clerk board P&R members + VH"),
                ("See a board and its changes", "clerk board P&R")])
def board(text: str, context: Context) -> SetUpBoard | ShowBoard:
    found = scan(text, clauses=BOARD_CLAUSES)
    name = " ".join(names.visible(found.head).strip('"“”').split())
    if not names.loose(name):
        raise refuse("Which board? Give its name first.", C, "board")
    if len(name) > 80 or len(name.lower()) > 80:
        raise refuse("A board name is at most 80 characters.", C, "board")
    roles = []
    for role in ("chair", "secretary", "member"):
        if role not in found.clauses:
            continue
        value = found.clauses[role]
        how = value[:1] if value[:1] in "+-" else "="
        value = value[1:].strip() if how != "=" else value
        if role == "chair" and value.lower() in ("none", "nobody"):
            roles.append(RoleWords(role=role, people=(), how="="))
            continue
        people = owners_from(value, context, C, "board", clause=role)
        if role == "chair" and how == "=" and len(people) > 1:
            raise refuse("A board has one chair.", C, "board")
        roles.append(RoleWords(role=role, people=people, how=how))
    channel = None
    if "channel" in found.clauses:
        value = found.clauses["channel"].strip()
        m = CHANNEL.fullmatch(value)
        channel = m.group(1) if m else value if _RAW_CHANNEL.fullmatch(value) else None
        named = NAMED_CHANNEL.fullmatch(value)
        if named:  # `#pr-board` at the console, kept by name until Clerk is connected to Slack
            if len(named.group(1)) > 31:
                raise refuse(f"#{named.group(1)[:40]}… is too long a name to keep; pick the channel from Slack's # menu "
                             "once Clerk is connected.", C, "board")
            channel = "#" + named.group(1)
        if channel is None:
            raise refuse(f"“{context.plain(value)}” is not a channel. Pick it from Slack's # menu.", C, "board")
    known = names.find(name, context.boards)  # a lookalike of a board's name is that board
    # a quoted name is a new board however close it is; unquoted, a near miss is asked about
    near = [] if known or found.quoted else [
        b for b in nearest(name, context.boards, n=3, key=names.loose) if _labels(b) == _labels(name)][:1]
    if near:  # a near miss (the lookup's "did you mean") is not made a second board by mistake
        raise refuse(f"There is a board {near[0]} already; I have not set up “{name}”. If you meant {near[0]}, "
                     f"use its name. To set up a different board with this name, put it in quotes: "
                     f"/clerk board \"{name}\"", C, "board")
    if known and not roles and channel is None:
        return ShowBoard(name=known)
    return SetUpBoard(name=known or name, roles=tuple(roles), channel=channel)


def _labels(name: str) -> list[str]:
    """The numbers and one-letter words of a name: "Panel 2" and "Panel B" are other boards than
    "Panel 1" and "Panel A", not misspellings of them."""
    return re.findall(r"\d+|(?<!\w)\w(?!\w)", names.loose(name))


@verb(C, "person", "/clerk person <initials> <@user | Full Name>   ·   /clerk person <initials> name <Full Name> | "
                   "initials <NEW>   ·   /clerk person <initials>",
      acts=(Act.REGISTER, Act.CHANGE_PERSON, Act.READ), about="register someone, change their record, or see it",
      examples=[("Register someone", "clerk person AH @anna.hook   ·   clerk person GN Gareth Nicholson (not on Slack)"),
                ("Link them to Slack later", "clerk person GN @gareth"),
                ("Rename, re-initial", "clerk person GN name Gareth Nicolson · clerk person GN initials GNI"),
                ("See someone and their changes", "clerk person GN")])
def person(text: str, context: Context) -> RegisterPerson | ChangePerson | ShowPerson:
    found = scan(text, clauses={"board": "board"}, boards=context.boards)
    board = board_named(found.clauses.get("board"), context, C, "person")
    rest = only_head(found, C, "person")
    initials, _, who = rest.strip().partition(" ")
    if not _INITIALS.fullmatch(initials or ""):
        raise refuse(f"“{context.plain(initials)}” is not a set of initials (2 to 6 letters, e.g. AH or SÓB).", C, "person")
    initials = initials.upper()
    who = who.strip()
    if not who:
        return ShowPerson(initials=initials, board=board)
    word, _, value = who.partition(" ")
    if word.lower() in ("name", "initials") and value.strip():
        if word.lower() == "initials":
            if not _INITIALS.fullmatch(value.strip()):
                raise refuse(f"“{value.strip()}” is not a set of initials (2 to 6 letters, e.g. AH or SÓB).", C, "person")
            return ChangePerson(initials=initials, new_initials=value.strip().upper(), board=board)
        return ChangePerson(initials=initials, full_name=_name(value, context), board=board)
    mentions = list(MENTION.finditer(who))
    if len(mentions) > 1:
        raise refuse("One person at a time: one @mention.", C, "person")
    if mentions:
        m = mentions[0]
        slack = Who("slack", m.group(1), m.group(2) or "")
        rest_name = (who[:m.start()] + who[m.end():]).strip()
        return RegisterPerson(initials=initials, slack=slack, full_name=_name(rest_name, context) if rest_name else None,
                              board=board)
    return RegisterPerson(initials=initials, full_name=_name(who, context), board=board)


def _name(words: str, context: Context) -> str:
    name = " ".join(words.split())
    if name.startswith("@") or "\x02" in name:
        raise refuse(f"“{context.plain(name)}” looks like a mention, not a name. Pick the person from Slack's @ "
                     "menu, or type their full name.", C, "person")
    if len(name) > 120:
        raise refuse("A name is at most 120 characters.", C, "person")
    return name


@verb(C, "merge", "/clerk merge <initials | @user> into <initials | @user>", acts=(Act.MERGE,),
      about="two records of one person become one",
      examples=[("Two records of one person", "clerk merge GNI into GN")])
def merge(text: str, context: Context) -> MergePeople:
    parts = re.split(r"\s+(?:into|with|onto)\s+", text.strip(), maxsplit=1, flags=re.I)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise refuse("Merge whom into whom? e.g. /clerk merge GNI into GN (GN is kept).", C, "merge")
    gone, keep = (owners_from(p, context, C, "merge", clause="person") for p in parts)
    if len(gone) != 1 or len(keep) != 1:
        raise refuse("Merge one person into one person.", C, "merge")
    return MergePeople(gone=gone[0], keep=keep[0])


@verb(C, "settings", "/clerk settings [closure direct|chair-confirms] [numbering calendar-year|municipal-year|continuous] "
                     "[paper-deadline <days>] [publication <days>] [reminders <days,days>] [timezone <zone>] "
                     "[digest-day monday…friday] [board <name>]", acts=(Act.SETTINGS, Act.READ),
      about="see or change a board's settings",
      examples=[("Board settings", "clerk settings closure chair-confirms · clerk settings numbering municipal-year · "
                                   "clerk settings paper-deadline 10 publication 5")])
def settings(text: str, context: Context) -> ShowSettings | ChangeSettings:
    found = scan(text, clauses={"board": "board"}, boards=context.boards)
    board = board_named(found.clauses.get("board"), context, C, "settings")
    rest = only_head(found, C, "settings")
    rest = _DAYS_WORD.sub("", _COMMA_LIST.sub(",", rest))  # reminders 14, 7, 1; paper-deadline 10 working days
    words = rest.split()
    if len(words) % 2:
        raise refuse(f"“{rest}” is not a setting and value.", C, "settings")
    changes = []
    for name, value in zip(words[::2], words[1::2]):
        name, value = name.lower(), _zone(value) if name.lower() == "timezone" else value.lower()
        if name not in SETTINGS:
            raise refuse(f"“{name}” is not a setting.{suggest(name, list(SETTINGS))}", C, "settings")
        allowed = SETTINGS[name]
        if isinstance(allowed, tuple):
            if value not in allowed:
                raise refuse(f"{name} can be {' or '.join(allowed)}, not “{value}”.", C, "settings")
        elif not _setting_ok(name, value):
            raise refuse(f"{name} takes {allowed}, not “{value}”.", C, "settings")
        changes.append((name, value))
    if not changes:
        return ShowSettings(board=board)
    return ChangeSettings(changes=tuple(changes), board=board)


def _zone(value: str) -> str:
    """A time zone as its database spells it (europe/london -> Europe/London)."""
    from zoneinfo import available_timezones

    try:
        ZoneInfo(value)
        return value
    except (ZoneInfoNotFoundError, ValueError):
        return next((z for z in available_timezones() if z.lower() == value.lower()), value)


def _setting_ok(name: str, value: str) -> bool:
    if name in ("paper-deadline", "publication"):
        return value.isascii() and value.isdigit() and 0 <= int(value) <= 40
    if name == "reminders":
        return bool(re.fullmatch(r"[0-9]{1,2}(,[0-9]{1,2}){0,4}", value)) and value.isascii()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
