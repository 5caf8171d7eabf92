"""How actions read: one line in a list, the full story in `show`, the board's post on a change,
and the chair's digest. Pure functions of store objects and a format (mrkdwn or plain)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence

from render.fmt import Plain
from store.actions import Change, overdue, status_label
from store.models import Action, ActionEvent, Person
from store.terms import OPEN_STATES, describe
from store.words import count, listed

DUE_SOON_DAYS = 14
# A one-line view (lists, reminders, cards, App Home) fits one 3,000-character section whatever
# was typed: each field is cut with "…" at these many characters as sent (after escaping, so a
# title of 500 "&" still fits); `/action show` has the whole text.
MAX_TITLE_SHOWN = 1200
MAX_OWNERS_SHOWN = 600
MAX_STATE_SHOWN = 300


def who(people: Sequence[Person]) -> str:
    return listed(p.label for p in people) if people else "no owner"


def due_text(action: Action, today: dt.date) -> str:
    if action.due is None:
        return f"due {action.due_note}" if action.due_note else "no due date"
    if overdue(action, today):
        days = (today - action.due).days
        return f"was due {describe(action.due)} ({count(days, 'day')} overdue)"
    return f"due {describe(action.due)}"


def line(action: Action, fmt: Plain, today: dt.date, *, visible: bool = True, with_owners: bool = True) -> str:
    """`74/18 Mobile Policing — AH — due Thu 3 Jan 2019 — open`."""
    if not visible:
        return f"{fmt.bold(action.ref)} Part B action (text not shown here)"
    parts = [f"{fmt.bold(action.ref)} {fmt.clip(action.title, MAX_TITLE_SHOWN)}"]
    if with_owners:
        parts.append(fmt.clip(who(action.owners), MAX_OWNERS_SHOWN))
    if action.status in OPEN_STATES:
        parts.append(due_text(action, today))
    state = status_label(action)
    if len(state) > MAX_STATE_SHOWN:  # a closing condition may be long; `/action show` has all of it
        state = state[:MAX_STATE_SHOWN - 1].rstrip() + "…"
    parts.append(fmt.clip(state, MAX_STATE_SHOWN) + (f" {action.closed:%d %b %Y}" if action.closed else ""))
    if action.private:
        parts.append("Part B")
    return " — ".join(parts)


def event_line(ev: ActionEvent, fmt: Plain) -> str:
    by = f" ({fmt.esc(ev.person.label)})" if ev.person else ""
    day = f"{ev.dated:%d %b %Y}"
    if ev.kind == "raised":
        source = ev.text or ""
        body = "raised" + (f" from a Slack message: {fmt.esc(source)}" if source.startswith("https://") else
                           f" ({fmt.esc(source)})" if source else "")
    elif ev.kind == "update":
        body = f"update: {fmt.esc(ev.text or '')}"
    elif ev.kind == "status":
        body = f"{fmt.esc(ev.old or '')} → {fmt.esc(ev.new or '')}" + (f": {fmt.esc(ev.text)}" if ev.text else "")
    elif ev.kind == "due":
        body = f"due date {ev.old or 'none'} → {ev.new}"
    elif ev.kind == "snoozed":
        body = f"reminders snoozed until {ev.new}"
    elif ev.kind == "owners":
        body = f"owners {fmt.esc(ev.old or 'none')} → {fmt.esc(ev.new or '')}"
    else:
        body = f"{ev.kind}: {fmt.esc(ev.old or '')} → {fmt.esc(ev.new or '')}"
    return f"{day}{by} {body}"


def detail(action: Action, events: Sequence[ActionEvent], fmt: Plain, today: dt.date) -> list[str]:
    lines = [f"{fmt.bold(action.ref)} {fmt.esc(action.title)}",
             f"Board: {fmt.esc(action.board.name)}" + (" · Part B (private)" if action.private else ""),
             f"Owners: {fmt.esc(who(action.owners))}",
             f"Status: {fmt.esc(status_label(action))}" + (f" on {describe(action.closed)}" if action.closed else ""),
             f"Due: {due_text(action, today).removeprefix('due ')}",
             f"Raised: {describe(action.raised)}",
             fmt.bold("History")]
    lines += [f"• {event_line(ev, fmt)}" for ev in events]
    return lines


_CLAUSE_VERBS = frozenset("is are was were has have had been be being will would can could shall should may might "
                          "gets get got comes come agrees agree approves approve confirms confirm receives receive "
                          "arrives arrive meets meet".split())


def condition_words(condition: str) -> str:
    """"upon evaluation of the updated paper" (a noun phrase), or "when the delivery date is
    identified" (a clause): the word that makes "can close … " read as the board would write it."""
    words = {w.strip(".,;:").lower() for w in condition.split()}
    return f"{'when' if words & _CLAUSE_VERBS else 'upon'} {condition}"


