"""GET /metrics (issue 29): Prometheus' text format, read back with prometheus_client's own parser
after a scripted session against a real `python bot.py` (its outbox sender a process of its own, so
the counts of both processes must add up), and compared with what was sent."""
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, func, select

from store.models import OutboxMessage
from tests.test_reliability import Server, world  # noqa: F401 - the fixture
from tests.test_sender_process import until


def scrape(server: Server) -> dict[tuple[str, tuple], float]:
    resp = requests.get(f"http://127.0.0.1:{server.port}/metrics", timeout=10)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(resp.text) for sample in family.samples}


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def outbox_counts(database_url: str, after: int = 0) -> dict[str, int]:
    """Outbox rows by status, of those after row `after` (the server's own: it forgets sent rows
    older than 14 days by its clock, which the fixture's rows, made in 2018, are)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            counts = dict(conn.execute(select(OutboxMessage.status, func.count()).where(OutboxMessage.id > after)
                                       .group_by(OutboxMessage.status)).all())
            return {**counts, "last": conn.scalar(select(func.max(OutboxMessage.id))) or 0}
    finally:
        engine.dispose()


def test_metrics_count_what_a_session_did(world, database_url, tmp_path):  # noqa: F811
    first = outbox_counts(database_url)["last"]  # rows up to here: the fixture's set-up, sent in this process
    server = Server(database_url, world.fake, tmp_path, "clerk")
    try:
        world.fake.fail("chat.postMessage", error="channel_not_found")  # the first post: kept as failed
        for n in range(5):
            reply = server.says("UGA0001", f"/action new Metric check {n} owner AH", channel_id="CPR")
            assert reply.status_code == 200 and "Raised" in reply.json()["text"]
        until(lambda: outbox_counts(database_url, first).get("failed", 0) == 1)
        world.fake.fail("chat.postMessage", error="internal_error")  # an error Slack may lift: retried later
        reply = server.says("UGA0001", "/action new Metric check retried owner AH", channel_id="CPR")
        assert reply.status_code == 200
        reply = server.says("UGA0001", "/action list", channel_id="CPR")
        assert reply.status_code == 200

        def settled():
            counts = outbox_counts(database_url, first)
            return counts.get("sending", 0) == 0 and counts.get("pending", 0) <= 1 and counts

        counts = until(settled)
        time.sleep(0.5)  # the sender counts just after it marks a row
        samples = scrape(server)
        counts = outbox_counts(database_url, first)
    finally:
        server.stop()

    assert value(samples, "clerk_command_seconds_count", verb="action new", surface="slash") == 6
    assert value(samples, "clerk_command_seconds_count", verb="action list", surface="slash") == 1
    assert value(samples, "clerk_command_seconds_bucket", verb="action list", surface="slash", le="+Inf") == 1
    sent = counts.get("sent", 0)
    assert sent > 0 and value(samples, "clerk_sends_total", outcome="sent", error="") == sent
    assert value(samples, "clerk_send_seconds_count") == sent
    assert value(samples, "clerk_sends_total", outcome="failed", error="channel_not_found") == 1
    assert value(samples, "clerk_sends_total", outcome="retried", error="internal_error") == 1
    assert value(samples, "clerk_outbox_backlog", status="pending") == counts.get("pending", 0)
    assert value(samples, "clerk_sender_up") == 1
    assert value(samples, "clerk_outbox_oldest_seconds") >= 0


def test_job_runs_and_imports_are_counted(clerk, tmp_path):
    """In one process (the test's own registry): a job run through the scheduler's path, and the
    rows an import wrote, read from the database at the scrape."""
    import csv

    import metrics
    from jobs.runner import _guarded
    from tests.cli import bot

    def scrape_here():
        body, _ = metrics.render(clerk.clerk)
        return {(s.name, tuple(sorted(s.labels.items()))): s.value
                for f in text_string_to_metric_families(body.decode()) for s in f.samples}

    runs = value(scrape_here(), "clerk_job_runs_total", job="chair-digest", outcome="ok")
    _guarded(clerk.clerk, "chair-digest")
    samples = scrape_here()
    assert value(samples, "clerk_job_runs_total", job="chair-digest", outcome="ok") == runs + 1
    assert value(samples, "clerk_job_seconds_count", job="chair-digest") >= 1

    path = tmp_path / "log.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Ref", "Action", "Owner", "Due", "Status"])
        for n in range(1, 4):
            writer.writerow([f"{n}/18", f"Imported action {n}", "AH", "14/12/2018", "open"])
    url = str(clerk.clerk.engine.url.render_as_string(hide_password=False))
    assert "Set up board" in clerk.says("GA", "/clerk board P&R secretary <@UGA0001|ga>")
    done = bot("import", "actions", str(path), "--as-of", "2018-11-29", database_url=url)
    assert done.returncode == 0, done.stderr
    assert value(scrape_here(), "clerk_import_rows_total", status="done") == 3


@pytest.mark.parametrize("body, expected", [
    ({"command": "/action", "text": "close 74/18 Done", "trigger_id": "t.1"}, ("action close", "slash", "t.1")),
    ({"command": "/action", "text": "frobnicate", "trigger_id": "t.2"}, ("action other", "slash", "t.2")),
    ({"command": "/elsewhere", "text": "x"}, ("other", "slash", "")),
    ({"type": "event_callback", "event_id": "Ev1", "event": {"type": "app_mention", "text": "<@UBOT> plan list"}},
     ("plan list", "mention", "Ev1")),
    ({"type": "event_callback", "event_id": "Ev2", "event": {"type": "message", "text": "action digest"}},
     ("action digest", "dm", "Ev2")),
    ({"type": "block_actions", "actions": [{"action_ts": "123.4"}]}, ("block_actions", "button", "123.4")),
    ({"type": "view_submission", "view": {"id": "V1"}}, ("view_submission", "form", "V1")),
    ("not a dict", ("other", "other", "")),
])
def test_requests_are_labelled_by_verb_and_surface_from_a_few_values(body, expected):
    import metrics

    assert metrics.describe(body) == expected
