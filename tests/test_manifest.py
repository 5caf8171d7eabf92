"""manifest.yml installs Clerk in one paste: every command, event and scope the code uses, no more."""
import re
from pathlib import Path

import yaml

from handlers.commands import COMMANDS
from tests.fakeslack import METHOD_SCOPES

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())
# Where Clerk calls a conversations.* method, which kinds of channel it calls it on: the scope
# follows the kind ([SCOPES] in tests/fakeslack.py). History: a board channel, public or private,
# and DMs (exactly once); info: a board channel (DMs are private without asking); join: public ones.
KINDS_USED = {"conversations.history": ("public", "private", "im"), "conversations.info": ("public", "private"),
              "conversations.join": ("public",)}


def scopes_for(method: str) -> set[str]:
    """The bot scopes Slack's Web API spec asks for `method` (tests/fakeslack.py METHOD_SCOPES)."""
    needed = METHOD_SCOPES[method]
    if isinstance(needed, dict):
        return {needed[kind] for kind in KINDS_USED[method]}
    return {needed} if needed else set()


SCOPES_FOR_EVENT = {"app_mention": {"app_mentions:read"}, "message.im": {"im:history"}, "app_home_opened": set(),
                    "app_uninstalled": set(), "tokens_revoked": set()}


def code() -> str:
    return "\n".join(p.read_text() for p in ROOT.glob("*.py")) + "\n".join(
        p.read_text() for d in ("handlers", "jobs", "service", "store") for p in (ROOT / d).rglob("*.py"))


def test_every_slash_command_is_in_the_manifest_escaped():
    listed = {c["command"]: c for c in MANIFEST["features"]["slash_commands"]}
    assert set(listed) == set(COMMANDS)
    assert all(c["should_escape"] is True for c in listed.values())
    assert all(c["url"].endswith("/slack/events") for c in listed.values())


def test_events_handled_are_subscribed_and_scoped():
    handled = set(re.findall(r'app\.event\("(\w+)"\)', code()))
    if re.search(r'"channel_type": "im"', code()):
        handled.add("message.im")
    handled.discard("message")  # the catch-all that ignores channel chatter
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == handled


def test_bot_scopes_are_those_the_code_needs():
    from slack_sdk import WebClient
    called = {m.replace("_", ".") for m in re.findall(r"client\.(\w+)\(", code()) if hasattr(WebClient, m)}
    assert called <= set(METHOD_SCOPES), f"the fake does not know the scopes of {called - set(METHOD_SCOPES)}"
    needed = {"commands", "chat:write.public"}
    for method in called:
        needed |= scopes_for(method)
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        needed |= SCOPES_FOR_EVENT[event]
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed


def test_dms_to_clerk_are_open_and_app_home_is_on():
    home = MANIFEST["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False
    assert home["home_tab_enabled"] is ("app_home_opened" in MANIFEST["settings"]["event_subscriptions"]["bot_events"])


def test_the_message_shortcut_is_the_one_the_code_handles():
    handled = set(re.findall(r"app\.shortcut\(([\w.]+)\)", code()))
    assert handled == {"forms.MAKE_ACTION"}
    from service.forms import MAKE_ACTION
    shortcut, = MANIFEST["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"], shortcut["name"]) == ("message", MAKE_ACTION, "Make an action")


def test_interactivity_is_on_when_the_code_has_buttons():
    has_buttons = "@app.action(" in code() or "app.action(" in code()
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is has_buttons
    if has_buttons:
        assert MANIFEST["settings"]["interactivity"]["request_url"].endswith("/slack/events")
