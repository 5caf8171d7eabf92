"""The conversation: who is speaking, one transaction, run a typed command, deliver.

    text as Slack sent it ─ ingress (grammar.slacktext) ─ parse (grammar.language, against the
    directory cache, before any transaction) ─ one transaction (the reading engine when the
    command's type only reads) ─ the runner (service.actions / planning / people) ─ the reply,
    and what the board and people are owed, written to the outbox in the same transaction.

Buttons and forms build typed commands and enter at `run`."""
from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from grammar import slacktext
from grammar.commands import Command, Help, SetUpBoard
from grammar.language import parse
from render.blocks import Message, paginate, sections
from render.fmt import Plain
from render.reminders import action_buttons
from service.directory import Directory
from service.runners import RUNNERS
from service.turn import Reply, Said, Speaker, Turn
from store import outbox, people
from store import permissions as rules
from store.calendar import WorkingCalendar
from store.db import read_only, reading, serially, unit_of_work, unstorable
from store.models import Board, Person, SlackDelivery
from store.permissions import Act
from store.terms import Refusal

__all__ = ["Conversation", "Speaker", "Reply"]
_USER_ID = re.compile(r"^[UWB][A-Z0-9]{2,31}$")
_CHANNEL_ID = re.compile(r"^[CDGU][A-Z0-9]{2,31}$")
MAX_DISPLAY_NAME = 120
ALREADY = "That command was already done: Slack sent the same request twice, so it was applied once."
UNSTORABLE = ("Something in that request is a value Clerk can't store (a NUL byte, or far too long), so nothing "
              "was changed. Type it again without it.")
NOT_SAVED = ("The database did not take that change, so nothing was changed. Try again in a moment; if it keeps "
             "happening, tell whoever runs Clerk.")
READ_ONLY = ("Clerk's database is read-only just now, so nothing was changed and trying again will not help: "
             "please tell whoever runs Clerk (its /healthz says what is wrong).")
log = logging.getLogger("clerk.conversation")


def not_stored(exc: DBAPIError) -> Refusal:
    """What a person is told when the database did not take their request: a sentence, never an error."""
    return Refusal(UNSTORABLE if unstorable(exc) else READ_ONLY if read_only(exc) else NOT_SAVED)


