"""Messages about actions carry their buttons; reminder DMs are one per person per run.

Which buttons depend on the action's state: an open action can be marked done, snoozed or
updated; a proposed or conditional closure can be confirmed (by the chair or a secretary) or
updated; a closed one can be reopened. Pressing one changes the message in place."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from render.actions import MAX_TITLE_SHOWN, line
from render.blocks import MAX_BLOCKS_PER_MESSAGE, MAX_MESSAGE_BLOCK_TEXT, Message, block_text, section
from render.fmt import MRKDWN
from store.models import CLOSED, OPEN, Action

DONE, SNOOZE, UPDATE, CONFIRM, REOPEN = "action_done", "action_snooze", "action_update", "action_confirm", "action_reopen"


def button(action_id: str, text: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text}, "value": value}
    return button | ({"style": style} if style else {})


def action_buttons(action: Action) -> dict[str, Any]:
    """The actions block for one action: its block_id names the action, so a press finds its place."""
    value = str(action.id)
    if action.status == OPEN:
        elements = [button(DONE, "Mark done", value, "primary"), button(SNOOZE, "Snooze a week", value),
                    button(UPDATE, "Add update", value)]
    elif action.status == CLOSED:
        elements = [button(REOPEN, "Reopen", value)]
    else:  # closure proposed, or closing when a condition is met
        elements = [button(CONFIRM, "Confirm closure", value, "primary"), button(UPDATE, "Add update", value)]
    return {"type": "actions", "block_id": block_id(action.id), "elements": elements}


def block_id(action_id: int) -> str:
    return f"action-{action_id}"


def card(action: Action, today, *, visible: bool = True) -> list[dict[str, Any]]:
    """One action as a message: its line, and its buttons."""
    return [section(line(action, MRKDWN, today, visible=visible)), action_buttons(action)]


def refreshed(blocks: Sequence[dict[str, Any]], action: Action, today, *, visible: bool = True) -> list[dict[str, Any]]:
    """A posted message's blocks with this action's line and buttons brought up to date; the
    rest of the message (other actions in a reminder, headings) is kept as it was."""
    out = [dict(b) for b in blocks]
    at = next((i for i, b in enumerate(out) if b.get("block_id") == block_id(action.id)), None)
    if at is None:
        return card(action, today, visible=visible)
    out[at] = action_buttons(action)
    if at > 0 and out[at - 1].get("type") == "section":
        out[at - 1] = section(line(action, MRKDWN, today, visible=visible))
    return out


def reminder_messages(heading: str, items: Sequence[tuple[Action, str]], today) -> list[tuple[Message, int]]:
    """items: (action, why now: "due in 7 days", "due today", "2 weeks overdue"). As many messages
    as Slack's limits need (50 blocks and MAX_MESSAGE_BLOCK_TEXT characters of text each), each with
    how many of the items, in order, it carries."""
    messages: list[tuple[Message, int]] = []
    blocks: list[dict[str, Any]] = []
    lines: list[str] = []
    carried = used = 0
    for action, why in items:
        card = [section(f"{line(action, MRKDWN, today)}\n_{why}_"), action_buttons(action)]
        size = sum(block_text(b) for b in card)
        if blocks and (len(blocks) + len(card) > MAX_BLOCKS_PER_MESSAGE or used + size > MAX_MESSAGE_BLOCK_TEXT):
            messages.append((Message("\n".join(lines), blocks), carried))
            blocks, carried = [], 0
        if not blocks:
            blocks, lines = [section(MRKDWN.bold(MRKDWN.esc(heading)))], [MRKDWN.esc(heading)]
            used = block_text(blocks[0])
        blocks += card
        used += size
        carried += 1
        lines.append(f"{action.ref} {MRKDWN.clip(action.title, MAX_TITLE_SHOWN)} — {why}")
    if blocks:
        messages.append((Message("\n".join(lines), blocks), carried))
    return messages
