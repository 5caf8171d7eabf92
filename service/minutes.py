"""From the minutes to the log: read, review, apply.

The reader (grammar.minutes) proposes changes; here each becomes the line a secretary could have
typed (`action close 74/18`, `action new "…" owner SH and VH due 22/12/2018 numbered 90/18`,
`plan add "…" for March 2019 quarterly`), which is what she reviews: she clears a line to leave that
change out, or edits its owner, date or condition. Applying parses every line she kept with the
same grammar and runs them with the same runners, all in one transaction: a refusal of any one
rolls back all and is shown on its line. Every event they write says "from the minutes of <date>";
the board's channel is told once, with a summary (Part B items as refs only); the same minutes
applied again change nothing and say so."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from grammar import minutes as reader
from grammar.commands import Command, NewAction
from grammar.language import parse
from grammar.minutes import MinutesError
from render import minutes as minutes_view
from render.blocks import sections
from render.fmt import MRKDWN
from service.conversation import Conversation, Speaker, not_stored
from service.runners import RUNNERS
from store import boards, outbox, people
from store import permissions as rules
from store.db import reading, serially, unit_of_work
from store.models import Action, ActionEvent, Board, ForwardPlanItem, Meeting, MinutesApplied, PlanEvent
from store.permissions import Act
from store.terms import PaperStatus, Refusal, describe, in_words
from store.words import count

_STARTS_CONDITION = re.compile(r"when\b", re.I)  # a closing note read as `close <ref> when …` would be a condition
MAX_LINES = 90  # a review form has room for this many changes (Slack's 100 blocks a view)


@dataclass
class Line:
    """One proposed change as the secretary reviews it: what it is, the command, what to check."""

    label: str
    command: str  # empty: the reader could not make a command of it, or nothing to change (listed, not applied)
    notes: list[str] = field(default_factory=list)
    private: bool = False
    source: str = ""  # the minutes' words it was read from
    refused: str = ""  # why the log would refuse it as it stands (found by trying it, then rolled back)


@dataclass
class Review:
    board: str
    meeting: dt.date | None
    digest: str
    lines: list[Line]
    unplaced: list[str]
    summary: str
    warnings: list[str]
    rows: list[list[str]] = field(default_factory=list)  # change,ref,title,owners,due,condition,text

    def text(self) -> list[str]:
        """The proposal as one line per change, for a reply or a terminal."""
        out = [self.summary] + [f"! {w}" for w in self.warnings]
        for n, line in enumerate(self.lines, 1):
            out.append(f"{n}. {line.command or '(not applied)'}" + (f"   [{'; '.join(line.notes)}]" if line.notes else ""))
            if line.refused:
                out.append(f"   ✗ cannot be applied as it stands: {line.refused}")
            if line.source:
                out.append(f"   from: “{line.source}”")
        if self.unplaced:
            out.append(f"Not placed ({len(self.unplaced)} paragraphs, quoted):")
            out += [f"  “{p}”" for p in self.unplaced]
        return out


def digest_of(board_id: int, text: str, meeting: dt.date | None) -> str:
    words = " ".join(text.split())
    return hashlib.sha256(f"{board_id}|{meeting}|{words}".encode()).hexdigest()


def review(conversation: Conversation, text: str, *, board_name: str | None, channel: str | None,
           meeting: dt.date | None, who: Speaker) -> Review:
    """Read minutes against the board's log. Raises MinutesError or Refusal with one clear message."""
    today = conversation.today(conversation.clock())
    with reading(conversation.read_sessions) as s:
        board = boards.board_for(s, board_name, channel)
        if not conversation.is_operator(who):  # reading minutes is an officer's act: its review shows the log's refs
            rules.require(conversation._actor(s, who), Act.OFFICER_ACTION, board=board,
                          doing=f"read minutes into {board.name}'s log")
        refs = [a.ref for a in s.scalars(select(Action).where(Action.board_id == board.id))]
        known = {p.initials: p.name for p in people.members_of(board) if p.initials}
        chair, secretaries = people.chair_of(board), people.secretaries_of(board)
        offices = {"chair": chair.initials if chair else None,
                   "secretary": secretaries[0].initials if len(secretaries) == 1 else None}
        proposal = reader.read_minutes(text, meeting_date=meeting, today=today, refs=refs, people=known,
                                       roles=offices)
        if proposal.other_board:
            raise MinutesError(f"These minutes do not look like {board.name}'s: none of the actions they speak of "
                               f"is on its log. Choose the board they belong to.")
        papers = list(s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.board_id == board.id,
                                                              ForwardPlanItem.status != PaperStatus.DROPPED)))
        days = set(s.scalars(select(Meeting.day).where(Meeting.board_id == board.id, Meeting.cancelled.is_(False))))
        lines = [_line(change, proposal.meeting_date, papers, days) for change in proposal.changes]
        name, board_id = board.name, board.id
    for n, message in refusals(conversation, [line.command for line in lines], board_name=name, who=who).items():
        lines[n].refused = message
    return Review(name, proposal.meeting_date, digest_of(board_id, text, proposal.meeting_date), lines,
                  [u.text for u in proposal.unplaced], proposal.summary(), list(proposal.warnings),
                  proposal.as_csv_rows())


