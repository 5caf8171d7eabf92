"""The New action and Add plan item forms, read into the same typed commands people type.

Every field is checked before anything is saved; problems come back per field, which Slack
shows under the field (`response_action: errors`). A form's command then runs through the
same path as a typed one (permissions, numbering, the board's post, App Home refreshes).
Modal inputs are not escaped by Slack, so they are taken as they are (never decoded)."""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grammar import slacktext
from grammar.commands import AddPaper, NewAction
from grammar.dates import due_problem
from grammar.registry import title_problem
from grammar.who import WhoError, read_who
from render import modals
from render.blocks import sections
from render.modals import BoardChoice
from service.conversation import Conversation, Speaker
from store import meetings, outbox, people, plan
from store.boards import find_board
from store.db import reading, unit_of_work
from store.models import Board
from store.terms import RECUR_MONTHS, Refusal, When, Who, describe

NEW_ACTION, PLAN_ITEM = modals.NEW_ACTION, modals.PLAN_ITEM
OPEN_NEW_ACTION, OPEN_PLAN_ITEM = modals.OPEN_NEW_ACTION, modals.OPEN_PLAN_ITEM
MAKE_ACTION = "make_action"  # the message shortcut's callback id (manifest.yml)
TYPED = {"New action": "/action new <title> owner <who> due <date>",
         "Read minutes": "python bot.py import minutes FILE --board <name>",
         "Add update": "/action update <ref> <what was done>",
         "Add plan item": "/plan add <title> for <meeting date | month | tbc> owner <who>"}
_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


