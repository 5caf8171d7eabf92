"""What Slack sends an app for what a person typed, as pure functions (tests only).

A person types `/clerk board P&R chair @jane` and picks Jane from the autocomplete. Clerk never
sees that string: Slack sends `board P&amp;R chair <@U123|jane>`. Tests that want to talk to Clerk
the way Slack does build the text with this module rather than by hand:

    slash_text(["board P&R chair ", Mention("U123", "jane")])   -> 'board P&amp;R chair <@U123|jane>'
    event_text([Mention("UCLERK"), " action close 74/18"])      -> '<@UCLERK> action close 74/18'
    escape_typed("a < b & c")                                    -> 'a &lt; b &amp; c'
    from_test_line("/clerk person AH <@UAH0001|ah> & co")        -> '/clerk person AH <@UAH0001|ah> &amp; co'
    decode_sent('P&amp;R <@U1|anna>')                            -> ['P&R ', Mention('U1', 'anna')]
    typed(['P&R ', Mention('U1', 'anna')])                       -> 'P&R @anna'

`parts` is a list of plain strings (what the person typed, character for character) and tokens
(`Mention`, `Channel`, `UserGroup`, `Broadcast`, `Link`: something picked from an autocomplete, or a
URL Slack recognised; `Special` for any other `<!…>` sequence, kept verbatim). A bare string is
taken as one typed part. Pure stdlib; no Slack or Clerk import.

API
    escape_typed(text) / unescape(text)       the three entities, both ways (one pass each)
    slash_text(parts, should_escape=True)     a slash command's `text`               [SLASH]
    event_text(parts)                         `text` of a message / app_mention event [EVENT]
    shortcut_message_text(parts)              `message.text` of a message shortcut    [SHORTCUT]
    modal_value(text)                         a view_submission input value (as typed) [MODAL]
    typed(parts)                              what the person saw, as plain text
    from_test_line(line)                      an existing test's line, Slack-escaped
    parse_test_line(line)                     the same line as parts (to render for another surface)
    decode_sent(text)                         what Slack sent, read back into parts (tokens first,
                                              then entities): a reference ingress for tests

The rules and where each comes from
-----------------------------------
[ESC] Slack uses `&`, `<` and `>` as control characters; "All text in Slack uses the same system of
      escaping: chat messages, direct messages, file comments", "User types: Hello & <world> /
      Sent to server: Hello &amp; &lt;world&gt;"; only those three, "Don't HTML entity-encode the
      entire message" (https://api.slack.com/docs/message-formatting, "How to escape characters";
      https://api.slack.com/reference/surfaces/formatting#escaping). So `"` `'` stay as they are, and
      text a person typed that already looks like an entity is escaped again: `&amp;` -> `&amp;amp;`.
      Observed in events too: a `message` event carrying `(&amp;(samaccountname=...` for a typed
      `(&(` (https://github.com/poshbotio/PoshBot/issues/108).
[SLASH] Slash commands with "Escape channels, users, and links sent to your app" on (`should_escape:
      true` in the manifest; Clerk's manifest.yml sets it on all four commands): "It will wrap URLs
      in angle brackets and it will translate channel or user mentions into their correlated IDs.
      Private channels will only include the channel ID (`<C987654321|>`) while public channels
      will display the channel ID and name (`<C123456789|public-channel-01>`)". Off, "the payload
      will repeat the plain text: ask @crushermd ... in #d-social"
      (https://api.slack.com/interactivity/slash-commands#creating_commands, the same text at
      https://docs.slack.dev/interactivity/implementing-slash-commands).
[LINK] A URL detected by the server is sent as `<http://example.com/>`; a URL typed without its
      scheme as `<http://www.example.com|www.example.com>` (full URL, pipe, what was typed); a link
      given a label as `<url|label>` ("Links in retrieved messages",
      https://api.slack.com/reference/surfaces/formatting#linking-urls). `&` inside a URL is an `&`
      like any other and is sent as `&amp;` [ESC].
[EVENT] `message` and `app_mention` events carry the message text as stored: user mentions are
      `<@U0LAN0Z89>` with no name (the app_mention example,
      https://api.slack.com/events/app_mention; "To mention a user ... <@U012AB3CD>",
      https://api.slack.com/reference/surfaces/formatting#mentioning-users; names in mentions were
      phased out with usernames, https://api.slack.com/changelog/2017-09-the-one-about-usernames).
      User groups `<!subteam^SAZ94GDB8>` (#mentioning-groups), `<!here>`, `<!channel>`,
      `<!everyone>` (#special-mentions), channels `<#C123ABC456>` (#linking-channels).
[SHORTCUT] A message shortcut's payload carries the message object as Slack stores it
      (https://api.slack.com/reference/interaction-payloads/shortcuts, `message`), so its `text` is
      the [EVENT] form.
[MODAL] Values typed into a modal's plain_text_input come back in `view.state.values` as typed; no
      Slack page says they are entity-escaped and the product contract (design.md, "Conversation")
      says they are not. `modal_value()` is the identity, to make that explicit at call sites.

Where the docs are unclear, and what this module does
-----------------------------------------------------
* `|name` in slash-command user mentions. The current slash-command page shows
  `<@U012ABCDEF>` (no name) in its example, yet the same paragraph shows names for channels, and
  payloads seen in the wild carry the handle: `<@U1YADV56J|sprax>` (github.com/sprax/ruby,
  regex.rb); "encoded as <@user-id> and sometimes as <@user-id|username>"
  (https://github.com/mattermost/mattermost/issues/13742). Chosen: `<@U…|name>` when the
  `Mention` has a name (the harness's `mention()` already writes it so), `<@U…>` when it has none.
  Clerk must accept both.
* Channel form. The doc writes `<C987654321|>` / `<C123…|public-channel-01>` without the `#`; every
  other Slack page writes channel links `<#C…>`, so the `#` is taken to be a typo: slash commands
  send `<#C…|name>` (public) and `<#C…|>` (private). For events the docs only show what apps
  publish (`<#C123ABC456>`); older docs show what clients sent, `<#C024BE7LR|general>`
  (https://api.slack.com/docs/formatting). Chosen for events: `<#C…|name>` for a public channel,
  `<#C…>` when no name is known or the channel is private. Clerk must accept `<#C…>`, `<#C…|>` and
  `<#C…|name>`.
* User groups and special mentions in slash commands: the doc names only "channel or user
  mentions" and URLs. Chosen: user groups as `<!subteam^S…|@handle>` (the label form the
  formatting page allows for `<!…>` tokens), special mentions as `<!here>`, `<!channel>`,
  `<!everyone>`; with should_escape off, the plain `@handle` / `@here`.
* Whether `&<>` are escaped in slash text when should_escape is off: [ESC] says all text uses one
  escaping system and the toggle only concerns "channels, users, and links". Chosen: always escaped.
* Emoji: Slack converts emoji in published text to colon form (`:smile:`), and "if you're
  retrieving messages, you'll receive the emojis in colon format"
  (https://api.slack.com/reference/surfaces/formatting#emoji). Clients send a picked emoji as
  `:name:` too. This module does not map Unicode emoji to shortcodes (that needs Slack's emoji
  table): a test wanting the realistic form types `:smile:`; Unicode emoji and other non-ASCII text
  pass through unchanged.
* Leading/trailing spaces of slash text ("everything after the first space following the
  command") are left as given.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# -- tokens --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A user picked from the @-autocomplete. `name` is their handle (users.info `name`)."""

    user_id: str
    name: str | None = None


