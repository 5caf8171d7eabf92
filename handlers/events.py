"""DMs to Clerk and @mentions in channels: the same words as the slash commands, without the slash.

Slack retries an event it thinks we missed; the event id is recorded in the same transaction
as the change, so a retried delivery is applied once."""
from __future__ import annotations

import re

from service.conversation import Speaker

_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s:,]*")


def register(app, clerk) -> None:
    @app.event("app_mention")
    def on_mention(body, event):
        text = _LEADING_MENTION.sub("", event.get("text", ""))
        speaker = Speaker(user_id=event["user"], channel_id=event["channel"], surface="mention")
        clerk.conversation.handle(text, speaker, delivery_id=body.get("event_id"))
        clerk.wake_sender()

    @app.event({"type": "message", "channel_type": "im"})
    def on_direct_message(body, event):
        if event.get("subtype") or event.get("bot_id"):
            return  # edits, joins and our own messages are not commands
        speaker = Speaker(user_id=event["user"], channel_id=event["channel"], surface="dm")
        clerk.conversation.handle(event.get("text", ""), speaker, delivery_id=body.get("event_id"))
        clerk.wake_sender()

    @app.event("message")
    def on_other_message():
        """Channel messages without a mention are not for Clerk."""
