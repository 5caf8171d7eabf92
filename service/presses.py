"""Buttons on Clerk's messages, and the Add update modal.

A press builds the typed command a person could type (Mark done is `CloseAction` of that action),
so one path decides permissions and what the board sees. In the same transaction the pressed
message is owed its new version: `chat.update` for a channel or DM message, its response_url
(`replace_original`) for an ephemeral one, so no message shows a stale status, and never more than
the message's readers may see: a Part B card in a public channel stays the public version, an
ephemeral or DM card shows the text only to someone who may read it. A press on an action that
changed meanwhile gets the current state, not a second change."""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from grammar.commands import CloseAction, ConfirmClosure, ReopenAction, Snooze, UpdateAction
from grammar.slacktext import problem as text_problem
from render.reminders import CONFIRM, DONE, REOPEN, SNOOZE, UPDATE, card, refreshed
from service.conversation import Conversation, Speaker
from store import actions as log
from store import outbox, people
from store.models import Action
from store.terms import ActionId

UPDATE_MODAL = "action_update_modal"
COMMANDS: dict[str, Callable[[ActionId], Any]] = {
    DONE: lambda target: CloseAction(target=target), SNOOZE: lambda target: Snooze(target=target),
    CONFIRM: lambda target: ConfirmClosure(target=target), REOPEN: lambda target: ReopenAction(target=target)}
BUTTONS = tuple(COMMANDS)
ADD_UPDATE = UPDATE
_ID = re.compile(r"^[0-9]{1,12}$")
_TS = re.compile(r"^[0-9]{1,12}\.[0-9]{1,9}$")
_CHANNEL = re.compile(r"^[CDG][A-Z0-9]{2,31}$")
MAX_UPDATE = 2900


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def where_pressed(body: dict) -> tuple[str | None, bool]:
    """(channel id of the message pressed on, or None in App Home or a modal; is it ephemeral)."""
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    if container.get("type") == "view":
        return None, False
    channel = _str(container.get("channel_id")) or _str((body.get("channel") or {}).get("id")
                                                        if isinstance(body.get("channel"), dict) else None)
    if channel and not _CHANNEL.match(channel):
        channel = None
    return channel, bool(container.get("is_ephemeral"))


def speaker_at(user: str, channel: str | None) -> Speaker:
    """Replies go where the person pressed: ephemeral in a channel, in the DM, or by DM from App Home."""
    if channel and channel[:1] in ("C", "G"):
        return Speaker(user_id=user, channel_id=channel, surface="mention")
    return Speaker(user_id=user, channel_id=channel or user, surface="dm")


def action_id(value: Any) -> int | None:
    """A button's value is the action's id: digits, nothing else (`²` is a digit to str.isdigit)."""
    return int(value) if isinstance(value, str) and _ID.match(value) else None


def bring_up_to_date(body: dict, target: int, conversation: Conversation) -> Callable[[Session, dt.datetime], None]:
    """The `then` of a press: owe the pressed message its new version, in the press's transaction."""
    channel, ephemeral = where_pressed(body)
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    user = _str((body.get("user") or {}).get("id")) or ""

    def then(s: Session, now: dt.datetime) -> None:
        action = s.get(Action, target)
        if action is None or channel is None:
            return  # App Home is republished by the change itself
        today = conversation.today(now)
        if ephemeral or channel.startswith("D"):  # one reader: the presser
            visible = log.can_see(action, people.person_by_slack_id(s, user))
            if ephemeral:
                url = _str(body.get("response_url"))
                if url and url.startswith(("https://", "http://")):
                    blocks = card(action, today, visible=visible)
                    outbox.replace(s, user, url, blocks[0]["text"]["text"], now, blocks=blocks, ephemeral=True)
                return
        else:
            visible = True  # a channel: the sender shows the public version unless the channel is private
        message = body.get("message") if isinstance(body.get("message"), dict) else {}
        blocks = message.get("blocks") if isinstance(message.get("blocks"), list) else []
        ts = _str(container.get("message_ts")) or _str(message.get("ts"))
        if not ts or not _TS.match(ts):
            return
        full = refreshed(blocks, action, today, visible=visible)
        public = refreshed(blocks, action, today, visible=False) if action.private and visible else None
        fallback = _str(message.get("text")) or full[0]["text"]["text"]
        outbox.replace(s, channel, ts, fallback[:3000] if visible else full[0]["text"]["text"], now,
                       blocks=full, public_blocks=public)

    return then


