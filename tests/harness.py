"""Clerk running as Slack sees it: an HTTP server on a local port, signed requests in, and
a fake Web API recording what Clerk sends. Tests read as transcripts:

    pr.says("AH", "/action close 74/18")  ->  the ephemeral reply AH sees
    pr.channel_sees()                     ->  what the board's channel was sent
"""
from __future__ import annotations

import datetime as dt
import threading

from bot import Clerk, make_http_server
from settings import load
from tests import slackreq
from tests.blockkit import problems
from tests.fakeslack import FakeSlack
from tests.slacktext import escape_typed, event_text, from_test_line, parse_test_line

SECRET = "test-signing-secret"
LONDON = dt.UTC


class Clock:
    """The time Clerk believes it is; tests move it."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, iso: str) -> None:
        self.now = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)


class ClerkUnderTest:
    def __init__(self, database_url: str, fake: FakeSlack, *, now: str = "2018-11-29T10:00:00+00:00"):
        self.fake = fake
        self.clock = Clock(dt.datetime.fromisoformat(now))
        self.settings = load(SLACK_BOT_TOKEN="xoxb-test-token", SLACK_SIGNING_SECRET=SECRET,
                             SLACK_API_URL=fake.url, DATABASE_URL=database_url, PORT=3000,
                             SLACK_APP_TOKEN=None)
        self.clerk = Clerk(self.settings, clock=self.clock)
        self.users: dict[str, str] = {}  # initials or name -> Slack user id

    def __enter__(self) -> ClerkUnderTest:
        self.clerk.upgrade()
        self.clerk.build_slack()
        self.server = make_http_server(self.clerk, host="127.0.0.1", port=0)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.events_url = self.url + "/slack/events"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        try:
            self.server.run()
        except OSError:
            pass  # close() from the test thread pulls the socket out from under select()

    def __exit__(self, *exc) -> None:
        self.server.close()
        self._thread.join(timeout=5)
        self.clerk.stop()

    # -- people ---------------------------------------------------------------------------

    def user(self, who: str) -> str:
        """A Slack user id for a person in the transcript ("AH" -> "UAH0001")."""
        if who.startswith("U"):
            return who
        return self.users.setdefault(who, "U" + "".join(ch for ch in who.upper() if ch.isalnum()) + "0001")

    def mention(self, who: str) -> str:
        return f"<@{self.user(who)}|{who.lower()}>"

    # -- what people do -------------------------------------------------------------------

    def slash(self, who: str, line: str, *, channel: str = "CGENERAL", timestamp=None, secret=SECRET,
              literal: bool = False, trigger_id: str | None = None):
        """A slash command as Slack sends it: what was typed escaped (`&` as `&amp;`), with the Slack
        tokens the line writes (`<@U…|name>`, `<#C…|name>`, `<!here>`, links) kept as tokens, unless
        `literal` (the person typed every character, `<@U1>` included), and a fresh trigger_id."""
        command, _, text = line.partition(" ")
        return slackreq.slash(self.events_url, secret, command, escape_typed(text) if literal else from_test_line(text),
                              user_id=self.user(who), user_name=who.lower(), channel_id=channel, timestamp=timestamp,
                              trigger_id=trigger_id or self.fake.trigger())

    def says(self, who: str, line: str, *, channel: str = "CGENERAL", literal: bool = False) -> str:
        """A slash command; returns the text of the ephemeral reply (blocks joined)."""
        resp = self.slash(who, line, channel=channel, literal=literal)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body.get("response_type") == "ephemeral"
        assert not problems("message", blocks=body.get("blocks"), text=body.get("text")), body  # as Slack checks
        return reply_text(body)

    def event(self, event: dict, **kw):
        return slackreq.event(self.events_url, SECRET, event, **kw)

    def dm(self, who: str, text: str, **kw):
        """A DM to Clerk as its message event carries it (escaped; mentions without their names)."""
        user = self.user(who)
        return self.event({"type": "message", "channel_type": "im", "channel": "D" + user, "user": user,
                           "text": event_text(parse_test_line(text)), "ts": "1543485600.000100",
                           "event_ts": "1543485600.000100"}, **kw)

    def mentions(self, who: str, text: str, *, channel: str, **kw):
        """`@Clerk <text>` in a channel, as its app_mention event carries it."""
        user = self.user(who)
        return self.event({"type": "app_mention", "channel": channel, "user": user,
                           "text": event_text(parse_test_line(f"<@{slackreq.BOT_USER_ID}> {text}")),
                           "ts": "1543485600.000200", "event_ts": "1543485600.000200"}, **kw)

    def interact(self, payload: dict, *, secret: str = SECRET, enterprise: str | None = None):
        """A signed interaction request (button, shortcut, modal submission); returns the response.
        The payload gets the fields every interaction carries (team, enterprise, is_enterprise_install,
        api_app_id, token, the user's username and team_id) unless it has its own; with `enterprise`
        it comes from an Enterprise Grid org (tests/slackreq.py names the samples)."""
        return slackreq.interaction(self.events_url, secret, slackreq.with_envelope(payload, enterprise_id=enterprise))

    def press(self, who: str, button: dict, *, message: dict | None = None, channel: str | None = None,
              ephemeral: bool = False, in_home: bool = False, in_dm: bool = False, trigger: str = "trig.press",
              enterprise: str | None = None):
        """Press a button as Slack sends it: from a posted message in a channel or, `in_dm`, in the
        person's DM with Clerk (its channel, ts and blocks, a response_url), an ephemeral message (no
        message, a response_url) or App Home (the Home view Clerk published, nothing else). A W… user
        is an Enterprise Grid org's, and the payload says so (`enterprise`, default E0001)."""
        user_id = self._slack_id(who)
        enterprise = self._enterprise_of(user_id, enterprise)
        self._presses = getattr(self, "_presses", 0) + 1
        user = slackreq.interaction_user(user_id, who.lower())
        trigger_id = self.fake.trigger() if trigger == "trig.press" else trigger
        action_ts = f"{int(self.clock.now.timestamp())}.{self._presses:06d}"  # like "1596530385.194939"
        if in_home:
            view = self._home_view(user_id)
            action = slackreq.button_action(self._button_in(view.get("blocks"), button), action_ts)
            payload = slackreq.home_press(user, action, trigger_id=trigger_id, view=view)
        elif ephemeral:
            action = slackreq.button_action(button, action_ts)
            payload = slackreq.ephemeral_press(user, action, trigger_id=trigger_id, channel=channel,
                                               message_ts=(message or {}).get("ts") or action_ts,
                                               response_url=self.fake.response_url(f"press{self._presses}"))
        else:
            channel = channel or ("D" + user_id if in_dm else None)
            assert channel and message, "a press on a posted message needs the message and its channel"
            action = slackreq.button_action(self._button_in(message.get("blocks"), button), action_ts)
            payload = slackreq.message_press(user, action, trigger_id=trigger_id, channel=channel, message=message,
                                             response_url=self.fake.response_url(f"press{self._presses}"))
        resp = self.interact(payload, enterprise=enterprise)
        assert resp.status_code == 200, resp.text
        self.deliver()
        return resp

    def submit(self, who: str, view: dict, values: dict, *, enterprise: str | None = None):
        """Submit a modal Clerk opened, with its fields filled: {block_id: element state}. As Slack
        sends it: the view as Slack holds it (its id, hash, …) and a state for every input, typed, an
        untouched one with its initial value; a partly given state ({"selected_option": {"value": "P&R"}})
        is completed from the view's options."""
        user_id = self._slack_id(who)
        self._views = getattr(self, "_views", 0) + 1
        held = self._held_view(view)
        view_id = view.get("id") or held.get("id") or f"VFORM{self._views}"
        submitted = slackreq.submitted_view({**held, **view}, slackreq.view_state(view, values), view_id=view_id)
        payload = slackreq.view_submission(slackreq.interaction_user(user_id, who.lower()), submitted,
                                           trigger_id=self.fake.trigger())
        return self.interact(payload, enterprise=self._enterprise_of(user_id, enterprise))

    def shortcut(self, who: str, message: dict, *, channel: str, callback_id: str = "make_action",
                 trigger: str | None = None, enterprise: str | None = None):
        """The message shortcut (e.g. "Make an action") used on `message` (as Slack stores it, e.g. what
        fake.seed_message returned) in `channel`; returns the response."""
        user_id = self._slack_id(who)
        self._presses = getattr(self, "_presses", 0) + 1
        payload = slackreq.message_shortcut(
            {"id": user_id, "name": who.lower()}, callback_id=callback_id, trigger_id=trigger or self.fake.trigger(),
            channel=channel, message=message, response_url=self.fake.response_url(f"shortcut{self._presses}"),
            action_ts=f"{int(self.clock.now.timestamp())}.{self._presses:06d}")
        return self.interact(payload, enterprise=self._enterprise_of(user_id, enterprise))

    def _slack_id(self, who: str) -> str:
        """A person's Slack id; an Enterprise Grid user's W… id is taken as it is."""
        grid = who[:1] == "W" and 3 <= len(who) <= 32 and who.isalnum() and who.isupper() and not who.isalpha()
        return who if grid else self.user(who)

    @staticmethod
    def _enterprise_of(user_id: str, enterprise: str | None) -> str | None:
        return enterprise or ("E0001" if user_id.startswith("W") else None)

    def _home_view(self, user_id: str) -> dict:
        """The Home tab Clerk last published for the person, as Slack holds it; a bare one if none was."""
        home = self.fake.home(user_id)
        return home or {"id": "VHOME", "team_id": "T0001", "type": "home", "blocks": [], "private_metadata": "",
                        "callback_id": "", "state": {"values": {}}, "hash": "1543485600.00000000"}

    def _held_view(self, view: dict) -> dict:
        """The modal as Slack holds it (views.open gave it an id and a hash): the latest with this view's
        callback_id, blocks and private_metadata; {} if Slack holds none."""
        for held in reversed(list(self.fake.views().values())):
            if all(held.get(k) == view.get(k) for k in ("type", "callback_id", "blocks", "private_metadata")):
                return held
        return {}

    @staticmethod
    def _button_in(blocks, button: dict) -> dict:
        """The button as the message or view shows it (its text, style, block_id), for a test that
        named only its action_id and value."""
        for block in blocks or []:
            for element in block.get("elements") or []:
                if (element.get("type") == "button" and element.get("action_id") == button.get("action_id")
                        and element.get("value") == button.get("value", element.get("value"))):
                    return {**element, "block_id": block.get("block_id", "b"), **button}
        return button

    def opened(self) -> dict:
        """The last view Clerk opened (views.open)."""
        return self.fake.calls_to("views.open")[-1].json("view")

    # -- what Slack receives --------------------------------------------------------------

    def deliver(self) -> None:
        """Run the outbox sender until nothing is due (the server's thread does this in production)."""
        self.clerk.send_owed()

    def posts(self, channel: str | None = None) -> list[dict]:
        self.deliver()
        return self.fake.posts(channel)

    def channel_sees(self, channel: str) -> list[str]:
        return [post_text(p) for p in self.posts(channel)]


def reply_text(body: dict) -> str:
    """What a person reads: the blocks' text (buttons and dividers have none), else the text."""
    if body.get("blocks"):
        return "\n".join(t for t in map(block_text, body["blocks"]) if t)
    return body.get("text", "")


post_text = reply_text


def buttons(body: dict) -> list[tuple[str, str]]:
    """(label, action_id) of every button in a message or view."""
    return [(e["text"]["text"], e["action_id"]) for b in body.get("blocks") or [] if b.get("type") == "actions"
            for e in b["elements"] if e.get("type") == "button"]


def block_text(block: dict) -> str:
    if block.get("type") in ("section", "header"):
        return block["text"]["text"]
    if block.get("type") == "context":
        return " ".join(e.get("text", "") for e in block["elements"])
    return ""
