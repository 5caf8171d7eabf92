"""How boards and people read: who holds a board's roles, its settings, a person's record, and the
history of changes to people and roles."""
from __future__ import annotations

import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from render.fmt import Plain
from store.models import Board, PeopleEvent, Person
from store.people import chair_of, members_of, on_slack, secretaries_of
from store.words import count, listed, plural


def channel(channel_id: str | None, fmt: Plain) -> str:
    if not channel_id:
        return "none yet"
    if channel_id.startswith("#"):  # named at the console, not yet resolved through Slack
        return fmt.esc(channel_id)
    return f"<#{channel_id}>" if fmt.slack else channel_id


def board_lines(board: Board, fmt: Plain, tz: ZoneInfo, *, members: bool = False) -> list[str]:
    chair = chair_of(board)
    secretaries = secretaries_of(board)
    lines = [f"Chair: {fmt.esc(chair.signature) if chair else 'none yet'}",
             f"Secretaries: {fmt.esc(listed(p.signature for p in secretaries)) or 'none yet'}",
             f"Channel: {channel(board.channel_id, fmt)}",
             f"closure {board.closure_rule} · numbering {board.numbering} · paper-deadline "
             f"{count(board.paper_deadline_days, 'working day')} · publication {count(board.publication_days, 'working day')} · "
             f"reminders {board.reminder_days} "
             f"{plural('day', 2 if ',' in board.reminder_days else int(board.reminder_days or 0))} "
             f"before · timezone {board.timezone or tz.key} · "
             f"digest-day {board.digest_day}"]
    if members:
        everyone = members_of(board)
        lines.append(f"Members ({len(everyone)}): " + (fmt.esc(", ".join(p.label for p in everyone)) or "none yet"))
    return lines


def person_lines(person: Person, boards: Sequence[Board], actions: int, papers: int, fmt: Plain) -> list[str]:
    slack = f"on Slack as <@{person.slack_user_id}>" if on_slack(person) and fmt.slack else \
        "on Slack" if on_slack(person) else "not on Slack (reminders go to the board's secretaries)"
    roles = []
    for board in boards:
        held = sorted({r.role for r in board.roles if r.person_id == person.id})
        roles.append(f"{board.name} ({', '.join(held)})")
    return [f"{fmt.bold(person.label)} {fmt.esc(person.name)}, {slack}",
            f"Boards: {fmt.esc('; '.join(roles)) or 'none yet'}",
            f"{count(actions, 'open action')} · {count(papers, 'paper')}"]


_WORDS = {"registered": "registered", "initials": "initials", "name": "name", "slack": "Slack user",
          "merged": "merged", "role+": "given the role", "role-": "no longer", "board": "board set up",
          "channel": "channel", "setting": "setting"}


def history(events: Sequence[PeopleEvent], fmt: Plain, *, name_people: bool = False) -> list[str]:
    """`name_people`: a board's history, where each change says whose it was."""
    if not events:
        return []
    lines = [fmt.bold("Changes")]
    for ev in events:
        by = f" (by {fmt.esc(ev.actor.label)})" if ev.actor is not None else ""
        if name_people and ev.person is not None and ev.kind in ("role+", "role-", "registered"):
            by += f" {fmt.esc(ev.person.label)}"
        what = _WORDS.get(ev.kind, ev.kind)
        if ev.kind == "merged":
            change = f"{fmt.esc(ev.old or '')} merged into {fmt.esc(ev.new or '')}"
        elif ev.old and ev.new:
            change = f"{what} {_shown(ev.old, fmt)} → {_shown(ev.new, fmt)}"
        else:
            change = f"{what} {_shown(ev.new or ev.old or '', fmt)}".strip()
        lines.append(f"• {ev.at:%d %b %Y}{by} {change}")
    return lines


_SLACK_ID = re.compile(r"<@([UW][A-Z0-9]{2,31})>")


def _shown(value: str, fmt: Plain) -> str:
    """A value may hold a name someone typed: escaped, like all user text. A Slack user id the
    store recorded (`<@U…>`, never typed text) reads as that person."""
    parts = _SLACK_ID.split(value)
    return "".join(fmt.esc(part) if i % 2 == 0 else (f"<@{part}>" if fmt.slack else f"@{part}")
                   for i, part in enumerate(parts))
