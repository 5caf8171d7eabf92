"""Reminder DMs: one per person per run, each action with its buttons."""
from __future__ import annotations

from typing import Any, Sequence

from render.actions import line
from render.blocks import MAX_BLOCKS_PER_MESSAGE, Message, section
from render.fmt import MRKDWN
from store.models import Action

DONE, SNOOZE, UPDATE = "action_done", "action_snooze", "action_update"


def action_buttons(action: Action) -> dict[str, Any]:
    value = str(action.id)
    return {"type": "actions", "block_id": f"action-{action.id}", "elements": [
        {"type": "button", "action_id": DONE, "text": {"type": "plain_text", "text": "Mark done"},
         "style": "primary", "value": value},
        {"type": "button", "action_id": SNOOZE, "text": {"type": "plain_text", "text": "Snooze a week"}, "value": value},
        {"type": "button", "action_id": UPDATE, "text": {"type": "plain_text", "text": "Add update"}, "value": value},
    ]}


def reminder_messages(heading: str, items: Sequence[tuple[Action, str]], today) -> list[Message]:
    """items: (action, why now: "due in 7 days", "due today", "2 weeks overdue")."""
    per_message = (MAX_BLOCKS_PER_MESSAGE - 1) // 2
    messages = []
    for start in range(0, len(items), per_message):
        chunk = items[start:start + per_message]
        blocks = [section(MRKDWN.bold(MRKDWN.esc(heading)))]
        lines = [MRKDWN.esc(heading)]
        for action, why in chunk:
            text = f"{line(action, MRKDWN, today)}\n_{why}_"
            blocks += [section(text), action_buttons(action)]
            lines.append(f"{action.ref} {MRKDWN.esc(action.title)} — {why}")
        messages.append(Message("\n".join(lines), blocks))
    return messages
