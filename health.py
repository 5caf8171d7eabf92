"""GET /healthz: whether this Clerk can do its work now, and if not, why (503 with the reason).

Checked at each call, each cheap: the database takes a write (one rolled back, waiting at most 2 s
on a busy SQLite), its schema is this code's, the outbox sender is alive, and no message due to
Slack has waited longer than CLERK_OUTBOX_LATE seconds for it. What restarting would not mend is
reported but not failed: Slack refusing the token or lacking a scope (messages wait on purpose),
Socket Mode still connecting.
"""
from __future__ import annotations

import time

SCHEMA_TTL = 60.0  # seconds: the schema changes only with a deploy; read it again this often


def report(clerk) -> tuple[int, dict]:
    from store.db import reading, schema_problem, write_problem
    from store.outbox import backlog

    problems: list[str] = []
    body: dict = {"ok": True}
    try:
        why = write_problem(clerk.engine)
        if why == "read-only":
            problems.append("the database is read-only: Clerk cannot record anything (check the file's or the "
                            "folder's permissions, or that DATABASE_URL names the primary, not a standby)")
        elif why:
            problems.append(f"the database did not take a test write ({why})")
        schema = _schema(clerk, schema_problem)
        if schema:
            problems.append(schema)
        with reading(clerk.read_sessions) as s:
            waiting = backlog(s, clerk.clock())
        body["outbox"] = {"pending": waiting.counts.get("pending", 0), "sending": waiting.counts.get("sending", 0),
                          "oldest_unsent_seconds": round(waiting.oldest_seconds, 1),
                          "longest_due_seconds": round(waiting.due_seconds, 1)}
    except Exception as exc:  # noqa: BLE001 - health reports, never raises
        problems.append(f"the database cannot be used ({type(getattr(exc, 'orig', None) or exc).__name__})")
        waiting = None
    slack = _slack(clerk)
    if slack is not None:
        body["slack"] = slack
    alive = clerk.sender_alive()
    if alive is not None:
        body["sender"] = "alive" if alive else "stopped"
        if not alive:
            problems.append("the outbox sender is not running: nothing is being sent to Slack")
        elif waiting is not None and waiting.due_seconds > clerk.settings.CLERK_OUTBOX_LATE and slack is None:
            problems.append(f"a message due to Slack has waited {waiting.due_seconds:.0f} s for the sender "
                            f"(more than CLERK_OUTBOX_LATE, {clerk.settings.CLERK_OUTBOX_LATE:.0f} s)")
    if clerk.socket_mode is not None:  # reported, not failed: slack-sdk reconnects by itself
        body["socket_mode"] = "connected" if clerk.socket_mode.client.is_connected() else "connecting"
    if problems:
        body["ok"] = False
        body["problems"] = problems
        return 503, body
    return 200, body


def _schema(clerk, schema_problem) -> str | None:
    cached = getattr(clerk, "_schema_seen", None)
    if cached is not None and time.monotonic() - cached[0] < SCHEMA_TTL and cached[1] is None:
        return None
    found = schema_problem(clerk.engine)
    clerk._schema_seen = (time.monotonic(), found)
    return found


def _slack(clerk) -> dict | None:
    from bot import _slack_health

    return _slack_health(clerk.slack_faults())
