"""Slack's text in, what the person typed out.

Slack escapes what people type: `&` arrives as `&amp;`, `<` as `&lt;`, `>` as `&gt;` (slash
commands with should_escape, message and app_mention events, a shortcut's message text), and
mentions, channels, user groups, broadcasts and links arrive as tokens: `<@U…|name>`, `<#C…|name>`,
`<!subteam^S…|@name>`, `<!channel>`, `<https://…|label>`. `from_slack` takes the tokens out, then
decodes the three entities, so Clerk stores `P&R`, never `P&amp;R`. A token stays a token (the
grammar reads `owner <@U123>` as that Slack user) in a form nobody can type: the two control
characters below, which ingress refuses in typed text. Modal inputs are not escaped by Slack and
never pass through here.

Invisible and direction characters (a zero-width space, a right-to-left override) are taken out
and the text is put in Unicode's composed form (store.names.visible): nobody means them, and a
title of only a zero-width space is no title.

Free text (titles, updates, notes, conditions) is kept as words: `plain` writes a token out as
`@name`, `#channel`, `@here` or `label (https://…)`, so nothing a person typed can become a live
mention, broadcast or link when Clerk shows it again (render escapes it exactly once).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from store.names import visible

OPEN, CLOSE = "\x02", "\x03"  # around a Slack token inside typed text (not white space to str.split)
MAX_TEXT = 4000  # characters of a command; Slack's own limit for a slash command's text is 4,000 too
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_SLACK_TOKEN = re.compile(r"<([^<>]{1,2000})>")  # typed < and > arrive escaped, so a raw <…> is a token
_CONSOLE_TOKEN = re.compile(r"<([@#][UWCG][A-Z0-9]{2,31}(?:\|[^<>]{0,200})?)>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TOKEN = re.compile(OPEN + "([^" + OPEN + CLOSE + "]*)" + CLOSE)
MENTION = re.compile(OPEN + r"@([UW][A-Z0-9]{2,31})(?:\|([^" + CLOSE + "]*))?" + CLOSE)
# a channel by its name, as only the console writes it (Slack sends a picked channel as <#C…|name>)
_CONSOLE_CHANNEL = re.compile(r"(?<![\w<#&\x02])#((?=[\w.-]*[A-Za-z])[A-Za-z0-9][\w.-]{0,79})(?![\w.-])")
NAMED_CHANNEL = re.compile(OPEN + r"#([a-z0-9][a-z0-9_.-]*)" + CLOSE)
CHANNEL = re.compile(OPEN + r"#([CG][A-Z0-9]{2,31})(?:\|([^" + CLOSE + "]*))?" + CLOSE)


def decode(text: str) -> str:
    """The three entities Slack escapes, decoded once (`&amp;lt;` is the typed `&lt;`)."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def problem(raw: str, *, escaped: bool = False) -> str | None:
    """What makes a text unusable before any parsing: too long, or a control character (a NUL
    byte, say) that a database refuses and nobody means. Length is counted as the person typed it:
    `escaped` text (as Slack sends it) is measured with `&amp;`, `&lt;`, `&gt;` as one character each."""
    typed = len(decode(raw)) if escaped else len(raw)
    if typed > MAX_TEXT:
        return (f"That is {typed:,} characters; a command is at most {MAX_TEXT:,}. "
                "Put long detail in updates, one at a time.")
    bad = _CONTROL.search(raw)
    if bad:
        return (f"Your text has a control character (U+{ord(bad.group()):04X}) that Clerk can't keep. "
                "Type it again without it.")
    return None


def from_slack(raw: str) -> str:
    """Text as Slack sent it, as the person typed it (tokens kept in Clerk's own form)."""
    out, at = [], 0
    for m in _SLACK_TOKEN.finditer(raw):
        out.append(decode(raw[at:m.start()]))
        body, sep, label = m.group(1).partition("|")
        out.append(OPEN + decode(body) + (sep + decode(label) if sep else "") + CLOSE)
        at = m.end()
    out.append(decode(raw[at:]))
    return visible("".join(out))


def from_console(raw: str) -> str:
    """Text typed at the console is not escaped; `<@U0123ABC>` written by hand names a Slack user,
    and `#pr-board` a channel by its name (bot.py's console resolves it through Slack when Clerk is
    connected; otherwise it is kept by name: NAMED_CHANNEL)."""
    text = _CONSOLE_TOKEN.sub(lambda m: OPEN + m.group(1) + CLOSE, raw)
    return visible(_CONSOLE_CHANNEL.sub(lambda m: OPEN + "#" + m.group(1).lower() + CLOSE, text))


def plain(text: str, name_of: Callable[[str], str | None] | None = None) -> str:
    """Typed text with Slack's tokens written out as words; `name_of` gives a Slack user's name
    (events send mentions without one)."""
    def word(m: re.Match) -> str:
        body, _, label = m.group(1).partition("|")
        if body.startswith("@"):  # Slack's handle as "@anna"; a name Clerk knows as it is
            if label:
                return label if label.startswith("@") else f"@{label}"
            known = name_of(body[1:]) if name_of else None
            return known or f"@{body[1:]}"
        if body.startswith("#"):
            return f"#{label or body[1:]}"
        if body.startswith("!subteam^"):
            return label if label.startswith("@") else f"@{label or 'group'}"
        if body.startswith("!date^"):
            return label or "a date"
        if body.startswith("!"):
            return f"@{label or body[1:]}"
        url = body.removeprefix("mailto:")
        return f"{label} ({url})" if label and label != url else url

    return TOKEN.sub(word, text)
