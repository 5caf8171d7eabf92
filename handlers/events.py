"""DMs to Clerk and @mentions in channels: the same words as the slash commands, without the slash.

Slack retries an event it thinks we missed; the event id is recorded in the same transaction
as the change, so a retried delivery is applied once."""
from __future__ import annotations

import re

from service.conversation import Speaker

_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s:,]*")


def on_mention(body, event, context) -> None:
    clerk = context["clerk"]
    text = _LEADING_MENTION.sub("", event.get("text") or "")
    speaker = Speaker(user_id=event.get("user") or "", channel_id=event.get("channel"), surface="mention")
    clerk.conversation.handle(text, speaker, delivery_id=body.get("event_id"))
    clerk.wake_sender()


def on_direct_message(body, event, context) -> None:
    if event.get("subtype") or event.get("bot_id"):
        return  # edits, joins and our own messages are not commands
    clerk = context["clerk"]
    speaker = Speaker(user_id=event.get("user") or "", channel_id=event.get("channel"), surface="dm")
    clerk.conversation.handle(event.get("text") or "", speaker, delivery_id=body.get("event_id"))
    clerk.wake_sender()


def on_other_message() -> None:
    """Channel messages without a mention are not for Clerk."""


def on_token_lost(event, context) -> None:
    """`app_uninstalled` or `tokens_revoked` (Events API): answered 200 by Bolt's ack, and this
    token is not used again; the outbox keeps what it owes for a reinstall."""
    if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
        return  # only users' tokens were revoked: Clerk's bot token still works
    context["clerk"].token_lost(str(event.get("type")))


def register(app, clerk) -> None:
    app.event("app_uninstalled")(on_token_lost)
    app.event("tokens_revoked")(on_token_lost)
    app.event("app_mention")(on_mention)
    app.event({"type": "message", "channel_type": "im"})(on_direct_message)
    app.event("message")(on_other_message)