def press(conversation: Conversation, body: dict) -> None:
    """Mark done, Snooze a week, Confirm closure, Reopen."""
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    button = actions[0] if actions and isinstance(actions[0], dict) else {}
    make = COMMANDS.get(_str(button.get("action_id")) or "")
    target = action_id(button.get("value"))
    user = _str((body.get("user") or {}).get("id")) if isinstance(body.get("user"), dict) else None
    if make is None or target is None or not user:
        return
    stamp = _str(button.get("action_ts")) or ""
    conversation.run(make(ActionId(target)), speaker_at(user, where_pressed(body)[0]),
                     delivery_id=f"press:{stamp[:40]}:{user}", then=bring_up_to_date(body, target, conversation))


def update_modal_for(conversation: Conversation, body: dict) -> dict | None:
    """The Add update form for the pressed action, remembering where it was pressed."""
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    target = action_id((actions[0] if actions and isinstance(actions[0], dict) else {}).get("value"))
    if target is None:
        return None
    with conversation.read_sessions() as s:
        action = s.get(Action, target)
        if action is None:
            return None
        ref = action.ref
    channel, ephemeral = where_pressed(body)
    meta: dict[str, Any] = {"action": target, "channel": channel}
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    if channel and not ephemeral and _TS.match(_str(container.get("message_ts")) or ""):
        meta["message_ts"] = container["message_ts"]
    return update_modal(ref, meta)


def submit_update(conversation: Conversation, body: dict, view: dict) -> dict[str, str] | None:
    """The Add update form sent: the update, as `/action update` would add it. Field errors, or None."""
    values = (view.get("state") or {}).get("values") if isinstance(view.get("state"), dict) else None
    element = ((values or {}).get("update") or {}).get("text") if isinstance(values, dict) else None
    text = element.get("value") if isinstance(element, dict) else None
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        return {"update": "Write the update first."}
    if len(text) > MAX_UPDATE or (problem := text_problem(text)):
        return {"update": f"Keep an update to {MAX_UPDATE} characters." if len(text) > MAX_UPDATE else problem}
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except (ValueError, TypeError):
        meta = {}
    target = meta.get("action") if isinstance(meta, dict) else None
    user = _str((body.get("user") or {}).get("id"))
    if not isinstance(target, int) or isinstance(target, bool) or not user:
        return None
    channel = meta.get("channel") if isinstance(meta.get("channel"), str) and _CHANNEL.match(meta["channel"]) else None
    then = None
    ts = meta.get("message_ts")
    if channel and isinstance(ts, str) and _TS.match(ts):  # the message the button was on shows the update's effect
        then = bring_up_to_date({"user": {"id": user}, "container": {
            "type": "message", "channel_id": channel, "message_ts": ts}}, target, conversation)
    view_id = _str(view.get("id")) or ""
    conversation.run(UpdateAction(target=ActionId(target), text=text), speaker_at(user, channel),
                     delivery_id=f"view:{view_id[:60]}", then=then)
    return None


def update_modal(ref: str, meta: dict) -> dict:
    return {
        "type": "modal", "callback_id": UPDATE_MODAL,
        "title": {"type": "plain_text", "text": f"Update {ref}"[:24]},
        "submit": {"type": "plain_text", "text": "Add update"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta),
        "blocks": [{"type": "input", "block_id": "update", "label": {"type": "plain_text", "text": "Update"},
                    "element": {"type": "plain_text_input", "action_id": "text", "multiline": True,
                                "max_length": MAX_UPDATE}}],
    }


__all__ = ["BUTTONS", "ADD_UPDATE", "UPDATE_MODAL", "press", "update_modal_for", "submit_update"]
