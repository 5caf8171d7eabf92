"""The terms of the log that every layer shares: refs, who, where a paper goes, the states of an
action and of a paper, and how a date is said. Plain values, no database and no Slack, so the
grammar (which reads them from text) and the renderers (which write them) depend on the store,
never the other way round."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from enum import StrEnum


class Refusal(Exception):
    """A command that cannot be done as asked: the message says why and, with usage, the right form.

    Raised inside a unit of work, it rolls the whole change back."""

    def __init__(self, message: str, usage: str | None = None):
        super().__init__(message)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:
        return f"{self.message}\nUsage: {self.usage}" if self.usage else self.message


class NoChange(Refusal):
    """A change to what is already so: "no change" is said, and nothing is recorded."""


class Status(StrEnum):
    """An action's state. The stored strings are the words the board uses."""

    OPEN = "open"
    PROPOSED = "closure proposed"
    CLOSING_WHEN = "closing when"
    CLOSED = "closed"


OPEN_STATES = (Status.OPEN, Status.PROPOSED, Status.CLOSING_WHEN)


class PaperStatus(StrEnum):
    DUE = "due"
    RECEIVED = "received"
    LATE = "late"  # never stored: a due paper past its deadline
    DROPPED = "dropped"


class Recurrence(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


RECUR_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3}


class Numbering(StrEnum):
    CALENDAR_YEAR = "calendar-year"
    MUNICIPAL_YEAR = "municipal-year"
    CONTINUOUS = "continuous"


class ClosureRule(StrEnum):
    DIRECT = "direct"
    CHAIR_CONFIRMS = "chair-confirms"


class Role(StrEnum):
    """A person's place on a board. Owners of a board's actions are its members too."""

    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"


@dataclass(frozen=True)
class Ref:
    """An action ref as typed: 74/18 (number and year), 74 (number only)."""

    number: int
    year: int | None  # full year (2018), or None when only the number was typed
    typed: str

    def __str__(self) -> str:
        return self.typed


@dataclass(frozen=True)
class ActionId:
    """An action named by its id (a button carries it), not by a typed ref."""

    id: int

    def __str__(self) -> str:
        return f"action #{self.id}"


def format_ref(number: int, year: int) -> str:
    """74/18, or 74 on a board numbered continuously (year 0)."""
    return f"{number}/{year % 100:02d}" if year else str(number)


@dataclass(frozen=True)
class Who:
    """Someone named in a command: a Slack user, registered initials, or a full name."""

    kind: str  # "slack" | "initials" | "name"
    value: str  # user id, initials (upper-case) or full name
    display: str = ""  # the name Slack sent with a mention, if any

    def __str__(self) -> str:
        if self.kind == "slack":
            return f"@{self.display or self.value}"
        return self.value


@dataclass(frozen=True)
class When:
    """Where a forward-plan paper goes, or what meeting a due date is: a day, a month, the next
    meeting, the meeting after next, a month's meeting, or tbc."""

    kind: str  # "day" | "month" | "next meeting" | "meeting after next" | "month's meeting" | "meeting on" | "tbc"
    day: dt.date | None = None  # the day, or the first of the month
    before: bool = False  # "before the next meeting": a due date the working day before that meeting

    def words(self) -> str:
        if self.before:
            return "before the " + When(self.kind, self.day).words().removeprefix("the ")
        if self.kind == "meeting on":
            return f"the meeting on {describe(self.day)}"
        if self.kind == "day":
            return describe(self.day)
        if self.kind == "month":
            return f"{self.day:%B %Y}"
        if self.kind == "month's meeting":
            return f"the {self.day:%B %Y} meeting"
        return self.kind if self.kind == "tbc" else "the " + self.kind


@functools.lru_cache(maxsize=4096)
def describe(day: dt.date) -> str:
    """How every reply states a date: with its weekday, so "next Friday" is never ambiguous.
    (Kept for the dates a digest of thousands of actions repeats.)"""
    return f"{day:%a} {day.day} {day:%b %Y}"


def in_words(day: dt.date) -> str:
    """A date as a board paper prints it: 22 December 2018."""
    return f"{day.day} {day:%B %Y}"


MAX_TITLE = 500  # characters of an action's or a paper's title; the detail goes in updates
