"""What Clerk counts, for Prometheus: GET /metrics (prometheus_client's text format).

Serving, Clerk is two processes (the server and its outbox sender, bot.SenderProcess), so the
counters live in prometheus_client's multiprocess mode: `serve()` names a folder for them
(bot._metrics_dir) before anything imports prometheus_client, and every process of the server
(the sender inherits the environment) writes its values to files there, which a scrape adds up.
What the database knows (the outbox's backlog and its oldest row, rows imported) is read from it
at each scrape, so it is true whichever process, replica or command-line run wrote it.
Without that folder (tests, the console) the counters are this process's own.

The names are listed, with what to alert on, in README.md ("Metrics").
"""
from __future__ import annotations

import os
import re
import time

from prometheus_client import Counter, Histogram

ENV = "PROMETHEUS_MULTIPROC_DIR"  # set by bot.serve (bot._metrics_dir) before this module is imported

LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
COMMAND_SECONDS = Histogram("clerk_command_seconds", "Time to answer a request from Slack, by verb and surface",
                            ["verb", "surface"], buckets=LATENCY)
SENDS = Counter("clerk_sends_total", "Outbox rows the sender handled, by outcome (sent, retried, failed, waiting) "
                "and Slack's error", ["outcome", "error"])
SEND_SECONDS = Histogram("clerk_send_seconds", "Time to send one outbox row to Slack, retries included",
                         buckets=LATENCY + (30.0, 60.0))
JOB_RUNS = Counter("clerk_job_runs_total", "Scheduled job runs, by job and outcome (ok, failed)", ["job", "outcome"])
JOB_SECONDS = Histogram("clerk_job_seconds", "Time a job run took", ["job"], buckets=LATENCY + (30.0, 60.0, 300.0))


def sent(outcome: str, error: str = "", seconds: float | None = None) -> None:
    SENDS.labels(outcome, _label(error)).inc()
    if seconds is not None and outcome == "sent":
        SEND_SECONDS.observe(seconds)


def job_ran(name: str, seconds: float, ok: bool) -> None:
    JOB_RUNS.labels(_label(name), "ok" if ok else "failed").inc()
    JOB_SECONDS.labels(_label(name)).observe(seconds)


def _label(text: str) -> str:
    """Label values are few and short: Slack's error codes, exception and job names."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", text or "")[:40]


# -- requests from Slack: timed, with their verb and surface -------------------------------------

SURFACES = {"block_actions": "button", "view_submission": "form", "view_closed": "form",
            "message_action": "shortcut", "shortcut": "shortcut", "block_suggestion": "form"}
EVENT_SURFACES = {"message": "dm", "app_mention": "mention", "app_home_opened": "home"}
_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(\|[^>]*)?>\s*")


def describe(body: dict) -> tuple[str, str, str]:
    """(verb, surface, delivery key) of a request Slack sent: the verb from Clerk's own registry
    (so labels are few), the key Slack sends once per invocation (trigger_id, event_id, action_ts)."""
    if not isinstance(body, dict):
        return "other", "other", ""
    if body.get("command"):
        noun = str(body["command"]).lstrip("/")
        return verb_of(noun, str(body.get("text") or "")), "slash", str(body.get("trigger_id") or "")[:80]
    if body.get("type") == "event_callback":
        event = body.get("event") if isinstance(body.get("event"), dict) else {}
        surface = EVENT_SURFACES.get(str(event.get("type")), "event")
        words = _MENTION.sub("", str(event.get("text") or "")).split(None, 1)
        verb = verb_of(words[0], words[1] if len(words) > 1 else "") if words and surface != "home" else "event"
        return verb, surface, str(body.get("event_id") or "")[:80]
    kind = str(body.get("type") or "other")
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    view = body.get("view") if isinstance(body.get("view"), dict) else {}
    first = actions[0] if actions and isinstance(actions[0], dict) else {}
    key = first.get("action_ts") or view.get("id") or body.get("trigger_id")
    return _label(kind), SURFACES.get(kind, "other"), str(key or "")[:80]


def verb_of(noun: str, text: str) -> str:
    from grammar.registry import VERBS

    noun = noun.lower()
    word = (text.split(None, 1) or [""])[0].lower()
    if (noun, word) in VERBS:
        return f"{noun} {word}"
    return f"{noun} other" if any(n == noun for n, _ in VERBS) else "other"


def timed(dispatch):
    """Bolt's App.dispatch, timed, labelled and logged: every request from Slack passes through it,
    over HTTP or Socket Mode, and Bolt answers within it (process_before_response). One line a
    request, carrying its delivery key, which every line logged while it is handled carries too."""
    import logging

    import logs

    said = logging.getLogger("clerk.requests")

    def dispatch_timed(req):
        verb, surface, key = describe(req.body)
        token = logs.KEY.set(key or None)
        started = time.perf_counter()
        status = "error"
        try:
            response = dispatch(req)
            status = str(getattr(response, "status", ""))
            return response
        finally:
            seconds = time.perf_counter() - started
            COMMAND_SECONDS.labels(verb, surface).observe(seconds)
            said.info("%s %s answered %s in %.1f ms", surface, verb, status, seconds * 1000)
            logs.KEY.reset(token)

    return dispatch_timed


# -- the scrape ---------------------------------------------------------------------------------

def render(clerk) -> tuple[bytes, str]:
    """The exposition: the counters of every process of this server, and what the database says."""
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
    from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4  # what every Prometheus 2 and 3 reads

    if os.environ.get(ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):  # noqa: SLF001 - this process's own metrics
            registry.register(collector)
    registry.register(_FromDatabase(clerk))
    return generate_latest(registry), CONTENT_TYPE_PLAIN_0_0_4


class _FromDatabase:
    """Gauges read at scrape time: the outbox backlog, its oldest unsent row, rows imported, whether
    the sender runs."""

    def __init__(self, clerk):
        self.clerk = clerk

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        from store.db import reading
        from store.imports import rows_imported
        from store.outbox import backlog

        up = GaugeMetricFamily("clerk_sender_up", "1 while the outbox sender (process or thread) is alive")
        up.add_metric([], 0.0 if self.clerk.sender_alive() is False else 1.0)
        yield up
        try:
            with reading(self.clerk.read_sessions) as s:
                waiting = backlog(s, self.clerk.clock())
                imported = rows_imported(s)
        except Exception:  # noqa: BLE001 - /healthz says why; the counters still answer
            return
        rows = GaugeMetricFamily("clerk_outbox_backlog", "Outbox rows not sent yet, by status", labels=["status"])
        for status, count in sorted(waiting.counts.items()):
            rows.add_metric([status], count)
        yield rows
        oldest = GaugeMetricFamily("clerk_outbox_oldest_seconds", "Age of the oldest unsent outbox row")
        oldest.add_metric([], waiting.oldest_seconds)
        yield oldest
        late = GaugeMetricFamily("clerk_outbox_due_seconds",
                                 "How long the longest-due outbox row has waited for a sender since it fell due")
        late.add_metric([], waiting.due_seconds)
        yield late
        done = CounterMetricFamily("clerk_import_rows", "Action rows imported, by how the import ended",
                                   labels=["status"])
        for status, count in sorted(imported.items()):
            done.add_metric([status], count)
        yield done