def what_happened(change: Change, fmt: Plain, *, visible: bool = True) -> str:
    """What the board reads: "closed", "can close upon …", "due date changed to Thu 3 Jan 2019".
    `visible=False` (a Part B item in a public channel): what happened, without anything typed."""
    kind = change.kind
    if kind == "closing when":
        return f"can close {fmt.esc(condition_words(change.new or ''))}" if visible else \
            "can close once a condition is met (not shown here)"
    if kind == "due":
        return f"due date changed to {describe(dt.date.fromisoformat(change.new))}"
    if kind == "snoozed":
        return f"reminders snoozed until {describe(dt.date.fromisoformat(change.new))}"
    if kind == "owners":
        return f"owners now {fmt.esc(listed((change.new or '').split('; ')) or 'nobody')}" if visible else "owners changed"
    return {"proposed": "closure proposed (the chair or a secretary confirms it)",
            "confirmed": "closure confirmed; closed"}.get(kind, kind)


def change_post(change: Change, actor: Person | None, fmt: Plain, today: dt.date, *, visible: bool = True) -> str:
    """What the board's channel sees, e.g. `74/18 closed by Anna Hook (AH) — Mobile Policing`; for a
    Part B item where the channel is public, the ref and what happened, and no text anyone typed."""
    action = change.action
    what = what_happened(change, fmt, visible=visible)
    by = (f"; set by {fmt.esc(actor.signature)}" if change.kind == "closing when" and visible else
          f" by {fmt.esc(actor.signature)}") if actor else ""
    if not visible:
        return f"{fmt.bold(action.ref)} (Part B) {what}{by}."
    text = f"{fmt.bold(action.ref)} {what}{by} — {fmt.esc(action.title)}"
    if change.note and change.kind != "raised":
        text += f"\n> {fmt.esc(change.note)}"
    if change.kind == "raised":
        text += f"\nOwners: {fmt.esc(who(action.owners))} · {due_text(action, today)}"
    return text


def listing(title: str, actions: Sequence[Action], fmt: Plain, today: dt.date,
            visible: Callable[[Action], bool], *, with_board: bool = False) -> list[str]:
    """`with_board`: the list spans boards, so each line names its board (2/26 may be on two)."""
    if not actions:
        return [f"{title}: none."]
    lines = [fmt.bold(f"{title} ({len(actions)})")]
    hidden = [a for a in actions if not visible(a)]
    lines += [f"• {_on(a, fmt, with_board)}{line(a, fmt, today)}" for a in actions if visible(a)]
    if hidden:
        lines.append(f"… and {count(len(hidden), 'Part B action')} not shown here.")
    return lines


def _on(action: Action, fmt: Plain, with_board: bool) -> str:
    return f"{fmt.esc(action.board.name)}: " if with_board else ""


def digest_groups(actions: Sequence[Action], today: dt.date) -> tuple[list[Action], list[Action], list[Action]]:
    """Open actions as the chair reads them: overdue (oldest first), due in the next 14 days (soonest
    first), then the rest (by due date, undated last); ties by ref. The one order for the chat
    reply, the weekly DM, App Home's figures and the meeting pack."""
    order = lambda a: (a.due is None, a.due or today, a.year, a.number)
    open_actions = sorted((a for a in actions if a.status in OPEN_STATES), key=order)
    soon_end = today + dt.timedelta(days=DUE_SOON_DAYS)
    late = [a for a in open_actions if overdue(a, today)]
    soon = [a for a in open_actions if a.due and today <= a.due <= soon_end]
    rest = [a for a in open_actions if not (a.due and a.due <= soon_end)]
    return late, soon, rest


def digest(board_name: str, actions: Sequence[Action], fmt: Plain, today: dt.date,
           visible: Callable[[Action], bool]) -> list[str]:
    """The chair's view: counts that add up, then the overdue and the due-soon actions (each line
    naming its owners), then the rest by owner, a joint action under every one of its owners.
    Part B actions the reader may not see are counted, not shown."""
    late, soon, rest = digest_groups(actions, today)
    total = len(late) + len(soon) + len(rest)
    awaiting = sum(a.status != "open" for a in late + soon + rest)
    lines = [fmt.bold(f"{fmt.esc(board_name)}: {count(total, 'open action')}"),
             f"{len(late)} overdue + {len(soon)} due in the next {DUE_SOON_DAYS} days + {len(rest)} due later or "
             f"undated = {total}" + (f"; {awaiting} of the {total} await closure (proposed, or when a condition is met)"
                                     if awaiting else "")]
    for heading, group in (("Overdue (oldest first)", late), (f"Due in the next {DUE_SOON_DAYS} days", soon)):
        if group:
            lines.append(fmt.bold(f"{heading} — {len(group)}"))
            lines += [f"• {line(a, fmt, today)}" for a in group if visible(a)]
            lines += _hidden(sum(not visible(a) for a in group))
    if rest:
        lines.append(fmt.bold(f"The rest, by owner — {len(rest)}"))
        by_owner: dict[str, list[Action]] = defaultdict(list)
        for a in rest:
            if visible(a):
                for owner in a.owners or [None]:
                    by_owner[owner.label if owner else "no owner"].append(a)
        for owner in sorted(by_owner):
            lines.append(fmt.italic(fmt.esc(owner)))
            for a in by_owner[owner]:
                others = [o.label for o in a.owners if o.label != owner]
                joint = f" (joint with {fmt.esc(listed(others))})" if others else ""
                lines.append(f"• {line(a, fmt, today, with_owners=False)}{joint}")
        lines += _hidden(sum(not visible(a) for a in rest))
    return lines


def _hidden(n: int) -> list[str]:
    return [f"{count(n, 'Part B action')} (text not shown here)"] if n else []
