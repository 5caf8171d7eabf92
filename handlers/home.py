"""App Home: published when a person opens it, and again after changes that concern them
(through the outbox, so the request that made the change never waits on Slack)."""
from __future__ import annotations

from service.home import owe_home


def on_home_opened(event, context) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    clerk = context["clerk"]
    owe_home(clerk.sessions, event["user"], clerk.clock())
    clerk.wake_sender()


def register(app, clerk) -> None:
    app.event("app_home_opened")(on_home_opened)
