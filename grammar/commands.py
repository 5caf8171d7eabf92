"""Typed commands: one small frozen dataclass per verb, what the grammar makes of a line and what
buttons and forms build directly. `reads` says, from the type alone, whether a command only reads
(it then runs on the reading engine and never takes a write lock)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from store.terms import ActionId, Ref, When, Who


@dataclass(frozen=True, kw_only=True)
class Command:
    noun: ClassVar[str] = ""
    verb: ClassVar[str] = ""
    reads: ClassVar[bool] = False
    # a change that decides from what is stored (is it still open? is there another secretary?):
    # run so that of two at once the second sees the first (store.db.serially). One that only adds
    # (a new action, a new paper: numbered from a locked counter) need not wait on others
    decides: ClassVar[bool] = True
    board: str | None = None  # a board named with `board <name>`

    @property
    def key(self) -> str:
        """The registry's name of the verb: "action close"."""
        return f"{self.noun} {self.verb}"


Target = Ref | ActionId


# -- /action --------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class NewAction(Command):
    noun, verb = "action", "new"
    decides = False
    title: str
    owners: tuple[Who, ...] = ()
    due: When | None = None
    private: bool = False
    source: str | None = None  # a link to the Slack message it was made from
    numbered: Ref | None = None  # the ref minutes gave it (`numbered 90/18`), kept when it is free


@dataclass(frozen=True, kw_only=True)
class UpdateAction(Command):
    noun, verb = "action", "update"
    target: Target
    text: str


@dataclass(frozen=True, kw_only=True)
class CloseAction(Command):
    noun, verb = "action", "close"
    target: Target
    note: str = ""
    condition: str | None = None  # close when <condition>


@dataclass(frozen=True, kw_only=True)
class ConfirmClosure(Command):
    noun, verb = "action", "confirm"
    target: Target


@dataclass(frozen=True, kw_only=True)
class ReopenAction(Command):
    noun, verb = "action", "reopen"
    target: Target
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class SetDue(Command):
    noun, verb = "action", "due"
    target: Target
    due: When


@dataclass(frozen=True, kw_only=True)
class Snooze(Command):
    noun, verb = "action", "snooze"
    target: Target
    until: When | None = None  # a week when not given


@dataclass(frozen=True, kw_only=True)
class Assign(Command):
    noun, verb = "action", "assign"
    target: Target
    owners: tuple[Who, ...]
    add: bool = False


@dataclass(frozen=True, kw_only=True)
class ShowAction(Command):
    noun, verb, reads = "action", "show", True
    target: Target


@dataclass(frozen=True, kw_only=True)
class ListActions(Command):
    noun, verb, reads = "action", "list", True
    which: str = "open"  # open | mine | overdue | closed | all | who
    who: tuple[Who, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Digest(Command):
    noun, verb, reads = "action", "digest", True


@dataclass(frozen=True, kw_only=True)
class ReadMinutes(Command):
    """`/action minutes`: the form for pasting a meeting's minutes (the reply says how, elsewhere)."""

    noun, verb, reads = "action", "minutes", True


@dataclass(frozen=True, kw_only=True)
class Help(Command):
    reads: ClassVar[bool] = True
    verb: ClassVar[str] = "help"
    topic: str | None = None  # a verb of the noun, or None
    about: str = ""  # the noun ("action"), or "" for everything

    @property
    def key(self) -> str:
        return f"{self.about} help".strip()


# -- /meeting -------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class AddMeetings(Command):
    noun, verb = "meeting", "add"
    days: tuple[dt.date, ...]
    time: dt.time | None = None
    provisional: bool = False


@dataclass(frozen=True, kw_only=True)
class ConfirmMeeting(Command):
    noun, verb = "meeting", "confirm"
    day: dt.date | None = None
    meeting: When | None = None  # "the April meeting", "next meeting": found by store.meetings.named


@dataclass(frozen=True, kw_only=True)
class CancelMeeting(Command):
    noun, verb = "meeting", "cancel"
    day: dt.date | None = None
    meeting: When | None = None  # "the April meeting", "next meeting": found by store.meetings.named


@dataclass(frozen=True, kw_only=True)
class MoveMeeting(Command):
    noun, verb = "meeting", "move"
    day: dt.date | None = None
    to: dt.date
    meeting: When | None = None  # the meeting to move, named by a phrase ("the April meeting")
    time: dt.time | None = None


@dataclass(frozen=True, kw_only=True)
class ListMeetings(Command):
    noun, verb, reads = "meeting", "list", True


# -- /plan ----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class AddPaper(Command):
    noun, verb = "plan", "add"
    decides = False
    title: str
    when: When
    owners: tuple[Who, ...] = ()
    recurrence: str | None = None  # monthly | quarterly
    private: bool = False


@dataclass(frozen=True, kw_only=True)
class MovePaper(Command):
    noun, verb = "plan", "move"
    number: int
    when: When


@dataclass(frozen=True, kw_only=True)
class DropPaper(Command):
    noun, verb = "plan", "drop"
    number: int
    reason: str = ""
    series: bool = False


@dataclass(frozen=True, kw_only=True)
class PaperReceived(Command):
    noun, verb = "plan", "received"
    number: int


@dataclass(frozen=True, kw_only=True)
class ListPlan(Command):
    noun, verb, reads = "plan", "list", True
    which: str = "coming"  # coming | all | tbc | month
    month: dt.date | None = None


# -- /clerk ---------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RoleWords:
    """`secretary + GA`, `chair JG`, `members - XY`: people for a role, to replace, add or remove."""

    role: str  # chair | secretary | member
    people: tuple[Who, ...]
    how: str = "="  # = | + | -


@dataclass(frozen=True, kw_only=True)
class SetUpBoard(Command):
    """`/clerk board <name> [chair …] [secretary …] [members …] [channel #c]`: a new board, or changes."""

    noun, verb = "clerk", "board"
    name: str
    roles: tuple[RoleWords, ...] = ()
    channel: str | None = None


@dataclass(frozen=True, kw_only=True)
class ShowBoard(Command):
    noun, verb, reads = "clerk", "board", True
    name: str


@dataclass(frozen=True, kw_only=True)
class RegisterPerson(Command):
    """`/clerk person <initials> <@user | Full Name>`: someone new, or a known person linked to Slack."""

    noun, verb = "clerk", "person"
    initials: str
    slack: Who | None = None
    full_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChangePerson(Command):
    """`/clerk person <initials> name <Full Name>` or `… initials <NEW>`."""

    noun, verb = "clerk", "person"
    initials: str
    full_name: str | None = None
    new_initials: str | None = None


@dataclass(frozen=True, kw_only=True)
class ShowPerson(Command):
    noun, verb, reads = "clerk", "person", True
    initials: str


@dataclass(frozen=True, kw_only=True)
class MergePeople(Command):
    """`/clerk merge <initials | @user> into <initials>`: two records of one person become one."""

    noun, verb = "clerk", "merge"
    gone: Who
    keep: Who


@dataclass(frozen=True, kw_only=True)
class ShowSettings(Command):
    noun, verb, reads = "clerk", "settings", True


@dataclass(frozen=True, kw_only=True)
class ChangeSettings(Command):
    noun, verb = "clerk", "settings"
    changes: tuple[tuple[str, str], ...]
