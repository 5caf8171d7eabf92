"""In production without surprises (issue 29): each start-up fault is one line and exit 2, a stop
during start-up is honoured at once, /healthz tells the truth about a read-only database, and a
command that cannot write says why. Real `python bot.py` processes where the operator would meet it."""
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.cli import bot, clean_env
from tests.fakeslack import FakeSlack
from tests.harness import ClerkUnderTest
from tests.test_serving import free_port

ROOT = Path(__file__).resolve().parent.parent
SERVING = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test-signing-secret"}


def one_line(result, starts: str) -> str:
    """The fault's one line: exit 2, nothing else on standard error, never a traceback or a secret."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(starts), lines[0]
    assert "hunter2" not in lines[0] and "xoxb-test" not in lines[0]
    return lines[0]


@pytest.mark.parametrize("url, says", [
    ("sqlite://clerk.db", "three slashes"),
    ("sqlite://data/clerk.db", "sqlite:///data/clerk.db"),
    ("postgresql+psycopg://clerk:hunter2@127.0.0.1:notaport/clerk", "is not a database URL"),
    ("postgresql+psycopg://clerk:hunter2@127.0.0.1:5432", "names no database"),
], ids=["sqlite-two-slashes", "sqlite-host", "postgres-port", "postgres-no-database"])
def test_a_malformed_database_url_is_one_line(url, says):
    for args in (("db", "upgrade"), ()):
        line = one_line(bot(*args, database_url=url, env=SERVING), "DATABASE_URL")
        assert says in line


def test_a_missing_folder_is_named(tmp_path):
    line = one_line(bot("db", "upgrade", database_url=f"sqlite:///{tmp_path}/gone/clerk.db"), "DATABASE_URL")
    assert f"the folder {tmp_path}/gone does not exist" in line


def test_a_database_opened_read_only_is_refused_at_start(tmp_path):
    assert bot("db", "upgrade", database_url=f"sqlite:///{tmp_path}/c.db").returncode == 0
    line = one_line(bot("db", "upgrade", database_url=f"sqlite:///file:{tmp_path}/c.db?mode=ro&uri=true"),
                    "DATABASE_URL")
    assert "read-only" in line


def _immutable(path: Path, on: bool) -> bool:
    """chattr +i: read-only even for root (CI runs as root, which file modes do not stop)."""
    return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_is_named(tmp_path, what):
    """The file, or the folder SQLite writes its journal in, that this user may not write."""
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "clerk.db"
    assert bot("db", "upgrade", database_url=f"sqlite:///{db}").returncode == 0
    for extra in folder.glob("clerk.db-*"):
        extra.unlink()
    locked = db if what == "file" else folder
    if not _immutable(locked, True):
        pytest.skip("chattr +i is not available here")
    try:
        line = one_line(bot("db", "upgrade", database_url=f"sqlite:///{db}"), "DATABASE_URL")
        served = one_line(bot(database_url=f"sqlite:///{db}", env=SERVING), "DATABASE_URL")
    finally:
        _immutable(locked, False)
    assert line == served
    assert f"the {'database file' if what == 'file' else 'folder'} {locked} is read-only for this user (uid " in line


def test_a_database_from_a_newer_clerk_is_left_alone(tmp_path):
    db = tmp_path / "c.db"
    assert bot("db", "upgrade", database_url=f"sqlite:///{db}").returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'fe11fe11fe11'")
    line = one_line(bot("db", "upgrade", database_url=f"sqlite:///{db}"), "DATABASE_URL")
    assert "schema revision fe11fe11fe11" in line and "newer Clerk" in line
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("fe11fe11fe11",)


def test_slack_unreachable_is_one_line(tmp_path):
    closed = free_port()  # nothing listens there
    line = one_line(bot(database_url=f"sqlite:///{tmp_path}/c.db",
                        env={**SERVING, "SLACK_API_URL": f"http://127.0.0.1:{closed}/api/"}), "SLACK_API_URL")
    assert f"Slack cannot be reached at http://127.0.0.1:{closed}/api/" in line
    assert "Connection refused" in line or "ConnectionRefused" in line


def test_a_token_slack_refuses_is_one_line_saying_so(tmp_path):
    with FakeSlack() as fake:
        fake.revoke("xoxb-test")
        line = one_line(bot(database_url=f"sqlite:///{tmp_path}/c.db", env={**SERVING, "SLACK_API_URL": fake.url}),
                        "SLACK_BOT_TOKEN was refused by Slack")
    assert "reinstall the app" in line


@pytest.mark.parametrize("after", [0.05, 0.3, 0.8, 1.5])
def test_a_stop_during_start_up_is_honoured_at_once(tmp_path, after):
    """SIGTERM (docker stop) at any moment of start-up, as PID 1 would get it: gone within 2 s."""
    with FakeSlack() as fake:
        env = clean_env(**SERVING, SLACK_API_URL=fake.url, DATABASE_URL=f"sqlite:///{tmp_path}/c.db",
                        PORT=str(free_port()))
        proc = subprocess.Popen([sys.executable, "bot.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(after)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=2)
        finally:
            if proc.poll() is None:
                proc.kill()
        took = time.monotonic() - sent
        assert proc.returncode in (0, 143, -15), (proc.returncode, proc.stderr.read())
        assert took < 2
        assert "Traceback" not in proc.stderr.read()


# -- a database that stops taking writes while Clerk serves ----------------------------------------

def test_a_read_only_database_fails_health_and_commands_say_so(tmp_path):
    db = tmp_path / "c.db"
    with FakeSlack() as fake:
        with ClerkUnderTest(f"sqlite:///{db}", fake) as writable:
            assert "Set up board" in writable.says("GA", "/clerk board P&R secretary <@UGA0001|ga>")
            health = requests.get(writable.url + "/healthz", timeout=5)
            assert health.status_code == 200 and health.json()["ok"] is True
        with ClerkUnderTest(f"sqlite:///file:{db}?mode=ro&uri=true", fake) as stuck:
            health = requests.get(stuck.url + "/healthz", timeout=5)
            assert health.status_code == 503
            assert health.json()["ok"] is False
            assert any("the database is read-only" in p for p in health.json()["problems"])
            reply = stuck.says("GA", "/action new Circulate the paper owner <@UGA0001|ga>")
            assert "read-only" in reply and "Try again" not in reply
            assert "Secretaries: ga" in stuck.says("GA", "/clerk board P&R")  # reading still works


@pytest.mark.postgres_only
def test_a_postgresql_that_turns_read_only_fails_health_and_commands_say_so(database_url):
    """A failover to a standby, as an operator meets it: every new transaction is read-only."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    with FakeSlack() as fake, ClerkUnderTest(database_url, fake) as running:
        assert "Set up board" in running.says("GA", "/clerk board P&R secretary <@UGA0001|ga>")
        name = make_url(database_url).database
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d "
                              "AND pid <> pg_backend_pid()"), {"d": name})
        try:
            health = requests.get(running.url + "/healthz", timeout=10)
            assert health.status_code == 503, health.text
            assert any("read-only" in p for p in health.json()["problems"])
            reply = running.says("GA", "/action new Circulate the paper owner <@UGA0001|ga>")
            assert "read-only" in reply and "Try again" not in reply
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off'))
            admin.dispose()


