"""Signed HTTP requests shaped like the ones Slack sends to an app.

Body builders (*_body) return the exact string that gets signed, so tests can
also feed it to Bolt directly (BoltRequest(body=..., headers=signature_headers(...)))
or send one envelope twice to check de-duplication. Senders return requests.Response.
Pass timestamp=time.time() - 600 for a stale signature, or a wrong secret for a forged one.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import requests
from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
API_APP_ID = "A0001"
VERIFICATION_TOKEN = "verification-token"  # legacy field; Slack still sends it
BOT_USER_ID = "UCLERKBOT"


def signature_headers(body: str, secret: str, timestamp: float | None = None) -> dict:
    ts = str(int(time.time() if timestamp is None else timestamp))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def post_signed(url: str, body: str, *, secret: str, content_type: str,
                timestamp: float | None = None, headers: dict | None = None) -> requests.Response:
    all_headers = {"Content-Type": content_type, **signature_headers(body, secret, timestamp), **(headers or {})}
    # Send bytes: requests would encode a str body as latin-1, breaking non-ASCII text and the signature.
    return requests.post(url, data=body.encode("utf-8"), headers=all_headers, timeout=10)


# -- slash commands ---------------------------------------------------------

def new_trigger_id() -> str:
    """Slack gives every invocation its own trigger_id (shaped like 13345224609.738474920.8088930838d88f008e0)."""
    return f"{int(time.time())}.{uuid.uuid4().int % 10**9}.{uuid.uuid4().hex[:20]}"


def slash_body(command: str, text: str, *, user_id: str = "U0001", user_name: str = "user",
               channel_id: str = "C0001", channel_name: str = "general", team_id: str = "T0001",
               trigger_id: str | None = None, response_url: str | None = None,
               enterprise_id: str | None = None) -> str:
    """A slash command's form body. From an Enterprise Grid org it also carries enterprise_id and
    enterprise_name, and its users are W… ids (the body slackapi/bolt-js's receiver tests sign:
    "user_id=W111&…&is_enterprise_install=false&enterprise_id=E111&enterprise_name=Sandbox+Org")."""
    grid = {"enterprise_id": enterprise_id, "enterprise_name": "Sandbox Org"} if enterprise_id else {}
    return urlencode({
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": "test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": API_APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url or f"https://hooks.slack.com/commands/{team_id}/1/abc",
        "trigger_id": trigger_id or new_trigger_id(),
        **grid,
    })


def slash(url: str, secret: str, command: str, text: str, *, user_id: str = "U0001", user_name: str = "user",
          channel_id: str = "C0001", channel_name: str = "general", team_id: str = "T0001",
          trigger_id: str | None = None, response_url: str | None = None,
          timestamp: float | None = None) -> requests.Response:
    body = slash_body(command, text, user_id=user_id, user_name=user_name, channel_id=channel_id,
                      channel_name=channel_name, team_id=team_id, trigger_id=trigger_id,
                      response_url=response_url)
    return post_signed(url, body, secret=secret, content_type=FORM, timestamp=timestamp)


# -- Events API -------------------------------------------------------------

def new_event_id() -> str:
    return "Ev" + uuid.uuid4().hex[:10].upper()


def make_event_envelope(event: dict, event_id: str | None = None, *, team_id: str = "T0001") -> dict:
    # event_time comes from the event itself when possible so that the same
    # (event, event_id) always yields the same envelope, as a real Slack retry does.
    event_time = int(float(event.get("event_ts") or event.get("ts") or time.time()))
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": API_APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": event_time,
        "authorizations": [{"enterprise_id": None, "team_id": team_id, "user_id": BOT_USER_ID,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    }


def event_body(event: dict, event_id: str | None = None, *, team_id: str = "T0001") -> str:
    return json.dumps(make_event_envelope(event, event_id, team_id=team_id))


def event(url: str, secret: str, event: dict, *, event_id: str | None = None, team_id: str = "T0001",
          retry_num: int | None = None, retry_reason: str | None = None,
          timestamp: float | None = None) -> requests.Response:
    headers = {}
    if retry_num is not None:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason or "http_timeout"}
    return post_signed(url, event_body(event, event_id, team_id=team_id), secret=secret, content_type=JSON,
                       timestamp=timestamp, headers=headers)


# -- interactivity and URL verification -------------------------------------
#
# Interaction payloads in the shapes Slack sends them. The samples each shape is copied from:
#   [BA-JAVA]  slackapi/java-slack-sdk json-logs/samples/app-backend/interactive-components/BlockActionPayload.json
#              (every field Slack has sent in a block_actions payload: enterprise, team, user, container,
#              channel, message, response_url, view, state, actions, is_enterprise_install)
#   [BA-BOLT]  slackapi/bolt-python tests/scenario_tests/test_block_actions.py (`body`: a press on a message,
#              by an Enterprise Grid user W111 of team T111 in enterprise E111 "Sandbox Org")
#   [VS-JAVA]  slackapi/java-slack-sdk json-logs/samples/app-backend/views/ViewSubmissionPayload.json
#   [VS-BOLT]  slackapi/bolt-python tests/scenario_tests/test_view_submission.py (`body`: view id, team_id,
#              type modal, callback_id, private_metadata, hash, root_view_id, app_installed_team_id, bot_id,
#              state {"values": {block_id: {action_id: {"type": "plain_text_input", "value": …}}}}, response_urls)
#   [STATE]    slackapi/java-slack-sdk slack-api-model/src/main/java/com/slack/api/model/view/ViewState.java
#              (each element's state: value, selected_date, selected_users, selected_option {text, value},
#              selected_options, each with the element's type)
#   [MS-BOLT]  slackapi/bolt-python tests/scenario_tests/test_shortcut.py (`message_shortcut_body`: a message
#              shortcut by W111: callback_id, trigger_id, message_ts, message, channel, team, user, response_url)
#   [MS-JAVA]  slackapi/java-slack-sdk json-logs/samples/app-backend/interactive-components/MessageShortcutPayload.json
# A DM is a channel whose id starts with D; Slack names it "directmessage" in a payload's `channel`.
# A press in App Home comes from a view (container type view, the Home view with type home), with no
# channel, message or response_url (https://api.slack.com/reference/interaction-payloads/block-actions:
# "message or view: the source app surface the user initiated the interaction from").

TEAM_DOMAIN = "test"
ENTERPRISE_NAME = "Sandbox Org"
DM_CHANNEL_NAME = "directmessage"
APP_BOT_ID = "BCLERK"  # the bot user's bot id, as tests/fakeslack.py answers auth.test


def interaction_team(team_id: str = "T0001", enterprise_id: str | None = None) -> dict:
    """`team`; in an Enterprise Grid org it also names the enterprise [BA-BOLT]."""
    grid = {"enterprise_id": enterprise_id, "enterprise_name": ENTERPRISE_NAME} if enterprise_id else {}
    return {"id": team_id, "domain": TEAM_DOMAIN, **grid}


def interaction_user(user_id: str, name: str, *, team_id: str = "T0001") -> dict:
    """`user` of a block_actions or view_submission payload [BA-BOLT] [VS-BOLT]."""
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def with_envelope(payload: dict, *, team_id: str = "T0001", enterprise_id: str | None = None) -> dict:
    """The fields every interaction payload carries, under the payload's own [BA-JAVA] [VS-JAVA]:
    team, enterprise (null outside an Enterprise Grid org), is_enterprise_install (false: Clerk is
    installed on a workspace, even one in an org), api_app_id and the legacy verification token."""
    envelope = {"team": interaction_team(team_id, enterprise_id),
                "enterprise": {"id": enterprise_id, "name": ENTERPRISE_NAME} if enterprise_id else None,
                "is_enterprise_install": False, "api_app_id": API_APP_ID, "token": VERIFICATION_TOKEN}
    user = payload.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        name = user.get("name") if isinstance(user.get("name"), str) else user["id"].lower()
        full = interaction_user(user["id"], name, team_id=team_id)
        if payload.get("type") == "message_action":
            full.pop("username")  # a shortcut's user has id, name and team_id [MS-JAVA]
        payload = {**payload, "user": {**full, **user}}
    return {**envelope, **payload}


def button_action(button: dict, action_ts: str) -> dict:
    """One entry of `actions` for a button press [BA-BOLT]: action_id, block_id, text, value, type, action_ts."""
    action = {"action_id": button["action_id"], "block_id": button.get("block_id", "b"),
              "text": {"emoji": True, **(button.get("text") or {"type": "plain_text", "text": button["action_id"]})},
              "value": button.get("value", ""), "type": "button", "action_ts": action_ts}
    return action | ({"style": button["style"]} if button.get("style") else {})


def channel_name(channel: str, name: str | None = None) -> str:
    return DM_CHANNEL_NAME if channel.startswith("D") else (name or channel.lower())


def message_press(user: dict, action: dict, *, trigger_id: str, channel: str, message: dict, response_url: str,
                  team_id: str = "T0001", name: str | None = None) -> dict:
    """A press on a posted message, in a channel or a DM [BA-JAVA] [BA-BOLT]: the container names the
    message, `message` is the message as Slack holds it (bot_id, ts, blocks), with its response_url."""
    return {"type": "block_actions", "user": user, "trigger_id": trigger_id,
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel, "name": channel_name(channel, name)},
            "message": {"team": team_id, **message}, "state": {"values": {}}, "response_url": response_url,
            "actions": [action]}


def ephemeral_press(user: dict, action: dict, *, trigger_id: str, channel: str, message_ts: str,
                    response_url: str, name: str | None = None) -> dict:
    """A press on an ephemeral message: Slack keeps no copy, so there is no `message`, only the
    container (is_ephemeral) and the response_url that can replace it [BA-BOLT]."""
    return {"type": "block_actions", "user": user, "trigger_id": trigger_id,
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": True},
            "channel": {"id": channel, "name": channel_name(channel, name)}, "state": {"values": {}},
            "response_url": response_url, "actions": [action]}


def home_press(user: dict, action: dict, *, trigger_id: str, view: dict) -> dict:
    """A press in App Home: the container is the Home view, `view` the view as Slack holds it
    (id, team_id, type home, blocks, state, hash, …); no channel, message or response_url [BA-JAVA]."""
    return {"type": "block_actions", "user": user, "trigger_id": trigger_id,
            "container": {"type": "view", "view_id": view["id"]}, "view": view, "actions": [action]}


def _options(element: dict) -> list[dict]:
    groups = element.get("option_groups") or []
    return list(element.get("options") or []) + [o for g in groups for o in g.get("options") or []]


def _chosen(element: dict, option: dict | None, *, described: bool) -> dict | None:
    """An option as a state carries it: text and value (a checkbox's also its description) [STATE]."""
    if not isinstance(option, dict):
        return option
    known = next((o for o in _options(element) if o.get("value") == option.get("value")), {})
    full = {**known, **option}
    keep = ("text", "value", "description") if described else ("text", "value")
    return {k: full[k] for k in keep if k in full}


# What an element's state holds when nobody touched it: its initial value, else empty [STATE].
_UNTOUCHED = {
    "plain_text_input": lambda e: {"value": e.get("initial_value")},
    "multi_users_select": lambda e: {"selected_users": list(e.get("initial_users") or [])},
    "static_select": lambda e: {"selected_option": _chosen(e, e.get("initial_option"), described=False)},
    "datepicker": lambda e: {"selected_date": e.get("initial_date")},
    "checkboxes": lambda e: {"selected_options": [_chosen(e, o, described=True) for o in e.get("initial_options") or []]},
}


def element_state(element: dict, filled: dict | None) -> dict:
    """One input's state in view.state.values: {"type": …, and its type's own field} [STATE] [VS-BOLT].
    `filled` is what the person entered, in any completeness ({"value": "P&R"} for an option will do)."""
    kind = element.get("type")
    state = {"type": kind, **(_UNTOUCHED[kind](element) if kind in _UNTOUCHED else {})}
    if filled is None:
        return state
    state.update(filled)
    if isinstance(filled.get("selected_option"), dict):
        state["selected_option"] = _chosen(element, filled["selected_option"], described=False)
    if isinstance(filled.get("selected_options"), list):
        state["selected_options"] = [_chosen(element, o, described=kind == "checkboxes")
                                     for o in filled["selected_options"]]
    return state


def view_state(view: dict, filled: dict) -> dict:
    """view.state as Slack sends it on submission: {"values": {block_id: {action_id: state}}} for every
    input block of the view, the untouched ones too [VS-BOLT]; `filled`: {block_id: what was entered}."""
    values: dict = {}
    for block in view.get("blocks") or []:
        if block.get("type") == "input" and isinstance(block.get("element"), dict):
            element = block["element"]
            values[block["block_id"]] = {element.get("action_id", "value"):
                                         element_state(element, filled.get(block["block_id"]))}
    for block_id, state in filled.items():  # a field the view does not have is sent as given
        values.setdefault(block_id, {"value": state})
    return {"values": values}


def submitted_view(view: dict, state: dict, *, view_id: str, team_id: str = "T0001") -> dict:
    """The `view` of a view_submission: the modal as Slack holds it, with its state [VS-BOLT] [VS-JAVA]."""
    return {"type": "modal", "private_metadata": "", "callback_id": "", "external_id": "", "hash": "",
            "clear_on_close": False, "notify_on_close": False, "previous_view_id": None, "root_view_id": view_id,
            "app_id": API_APP_ID, "app_installed_team_id": team_id, "bot_id": APP_BOT_ID,
            **view, "id": view_id, "team_id": team_id, "state": state}


def view_submission(user: dict, view: dict, *, trigger_id: str) -> dict:
    """A modal submitted [VS-BOLT]: type, user, trigger_id, view, response_urls (none: Clerk's forms
    have no conversation select that asks for one)."""
    return {"type": "view_submission", "user": user, "trigger_id": trigger_id, "view": view, "response_urls": []}


def message_shortcut(user: dict, *, callback_id: str, trigger_id: str, channel: str, message: dict,
                     response_url: str, action_ts: str, team_id: str = "T0001", name: str | None = None) -> dict:
    """A message shortcut [MS-BOLT] [MS-JAVA]: the message it was used on (as Slack stores it), its
    channel, message_ts, the shortcut's callback_id, a trigger_id and a response_url. Its `user` has
    no username, only id, name and team_id [MS-JAVA]."""
    return {"type": "message_action", "callback_id": callback_id, "trigger_id": trigger_id, "action_ts": action_ts,
            "user": {"id": user["id"], "name": user["name"], "team_id": user.get("team_id", team_id)},
            "channel": {"id": channel, "name": channel_name(channel, name)}, "message_ts": message["ts"],
            "message": {"type": "message", "team": team_id, **message}, "response_url": response_url}


def interaction_body(payload: dict) -> str:
    return urlencode({"payload": json.dumps(payload)})


def interaction(url: str, secret: str, payload: dict, *, timestamp: float | None = None) -> requests.Response:
    return post_signed(url, interaction_body(payload), secret=secret, content_type=FORM, timestamp=timestamp)


def url_verification_body(challenge: str) -> str:
    return json.dumps({"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"})


def url_verification(url: str, secret: str, challenge: str, *, timestamp: float | None = None) -> requests.Response:
    return post_signed(url, url_verification_body(challenge), secret=secret, content_type=JSON,
                       timestamp=timestamp)