@dataclass(frozen=True)
class Channel:
    """A channel picked from the #-autocomplete."""

    channel_id: str
    name: str | None = None
    private: bool = False


@dataclass(frozen=True)
class UserGroup:
    """A user group (`@board-members`); `handle` without the @."""

    group_id: str
    handle: str | None = None


@dataclass(frozen=True)
class Broadcast:
    """@here, @channel or @everyone."""

    which: str

    def __post_init__(self) -> None:
        if self.which not in BROADCASTS:
            raise ValueError(f"Broadcast must be one of {BROADCASTS}, not {self.which!r}")


@dataclass(frozen=True)
class Link:
    """A URL Slack recognised. `label` is the text shown: what was typed for a URL typed without
    its scheme (`www.example.com`), or the label given to a formatted link."""

    url: str
    label: str | None = None


@dataclass(frozen=True)
class Special:
    """Any other `<!…>` control sequence (`<!date^…|…>`, the legacy `<!group>`), kept verbatim."""

    raw: str


Token = Mention | Channel | UserGroup | Broadcast | Link | Special
Part = str | Token
BROADCASTS = ("here", "channel", "everyone")

# -- the three entities [ESC] ----------------------------------------------------------------------

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def escape_typed(text: str) -> str:
    """Text a person typed, as Slack sends it: every `&`, `<`, `>` escaped, nothing else [ESC].
    `&amp;` typed literally becomes `&amp;amp;`; `<@U123>` typed (not picked) `&lt;@U123&gt;`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The inverse of escape_typed: the three entities decoded in one pass (so `&amp;lt;` -> `&lt;`)."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)


# -- what each surface sends -------------------------------------------------------------------------


def slash_text(parts: Iterable[Part] | str, *, should_escape: bool = True) -> str:
    """A slash command's `text` for what was typed [SLASH]; Clerk's commands set should_escape."""
    return "".join(_slash_part(p, should_escape) for p in _parts(parts))


def event_text(parts: Iterable[Part] | str) -> str:
    """The `text` of a `message` (DM) or `app_mention` event for what was typed [EVENT]. For an
    @mention of the app, start the parts with `Mention(BOT_USER_ID)`."""
    return "".join(_event_part(p) for p in _parts(parts))


def shortcut_message_text(parts: Iterable[Part] | str) -> str:
    """`message.text` in a message shortcut's payload: the message as stored [SHORTCUT]."""
    return event_text(parts)


