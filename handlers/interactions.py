"""Buttons on Clerk's messages and the Add update modal.

A button press becomes the same command a person could type (`action close 74/18 board P&R`),
so one path decides permissions and what the board sees. The reply goes to the presser's DM
through the outbox."""
from __future__ import annotations

import json
import logging

from slack_sdk.errors import SlackApiError

from render.reminders import DONE, SNOOZE, UPDATE
from service.conversation import Speaker
from store.models import Action

log = logging.getLogger("clerk.interactions")
UPDATE_MODAL = "action_update_modal"


def _ref_words(clerk, action_id: str) -> str | None:
    with clerk.read_sessions() as s:
        action = s.get(Action, int(action_id)) if action_id.isdigit() else None
        return f"{action.ref} board {action.board.name}" if action else None


def register(app, clerk) -> None:
    def press(verb: str, body: dict) -> None:
        button = body["actions"][0]
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id") or user
        words = _ref_words(clerk, button.get("value", ""))
        text = f"action {verb} {words}" if words else "action help"
        speaker = Speaker(user_id=user, channel_id=channel, surface="dm")
        clerk.conversation.handle(text, speaker, delivery_id=f"press:{button.get('action_ts')}:{user}")
        clerk.wake_sender()

    @app.action(DONE)
    def on_done(ack, body):
        ack()
        press("close", body)

    @app.action(SNOOZE)
    def on_snooze(ack, body):
        ack()
        press("snooze", body)

    @app.action(UPDATE)
    def on_update(ack, body, client):
        ack()
        words = _ref_words(clerk, body["actions"][0].get("value", ""))
        if words is None:
            return
        channel = (body.get("channel") or {}).get("id") or body["user"]["id"]
        try:
            client.views_open(trigger_id=body["trigger_id"], view=update_modal(words, body["actions"][0]["value"], channel))
        except SlackApiError as exc:  # an expired trigger: say so rather than fail silently
            log.warning("could not open the update modal: %s", exc.response.get("error"))
            clerk.conversation.handle("action help", Speaker(user_id=body["user"]["id"], channel_id=channel,
                                                             surface="dm"),
                                      delivery_id=f"modal-expired:{body['trigger_id']}")

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
        speaker = Speaker(user_id=body["user"]["id"], channel_id=meta.get("channel"), surface="dm")
        clerk.conversation.handle(f"action update {words} {text}", speaker, delivery_id=f"view:{view['id']}")
        clerk.wake_sender()


def update_modal(words: str, action_id: str, channel: str) -> dict:
    ref = words.split(" board ")[0]
    return {
        "type": "modal", "callback_id": UPDATE_MODAL,
        "title": {"type": "plain_text", "text": f"Update {ref}"[:24]},
        "submit": {"type": "plain_text", "text": "Add update"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"action": int(action_id), "channel": channel}),
        "blocks": [{"type": "input", "block_id": "update", "label": {"type": "plain_text", "text": "Update"},
                    "element": {"type": "plain_text_input", "action_id": "text", "multiline": True,
                                "max_length": 2900}}],
    }