def lines_of_rows(rows: list[list[str]], meeting: dt.date | None, papers=(), days=frozenset()) -> list[Line]:
    """A proposal written as csv (change,ref,title,owners,due,condition,text), perhaps edited, as lines
    to apply: a row left out is a change left out."""
    out = []
    for row in rows:
        cells = dict(zip(reader.CSV_COLUMNS, (c.strip() for c in row)))
        kind = cells.get("change", "")
        if kind not in reader.KINDS or kind == reader.NOT_UNDERSTOOD:
            continue
        ref = cells.get("ref", "").split(" (")[0] or None
        owners = tuple(o.strip() for o in cells.get("owners", "").split(";") if o.strip())
        due_cell, condition = cells.get("due", ""), cells.get("condition", "")
        plan = kind in (reader.PLAN_ADD, reader.PLAN_DROP, reader.PLAN_TBC)
        due = None
        if not plan and kind != reader.MEETING_ADD and len(due_cell) == 10:
            due = dt.date.fromisoformat(due_cell)
        change = reader.Change(kind=kind, ref=ref, title=cells.get("title", ""), owners=owners, due=due,
                               due_words="" if due or plan else due_cell, condition="" if plan else condition,
                               text=cells.get("text", ""), when=due_cell if plan or kind == reader.MEETING_ADD else "",
                               recurrence=condition if plan else "",
                               provisional=kind == reader.MEETING_ADD and "provisional" in condition)
        out.append(_line(change, meeting, papers, days))
    return out


def _quoted(title: str) -> str:
    return '"' + title.replace('"', "'").replace("“", "'").replace("”", "'") + '"'


def _owners(change) -> str:
    return f" owner {' and '.join(change.owners)}" if change.owners else ""


def _line(change, meeting: dt.date | None, papers, days=frozenset()) -> Line:
    """The command a secretary would type for this change."""
    kind, notes = change.kind, list(change.notes)
    minutes_of = f"From the minutes of {in_words(meeting)}" if meeting else "From the minutes"
    if change.ref and not change.known_ref and kind not in (reader.NEW,):
        near = f"; nearest: {', '.join(change.nearest)}" if change.nearest else ""
        notes = [f"{change.ref} is not on the log{near}: correct the ref"] + [
            n for n in notes if not n.startswith(f"{change.ref} is not on the log")]
    if kind == reader.CLOSE:  # the minutes' own words about it are its closing note
        note = " ".join(change.text.split())
        command = f"action close {change.ref} {note if note and not _STARTS_CONDITION.match(note) else minutes_of}"
    elif kind == reader.CLOSE_WHEN:
        command = f"action close {change.ref} when {change.condition}"
    elif kind == reader.UPDATE:
        command = f"action update {change.ref} {change.text}" if change.text else ""
    elif kind == reader.NEW:
        due = f" due {change.due:%d/%m/%Y}" if change.due else (f" due {change.due_words}" if change.due_words else "")
        numbered = f" numbered {change.ref}" if change.ref else ""
        private = " private" if change.private else ""
        command = f"action new {_quoted(change.title)}{_owners(change)}{due}{private}{numbered}"
        if not change.owners:
            notes.append("no owner in the minutes: add one, or it is yours")
    elif kind in (reader.PLAN_ADD, reader.PLAN_TBC):
        when = _when_words(change.when, days) if kind == reader.PLAN_ADD else "tbc"
        recurrence = f" {change.recurrence}" if change.recurrence else ""
        private = " private" if change.private else ""
        title = change.title or "(the paper's title)"
        command = f"plan add {_quoted(title)} for {when}{_owners(change)}{recurrence}{private}"
        if not change.title:
            notes.append("the minutes give no title: write one")
    elif kind == reader.PLAN_DROP:
        item = _paper_named(papers, change.title, change.when)
        command = f"plan drop FP-{item.number} {minutes_of}" if item else ""
        if item is None:
            notes.append(f"no paper like “{change.title}” is on the plan")
    elif kind == reader.MEETING_ADD and change.when_date in days:  # the next meeting, already on the calendar
        command = ""
        notes.append(f"{in_words(change.when_date)} is already a meeting of the board: no change")
    elif kind == reader.MEETING_ADD:
        at = f" {change.time:%H:%M}" if change.time else ""
        command = f"meeting add {change.when_date:%d/%m/%Y}{at}" + (" provisional" if change.provisional else "") \
            if change.when_date else ""
    elif kind == reader.DECISION:
        command = ""
        notes.insert(0, f"the board's decision: “{change.title}”; nothing to change on the log")
    else:
        command = ""
    label = _label(change) if not (kind == reader.MEETING_ADD and not command) else "Meeting already scheduled"
    return Line(label, command, notes, change.private, change.source)