def modal_value(typed_text: str) -> str:
    """A plain_text_input's value in a view_submission: exactly what was typed [MODAL]."""
    return typed_text


def typed(parts: Iterable[Part] | str) -> str:
    """What the person saw in the composer, as plain text: `@name`, `#name`, `@here`, the label or
    URL. What Clerk should show back (and store for plain parts)."""
    out = []
    for p in _parts(parts):
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Mention):
            out.append("@" + (p.name or p.user_id))
        elif isinstance(p, Channel):
            out.append("#" + (p.name or p.channel_id))
        elif isinstance(p, UserGroup):
            out.append("@" + (p.handle or p.group_id))
        elif isinstance(p, Broadcast):
            out.append("@" + p.which)
        elif isinstance(p, Special):
            out.append(p.raw)
        else:
            out.append(p.label or p.url)
    return "".join(out)


def _parts(parts: Iterable[Part] | str) -> list[Part]:
    if isinstance(parts, str):
        return [parts]
    parts = list(parts)
    for p in parts:
        if not isinstance(p, (str, Mention, Channel, UserGroup, Broadcast, Link, Special)):
            raise TypeError(f"not a typed string or a token: {p!r}")
    return parts


def _slash_part(p: Part, should_escape: bool) -> str:
    if isinstance(p, str):
        return escape_typed(p)
    if not should_escape:  # "the payload will repeat the plain text" [SLASH]
        return escape_typed(typed([p]))
    if isinstance(p, Mention):
        return f"<@{p.user_id}|{p.name}>" if p.name else f"<@{p.user_id}>"
    if isinstance(p, Channel):
        return f"<#{p.channel_id}|>" if p.private or not p.name else f"<#{p.channel_id}|{p.name}>"
    if isinstance(p, UserGroup):
        return f"<!subteam^{p.group_id}|@{p.handle}>" if p.handle else f"<!subteam^{p.group_id}>"
    return _common_token(p)


