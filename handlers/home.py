"""App Home: published when a person opens it, and again after changes that concern them
(through the outbox, so the request that made the change never waits on Slack)."""
from __future__ import annotations

from store import outbox
from store.db import unit_of_work


def register(app, clerk) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event):
        if event.get("tab", "home") != "home":
            return
        with unit_of_work(clerk.sessions) as s:
            outbox.refresh_home(s, event["user"], clerk.clock())
        clerk.wake_sender()
