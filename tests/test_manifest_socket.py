"""manifest-socket-mode.yml is manifest.yml with Socket Mode on, and nothing else changed, so
the two installs can never drift apart (tests/test_manifest.py checks manifest.yml against the code)."""
import copy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HTTP_TEXT = (ROOT / "manifest.yml").read_text()
SOCKET_TEXT = (ROOT / "manifest-socket-mode.yml").read_text()
HTTP = yaml.safe_load(HTTP_TEXT)
SOCKET = yaml.safe_load(SOCKET_TEXT)


def socket_mode_of(manifest: dict) -> dict:
    """What Slack's manifest schema wants for Socket Mode: socket_mode_enabled, and no URLs (slash
    commands have no url, event_subscriptions and interactivity no request_url)."""
    out = copy.deepcopy(manifest)
    for command in out.get("features", {}).get("slash_commands", []):
        command.pop("url", None)
    settings = out.setdefault("settings", {})
    for section in ("event_subscriptions", "interactivity"):
        if section in settings:
            settings[section].pop("request_url", None)
    settings["socket_mode_enabled"] = True
    return out


def differences(a, b, path="") -> list[str]:
    """Readable paths where a and b differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for key in sorted(set(a) | set(b), key=str)
                for d in (differences(a[key], b[key], f"{path}.{key}") if key in a and key in b
                          else [f"{path}.{key}: {'only in manifest.yml' if key in a else 'only in the variant'}"])]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def keys_anywhere(value) -> set:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_anywhere(v)}
    return set()


def test_the_variant_is_manifest_yml_with_socket_mode_and_no_urls():
    expected = socket_mode_of(HTTP)
    assert differences(expected, SOCKET) == []
    assert SOCKET == expected


def test_socket_mode_is_on_in_the_variant_only():
    assert SOCKET["settings"]["socket_mode_enabled"] is True
    assert HTTP["settings"]["socket_mode_enabled"] is False
    assert not {"url", "request_url"} & keys_anywhere(SOCKET)
    # the HTTP install does have them, so socket_mode_of() really strips something
    assert all("url" in c for c in HTTP["features"]["slash_commands"])
    assert "request_url" in HTTP["settings"]["event_subscriptions"]


def test_the_variant_says_when_to_use_it_and_what_token_it_needs():
    header = "\n".join(line for line in SOCKET_TEXT.splitlines() if line.startswith("#"))
    assert "firewall" in header.lower()
    assert "connections:write" in header and "SLACK_APP_TOKEN" in header
    assert "https://clerk.example.org" not in SOCKET_TEXT  # nothing to replace in Socket Mode
