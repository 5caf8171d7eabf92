"""Slash commands: /action, /clerk, /plan, /meeting.

The reply travels in the HTTP response (Bolt's ack with process_before_response), so a
command costs one parse, one transaction and one render; posts to channels go out later from
the outbox. `/action new` and `/plan add` with nothing after them open the form instead. A
command is applied once per invocation: its trigger_id is unique to it, so the same signed
request sent twice changes the log once."""
from __future__ import annotations

from service import forms
from service.conversation import Speaker

COMMANDS = ("/action", "/clerk", "/plan", "/meeting")


def on_command(ack, command, client, context) -> None:
    clerk = context["clerk"]
    text = command.get("text") or ""
    form = forms.form_for_command(clerk.conversation, command.get("command", ""), text, command.get("channel_id"),
                                  command.get("user_id"))
    if form is not None:
        what, view = form
        error = clerk.open_modal(client, command.get("trigger_id"), view)
        if error:
            ack(text=forms.could_not_open(what, error), response_type="ephemeral")
        else:
            ack()
        return
    speaker = Speaker(user_id=command.get("user_id") or "", user_name=command.get("user_name"),
                      channel_id=command.get("channel_id"), surface="slash")
    trigger = command.get("trigger_id")
    reply = clerk.conversation.handle(f"{command.get('command', '')} {text}", speaker,
                                      once=f"slash:{trigger}" if isinstance(trigger, str) and trigger else None)
    first = reply.messages[0]
    ack(text=first.text, blocks=first.blocks or None, response_type="ephemeral")
    clerk.wake_sender()


def register(app, clerk) -> None:
    for name in COMMANDS:
        app.command(name)(on_command)
