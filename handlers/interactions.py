"""Buttons on Clerk's messages, and the Add update modal.

A button press becomes the same command a person could type (`action close 74/18 board P&R`),
so one path decides permissions and what the board sees. In the same transaction the pressed
message is owed its new version: `chat.update` for a channel or DM message, its response_url
(`replace_original`) for an ephemeral one, so no message shows a stale status. A press on an
action that changed meanwhile gets the current state, not a second change. The presser's reply
is ephemeral where they pressed (a DM from App Home)."""
from __future__ import annotations

import json
import logging

from handlers.forms import open_modal, tell_could_not_open, where_pressed
from render.reminders import CONFIRM, DONE, REOPEN, SNOOZE, UPDATE, card, refreshed
from service.conversation import Speaker
from store import outbox
from store.models import Action

log = logging.getLogger("clerk.interactions")
UPDATE_MODAL = "action_update_modal"
VERB_OF = {DONE: "close", SNOOZE: "snooze", CONFIRM: "confirm", REOPEN: "reopen"}


def _ref_words(clerk, action_id: str) -> str | None:
    with clerk.read_sessions() as s:
        action = s.get(Action, int(action_id)) if action_id.isdigit() else None
        return f"{action.ref} board {action.board.name}" if action else None


def presser(body: dict) -> Speaker:
    """Replies go where the person pressed: ephemeral in a channel, in the DM, or by DM from App Home."""
    return speaker_at(body["user"]["id"], where_pressed(body)[0])


def speaker_at(user: str, channel: str | None) -> Speaker:
    if channel and channel[:1] in ("C", "G"):
        return Speaker(user_id=user, channel_id=channel, surface="mention")
    return Speaker(user_id=user, channel_id=channel or user, surface="dm")


def bring_up_to_date(clerk, body: dict, action_id: int):
    """The `then` of a press: owe the pressed message its new version, in the press's transaction."""
    channel, ephemeral = where_pressed(body)
    container = body.get("container") or {}

    def then(s, now) -> None:
        action = s.get(Action, action_id)
        if action is None or channel is None:
            return  # App Home is republished by the change itself
        today = clerk.conversation.today(now)
        if ephemeral:
            if body.get("response_url"):
                blocks = card(action, today)
                outbox.replace(s, body["user"]["id"], body["response_url"], blocks[0]["text"]["text"], now,
                               blocks=blocks, ephemeral=True)
            return
        message = body.get("message") or {}
        blocks = message.get("blocks") or []
        full = refreshed(blocks, action, today)
        public = refreshed(blocks, action, today, visible=False) if action.private else None
        outbox.replace(s, channel, container.get("message_ts") or message.get("ts"),
                       message.get("text") or full[0]["text"]["text"], now, blocks=full, public_blocks=public)

    return then


def register(app, clerk) -> None:
    def press(ack, body):
        ack()
        button = body["actions"][0]
        verb = VERB_OF[button["action_id"]]
        value = button.get("value", "")
        words = _ref_words(clerk, value)
        text = f"action {verb} {words}" if words else "action help"
        then = bring_up_to_date(clerk, body, int(value)) if words else None
        clerk.conversation.handle(text, presser(body), delivery_id=f"press:{button.get('action_ts')}:{body['user']['id']}",
                                  then=then)
        clerk.wake_sender()

    for action_id in VERB_OF:
        app.action(action_id)(press)

    @app.action(UPDATE)
    def on_update(ack, body, client):
        ack()
        value = body["actions"][0].get("value", "")
        words = _ref_words(clerk, value)
        if words is None:
            return
        channel, ephemeral = where_pressed(body)
        meta = {"action": int(value), "channel": channel}
        if channel and not ephemeral and (body.get("container") or {}).get("message_ts"):
            meta["message_ts"] = body["container"]["message_ts"]
        error = open_modal(client, body["trigger_id"], update_modal(words, meta))
        if error:
            tell_could_not_open(clerk, body, "Add update", error)

    @app.view(UPDATE_MODAL)
    def on_update_submitted(ack, body, view):
        text = (view["state"]["values"]["update"]["text"].get("value") or "").strip()
        if not text:
            ack(response_action="errors", errors={"update": "Write the update first."})
            return
        ack()
        meta = json.loads(view.get("private_metadata") or "{}")
        words = _ref_words(clerk, str(meta.get("action", "")))
        if words is None:
            return
        channel = meta.get("channel")
        speaker = speaker_at(body["user"]["id"], channel)
        then = None
        if channel and meta.get("message_ts"):  # the message the button was on shows the update's effect
            then = bring_up_to_date(clerk, {"user": body["user"], "container": {
                "type": "message", "channel_id": channel, "message_ts": meta["message_ts"]}}, int(meta["action"]))
        clerk.conversation.handle(f"action update {words} {text}", speaker, delivery_id=f"view:{view['id']}",
                                  then=then)
        clerk.wake_sender()


def update_modal(words: str, meta: dict) -> dict:
    ref = words.split(" board ")[0]
    return {
        "type": "modal", "callback_id": UPDATE_MODAL,
        "title": {"type": "plain_text", "text": f"Update {ref}"[:24]},
        "submit": {"type": "plain_text", "text": "Add update"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta),
        "blocks": [{"type": "input", "block_id": "update", "label": {"type": "plain_text", "text": "Update"},
                    "element": {"type": "plain_text_input", "action_id": "text", "multiline": True,
                                "max_length": 2900}}],
    }