def _fields(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """block_id -> the state of its one element (whatever shape Slack, or anyone, sent)."""
    values = ((view.get("state") or {}).get("values") or {}) if isinstance(view, dict) else {}
    if not isinstance(values, dict):
        return {}
    out = {}
    for block, elements in values.items():
        element = next(iter(elements.values()), {}) if isinstance(elements, dict) and elements else {}
        out[block] = element if isinstance(element, dict) else {}
    return out


def _text(fields: dict, name: str) -> str:
    value = (fields.get(name) or {}).get("value")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _selected(fields: dict, name: str) -> str | None:
    """A select's value; None (nothing chosen) for one no option of Clerk's has: too long, or with a
    control character (a NUL, which PostgreSQL would refuse to look up)."""
    option = (fields.get(name) or {}).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    if not isinstance(value, str) or len(value) > 150 or slacktext.problem(value):
        return None
    return value


def _checked(fields: dict, name: str) -> bool:
    return bool((fields.get(name) or {}).get("selected_options"))


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """A view's private_metadata: what Clerk put there, or nothing if it is not that."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except (ValueError, TypeError, AttributeError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _field_problem(fields: dict, name: str, what: str) -> str | None:
    text = (fields.get(name) or {}).get("value")
    return slacktext.problem(text) if isinstance(text, str) else None


# -- opening ---------------------------------------------------------------------------------

def board_choices(s: Session, channel: str | None, today: dt.date, *, with_meetings: bool = False
                  ) -> tuple[list[BoardChoice], str | None]:
    """The boards a form offers, and the one it starts on (the channel's, or the only one)."""
    boards = list(s.scalars(select(Board).order_by(Board.name)))
    choices = [BoardChoice(b.name, [(m.day, m.provisional) for m in meetings.upcoming(s, b, today, 12)]
                           if with_meetings else ()) for b in boards]
    here = next((b.name for b in boards if channel and b.channel_id == channel), None)
    return choices, here or (boards[0].name if len(boards) == 1 else None)


def message_title(s: Session, text: str) -> str:
    """A Slack message's text (escaped, as Slack stores it) as a title: mentions become the names
    Clerk knows, links their words."""
    def name(user_id: str) -> str | None:
        person = people.person_by_slack_id(s, user_id)
        return person.name if person else None

    return " ".join(slacktext.plain(slacktext.from_slack(text or ""), name).split())


def new_action_view(conversation: Conversation, channel: str | None, *, title: str = "", source: str | None = None,
                    from_message: bool = False) -> dict:
    with reading(conversation.read_sessions) as s:
        boards, board = board_choices(s, channel, conversation.today(conversation.clock()))
        if from_message:
            title = message_title(s, title)
    return modals.new_action(boards, board=board, title=title, source=source, channel=channel)


def plan_item_view(conversation: Conversation, channel: str | None) -> dict:
    today = conversation.today(conversation.clock())
    with reading(conversation.read_sessions) as s:
        boards, board = board_choices(s, channel, today, with_meetings=True)
    return modals.plan_item(boards, board=board, today=today, channel=channel)


def form_for_command(conversation: Conversation, command: str, text: str, channel: str | None,
                     user: str | None = None) -> tuple[str, dict] | None:
    """`/action new`, `/plan add` or `/action minutes` with nothing after them: (what, the form); else None.
    The minutes form opens only for a board's chair or secretary (`user`); for anyone else the command
    itself answers, with who may."""
    from service.minutes import paste_form

    words = " ".join(text.split()).lower()
    if command == "/action" and words == "new":
        return "New action", new_action_view(conversation, channel)
    if command == "/plan" and words == "add":
        return "Add plan item", plan_item_view(conversation, channel)
    if command == "/action" and words == "minutes" and _an_officer(conversation, user):
        return "Read minutes", paste_form(conversation, channel)
    return None


def _an_officer(conversation: Conversation, user: str | None) -> bool:
    with reading(conversation.read_sessions) as s:
        person = people.person_by_slack_id(s, user) if user else None
        return person is not None and bool(people.officer_boards(s, person))


def could_not_open(what: str, error: str) -> str:
    why = ("Slack is busy right now" if error in ("ratelimited", "rate_limited") else
           "Clerk's connection to Slack was revoked; a Slack admin must reinstall it" if error in (
               "token_revoked", "app_uninstalled", "invalid_auth", "account_inactive") else
           "Slack took too long to open it")
    return f"The {what} form could not open: {why} ({error}). Try again, or type it: `{TYPED.get(what, what)}`"


def tell_could_not_open(conversation: Conversation, user: str, channel: str | None, what: str, error: str) -> None:
    """Said to the person where they were: ephemeral in the channel (DM if that fails), a DM from App Home."""
    note = could_not_open(what, error)
    with unit_of_work(conversation.sessions) as s:
        outbox.enqueue(s, channel or user, note, conversation.clock(), blocks=sections([note]),
                       ephemeral_to=user if channel else None, fallback_to=[user] if channel else None)


# -- submitting ------------------------------------------------------------------------------

def _owners(s: Session, fields: dict, errors: dict[str, str], now: dt.datetime) -> tuple[Who, ...]:
    picked = (fields.get("owners") or {}).get("selected_users") or []
    if not isinstance(picked, list) or not all(isinstance(u, str) and _USER.match(u) for u in picked):
        errors["owners"] = "Pick the owners from the list."
        picked = []
    owners = [Who("slack", user) for user in picked]
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
    return tuple(owners)


def _board(s: Session, fields: dict, errors: dict[str, str]) -> Board | None:
    name = _selected(fields, "board")
    board = find_board(s, name) if name else None
    if board is None:
        errors["board"] = "Choose the board whose log it goes on." if not name else f"There is no board “{name[:80]}” now."
    return board


def _day(value: Any, errors: dict[str, str], name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str) or not _ISO_DAY.match(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = "Pick a date from the calendar."
        return None


def action_command(s: Session, view: dict[str, Any], today: dt.date, now: dt.datetime) -> NewAction:
    fields, errors = _fields(view), {}
    title = _text(fields, "title")
    if problem := _field_problem(fields, "title", "title") or title_problem(title):
        errors["title"] = problem
    owners = _owners(s, fields, errors, now)
    due = _day((fields.get("due") or {}).get("selected_date"), errors, "due")
    if due is not None and (problem := due_problem(due, today)):
        errors["due"] = problem
    board = _board(s, fields, errors)
    if errors:
        raise FormErrors(errors)
    source = metadata(view).get("source")
    return NewAction(title=title, owners=owners, due=When("day", due) if due else None, board=board.name,
                     private=_checked(fields, "private"),
                     source=source if isinstance(source, str) and source.startswith("https://") else None)


def _when(s: Session, value: str | None, board: Board | None, today: dt.date, errors: dict[str, str]) -> When | None:
    if not value:
        errors["when"] = "Choose a meeting, a month, the next meeting or TBC."
        return None
    kind, _, rest = value.partition(":")
    try:
        if kind == "day":
            day, _, board_name = rest.partition(":")
            when = When("day", dt.date.fromisoformat(day))
            if board is not None and board_name != board.name:
                errors["when"] = f"{describe(when.day)} is a meeting of {board_name[:80]}, not {board.name}."
                return None
        elif kind == "month":
            when = When("month", dt.date.fromisoformat(rest))
        elif value in ("next meeting", "tbc"):
            when = When(value)
        else:
            raise ValueError
    except ValueError:
        errors["when"] = "Choose a meeting, a month, the next meeting or TBC from the list."
        return None
    if board is not None:
        try:
            plan.place_for(s, board, when, today)
        except Refusal as exc:
            errors["when"] = exc.message
    return when


def plan_command(s: Session, view: dict[str, Any], today: dt.date, now: dt.datetime) -> AddPaper:
    fields, errors = _fields(view), {}
    title = _text(fields, "title")
    if problem := _field_problem(fields, "title", "title") or title_problem(title, "paper"):
        errors["title"] = problem
    board = _board(s, fields, errors)
    when = _when(s, _selected(fields, "when"), board, today, errors)
    owners = _owners(s, fields, errors, now)
    recurrence = _selected(fields, "recurrence")
    if recurrence is not None and recurrence not in RECUR_MONTHS:
        errors["recurrence"] = "A paper repeats monthly or quarterly."
    if errors:
        raise FormErrors(errors)
    return AddPaper(title=title, when=when, owners=owners, board=board.name, recurrence=recurrence,
                    private=_checked(fields, "private"))


BUILDERS: dict[str, Callable[[Session, dict, dt.date, dt.datetime], Any]] = {
    NEW_ACTION: action_command, PLAN_ITEM: plan_command}


def submit(conversation: Conversation, callback_id: str, user: str, view: dict) -> dict[str, str] | None:
    """Run a submitted form; the field errors to show, or None when it was done."""
    meta = metadata(view)
    channel = meta.get("channel") if isinstance(meta.get("channel"), str) else None
    who = Speaker(user_id=user, channel_id=channel, surface="form")
    now = conversation.clock()
    try:
        with reading(conversation.read_sessions) as s:
            command = BUILDERS[callback_id](s, view, conversation.today(now), now)
        view_id = view.get("id") if isinstance(view.get("id"), str) else None
        conversation.run(command, who, delivery_id=f"view:{view_id}" if view_id else None, raise_refusals=True)
    except FormErrors as exc:
        return exc.errors
    except Refusal as exc:  # the rules of the log (e.g. who may add to the plan): on the board
        return {"board": exc.message[:150]}
    return None
