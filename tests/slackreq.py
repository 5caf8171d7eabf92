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

def interaction_body(payload: dict) -> str:
    return urlencode({"payload": json.dumps(payload)})


def interaction(url: str, secret: str, payload: dict, *, timestamp: float | None = None) -> requests.Response:
    return post_signed(url, interaction_body(payload), secret=secret, content_type=FORM, timestamp=timestamp)


def url_verification_body(challenge: str) -> str:
    return json.dumps({"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"})


def url_verification(url: str, secret: str, challenge: str, *, timestamp: float | None = None) -> requests.Response:
    return post_signed(url, url_verification_body(challenge), secret=secret, content_type=JSON,
                       timestamp=timestamp)
