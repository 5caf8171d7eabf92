"""Forms: the New action and Add plan item modals, opened from App Home's buttons and from the
"Make an action" message shortcut (prefilled with the message, with a link back to it that the
action's history keeps); and the minutes forms (paste, then review and apply). A submission with
a bad field gets `response_action: errors` on that field and saves nothing. What the forms mean is
service.forms' and service.minutes'."""
from __future__ import annotations

import logging

from service import forms, minutes, presses

log = logging.getLogger("clerk.forms")


def on_open_new_action(ack, body, client, context) -> None:
    ack()
    clerk = context["clerk"]
    _open(clerk, client, body, "New action", forms.new_action_view(clerk.conversation, presses.where_pressed(body)[0]))


def on_open_plan_item(ack, body, client, context) -> None:
    ack()
    clerk = context["clerk"]
    _open(clerk, client, body, "Add plan item", forms.plan_item_view(clerk.conversation, presses.where_pressed(body)[0]))


def on_make_action(ack, body, client, context) -> None:
    ack()
    clerk = context["clerk"]
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    channel = (body.get("channel") or {}).get("id") if isinstance(body.get("channel"), dict) else None
    link = clerk.permalink(client, channel, message.get("ts"))
    view = forms.new_action_view(clerk.conversation, channel, title=message.get("text") or "", source=link,
                                 from_message=True)
    _open(clerk, client, body, "New action", view)


def _open(clerk, client, body: dict, what: str, view: dict) -> None:
    error = clerk.open_modal(client, body.get("trigger_id"), view)
    if error:
        clerk.tell_could_not_open(body, what, error)


def on_open_minutes(ack, body, client, context) -> None:
    ack()
    clerk = context["clerk"]
    _open(clerk, client, body, "Read minutes", minutes.paste_form(clerk.conversation, presses.where_pressed(body)[0]))


def on_minutes_pasted(ack, body, view, context) -> None:
    user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
    ack(**minutes.read_pasted(context["clerk"].conversation, user or "", view))


def on_minutes_reviewed(ack, body, view, context) -> None:
    clerk = context["clerk"]
    user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
    errors = minutes.apply_reviewed(clerk.conversation, user or "", view) if user else None
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    clerk.wake_sender()


def on_submit(ack, body, view, context) -> None:
    clerk = context["clerk"]
    user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
    errors = forms.submit(clerk.conversation, view.get("callback_id"), user or "", view) if user else None
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    clerk.wake_sender()


def register(app, clerk) -> None:
    app.action(forms.OPEN_NEW_ACTION)(on_open_new_action)
    app.action(forms.OPEN_PLAN_ITEM)(on_open_plan_item)
    app.shortcut(forms.MAKE_ACTION)(on_make_action)
    app.view(forms.NEW_ACTION)(on_submit)
    app.view(forms.PLAN_ITEM)(on_submit)
    app.action(minutes.OPEN_MINUTES)(on_open_minutes)
    app.view(minutes.PASTE)(on_minutes_pasted)
    app.view(minutes.REVIEW)(on_minutes_reviewed)
