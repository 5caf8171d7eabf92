"""The New action and Add plan item forms (Block Kit modals).

Block and action ids are the field names the form service reads back and puts its errors on."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from render.blocks import context
from store.terms import MAX_TITLE, describe

NEW_ACTION, PLAN_ITEM = "new_action_modal", "plan_item_modal"  # callback ids of the forms
OPEN_NEW_ACTION, OPEN_PLAN_ITEM = "open_new_action", "open_plan_item"  # the buttons that open them
MAX_OPTIONS = 100  # Slack's limit for a select's options, all groups together
MAX_MEETINGS_PER_BOARD = 12
MONTHS_AHEAD = 12


@dataclass
class BoardChoice:
    name: str
    meetings: Sequence[tuple[dt.date, bool]] = ()  # (day, provisional) of coming meetings


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text[:75]), "value": value[:150]}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
           hint: str | None = None) -> dict[str, Any]:
    block = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element, "optional": optional}
    return block | ({"hint": _plain(hint)} if hint else {})


def _board_select(boards: Sequence[BoardChoice], chosen: str | None) -> dict[str, Any]:
    options = [_option(b.name, b.name) for b in boards[:MAX_OPTIONS]]
    element = {"type": "static_select", "action_id": "value", "placeholder": _plain("Which board's log"),
               "options": options}
    initial = next((o for o in options if o["value"] == chosen), options[0] if len(options) == 1 else None)
    return element | ({"initial_option": initial} if initial else {})


def _owners_inputs(nobody: str) -> list[dict[str, Any]]:
    return [
        _input("owners", "Owners on Slack", {"type": "multi_users_select", "action_id": "value",
                                              "placeholder": _plain("Pick people")}, optional=True, hint=nobody),
        _input("others", "Owners not on Slack", {"type": "plain_text_input", "action_id": "value", "max_length": 300,
                                                  "placeholder": _plain("Initials or registered names, e.g. GN and RH")},
               optional=True, hint="Register someone with /clerk person GN Gareth Nicholson."),
    ]


def _private_input(what: str) -> dict[str, Any]:
    return _input("private", "Part B", {"type": "checkboxes", "action_id": "value", "options": [
        {"text": _plain("Private (Part B)"), "value": "private",
         "description": _plain(f"Only owners, the chair and secretaries see the {what}"[:75])}]}, optional=True)


def new_action(boards: Sequence[BoardChoice], *, board: str | None, title: str = "", source: str | None = None,
               channel: str | None = None) -> dict[str, Any]:
    """The New action form; from a message it comes with the message's text and a link back to it."""
    title_element = {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": MAX_TITLE,
                     "placeholder": _plain("e.g. Circulate the OSG paper to Panel members")}
    if title:
        title_element["initial_value"] = " ".join(title.split())[:MAX_TITLE]
    blocks = [
        _input("title", "Action", title_element),
        *_owners_inputs("Nobody picked and nobody named: the action is yours."),
        _input("due", "Due", {"type": "datepicker", "action_id": "value", "placeholder": _plain("No due date")},
               optional=True),
        _input("board", "Board", _board_select(boards, board)),
        _private_input("action's text"),
    ]
    if source:
        blocks.insert(0, context(f"From <{source}|this message>; its history will keep the link."))
    return {"type": "modal", "callback_id": NEW_ACTION, "title": _plain("New action"), "submit": _plain("Raise"),
            "close": _plain("Cancel"), "private_metadata": json.dumps({"channel": channel, "source": source}),
            "blocks": blocks}


def _when_groups(boards: Sequence[BoardChoice], today: dt.date) -> list[dict[str, Any]]:
    groups, room = [], MAX_OPTIONS - 2 - MONTHS_AHEAD
    for board in boards:
        options = []
        for day, provisional in list(board.meetings)[:min(MAX_MEETINGS_PER_BOARD, room)]:
            options.append(_option(f"{describe(day)}{' (provisional)' if provisional else ''}",
                                   f"day:{day.isoformat()}:{board.name}"))
        room -= len(options)
        if options:
            groups.append({"label": _plain(f"Meetings of {board.name}"[:75]), "options": options})
    first = today.replace(day=1)
    months = []
    for n in range(MONTHS_AHEAD):
        month = dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        months.append(_option(f"{month:%B %Y} (its first meeting, once added)", f"month:{month.isoformat()}"))
    groups.append({"label": _plain("A month"), "options": months})
    groups.append({"label": _plain("Not fixed"), "options": [
        _option("The next meeting", "next meeting"), _option("To be confirmed (TBC)", "tbc")]})
    return groups


def plan_item(boards: Sequence[BoardChoice], *, board: str | None, today: dt.date,
              channel: str | None = None) -> dict[str, Any]:
    """The Add plan item form: a paper, the meeting (or month, or TBC) it goes to, who writes it."""
    when = {"type": "static_select", "action_id": "value", "placeholder": _plain("Meeting, month or TBC"),
            "option_groups": _when_groups(boards, today)}
    recurrence = {"type": "static_select", "action_id": "value", "placeholder": _plain("Once"),
                  "options": [_option("Monthly", "monthly"), _option("Quarterly", "quarterly")]}
    blocks = [
        _input("title", "Paper", {"type": "plain_text_input", "action_id": "value", "max_length": MAX_TITLE,
                                  "placeholder": _plain("e.g. Q2 Performance Report")}),
        _input("board", "Board", _board_select(boards, board)),
        _input("when", "For", when),
        *_owners_inputs("Who writes the paper; it can be left empty."),
        _input("recurrence", "Repeats", recurrence, optional=True),
        _private_input("paper's title"),
    ]
    return {"type": "modal", "callback_id": PLAN_ITEM, "title": _plain("Add plan item"), "submit": _plain("Add"),
            "close": _plain("Cancel"), "private_metadata": json.dumps({"channel": channel}), "blocks": blocks}
