"""A job run killed mid-send (kill -9) and started again: no reminder lost, none doubled."""
import subprocess
import sys
import time
from pathlib import Path

from store import outbox
from store.models import OutboxMessage
from tests.cli import clean_env
from tests.test_action_log import SETUP

ROOT = Path(__file__).resolve().parent.parent


def jobs_run(clerk, database_url):
    env = clean_env()
    env.update({"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s",
                "SLACK_API_URL": clerk.fake.url})
    return subprocess.Popen([sys.executable, "bot.py", "jobs", "run", "action-reminders", "--at",
                             "2018-12-06T10:00"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_killed_between_posting_and_marking_sent(clerk, database_url):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/action new Circulate the Specials funding analysis owner AH due 13/12")
    clerk.says("GA", "/action new Send the Communications plan owner GN due 7/12")
    clerk.deliver()
    clerk.fake.reset()

    clerk.fake.fail("chat.postMessage", hang=60)  # Slack takes the first DM … and Clerk dies waiting
    first = jobs_run(clerk, database_url)
    deadline = time.time() + 60
    while not clerk.fake.calls_to("chat.postMessage") and time.time() < deadline:
        time.sleep(0.1)
    assert len(clerk.fake.calls_to("chat.postMessage")) == 1
    first.kill()
    first.wait(timeout=10)

    # seconds later, its lease has run out (nobody renewed it), and the next run settles what it left
    with clerk.clerk.read_sessions() as s:
        assert s.query(OutboxMessage).filter(OutboxMessage.status == "sending").count() >= 1
    time.sleep(outbox.LEASE.total_seconds() + 0.5)
    second = jobs_run(clerk, database_url)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    dms = {channel: len(clerk.fake.posts(channel)) for channel in ("DUAH0001", "DUGA0001")}
    assert dms == {"DUAH0001": 1, "DUGA0001": 1}, calls_seen(clerk)
    assert clerk.fake.calls_to("conversations.history")  # it looked before sending again
    with clerk.clerk.sessions() as s:
        assert {m.status for m in s.query(OutboxMessage).filter(OutboxMessage.key.is_not(None))} == {"sent"}


def calls_seen(clerk):
    return [(c.method, c.args.get("channel"), (c.json("metadata") or {}).get("event_payload"), c.status)
            for c in clerk.fake.calls]