def _event_part(p: Part) -> str:
    if isinstance(p, str):
        return escape_typed(p)
    if isinstance(p, Mention):
        return f"<@{p.user_id}>"
    if isinstance(p, Channel):
        return f"<#{p.channel_id}|{p.name}>" if p.name and not p.private else f"<#{p.channel_id}>"
    if isinstance(p, UserGroup):
        return f"<!subteam^{p.group_id}>"
    return _common_token(p)


def _common_token(p: Broadcast | Link | Special) -> str:
    if isinstance(p, Broadcast):
        return f"<!{p.which}>"
    if isinstance(p, Special):
        return p.raw
    url = escape_typed(p.url)  # [LINK]: an & in a query string is sent as &amp;
    return f"<{url}|{escape_typed(p.label)}>" if p.label else f"<{url}>"


# -- lines as existing tests write them ---------------------------------------------------------------

# Substrings that already look like Slack tokens. Ids are upper-case letters and digits (Slack's ids
# are; a lower-case `<@u1>` is not a mention); a name or label runs to the next `>`.
_TOKEN = re.compile(
    r"<@(?P<user>[UW][A-Z0-9]+)(?:\|(?P<uname>[^<>]*))?>"
    r"|<#(?P<chan>[CGD][A-Z0-9]+)(?:\|(?P<cname>[^<>]*))?>"
    r"|<!subteam\^(?P<group>S[A-Z0-9]+)(?:\|(?P<ghandle>[^<>]*))?>"
    r"|<!(?P<bang>[^<>|]*)(?:\|[^<>]*)?>"
    r"|<(?P<url>(?:https?|mailto):[^<>|]*)(?:\|(?P<label>[^<>]*))?>"
)


def from_test_line(line: str) -> str:
    """A line as existing tests write it, as Slack would send it: substrings that already look like
    Slack tokens (`<@U…|…>`, `<@U…>`, `<#C…|…>`, `<!…>`, `<http…>`) stand for real tokens and are
    kept exactly; every other `&`, `<`, `>` was typed and is escaped."""
    out, last = [], 0
    for m in _TOKEN.finditer(line):
        out.append(escape_typed(line[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(escape_typed(line[last:]))
    return "".join(out)


def parse_test_line(line: str) -> list[Part]:
    """from_test_line's reading of a line, as parts, e.g. to send it through event_text instead."""
    return _split(line, decode=False)


def decode_sent(text: str) -> list[Part]:
    """What Slack sent, read back into parts: tokens taken out first, then the three entities
    decoded in the text between them (the order issue 11 asks of Clerk). A reference for tests;
    `typed(decode_sent(slash_text(p)))` is what the person saw."""
    return _split(text, decode=True)


def _split(text: str, *, decode: bool) -> list[Part]:
    out: list[Part] = []
    last = 0
    plain = unescape if decode else (lambda s: s)
    for m in _TOKEN.finditer(text):
        if m.start() > last:
            out.append(plain(text[last:m.start()]))
        out.append(_token(m, plain))
        last = m.end()
    if last < len(text):
        out.append(plain(text[last:]))
    return out


def _token(m: re.Match, plain) -> Token:
    if m.group("user"):
        return Mention(m.group("user"), m.group("uname") or None)
    if m.group("chan"):
        return Channel(m.group("chan"), m.group("cname") or None, private=m.group("cname") == "")  # <#C…|>
    if m.group("group"):
        handle = m.group("ghandle")
        return UserGroup(m.group("group"), handle[1:] if handle and handle.startswith("@") else handle or None)
    if m.group("bang") is not None:
        if m.group("bang") in BROADCASTS and m.group(0) == f"<!{m.group('bang')}>":
            return Broadcast(m.group("bang"))
        return Special(m.group(0))  # <!date^…|…>, <!here|here>, <!group>: kept as sent
    label = m.group("label")
    return Link(plain(m.group("url")), plain(label) if label else None)
