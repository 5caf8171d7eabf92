"""Forms: the New action and Add plan item modals, opened from App Home's buttons, from
`/action new` or `/plan add` with nothing after them, and from the "Make an action" message
shortcut (prefilled with the message, with a link back to it that the action's history keeps).

A submission with a bad field gets `response_action: errors` on that field and saves nothing."""
from __future__ import annotations

import logging
from typing import Callable

from slack_sdk.errors import SlackApiError

from render import modals
from render.blocks import sections
from service import forms
from service.conversation import Speaker
from store import outbox
from store.db import reading, unit_of_work
from store.errors import Refusal

log = logging.getLogger("clerk.forms")
MAKE_ACTION = "make_action"  # the message shortcut's callback id (manifest.yml)
TYPED = {"New action": "/action new <title> owner <who> due <date>",
         "Add update": "/action update <ref> <what was done>",
         "Add plan item": "/plan add <title> for <meeting date | month | tbc> owner <who>"}


def where_pressed(body: dict) -> tuple[str | None, bool]:
    """(channel id of the message pressed on, or None in App Home or a modal; is it ephemeral)."""
    container = body.get("container") or {}
    if container.get("type") == "view":
        return None, False
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, bool(container.get("is_ephemeral"))


def open_modal(client, trigger_id: str, view: dict) -> str | None:
    """views.open; the error when Slack refuses (a trigger_id older than 3 seconds: expired_trigger_id)."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
        return None
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else "unknown_error"
        log.warning("could not open a form: %s", error)
        return error or "unknown_error"


def could_not_open(what: str, error: str) -> str:
    return f"Slack took too long to open the {what} form ({error}). Try again, or type it: `{TYPED.get(what, what)}`"


def tell_could_not_open(clerk, body: dict, what: str, error: str) -> None:
    """Said to the person where they were: ephemeral in the channel (DM if that fails), a DM from App Home."""
    user = body["user"]["id"]
    channel, _ = where_pressed(body)
    note = could_not_open(what, error)
    with unit_of_work(clerk.sessions) as s:
        outbox.enqueue(s, channel or user, note, clerk.clock(), blocks=sections([note]),
                       ephemeral_to=user if channel else None, fallback_to=[user] if channel else None)
    clerk.wake_sender()


def new_action_view(clerk, channel: str | None, *, title: str = "", source: str | None = None,
                    from_text: bool = False) -> dict:
    with reading(clerk.read_sessions) as s:
        boards, board = forms.board_choices(s, channel, clerk.conversation.today(clerk.clock()))
        if from_text:
            title = forms.message_title(s, title)
    return modals.new_action(boards, board=board, title=title, source=source, channel=channel)


def plan_item_view(clerk, channel: str | None) -> dict:
    today = clerk.conversation.today(clerk.clock())
    with reading(clerk.read_sessions) as s:
        boards, board = forms.board_choices(s, channel, today, with_meetings=True)
    return modals.plan_item(boards, board=board, today=today, channel=channel)


def register(app, clerk) -> None:
    def opener(what: str, view: Callable[[dict], dict]):
        def handler(ack, body, client):
            ack()
            error = open_modal(client, body["trigger_id"], view(body))
            if error:
                tell_could_not_open(clerk, body, what, error)
        return handler

    app.action(modals.OPEN_NEW_ACTION)(opener("New action", lambda body: new_action_view(clerk, where_pressed(body)[0])))
    app.action(modals.OPEN_PLAN_ITEM)(opener("Add plan item", lambda body: plan_item_view(clerk, where_pressed(body)[0])))

    def from_message(body: dict) -> dict:
        message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id")
        link = None
        try:
            link = clerk.app.client.chat_getPermalink(channel=channel, message_ts=message.get("ts"))["permalink"]
        except SlackApiError as exc:  # the action is still worth making without its link
            log.warning("no permalink for the message: %s", exc.response.get("error"))
        return new_action_view(clerk, channel, title=message.get("text") or "", source=link, from_text=True)

    app.shortcut(MAKE_ACTION)(opener("New action", from_message))

    def submit(build: Callable):
        def handler(ack, body, view):
            meta = forms.metadata(view)
            who = Speaker(user_id=body["user"]["id"], channel_id=meta.get("channel"), surface="form")
            now = clerk.clock()
            try:
                with reading(clerk.read_sessions) as s:
                    cmd = build(s, view, clerk.conversation.today(now), now)
                clerk.conversation.run_command(cmd, who, delivery_id=f"view:{view['id']}")
            except forms.FormErrors as exc:
                ack(response_action="errors", errors=exc.errors)
                return
            except Refusal as exc:  # the rules of the log (e.g. who may add to the plan): on the board
                ack(response_action="errors", errors={"board": exc.message})
                return
            ack()
            clerk.wake_sender()
        return handler

    app.view(modals.NEW_ACTION)(submit(forms.action_command))
    app.view(modals.PLAN_ITEM)(submit(forms.plan_command))


def open_from_command(clerk, client, command: dict) -> str | None:
    """`/action new` or `/plan add` with nothing after: the form. Returns the ephemeral reply, if any."""
    words = " ".join(command.get("text", "").split()).lower()
    channel = command.get("channel_id")
    if command["command"] == "/action" and words == "new":
        what, view = "New action", new_action_view(clerk, channel)
    elif command["command"] == "/plan" and words == "add":
        what, view = "Add plan item", plan_item_view(clerk, channel)
    else:
        return None
    error = open_modal(client, command["trigger_id"], view)
    return could_not_open(what, error) if error else ""