def _label(change) -> str:
    ref = f" {change.ref}" if change.ref else ""
    return {reader.CLOSE: f"Close{ref}", reader.CLOSE_WHEN: f"Close{ref} when…", reader.UPDATE: f"Update{ref}",
            reader.NEW: f"New action{ref}", reader.PLAN_ADD: "Add to the plan", reader.PLAN_TBC: "Add to the plan (TBC)",
            reader.PLAN_DROP: "Drop from the plan", reader.MEETING_ADD: "Add a meeting",
            reader.DECISION: "Decision"}.get(change.kind, "Not understood")


def _when_words(when: str, days=frozenset()) -> str:
    """A meeting's day when the board has that meeting; else its month, where the paper waits until
    the meeting is added."""
    if len(when) == 10:
        day = dt.date.fromisoformat(when)
        return f"{day:%d/%m/%Y}" if day in days else f"{day:%B %Y}"
    if len(when) == 7:
        return f"{dt.date.fromisoformat(when + '-01'):%B %Y}"
    return when or "tbc"


def _paper_named(papers, title: str, when: str):
    want = {w for w in title.lower().split() if len(w) > 3}
    best, score = None, 0
    for item in papers:
        words = {w for w in item.title.lower().split() if len(w) > 3}
        shared = len(want & words)
        if shared > score:
            best, score = item, shared
    return best if score and score >= max(1, len(want) // 2) else None


# -- applying -----------------------------------------------------------------------------------

class NotApplied(Refusal):
    """Lines that cannot be applied, by their number (0-based): nothing was changed."""

    def __init__(self, errors: dict[int, str]):
        super().__init__("; ".join(f"line {n + 1}: {m}" for n, m in errors.items()))
        self.errors = errors


@dataclass
class Applied:
    lines: list[str]
    already: bool = False
    skipped: dict[int, str] = field(default_factory=dict)  # lines left out (skip_refused), and why


class _Tried(Exception):
    """A dry run's end: what would be refused, its transaction rolled back."""

    def __init__(self, errors: dict[int, str]):
        self.errors = errors


def _parsed(conversation: Conversation, lines: list[str], board_name: str) -> tuple[list[tuple[int, Command]],
                                                                                   dict[int, str]]:
    context = conversation.directory.current().context(conversation.today(conversation.clock()),
                                                       conversation.calendar.region)
    commands: list[tuple[int, Command]] = []
    errors: dict[int, str] = {}
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            command = parse(line.replace("\n", " "), context)
        except Refusal as exc:
            errors[n] = exc.message
            continue
        commands.append((n, replace(command, board=board_name) if command.board is None else command))
    return commands, errors


def refusals(conversation: Conversation, lines: list[str], *, board_name: str, who: Speaker) -> dict[int, str]:
    """The lines the log would refuse as they stand, and why: each is tried, in the order apply runs
    them, in one transaction that is then rolled back. Nothing is changed."""
    commands, errors = _parsed(conversation, lines, board_name)
    if not commands:
        return errors
    now = conversation.clock()

    def attempt(s: Session):
        turn = conversation._turn(s, who, now)
        turn.quiet = []
        raise _Tried(_run(s, turn, commands)[1])

    try:
        serially(conversation.sessions, attempt)
    except _Tried as tried:
        errors.update(tried.errors)
    except (Refusal, DBAPIError):
        pass  # the apply itself says so, with its reason
    return dict(sorted(errors.items()))


def apply(conversation: Conversation, lines: list[str], *, board_name: str, meeting: dt.date | None, digest: str,
          who: Speaker, skip_refused: bool = False) -> Applied:
    """Apply the kept lines, all or none: raises NotApplied with each line's problem. With
    skip_refused, the lines the log refuses are left out (and said) and the rest applied."""
    now = conversation.clock()
    commands, errors = _parsed(conversation, lines, board_name)
    if errors and not skip_refused:
        raise NotApplied(errors)
    try:
        done = serially(conversation.sessions, lambda s: _apply(conversation, s, commands, board_name=board_name,
                                                                 meeting=meeting, digest=digest, who=who, now=now,
                                                                 skip_refused=skip_refused))
    except DBAPIError as exc:
        raise not_stored(exc) from None
    done.skipped = dict(sorted({**errors, **done.skipped}.items()))
    return done


def _run(s: Session, turn, commands: list[tuple[int, Command]]) -> tuple[list, dict[int, str]]:
    """Run each command in its own savepoint, so one the log refuses leaves no trace. Actions the
    minutes number run first: the batch's unnumbered actions then take the refs after them."""
    said, errors = [], {}
    first = sorted(commands, key=lambda nc: not (isinstance(nc[1], NewAction) and nc[1].numbered is not None))
    for n, command in first:
        try:
            with s.begin_nested():
                said.append((n, command, RUNNERS[type(command)](turn, command)))
        except Refusal as exc:
            errors[n] = exc.message
    return [(c, r) for _, c, r in sorted(said, key=lambda x: x[0])], errors


def _apply(conversation: Conversation, s: Session, commands: list[tuple[int, Command]], *, board_name: str,
           meeting: dt.date | None, digest: str, who: Speaker, now: dt.datetime, skip_refused: bool) -> Applied:
    """In one serializable transaction (run again if another change wins a race with it)."""
    turn = conversation._turn(s, who, now)
    board = boards.find_board(s, board_name)
    rules.require(turn.actor, Act.OFFICER_ACTION, board=board, doing="apply minutes to its log")
    done = s.scalar(select(MinutesApplied).where(MinutesApplied.board_id == board.id,
                                                 MinutesApplied.digest == digest))
    if done is not None:
        by = f" by {done.by.name}" if done.by else ""
        return Applied([f"These minutes were applied to {board.name}'s log on {describe(done.applied.date())}{by}; "
                        "nothing changed."], already=True)
    first_event = s.scalar(select(func.max(ActionEvent.id))) or 0
    first_plan_event = s.scalar(select(func.max(PlanEvent.id))) or 0
    turn.quiet = []
    said, errors = _run(s, turn, commands)
    if errors and not skip_refused:
        raise NotApplied(errors)
    s.flush()
    marker = f"from the minutes of {in_words(meeting)}" if meeting else "from the minutes"
    _mark(s, ActionEvent, first_event, marker)
    _mark(s, PlanEvent, first_plan_event, marker)
    s.add(MinutesApplied(board_id=board.id, digest=digest, meeting=meeting, applied=now, by_id=turn.actor.id,
                         changes=len(said)))
    summary, public = _summary(board, said, meeting, turn, MRKDWN)
    turn.quiet = None
    turn.post(board, summary, public)
    reply, _ = _summary(board, said, meeting, turn, turn.fmt)
    return Applied(reply.splitlines(), skipped=errors)


def _mark(s: Session, table, after: int, marker: str) -> None:
    """Every event the minutes wrote says so: as its text, or after it."""
    s.execute(update(table).where(table.id > after, table.text.is_not(None), ~table.text.contains(marker[1:]))
              .values(text=table.text + f" ({marker})").execution_options(synchronize_session=False))
    s.execute(update(table).where(table.id > after, table.text.is_(None))
              .values(text=marker[:1].upper() + marker[1:]).execution_options(synchronize_session=False))


def _summary(board: Board, said, meeting: dt.date | None, turn, fmt) -> tuple[str, str | None]:
    """One post for the board: what the minutes changed, and its version without Part B text."""
    full, public = [], []
    for command, result in said:
        action = result.action
        what = command.key
        if action is not None:
            title = fmt.esc(action.title)
            head = {"action new": "raised", "action update": "updated", "action due": "re-dated",
                    "action close": "can close once a condition is met" if getattr(command, "condition", None)
                    else "closed"}.get(what, what)
            full.append(f"• {fmt.bold(action.ref)} {head} — {title}")
            public.append(f"• {fmt.bold(action.ref)} {head}" + ("" if action.private else f" — {title}"))
        else:
            line = result.lines[0] if result.lines else what
            full.append(f"• {line}")
            public.append(f"• {line}" if not getattr(command, "private", False) else f"• {what} (Part B)")
    of = f" of {describe(meeting)}" if meeting else ""
    by = fmt.esc(turn.actor.signature)
    head = f"The minutes{of} were applied to {fmt.esc(board.name)}'s log by {by}: {count(len(said), 'change')}."
    text = "\n".join([head] + full)
    private = any(getattr(r.action, "private", False) or getattr(c, "private", False) for c, r in said)
    return text, ("\n".join([head] + public) if private else None)


__all__ = ["Review", "Line", "review", "apply", "Applied", "NotApplied", "MinutesError", "MAX_LINES"]


# -- the Slack forms -------------------------------------------------------------------------------

PASTE, REVIEW, OPEN_MINUTES = minutes_view.PASTE, minutes_view.REVIEW, minutes_view.OPEN_MINUTES


def paste_form(conversation: Conversation, channel: str | None) -> dict:
    with reading(conversation.read_sessions) as s:
        names = boards.board_names(s)
        here = boards.board_of_channel(s, channel)
    return minutes_view.paste(names, here.name if here else (names[0] if len(names) == 1 else None), channel)


def read_pasted(conversation: Conversation, user: str, view: dict) -> dict:
    """The paste form sent: the review form instead (response_action update), or the field's problem."""
    from service.forms import _fields, _selected, metadata

    fields = _fields(view)
    raw = (fields.get("text") or {}).get("value")
    text = raw if isinstance(raw, str) else ""
    picked = (fields.get("meeting") or {}).get("selected_date")
    meeting = None
    if isinstance(picked, str) and picked:
        try:
            meeting = dt.date.fromisoformat(picked)
        except ValueError:
            return {"response_action": "errors", "errors": {"meeting": "Pick the meeting's date from the calendar."}}
    board = _selected(fields, "board")
    if not board:
        return {"response_action": "errors", "errors": {"board": "Choose the board whose minutes these are."}}
    channel = metadata(view).get("channel")
    try:
        found = review(conversation, text, board_name=board, channel=None, meeting=meeting,
                       who=Speaker(user_id=user, surface="form"))
    except MinutesError as exc:
        return {"response_action": "errors", "errors": {"text": str(exc)[:150]}}
    except Refusal as exc:
        return {"response_action": "errors", "errors": {"board": exc.message[:150]}}
    meta = {"board": found.board, "meeting": found.meeting.isoformat() if found.meeting else None,
            "digest": found.digest, "channel": channel if isinstance(channel, str) else None}
    return {"response_action": "update", "view": minutes_view.review(
        found.summary, found.warnings,
        [(line.label, line.command, "; ".join(line.notes), line.source, line.refused) for line in found.lines],
        found.unplaced, meta)}


def apply_reviewed(conversation: Conversation, user: str, view: dict) -> dict[str, str] | None:
    """The review form sent: apply what was kept; the lines' problems, or None when it was done."""
    from service.forms import metadata

    meta = metadata(view)
    board, digest = meta.get("board"), meta.get("digest")
    if not isinstance(board, str) or not isinstance(digest, str):
        return {"c0": "This form has lost its minutes; read them again."}
    values = ((view.get("state") or {}).get("values") or {}) if isinstance(view.get("state"), dict) else {}
    lines, ids = [], []
    for block_id in sorted((b for b in values if isinstance(b, str) and b[:1] == "c" and b[1:].isdigit()),
                           key=lambda b: int(b[1:])):
        element = (values.get(block_id) or {}).get("command") or {}
        value = element.get("value") if isinstance(element, dict) else None
        tick = (values.get(f"k{block_id[1:]}") or {}).get(minutes_view.INCLUDE)
        if isinstance(tick, dict) and not tick.get("selected_options"):
            value = None  # a line the log refuses, left unticked: left out
        lines.append(value if isinstance(value, str) else "")
        ids.append(block_id)
    channel = meta.get("channel") if isinstance(meta.get("channel"), str) else None
    who = Speaker(user_id=user, channel_id=channel, surface="form")
    try:
        done = apply(conversation, lines, board_name=board, meeting=minutes_view.meeting_of(meta), digest=digest,
                     who=who)
    except NotApplied as exc:
        return {ids[n]: message[:150] for n, message in exc.errors.items()}
    except Refusal as exc:
        return {(ids or ["c0"])[0]: exc.message[:150]}
    with unit_of_work(conversation.sessions) as s:  # told where they opened the form (a DM from App Home)
        said = "\n".join(done.lines)
        outbox.enqueue(s, channel or user, said, conversation.clock(), blocks=sections([MRKDWN.esc(said)]),
                       ephemeral_to=user if channel else None, fallback_to=[user] if channel else None)
    return None
