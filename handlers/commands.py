"""Slash commands: /action, /clerk, /plan, /meeting.

The reply travels in the HTTP response (Bolt's ack with process_before_response), so a
command costs one parse, one transaction and one render; posts to channels go out later from
the outbox. `/action new` and `/plan add` with nothing after them open the form instead."""
from __future__ import annotations

from handlers.forms import open_from_command
from service.conversation import Speaker

COMMANDS = ("/action", "/clerk", "/plan", "/meeting")


def register(app, clerk) -> None:
    def on_command(ack, command, client):
        form = open_from_command(clerk, client, command)
        if form is not None:  # a form opened (nothing to say), or Slack was too slow to open it
            if form:
                ack(text=form, response_type="ephemeral")
            else:
                ack()
            return
        speaker = Speaker(user_id=command["user_id"], user_name=command.get("user_name"),
                          channel_id=command.get("channel_id"), surface="slash")
        reply = clerk.conversation.handle(f"{command['command']} {command.get('text', '')}", speaker)
        first = reply.messages[0]
        ack(text=first.text, blocks=first.blocks or None, response_type="ephemeral")
        clerk.wake_sender()

    for name in COMMANDS:
        app.command(name)(on_command)