class Conversation:
    def __init__(self, sessions: sessionmaker[Session], tz: ZoneInfo, clock: Callable[[], dt.datetime],
                 calendar: WorkingCalendar | None = None, read_sessions: sessionmaker[Session] | None = None,
                 home_delay: dt.timedelta = dt.timedelta(0)):
        self.sessions, self.tz, self.clock = sessions, tz, clock
        self.home_delay = home_delay  # serving: a burst of changes shares one App Home publish
        self.read_sessions = read_sessions or sessions
        self.calendar = calendar or WorkingCalendar("ENG")
        self.directory = Directory(self.read_sessions)
        self._console_ready = False

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.tz).date()

    # -- entry points -----------------------------------------------------------------------

    def handle(self, text: str, who: Speaker, *, delivery_id: str | None = None, once: str | None = None,
               then: Callable[[Session, dt.datetime], None] | None = None) -> Reply:
        """Run a line for `who`: as Slack sent it (escaped), or as typed at the console. With
        `delivery_id` (an event's id) it is applied at most once and the reply goes through the
        outbox (events have no HTTP reply); `once` (a slash command's trigger_id) applies a command
        that writes at most once. `then` runs in the command's transaction when it is done, never when it
        is refused."""
        now = self.clock()
        try:
            self._check_speaker(who)
            problem = slacktext.problem(text, escaped=who.surface != "console")
            if problem:
                raise Refusal(problem)
            typed = slacktext.from_console(text) if who.surface == "console" else slacktext.from_slack(text)
            snapshot = self.directory.current()
            command = parse(typed, snapshot.context(self.today(now), self.calendar.region))
        except Refusal as exc:
            return self._refused(exc, who, now, delivery_id, then)
        return self.run(command, who, delivery_id=delivery_id, once=once, then=then, now=now,
                        board_channels=snapshot.channels)

    def run(self, command: Command, who: Speaker, *, delivery_id: str | None = None, once: str | None = None,
            then: Callable[[Session, dt.datetime], None] | None = None, raise_refusals: bool = False,
            now: dt.datetime | None = None, board_channels: Mapping[str, str] | None = None) -> Reply:
        """Run a typed command (built by the parser, a button or a form). With raise_refusals a
        refusal is raised, not replied, so a form can show it on its field. `board_channels`: the
        boards' channels as the directory knew them when the line was read (Turn.board_channels)."""
        now = now or self.clock()
        try:
            self._check_speaker(who)
            if who.surface == "console":
                self._console(now)
            if command.reads and then is None:
                try:
                    return self._read(command, who, now, delivery_id, once, board_channels)
                except DBAPIError as exc:
                    log.warning("a read failed in the database: %s", type(exc.orig or exc).__name__)
                    raise not_stored(exc) from None
            return self._write(command, who, now, delivery_id, once or f"run:{uuid.uuid4().hex}", then,
                               board_channels)
        except Refusal as exc:
            if raise_refusals:
                raise
            return self._refused(exc, who, now, delivery_id, then)

    def _write(self, command: Command, who: Speaker, now: dt.datetime, delivery_id: str | None, once: str,
               then: Callable[[Session, dt.datetime], None] | None,
               board_channels: Mapping[str, str] | None = None) -> Reply:
        """One transaction for the change and everything it owes Slack. Its delivery id is written
        in it, so a commit whose answer the connection lost is known afterwards to have happened, or
        not: the person is told which, never a guess."""
        reply = None

        def change(s: Session) -> Reply:
            nonlocal reply
            reply = None
            if not self._first(s, delivery_id or once, now):
                return Reply([] if delivery_id else [Message(ALREADY, sections([ALREADY]))], ALREADY)
            turn = self._turn(s, who, now, board_channels)
            reply = self._reply(turn, command)
            self._owe_later(s, turn, now)
            reply = self._deliver(s, reply, who, now, delivery_id)
            if then is not None:
                s.flush()
                then(s, now)
            return reply

        try:
            # a change that lost a race runs again, after the winner
            return serially(self.sessions, change, serializable=command.decides or then is not None)
        except DBAPIError as exc:
            if not unstorable(exc):
                log.warning("a change was not confirmed by the database: %s", type(exc.orig or exc).__name__)
                if reply is not None and self._was_delivered(delivery_id or once):
                    return reply  # it committed; only the answer was lost
            raise not_stored(exc) from None

    def _was_delivered(self, delivery_id: str) -> bool:
        try:
            with reading(self.read_sessions) as s:
                return s.get(SlackDelivery, outbox.delivery_key(delivery_id)) is not None
        except DBAPIError:
            return False

    # -- the pipeline ------------------------------------------------------------------------

    def _read(self, command: Command, who: Speaker, now: dt.datetime, delivery_id: str | None,
              once: str | None = None, board_channels: Mapping[str, str] | None = None) -> Reply:
        """A command that only reads runs on the reading engine (no write lock); only what it owes
        Slack (an event's reply, a long reply's parts) takes a short write transaction after."""
        with reading(self.read_sessions) as s:
            turn = self._turn(s, who, now, board_channels)
            reply = self._reply(turn, command)
        if delivery_id is None and not turn.later and (len(reply.messages) <= 1 or who.surface == "console"):
            return reply
        with unit_of_work(self.sessions) as s:
            if not self._first(s, delivery_id or (once if turn.later else None), now):
                if delivery_id:
                    return Reply([])
                return Reply([Message(ALREADY, sections([ALREADY]))], ALREADY)  # a slash command sent twice
            self._owe_later(s, turn, now)
            return self._deliver(s, reply, who, now, delivery_id)

    def _owe_later(self, s: Session, turn: Turn, now: dt.datetime) -> None:
        for kind, about, text in turn.later:
            outbox.owe_later(s, kind, turn.who.user_id, about, text, now)

    def put_together(self, kind: str, user_id: str, about: str) -> list[tuple[str, list | None]]:
        """What the sender sends for a row owed later (outbox.owe_later): the command run now, for
        that person, with what they may see now; its messages go to their DMs."""
        from grammar.commands import Digest

        who = Speaker(user_id=user_id, surface="dm")
        now = self.clock()
        try:
            with reading(self.read_sessions) as s:
                board = s.get(Board, int(about)) if kind == "digest" and about.isdigit() else None
                if board is None:
                    raise Refusal("The board you asked for a digest of is no longer in Clerk.")
                turn = self._turn(s, who, now)
                turn.may_defer = False
                reply = self._reply(turn, Digest(board=board.name))
        except Refusal as exc:
            reply = self._refused(exc, who, now, None, None)
        return [(m.text, m.blocks or None) for m in reply.messages]

    def _turn(self, s: Session, who: Speaker, now: dt.datetime,
              board_channels: Mapping[str, str] | None = None) -> Turn:
        return Turn(s, self._actor(s, who), who, now, self.today(now), who.fmt, self.calendar, self.tz,
                    home_delay=self.home_delay, board_channels=board_channels)

    @staticmethod
    def is_operator(who: Speaker) -> bool:
        """The console without --as: whoever holds the database, who may do everything."""
        return who.surface == "console" and not who.initials and not _USER_ID.match(who.user_id)

    def _actor(self, s: Session, who: Speaker) -> Person | None:
        if who.initials:
            person = people.person_by_initials(s, who.initials)
            if person is None:
                raise Refusal(f"No one has the initials {who.initials} yet. Register them first: "
                              f"clerk person {who.initials} Full Name")
            return person
        if self.is_operator(who):
            return people.console_person(s, self.clock())
        return people.person_by_slack_id(s, who.user_id)

    def _reply(self, turn: Turn, command: Command) -> Reply:
        if turn.actor is None and not isinstance(command, Help):
            turn.actor = self._newcomer(turn, command)
        said = RUNNERS[type(command)](turn, command)
        return self._render(said, turn.fmt)

    def _newcomer(self, turn: Turn, command: Command) -> Person:
        """Strangers read help only; the one exception is whoever sets up a workspace's first board,
        who is registered from Slack and becomes its secretary."""
        first_board = isinstance(command, SetUpBoard) and not turn.s.scalar(select(func.count()).select_from(Board))
        if not first_board or turn.who.surface == "console":
            raise Refusal(rules.refusal(None, Act.READ))
        person = Person(slack_user_id=turn.who.user_id, name=(turn.who.user_name or turn.who.user_id)[:MAX_DISPLAY_NAME],
                        created=turn.now)
        turn.s.add(person)
        turn.s.flush()
        people.record(turn.s, turn.now, person, "registered", person=person, new=person.name)
        return person

    def _render(self, said: Said, fmt: Plain) -> Reply:
        plain = "\n".join(said.lines)
        if fmt.slack:
            messages = paginate(sections(said.lines), said.lines, said.title or said.lines[0],
                                title_is_first_line=not said.title)
            if said.action is not None and len(messages) == 1:
                messages[0].blocks.append(action_buttons(said.action))
            return Reply(messages, plain)
        return Reply([Message(plain)], plain)

    def _refused(self, exc: Refusal, who: Speaker, now: dt.datetime, delivery_id: str | None,
                 then: Callable[[Session, dt.datetime], None] | None) -> Reply:
        fmt = who.fmt
        text = exc.message + (f"\nUsage: {exc.usage}" if exc.usage else "")
        shown = fmt.esc(exc.message) + (f"\nUsage: `{fmt.esc(exc.usage)}`" if exc.usage and fmt.slack else
                                         (f"\nUsage: {exc.usage}" if exc.usage else ""))
        reply = Reply([Message(shown, sections([shown]) if fmt.slack else [])], text, ok=False)
        if delivery_id:  # refused means nothing happens: no follow-up (`then` is not run), only the answer, once
            with unit_of_work(self.sessions) as s:
                if self._first(s, delivery_id, now):
                    self._owe_reply(s, reply, who, now)
        return reply

    # -- delivery ----------------------------------------------------------------------------

    def _deliver(self, s: Session, reply: Reply, who: Speaker, now: dt.datetime, delivery_id: str | None) -> Reply:
        """A reply too long for one message goes to the person's DMs, in parts, none cut off; an
        event's reply goes through the outbox."""
        if len(reply.messages) > 1 and who.surface != "console":
            for m in reply.messages:
                outbox.enqueue(s, who.user_id, m.text, now, blocks=m.blocks)
            note = f"That is {len(reply.messages)} messages long, so I've sent it to you as a direct message."
            reply = Reply([Message(note, sections([note]))], reply.plain, sent_as_dm=True)
        if delivery_id:
            self._owe_reply(s, reply, who, now)
        return reply

    def _owe_reply(self, s: Session, reply: Reply, who: Speaker, now: dt.datetime) -> None:
        if reply.sent_as_dm and who.surface == "dm":
            return  # the parts are already on their way to the same DM
        if not _USER_ID.match(who.user_id or "") or (who.channel_id and not _CHANNEL_ID.match(who.channel_id)):
            return  # ids Slack never sends (the refusal said so): there is nowhere true to send an answer
        for m in reply.messages:
            ephemeral = who.user_id if who.surface in ("mention", "form") and who.channel_id else None
            outbox.enqueue(s, who.channel_id or who.user_id, m.text, now, blocks=m.blocks, ephemeral_to=ephemeral,
                           fallback_to=[who.user_id] if ephemeral else None)

    # -- plumbing ------------------------------------------------------------------------------

    def _first(self, s: Session, delivery_id: str | None, now: dt.datetime) -> bool:
        """Record a delivery (an event, a press, a form, a slash command that writes) in the
        command's transaction; False when it was applied before."""
        return not delivery_id or outbox.first_delivery(s, delivery_id, now)

    def _check_speaker(self, who: Speaker) -> None:
        """Values from Slack are checked where they enter: a bad one gets a clear message, never a 500."""
        if who.surface != "console" and not _USER_ID.match(who.user_id or ""):
            raise Refusal("That request came with a Slack user id Clerk can't read; nothing was changed.")
        if who.surface != "console" and who.channel_id and not _CHANNEL_ID.match(who.channel_id):
            raise Refusal("That request came with a Slack channel id Clerk can't read; nothing was changed.")
        if who.user_name and len(who.user_name) > MAX_DISPLAY_NAME:
            who.user_name = who.user_name[:MAX_DISPLAY_NAME]

    def _console(self, now: dt.datetime) -> None:
        """The console's person exists before any command reads (a read must not write it)."""
        if not self._console_ready:
            with unit_of_work(self.sessions) as s:
                people.console_person(s, now)
            self._console_ready = True
