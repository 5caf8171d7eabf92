"""The New action and Add plan item forms, read into the same commands people type.

Every field is checked before anything is saved; problems come back per field, which Slack
shows under the field (`response_action: errors`). A form's command then runs through the
same path as a typed one (permissions, numbering, the board's post, App Home refreshes)."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grammar.commands import Command, title_problem
from grammar.dates import ReadDate, When, describe, due_problem
from grammar.who import Who, WhoError, read_who
from render.modals import BoardChoice
from store import meetings, people, plan
from store.errors import Refusal
from store.models import Board


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


def _fields(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """block_id -> the state of its one element."""
    return {block: next(iter(elements.values()), {}) for block, elements in
            ((view.get("state") or {}).get("values") or {}).items()}


def _text(fields: dict, name: str) -> str:
    return " ".join(((fields.get(name) or {}).get("value") or "").split())


def _selected(fields: dict, name: str) -> str | None:
    return ((fields.get(name) or {}).get("selected_option") or {}).get("value")


def _checked(fields: dict, name: str) -> bool:
    return bool((fields.get(name) or {}).get("selected_options"))


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}


# -- opening ---------------------------------------------------------------------------------

def board_choices(s: Session, channel: str | None, today: dt.date, *, with_meetings: bool = False
                  ) -> tuple[list[BoardChoice], str | None]:
    """The boards a form offers, and the one it starts on (the channel's, or the only one)."""
    boards = list(s.scalars(select(Board).order_by(Board.name)))
    choices = [BoardChoice(b.name, [(m.day, m.provisional) for m in meetings.upcoming(s, b, today, 12)]
                           if with_meetings else ()) for b in boards]
    here = next((b.name for b in boards if channel and b.channel_id == channel), None)
    return choices, here or (boards[0].name if len(boards) == 1 else None)


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<(?:#[A-Z0-9]+\|([^>]*)|(?:https?|mailto):[^>|]*\|([^>]*)|((?:https?|mailto):[^>]*)|![^>]*)>")


def message_title(s: Session, text: str) -> str:
    """A Slack message's text as a title: mentions become the names Clerk knows, links their words."""
    def name(m: re.Match) -> str:
        person = people.person_by_slack_id(s, m.group(1))
        return person.name if person else f"@{m.group(2) or m.group(1)}"

    text = _MENTION.sub(name, text or "")
    text = _LINK.sub(lambda m: ("#" + m.group(1)) if m.group(1) else (m.group(2) or m.group(3) or ""), text)
    return " ".join(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())


# -- submitting ------------------------------------------------------------------------------

def _owners(s: Session, fields: dict, errors: dict[str, str], now: dt.datetime) -> list[Who]:
    owners = [Who("slack", user) for user in (fields.get("owners") or {}).get("selected_users") or []]
    named = _text(fields, "others")
    if named:
        try:
            others = read_who(named)
            people.resolve(s, [w for w in others if w.kind != "slack"], now)  # unknown initials are refused
            owners += [w for w in others if w not in owners]
        except WhoError as exc:
            errors["others"] = str(exc)[:1].upper() + str(exc)[1:]
        except Refusal as exc:
            errors["others"] = exc.message
    return owners


def _board(s: Session, fields: dict, errors: dict[str, str]) -> Board | None:
    name = _selected(fields, "board")
    board = people.find_board(s, name) if name else None
    if board is None:
        errors["board"] = "Choose the board whose log it goes on." if not name else f"There is no board “{name}” now."
    return board


def action_command(s: Session, view: dict[str, Any], today: dt.date, now: dt.datetime) -> Command:
    fields, errors = _fields(view), {}
    title = _text(fields, "title")
    if problem := title_problem(title):
        errors["title"] = problem
    owners = _owners(s, fields, errors, now)
    due = None
    if picked := (fields.get("due") or {}).get("selected_date"):
        due = dt.date.fromisoformat(picked)
        if problem := due_problem(due, today):
            errors["due"] = problem
    board = _board(s, fields, errors)
    if errors:
        raise FormErrors(errors)
    return Command(noun="action", verb="new", text=title, owners=owners or None,
                   due=ReadDate(due, describe(due)) if due else None, board=board.name,
                   private=_checked(fields, "private"), source=metadata(view).get("source"))


def _when(s: Session, value: str | None, board: Board | None, today: dt.date, errors: dict[str, str]) -> When | None:
    if not value:
        errors["when"] = "Choose a meeting, a month, the next meeting or TBC."
        return None
    kind, _, rest = value.partition(":")
    if kind == "day":
        day, _, board_name = rest.partition(":")
        when = When("day", dt.date.fromisoformat(day))
        if board is not None and board_name != board.name:
            errors["when"] = f"{describe(when.day)} is a meeting of {board_name}, not {board.name}."
            return None
    elif kind == "month":
        when = When("month", dt.date.fromisoformat(rest))
    else:
        when = When(value)
    if board is not None:
        try:
            plan.place_for(s, board, when, today)
        except Refusal as exc:
            errors["when"] = exc.message
    return when


def plan_command(s: Session, view: dict[str, Any], today: dt.date, now: dt.datetime) -> Command:
    fields, errors = _fields(view), {}
    title = _text(fields, "title")
    if problem := title_problem(title):
        errors["title"] = problem.replace("action", "paper")
    board = _board(s, fields, errors)
    when = _when(s, _selected(fields, "when"), board, today, errors)
    owners = _owners(s, fields, errors, now)
    if errors:
        raise FormErrors(errors)
    return Command(noun="plan", verb="add", text=title, when=when, owners=owners or None, board=board.name,
                   recurrence=_selected(fields, "recurrence"), private=_checked(fields, "private"))