def test_the_health_of_a_serving_clerk_names_its_sender_and_outbox(tmp_path):
    from tests.test_serving import serve, wait_healthy

    with FakeSlack() as fake:
        port, proc = serve(tmp_path, fake)
        try:
            said = wait_healthy(port, proc).json()
            assert said["ok"] is True and said["sender"] == "alive"
            assert set(said["outbox"]) == {"pending", "sending", "oldest_unsent_seconds", "longest_due_seconds"}
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def test_logs_can_be_json_lines_with_no_secret_and_follow_a_request_to_its_send(tmp_path):
    import json

    from tests import slackreq
    from tests.test_serving import serve, wait_healthy

    url = None
    with FakeSlack() as fake:
        port, proc = serve(tmp_path, fake, CLERK_LOG_FORMAT="json")
        try:
            wait_healthy(port, proc)
            url = f"http://127.0.0.1:{port}/slack/events"
            resp = slackreq.slash(url, "test-signing-secret", "/clerk", "board P&R secretary <@UGA0001|ga> channel "
                                  "<#CPR|pr>", user_id="UGA0001", trigger_id="trig.set.up")
            assert resp.status_code == 200
            resp = slackreq.slash(url, "test-signing-secret", "/action", "new Follow me owner <@UGA0001|ga>",
                                  user_id="UGA0001", channel_id="CPR", trigger_id="trig.follow.me")
            assert resp.status_code == 200 and "Raised" in resp.text
            deadline = time.time() + 20
            while time.time() < deadline and not fake.posts("CPR"):
                time.sleep(0.1)
            time.sleep(0.3)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        lines = [json.loads(line) for line in proc.stderr.read().splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    followed = [line for line in lines if line.get("key") == "trig.follow.me"]
    assert any(line["logger"] == "clerk.requests" and "slash action new answered 200" in line["message"]
               for line in followed), followed
    owed = [line["message"].split()[1] for line in followed if line["message"].endswith("owed to CPR")]
    assert len(owed) == 1, followed
    sent = [line for line in lines if line.get("key") == f"outbox-{owed[0]}"]
    assert any(line["message"].startswith(f"outbox {owed[0]} sent to CPR") for line in sent), sent
    assert not any("xoxb-test" in json.dumps(line) or "test-signing-secret" in json.dumps(line) for line in lines)


def test_the_log_masks_what_looks_like_a_secret():
    from logs import mask

    assert mask("token xoxb-123-abc refused") == "token xoxb-*** refused"
    assert mask("postgresql+psycopg://clerk:hunter2@db/clerk") == "postgresql+psycopg://clerk:***@db/clerk"


def test_an_export_to_a_folder_it_may_not_write_says_so(tmp_path):
    folder = tmp_path / "app"
    folder.mkdir()
    assert bot("db", "upgrade", database_url=f"sqlite:///{tmp_path}/c.db").returncode == 0
    if not _immutable(folder, True):
        pytest.skip("chattr +i is not available here")
    try:
        done = bot("export", "backup", "--output", "clerk-backup.xlsx", database_url=f"sqlite:///{tmp_path}/c.db",
                   cwd=folder)
    finally:
        _immutable(folder, False)
    line = one_line(done, "cannot write clerk-backup.xlsx")
    assert f"(the folder {folder} is read-only for this user): write to a folder you may write" in line


def test_health_fails_when_the_sender_stops_or_falls_behind(tmp_path):
    import datetime as dt

    from store.db import unit_of_work
    from store.outbox import enqueue

    with FakeSlack() as fake, ClerkUnderTest(f"sqlite:///{tmp_path}/c.db", fake) as running:
        clerk = running.clerk
        clerk.settings = clerk.settings.model_copy(update={"CLERK_SENDER": "thread"})
        clerk.start_background()  # the sender as a thread, as serving starts it
        said = requests.get(running.url + "/healthz", timeout=5)
        assert said.status_code == 200 and said.json()["sender"] == "alive"
        clerk.sender.stop()
        said = requests.get(running.url + "/healthz", timeout=5)
        assert said.status_code == 503 and said.json()["sender"] == "stopped"
        assert "the outbox sender is not running: nothing is being sent to Slack" in said.json()["problems"]

        clerk.sender_alive = lambda: True  # a sender that runs but sends nothing: a row waits past its time
        with unit_of_work(clerk.sessions) as s:
            enqueue(s, "CPR", "late", clerk.clock() - dt.timedelta(seconds=300))
        said = requests.get(running.url + "/healthz", timeout=5).json()
        assert said["outbox"]["pending"] == 1 and said["outbox"]["longest_due_seconds"] >= 300
        assert any("has waited 300 s for the sender" in p for p in said["problems"]), said
