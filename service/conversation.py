"""Run one command: parse, check, change the log, render, and owe the board its post."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from grammar import commands as grammar
from grammar.commands import Command
from grammar.dates import describe
from render import actions as render
from render.blocks import Message, paginate, sections
from render.fmt import MRKDWN, PLAIN, Plain
from render.reminders import action_buttons
from service import planning
from service.help import help_text
from store.calendar import WorkingCalendar
from store import actions as log
from store import outbox, people
from store.db import reading, unit_of_work
from store.errors import Refusal
from store.models import Action, Board, Person, SlackDelivery

from store.people import on_slack


@dataclass
class Speaker:
    """Who typed, and where: a Slack user in a channel or DM, or the console."""

    user_id: str
    user_name: str | None = None
    channel_id: str | None = None
    surface: str = "slash"  # slash | dm | mention | console | form (a modal: reply ephemeral, else DM)
    initials: str | None = None  # console --as AH

    @property
    def fmt(self) -> Plain:
        return PLAIN if self.surface == "console" else MRKDWN


@dataclass
class Reply:
    """What the person who typed sees. `messages` may be several when a list is long."""

    messages: list[Message]
    plain: str = ""  # the same words for the console
    ok: bool = True
    sent_as_dm: bool = False


@dataclass
class _Done:
    lines: list[str]
    title: str = ""
    action: Action | None = None  # a reply about one action carries its buttons


READ_ONLY = {("action", "show"), ("action", "list"), ("action", "digest"), ("action", "help"),
             ("clerk", "help"), ("meeting", "list"), ("meeting", "help"), ("plan", "help"), ("action", None),
             ("clerk", None), ("meeting", None), ("plan", None)}


class _NeedsWrite(Exception):
    """A command read as read-only turned out to write (a new person, a long reply): run it again as a writer."""


class Conversation:
    def __init__(self, sessions: sessionmaker[Session], tz: ZoneInfo, clock: Callable[[], dt.datetime],
                 calendar: WorkingCalendar | None = None, read_sessions: sessionmaker[Session] | None = None):
        self.sessions, self.tz, self.clock = sessions, tz, clock
        self.read_sessions = read_sessions or sessions
        self.calendar = calendar or WorkingCalendar("ENG")

    # -- entry point --------------------------------------------------------------------------

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.tz).date()

    def handle(self, text: str, who: Speaker, *, delivery_id: str | None = None,
               then: Callable[[Session, dt.datetime], None] | None = None) -> Reply:
        """Run `text` for `who`. With `delivery_id` (a Slack event id) it is applied at most once,
        and the reply goes to Slack through the outbox (events have no HTTP reply). `then` runs in
        the same transaction, whether the command was done or refused (a pressed button's message
        is brought up to date either way)."""
        return self._handle(lambda s, today: grammar.parse(
            text, today=today, boards=people.board_names(s) if "board" in text.lower() else []),
            who, delivery_id=delivery_id, then=then, read_only=delivery_id is None and _looks_read_only(text))

    def run_command(self, cmd: Command, who: Speaker, *, delivery_id: str | None = None) -> Reply:
        """Run a command built by a form rather than typed: the same checks, changes and posts.
        A refusal is raised, not replied, so the form can show it on its field."""
        return self._handle(lambda s, today: cmd, who, delivery_id=delivery_id, raise_refusals=True)

    def _handle(self, command: Callable[[Session, dt.date], Command], who: Speaker, *, delivery_id: str | None,
                then: Callable[[Session, dt.datetime], None] | None = None, read_only: bool = False,
                raise_refusals: bool = False) -> Reply:
        now = self.clock()
        today = self.today(now)
        fmt = who.fmt
        try:
            if read_only:
                try:
                    with reading(self.read_sessions) as s:
                        return self._once(s, command, who, now, today, fmt, None, writing=False)
                except _NeedsWrite:
                    pass
            with unit_of_work(self.sessions) as s:
                return self._once(s, command, who, now, today, fmt, delivery_id, writing=True, then=then)
        except Refusal as exc:
            if raise_refusals:
                raise
            reply = self._refusal(exc, fmt)
            if delivery_id:
                with unit_of_work(self.sessions) as s:
                    if self._first_delivery(s, delivery_id, now):
                        self._owe_reply(s, reply, who, now)
                        if then is not None:
                            then(s, now)
            return reply

    def _once(self, s: Session, command: Callable[[Session, dt.date], Command], who: Speaker, now: dt.datetime,
              today: dt.date, fmt: Plain, delivery_id: str | None, *, writing: bool,
              then: Callable[[Session, dt.datetime], None] | None = None) -> Reply:
        if delivery_id and not self._first_delivery(s, delivery_id, now):
            return Reply([], ok=True)
        actor = self._actor(s, who, now, create=writing)
        cmd = command(s, today)
        done = self._run(s, cmd, actor, who, now, today, fmt)
        reply = self._reply(done, fmt)
        if len(reply.messages) > 1 and not writing and who.surface != "console":
            raise _NeedsWrite
        reply = self._deliver_long(s, reply, who, now)
        if delivery_id:
            self._owe_reply(s, reply, who, now)
        if then is not None:
            s.flush()
            then(s, now)
        return reply

    # -- plumbing -----------------------------------------------------------------------------

    def _first_delivery(self, s: Session, delivery_id: str, now: dt.datetime) -> bool:
        try:
            with s.begin_nested():
                s.add(SlackDelivery(event_id=delivery_id, received=now))
                s.flush()
        except IntegrityError:
            return False
        return True

    def _actor(self, s: Session, who: Speaker, now: dt.datetime, create: bool = True) -> Person:
        if who.initials:
            person = people.person_by_initials(s, who.initials)
            if person is None:
                raise Refusal(f"No one has the initials {who.initials} yet. Register them first: "
                              f"clerk person {who.initials} Full Name")
            return person
        if not create:
            person = people.person_by_slack_id(s, who.user_id)
            if person is None:
                raise _NeedsWrite
            return person
        return people.person_for_slack_user(s, who.user_id, who.user_name, now)

    def _reply(self, done: _Done, fmt: Plain) -> Reply:
        plain = "\n".join(done.lines)
        if fmt.slack:
            messages = paginate(sections(done.lines), done.lines, done.title or done.lines[0],
                                title_is_first_line=not done.title)
            if done.action is not None and len(messages) == 1:
                messages[0].blocks.append(action_buttons(done.action))
            return Reply(messages, plain)
        return Reply([Message(plain)], plain)

    def _refusal(self, exc: Refusal, fmt: Plain) -> Reply:
        text = exc.message + (f"\nUsage: {exc.usage}" if exc.usage else "")
        shown = fmt.esc(exc.message) + (f"\nUsage: `{fmt.esc(exc.usage)}`" if exc.usage and fmt.slack else
                                         (f"\nUsage: {exc.usage}" if exc.usage else ""))
        return Reply([Message(shown, sections([shown]) if fmt.slack else [])], text, ok=False)

    def _deliver_long(self, s: Session, reply: Reply, who: Speaker, now: dt.datetime) -> Reply:
        """A reply too long for one message goes to the person's DMs, in parts, none cut off."""
        if len(reply.messages) <= 1 or who.surface == "console":
            return reply
        for m in reply.messages:
            outbox.enqueue(s, who.user_id, m.text, now, blocks=m.blocks)
        note = f"That is {len(reply.messages)} messages long, so I've sent it to you as a direct message."
        return Reply([Message(note, sections([note]))], reply.plain, sent_as_dm=True)

    def _owe_reply(self, s: Session, reply: Reply, who: Speaker, now: dt.datetime) -> None:
        if reply.sent_as_dm and who.surface == "dm":
            return  # the parts are already on their way to the same DM
        for m in reply.messages:
            ephemeral = who.user_id if who.surface in ("mention", "form") and who.channel_id else None
            outbox.enqueue(s, who.channel_id or who.user_id, m.text, now, blocks=m.blocks, ephemeral_to=ephemeral,
                           fallback_to=[who.user_id] if ephemeral else None)

    def _refresh_homes(self, s: Session, persons, now: dt.datetime) -> None:
        for user in {p.slack_user_id for p in persons if on_slack(p)}:
            outbox.refresh_home(s, user, now)

    def _post_to_board(self, s: Session, board: Board, private: bool, text_full: str,
                       text_public: str, now: dt.datetime, actor: Person | None = None,
                       action: Action | None = None) -> None:
        """The board's channel sees the change; a post about an action carries its buttons. A Part B
        item's text goes there only when the channel is private, which the sender checks with Slack
        before posting. If Clerk cannot post there (not invited), the person who made the change is
        told how to invite it."""
        if not board.channel_id:
            return
        tell = [actor.slack_user_id] if on_slack(actor) else None
        buttons = [action_buttons(action)] if action is not None else []
        outbox.enqueue(s, board.channel_id, text_full, now, blocks=sections([text_full]) + buttons,
                       public_text=text_public if private else None,
                       public_blocks=sections([text_public]) + buttons if private else None, fallback_to=tell)

    # -- commands -----------------------------------------------------------------------------

    def _run(self, s: Session, cmd: Command, actor: Person, who: Speaker, now: dt.datetime,
             today: dt.date, fmt: Plain) -> _Done:
        if cmd.verb == "help":
            return _Done(help_text(cmd.noun, cmd.topic, fmt))
        if cmd.noun == "clerk":
            return self._clerk(s, cmd, actor, who, now, fmt)
        if cmd.noun in ("meeting", "plan"):
            turn = planning.Turn(s, actor, who.channel_id, now, today, fmt, self.calendar,
                                 lambda board, private, full, public: self._post_to_board(
                                     s, board, private, full, public, now, actor))
            return _Done(planning.run(turn, cmd))
        if cmd.verb == "new":
            return self._new(s, cmd, actor, who, now, today, fmt)
        if cmd.verb in ("list", "digest"):
            return self._list(s, cmd, actor, who, now, today, fmt)
        board = people.board_for(s, cmd.board, who.channel_id) if cmd.board else self._context_board(s, who)
        action = log.find(s, cmd.ref, board, actor=actor)
        if not log.can_see(action, actor):
            raise Refusal(f"{action.ref} is a Part B (private) action; only its owners, the chair and "
                          f"secretaries can see or change it.")
        if cmd.verb == "show":
            lines = render.detail(action, log.history(s, action), fmt, today)
            return _Done(lines, title=f"{action.ref} {action.title}", action=action)
        change_people = list(action.owners)  # owners before the change (an assign may remove them)
        if cmd.verb == "update":
            change = log.add_update(s, action, actor, cmd.text, now, today)
            what, note = "updated", cmd.text
        elif cmd.verb == "close":
            change = log.close(s, action, actor, cmd.text, now, today, condition=cmd.condition)
            what, note = change.what, cmd.text or None
        elif cmd.verb == "confirm":
            change = log.confirm(s, action, actor, now, today)
            what, note = change.what, None
        elif cmd.verb == "reopen":
            change = log.reopen(s, action, actor, cmd.text, now, today)
            what, note = change.what, cmd.text or None
        elif cmd.verb == "due":
            due = self._resolve_due(cmd)
            change = log.set_due(s, action, actor, due, now, today)
            what, note = f"due date changed to {describe(due)}", None
        elif cmd.verb == "snooze":
            until = self._resolve_due(cmd) if cmd.due else today + dt.timedelta(days=7)
            change = log.snooze(s, action, actor, until, now, today)
            what, note = change.what, None
        elif cmd.verb == "assign":
            owners = people.resolve(s, cmd.owners or [], now)
            change = log.assign(s, action, actor, owners, cmd.add_owners, now, today)
            what, note = change.what, None
        else:  # pragma: no cover - the grammar knows no other verbs
            raise Refusal(f"/action {cmd.verb} is not ready yet.")
        s.flush()
        if cmd.verb == "snooze":  # the owner's own business, not the board's
            return _Done([f"Done: {render.change_post(action, what, actor, fmt, today)}"], action=action)
        self._refresh_homes(s, action.owners + [actor] + list(change_people), now)
        self._post_to_board(s, action.board, action.private, render.change_post(action, what, actor, MRKDWN, today, note),
                            render.change_post(action, what, actor, MRKDWN, today, note, visible=False), now, actor,
                            action)
        lines = [f"Done: {render.change_post(action, what, actor, fmt, today, note)}",
                 render.line(action, fmt, today)]
        return _Done(lines, action=action)

    def _context_board(self, s: Session, who: Speaker) -> Board | None:
        """The channel's board narrows refs; elsewhere refs are looked up across all boards."""
        if who.channel_id:
            board = s.scalar(select(Board).where(Board.channel_id == who.channel_id))
            if board is not None:
                return board
        return None

    def _resolve_due(self, cmd: Command) -> dt.date:
        if cmd.due is None:
            raise grammar.ParseError("Which date?", grammar.USAGE["action due"])
        if cmd.due.next_meeting:
            raise Refusal("“next meeting” needs the board's meetings, and none is scheduled yet. "
                          "Give a date instead, e.g. 14/12.")
        return cmd.due.value

    def _new(self, s: Session, cmd: Command, actor: Person, who: Speaker, now: dt.datetime,
             today: dt.date, fmt: Plain) -> _Done:
        board = people.board_for(s, cmd.board, who.channel_id)
        owners = people.resolve(s, cmd.owners, now) if cmd.owners else [actor]
        due = self._resolve_due(cmd) if cmd.due else None
        change = log.raise_action(s, board, actor, cmd.text, owners, due, cmd.private, now, today)
        action = change.action
        if cmd.source:  # made from a message: its history keeps the link back
            change.event.text = cmd.source
        self._refresh_homes(s, owners + [actor], now)
        self._post_to_board(s, board, action.private, render.change_post(action, "raised", actor, MRKDWN, today),
                            render.change_post(action, "raised", actor, MRKDWN, today, visible=False), now, actor,
                            action)
        lines = [f"Raised {fmt.bold(action.ref)} on {fmt.esc(board.name)}'s log: {fmt.esc(action.title)}",
                 f"Owners: {fmt.esc(render.who(action.owners))} · {render.due_text(action, today)}"
                 + (" · Part B (private)" if action.private else "")]
        if not cmd.owners:
            lines.append("No owner was named, so it is yours; /action assign "
                         f"{action.ref} <who> gives it to someone else.")
        return _Done(lines, action=action)

    def _list(self, s: Session, cmd: Command, actor: Person, who: Speaker, now: dt.datetime, today: dt.date,
              fmt: Plain) -> _Done:
        if cmd.verb == "digest" or cmd.board:
            board = people.board_for(s, cmd.board, who.channel_id)
        else:  # a list of one's own (or someone's) actions spans boards unless typed in a board's channel
            board = self._context_board(s, who)
            if board is None and cmd.list_filter not in ("mine", "who"):
                board = people.board_for(s, None, None)
        visible = lambda a: log.can_see(a, actor)  # noqa: E731 - a predicate, named where used
        if cmd.verb == "digest":
            actions = list(s.scalars(log.query(board, "open", today=today)))
            return _Done(render.digest(board.name, actions, fmt, today, visible),
                         title=f"Digest of {board.name}'s open actions")
        whom = people.resolve(s, cmd.list_who, now) if cmd.list_who else []
        actions = list(s.scalars(log.query(board, cmd.list_filter, person=actor, people=whom, today=today)))
        titles = {"open": "Open actions", "mine": "Your open actions", "overdue": "Overdue actions",
                  "closed": "Closed actions", "all": "All actions",
                  "who": f"Open actions of {render.who(whom)}"}
        title = titles[cmd.list_filter] + (f" on {board.name}" if board else "")
        return _Done(render.listing(fmt.esc(title), actions, fmt, today, visible), title=title)

    def _clerk(self, s: Session, cmd: Command, actor: Person, who: Speaker, now: dt.datetime, fmt: Plain) -> _Done:
        if cmd.verb == "person":
            person, happened = people.register(s, actor, cmd.initials, cmd.person, cmd.person_name, now)
            where = "on Slack" if on_slack(person) else \
                "without Slack (their reminders go to the board's secretary)"
            return _Done([f"{happened.capitalize()} {fmt.bold(person.initials)}: {fmt.esc(person.name)}, {where}."])
        if cmd.verb == "board":
            chair = people.resolve(s, cmd.chair, now) if cmd.chair else None
            secretaries = people.resolve(s, cmd.secretaries, now) if cmd.secretaries else None
            board, created = people.setup_board(s, actor, cmd.board, chair, secretaries, cmd.channel, now)
            return _Done([f"{'Set up' if created else 'Updated'} board {fmt.bold(fmt.esc(board.name))}."]
                         + self._board_lines(board, fmt))
        if cmd.verb == "settings":
            board = people.board_for(s, cmd.board, who.channel_id)
            if cmd.settings:
                people.change_settings(board, actor, cmd.settings)
            return _Done([f"{fmt.bold(fmt.esc(board.name))} settings:"] + self._board_lines(board, fmt))
        raise Refusal(f"/clerk {cmd.verb} is not ready yet.")  # pragma: no cover

    def _board_lines(self, board: Board, fmt: Plain) -> list[str]:
        chair = people.chair_of(board)
        secs = people.secretaries_of(board)
        channel = (f"<#{board.channel_id}>" if fmt.slack else board.channel_id) if board.channel_id else "none yet"
        return [f"Chair: {fmt.esc(chair.name) if chair else 'none yet'}",
                f"Secretaries: {fmt.esc(', '.join(p.name for p in secs)) or 'none yet'}",
                f"Channel: {channel}",
                f"closure {board.closure_rule} · numbering {board.numbering} · paper-deadline "
                f"{board.paper_deadline_days} working days · publication {board.publication_days} working days · "
                f"reminders {board.reminder_days} days before · timezone {board.timezone or self.tz.key} · "
                f"digest-day {board.digest_day}"]


def _looks_read_only(text: str) -> bool:
    words = text.strip().lstrip("/").lower().split()
    noun = words[0] if words else ""
    noun = "action" if noun == "actions" else noun
    return (noun, words[1] if len(words) > 1 else None) in READ_ONLY
