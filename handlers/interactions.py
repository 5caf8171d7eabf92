"""Buttons on Clerk's messages (Mark done, Snooze a week, Confirm closure, Reopen) and the Add update
modal. What a press means is service.presses'; here only Slack's side: ack, open the modal."""
from __future__ import annotations

from service import presses


def on_press(ack, body, context) -> None:
    ack()
    clerk = context["clerk"]
    presses.press(clerk.conversation, body)
    clerk.wake_sender()


def on_add_update(ack, body, client, context) -> None:
    ack()
    clerk = context["clerk"]
    view = presses.update_modal_for(clerk.conversation, body)
    if view is None:
        return
    error = clerk.open_modal(client, body.get("trigger_id"), view)
    if error:
        clerk.tell_could_not_open(body, "Add update", error)


def on_update_submitted(ack, body, view, context) -> None:
    clerk = context["clerk"]
    errors = presses.submit_update(clerk.conversation, body, view)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    clerk.wake_sender()


def register(app, clerk) -> None:
    for action_id in presses.BUTTONS:
        app.action(action_id)(on_press)
    app.action(presses.ADD_UPDATE)(on_add_update)
    app.view(presses.UPDATE_MODAL)(on_update_submitted)
