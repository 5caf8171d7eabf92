"""The shape of what Slack posts, checked before Bolt reads it.

Bolt builds every listener argument from a request up front, and a validly signed interaction whose
`view` has no `type`, or whose `actions` is not a list, makes it raise inside its own middleware (a
500). Real Slack never sends such a thing, but anyone holding the signing secret can, and a bad
value must get a 400 and change nothing. This checks only the parts Bolt reaches into."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote_plus

_DICTS = ("user", "team", "channel", "container", "message", "view", "enterprise")


def form_fields(form: str) -> list[tuple[str, str]]:
    """A form's fields as Bolt reads them (parse_qsl: keys and values decoded; of a key given twice,
    Bolt keeps the last)."""
    return parse_qsl(form, keep_blank_values=True)


def has_payload_field(form: str) -> bool:
    """Whether a form has a field named payload, its name however encoded (%70ayload is one too).
    A slash command has none: a typed "payload" is in its text's value."""
    return any(unquote_plus(pair.partition("=")[0]) == "payload" for pair in form.split("&"))


def problem(body: bytes, content_type: str) -> str | None:
    """Why a request body is not one Slack sends, or None."""
    if "application/x-www-form-urlencoded" not in (content_type or ""):
        return None
    try:
        form = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if not has_payload_field(form):
        return None  # a slash command: its fields are plain strings
    for name, value in form_fields(form):
        if name == "payload":  # every one: Bolt reads the last
            why = _payload_problem(value)
            if why:
                return why
    return None


def _payload_problem(raw: str) -> str | None:
    try:
        payload = json.loads(raw)
    except ValueError:
        return "the payload is not JSON"
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        return "the payload has no type"
    for name in _DICTS:
        if name in payload and payload[name] is not None and not isinstance(payload[name], dict):
            return f"{name} is not an object"
    view = payload.get("view")
    if isinstance(view, dict) and not isinstance(view.get("type", "modal"), str):
        return "the view's type is not text"
    if isinstance(view, dict) and "type" not in view and payload["type"] in ("view_submission", "view_closed"):
        return "the view has no type"
    actions = payload.get("actions")
    if (actions is not None or payload["type"] == "block_actions") and not (
            isinstance(actions, list) and actions and all(isinstance(a, dict) for a in actions)):
        return "actions is not a list of objects"
    for key in ("callback_id", "trigger_id", "response_url", "action_ts"):
        if key in payload and payload[key] is not None and not isinstance(payload[key], str):
            return f"{key} is not text"
    return None
