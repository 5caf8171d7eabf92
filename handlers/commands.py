"""Slash commands: /action, /clerk (and /plan, /meeting, which answer with what is ready).

The reply travels in the HTTP response (Bolt's ack with process_before_response), so a
command costs one parse, one transaction and one render; posts to channels go out later from
the outbox."""
from __future__ import annotations

from service.conversation import Speaker

COMMANDS = ("/action", "/clerk", "/plan", "/meeting")


def register(app, clerk) -> None:
    def on_command(ack, command):
        speaker = Speaker(user_id=command["user_id"], user_name=command.get("user_name"),
                          channel_id=command.get("channel_id"), surface="slash")
        reply = clerk.conversation.handle(f"{command['command']} {command.get('text', '')}", speaker)
        first = reply.messages[0]
        ack(text=first.text, blocks=first.blocks or None, response_type="ephemeral")
        clerk.wake_sender()

    for name in COMMANDS:
        app.command(name)(on_command)
