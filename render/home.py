"""A person's App Home: their actions (most urgent first, with buttons), their papers, the next
meetings of their boards; for a chair the digest in brief, for a secretary the papers not received.
Within Slack's 100 blocks a view, however many actions a person has: the rest are counted."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from render.actions import line
from render.blocks import MAX_BLOCKS_PER_VIEW, context, divider, header, section, sections
from render.fmt import MRKDWN
from render.minutes import OPEN_MINUTES
from render.modals import OPEN_NEW_ACTION, OPEN_PLAN_ITEM
from render.reminders import action_buttons, button
from store.models import Action, ForwardPlanItem, Meeting
from store.terms import describe

MAX_ACTIONS_SHOWN = 20  # two blocks each


@dataclass
class BoardSummary:
    name: str
    open: int
    overdue: int
    due_soon: int
    next_meeting: Meeting | None
    chair: bool
    secretary: bool
    papers_not_received: list[str] = field(default_factory=list)


def _form_buttons(officer: bool, secretary: bool = False) -> dict[str, Any]:
    """The forms: anyone raises an action; the chair and secretaries keep the forward plan; a
    secretary reads minutes into the log."""
    elements = [button(OPEN_NEW_ACTION, "New action", "new", "primary")]
    if officer:
        elements.append(button(OPEN_PLAN_ITEM, "Add plan item", "new"))
    if secretary:
        elements.append(button(OPEN_MINUTES, "Read minutes", "new"))
    return {"type": "actions", "block_id": "forms", "elements": elements}


def home_view(name: str, actions: Sequence[Action], papers: Sequence[tuple[ForwardPlanItem, dt.date | None]],
              boards: Sequence[BoardSummary], today: dt.date) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [header(f"Clerk — {name}"), _form_buttons(any(b.chair or b.secretary for b in boards),
                                                                             any(b.secretary for b in boards))]
    blocks.append(section(MRKDWN.bold(f"Your open actions ({len(actions)})") if actions else
                          "You have no open actions. Raise one with `/action new`."))
    for action in actions[:MAX_ACTIONS_SHOWN]:
        blocks += [section(line(action, MRKDWN, today, with_owners=len(action.owners) > 1)), action_buttons(action)]
    if len(actions) > MAX_ACTIONS_SHOWN:
        blocks.append(context(f"… and {len(actions) - MAX_ACTIONS_SHOWN} more, less urgent: `/action list mine`"))
    blocks.append(divider())
    if papers:
        lines = [MRKDWN.bold(f"Your papers ({len(papers)})")]
        for item, deadline in papers[:30]:
            when = f"paper deadline {describe(deadline)}" if deadline else "no meeting yet"
            lines.append(f"• {MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} — {when}")
        if len(papers) > 30:
            lines.append(f"… and {len(papers) - 30} more: `/plan list`")
        blocks += sections(lines)
        blocks.append(divider())
    for board in boards:
        lines = [MRKDWN.bold(MRKDWN.esc(board.name))]
        if board.next_meeting is not None:
            m = board.next_meeting
            lines.append(f"Next meeting: {describe(m.day)}" + (f" at {m.time:%H:%M}" if m.time else "")
                         + (" (provisional)" if m.provisional else ""))
        else:
            lines.append("No meeting scheduled: `/meeting add <date>`")
        if board.chair or board.secretary:
            lines.append(f"{board.open} open actions · {board.overdue} overdue · {board.due_soon} due in 14 days"
                         " — `/action digest`")
        if board.secretary:
            if board.papers_not_received:
                lines.append("Papers not received: " + ", ".join(board.papers_not_received))
            lines.append(f"Settings: `/clerk settings board {MRKDWN.esc(board.name)}`")
        blocks += sections(lines)
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS_PER_VIEW]}
