"""`python bot.py` as an operator meets it: settings, start-up, /healthz."""
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.cli import clean_env

ROOT = Path(__file__).resolve().parent.parent


def run_bot(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "bot.py", *args], cwd=ROOT, env=clean_env(**(env or {})),
                          capture_output=True, text=True, timeout=timeout)


def test_no_token_exits_2_with_one_line_pointing_to_the_console(tmp_path):
    result = run_bot(env={"DATABASE_URL": f"sqlite:///{tmp_path}/c.db"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "SLACK_BOT_TOKEN is not set: set it to the app's Bot User OAuth Token (xoxb-…), "
        "or try Clerk without Slack: python bot.py console"]


def test_a_malformed_setting_is_named_without_a_traceback_or_its_secret(tmp_path):
    result = run_bot(env={"SLACK_BOT_TOKEN": "xoxp-secret-value-1234", "SLACK_SIGNING_SECRET": "s"})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("SLACK_BOT_TOKEN must start with xoxb-")
    assert "secret-value" not in result.stderr and "Traceback" not in result.stderr
    for name, value in [("PORT", "eighty"), ("CLERK_HOLIDAYS", "FRA"), ("CLERK_TIMEZONE", "Mars/Olympus"),
                        ("DATABASE_URL", "not a url"), ("CLERK_SCHEDULER", "maybe"),
                        ("CLERK_SENDER", "both")]:
        result = run_bot(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", name: value})
        assert result.returncode == 2, name
        line, = result.stderr.strip().splitlines()
        assert line.startswith(name), line


def test_an_unreachable_database_is_one_line_with_the_password_hidden():
    result = run_bot(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
                          "DATABASE_URL": "postgresql+psycopg://clerk:hunter2@127.0.0.1:1/clerk"})
    assert result.returncode == 2
    assert result.stderr.startswith("DATABASE_URL: cannot use postgresql+psycopg://clerk:***@127.0.0.1:1/clerk")
    assert "hunter2" not in result.stderr


def test_a_sqlite_too_old_for_clerk_stops_start_up_with_one_line(tmp_path):
    """RETURNING needs SQLite 3.35; without its JSON functions no list could be read."""
    old = ("import sqlite3, runpy, sys; sqlite3.sqlite_version_info = (3, 31, 1); sys.argv = ['bot.py', 'console']; "
           "runpy.run_path('bot.py', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", old], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            input="", env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/c.db"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["DATABASE_URL: SQLite 3.31.1 is too old: Clerk needs 3.35.0 or later"]

    from store.db import UnsuitableDatabase, check_sqlite

    class NoJson:
        def exec_driver_sql(self, sql):
            raise RuntimeError("no such table: json_each")

    with pytest.raises(UnsuitableDatabase, match="no JSON functions"):
        check_sqlite((3, 37, 2), NoJson())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read())
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError("Clerk did not answer /healthz")


def serve(tmp_path, fake_slack, **extra):
    port = free_port()
    env = clean_env()
    env.update({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test-signing-secret",
                "SLACK_API_URL": fake_slack.url, "DATABASE_URL": f"sqlite:///{tmp_path}/serve.db",
                "PORT": str(port), **extra})
    proc = subprocess.Popen([sys.executable, "bot.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    return port, proc


def test_serves_http_with_healthz_and_signed_commands(tmp_path, fake_slack):
    from tests import slackreq
    port, proc = serve(tmp_path, fake_slack)
    try:
        assert wait_healthy(port, proc).json()["ok"] is True
        resp = slackreq.slash(f"http://127.0.0.1:{port}/slack/events", "test-signing-secret", "/clerk", "board P&R")
        assert resp.status_code == 200 and "Set up board *P&amp;R*" in resp.text
        assert resp.headers["Server"] == "clerk"  # waitress, not a development server
        forged = slackreq.slash(f"http://127.0.0.1:{port}/slack/events", "wrong", "/action", "list")
        assert forged.status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert proc.returncode in (0, -15)
    assert "xoxb-test" not in proc.stderr.read()


def test_socket_mode_still_serves_healthz(tmp_path, fake_slack):
    port, proc = serve(tmp_path, fake_slack, SLACK_APP_TOKEN="xapp-1-test", SLACK_SIGNING_SECRET="")
    try:
        assert wait_healthy(port, proc).status_code == 200
        assert requests.post(f"http://127.0.0.1:{port}/slack/events", timeout=2).status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert "xapp-1-test" not in proc.stderr.read()


def test_db_upgrade_is_idempotent(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/up.db"}
    assert run_bot("db", "upgrade", env=env).stdout.strip() == "Database is up to date."
    assert run_bot("db", "upgrade", env=env).returncode == 0


def test_the_console_runs_piped_commands(tmp_path):
    script = "clerk board P&R\nclerk person AH Anna Hook\naction new Circulate the OSG paper owner AH due 14/12\naction list\n"
    result = subprocess.run([sys.executable, "bot.py", "console"], cwd=ROOT, input=script, capture_output=True,
                            text=True, env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/console.db"),
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Raised 1/" in result.stdout
    assert "• 1/" in result.stdout and "Circulate the OSG paper — AH — due" in result.stdout
